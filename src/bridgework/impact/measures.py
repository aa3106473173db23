"""What the impact numbers are computed from: interactions and tie strengths on any day.

* :func:`interactions_between` — events of the event store as
  :class:`~bridgework.core.impact.records.Interaction` records (hours invested,
  introductions, meetings held come from these).
* :func:`strengths_at` — each pair's tie strength at the end of a day,
  aggregated from the events up to then with the formula and settings of the
  stored ties (``network.services.ties_recompute``), declared closeness
  included, people who withdrew analytics consent left out. Plan progress
  compares it at the plan's start and today.

**Internal, not viewer-scoped** (like ``network.selectors.tie_graph`` and
``analysis.snapshots``): :mod:`bridgework.impact.selectors` applies the
permission rules before anything reaches a page or the API. Results are
cached per process while the event store file and everyone's consent are unchanged.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Collection, Iterable

import pyarrow as pa
import pyarrow.compute as pc
from django.utils import timezone

from bridgework.core.events.ties import aggregate_ties
from bridgework.core.impact.records import INTERACTION_KINDS, Interaction
from bridgework.core.relationships.strength import score_ties
from bridgework.eventstore import get_event_store
from bridgework.network.services import declared_closeness, strength_weights
from bridgework.people.consent import withdrawn_ids
from bridgework.people.models import Person

__all__ = [
    "HOURS_KINDS",
    "interactions_between",
    "strengths_at",
    "strengths_of",
    "measures_cache_clear",
]

#: Interaction kinds that carry time invested or count as an act of help.
HOURS_KINDS = ("meeting", "call", "introduction", "other")

_lock = threading.Lock()
_cache: dict[tuple, object] = {}
_CACHE_ENTRIES = 16


def _store_version() -> tuple[object, ...]:
    """Changes whenever the event store file (or its write-ahead log) changes."""
    path = get_event_store().path
    parts: list[object] = [str(path)]
    for candidate in (path, path.with_name(path.name + ".wal")):
        try:
            stat = candidate.stat()
        except OSError:
            parts.append(None)
        else:
            parts.append((stat.st_mtime_ns, stat.st_size))
    return tuple(parts)


def _cached(key: tuple, compute):
    # Consent counts as of now: a withdrawal must not wait for the store to change.
    key = (_store_version(), withdrawn_ids(), *key)
    with _lock:
        if key in _cache:
            return _cache[key]
    value = compute()
    with _lock:
        if len(_cache) >= _CACHE_ENTRIES:
            _cache.clear()
        _cache[key] = value
    return value


def measures_cache_clear() -> None:
    """Forget cached results (tests; the cache notices store changes by itself)."""
    with _lock:
        _cache.clear()


def _end_of(day: dt.date) -> dt.datetime:
    end = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=dt.UTC)
    return min(end, timezone.now()) if day >= timezone.now().date() else end


def _read_events(start: dt.date | None, end: dt.date | None, kinds: tuple[str, ...] | None):
    table = get_event_store().events()
    mask = None

    def both(a, b):
        return b if a is None else pc.and_(a, b)

    if start is not None:
        moment = pa.scalar(
            dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC), pa.timestamp("us", "UTC")
        )
        mask = both(mask, pc.greater_equal(table["occurred_at"], moment))
    if end is not None:
        moment = pa.scalar(
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC),
            pa.timestamp("us", "UTC"),
        )
        mask = both(mask, pc.less(table["occurred_at"], moment))
    if kinds is not None:
        mask = both(mask, pc.is_in(table["channel"], value_set=pa.array(list(kinds))))
    if mask is not None:
        table = table.filter(mask)
    columns = ["occurred_at", "channel", "sender_id", "recipient_ids", "duration_minutes"]
    records = []
    for row in table.select(columns).to_pylist():
        if row["channel"] not in INTERACTION_KINDS:
            continue
        try:
            records.append(Interaction.from_event(row))
        except ValueError:
            # An event the engine cannot read as an interaction (one person only,
            # an introduction without its introducer): it carries no relationship.
            continue
    return tuple(records)


def interactions_between(
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    people: Collection[int] | None = None,
    kinds: Iterable[str] | None = None,
) -> list[Interaction]:
    """Events from ``start`` to ``end`` (inclusive UTC days; open when None) as
    interactions, oldest first.

    ``people`` keeps those in which at least one of them took part; ``kinds``
    keeps those channels (e.g. :data:`HOURS_KINDS`: e-mail and chat carry no
    time invested). Events that are not a relationship (one person only) are
    skipped.
    """
    key_kinds = None if kinds is None else tuple(sorted(set(kinds)))
    records = _cached(
        ("events", start, end, key_kinds), lambda: _read_events(start, end, key_kinds)
    )
    if people is None:
        return list(records)
    wanted = set(people)
    return [i for i in records if wanted.intersection(i.people)]


def _strengths(day: dt.date, people: tuple[int, ...] | None) -> dict[tuple[int, int], float]:
    as_of = _end_of(day)
    weights = strength_weights()
    table = aggregate_ties(
        get_event_store(), as_of=as_of, half_life_days=weights.half_life_days, people=people
    )
    consenting = set(Person.objects.filter(analytics_consent=True).values_list("id", flat=True))
    closeness = {
        pair: value
        for pair, value in declared_closeness(None if people is None else list(people)).items()
        if pair[0] in consenting and pair[1] in consenting
    }
    strengths = {}
    for score in score_ties(table, as_of=as_of, weights=weights, closeness=closeness):
        a, b = int(score.person_a), int(score.person_b)
        if a in consenting and b in consenting and score.strength > 0:
            strengths[(a, b)] = min(1.0, float(score.strength))
    return strengths


def strengths_at(day: dt.date) -> dict[tuple[int, int], float]:
    """Every tie's strength at the end of ``day`` (UTC; today: now), keyed by
    ``(smaller id, larger id)``; pairs without a tie are absent."""
    return _cached(("strengths", day, None), lambda: _strengths(day, None))


def strengths_of(person_id: int, day: dt.date) -> dict[int, float]:
    """``person_id``'s ties at the end of ``day``: other person → strength
    (aggregated for this person only, so one person's page stays quick)."""
    found = {}
    pairs = _cached(("strengths", day, (person_id,)), lambda: _strengths(day, (int(person_id),)))
    for (a, b), strength in pairs.items():
        if a == person_id:
            found[b] = strength
        elif b == person_id:
            found[a] = strength
    return found
