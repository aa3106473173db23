"""Tie strength 0-1, its band, trend and a plain-language explanation.

INTERFACE (implemented by the tie-strength work; other code relies on it):

``StrengthWeights`` — frozen dataclass of the formula's weights (configurable
per deployment), including ``half_life_days`` (90) and the band thresholds.

``TieScore`` — frozen dataclass: ``person_a``, ``person_b``, ``strength``
(0-1), ``band`` (``strong``/``regular``/``occasional``/``dormant``), ``trend``
(``rising``/``steady``/``cooling``), ``explanation`` (str, e.g. "0.72: 14
two-way e-mails in the last 90 days, last met 5 days ago"), ``last_contact``
(datetime | None), ``components`` (dict of the formula's parts).

``score_tie(features: Mapping, *, as_of, weights=StrengthWeights(), closeness=None) -> TieScore``
scores one row of ``aggregate_ties``; ``closeness`` is a declared 1-5 or None.

``score_ties(table_or_rows, *, as_of, weights=StrengthWeights(), closeness: Mapping[(a, b), int] = {}) -> list[TieScore]``

The formula
-----------
From one row of :func:`bridgework.core.events.ties.aggregate_ties` (``n``
events, last contact ``d`` days before ``as_of``, decayed weight ``w``)::

    recency      R = 0.5 ** (d / half_life)                      (0 without contact)
    frequency    F = min(1, ln(1 + w) / ln(1 + frequency_saturation))
    reciprocity  P = min(1, (two_way_events + 2 * min(a_to_b, b_to_a) + replies) / n)
    channel      C = sum over channels of CHANNEL_WEIGHTS[channel] * count / n
    one-to-one   O = one_to_one / n

    behaviour    B = w_R * R + w_F * F + F * (w_P * P + w_C * C + w_O * O)
    strength     S = (1 - closeness_blend) * B + closeness_blend * (closeness - 1) / 4
                     when a closeness (1-5) is declared, else S = B

The weights ``w_*`` sum to 1, so ``S`` lies in [0, 1]. Recency and frequency
are the recency-frequency core of relationship-intelligence scores; the
*kind* of contact (reciprocal, rich channel, one-to-one) counts in proportion
to how much contact there is (the factor ``F``), so one e-mail yesterday is an
occasional tie, not a strong one, and a tie that was close but has gone quiet
loses its quality bonus as it fades. Bands: ``strong`` from 0.60, ``regular``
from 0.35, ``occasional`` from 0.15, else ``dormant``. ``docs/metrics/tie-strength.md``
gives the reasoning and the published work it draws on (Granovetter 1973;
Marsden & Campbell 1984; Gilbert & Karahalios 2009).

>>> import datetime as dt
>>> as_of = dt.datetime(2026, 6, 30, tzinfo=dt.timezone.utc)
>>> score = score_tie(
...     dict(person_a=1, person_b=2, events=4, meetings=1, emails=3, one_to_one=4,
...          a_to_b=2, b_to_a=1, two_way_events=1, replies=1, recent_events=4,
...          last_contact=dt.datetime(2026, 6, 25, tzinfo=dt.timezone.utc),
...          last_two_way=dt.datetime(2026, 6, 25, tzinfo=dt.timezone.utc),
...          decayed_weight=2.5),
...     as_of=as_of)
>>> score.explanation
'0.54: 1 meeting and 3 two-way e-mails in the last 90 days, last met 5 days ago'
>>> score.band, score.trend
('regular', 'rising')
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, SupportsFloat, SupportsIndex, SupportsInt, TypeAlias, cast

import numpy as np
import pyarrow as pa
from numpy.typing import DTypeLike

from bridgework.core.events.ties import CHANNEL_WEIGHTS, RECENT_WINDOW_DAYS, as_of_datetime

if TYPE_CHECKING:
    import pandas as pd

#: One tie's features: a row of ``aggregate_ties`` as a dict or a pandas row.
Features = Mapping[str, object]

__all__ = [
    "BANDS",
    "TRENDS",
    "StrengthWeights",
    "TieScore",
    "score_tie",
    "score_ties",
    "strength_array",
]

BANDS = ("strong", "regular", "occasional", "dormant")
TRENDS = ("rising", "steady", "cooling")

_BLEND_PARTS = ("recency", "frequency", "reciprocity", "channel", "one_to_one")
#: Channel columns of the tie features with their weight in the channel part.
_CHANNEL_COLUMNS = (
    ("meetings", CHANNEL_WEIGHTS["meeting"]),
    ("calls", CHANNEL_WEIGHTS["call"]),
    ("introductions", CHANNEL_WEIGHTS["introduction"]),
    ("emails", CHANNEL_WEIGHTS["email"]),
    ("chats", CHANNEL_WEIGHTS["chat"]),
    ("others", CHANNEL_WEIGHTS["other"]),
)
_CLOSENESS_WORDS = {
    1: "declared distant",
    2: "declared not close",
    3: "declared somewhat close",
    4: "declared close",
    5: "declared very close",
}


@dataclass(frozen=True)
class StrengthWeights:
    """Weights and thresholds of the tie-strength formula.

    ``recency`` + ``frequency`` + ``reciprocity`` + ``channel`` + ``one_to_one``
    must sum to 1. ``closeness_blend`` is the share of a declared closeness in
    the score (0: ignore declarations, 1: only declarations).
    ``frequency_saturation`` is the decayed weight at which frequency reaches 1
    (20: about a weekly one-to-one meeting kept up for months, whose decayed
    weight settles at ``1 / (1 - 0.5 ** (7 / 90))`` = 19.3).
    A deployment overrides any of them with :meth:`from_mapping`.
    """

    recency: float = 0.25
    frequency: float = 0.35
    reciprocity: float = 0.20
    channel: float = 0.10
    one_to_one: float = 0.10
    closeness_blend: float = 0.40
    half_life_days: float = 90.0
    frequency_saturation: float = 20.0
    strong: float = 0.60
    regular: float = 0.35
    occasional: float = 0.15

    def __post_init__(self) -> None:
        for item in dataclasses.fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{item.name} must be a number, got {value!r}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{item.name} must be a non-negative number, got {value!r}")
        total = sum(getattr(self, name) for name in _BLEND_PARTS)
        if abs(total - 1.0) > 1e-9:
            raise ValueError(
                f"recency + frequency + reciprocity + channel + one_to_one must sum to 1, "
                f"got {total:g}"
            )
        if self.closeness_blend > 1:
            raise ValueError(f"closeness_blend must be between 0 and 1, got {self.closeness_blend}")
        if self.half_life_days <= 0 or self.frequency_saturation <= 0:
            raise ValueError("half_life_days and frequency_saturation must be positive")
        if not (1 >= self.strong >= self.regular >= self.occasional >= 0):
            raise ValueError(
                "band thresholds must satisfy 1 >= strong >= regular >= occasional >= 0"
            )

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any] | None) -> StrengthWeights:
        """Defaults overridden by ``mapping`` (e.g. a deployment setting).

        >>> StrengthWeights.from_mapping({"half_life_days": 60}).half_life_days
        60.0
        """
        mapping = dict(mapping or {})
        known = {item.name for item in dataclasses.fields(cls)}
        unknown = sorted(set(mapping) - known)
        if unknown:
            raise ValueError(
                f"unknown tie-strength setting(s) {', '.join(unknown)} "
                f"(expected some of {', '.join(sorted(known))})"
            )
        values: dict[str, float] = {}
        for name, value in mapping.items():
            try:
                values[name] = float(value)
            except (TypeError, ValueError):
                raise ValueError(f"{name} must be a number, got {value!r}") from None
        return cls(**values)

    def band(self, strength: float) -> str:
        """The band of a strength value."""
        if strength >= self.strong:
            return "strong"
        if strength >= self.regular:
            return "regular"
        if strength >= self.occasional:
            return "occasional"
        return "dormant"


@dataclass(frozen=True)
class TieScore:
    """The strength of one tie with what it is made of."""

    person_a: int
    person_b: int
    strength: float
    band: str
    trend: str
    explanation: str
    last_contact: dt.datetime | None
    components: dict[str, float | None] = field(default_factory=dict)


# ---------------------------------------------------------------------- inputs


def _count(features: Features, name: str) -> int:
    """A count; missing values (None, NaN, pandas' NA) are 0."""
    value = features.get(name)
    if not isinstance(value, SupportsInt | SupportsIndex | str):
        return 0
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _number(features: Features, name: str) -> float:
    value = features.get(name)
    if not isinstance(value, SupportsFloat | SupportsIndex | str):
        return 0.0
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(number) else number


def _person_id(features: Features, name: str) -> int:
    value = features[name]
    if not isinstance(value, SupportsInt | SupportsIndex | str):
        raise TypeError(f"{name} must be a person id, got {value!r}")
    return int(value)


def _moment(value: object) -> dt.datetime | None:
    if value is None:
        return None
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp; NaT is "not a time"
        if value != value:
            return None
        value = value.to_pydatetime()
    if isinstance(value, float) and math.isnan(value):
        return None
    if not isinstance(value, dt.datetime):
        raise TypeError(f"expected a datetime, got {value!r}")
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _days(earlier: dt.datetime | None, later: dt.datetime) -> float | None:
    if earlier is None:
        return None
    return max(0.0, (later - earlier).total_seconds() / 86_400)


# ---------------------------------------------------------------------- the score


def score_tie(
    features: Features,
    *,
    as_of: dt.datetime | dt.date,
    weights: StrengthWeights | None = None,
    closeness: int | None = None,
) -> TieScore:
    """Score one tie from its features (a row of ``aggregate_ties``).

    Parameters
    ----------
    features : mapping
        A row of :func:`~bridgework.core.events.ties.aggregate_ties` (dict,
        pandas row); missing counts are 0 and missing times ``None``, so a
        declared tie without events can pass just ``person_a`` and ``person_b``.
    as_of : datetime (timezone-aware) or date
        The moment scored; use the ``as_of`` of the aggregation (a date means
        the end of that day, UTC).
    weights : StrengthWeights, optional
        The formula's weights; pass the same ``half_life_days`` as the
        aggregation's.
    closeness : int 1-5, optional
        The closeness the person declared; blended in with ``closeness_blend``.
        A declaration does not decay: people update it.

    Returns
    -------
    TieScore
        ``components`` holds the formula's parts (``recency``, ``frequency``,
        ``reciprocity``, ``channel``, ``one_to_one``, ``behavior``,
        ``closeness``: the declared value scaled to 0-1 or ``None``) and the
        inputs nudges need (``events``, ``recent_events``, ``previous_events``,
        ``days_since_contact``, ``span_days``: days from first to last contact).
    """
    weights = weights or StrengthWeights()
    moment = as_of_datetime(as_of)
    if closeness is not None:
        if isinstance(closeness, bool) or int(closeness) != closeness or not 1 <= closeness <= 5:
            raise ValueError(f"closeness must be an integer from 1 to 5, got {closeness!r}")
        closeness = int(closeness)

    events = _count(features, "events")
    last_contact = _moment(features.get("last_contact"))
    first_contact = _moment(features.get("first_contact")) or last_contact
    last_two_way = _moment(features.get("last_two_way"))
    days_since = _days(last_contact, moment)

    if events > 0:
        recency = 0.0 if days_since is None else 0.5 ** (days_since / weights.half_life_days)
        frequency = min(
            1.0,
            math.log1p(max(_number(features, "decayed_weight"), 0.0))
            / math.log1p(weights.frequency_saturation),
        )
        mutual = (
            _count(features, "two_way_events")
            + 2 * min(_count(features, "a_to_b"), _count(features, "b_to_a"))
            + _count(features, "replies")
        )
        reciprocity = min(1.0, mutual / events)
        channel = min(1.0, sum(w * _count(features, name) for name, w in _CHANNEL_COLUMNS) / events)
        one_to_one = min(1.0, _count(features, "one_to_one") / events)
    else:
        recency = frequency = reciprocity = channel = one_to_one = 0.0

    behavior = (
        weights.recency * recency
        + weights.frequency * frequency
        + frequency
        * (
            weights.reciprocity * reciprocity
            + weights.channel * channel
            + weights.one_to_one * one_to_one
        )
    )
    declared = None if closeness is None else (closeness - 1) / 4
    if declared is None:
        strength = behavior
    else:
        strength = (1 - weights.closeness_blend) * behavior + weights.closeness_blend * declared
    strength = min(1.0, max(0.0, strength))

    recent = _count(features, "recent_events")
    previous = _count(features, "previous_events")
    trend = _trend(
        events=events,
        recent=recent,
        previous=previous,
        days_since=days_since,
        half_life_days=weights.half_life_days,
    )
    components: dict[str, float | None] = {
        "recency": recency,
        "frequency": frequency,
        "reciprocity": reciprocity,
        "channel": channel,
        "one_to_one": one_to_one,
        "behavior": behavior,
        "closeness": declared,
        "events": float(events),
        "recent_events": float(recent),
        "previous_events": float(previous),
        "days_since_contact": days_since,
        "span_days": _days(first_contact, last_contact) if last_contact else None,
    }
    return TieScore(
        person_a=_person_id(features, "person_a"),
        person_b=_person_id(features, "person_b"),
        strength=strength,
        band=weights.band(strength),
        trend=trend,
        explanation=_explain(
            features,
            strength=strength,
            closeness=closeness,
            days_since=days_since,
            days_since_two_way=_days(last_two_way, moment),
            last_is_two_way=last_two_way is not None and last_two_way == last_contact,
        ),
        last_contact=last_contact,
        components=components,
    )


def _trend(
    *, events: int, recent: int, previous: int, days_since: float | None, half_life_days: float
) -> str:
    """``rising``: at least 2 recent events and 1.5x the previous window;
    ``cooling``: at most half the previous window (of at least 2), or silent for
    more than two half-lives after at least 3 events; else ``steady``."""
    if recent >= 2 and recent >= 1.5 * previous:
        return "rising"
    if previous >= 2 and recent <= 0.5 * previous:
        return "cooling"
    if events >= 3 and days_since is not None and days_since > 2 * half_life_days:
        return "cooling"
    return "steady"


# ---------------------------------------------------------------------- explanation

_NOUNS = (
    ("meetings", "meeting", "group meeting"),
    ("calls", "call", "group call"),
    ("emails", "e-mail", "group e-mail"),
    ("chats", "chat", "group chat"),
    ("introductions", "introduction", "group introduction"),
    ("others", "other contact", "other group contact"),
)


def _plural(count: int, noun: str) -> str:
    if count == 1:
        return f"1 {noun}"
    head, _, tail = noun.rpartition(" ")
    return f"{count} {head + ' ' if head else ''}{tail}s"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _ago(days: float) -> str:
    whole = int(days)
    if whole == 0:
        return "today"
    if whole == 1:
        return "yesterday"
    if whole < 14:
        return f"{whole} days ago"
    if whole < 60:
        return f"{whole // 7} weeks ago"
    if whole < 365:
        return f"{whole // 30} months ago"
    years = whole // 365
    return "1 year ago" if years == 1 else f"{years} years ago"


def _explain(
    features: Features,
    *,
    strength: float,
    closeness: int | None,
    days_since: float | None,
    days_since_two_way: float | None,
    last_is_two_way: bool,
) -> str:
    parts = []
    if closeness is not None:
        parts.append(f"{_CLOSENESS_WORDS[closeness]} ({closeness}/5)")
    events = _count(features, "events")
    if events == 0:
        parts.append("no contact recorded")
        return f"{strength:.2f}: " + ", ".join(parts)

    all_group = _count(features, "group_events") == events and _count(features, "one_to_one") == 0
    a_to_b, b_to_a = _count(features, "a_to_b"), _count(features, "b_to_a")
    messages = a_to_b + b_to_a
    direction = "two-way" if a_to_b and b_to_a else "one-way"
    items = []
    for column, noun, group_noun in _NOUNS:
        count = _count(features, column)
        if not count:
            continue
        noun = group_noun if all_group else noun
        if not all_group and column in ("emails", "chats") and count == messages:
            noun = f"{direction} {noun}"
        items.append(_plural(count, noun))
    if not items:  # counts per channel missing: say how many events
        items.append(_plural(events, "contact"))
    summary = _and(items)
    recent = _count(features, "recent_events")
    if recent == events:
        summary += f" in the last {RECENT_WINDOW_DAYS} days"
    elif recent:
        summary += f", {recent} in the last {RECENT_WINDOW_DAYS} days"
    parts.append(summary)

    met = "spoke" if _count(features, "meetings") == 0 and _count(features, "calls") else "met"
    if days_since is not None:
        if last_is_two_way:
            parts.append(f"last {met} {_ago(days_since)}")
        else:
            parts.append(f"last contact {_ago(days_since)}")
            if days_since_two_way is not None:
                parts.append(f"last {met} {_ago(days_since_two_way)}")
    return f"{strength:.2f}: " + ", ".join(parts)


# ---------------------------------------------------------------------- many ties


#: What :func:`score_ties` scores: an ``aggregate_ties`` Arrow table, a DataFrame of
#: it, or its rows as mappings.
TieRows: TypeAlias = "pa.Table | pd.DataFrame | Iterable[Features]"


def _rows(table_or_rows: TieRows) -> Iterable[Features]:
    # Duck-typed, so that scoring a list of dicts needs neither Arrow nor pandas loaded.
    rows: Iterable[Features]
    if (to_pylist := getattr(table_or_rows, "to_pylist", None)) is not None:  # pyarrow.Table
        rows = to_pylist()
    elif (to_dict := getattr(table_or_rows, "to_dict", None)) is not None and hasattr(
        table_or_rows, "columns"
    ):  # DataFrame
        rows = to_dict("records")
    else:  # neither of the two: the rows themselves
        rows = cast("Iterable[Features]", table_or_rows)
    return rows


def _closeness_lookup(
    closeness: Mapping[tuple[int, int], int] | None,
) -> dict[tuple[int, int], int]:
    lookup = {}
    for (a, b), value in (closeness or {}).items():
        a, b = int(a), int(b)
        lookup[(min(a, b), max(a, b))] = value
    return lookup


def score_ties(
    table_or_rows: TieRows,
    *,
    as_of: dt.datetime | dt.date,
    weights: StrengthWeights | None = None,
    closeness: Mapping[tuple[int, int], int] | None = None,
) -> list[TieScore]:
    """Score every row of a tie table (Arrow table, DataFrame or mappings).

    ``closeness`` maps a pair (in either order) to its declared 1-5. Declared
    pairs with no row in the table are scored too, from the declaration alone,
    after the table's rows (sorted by pair): a declared tie is a tie.

    >>> import datetime as dt
    >>> [s.explanation for s in score_ties([], as_of=dt.date(2026, 1, 1), closeness={(2, 1): 5})]
    ['0.40: declared very close (5/5), no contact recorded']
    """
    weights = weights or StrengthWeights()
    declared = _closeness_lookup(closeness)
    scores: list[TieScore] = []
    seen: set[tuple[int, int]] = set()
    for row in _rows(table_or_rows):
        a, b = _person_id(row, "person_a"), _person_id(row, "person_b")
        pair = (min(a, b), max(a, b))
        seen.add(pair)
        scores.append(score_tie(row, as_of=as_of, weights=weights, closeness=declared.get(pair)))
    for pair in sorted(set(declared) - seen):
        scores.append(
            score_tie(
                {"person_a": pair[0], "person_b": pair[1]},
                as_of=as_of,
                weights=weights,
                closeness=declared[pair],
            )
        )
    return scores


def strength_array(
    table: pa.Table, *, as_of: dt.datetime | dt.date, weights: StrengthWeights | None = None
) -> np.ndarray:
    """The strength of every row of an ``aggregate_ties`` Arrow table, vectorized.

    The same formula as :func:`score_tie` (without declared closeness) for
    millions of ties at once, e.g. to build the graph for path finding;
    explanations and trends need :func:`score_ties`.
    """
    weights = weights or StrengthWeights()
    moment = as_of_datetime(as_of)

    def column(name: str, dtype: DTypeLike = np.float64) -> np.ndarray:
        values = table[name]
        if pa.types.is_timestamp(values.type):
            values = values.cast(pa.int64())
        return np.asarray(values.to_numpy(zero_copy_only=False), dtype=dtype)

    events = column("events")
    safe = np.maximum(events, 1.0)
    last_us = column("last_contact", np.int64).astype(np.float64)
    as_of_us = (moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) / dt.timedelta(microseconds=1)
    days = np.maximum(0.0, (as_of_us - last_us) / 86_400e6)
    recency = np.where(events > 0, 0.5 ** (days / weights.half_life_days), 0.0)
    frequency = np.minimum(
        1.0,
        np.log1p(np.maximum(column("decayed_weight"), 0.0))
        / math.log1p(weights.frequency_saturation),
    )
    mutual = (
        column("two_way_events")
        + 2 * np.minimum(column("a_to_b"), column("b_to_a"))
        + column("replies")
    )
    reciprocity = np.minimum(1.0, mutual / safe)
    channel = np.minimum(1.0, sum(w * column(name) for name, w in _CHANNEL_COLUMNS) / safe)
    one_to_one = np.minimum(1.0, column("one_to_one") / safe)
    behavior = (
        weights.recency * recency
        + weights.frequency * frequency
        + frequency
        * (
            weights.reciprocity * reciprocity
            + weights.channel * channel
            + weights.one_to_one * one_to_one
        )
    )
    return np.where(events > 0, np.clip(behavior, 0.0, 1.0), 0.0)
