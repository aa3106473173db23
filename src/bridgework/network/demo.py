"""The network part of the demo: ties computed once, and a managed portfolio for the member.

``bridgework.demo.demo_load`` calls :func:`demo_network_load` after the demo's
interactions and imports are in the event store, so the demo member's
"My relationships" page has ranked, explained ties, tiers and nudges.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bridgework.network.models import Nudge, PortfolioEntry, Tie, Tier, TieRecompute
from bridgework.network.selectors import consented_ties
from bridgework.network.services import nudges_refresh, ties_recompute
from bridgework.people.models import EngagementType, Person

__all__ = ["DemoNetworkSummary", "demo_network_load"]

logger = logging.getLogger(__name__)

#: How many people the demo member keeps in each tier besides their manager.
CLOSEST_TEAMMATES = 2
STRATEGIC_CONTACTS = 6
WIDER_CONTACTS = 5
#: One strategic contact gets a cadence of its own, to show the override.
STRATEGIC_OVERRIDE_DAYS = 60


@dataclass(frozen=True)
class DemoNetworkSummary:
    ties: int
    member_ties: int
    member_tiers: dict[str, int]
    member_nudges: dict[str, int]
    seconds: float


def demo_network_load(*, member_username: str, today: dt.date | None = None) -> DemoNetworkSummary:
    """Recompute every tie, give the demo member a portfolio, refresh their nudges.

    ``today`` is the demo's "now" (its year of interactions ends then): ties and
    nudges are computed as of the end of that day, or as of now when it is today.
    """
    started = time.perf_counter()
    now = timezone.now()
    as_of = now
    if today is not None and today < now.date():
        as_of = dt.datetime.combine(today, dt.time(23, 59, 59), tzinfo=dt.UTC)
    run = ties_recompute(full=True, reason="demo", as_of=as_of)
    if run.status != TieRecompute.Status.SUCCEEDED:
        # The rest of the demo is loaded and useful; `bridgework ties recompute` can
        # fill in the ties later, so say so instead of failing the whole load.
        logger.error("The demo's ties could not be computed: %s", run.error)
        return DemoNetworkSummary(0, 0, {}, {}, round(time.perf_counter() - started, 2))
    me = Person.objects.get(user__username=member_username)
    entries = _portfolio_for(me)
    with transaction.atomic():
        PortfolioEntry.objects.filter(owner=me).delete()
        PortfolioEntry.objects.bulk_create(entries)
    try:
        nudges_refresh([me.pk], today=as_of.date())
    except Exception:
        logger.exception("The demo member's nudges could not be refreshed")
    kinds: dict[str, int] = {}
    for kind in Nudge.objects.filter(owner=me, dismissed_at__isnull=True).values_list(
        "kind", flat=True
    ):
        kinds[kind] = kinds.get(kind, 0) + 1
    tiers: dict[str, int] = {}
    for entry in entries:
        tiers[entry.tier] = tiers.get(entry.tier, 0) + 1
    return DemoNetworkSummary(
        ties=Tie.objects.count(),
        member_ties=consented_ties().filter(Q(person_a=me) | Q(person_b=me)).count(),
        member_tiers=tiers,
        member_nudges=kinds,
        seconds=round(time.perf_counter() - started, 2),
    )


def _portfolio_for(me: Person) -> list[PortfolioEntry]:
    """Core: the manager and the two closest teammates; strategic: the client and
    partner contacts the member holds; wider: alumni and people in other teams."""
    ties = sorted(
        consented_ties().filter(Q(person_a=me) | Q(person_b=me)),
        key=lambda t: (-t.strength, t.pk),
    )
    others = Person.objects.in_bulk([t.other_id(me.pk) for t in ties] + [me.manager_id or 0])
    chosen: dict[int, tuple[str, int | None]] = {}
    if me.manager_id and me.manager_id in others:
        chosen[me.manager_id] = (Tier.CORE, None)
    ranked = [others[t.other_id(me.pk)] for t in ties]
    teammates = [p for p in ranked if p.team_id == me.team_id and p.pk not in chosen]
    for person in teammates[:CLOSEST_TEAMMATES]:
        chosen[person.pk] = (Tier.CORE, None)
    external = {EngagementType.CLIENT, EngagementType.PARTNER}
    contacts = [p for p in ranked if p.engagement_type in external and p.pk not in chosen]
    for index, person in enumerate(contacts[:STRATEGIC_CONTACTS]):
        chosen[person.pk] = (Tier.STRATEGIC, STRATEGIC_OVERRIDE_DAYS if index == 0 else None)
    # Wider: the closest alumni (declared, often not met since they left: going
    # cold), then occasional contacts in other teams, longest silence first.
    alumni = [p for p in ranked if p.engagement_type == EngagementType.ALUMNI]
    quiet_first = sorted(
        (t for t in ties if t.band == "occasional" and t.last_contact is not None),
        key=lambda t: (t.last_contact, t.pk),
    )
    elsewhere = [
        p
        for p in (others[t.other_id(me.pk)] for t in quiet_first)
        if p.team_id not in (None, me.team_id)
        and p.engagement_type not in external | {EngagementType.ALUMNI}
    ]
    wider = [p for p in alumni[:2] + elsewhere if p.pk not in chosen]
    for person in wider[:WIDER_CONTACTS]:
        chosen[person.pk] = (Tier.WIDER, None)
    return [
        PortfolioEntry(owner=me, other_id=pk, tier=tier, cadence_days=cadence)
        for pk, (tier, cadence) in chosen.items()
    ]
