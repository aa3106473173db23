"""Which relationships need attention now.

INTERFACE (implemented by the tie-strength work; other code relies on it):

``TIER_CADENCE_DAYS = {"core": 30, "strategic": 91, "wider": 182}``

``NudgeSuggestion`` — frozen dataclass: ``other_id``, ``kind`` (``overdue``:
past the tier's cadence; ``cooling``: strength falling; ``follow_up``: met
recently for the first time and not since; ``bridge``: the only tie into a
group, and it is weakening), ``reason`` (plain language), ``priority`` (float,
higher first), ``due_since`` (date | None).

``suggest_nudges(*, owner_id, scores: Sequence[TieScore], tiers: Mapping[int, str],
cadence_days: Mapping[int, int], groups: Mapping[int, str], owner_group: str | None,
today: date) -> list[NudgeSuggestion]``
— ``tiers``/``cadence_days`` by the other person's id (overrides of the tier
default), ``groups`` the team or organization label of each contact.

The rules
---------
``overdue``
    The contact has a tier (``core``, ``strategic``, ``wider``) or a cadence of
    its own, and the days since the last contact exceed that cadence (or there
    was no contact at all). ``due_since`` = last contact + cadence.
    Priority ``2 + importance + min(1, days overdue / cadence)`` with importance
    1.0 core, 0.6 strategic, 0.3 wider or a cadence without a tier (no contact
    at all counts as a full cadence overdue): 2.3-4.0.
``bridge``
    The contact is the owner's only tie of band ``occasional`` or better into a
    group other than the owner's own, and the tie is cooling or its recency has
    fallen below 0.5 (no contact for more than a half-life). Losing it would cut
    the owner off from that group. Priority ``2.5 + (1 - recency)``: 2.5-3.5.
``cooling``
    The tie's trend is ``cooling`` and it is not dormant, or it has a tier (a
    tiered relationship is worth reviving even when dormant). Priority
    ``1.5 + strength``: 1.5-2.5 — what is at stake.
``follow_up``
    No tier; first contact within the last 30 days, at most 2 events in all, the
    last more than 7 days ago. ``due_since`` = last contact + 7 days. Priority
    ``1 + min(1, days since last contact / 30)``: 1.2-2.0.

One suggestion per (contact, kind), sorted by priority (highest first), then
by the contact's id, then in the order above: deterministic.

>>> import datetime as dt
>>> from bridgework.core.relationships.strength import TieScore
>>> score = TieScore(person_a=1, person_b=7, strength=0.5, band="regular", trend="steady",
...                  explanation="", components={"recency": 0.7, "events": 9.0},
...                  last_contact=dt.datetime(2026, 1, 2, tzinfo=dt.timezone.utc))
>>> [n] = suggest_nudges(owner_id=1, scores=[score], tiers={7: "core"}, cadence_days={},
...                      groups={}, owner_group=None, today=dt.date(2026, 2, 11))
>>> n.kind, n.due_since, round(n.priority, 3)
('overdue', datetime.date(2026, 2, 1), 3.333)
>>> n.reason
'Last in touch 40 days ago; core relationships call for contact every 30 days.'
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bridgework.core.relationships.strength import TieScore, _ago

__all__ = [
    "TIER_CADENCE_DAYS",
    "TIER_IMPORTANCE",
    "NUDGE_KINDS",
    "NudgeSuggestion",
    "suggest_nudges",
]

TIER_CADENCE_DAYS = {"core": 30, "strategic": 91, "wider": 182}
#: How much an overdue contact of each tier weighs (a cadence without a tier: 0.3).
TIER_IMPORTANCE = {"core": 1.0, "strategic": 0.6, "wider": 0.3}
#: The kinds, in the order that breaks ties of priority and contact.
NUDGE_KINDS = ("overdue", "bridge", "cooling", "follow_up")

_FOLLOW_UP_WINDOW_DAYS = 30
_FOLLOW_UP_AFTER_DAYS = 7
_FOLLOW_UP_MAX_EVENTS = 2
_ACTIVE_BANDS = frozenset({"strong", "regular", "occasional"})


@dataclass(frozen=True)
class NudgeSuggestion:
    """One relationship that needs attention, and why."""

    other_id: int
    kind: str
    reason: str
    priority: float
    due_since: dt.date | None


def _other(score: TieScore, owner_id: int) -> int | None:
    if score.person_a == owner_id:
        return score.person_b
    if score.person_b == owner_id:
        return score.person_a
    return None


def _date(text: dt.date) -> str:
    return f"{text.day} {text:%B}"


def suggest_nudges(
    *,
    owner_id: int,
    scores: Sequence[TieScore],
    tiers: Mapping[int, str],
    cadence_days: Mapping[int, int],
    groups: Mapping[int, str],
    owner_group: str | None,
    today: dt.date,
) -> list[NudgeSuggestion]:
    """Nudges for ``owner_id`` from the scores of their ties; see the module docs."""
    mine: dict[int, TieScore] = {}
    for candidate in scores:
        other = _other(candidate, owner_id)
        if other is not None and other != owner_id:
            mine[other] = candidate

    # The groups the owner reaches through exactly one active tie.
    reach = Counter(
        groups[other]
        for other, score in mine.items()
        if score.band in _ACTIVE_BANDS and groups.get(other) not in (None, owner_group)
    )

    suggestions: list[NudgeSuggestion] = []
    candidates = set(mine) | set(tiers) | set(cadence_days)
    candidates.discard(owner_id)
    for other in sorted(candidates):
        score = mine.get(other)
        tier = tiers.get(other)
        tier = tier if tier in TIER_CADENCE_DAYS else None
        cadence = cadence_days.get(other)
        if cadence is not None and cadence <= 0:
            raise ValueError(f"cadence for person {other} must be a positive number of days")
        planned = cadence is not None
        if not planned:
            cadence = TIER_CADENCE_DAYS.get(tier) if tier is not None else None
        last_contact = score.last_contact if score else None
        last = last_contact.date() if last_contact else None
        components = score.components if score else {}

        if cadence is not None:
            if planned:
                plan = f"you planned contact every {cadence} days"
            else:
                plan = f"{tier} relationships call for contact every {cadence} days"
            importance = TIER_IMPORTANCE.get(tier, 0.3) if tier else 0.3
            if last is None:
                suggestions.append(
                    NudgeSuggestion(
                        other,
                        "overdue",
                        f"No contact recorded yet; {plan}.",
                        3.0 + importance,
                        None,
                    )
                )
            elif (today - last).days > cadence:
                days = (today - last).days
                suggestions.append(
                    NudgeSuggestion(
                        other,
                        "overdue",
                        f"Last in touch {days} days ago; {plan}.",
                        2.0 + importance + min(1.0, (days - cadence) / cadence),
                        last + dt.timedelta(days=cadence),
                    )
                )
        if score is None:
            continue

        recency = float(components.get("recency") or 0.0)
        group = groups.get(other)
        if (
            group is not None
            and group != owner_group
            and score.band in _ACTIVE_BANDS
            and reach[group] == 1
            and (score.trend == "cooling" or recency < 0.5)
        ):
            since = f"last contact {_ago((today - last).days)}" if last else "no contact recorded"
            suggestions.append(
                NudgeSuggestion(
                    other,
                    "bridge",
                    f"Your only tie into {group}, and it is weakening ({since}).",
                    2.5 + (1.0 - recency),
                    None,
                )
            )

        if score.trend == "cooling" and (score.band != "dormant" or cadence is not None):
            recent = int(components.get("recent_events") or 0)
            previous = int(components.get("previous_events") or 0)
            if previous >= 2 and recent <= 0.5 * previous:
                what = (
                    f"{recent} contact{'s' if recent != 1 else ''} in the last 90 days, "
                    f"down from {previous} in the 90 days before"
                )
            else:
                events = int(components.get("events") or 0)
                quiet_since = _ago((today - last).days) if last else "never"
                what = f"last contact {quiet_since}, after {events} contacts"
            suggestions.append(
                NudgeSuggestion(
                    other,
                    "cooling",
                    f"Cooling: {what} (strength {score.strength:.2f}, {score.band}).",
                    1.5 + score.strength,
                    None,
                )
            )

        events = int(components.get("events") or 0)
        span = components.get("span_days")
        if cadence is None and last_contact is not None and 0 < events <= _FOLLOW_UP_MAX_EVENTS:
            last = last_contact.date()
            first = (last_contact - dt.timedelta(days=float(span or 0.0))).date()
            quiet = (today - last).days
            if (today - first).days <= _FOLLOW_UP_WINDOW_DAYS and quiet > _FOLLOW_UP_AFTER_DAYS:
                if events == 1 or first == last:
                    when = f"First in touch on {_date(first)} and not since"
                else:
                    when = f"First in touch on {_date(first)}, last {_ago(quiet)}"
                suggestions.append(
                    NudgeSuggestion(
                        other,
                        "follow_up",
                        f"{when}: follow up while it is fresh.",
                        1.0 + min(1.0, quiet / _FOLLOW_UP_WINDOW_DAYS),
                        last + dt.timedelta(days=_FOLLOW_UP_AFTER_DAYS),
                    )
                )

    order = {kind: index for index, kind in enumerate(NUDGE_KINDS)}
    suggestions.sort(key=lambda n: (-n.priority, n.other_id, order[n.kind]))
    return suggestions
