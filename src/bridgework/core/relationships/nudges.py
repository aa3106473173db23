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
"""

from __future__ import annotations

__all__ = ["TIER_CADENCE_DAYS", "NudgeSuggestion", "suggest_nudges"]

TIER_CADENCE_DAYS = {"core": 30, "strategic": 91, "wider": 182}
