"""The network app's part of a person's data rights (see :mod:`bridgework.people.rights`).

* **Export**: the person's own ties (read through the consent funnel,
  :func:`~bridgework.network.selectors.consented_ties`: only ties with them at
  one end, so never a tie between two other people), their relationship
  portfolio, their nudges and their network preferences.
* **Erasure**: their portfolio, the portfolio entries and nudges others keep
  about them and their preferences are deleted; their ties go with them. The
  event store then drops or anonymises their events, and the ties of everyone
  who shared an event with them are recomputed once the erasure commits
  (their strength changes when an event loses a participant).

Registered as a :class:`~bridgework.people.rights.PersonDataPart` by the app's
``ready()``.
"""

from __future__ import annotations

from django.db.models import Q

from bridgework.core.events.store import PersonErasure
from bridgework.network.models import NetworkPreference, Nudge, PortfolioEntry, Tie
from bridgework.network.selectors import consented_ties
from bridgework.network.services import ties_recompute_on_commit
from bridgework.people.models import Person
from bridgework.people.rights import WITHHELD_NOTE, PersonDataPart, Tables

__all__ = ["NETWORK_RIGHTS"]


def _export(person: Person, own: bool) -> Tables:
    ties = []
    for tie in (
        consented_ties()
        .filter(Q(person_a=person) | Q(person_b=person))
        .select_related("person_a", "person_b")
        .order_by("-strength", "person_a", "person_b")
    ):
        other = tie.person_b if tie.person_a_id == person.pk else tie.person_a
        ties.append(
            {
                "with_id": other.pk,
                "with": other.full_name,
                "strength": round(tie.strength, 4),
                "band": tie.get_band_display(),
                "trend": tie.get_trend_display(),
                "explanation": tie.explanation,
                "events": tie.events,
                "first_contact": tie.first_contact,
                "last_contact": tie.last_contact,
                "computed_at": tie.computed_at,
            }
        )
    portfolio = [
        {
            "with_id": entry.other_id,
            "with": entry.other.full_name,
            "tier": entry.get_tier_display(),
            "cadence_days": entry.cadence_days,
            "note": (entry.note if own else WITHHELD_NOTE) if entry.note else "",
            "updated_at": entry.updated_at,
        }
        for entry in PortfolioEntry.objects.filter(owner=person)
        .select_related("other")
        .order_by("tier", "other__full_name", "id")
    ]
    nudges = [
        {
            "about_id": nudge.other_id,
            "about": nudge.other.full_name,
            "kind": nudge.get_kind_display(),
            "reason": nudge.reason,
            "due_since": nudge.due_since,
            "dismissed_at": nudge.dismissed_at,
            "snoozed_until": nudge.snoozed_until,
        }
        for nudge in Nudge.objects.filter(owner=person).select_related("other").order_by("id")
    ]
    preferences = [
        {"introducer_opt_out": p.introducer_opt_out, "updated_at": p.updated_at}
        for p in NetworkPreference.objects.filter(person=person)
    ]
    return {"ties": ties, "portfolio": portfolio, "nudges": nudges, "preferences": preferences}


def _erase(person: Person) -> dict[str, int]:
    return {
        "portfolio_entries": PortfolioEntry.objects.filter(
            Q(owner=person) | Q(other=person)
        ).delete()[0],
        "nudges": Nudge.objects.filter(Q(owner=person) | Q(other=person)).delete()[0],
        "preferences": NetworkPreference.objects.filter(person=person).delete()[0],
        # Ties are results: theirs go with them (counted under "deleted with the person").
    }


def _recompute_affected(person_id: int, erasure: PersonErasure) -> None:
    ties_recompute_on_commit(
        people=erasure.people_affected, reason=f"erasure of person #{person_id}"
    )


#: Exports a person's own ties, portfolio, nudges and preferences; erases them.
NETWORK_RIGHTS = PersonDataPart(
    name="network",
    title="Your ties (strength and why), your relationship portfolio, nudges and "
    "network preferences.",
    tables={
        "ties": "Your ties with other people, computed from your events: strength 0-1, "
        "band, trend and why. Ties between other people are never included.",
        "portfolio": "The relationships you manage: tier, cadence and your note.",
        "nudges": "Suggestions to get in touch, and whether you dismissed or snoozed them.",
        "preferences": "What you allow of your place in the network.",
    },
    export=_export,
    erase=_erase,
    relations=frozenset(
        {
            (Tie, "person_a"),
            (Tie, "person_b"),
            (PortfolioEntry, "owner"),
            (PortfolioEntry, "other"),
            (Nudge, "owner"),
            (Nudge, "other"),
            (NetworkPreference, "person"),
        }
    ),
    after_store=_recompute_affected,
    order=60,
)
