"""Events to ties: one SQL query set over the event store.

INTERFACE (implemented by the tie-aggregation work; other code relies on it):

``aggregate_ties(store, *, as_of, half_life_days=90.0, people=None) -> pyarrow.Table``
with one row per unordered pair (``person_a < person_b``) and the columns
listed in :data:`TIE_FEATURE_COLUMNS`. ``people`` limits the result to pairs
touching those Person ids (incremental recomputation).

How events become pairs
-----------------------
Every event is exploded into unordered pairs of Person ids:

* the sender with each recipient, for every event;
* for ``two_way`` events (meetings, calls, logged introductions: everyone took
  part) also every pair of recipients: the attendees met each other too. For
  ``one_way`` events (e-mail, chat posts) recipients did *not* interact with
  each other, so they give no pair.

An event with ``n`` participants (the sender, when known, plus the recipients)
is *one-to-one* when ``n = 2`` and a *group event* otherwise. Per pair:

* ``a_to_b`` / ``b_to_a`` count one-way messages by direction (``a`` is the
  smaller id), ``two_way_events`` the events of direction ``two_way``;
* ``replies`` counts one-way messages whose ``reply_to`` is an event (same
  ``source``, ``external_id = reply_to``) *sent by the other person of the
  pair*;
* ``recent_events`` counts events in the :data:`RECENT_WINDOW_DAYS` (90) days
  before ``as_of``, ``previous_events`` those in the 90 days before that
  (these windows do not follow the half-life: they are for trends);
* ``meeting_minutes`` sums ``duration_minutes`` (meetings and calls carry one;
  every pair of a one-hour meeting of five gets 60 minutes);
* ``decayed_weight`` is

  .. math::

     w = \\sum_{e} c(e) \\cdot (n_e - 1)^{-1/2} \\cdot 0.5^{\\,\\mathrm{age}_e / h}

  with ``c(e)`` the channel weight of :data:`CHANNEL_WEIGHTS` (meeting and
  call 1.0, introduction 0.8, e-mail 0.6, one-to-one chat 0.4, group chat 0.2,
  anything else 0.5), ``n_e`` the participants of the event (a one-to-one event
  counts fully, a meeting of five ``1/2``, an e-mail to nine people ``1/3``:
  attention is shared, but not evenly split, hence the square root), ``age_e``
  its age in days at ``as_of`` and ``h`` the half-life (default 90 days).

Events after ``as_of`` are ignored (and so are replies to them). Recipient
lists are taken as written by the ingest pipeline: distinct ids, never the
sender (pairs of a person with themselves are dropped all the same).

>>> import datetime as dt, pathlib, tempfile
>>> from bridgework.core.events.store import EventStore
>>> store = EventStore(pathlib.Path(tempfile.mkdtemp()) / "events.duckdb")
>>> day = lambda d: dt.datetime(2026, 3, d, 9, 0, tzinfo=dt.timezone.utc)
>>> _ = store.write_events([
...     dict(source="app", external_id="m1", occurred_at=day(1), channel="meeting",
...          sender_id=1, recipient_ids=[2, 3], direction="two_way", duration_minutes=30),
...     dict(source="mbox", external_id="e1", occurred_at=day(2), channel="email",
...          sender_id=2, recipient_ids=[1], direction="one_way"),
... ])
>>> ties = aggregate_ties(store, as_of=day(2))
>>> [(t["person_a"], t["person_b"], t["events"], t["b_to_a"]) for t in ties.to_pylist()]
[(1, 2, 2, 1), (1, 3, 1, 0), (2, 3, 1, 0)]
>>> round(ties.to_pylist()[0]["decayed_weight"], 6)  # 0.5 ** (1/90) / sqrt(2) + 0.6
1.301682

Porting to Spark
----------------
The query (:data:`TIE_FEATURES_SQL`) is standard SQL — CTEs, ``UNION ALL``,
``CASE``, ``GROUP BY``, ``count(CASE ... END)`` instead of ``FILTER`` — except
for the parts marked ``[DuckDB]`` in it; :data:`TIE_SQL_DIALECT_NOTES` lists
what a Spark SQL port changes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

import pyarrow as pa

if TYPE_CHECKING:
    import pandas as pd

    from bridgework.core.events.store import EventStore

__all__ = [
    "TIE_FEATURE_COLUMNS",
    "TIE_FEATURE_SCHEMA",
    "CHANNEL_WEIGHTS",
    "RECENT_WINDOW_DAYS",
    "TIE_FEATURES_SQL",
    "TIE_SQL_DIALECT_NOTES",
    "aggregate_ties",
    "aggregate_ties_dataframe",
    "as_of_datetime",
]

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

_UTC_TIME = pa.timestamp("us", tz="UTC")

#: Arrow types of :data:`TIE_FEATURE_COLUMNS`.
TIE_FEATURE_SCHEMA = pa.schema(
    [
        pa.field(name, _UTC_TIME)
        if name in ("first_contact", "last_contact", "last_two_way")
        else pa.field(name, pa.float64())
        if name == "decayed_weight"
        else pa.field(name, pa.int64())
        for name in TIE_FEATURE_COLUMNS
    ]
)

#: Channel weights of the decayed weight (and of the channel part of tie
#: strength): in-person and voice contact carry the most, a group chat post the
#: least. ``group_chat`` applies to chats with more than two participants;
#: channels not listed use ``other``.
CHANNEL_WEIGHTS: Mapping[str, float] = {
    "meeting": 1.0,
    "call": 1.0,
    "introduction": 0.8,
    "email": 0.6,
    "chat": 0.4,
    "group_chat": 0.2,
    "other": 0.5,
}

#: Days in the ``recent_events`` window (and in the ``previous_events`` one).
RECENT_WINDOW_DAYS = 90

_MICROS_PER_DAY = 86_400_000_000

# The query set. Parameters: $as_of (timestamp), $as_of_us (microseconds since
# the epoch), $recent_start / $previous_start (timestamps), $half_life (days),
# one $w_<channel> per channel weight and, with the ``people`` filter, $people.
# {scope_cte}, {event_scope}, {reply_scope} and {pair_scope} hold that filter
# (or nothing). The pairs are streamed into one GROUP BY; the replies are a
# separate small aggregation joined to the ties at the end, so that the big
# pipeline needs no join.
_TIE_SQL_TEMPLATE = """
WITH
{scope_cte}prepared AS NOT MATERIALIZED (
    -- [DuckDB] NOT MATERIALIZED: read twice, computed twice (Spark inlines CTEs anyway).
    -- Each event once, with what every pair of it shares.
    SELECT
        e.occurred_at,
        e.sender_id,
        e.recipient_ids,
        CASE e.channel
            WHEN 'email' THEN 1 WHEN 'meeting' THEN 2 WHEN 'call' THEN 3
            WHEN 'chat' THEN 4 WHEN 'introduction' THEN 5 ELSE 0
        END AS kind,
        CASE WHEN e.direction = 'two_way' THEN 1 ELSE 0 END AS two_way,
        CASE WHEN e.participants = 2 THEN 1 ELSE 0 END AS is_one_to_one,
        e.minutes,
        -- channel weight, shared attention in groups, decay with age
        CASE e.channel
            WHEN 'meeting' THEN $w_meeting
            WHEN 'call' THEN $w_call
            WHEN 'introduction' THEN $w_introduction
            WHEN 'email' THEN $w_email
            WHEN 'chat' THEN CASE WHEN e.participants = 2 THEN $w_chat ELSE $w_group_chat END
            ELSE $w_other
        END
        / sqrt(CAST(greatest(e.participants - 1, 1) AS DOUBLE))
        * power(0.5, e.age_days / $half_life) AS weight
    FROM (
        SELECT
            occurred_at,
            channel,
            direction,
            sender_id,
            recipient_ids,
            coalesce(duration_minutes, 0) AS minutes,
            -- [DuckDB] len(list); Spark: size(recipient_ids)
            len(recipient_ids) + CASE WHEN sender_id IS NULL THEN 0 ELSE 1 END AS participants,
            -- [DuckDB] epoch_us(timestamp); Spark: unix_micros(occurred_at)
            ($as_of_us - epoch_us(occurred_at)) / {micros_per_day} AS age_days
        FROM events
        WHERE occurred_at <= $as_of{event_scope}
    ) AS e
),
sent AS (
    -- The sender with each recipient.
    SELECT
        p.occurred_at, p.sender_id, p.kind, p.two_way, p.is_one_to_one, p.minutes, p.weight,
        -- [DuckDB] unnest(list) in the select list; Spark: explode(recipient_ids)
        unnest(p.recipient_ids) AS other
    FROM prepared AS p
    WHERE p.sender_id IS NOT NULL
),
attended AS (
    -- Attendees of two-way events met each other too: every pair of recipients.
    SELECT
        p.occurred_at, p.recipient_ids, p.kind, p.two_way, p.is_one_to_one, p.minutes, p.weight,
        -- [DuckDB] unnest(list); Spark: explode(recipient_ids)
        unnest(p.recipient_ids) AS first_id
    FROM prepared AS p
    WHERE p.two_way = 1
),
met AS (
    SELECT
        t.occurred_at, t.first_id, t.kind, t.two_way, t.is_one_to_one, t.minutes, t.weight,
        -- [DuckDB] unnest(list); Spark: explode(recipient_ids)
        unnest(t.recipient_ids) AS second_id
    FROM attended AS t
),
pairs AS (
    SELECT
        least(s.sender_id, s.other) AS person_a,
        greatest(s.sender_id, s.other) AS person_b,
        s.occurred_at, s.kind, s.two_way, s.is_one_to_one, s.minutes, s.weight,
        CASE WHEN s.two_way = 0 AND s.sender_id < s.other THEN 1 ELSE 0 END AS a_to_b
    FROM sent AS s
    WHERE s.other <> s.sender_id
    UNION ALL
    SELECT
        m.first_id AS person_a,
        m.second_id AS person_b,
        m.occurred_at, m.kind, m.two_way, m.is_one_to_one, m.minutes, m.weight,
        0 AS a_to_b
    FROM met AS m
    WHERE m.first_id < m.second_id
),
ties AS (
    -- One row per pair. Counts that follow from others are derived below
    -- (group_events, b_to_a, others): fewer aggregates, a faster GROUP BY.
    SELECT
        person_a,
        person_b,
        count(*) AS events,
        count(CASE WHEN kind = 1 THEN 1 END) AS emails,
        count(CASE WHEN kind = 2 THEN 1 END) AS meetings,
        count(CASE WHEN kind = 3 THEN 1 END) AS calls,
        count(CASE WHEN kind = 4 THEN 1 END) AS chats,
        count(CASE WHEN kind = 5 THEN 1 END) AS introductions,
        count(CASE WHEN is_one_to_one = 1 THEN 1 END) AS one_to_one,
        count(CASE WHEN a_to_b = 1 THEN 1 END) AS a_to_b,
        count(CASE WHEN two_way = 1 THEN 1 END) AS two_way_events,
        count(CASE WHEN occurred_at > $recent_start THEN 1 END) AS recent_events,
        count(CASE WHEN occurred_at > $previous_start AND occurred_at <= $recent_start
                   THEN 1 END) AS previous_events,
        min(occurred_at) AS first_contact,
        max(occurred_at) AS last_contact,
        max(CASE WHEN two_way = 1 THEN occurred_at END) AS last_two_way,
        sum(minutes) AS meeting_minutes,
        sum(weight) AS decayed_weight
    FROM pairs{pair_scope}
    GROUP BY person_a, person_b
),
replies AS (
    -- One-way messages answering a message the other person of the pair sent.
    SELECT
        least(r.sender_id, q.sender_id) AS person_a,
        greatest(r.sender_id, q.sender_id) AS person_b,
        count(*) AS replies
    FROM events AS r
    JOIN events AS q ON q.source = r.source AND q.external_id = r.reply_to
    WHERE r.reply_to IS NOT NULL
      AND r.direction <> 'two_way'
      AND r.occurred_at <= $as_of
      AND q.occurred_at <= $as_of
      AND r.sender_id <> q.sender_id
      -- [DuckDB] list_contains; Spark: array_contains(r.recipient_ids, q.sender_id)
      AND list_contains(r.recipient_ids, q.sender_id){reply_scope}
    GROUP BY least(r.sender_id, q.sender_id), greatest(r.sender_id, q.sender_id)
)
SELECT
    t.person_a,
    t.person_b,
    t.events,
    t.emails,
    t.meetings,
    t.calls,
    t.chats,
    t.introductions,
    t.events - t.emails - t.meetings - t.calls - t.chats - t.introductions AS others,
    t.one_to_one,
    t.events - t.one_to_one AS group_events,
    t.a_to_b,
    t.events - t.two_way_events - t.a_to_b AS b_to_a,
    t.two_way_events,
    coalesce(r.replies, 0) AS replies,
    t.first_contact,
    t.last_contact,
    t.last_two_way,
    t.recent_events,
    t.previous_events,
    CAST(t.meeting_minutes AS BIGINT) AS meeting_minutes,
    t.decayed_weight
FROM ties AS t
LEFT JOIN replies AS r ON r.person_a = t.person_a AND r.person_b = t.person_b
ORDER BY t.person_a, t.person_b
"""

_PEOPLE_SCOPE_CTE = """scope_people AS (
    -- [DuckDB] unnest of a list parameter; Spark: a temporary view of the ids
    SELECT DISTINCT unnest($people) AS person_id
),
"""
# [DuckDB] list_has_any: cheap pre-filters; the pair filter is the exact one.
_PEOPLE_EVENT_SCOPE = """
          AND (sender_id IN (SELECT person_id FROM scope_people)
               OR list_has_any(recipient_ids, $people))"""
_PEOPLE_REPLY_SCOPE = """
      AND (r.sender_id IN (SELECT person_id FROM scope_people)
           OR list_has_any(r.recipient_ids, $people))"""
_PEOPLE_PAIR_SCOPE = """
    WHERE person_a IN (SELECT person_id FROM scope_people)
       OR person_b IN (SELECT person_id FROM scope_people)"""


def _tie_sql(*, scoped: bool) -> str:
    return _TIE_SQL_TEMPLATE.format(
        scope_cte=_PEOPLE_SCOPE_CTE if scoped else "",
        event_scope=_PEOPLE_EVENT_SCOPE if scoped else "",
        reply_scope=_PEOPLE_REPLY_SCOPE if scoped else "",
        pair_scope=_PEOPLE_PAIR_SCOPE if scoped else "",
        micros_per_day=f"{_MICROS_PER_DAY}.0",
    )


#: The whole query set (without the ``people`` filter), for reading and porting.
TIE_FEATURES_SQL = _tie_sql(scoped=False)

#: What a Spark SQL port over Parquet changes; everything else runs as written.
TIE_SQL_DIALECT_NOTES = """\
Spark SQL differences (the lines marked [DuckDB] in TIE_FEATURES_SQL):

1. Exploding the recipient list: DuckDB's ``unnest(recipient_ids)`` in a select
   list becomes Spark's ``explode(recipient_ids)`` in the same place (the pairs of
   attendees explode twice, in two nested selects, exactly as written).
2. Date arithmetic: ``epoch_us(occurred_at)`` becomes ``unix_micros(occurred_at)``
   (age in days = (as_of_us - micros) / 86400e6); timestamp comparisons are the same.
3. Lists: ``len(recipient_ids)`` becomes ``size(recipient_ids)``;
   ``list_contains(list, x)`` becomes ``array_contains(list, x)``.
4. ``WITH prepared AS NOT MATERIALIZED``: drop ``NOT MATERIALIZED`` (Spark inlines
   common table expressions; DuckDB would otherwise keep a copy of the events).
5. Parameters: DuckDB's ``$name`` become Spark's ``:name`` (Spark 3.4+ parameterized
   queries) or literals; the ``people`` filter becomes a join against a temporary
   view of ids (``list_has_any`` is only a pre-filter and can be dropped).
6. ``sum(weight)`` over doubles may differ from DuckDB in the last bits (summation
   order); counts, timestamps and minutes are identical.
"""


def as_of_datetime(as_of: dt.datetime | dt.date) -> dt.datetime:
    """A timezone-aware datetime in UTC; a date means the end of that day (UTC).

    >>> as_of_datetime(dt.date(2026, 1, 2)).isoformat()
    '2026-01-02T23:59:59.999999+00:00'
    """
    if isinstance(as_of, dt.datetime):
        if as_of.tzinfo is None:
            raise ValueError(f"as_of must be timezone-aware, got {as_of!r}")
        return as_of.astimezone(dt.UTC)
    if isinstance(as_of, dt.date):
        return dt.datetime.combine(as_of, dt.time.max, tzinfo=dt.UTC)
    raise TypeError(f"as_of must be a datetime or a date, got {as_of!r}")


def _micros(moment: dt.datetime) -> int:
    delta = moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _parameters(
    as_of: dt.datetime, half_life_days: float, weights: Mapping[str, float]
) -> dict[str, object]:
    window = dt.timedelta(days=RECENT_WINDOW_DAYS)
    parameters: dict[str, object] = {
        "as_of": as_of,
        "as_of_us": _micros(as_of),
        "recent_start": as_of - window,
        "previous_start": as_of - 2 * window,
        "half_life": float(half_life_days),
    }
    for channel in CHANNEL_WEIGHTS:
        parameters[f"w_{channel}"] = float(weights[channel])
    return parameters


def aggregate_ties(
    store: EventStore,
    *,
    as_of: dt.datetime | dt.date,
    half_life_days: float = 90.0,
    people: Iterable[int] | None = None,
    channel_weights: Mapping[str, float] | None = None,
) -> pa.Table:
    """Aggregate the events of ``store`` into one row of tie features per pair.

    Parameters
    ----------
    store : EventStore
        The event store (opened read-only for the query).
    as_of : datetime (timezone-aware) or date
        The moment of the computation: later events are ignored, ages and the
        recent/previous windows count back from it. A date means the end of
        that day, UTC.
    half_life_days : float
        Half-life of ``decayed_weight`` in days (default 90).
    people : iterable of int, optional
        Only pairs touching one of these Person ids (incremental
        recomputation); all pairs when omitted.
    channel_weights : mapping, optional
        Overrides of :data:`CHANNEL_WEIGHTS` (same keys).

    Returns
    -------
    pyarrow.Table
        Columns :data:`TIE_FEATURE_COLUMNS` typed as :data:`TIE_FEATURE_SCHEMA`,
        one row per pair with ``person_a < person_b``, sorted by the pair.
    """
    moment = as_of_datetime(as_of)
    if not (half_life_days > 0 and math.isfinite(half_life_days)):
        raise ValueError(f"half_life_days must be a positive number, got {half_life_days!r}")
    weights = dict(CHANNEL_WEIGHTS)
    if channel_weights:
        unknown = sorted(set(channel_weights) - set(CHANNEL_WEIGHTS))
        if unknown:
            raise ValueError(
                f"unknown channel weight(s) {', '.join(unknown)} "
                f"(expected {', '.join(CHANNEL_WEIGHTS)})"
            )
        weights.update(channel_weights)
    parameters = _parameters(moment, half_life_days, weights)
    scoped = people is not None
    if people is not None:
        chosen = sorted({int(p) for p in people})
        if not chosen:
            return TIE_FEATURE_SCHEMA.empty_table()
        parameters["people"] = chosen
    with store.connect(read_only=True) as connection:
        # Callers (the CLI, the task worker) show their own progress.
        connection.execute("SET enable_progress_bar = false").fetchall()
        table = connection.sql(_tie_sql(scoped=scoped), params=parameters).to_arrow_table()
    return table.select(list(TIE_FEATURE_COLUMNS)).cast(TIE_FEATURE_SCHEMA)


def aggregate_ties_dataframe(
    store: EventStore,
    *,
    as_of: dt.datetime | dt.date,
    half_life_days: float = 90.0,
    people: Iterable[int] | None = None,
    channel_weights: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """:func:`aggregate_ties` as a pandas DataFrame (for analysts' notebooks).

    Timestamps come back as timezone-aware (UTC) pandas timestamps; a missing
    ``last_two_way`` is ``NaT``.
    """
    table = aggregate_ties(
        store,
        as_of=as_of,
        half_life_days=half_life_days,
        people=people,
        channel_weights=channel_weights,
    )
    frame: pd.DataFrame = table.to_pandas()
    return frame
