"""Reads of ties, portfolios and nudges.

Every read of someone's ties takes the viewer: a member sees only their own
ties, portfolio and nudges; the strength of a tie between two other people is
never shown to them. Admins may look at someone else's portfolio (each look is
written to the audit log), as elsewhere. A missing person and one the viewer
may not look at raise the same :class:`~bridgework.core.errors.NotFoundError`.

:func:`tie_graph` and :func:`tie_between` are the exception: they are **not**
viewer-scoped and exist for internal use by path finding and expertise
ranking (introductions, expertise search), which reveal at most the next hop
of a path. Never send their results to a page or an API response raw.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.guards import require_login
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.core.graph.paths import TieGraph
from bridgework.core.relationships.nudges import TIER_CADENCE_DAYS
from bridgework.core.relationships.strength import StrengthWeights
from bridgework.network.models import (
    ACTIVE_BANDS,
    Band,
    Nudge,
    PortfolioEntry,
    Tie,
    Tier,
    TieRecompute,
)
from bridgework.people.models import WORKFORCE_ENGAGEMENTS, EngagementType, Person, Team

__all__ = [
    "CAPACITY",
    "SORTS",
    "PortfolioRow",
    "PortfolioSummary",
    "MixRow",
    "portfolio",
    "portfolio_row",
    "portfolio_summary",
    "nudges_for",
    "access_nudge",
    "recompute_latest",
    "access_recompute",
    "tie_graph",
    "tie_between",
    "tie_graph_cache_clear",
    "consented_ties",
    "active_nudges",
    "strength_label",
    "chance_percent",
]

#: Roughly how many relationships a person can actively keep up (Dunbar's number).
CAPACITY = 150

#: Portfolio orderings: name → description.
SORTS = {
    "strength": "Strongest first",
    "last_contact": "Longest silence first",
    "name": "Name",
    "tier": "Tier",
}
_TIER_ORDER: dict[str | None, int] = {Tier.CORE: 0, Tier.STRATEGIC: 1, Tier.WIDER: 2, None: 3}


def _owner_id(viewer: User, person_id: int | None) -> int:
    """Whose portfolio the viewer may read: their own; admins anyone's (audited)."""
    require_login(viewer)
    if person_id is None or person_id == viewer.person_id:
        if viewer.person_id is None:
            raise NotFoundError("Not found.")
        return viewer.person_id
    if not policies.can_see_everyones_records(viewer):
        raise NotFoundError("Not found.")
    if not Person.objects.filter(pk=person_id).exists():
        raise NotFoundError("Not found.")
    audit_record(
        actor=viewer,
        action=AuditEntry.Action.VIEW,
        object_type="portfolio",
        subject_person_id=person_id,
    )
    return person_id


# ---- The portfolio -----------------------------------------------------------------


@dataclass
class PortfolioRow:
    """One relationship in someone's portfolio; ``tie`` is ``None`` for a person
    the owner put in a tier but has no recorded contact with."""

    other: Person
    tie: Tie | None
    entry: PortfolioEntry | None
    today: dt.date
    #: The tier form the portfolio page shows on this row (the page sets it).
    form: forms.Form | None = field(default=None, compare=False, repr=False)

    @property
    def strength(self) -> float:
        return self.tie.strength if self.tie else 0.0

    @property
    def band(self) -> str:
        return self.tie.band if self.tie else ""

    @property
    def trend(self) -> str:
        return self.tie.trend if self.tie else ""

    @property
    def explanation(self) -> str:
        return self.tie.explanation if self.tie else "No contact recorded yet."

    @property
    def last_contact(self) -> dt.datetime | None:
        return self.tie.last_contact if self.tie else None

    @property
    def tier(self) -> str | None:
        return self.entry.tier if self.entry else None

    @property
    def cadence_override(self) -> int | None:
        return self.entry.cadence_days if self.entry else None

    @property
    def cadence_days(self) -> int | None:
        """The cadence that applies: the person's own, else the tier's default."""
        if self.entry is None:
            return None
        return self.entry.cadence_days or TIER_CADENCE_DAYS[self.entry.tier]

    @property
    def days_since_contact(self) -> int | None:
        if self.last_contact is None:
            return None
        return (self.today - self.last_contact.date()).days

    @property
    def overdue(self) -> bool:
        """Past the cadence (a tiered relationship with no contact at all is overdue)."""
        cadence = self.cadence_days
        if cadence is None:
            return False
        days = self.days_since_contact
        return days is None or days > cadence

    @property
    def is_active(self) -> bool:
        return self.band in ACTIVE_BANDS


def _people() -> QuerySet[Person]:
    return Person.objects.select_related("organization", "team")


def consented_ties() -> QuerySet[Tie]:
    """Every stored tie between two people who both consent to analytics.

    The one way to read ties: a person who withdraws consent drops out of every
    page, map, analysis and path at once. **Internal, not viewer-scoped**:
    callers apply their own rule for who may see which tie (a test checks that
    nothing outside the network app's writes reads ``Tie.objects`` directly).
    """
    return Tie.objects.consented()


def _my_ties(owner_id: int) -> QuerySet[Tie]:
    return consented_ties().filter(Q(person_a_id=owner_id) | Q(person_b_id=owner_id))


def _rows(owner_id: int, *, tiers: bool = True) -> tuple[list[PortfolioRow], Person | None]:
    """Every tie of the owner and (with ``tiers``) every tiered person, in two
    queries; and the owner (with their team) when a tie brought them along."""
    today = timezone.now().date()
    sides = ("organization", "team")
    ties = _my_ties(owner_id).select_related(
        *(f"{end}__{part}" for end in ("person_a", "person_b") for part in sides)
    )
    entries = PortfolioEntry.objects.filter(owner_id=owner_id).select_related(
        *(f"other__{part}" for part in sides)
    )
    rows: dict[int, PortfolioRow] = {}
    owner = None
    for tie in ties.order_by():
        mine, other = (
            (tie.person_a, tie.person_b)
            if tie.person_a_id == owner_id
            else (tie.person_b, tie.person_a)
        )
        owner = mine
        rows[other.pk] = PortfolioRow(other=other, tie=tie, entry=None, today=today)
    for entry in entries.order_by() if tiers else ():
        row = rows.get(entry.other_id)
        if row is None:
            rows[entry.other_id] = PortfolioRow(
                other=entry.other, tie=None, entry=entry, today=today
            )
        else:
            row.entry = entry
    return list(rows.values()), owner


def _sort(rows: list[PortfolioRow], sort: str) -> list[PortfolioRow]:
    by_name = lambda row: (row.other.full_name.lower(), row.other.pk)  # noqa: E731
    if sort == "name":
        return sorted(rows, key=by_name)
    if sort == "last_contact":
        far_past = dt.date.min
        return sorted(
            rows,
            key=lambda r: (r.last_contact.date() if r.last_contact else far_past, *by_name(r)),
        )
    if sort == "tier":
        return sorted(rows, key=lambda r: (_TIER_ORDER[r.tier], -r.strength, *by_name(r)))
    return sorted(rows, key=lambda r: (-r.strength, *by_name(r)))


def portfolio(
    *,
    viewer: User,
    person_id: int | None = None,
    sort: str = "strength",
    band: str | None = None,
    tier: str | None = None,
    overdue: bool | None = None,
) -> list[PortfolioRow]:
    """My relationships, ranked (strongest first by default).

    Each row has the other person (public fields), the tie's strength, band,
    trend, last contact and explanation, the tier and cadence I gave it
    (none by default) and whether it is overdue. ``band`` filters by band
    (``"none"``: tiered people with no recorded contact), ``tier`` by tier
    (``"none"``: untiered ties). ``person_id`` other than the viewer's own:
    admins only, audited.
    """
    owner_id = _owner_id(viewer, person_id)
    rows, _ = _rows(owner_id)
    if band:
        rows = [r for r in rows if r.band == ("" if band == "none" else band)]
    if tier:
        rows = [r for r in rows if r.tier == (None if tier == "none" else tier)]
    if overdue is not None:
        rows = [r for r in rows if r.overdue == overdue]
    return _sort(rows, sort if sort in SORTS else "strength")


def portfolio_row(*, viewer: User, other_id: int) -> PortfolioRow:
    """One row of the viewer's own portfolio (after a tier change)."""
    require_login(viewer)
    if viewer.person_id is None:
        raise NotFoundError("Not found.")
    owner_id = viewer.person_id
    try:
        other = _people().get(pk=other_id)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("Not found.") from None
    if other.pk == owner_id:
        raise NotFoundError("Not found.")
    low, high = sorted((owner_id, other.pk))
    tie = _my_ties(owner_id).filter(person_a_id=low, person_b_id=high).first()
    entry = PortfolioEntry.objects.filter(owner_id=owner_id, other_id=other.pk).first()
    return PortfolioRow(other=other, tie=tie, entry=entry, today=timezone.now().date())


@dataclass(frozen=True)
class MixRow:
    """One group in the mix of a network: how many active relationships, and their share."""

    key: str
    label: str
    count: int
    share: float  # 0-1 of the active relationships

    @property
    def percent(self) -> int:
        return round(100 * self.share)


@dataclass(frozen=True)
class PortfolioSummary:
    """The shape of someone's network: capacity, bands and mix."""

    ties: int
    active: int
    capacity: int
    bands: dict[str, int]
    tiers: dict[str, int]
    overdue: int
    by_engagement: list[MixRow] = field(default_factory=list)
    by_organization: list[MixRow] = field(default_factory=list)
    by_team: list[MixRow] = field(default_factory=list)
    own_team: str | None = None
    inside_own_team: int = 0
    computed_at: dt.datetime | None = None

    @property
    def capacity_percent(self) -> int:
        """Active relationships as a percentage of the capacity (may exceed 100)."""
        return round(100 * self.active / self.capacity) if self.capacity else 0

    @property
    def inside_own_team_share(self) -> float:
        return self.inside_own_team / self.active if self.active else 0.0

    @property
    def inside_own_team_percent(self) -> int:
        return round(100 * self.inside_own_team_share)


def _mix(keys_and_labels: Iterable[tuple[str, str]], total: int) -> list[MixRow]:
    counts = Counter(keys_and_labels)
    return [
        MixRow(key=key, label=label, count=count, share=count / total if total else 0.0)
        for (key, label), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][1]))
    ]


def _workplace_team(person: Person) -> Team | None:
    """The one of our teams someone works in, if any. Alumni keep their old team
    on their profile and externals have none: neither counts."""
    return person.team if person.engagement_type in WORKFORCE_ENGAGEMENTS else None


def _team_mix_key(person: Person) -> tuple[str, str]:
    team = _workplace_team(person)
    return (str(team.pk), team.name) if team is not None else ("none", "Not in one of our teams")


def portfolio_summary(
    *, viewer: User, person_id: int | None = None, tiers: bool = True
) -> PortfolioSummary:
    """Capacity gauge, band and tier counts, and the mix of the *active* relationships
    (strong, regular and occasional ties) by engagement type, organization and team
    (people working in one of our teams: employees, contractors, freelancers), with
    the share inside the owner's own team. ``tiers=False`` leaves out the tier and
    overdue counts (one query fewer, for the home page)."""
    owner_id = _owner_id(viewer, person_id)
    rows, owner = _rows(owner_id, tiers=tiers)
    ties = [r.tie for r in rows if r.tie is not None]
    active = [r for r in rows if r.is_active]
    engagement_labels = dict(EngagementType.choices)
    by_engagement = _mix(
        (
            (r.other.engagement_type, engagement_labels.get(r.other.engagement_type, "Other"))
            for r in active
        ),
        len(active),
    )
    by_organization = _mix(
        (
            (
                str(r.other.organization_id) if r.other.organization_id else "none",
                r.other.organization.name if r.other.organization else "No organization",
            )
            for r in active
        ),
        len(active),
    )
    by_team = _mix((_team_mix_key(r.other) for r in active), len(active))
    bands = Counter(tie.band for tie in ties)
    # Without any tie the owner was not loaded, and there is no mix to compare with.
    own_team = owner.team if owner is not None else None
    tier_counts = Counter(r.tier for r in rows if r.tier)
    return PortfolioSummary(
        ties=len(ties),
        active=len(active),
        capacity=CAPACITY,
        bands={band: bands.get(band, 0) for band in Band.values},
        tiers={tier: tier_counts.get(tier, 0) for tier in Tier.values},
        overdue=sum(1 for r in rows if r.overdue),
        by_engagement=by_engagement,
        by_organization=by_organization,
        by_team=by_team,
        own_team=own_team.name if own_team else None,
        inside_own_team=sum(
            1 for r in active if own_team is not None and _workplace_team(r.other) == own_team
        ),
        computed_at=max((tie.computed_at for tie in ties), default=None),
    )


# ---- Nudges ------------------------------------------------------------------------


def active_nudges(owner_id: int, *, now: dt.datetime) -> QuerySet[Nudge]:
    """A person's nudges that show now: not dismissed, not snoozed past ``now``,
    about someone who consents to analytics; most pressing first.
    **Internal, not viewer-scoped**: for the owner's pages and their digest."""
    return (
        Nudge.objects.filter(
            owner_id=owner_id, dismissed_at__isnull=True, other__analytics_consent=True
        )
        .filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=now))
        .select_related("other__organization", "other__team")
        .order_by("-priority", "id")
    )


def nudges_for(*, viewer: User, limit: int | None = None) -> list[Nudge]:
    """The viewer's active nudges (not dismissed, not snoozed), most pressing first."""
    require_login(viewer)
    if viewer.person_id is None:
        return []
    nudges = active_nudges(viewer.person_id, now=timezone.now())
    return list(nudges[:limit] if limit else nudges)


def access_nudge(*, viewer: User, nudge_id: int) -> Nudge:
    """One of the viewer's own nudges (anyone else's: not found)."""
    require_login(viewer)
    try:
        return Nudge.objects.select_related("other").get(pk=nudge_id, owner_id=viewer.person_id)
    except (Nudge.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("Not found.") from None


# ---- Recomputations ----------------------------------------------------------------


def recompute_latest() -> TieRecompute | None:
    """The newest recomputation (no personal data: counts and status only)."""
    return TieRecompute.objects.order_by("-created_at", "-id").first()


def access_recompute(*, viewer: User, recompute_id: int) -> TieRecompute:
    """A recomputation, for people analysts and admins."""
    require_login(viewer)
    if not policies.can_manage_people(viewer):
        raise NotFoundError("Not found.")
    try:
        return TieRecompute.objects.get(pk=recompute_id)
    except (TieRecompute.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("Not found.") from None


# ---- Internal: the whole tie graph, for path finding --------------------------------

_graph_lock = threading.Lock()
_graph_cache: dict[str, object] = {"key": None, "graph": None}


def _graph_key() -> tuple:
    """Changes whenever the stored ties may have: a newer recomputation finished,
    rows were added or deleted (a person deleted), or someone changed consent."""
    latest = (
        TieRecompute.objects.filter(status=TieRecompute.Status.SUCCEEDED)
        .order_by("-finished_at", "-id")
        .values_list("id", "finished_at")
        .first()
    )
    withdrawn = tuple(
        Person.objects.filter(analytics_consent=False).order_by("id").values_list("id", flat=True)
    )
    return (latest, Tie.objects.count(), withdrawn)


def tie_graph():
    """Every stored tie with strength > 0 between two consenting people, as a
    :class:`~bridgework.core.graph.paths.TieGraph`.

    **Internal, not viewer-scoped**: for path finding and reachability only.
    Callers must never show a tie of the graph that does not involve the viewer
    (beyond naming the next hop of a path). Built once per process and rebuilt
    when a newer recomputation has finished (or ties or consent changed).
    """
    key = _graph_key()
    with _graph_lock:
        if _graph_cache["key"] == key and _graph_cache["graph"] is not None:
            return _graph_cache["graph"]
    a, b, strength = [], [], []
    for person_a, person_b, value in (
        consented_ties()
        .filter(strength__gt=0)
        .order_by()
        .values_list("person_a_id", "person_b_id", "strength")
        .iterator(chunk_size=10_000)
    ):
        a.append(person_a)
        b.append(person_b)
        strength.append(value)
    graph = TieGraph.from_edges(a, b, strength)
    with _graph_lock:
        _graph_cache.update(key=key, graph=graph)
    return graph


def tie_graph_cache_clear() -> None:
    """Forget the cached graph (tests; the cache notices changes by itself)."""
    with _graph_lock:
        _graph_cache.update(key=None, graph=None)


def tie_between(a_id: int, b_id: int) -> Tie | None:
    """The stored tie between two people, or ``None`` (also when either withdrew
    consent). **Internal, not viewer-scoped**, like :func:`tie_graph`."""
    if a_id == b_id:
        return None
    low, high = sorted((a_id, b_id))
    return consented_ties().filter(person_a_id=low, person_b_id=high).first()


# ---- Tie strength in words, for paths shown to members ---------------------------------


def strength_label(strength: float | None) -> str:
    """The coarse word for a tie of this strength: ``strong``, ``regular`` or ``occasional``.

    The cut-offs are the tie-strength bands of
    :class:`~bridgework.core.relationships.strength.StrengthWeights` as this
    deployment configures them (``TIE_WEIGHTS``), so a tie reads the same here
    as on its owners' network pages; a dormant tie reads ``occasional``.
    """
    band = StrengthWeights.from_mapping(getattr(settings, "TIE_WEIGHTS", None)).band(
        strength or 0.0
    )
    return "occasional" if band == "dormant" else band


def chance_percent(score: float) -> int:
    """A path's score (the product of its tie strengths) as a percentage, to the
    nearest 5 and at least 5: precise enough to compare paths, too coarse to
    recover the strength of a tie between other people."""
    return max(5, min(100, 5 * round(score * 20)))
