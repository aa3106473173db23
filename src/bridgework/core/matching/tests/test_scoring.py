"""Pair scores worked by hand, the vectorized matrices against the one-pair definition,
and what the explanations say."""

import random

import numpy as np
import pytest

from bridgework.core.matching import MenteeProfile, MentorProfile, Weights, explain, pair_score
from bridgework.core.matching.scoring import COMPONENTS, component_matrices, score_matrix
from bridgework.core.matching.tests.pools import random_pool

ANA = MenteeProfile(
    1,
    wants_to_grow={"listening": 3, "storytelling": 1},
    behavior_levels={"listening": 3},  # storytelling unrated: counts as 1
    skills_wanted={"SQL", "Python", "design"},
    needed_groups={"Finance", "Legal", "Acme Corp"},
    reached_groups={"Legal"},
    team="Platform",
    preferred_mentors={2},
    prefer_other_team=True,
    preferred_engagement={"video"},
)
BO = MentorProfile(
    2,
    behavior_levels={"listening": 4, "storytelling": 5},
    skills={"SQL", "design", "cooking"},
    group_reach={"Acme Corp": 0.6, "Finance": 0.3},  # Finance is Bo's own team: reach 1
    team="Finance",
    engagement_type="chat",
)
NAMES = {1: "Ana", 2: "Bo"}


def test_pair_score_worked_by_hand():
    score = pair_score(ANA, BO)
    # listening: (4 - 3) / (5 - 3) = 1/2 at priority 3; storytelling: (5 - 1) / (5 - 1) = 1 at 1
    assert score.behavior == pytest.approx((3 * 0.5 + 1 * 1.0) / 4, abs=1e-15)  # 0.625
    # gaps: Finance (own team: 1) and Acme Corp (0.6); Legal is already reached
    assert score.network == pytest.approx((1.0 + 0.6) / 2, abs=1e-15)  # 0.8
    assert score.skills == pytest.approx(2 / 3, abs=1e-15)  # SQL and design of 3
    # named (met), another team (Platform vs Finance: met), video (Bo meets by chat: not met)
    assert score.preferences == pytest.approx(2 / 3, abs=1e-15)
    # 0.4 * 0.625 + 0.3 * 0.8 + 0.2 * 2/3 + 0.1 * 2/3 = 0.25 + 0.24 + 0.1333 + 0.0667
    assert score.total == pytest.approx(0.69, abs=1e-15)


def test_weights_are_a_weighted_mean():
    score = pair_score(ANA, BO, weights=Weights(behavior=2, network=1, skills=1, preferences=0))
    assert score.total == pytest.approx((2 * 0.625 + 0.8 + 2 / 3) / 4, abs=1e-15)  # 0.679167
    scaled = pair_score(
        ANA, BO, weights=Weights(behavior=1, network=0.5, skills=0.5, preferences=0)
    )
    assert scaled.total == pytest.approx(score.total, abs=1e-15)


@pytest.mark.parametrize(
    ("mentee_level", "mentor_level", "fit"),
    [(2, 5, 1.0), (2, 4, 2 / 3), (1, 4, 3 / 4), (4, 5, 1.0), (3, 3, 0.0), (4, 2, 0.0), (5, 5, 0.0)],
)
def test_behavior_fit_is_the_share_of_headroom_the_mentor_is_ahead(mentee_level, mentor_level, fit):
    mentee = MenteeProfile(1, wants_to_grow={"b": 1}, behavior_levels={"b": mentee_level})
    mentor = MentorProfile(2, behavior_levels={"b": mentor_level})
    assert pair_score(mentee, mentor).behavior == pytest.approx(fit, abs=1e-15)


def test_parts_without_information_are_zero():
    score = pair_score(MenteeProfile(1), BO)
    assert (score.behavior, score.network, score.skills, score.preferences, score.total) == (0,) * 5


def test_needed_groups_already_reached_are_not_gaps():
    mentee = MenteeProfile(1, needed_groups={"Legal"}, reached_groups={"Legal"})
    assert pair_score(mentee, MentorProfile(2, team="Legal")).network == 0.0


def test_organization_counts_as_full_reach():
    mentee = MenteeProfile(1, needed_groups={"Acme Corp", "Legal"})
    mentor = MentorProfile(2, organization="Acme Corp", group_reach={"Legal": 0.25})
    assert pair_score(mentee, mentor).network == pytest.approx((1 + 0.25) / 2, abs=1e-15)


def test_other_team_preference_needs_both_teams_known():
    wants_other = MenteeProfile(1, team="Legal", prefer_other_team=True)
    assert pair_score(wants_other, MentorProfile(2, team="Finance")).preferences == 1.0
    assert pair_score(wants_other, MentorProfile(2, team="Legal")).preferences == 0.0
    assert pair_score(wants_other, MentorProfile(2)).preferences == 0.0  # mentor's team unknown
    unknown_team = MenteeProfile(1, prefer_other_team=True, preferred_engagement={"video"})
    # the other-team preference cannot be judged, so only the engagement counts: 1 of 1
    assert pair_score(unknown_team, MentorProfile(2, engagement_type="video")).preferences == 1.0


def test_matrices_equal_the_one_pair_definition_on_random_pools():
    """score_matrix / component_matrices against pair_score, pair by pair."""
    rng = random.Random(20260701)
    weights = Weights(behavior=0.5, network=0.2, skills=0.2, preferences=0.1)
    for _ in range(30):
        mentees, mentors = random_pool(rng, rng.randint(0, 9), rng.randint(0, 6))
        parts = component_matrices(mentees, mentors)
        totals = score_matrix(mentees, mentors, weights=weights)
        assert totals.shape == (len(mentees), len(mentors))
        for i, mentee in enumerate(mentees):
            for j, mentor in enumerate(mentors):
                expected = pair_score(mentee, mentor, weights=weights)
                assert totals[i, j] == pytest.approx(expected.total, abs=1e-12)
                for name in COMPONENTS:
                    assert parts[name][i, j] == pytest.approx(getattr(expected, name), abs=1e-12)
        assert np.all((totals >= 0) & (totals <= 1 + 1e-12))


def test_explanation_names_behaviors_groups_skills_and_preferences():
    text = explain(ANA, BO, names=NAMES)
    assert text == (
        "Bo for Ana, score 0.69: strong where Ana wants to grow (listening 4 vs 3; "
        "storytelling 5 vs 1); bridges to Finance and Acme Corp, which Ana's goals need; "
        "shares 2 of Ana's 3 wanted skills (design, SQL); meets 2 of Ana's 3 stated "
        "preferences (asked for by name, from another team)."
    )


def test_explanation_uses_labels_and_skips_parts_without_weight():
    text = explain(
        ANA,
        BO,
        weights=Weights(behavior=1, network=0, skills=1, preferences=0),
        names=NAMES,
        behavior_labels={"listening": "Listening to understand"},
    )
    assert "Listening to understand 4 vs 3" in text
    assert "bridges" not in text and "preferences" not in text
    assert "score 0.65:" in text  # (0.625 + 2/3) / 2 = 0.645833


def test_explanation_separates_strong_and_weak_reach_and_truncates():
    mentee = MenteeProfile(1, needed_groups={"A", "B", "C", "D", "E", "F"})
    mentor = MentorProfile(
        2, group_reach={"A": 0.9, "B": 0.8, "C": 0.7, "D": 0.6, "E": 0.3, "F": 0.0}
    )
    text = explain(mentee, mentor)
    assert "bridges to A, B, C and 1 more, which person 1's goals need" in text
    assert "has some reach into E" in text
    assert "F" not in text.split(":", 1)[1]


def test_explanation_when_nothing_matches():
    text = explain(ANA, MentorProfile(3), names=NAMES)
    assert text == (
        "person 3 for Ana, score 0.00: passes every hard constraint but offers nothing "
        "Ana asked for on the weighted criteria."
    )


def test_explanation_possessive_of_a_name_ending_in_s():
    mentee = MenteeProfile(1, skills_wanted={"SQL"})
    text = explain(mentee, MentorProfile(2, skills={"SQL"}), names={1: "Chris"})
    assert "shares 1 of Chris' 1 wanted skills (SQL)" in text
