"""Tie strength: the formula worked by hand, bands, trends and explanations."""

import datetime as dt
import math
import random

import pandas as pd
import pyarrow as pa
import pytest

from bridgework.core.events.ties import TIE_FEATURE_SCHEMA
from bridgework.core.relationships.strength import (
    StrengthWeights,
    TieScore,
    score_tie,
    score_ties,
    strength_array,
)

UTC = dt.UTC
AS_OF = dt.datetime(2026, 6, 30, tzinfo=UTC)


def ago(days):
    return AS_OF - dt.timedelta(days=days)


def features(**values):
    row = dict(person_a=1, person_b=2)
    row.update(values)
    return row


# 10 events in all: 2 meetings, 6 e-mails, 2 chats; 8 one-to-one; 3 messages 1->2,
# 5 messages 2->1, 2 replies; last contact (a meeting) 9 days ago; decayed weight 5.
BUSY = features(
    events=10, emails=6, meetings=2, chats=2, one_to_one=8, group_events=2,
    a_to_b=3, b_to_a=5, two_way_events=2, replies=2, recent_events=6, previous_events=4,
    first_contact=ago(200), last_contact=ago(9), last_two_way=ago(9), decayed_weight=5.0,
)  # fmt: skip


def test_score_worked_by_hand():
    score = score_tie(BUSY, as_of=AS_OF)
    recency = 0.5 ** (9 / 90)  # 0.933033
    frequency = math.log(6) / math.log(21)  # 1.791759 / 3.044522 = 0.588519
    reciprocity = 1.0  # (2 two-way + 2 * min(3, 5) + 2 replies) / 10 = 1.0, capped
    channel = (1.0 * 2 + 0.6 * 6 + 0.4 * 2) / 10  # 0.64
    one_to_one = 8 / 10
    expected = (
        0.25 * recency
        + 0.35 * frequency
        + frequency * (0.20 * reciprocity + 0.10 * channel + 0.10 * one_to_one)
    )  # 0.233258 + 0.205982 + 0.588519 * 0.344 (0.202451) = 0.641690
    assert score.strength == pytest.approx(expected, abs=1e-12)
    assert round(score.strength, 6) == 0.64169
    assert score.components["recency"] == pytest.approx(recency, abs=1e-12)
    assert score.components["frequency"] == pytest.approx(frequency, abs=1e-12)
    assert score.components["channel"] == pytest.approx(0.64, abs=1e-12)
    assert score.components["reciprocity"] == 1.0
    assert score.components["closeness"] is None
    assert score.components["span_days"] == 191.0
    assert (score.person_a, score.person_b, score.band, score.trend) == (1, 2, "strong", "rising")
    assert score.last_contact == ago(9)
    assert score.explanation == (
        "0.64: 2 meetings, 6 e-mails and 2 chats, 6 in the last 90 days, last met 9 days ago"
    )


def test_declared_closeness_is_blended_in():
    score = score_tie(BUSY, as_of=AS_OF, closeness=4)
    # 0.6 * 0.641690 + 0.4 * (4 - 1) / 4 = 0.385014 + 0.3 = 0.685014
    assert round(score.strength, 6) == 0.685014
    assert score.components["closeness"] == 0.75
    assert score.explanation.startswith("0.69: declared close (4/5), 2 meetings")


def test_a_declared_tie_without_events_scores_from_closeness_alone():
    score = score_tie({"person_a": 3, "person_b": 9}, as_of=AS_OF, closeness=4)
    assert score.strength == pytest.approx(0.3)  # 0.4 * 3/4
    assert (score.band, score.trend, score.last_contact) == ("occasional", "steady", None)
    assert score.explanation == "0.30: declared close (4/5), no contact recorded"
    assert score_tie({"person_a": 3, "person_b": 9}, as_of=AS_OF).strength == 0.0


def test_one_email_yesterday_is_occasional():
    row = features(
        events=1, emails=1, one_to_one=1, a_to_b=1, recent_events=1,
        first_contact=ago(1), last_contact=ago(1), decayed_weight=0.6 * 0.5 ** (1 / 90),
    )  # fmt: skip
    score = score_tie(row, as_of=AS_OF)
    # 0.25 * 0.992327 + 0.35 * F + F * (0 + 0.1 * 0.6 + 0.1 * 1), F = ln(1.595396) / ln(21)
    f = math.log1p(0.6 * 0.5 ** (1 / 90)) / math.log(21)
    assert score.strength == pytest.approx(0.25 * 0.5 ** (1 / 90) + 0.35 * f + 0.16 * f)
    assert score.band == "occasional"
    assert score.explanation == "0.33: 1 one-way e-mail in the last 90 days, last contact yesterday"


def test_group_chats_long_ago():
    row = features(
        events=2, chats=2, group_events=2, a_to_b=2, first_contact=ago(211),
        last_contact=ago(210), decayed_weight=0.04,
    )  # fmt: skip
    score = score_tie(row, as_of=AS_OF)
    # 0.25 * 0.5 ** (210/90) + 0.35 * F + F * 0.1 * 0.4, F = ln(1.04) / ln(21) = 0.012882
    # = 0.049606 + 0.004509 + 0.000515 = 0.054630
    assert round(score.strength, 6) == 0.05463
    assert (score.band, score.trend) == ("dormant", "steady")
    assert score.explanation == "0.05: 2 group chats, last contact 7 months ago"


@pytest.mark.parametrize(
    ("values", "text"),
    [
        (
            dict(emails=3, a_to_b=1, b_to_a=1, meetings=1, one_to_one=4, recent_events=1,
                 last_contact=ago(3), last_two_way=ago(38)),
            "1 meeting and 3 e-mails, 1 in the last 90 days, last contact 3 days ago, "
            "last met 5 weeks ago",
        ),
        (
            dict(calls=2, two_way_events=2, one_to_one=2, last_contact=ago(400),
                 last_two_way=ago(400)),
            "2 calls, last spoke 1 year ago",
        ),
        (
            dict(emails=1, chats=1, a_to_b=1, b_to_a=1, one_to_one=2, last_contact=ago(800)),
            "1 e-mail and 1 chat, last contact 2 years ago",
        ),
        (
            dict(introductions=1, others=1, two_way_events=1, a_to_b=1, one_to_one=2,
                 recent_events=2, last_contact=ago(0.4), last_two_way=ago(0.4)),
            "1 introduction and 1 other contact in the last 90 days, last met today",
        ),
        (
            dict(meetings=2, group_events=2, two_way_events=2, recent_events=2,
                 last_contact=ago(20), last_two_way=ago(20)),
            "2 group meetings in the last 90 days, last met 2 weeks ago",
        ),
    ],
)  # fmt: skip
def test_explanations(values, text):
    counts = ("emails", "meetings", "calls", "chats", "introductions", "others")
    row = features(events=sum(values.get(name, 0) for name in counts), **values)
    score = score_tie(row, as_of=AS_OF)
    assert score.explanation == f"{score.strength:.2f}: {text}"


@pytest.mark.parametrize(
    ("recent", "previous", "days", "events", "trend"),
    [
        (3, 2, 1, 5, "rising"),  # 3 >= 1.5 * 2
        (2, 0, 1, 2, "rising"),  # new and active
        (1, 0, 1, 1, "steady"),  # a single event is not a rise
        (2, 2, 1, 4, "steady"),
        (2, 3, 1, 5, "steady"),  # 2 > 0.5 * 3
        (1, 2, 1, 3, "cooling"),  # 1 <= 0.5 * 2
        (0, 1, 100, 1, "steady"),  # one previous event: too little to call
        (0, 0, 181, 3, "cooling"),  # silent for more than two half-lives
        (0, 0, 180, 3, "steady"),  # exactly two half-lives
        (0, 0, 400, 2, "steady"),  # never really active
    ],
)
def test_trends(recent, previous, days, events, trend):
    row = features(
        events=events, emails=events, one_to_one=events, a_to_b=events,
        recent_events=recent, previous_events=previous, last_contact=ago(days),
        decayed_weight=1.0,
    )  # fmt: skip
    assert score_tie(row, as_of=AS_OF).trend == trend


def test_bands_at_their_thresholds():
    weights = StrengthWeights()
    assert [weights.band(v) for v in (1.0, 0.6, 0.5999, 0.35, 0.3499, 0.15, 0.1499, 0.0)] == [
        "strong", "strong", "regular", "regular", "occasional", "occasional", "dormant", "dormant",
    ]  # fmt: skip
    # Through score_tie: a declaration of 5/5 alone scores exactly closeness_blend.
    for blend, band in ((0.6, "strong"), (0.35, "regular"), (0.15, "occasional"), (0.1, "dormant")):
        weights = StrengthWeights(closeness_blend=blend)
        score = score_tie({"person_a": 1, "person_b": 2}, as_of=AS_OF, weights=weights, closeness=5)
        assert (score.strength, score.band) == (blend, band)


def test_weights_from_settings():
    weights = StrengthWeights.from_mapping(
        {"recency": 0.3, "frequency": 0.3, "half_life_days": "60", "strong": 0.7}
    )
    assert (weights.recency, weights.half_life_days, weights.strong) == (0.3, 60.0, 0.7)
    assert StrengthWeights.from_mapping(None) == StrengthWeights()
    with pytest.raises(ValueError, match="unknown tie-strength setting"):
        StrengthWeights.from_mapping({"recncy": 0.3})
    with pytest.raises(ValueError, match="must sum to 1"):
        StrengthWeights.from_mapping({"recency": 0.5})
    with pytest.raises(ValueError, match="thresholds"):
        StrengthWeights(regular=0.7)
    with pytest.raises(ValueError, match="must be a number"):
        StrengthWeights.from_mapping({"strong": "high"})


def test_the_half_life_sets_recency():
    weights = StrengthWeights(half_life_days=9)
    assert score_tie(BUSY, as_of=AS_OF, weights=weights).components["recency"] == 0.5


def test_bad_inputs():
    with pytest.raises(ValueError, match="closeness"):
        score_tie(BUSY, as_of=AS_OF, closeness=6)
    with pytest.raises(ValueError, match="timezone-aware"):
        score_tie(BUSY, as_of=dt.datetime(2026, 6, 30))


def test_score_ties_over_tables_frames_and_rows():
    other = features(person_a=2, person_b=5, events=1, emails=1, one_to_one=1, a_to_b=1,
                     last_contact=ago(30), decayed_weight=0.4)  # fmt: skip
    rows = [BUSY, other]
    table = pa.Table.from_pylist(
        [{name: row.get(name) for name in TIE_FEATURE_SCHEMA.names} for row in rows],
        schema=TIE_FEATURE_SCHEMA,
    )
    closeness = {(2, 1): 4, (7, 3): 5}  # either order; (3, 7) has no events
    expected = [
        score_tie(BUSY, as_of=AS_OF, closeness=4),
        score_tie(other, as_of=AS_OF),
        score_tie({"person_a": 3, "person_b": 7}, as_of=AS_OF, closeness=5),
    ]
    for source in (rows, table, table.to_pandas()):
        scores = score_ties(source, as_of=AS_OF, closeness=closeness)
        assert all(isinstance(s, TieScore) for s in scores)
        assert [(s.person_a, s.person_b, s.explanation) for s in scores] == [
            (s.person_a, s.person_b, s.explanation) for s in expected
        ]
        assert [s.strength for s in scores] == pytest.approx([s.strength for s in expected])


def test_pandas_missing_values_are_missing():
    frame = pd.DataFrame([dict(BUSY, last_two_way=None)])
    frame["last_two_way"] = pd.to_datetime(frame["last_two_way"], utc=True)  # NaT
    [score] = score_ties(frame, as_of=AS_OF)
    assert score.explanation.endswith("last contact 9 days ago")


def test_strength_array_matches_score_tie():
    rng = random.Random(7)
    rows = []
    for index in range(300):
        counts = {name: rng.randint(0, 6) for name in ("emails", "meetings", "calls", "chats")}
        events = sum(counts.values()) or 1
        counts["others"] = events - sum(counts.values())
        one_way = counts["emails"] + counts["chats"]
        a_to_b = rng.randint(0, one_way)
        last = ago(rng.uniform(0, 400))
        rows.append(
            dict(
                person_a=index, person_b=index + 1, events=events, introductions=0,
                one_to_one=rng.randint(0, events), group_events=0, a_to_b=a_to_b,
                b_to_a=one_way - a_to_b, two_way_events=events - one_way,
                replies=rng.randint(0, one_way), first_contact=last, last_contact=last,
                last_two_way=None, recent_events=0, previous_events=0, meeting_minutes=0,
                decayed_weight=rng.uniform(0, 40), **counts,
            )
        )  # fmt: skip
    table = pa.Table.from_pylist(rows, schema=TIE_FEATURE_SCHEMA)
    vectorized = strength_array(table, as_of=AS_OF)
    one_by_one = [score_tie(row, as_of=AS_OF).strength for row in rows]
    assert vectorized.tolist() == pytest.approx(one_by_one, abs=1e-12)
