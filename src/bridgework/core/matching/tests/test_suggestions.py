"""Self-matching suggestions: only allowed mentors with places left, best first, explained."""

import random

import pytest

from bridgework.core.matching import (
    Constraints,
    MenteeProfile,
    MentorProfile,
    Weights,
    pair_score,
    ranked_suggestions,
    violations,
)
from bridgework.core.matching.tests.pools import random_pool

ONLY_SKILLS = Weights(behavior=0, network=0, skills=1, preferences=0)
ANA = MenteeProfile(1, skills_wanted={"a", "b", "c", "d"}, reporting_line={14}, excluded={15})
MENTORS = [
    MentorProfile(10, skills={"a"}),  # 1/4
    MentorProfile(11, skills={"a", "b", "c"}),  # 3/4
    MentorProfile(12, skills={"a", "b"}, capacity=3),  # 2/4, three places
    MentorProfile(13, skills={"a", "b"}),  # 2/4, one place
    MentorProfile(14, skills={"a", "b", "c", "d"}),  # Ana's manager: not allowed
    MentorProfile(15, skills={"a", "b", "c", "d"}),  # excluded by Ana
    MentorProfile(16, skills={"a", "b", "c", "d"}, utc_offset_hours=9),  # outside the window
    MentorProfile(17, skills={"x"}),  # nothing in common: score 0
]


def test_ranked_best_first_ties_to_more_places_then_smaller_id():
    suggestions = ranked_suggestions(ANA, MENTORS, weights=ONLY_SKILLS, limit=None)
    assert [(s.rank, s.mentor_id, s.score.total, s.places_left) for s in suggestions] == [
        (1, 11, 0.75, 1),
        (2, 12, 0.5, 3),  # ties with 13, but has three places left
        (3, 13, 0.5, 1),
        (4, 10, 0.25, 1),
    ]


def test_limit_and_remaining_capacity():
    suggestions = ranked_suggestions(
        ANA, MENTORS, weights=ONLY_SKILLS, remaining_capacity={11: 0, 12: 1}, limit=2
    )
    assert [(s.mentor_id, s.places_left) for s in suggestions] == [(12, 1), (13, 1)]
    # a remaining capacity above the mentor's capacity does not add places
    over = ranked_suggestions(ANA, MENTORS, weights=ONLY_SKILLS, remaining_capacity={13: 5})
    assert next(s for s in over if s.mentor_id == 13).places_left == 1


def test_relaxing_the_window_brings_in_the_far_mentor():
    relaxed = Constraints(max_time_zone_difference_hours=None)
    best = ranked_suggestions(ANA, MENTORS, weights=ONLY_SKILLS, constraints=relaxed, limit=1)
    assert [(s.mentor_id, s.score.total) for s in best] == [(16, 1.0)]


def test_each_suggestion_is_explained():
    (first,) = ranked_suggestions(
        ANA, MENTORS, weights=ONLY_SKILLS, limit=1, names={1: "Ana", 11: "Cy"}
    )
    assert (
        first.explanation == "Cy for Ana, score 0.75: shares 3 of Ana's 4 wanted skills (a, b, c)."
    )


def test_suggestions_agree_with_constraints_and_scores_on_random_pools():
    """Expected lists built independently from violations and pair_score."""
    rng = random.Random(3)
    for _ in range(50):
        mentees, mentors = random_pool(rng, 1, rng.randint(0, 8), max_capacity=3)
        mentee = mentees[0]
        remaining = {m.person_id: rng.randint(0, 3) for m in mentors if rng.random() < 0.5}
        got = ranked_suggestions(mentee, mentors, remaining_capacity=remaining, limit=None)
        expected = sorted(
            (
                -pair_score(mentee, m).total,
                -min(m.capacity, remaining.get(m.person_id, m.capacity)),
                m.person_id,
            )
            for m in mentors
            if not violations(mentee, m)
            and min(m.capacity, remaining.get(m.person_id, m.capacity)) > 0
            and pair_score(mentee, m).total > 0
        )
        assert [s.mentor_id for s in got] == [person_id for _, _, person_id in expected]
        assert [s.rank for s in got] == list(range(1, len(got) + 1))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (dict(limit=0), "limit must be at least 1 or None"),
        (dict(remaining_capacity={10: -1}), r"remaining_capacity must be >= 0, see mentors \[10\]"),
    ],
)
def test_invalid_options_raise_value_error(options, message):
    with pytest.raises(ValueError, match=message):
        ranked_suggestions(ANA, MENTORS, **options)


def test_duplicate_mentor_ids_raise_value_error():
    with pytest.raises(ValueError, match=r"duplicate mentor ids: \[10\]"):
        ranked_suggestions(ANA, [MENTORS[0], MENTORS[0]])
