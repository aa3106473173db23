"""Each hard constraint on its own, the vectorized check against the one-pair definition,
and validation of profiles and settings."""

import math
import random
import re

import pytest

from bridgework.core.matching import (
    Constraints,
    MenteeProfile,
    MentorProfile,
    Weights,
    allowed_matrix,
    time_zone_difference,
    violations,
)
from bridgework.core.matching.profiles import check_pool
from bridgework.core.matching.tests.pools import random_pool

MENTEE = MenteeProfile(1, utc_offset_hours=1.0)


def test_a_plain_pair_is_allowed():
    assert violations(MENTEE, MentorProfile(2, utc_offset_hours=-3.0)) == []


@pytest.mark.parametrize(
    ("mentee", "mentor", "expected"),
    [
        (MENTEE, MentorProfile(1), "the mentor is the mentee themself"),
        (MENTEE, MentorProfile(2, capacity=0), "the mentor has no capacity"),
        (
            MenteeProfile(1, reporting_line={7, 2}),
            MentorProfile(2),
            "the mentor is in the mentee's reporting line",
        ),
        (
            MENTEE,
            MentorProfile(2, reporting_line={1}),
            "the mentee is in the mentor's reporting line",
        ),
        (MenteeProfile(1, excluded={2}), MentorProfile(2), "the mentee excluded this mentor"),
        (MENTEE, MentorProfile(2, excluded={1}), "the mentor excluded this mentee"),
        (MenteeProfile(1, previous_mentors={2}), MentorProfile(2), "they were paired before"),
        (
            MenteeProfile(1, utc_offset_hours=-8),
            MentorProfile(2, utc_offset_hours=1),
            "their time zones are 9 hours apart, more than the 6-hour window",
        ),
    ],
)
def test_each_hard_constraint_is_named(mentee, mentor, expected):
    assert violations(mentee, mentor) == [expected]


def test_several_violations_are_all_named_in_order():
    mentee = MenteeProfile(1, reporting_line={2}, excluded={2}, utc_offset_hours=9)
    assert violations(mentee, MentorProfile(2, capacity=0, utc_offset_hours=-3)) == [
        "the mentor has no capacity",
        "the mentor is in the mentee's reporting line",
        "the mentee excluded this mentor",
        "their time zones are 12 hours apart, more than the 6-hour window",
    ]


def test_repeat_pairing_and_time_zone_are_configurable():
    mentee = MenteeProfile(1, previous_mentors={2}, utc_offset_hours=-8)
    mentor = MentorProfile(2, utc_offset_hours=1)
    assert violations(mentee, mentor, constraints=Constraints(allow_repeat_pairing=True)) == [
        "their time zones are 9 hours apart, more than the 6-hour window"
    ]
    assert violations(
        mentee, mentor, constraints=Constraints(max_time_zone_difference_hours=9)
    ) == ["they were paired before"]
    relaxed = Constraints(max_time_zone_difference_hours=None, allow_repeat_pairing=True)
    assert violations(mentee, mentor, constraints=relaxed) == []


@pytest.mark.parametrize(
    ("a", "b", "hours"),
    [(0, 6, 6), (0, 6.5, 6.5), (-8, 1, 9), (-10, 12, 2), (-12, 14, 2), (5.5, -3.5, 9), (3, 3, 0)],
)
def test_time_zone_difference_is_on_the_24_hour_clock(a, b, hours):
    assert time_zone_difference(a, b) == pytest.approx(hours, abs=1e-12)
    assert time_zone_difference(b, a) == pytest.approx(hours, abs=1e-12)


def test_window_edge_is_allowed():
    mentor = MentorProfile(2, utc_offset_hours=7)
    assert violations(MENTEE, mentor) == []  # exactly 6 hours
    assert violations(MENTEE, MentorProfile(2, utc_offset_hours=7.5)) != []


def test_allowed_matrix_equals_violations_on_random_pools():
    rng = random.Random(7)
    for trial in range(40):
        mentees, mentors = random_pool(rng, rng.randint(0, 8), rng.randint(0, 6))
        constraints = Constraints(
            max_time_zone_difference_hours=rng.choice([None, 3.0, 6.0]),
            allow_repeat_pairing=trial % 2 == 0,
        )
        allowed = allowed_matrix(mentees, mentors, constraints=constraints)
        expected = [
            [not violations(mentee, mentor, constraints=constraints) for mentor in mentors]
            for mentee in mentees
        ]
        assert allowed.tolist() == expected


# -- validation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: MentorProfile(3, capacity=-1),
            "mentor 3: capacity must be an integer >= 0, not -1",
        ),
        (
            lambda: MentorProfile(3, capacity=1.5),  # type: ignore[arg-type]  # wrong on purpose
            "capacity must be an integer >= 0",
        ),
        (
            lambda: MentorProfile(3, utc_offset_hours=math.nan),
            "utc_offset_hours must be in [-12, 14]",
        ),
        (lambda: MenteeProfile(3, utc_offset_hours=15), "utc_offset_hours must be in [-12, 14]"),
        (lambda: MentorProfile(3, group_reach={"Legal": math.nan}), "group_reach['Legal']"),
        (lambda: MentorProfile(3, group_reach={"Legal": 1.5}), "must be in [0, 1]"),
        (lambda: MentorProfile(3, behavior_levels={"listening": 6}), "must be in [1, 5]"),
        (lambda: MenteeProfile(3, behavior_levels={"listening": 0}), "must be in [1, 5]"),
        (lambda: MenteeProfile(3, wants_to_grow={"listening": 0}), "priorities must be > 0"),
        (lambda: MenteeProfile(3, wants_to_grow={"listening": math.nan}), "wants_to_grow"),
        (
            lambda: MenteeProfile(3, skills_wanted="SQL"),  # type: ignore[arg-type]  # on purpose
            "a bare string is ambiguous",
        ),
        (
            lambda: MenteeProfile(3, reporting_line={"boss"}),  # type: ignore[arg-type]  # as above
            "integer person ids",
        ),
        (
            lambda: MenteeProfile("3"),  # type: ignore[arg-type]  # a string id on purpose
            "person_id must be an integer",
        ),
        (lambda: Weights(0, 0, 0, 0), "at least one weight must be positive"),
        (lambda: Weights(behavior=-1), "weights: behavior must be in [0, inf]"),
        (lambda: Weights(network=math.nan), "weights: network must be in [0, inf]"),
        (lambda: Constraints(max_time_zone_difference_hours=-1), "max_time_zone_difference_hours"),
    ],
)
def test_invalid_input_raises_a_clear_value_error(build, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        build()


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match=r"duplicate mentor ids: \[2\]"):
        check_pool([MENTEE], [MentorProfile(2), MentorProfile(2)])
    with pytest.raises(ValueError, match="every mentee must be a MenteeProfile"):
        check_pool([MentorProfile(2)], [])  # type: ignore[list-item]  # a mentor on purpose


def test_collections_are_frozen_copies():
    levels = {"listening": 3}
    mentee = MenteeProfile(1, behavior_levels=levels, skills_wanted=["SQL", "SQL"])  # type: ignore[arg-type]  # lists work too
    levels["listening"] = 5
    assert mentee.behavior_levels["listening"] == 3.0
    assert mentee.skills_wanted == frozenset({"SQL"})
    with pytest.raises(TypeError):
        mentee.behavior_levels["listening"] = 1  # type: ignore[index]  # read-only: the test


def test_profiles_hash_by_id_and_compare_by_value():
    assert len({MenteeProfile(1), MenteeProfile(1), MenteeProfile(2)}) == 2
    assert MentorProfile(1, capacity=2) != MentorProfile(1, capacity=3)
    assert hash(MentorProfile(1, capacity=2)) == hash(MentorProfile(1, capacity=3))
