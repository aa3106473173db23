"""Events to ties: one SQL query set over the event store.

INTERFACE (implemented by the tie-aggregation work; other code relies on it):

``aggregate_ties(store, *, as_of, half_life_days=90.0, people=None) -> pyarrow.Table``
with one row per unordered pair (``person_a < person_b``) and the columns
listed in :data:`TIE_FEATURE_COLUMNS`. ``people`` limits the result to pairs
touching those Person ids (incremental recomputation).
"""

from __future__ import annotations

__all__ = ["TIE_FEATURE_COLUMNS", "aggregate_ties"]

#: Columns of the aggregated tie table, in order.
TIE_FEATURE_COLUMNS = (
    "person_a",  # int64, the smaller Person id
    "person_b",  # int64
    "events",  # all events between the two
    "emails",
    "meetings",
    "calls",
    "chats",
    "introductions",
    "others",
    "one_to_one",  # events with just the two of them
    "group_events",  # events with others present
    "a_to_b",  # one-way messages from a to b
    "b_to_a",
    "two_way_events",  # meetings, calls and other mutual contact
    "replies",  # messages answering one from the other person
    "first_contact",  # timestamp UTC
    "last_contact",  # timestamp UTC
    "last_two_way",  # timestamp UTC or null: last meeting or call
    "recent_events",  # in the 90 days before as_of
    "previous_events",  # in the 90 days before that
    "meeting_minutes",
    "decayed_weight",  # sum over events of channel weight * 0.5 ** (age_days / half_life)
)


def aggregate_ties(store, *, as_of, half_life_days: float = 90.0, people=None):
    raise NotImplementedError("being implemented")
