"""The optimal assignment: against brute force, greedy and the LP; overrides and reasons."""

import random
from collections import Counter
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import linprog

from bridgework.core.matching import (
    Constraints,
    MenteeProfile,
    MentorProfile,
    Weights,
    greedy_assignment,
    lp_upper_bound,
    optimal_assignment,
    pair_score,
    violations,
)
from bridgework.core.matching import upper_bound as upper_bound_module
from bridgework.core.matching.tests.pools import brute_force, random_pool

ONLY_SKILLS = Weights(behavior=0, network=0, skills=1, preferences=0)

# Greedy's trap, by hand (skills only, so a score is the share of wanted skills the
# mentor has): Ana-Xia 4/4 = 1.0, Ana-Yui 3/4 = 0.75, Ben-Xia 3/4 = 0.75, and Ben
# cannot meet Yui (UTC-8 and UTC+2 are 10 hours apart). Greedy takes Ana-Xia (1.0)
# first and Ben is left with nobody: 1.0. The optimum is Ana-Yui + Ben-Xia = 1.5.
ANA = MenteeProfile(1, skills_wanted={"a", "b", "c", "d"})
BEN = MenteeProfile(2, skills_wanted={"a", "b", "c", "e"}, utc_offset_hours=-8)
XIA = MentorProfile(10, skills={"a", "b", "c", "d"}, utc_offset_hours=-4)
YUI = MentorProfile(11, skills={"a", "b", "c"}, utc_offset_hours=2)
TRAP = ([ANA, BEN], [XIA, YUI])


def pairs(assignment):
    return [(m.mentee_id, m.mentor_id) for m in assignment.matches]


def assert_feasible(
    assignment, mentees, mentors, *, constraints, fixed=(), forbidden=(), weights=None
):
    by_id = {m.person_id: m for m in mentors}
    mentee_by_id = {m.person_id: m for m in mentees}
    matched = Counter(m.mentee_id for m in assignment.matches)
    assert all(count == 1 for count in matched.values())
    load = Counter(m.mentor_id for m in assignment.matches)
    assert all(load[j] <= by_id[j].capacity for j in load)
    for match in assignment.matches:
        mentee, mentor = mentee_by_id[match.mentee_id], by_id[match.mentor_id]
        assert violations(mentee, mentor, constraints=constraints) == []
        assert (match.mentee_id, match.mentor_id) not in forbidden
        assert match.fixed == ((match.mentee_id, match.mentor_id) in set(fixed))
        assert match.explanation
    assert set(fixed) <= set(pairs(assignment))
    assert set(matched) | set(assignment.unmatched) == set(mentee_by_id)
    assert not set(matched) & set(assignment.unmatched)
    assert assignment.total_score == pytest.approx(sum(m.score.total for m in assignment.matches))


def test_greedy_is_strictly_worse_on_the_worked_example():
    best = optimal_assignment(*TRAP, weights=ONLY_SKILLS)
    greedy = greedy_assignment(*TRAP, weights=ONLY_SKILLS)
    assert pairs(best) == [(1, 11), (2, 10)]
    assert best.total_score == pytest.approx(0.75 + 0.75)
    assert pairs(greedy) == [(1, 10)]
    assert greedy.total_score == pytest.approx(1.0)
    assert list(greedy.unmatched) == [2]
    assert lp_upper_bound(*TRAP, weights=ONLY_SKILLS) == pytest.approx(1.5, abs=1e-9)


# Participation first, by hand: Ana-Xia 1.0, Ana-Yui 2/4 = 0.5, Ben-Xia 1/4 = 0.25,
# Ben-Yui not allowed (time zones). The best score is Ana-Xia alone (1.0 > 0.5 + 0.25);
# the most mentees matched is Ana-Yui + Ben-Xia (2 matched, 0.75).
BEA = MenteeProfile(2, skills_wanted={"d", "p", "q", "r"}, utc_offset_hours=-8)
YUN = MentorProfile(11, skills={"a", "b"}, utc_offset_hours=2)


def test_participation_first_matches_more_mentees_at_a_lower_score():
    score_first = optimal_assignment([ANA, BEA], [XIA, YUN], weights=ONLY_SKILLS)
    assert pairs(score_first) == [(1, 10)]
    assert score_first.total_score == pytest.approx(1.0)
    assert score_first.unmatched[2] == (
        "all 1 allowed mentors with a positive score are full: giving this mentee one of "
        "them would not raise the total score"
    )
    most = optimal_assignment(
        [ANA, BEA], [XIA, YUN], weights=ONLY_SKILLS, maximize_participation=True
    )
    assert pairs(most) == [(1, 11), (2, 10)]
    assert most.total_score == pytest.approx(0.5 + 0.25)
    assert most.unmatched == {}


def test_participation_first_uses_zero_score_pairs_score_first_does_not():
    nothing_in_common = MenteeProfile(3, skills_wanted={"z"})
    score_first = optimal_assignment([nothing_in_common], [XIA, YUN], weights=ONLY_SKILLS)
    assert score_first.matches == ()
    assert score_first.unmatched[3] == (
        "all 2 allowed mentors score 0: none offers what the mentee asked for on the "
        "weighted criteria"
    )
    most = optimal_assignment(
        [nothing_in_common], [XIA, YUN], weights=ONLY_SKILLS, maximize_participation=True
    )
    assert len(most.matches) == 1 and most.total_score == 0.0
    assert "offers nothing person 3 asked for" in most.matches[0].explanation


def test_optimal_equals_brute_force_on_200_small_pools():
    """Both objectives, with capacities 0-2, vetoes and now and then a fixed pair.

    The expected values come from trying every assignment (``brute_force``,
    which scores with ``pair_score`` and checks ``violations`` pair by pair).
    The pools are small but contended: greedy misses the optimum on some of
    them and participation-first matches more mentees on others, so they
    exercise the optimization and not only the bookkeeping.
    """
    rng = random.Random(1955)  # Kuhn's year
    seen: Counter[str] = Counter()
    for trial in range(200):
        if trial % 40 == 0:  # the empty edge cases
            mentees, mentors = random_pool(rng, trial % 80 // 40 * 3, (1 - trial % 80 // 40) * 2)
        else:
            mentees, mentors = random_pool(rng, rng.randint(3, 6), rng.randint(2, 3))
        behavior, network, skills = (rng.choice([0, 0.5, 1, 2]) for _ in range(3))
        weights = Weights(behavior, network, skills, preferences=1)
        constraints = Constraints(
            max_time_zone_difference_hours=rng.choice([None, None, 6.0, 9.0]),
            allow_repeat_pairing=rng.random() < 0.3,
        )
        forbidden = {
            (mentee.person_id, mentor.person_id)
            for mentee in mentees
            for mentor in mentors
            if rng.random() < 0.1
        }
        candidates = [
            (mentee.person_id, mentor.person_id)
            for mentee in mentees
            for mentor in mentors
            if not violations(mentee, mentor, constraints=constraints)
            and (mentee.person_id, mentor.person_id) not in forbidden
        ]
        fixed = [rng.choice(candidates)] if candidates and rng.random() < 0.3 else []
        options: dict[str, Any] = dict(
            weights=weights, constraints=constraints, fixed=fixed, forbidden=forbidden
        )
        best_score, (most_matched, best_score_among_most) = brute_force(mentees, mentors, **options)
        score_first = optimal_assignment(mentees, mentors, **options)
        most = optimal_assignment(mentees, mentors, maximize_participation=True, **options)
        greedy = greedy_assignment(mentees, mentors, **options)
        for assignment in (score_first, most, greedy):
            assert_feasible(assignment, mentees, mentors, **options)
        assert score_first.total_score == pytest.approx(best_score, abs=1e-9), trial
        assert len(most.matches) == most_matched, trial
        assert most.total_score == pytest.approx(best_score_among_most, abs=1e-9), trial
        assert greedy.total_score <= score_first.total_score + 1e-9
        assert greedy.total_score >= score_first.total_score / 2 - 1e-9  # greedy's 1/2 guarantee
        seen["fixed"] += bool(fixed)
        seen["greedy worse"] += greedy.total_score < score_first.total_score - 1e-9
        seen["participation matches more"] += len(most.matches) > len(score_first.matches)
    assert seen["fixed"] >= 30 and seen["greedy worse"] >= 10
    assert seen["participation matches more"] >= 30


def full_lp_value(mentees, mentors, *, weights, constraints):
    """The LP relaxation with every allowed pair, built from the one-pair definitions."""
    edges = [
        (i, j, pair_score(mentee, mentor, weights=weights).total)
        for i, mentee in enumerate(mentees)
        for j, mentor in enumerate(mentors)
        if not violations(mentee, mentor, constraints=constraints)
    ]
    if not edges:
        return 0.0
    rows, columns, scores = (np.array(values) for values in zip(*edges, strict=True))
    k = np.arange(len(edges))
    a_ub = sp.vstack(
        [
            sp.csr_matrix((np.ones(len(k)), (rows, k)), shape=(len(mentees), len(k))),
            sp.csr_matrix((np.ones(len(k)), (columns, k)), shape=(len(mentors), len(k))),
        ]
    )
    b_ub = np.concatenate([np.ones(len(mentees)), [mentor.capacity for mentor in mentors]])
    result = linprog(-scores, A_ub=a_ub, b_ub=b_ub, bounds=(0, 1), method="highs")
    assert result.status == 0
    return -result.fun


@pytest.mark.parametrize("seed", range(6))
def test_lp_bound_equals_the_optimum_on_mid_size_pools(seed):
    rng = random.Random(seed)
    mentees, mentors = random_pool(rng, 60, 15, max_capacity=4)
    options: dict[str, Any] = dict(
        weights=Weights(), constraints=Constraints(max_time_zone_difference_hours=9)
    )
    best = optimal_assignment(mentees, mentors, **options)
    bound = lp_upper_bound(mentees, mentors, **options)
    assert bound == pytest.approx(full_lp_value(mentees, mentors, **options), abs=1e-7)
    assert bound >= best.total_score - 1e-9
    assert bound == pytest.approx(best.total_score, abs=1e-7)
    assert greedy_assignment(mentees, mentors, **options).total_score <= best.total_score + 1e-9


def test_lp_bound_by_column_generation_from_a_single_column(monkeypatch):
    """Start each mentee with one pair and add one a round: many pricing rounds, same bound."""
    monkeypatch.setattr(upper_bound_module, "START_PER_MENTEE", 1)
    monkeypatch.setattr(upper_bound_module, "ADD_PER_MENTEE", 1)
    rng = random.Random(42)
    mentees, mentors = random_pool(rng, 80, 20, max_capacity=3)
    options: dict[str, Any] = dict(
        weights=Weights(), constraints=Constraints(max_time_zone_difference_hours=None)
    )
    bound = lp_upper_bound(mentees, mentors, **options)
    assert bound == pytest.approx(full_lp_value(mentees, mentors, **options), abs=1e-7)
    assert bound == pytest.approx(
        optimal_assignment(mentees, mentors, **options).total_score, abs=1e-7
    )


def test_lp_bound_counts_fixed_pairs_and_respects_vetoes():
    assert lp_upper_bound(*TRAP, weights=ONLY_SKILLS, fixed=[(1, 10)]) == pytest.approx(1.0)
    assert lp_upper_bound(*TRAP, weights=ONLY_SKILLS, forbidden=[(2, 10)]) == pytest.approx(1.0)
    assert lp_upper_bound([], [XIA], weights=ONLY_SKILLS) == 0.0


# -- the program manager's review ------------------------------------------------------


def test_fixed_pair_is_kept_and_the_rest_reoptimized():
    kept = optimal_assignment(*TRAP, weights=ONLY_SKILLS, fixed=[(1, 10)])
    assert pairs(kept) == [(1, 10)]
    assert kept.matches[0].fixed
    assert kept.unmatched[2].startswith("all 1 allowed mentors with a positive score are full")
    assert_feasible(kept, *TRAP, constraints=Constraints(), fixed=[(1, 10)])


def test_forbidden_pair_is_never_proposed():
    vetoed = optimal_assignment(*TRAP, weights=ONLY_SKILLS, forbidden=[(1, 11)])
    assert pairs(vetoed) == [(1, 10)]
    assert vetoed.unmatched[2].startswith("all 1 allowed mentors")
    both = optimal_assignment(*TRAP, weights=ONLY_SKILLS, forbidden=[(2, 10)])
    assert both.unmatched[2] == (
        "no mentor passes the hard constraints (1 outside the 6-hour time-zone window; "
        "1 vetoed by the program manager)"
    )


def test_forbidding_every_pair_even_with_participation_first():
    every = [(1, 10), (1, 11), (2, 10), (2, 11)]
    result = optimal_assignment(
        *TRAP, weights=ONLY_SKILLS, forbidden=every, maximize_participation=True
    )
    assert result.matches == () and sorted(result.unmatched) == [1, 2]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (dict(fixed=[(9, 10)]), r"fixed pair \(9, 10\): no mentee with id 9 in the pool"),
        (dict(forbidden=[(1, 99)]), r"forbidden pair \(1, 99\): no mentor with id 99 in the pool"),
        (
            dict(fixed=[(2, 11)]),
            r"fixed pair \(2, 11\) breaks a hard constraint: their time zones are 10 hours apart",
        ),
        (dict(fixed=[(1, 10)], forbidden=[(1, 10)]), r"fixed pair \(1, 10\) is also forbidden"),
        (dict(fixed=[(1, 10), (1, 11)]), "fixed pairs give mentee 1 more than one mentor"),
        (dict(fixed=[(1, 10), (2, 10)]), r"give mentor 10 more mentees than their capacity \(1\)"),
        (dict(fixed=[1]), r"fixed must hold \(mentee_id, mentor_id\) pairs, not 1"),
    ],
)
def test_invalid_overrides_raise_value_error(overrides, message):
    with pytest.raises(ValueError, match=message):
        optimal_assignment(*TRAP, weights=ONLY_SKILLS, **overrides)


def test_invalid_pools_raise_value_error():
    with pytest.raises(ValueError, match=r"duplicate mentee ids: \[1\]"):
        optimal_assignment([ANA, ANA], [XIA])
    with pytest.raises(ValueError, match=r"duplicate mentor ids: \[10\]"):
        greedy_assignment([ANA], [XIA, XIA])
    with pytest.raises(ValueError, match="weights must be a Weights"):
        optimal_assignment([ANA], [XIA], weights={"skills": 1})  # type: ignore[arg-type]  # on purpose


# -- reasons, results and edge cases ---------------------------------------------------


def test_unmatched_reasons_name_the_blocking_constraints():
    far = MenteeProfile(5, utc_offset_hours=9, reporting_line={12})
    mentors = [
        XIA,
        YUN,
        MentorProfile(12, utc_offset_hours=9),
        MentorProfile(13, capacity=0, utc_offset_hours=8),
    ]
    result = optimal_assignment([far], mentors)
    assert result.unmatched == {
        5: "no mentor passes the hard constraints (2 outside the 6-hour time-zone window; "
        "1 without capacity; 1 in a reporting line, excluded, paired before or the mentee themself)"
    }
    assert optimal_assignment([far], []).unmatched == {5: "there are no mentors in the pool"}


def test_capacity_is_shared_optimally():
    """One mentor with two places and three mentees: the two best scores win."""
    mentor = MentorProfile(10, skills={"a", "b", "c", "d"}, capacity=2)
    mentees = [
        MenteeProfile(1, skills_wanted={"a", "x"}),  # 0.5
        MenteeProfile(2, skills_wanted={"a", "b", "c", "x"}),  # 0.75
        MenteeProfile(3, skills_wanted={"a"}),  # 1.0
    ]
    result = optimal_assignment(mentees, [mentor], weights=ONLY_SKILLS)
    assert pairs(result) == [(2, 10), (3, 10)]
    assert result.mentees_of(10) == [2, 3] and result.mentor_of(1) is None
    assert result.total_score == pytest.approx(1.75)


def test_empty_pools():
    assert optimal_assignment([], []).matches == ()
    assert optimal_assignment([], [XIA]).total_score == 0.0
    assert greedy_assignment([ANA], []).unmatched == {1: "there are no mentors in the pool"}


def test_to_frame_has_one_row_per_match():
    frame = optimal_assignment(*TRAP, weights=ONLY_SKILLS, names={1: "Ana", 11: "Yui"}).to_frame()
    assert list(frame.columns) == [
        "mentee_id",
        "mentor_id",
        "total",
        "behavior",
        "network",
        "skills",
        "preferences",
        "fixed",
        "explanation",
    ]
    assert frame[["mentee_id", "mentor_id"]].values.tolist() == [[1, 11], [2, 10]]
    assert frame["skills"].tolist() == [0.75, 0.75]
    assert frame.loc[0, "explanation"] == (
        "Yui for Ana, score 0.75: shares 3 of Ana's 4 wanted skills (a, b, c)."
    )


def test_explanations_of_every_match_use_the_labels():
    result = optimal_assignment(
        [MenteeProfile(1, wants_to_grow={"listening": 1})],
        [MentorProfile(2, behavior_levels={"listening": 5})],
        names={1: "Ana", 2: "Bo"},
        behavior_labels={"listening": "Listening"},
    )
    assert result.matches[0].explanation == (
        "Bo for Ana, score 0.40: strong where Ana wants to grow (Listening 5 vs 1)."
    )
