"""Program evaluation: matching by hand, the variance by hand, the point estimate
against a regression (second implementation), and synthetic cohorts with a
planted effect, with none, and with selection on the covariates."""

import math

import numpy as np
import pytest
from scipy import stats

from bridgework.core.impact.evaluation import (
    ProgramEvaluation,
    Subject,
    evaluate_program,
    match_comparison,
)


def interval(result: ProgramEvaluation) -> tuple[float, float]:
    """The result's interval, which these cohorts are big enough to have."""
    assert result.ci_low is not None and result.ci_high is not None, result
    return result.ci_low, result.ci_high


def effect_of(result: ProgramEvaluation) -> float:
    assert result.effect is not None, result
    return result.effect


def subject(person, team="a", level=3, tenure=2.0, start=20.0, before=20.0, after=20.0):
    return Subject(
        person=person,
        team=team,
        level=level,
        tenure_years=tenure,
        start_network=start,
        before=before,
        after=after,
    )


def cohort(seed, *, effect, participants=40, pool=200, teams=4):
    """Synthetic organization. Participants are more junior and newer than the rest,
    and juniors grow their network faster anyway, so a plain comparison overstates
    the program; ``effect`` is added to every participant's change."""
    rng = np.random.default_rng(seed)
    n = participants + pool
    is_participant = np.arange(n) < participants
    team = rng.integers(teams, size=n)
    level = np.where(is_participant, rng.integers(1, 4, size=n), rng.integers(1, 7, size=n))
    tenure = np.where(is_participant, rng.uniform(0, 6, size=n), rng.uniform(0, 15, size=n))
    start = rng.poisson(12 + 3 * level).astype(float)
    growth = 1.0 + 0.6 * (6 - level) - 0.15 * tenure + 0.05 * start + rng.normal(0, 2, size=n)
    after = start + growth + np.where(is_participant, effect, 0.0)
    treated: list[Subject] = []
    control: list[Subject] = []
    for p in range(n):
        record = subject(
            p,
            f"team{team[p]}",
            int(level[p]),
            float(tenure[p]),
            float(start[p]),
            float(start[p]),
            float(after[p]),
        )
        (treated if is_participant[p] else control).append(record)
    return treated, control


# ------------------------------------------------------------------ matching


def test_matching_picks_the_obvious_neighbours():
    pool = [
        subject(10, "a", level=3, tenure=2, start=20),
        subject(11, "a", level=5, tenure=9, start=40),
        subject(12, "a", level=3, tenure=3, start=21),
        subject(13, "b", level=3, tenure=2, start=20),
        subject(14, "a", level=3, tenure=2, start=20),  # a twin of 10
    ]
    participants = [
        subject(1, "a", level=3, tenure=2, start=20),  # identical to 10 and 14, team a
        subject(2, "d", level=5, tenure=9, start=41),  # team d has nobody: nearest overall
        subject(3, "b", level=5, tenure=9, start=40),  # team b has only 13
    ]
    # 1: 10 and 14 at distance 0 (10 first: smaller id), then 12; 13 is in another team.
    # 2: 11 is one start-network point away, everyone else is far.
    # 3: only 13 shares team b, however far it is; fewer than k means all of them.
    assert match_comparison(participants, pool, k=1) == {1: (10,), 2: (11,), 3: (13,)}
    assert match_comparison(participants, pool, k=3) == {
        1: (10, 14, 12),
        2: (11, 12, 10),
        3: (13,),
    }
    result = evaluate_program(participants, pool, k=1)
    assert [m.same_team for m in result.matches] == [True, False, True]
    assert any("1 participant was compared with people from other teams" in n for n in result.notes)


def test_variance_by_hand_for_a_reused_match():
    # Participants A (change 5) and B (change 7) both match X (change 1), k = 1; X's
    # nearest other non-participant is Y (change 3).
    # d = (5 - 1, 7 - 1) = (4, 6): effect 5, s_d^2 = 2, first term 2 / 2 = 1.
    # X is used twice: c = 2, q = 1 + 1 = 2, c^2 - q = 2; sigma_X^2 = (1 - 3)^2 / 2 = 2;
    # second term 2 * 2 / 2^2 = 1. V = 2, se = sqrt(2), t(0.975, 1 df) = 12.7062.
    x = subject(10, level=1, tenure=1, start=10, before=10, after=11)
    y = subject(11, level=2, tenure=1, start=10, before=10, after=13)
    a = subject(1, level=1, tenure=1, start=10, before=10, after=15)
    b = subject(2, level=1, tenure=1, start=10, before=10, after=17)
    result = evaluate_program([a, b], [x, y], k=1, bias_correction=False)
    assert [m.comparison for m in result.matches] == [(10,), (10,)]
    assert result.effect == 5.0 and result.standard_error == pytest.approx(math.sqrt(2))
    assert result.degrees_of_freedom == 1
    assert result.ci_low == pytest.approx(5 - 12.7062 * math.sqrt(2), abs=1e-3)
    assert result.ci_high == pytest.approx(5 + 12.7062 * math.sqrt(2), abs=1e-3)
    assert result.verdict == "too_small" and result.comparison_people == 1


# ------------------------------------------------- second implementations


def stacked(treated, control, control_weights=None):
    """Two rows per person (before, after) with columns 1, T, Post, T x Post."""
    rows, ys, ws = [], [], []
    n = len(treated)
    for group, people, weights in ((1, treated, [1 / n] * n), (0, control, control_weights)):
        for s, w in zip(people, weights, strict=True):
            for post, y in ((0, s.before), (1, s.after)):
                rows.append([1, group, post, group * post])
                ys.append(y)
                ws.append(w)
    return np.array(rows, float), np.array(ys), np.array(ws)


def test_unmatched_estimate_equals_the_regression_interaction():
    treated, control = cohort(11, effect=2.0)
    result = evaluate_program(treated, control, matching=False)
    design, y, _ = stacked(treated, control, [1] * len(control))
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)  # y = a + b T + c Post + d T x Post
    assert result.effect == pytest.approx(beta[3], abs=1e-9)
    assert result.method == "unmatched"
    # The Welch interval is scipy's for the two samples of changes.
    welch = stats.ttest_ind(
        [s.change for s in treated], [s.change for s in control], equal_var=False
    ).confidence_interval(0.95)
    assert (result.ci_low, result.ci_high) == pytest.approx((welch.low, welch.high), abs=1e-9)


def test_matched_estimate_equals_the_weighted_regression():
    treated, control = cohort(12, effect=2.0)
    result = evaluate_program(treated, control, k=3, bias_correction=False)
    # weight of a comparison person: the sum over participants of 1 / k_i, over n.
    used = dict.fromkeys((s.person for s in control), 0.0)
    for m in result.matches:
        for person in m.comparison:
            used[person] += 1 / len(m.comparison) / len(treated)
    design, y, w = stacked(treated, control, [used[s.person] for s in control])
    root = np.sqrt(w)
    beta, *_ = np.linalg.lstsq(design * root[:, None], y * root, rcond=None)
    assert result.effect == pytest.approx(beta[3], abs=1e-9)


# -------------------------------------------------------- synthetic cohorts


def test_a_planted_effect_is_recovered():
    treated, control = cohort(2026, effect=3.0)
    result = evaluate_program(treated, control, measure="ties outside own team")
    low, high = interval(result)
    assert low <= 3.0 <= high
    assert low > 0 and result.verdict == "increase"
    assert result.wording.startswith("Participants' ties outside own team changed by +")
    assert "95% interval" in result.wording and "would otherwise have changed" in result.wording
    assert result.participants == 40 and result.degrees_of_freedom == 39


def test_no_effect_gives_an_interval_containing_zero():
    treated, control = cohort(2027, effect=0.0)
    result = evaluate_program(treated, control, measure="reach")
    low, high = interval(result)
    assert low <= 0 <= high
    assert result.verdict == "no_clear_effect"
    assert result.wording.startswith("No clear effect: participants' reach changed by")


def test_interval_covers_the_truth_about_95_percent_of_the_time():
    # 300 cohorts: if the true coverage is 95 %, the observed share has a binomial
    # standard deviation of sqrt(0.95 * 0.05 / 300) = 1.26 points; [91 %, 99 %] is
    # more than three of those either side. (Seeds are fixed: the outcome is
    # deterministic; the band says what a correct interval must achieve.)
    covered = 0
    for seed in range(300):
        treated, control = cohort(seed, effect=3.0)
        low, high = interval(evaluate_program(treated, control))
        covered += low <= 3.0 <= high
    assert 0.91 <= covered / 300 <= 0.99


def test_matching_removes_the_selection_bias_of_a_plain_comparison():
    # In these cohorts participants are junior and juniors grow faster anyway: the
    # plain difference overstates the planted +3 by more than a point on average.
    matched, plain = [], []
    for seed in range(30):
        treated, control = cohort(1000 + seed, effect=3.0)
        matched.append(effect_of(evaluate_program(treated, control)))
        plain.append(effect_of(evaluate_program(treated, control, matching=False)))
    assert abs(np.mean(matched) - 3.0) < 0.25
    assert np.mean(plain) > 3.8


def test_matching_improves_balance():
    treated, control = cohort(5, effect=0.0)
    result = evaluate_program(treated, control)
    for name in ("level", "tenure_years", "start_network"):
        before, after = result.balance[name]
        assert abs(after) < abs(before)
    assert abs(result.balance["level"][1]) < 0.25


# ------------------------------------------------------------------ honesty


def test_a_tiny_cohort_is_too_small_to_conclude():
    treated, control = cohort(3, effect=10.0, participants=6, pool=60)
    result = evaluate_program(treated, control, measure="reach")
    assert result.verdict == "too_small"
    assert result.wording == (
        "Too few participants to conclude: 6 could be compared with similar "
        "non-participants, and at least 10 are needed. No effect is claimed either way."
    )
    assert "increase" not in result.wording and "effect of" not in result.wording


def test_no_comparison_group_and_no_participants():
    treated, _ = cohort(4, effect=1.0, participants=12, pool=0)
    result = evaluate_program(treated, [])
    assert result.verdict == "no_comparison" and result.effect is None
    assert evaluate_program([], [subject(1)]).verdict == "too_small"
    alone = evaluate_program(treated, [subject(999)])
    assert alone.verdict == "too_small" and "non-participants" in alone.wording


def test_small_pools_skip_the_bias_correction_with_a_note():
    treated, control = cohort(8, effect=1.0, participants=12, pool=5)
    result = evaluate_program(treated, control)
    assert any("matching alone" in note for note in result.notes)


def test_to_frame():
    treated, control = cohort(9, effect=1.0, participants=12, pool=50)
    frame = evaluate_program(treated, control).to_frame()
    assert len(frame) == 12 and frame["difference"].mean() == pytest.approx(
        evaluate_program(treated, control).effect
    )
    assert all(len(ids) == 3 for ids in frame["comparison"])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: evaluate_program([subject(1)], [subject(1)]), "person 1 appears more than once"),
        (lambda: evaluate_program([subject(1)], [subject(2)], k=0), "k must be a positive"),
        (lambda: evaluate_program([subject(1)], [subject(2)], confidence=95), "confidence"),
        (lambda: subject(1, after=math.nan), "after of person 1 is NaN"),
        (lambda: subject(1, tenure=-1), "tenure_years of person 1 must be at least 0"),
        (
            lambda: evaluate_program([{"person": 1}], []),  # type: ignore[list-item]  # on purpose
            "Subject records",
        ),
    ],
)
def test_bad_input_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()
