"""Program evaluation: did mentoring change the participants' networks?

The question is what a participant's measure (reach, brokerage, ties outside
their team, outcomes) would have done without the program. The estimate
compares each participant's change with the change of similar people who did
not take part: a **matched difference-in-differences** for the average effect
on the participants.

Matching (with replacement, deterministic)
------------------------------------------
Each participant ``i`` is compared with the ``k`` nearest non-participants
(default 3):

1. **Team exactly where possible**: candidates are the non-participants of
   ``i``'s team; when the team has none, all non-participants (noted). When
   the team has fewer than ``k``, all of them are used.
2. **Nearest on standardized covariates** ``x = (level, tenure_years,
   start_network)``: ``dist(i, j) = sqrt(sum_c ((x_ic - x_jc) / s_c)^2)``,
   ``s_c`` the standard deviation of covariate ``c`` over participants and
   non-participants together (the normalized Euclidean distance of Abadie &
   Imbens). Equal distances go to the smaller person id.
3. With replacement: a non-participant may serve several participants (this
   gives better matches, and the variance below accounts for the reuse).

Estimate
--------
With ``D = after - before`` and weights ``w_ij = 1/k_i`` over ``i``'s
``k_i`` matches::

    d_i = D_i - sum_j w_ij (D_j + mu(x_i) - mu(x_j))
    effect = (1/n) sum_i d_i

``mu`` is a least-squares fit of ``D`` on the covariates among the
non-participants: the bias correction of Abadie & Imbens (2011) for
differences the matching leaves (skipped, with a note, when there are fewer
than 8 non-participants). Differencing ``after - before`` removes stable
differences between people; matching makes the remaining assumption —
participants would otherwise have changed like their matches (parallel
trends) — plausible.

Interval
--------
The variance is the Abadie-Imbens (2006) estimator for matching with
replacement::

    V = s_d^2 / n + (1/n^2) sum_j (c_j^2 - q_j) sigma_j^2,
    c_j = sum_i w_ij,  q_j = sum_i w_ij^2,
    sigma_j^2 = (D_j - D_j')^2 / 2   (j' : j's nearest other non-participant)

``s_d^2`` is the sample variance of the ``d_i``; the second term adds the
covariance that reusing a comparison person creates. The interval is
``effect ± t_(n-1) sqrt(V)``, Student's t with ``n - 1`` degrees of freedom
for small samples. A bootstrap is *not* used: Abadie & Imbens (2008) show it
is invalid for nearest-neighbour matching with replacement.
``matching=False`` compares with every non-participant equally (the plain
2x2 difference in differences) and uses Welch's variance and degrees of freedom.

Honesty rules
-------------
* fewer than ``min_participants`` (10) participants, or fewer than 2
  non-participants: verdict ``too_small``; no effect is claimed either way.
  With ``n - 1 < 9`` degrees of freedom the standard error is itself uncertain
  by more than ``1/sqrt(2 (n - 1)) = 24 %``, and the matching estimator's
  interval rests on a large-sample approximation;
* no non-participant at all: ``no_comparison``;
* an interval containing 0: ``no_clear_effect``;
* otherwise ``increase`` or ``decrease``, worded as a difference relative to
  similar non-participants, with the interval and the parallel-trends
  assumption;
* notes flag participants matched outside their team and covariates still
  unbalanced after matching (standardized difference above 0.25).

>>> people = [Subject(person=p, team="a", level=2, tenure_years=p % 5, start_network=10,
...                   before=10, after=10 + (p % 3)) for p in range(100, 130)]
>>> cohort = [Subject(person=p, team="a", level=2, tenure_years=p % 5, start_network=10,
...                   before=10, after=13 + (p % 3)) for p in range(1, 13)]
>>> result = evaluate_program(cohort, people, measure="reach")
>>> result.verdict, round(result.effect, 2)
('increase', 3.0)

References
----------
.. [1] A. Abadie and G. W. Imbens, "Large sample properties of matching
   estimators for average treatment effects", *Econometrica* 74(1), 2006,
   pp. 235-267.
.. [2] A. Abadie and G. W. Imbens, "On the failure of the bootstrap for
   matching estimators", *Econometrica* 76(6), 2008, pp. 1537-1557.
.. [3] A. Abadie and G. W. Imbens, "Bias-corrected matching estimators for
   average treatment effects", *Journal of Business & Economic Statistics*
   29(1), 2011, pp. 1-11.
.. [4] J. D. Angrist and J.-S. Pischke, *Mostly Harmless Econometrics*,
   Princeton University Press, 2009, ch. 5 (difference in differences).
.. [5] E. A. Stuart, "Matching methods for causal inference: a review and a
   look forward", *Statistical Science* 25(1), 2010, pp. 1-21 (balance checks).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from bridgework.core.impact.records import check_number, check_person

__all__ = [
    "COVARIATES",
    "VERDICTS",
    "MIN_PARTICIPANTS",
    "Subject",
    "Match",
    "ProgramEvaluation",
    "match_comparison",
    "evaluate_program",
]

COVARIATES = ("level", "tenure_years", "start_network")
VERDICTS = ("too_small", "no_comparison", "no_clear_effect", "increase", "decrease")
#: Fewer participants than this: too small to conclude (see the module docs).
MIN_PARTICIPANTS = 10
#: |standardized difference| above this after matching is flagged (Stuart 2010).
_IMBALANCE = 0.25
#: Bias correction needs at least this many non-participants per regression coefficient.
_PER_COEFFICIENT = 2


@dataclass(frozen=True)
class Subject:
    """One person in an evaluation, participant or not.

    ``level`` is a numeric grade, ``tenure_years`` the years in the
    organization, ``start_network`` a network measure at the start (often the
    same as ``before``), ``before``/``after`` the evaluated measure at the
    start and at the end of the period.
    """

    person: int
    team: Hashable
    level: float
    tenure_years: float
    start_network: float
    before: float
    after: float

    def __post_init__(self) -> None:
        check_person(self.person, "subject person")
        for name in ("level", "tenure_years", "start_network", "before", "after"):
            value = check_number(
                getattr(self, name), f"{name} of person {self.person}", minimum=None
            )
            object.__setattr__(self, name, value)
        if self.tenure_years < 0:
            raise ValueError(f"tenure_years of person {self.person} must be at least 0")

    @property
    def change(self) -> float:
        """``after - before``."""
        return self.after - self.before


@dataclass(frozen=True)
class Match:
    """A participant, the people they are compared with, and the difference.

    ``comparison_change`` is the weighted (and, when applied, bias-corrected)
    change of the comparison people; ``difference`` = ``change`` -
    ``comparison_change``. ``distance`` is the mean standardized distance to them.
    """

    person: int
    comparison: tuple[int, ...]
    same_team: bool
    distance: float
    change: float
    comparison_change: float
    difference: float


@dataclass(frozen=True)
class ProgramEvaluation:
    """The result of :func:`evaluate_program`.

    ``effect`` and the interval are None when they cannot be computed (no
    comparison group, fewer than two participants); with verdict ``too_small``
    they are shown for transparency only and are not a finding. ``balance``
    maps each covariate (and ``before``) to its standardized mean difference
    before and after matching.
    """

    measure: str
    method: str
    participants: int
    comparison_people: int
    treated_change: float | None
    comparison_change: float | None
    effect: float | None
    standard_error: float | None
    ci_low: float | None
    ci_high: float | None
    confidence: float
    degrees_of_freedom: float | None
    verdict: str
    wording: str
    notes: tuple[str, ...]
    matches: tuple[Match, ...]
    balance: dict[str, tuple[float, float]]

    def to_frame(self) -> pd.DataFrame:
        """One row per participant: ``person``, ``comparison`` (ids), ``same_team``,
        ``distance``, ``change``, ``comparison_change``, ``difference``."""
        columns = list(Match.__dataclass_fields__)
        return pd.DataFrame([vars(m) for m in self.matches], columns=columns)


# ------------------------------------------------------------------ matching


def _subjects(items: Sequence[Subject], what: str) -> list[Subject]:
    subjects = list(items)
    for s in subjects:
        if not isinstance(s, Subject):
            raise ValueError(f"{what} must be Subject records, got {s!r}")
    return subjects


def _check_people(participants: list[Subject], pool: list[Subject]) -> None:
    seen: set[int] = set()
    for s in participants + pool:
        if s.person in seen:
            raise ValueError(f"person {s.person} appears more than once among the subjects")
        seen.add(s.person)


def _covariates(subjects: list[Subject]) -> np.ndarray:
    return np.array([[getattr(s, c) for c in COVARIATES] for s in subjects], dtype=float).reshape(
        -1, len(COVARIATES)
    )


def _scale(*blocks: np.ndarray) -> np.ndarray:
    data = np.vstack(blocks)
    if len(data) < 2:
        return np.ones(len(COVARIATES))
    sd = data.std(axis=0, ddof=1)
    return np.where(np.isfinite(sd) & (sd > 0), sd, 1.0)


def _nearest(
    x: np.ndarray,
    team: Hashable,
    pool_x: np.ndarray,
    pool_ids: np.ndarray,
    by_team: dict[Hashable, np.ndarray],
    scale: np.ndarray,
    k: int,
    exclude: int | None = None,
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Indices of the ``k`` nearest pool members (same team first) and their distances."""
    candidates = by_team.get(team, np.empty(0, dtype=int))
    if exclude is not None:
        candidates = candidates[candidates != exclude]
    same_team = len(candidates) > 0
    if not same_team:
        candidates = np.arange(len(pool_x))
        if exclude is not None:
            candidates = candidates[candidates != exclude]
    distance = np.sqrt((((pool_x[candidates] - x) / scale) ** 2).sum(axis=1))
    order = np.lexsort((pool_ids[candidates], distance))[:k]
    return candidates[order], distance[order], same_team


def _team_index(pool: list[Subject]) -> dict[Hashable, np.ndarray]:
    by_team: dict[Hashable, list[int]] = {}
    for index, s in enumerate(pool):
        by_team.setdefault(s.team, []).append(index)
    return {team: np.array(indices) for team, indices in by_team.items()}


def _check_k(k: object) -> int:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    return k


def match_comparison(
    participants: Sequence[Subject], pool: Sequence[Subject], *, k: int = 3
) -> dict[int, tuple[int, ...]]:
    """The comparison people of each participant, nearest first (the rule in the module docs).

    >>> pool = [Subject(person=p, team=t, level=lv, tenure_years=ty, start_network=sn,
    ...                 before=0, after=0)
    ...         for p, t, lv, ty, sn in [(10, "a", 3, 2, 20), (11, "a", 5, 9, 40),
    ...                                  (12, "b", 3, 2, 20)]]
    >>> me = Subject(person=1, team="a", level=3, tenure_years=3, start_network=22,
    ...              before=0, after=0)
    >>> match_comparison([me], pool, k=1)
    {1: (10,)}
    """
    participants = _subjects(participants, "participants")
    pool = _subjects(pool, "pool")
    _check_people(participants, pool)
    k = _check_k(k)
    if not pool:
        return {s.person: () for s in participants}
    xt, xc = _covariates(participants), _covariates(pool)
    scale = _scale(xt, xc)
    ids = np.array([s.person for s in pool])
    by_team = _team_index(pool)
    return {
        s.person: tuple(int(ids[j]) for j in _nearest(xt[i], s.team, xc, ids, by_team, scale, k)[0])
        for i, s in enumerate(participants)
    }


# ---------------------------------------------------------------- evaluation


def _smd(
    treated: np.ndarray, control: np.ndarray, control_weights: np.ndarray
) -> tuple[float, float]:
    """Standardized mean difference before and after matching (pooled SD before matching)."""
    var_t = treated.var(ddof=1) if len(treated) > 1 else 0.0
    var_c = control.var(ddof=1) if len(control) > 1 else 0.0
    sd = math.sqrt((var_t + var_c) / 2)
    if sd == 0:
        return 0.0, 0.0
    before = (treated.mean() - control.mean()) / sd
    after = (treated.mean() - control_weights @ control / control_weights.sum()) / sd
    return float(before), float(after)


def _bias_model(xc: np.ndarray, change_c: np.ndarray) -> Callable[[np.ndarray], np.ndarray] | None:
    """Least-squares fit of the change on the covariates that vary in the pool, or None."""
    varying = [c for c in range(xc.shape[1]) if np.ptp(xc[:, c]) > 0]
    if len(change_c) < _PER_COEFFICIENT * (len(varying) + 1):
        return None
    design = np.column_stack([np.ones(len(change_c)), xc[:, varying]])
    beta, *_ = np.linalg.lstsq(design, change_c, rcond=None)
    return lambda x: beta[0] + np.atleast_2d(x)[:, varying] @ beta[1:]


def _signed(x: float) -> str:
    return f"{x:+,.2f}"


def _empty(
    *, measure: str, method: str, confidence: float, verdict: str, wording: str, participants: int
) -> ProgramEvaluation:
    return ProgramEvaluation(
        measure=measure,
        method=method,
        participants=participants,
        comparison_people=0,
        treated_change=None,
        comparison_change=None,
        effect=None,
        standard_error=None,
        ci_low=None,
        ci_high=None,
        confidence=confidence,
        degrees_of_freedom=None,
        verdict=verdict,
        wording=wording,
        notes=(),
        matches=(),
        balance={},
    )


def evaluate_program(
    participants: Sequence[Subject],
    pool: Sequence[Subject],
    *,
    measure: str = "network measure",
    k: int = 3,
    matching: bool = True,
    bias_correction: bool = True,
    confidence: float = 0.95,
    min_participants: int = MIN_PARTICIPANTS,
) -> ProgramEvaluation:
    """Difference in differences of ``measure`` between participants and matched
    non-participants, with an interval and an honest verdict.

    .. math::

        \\hat\\tau = \\frac{1}{n}\\sum_{i} \\Bigl(\\Delta_i - \\sum_j w_{ij}
            \\bigl(\\Delta_j + \\hat\\mu(x_i) - \\hat\\mu(x_j)\\bigr)\\Bigr),
        \\qquad \\hat\\tau \\pm t_{n-1}\\sqrt{\\hat V}

    See the module docs for the matching rule, the variance and the verdicts.
    ``matching=False`` gives the unmatched 2x2 estimate (every non-participant
    weighs the same; no bias correction; Welch interval).
    """
    participants = _subjects(participants, "participants")
    pool = _subjects(pool, "pool")
    _check_people(participants, pool)
    k = _check_k(k)
    confidence = check_number(confidence, "confidence")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    if isinstance(min_participants, bool) or not isinstance(min_participants, int):
        raise ValueError(f"min_participants must be an integer, got {min_participants!r}")
    method = "matched" if matching else "unmatched"
    n, n0 = len(participants), len(pool)
    if n0 == 0:
        return _empty(
            measure=measure,
            method=method,
            confidence=confidence,
            verdict="no_comparison",
            wording="There is no comparison group of non-participants, so the program's "
            "effect cannot be estimated.",
            participants=n,
        )
    if n == 0:
        return _empty(
            measure=measure,
            method=method,
            confidence=confidence,
            verdict="too_small",
            wording="There are no participants to evaluate yet.",
            participants=0,
        )

    xt, xc = _covariates(participants), _covariates(pool)
    change_t = np.array([s.change for s in participants])
    change_c = np.array([s.change for s in pool])
    ids = np.array([s.person for s in pool])
    scale = _scale(xt, xc)
    by_team = _team_index(pool)
    notes: list[str] = []

    weights = np.zeros((n, n0))
    same_team = np.ones(n, dtype=bool)
    distance = np.zeros(n)
    chosen_by = [np.arange(n0)] * n
    if matching:
        for i, s in enumerate(participants):
            chosen, dist, same = _nearest(xt[i], s.team, xc, ids, by_team, scale, k)
            chosen_by[i] = chosen
            weights[i, chosen] = 1.0 / len(chosen)
            same_team[i] = same
            distance[i] = dist.mean()
    else:
        weights[:] = 1.0 / n0
        same_team[:] = False
        distance = np.sqrt((((xc[None, :, :] - xt[:, None, :]) / scale) ** 2).sum(axis=2)).mean(1)

    comparison = weights @ change_c
    model = None
    if matching and bias_correction:
        model = _bias_model(xc, change_c)
        if model is None:
            notes.append(
                "Too few non-participants to adjust for the covariate differences matching "
                "leaves; the comparison is by matching alone."
            )
        else:
            comparison = comparison + model(xt) - weights @ model(xc)
    difference = change_t - comparison
    effect = float(difference.mean())
    treated_change = float(change_t.mean())
    comparison_change = float(comparison.mean())

    if n < 2:
        se = df = None
    elif matching:
        used = weights.sum(axis=0)  # c_j
        reuse = used**2 - (weights**2).sum(axis=0)  # c_j^2 - q_j
        sigma2 = np.zeros(n0)
        for j in np.flatnonzero(reuse > 1e-12):
            if n0 < 2:
                break
            (nearest,), _, _ = _nearest(
                xc[j], pool[j].team, xc, ids, by_team, scale, 1, exclude=int(j)
            )
            sigma2[j] = (change_c[j] - change_c[nearest]) ** 2 / 2
        variance = difference.var(ddof=1) / n + (reuse @ sigma2) / n**2
        se, df = math.sqrt(variance), float(n - 1)
    else:
        var_t = change_t.var(ddof=1) / n
        var_c = change_c.var(ddof=1) / n0 if n0 > 1 else 0.0
        se = math.sqrt(var_t + var_c)
        denominator = var_t**2 / (n - 1) + (var_c**2 / (n0 - 1) if n0 > 1 else 0.0)
        df = (var_t + var_c) ** 2 / denominator if denominator > 0 else float(n - 1)
    if se is None:
        low = high = None
    else:
        half = float(stats.t.ppf((1 + confidence) / 2, df)) * se
        low, high = effect - half, effect + half

    used_people = int((weights.sum(axis=0) > 0).sum())
    outside = int((~same_team).sum()) if matching else 0
    if outside:
        notes.append(
            f"{outside} participant{' was' if outside == 1 else 's were'} compared with people "
            "from other teams: no non-participant in their own team."
        )
    balance = {}
    control_weights = weights.sum(axis=0)
    for c, name in enumerate(COVARIATES):
        balance[name] = _smd(xt[:, c], xc[:, c], control_weights)
    balance["before"] = _smd(
        np.array([s.before for s in participants]),
        np.array([s.before for s in pool]),
        control_weights,
    )
    unbalanced = [
        f"{name} ({after:+.2f})"
        for name, (_, after) in balance.items()
        if abs(round(after, 2)) > _IMBALANCE
    ]
    if unbalanced:
        notes.append(
            "Participants and their comparison group still differ on "
            + ", ".join(unbalanced)
            + " (standardized differences above 0.25): read the estimate with care."
        )

    level = f"{confidence:.0%}"
    others = "similar non-participants" if matching else "non-participants"
    needed = max(min_participants, 2)
    # No interval (low is None) only with fewer than 2 participants: too small anyway.
    if n < needed or n0 < 2 or low is None or high is None:
        verdict = "too_small"
        if n < needed:
            wording = (
                f"Too few participants to conclude: {n} could be compared with {others}, "
                f"and at least {needed} are needed. No effect is "
                "claimed either way."
            )
        else:
            wording = (
                f"Too few non-participants to compare with ({n0}): no effect is claimed either way."
            )
    elif low <= 0 <= high:
        verdict = "no_clear_effect"
        wording = (
            f"No clear effect: participants' {measure} changed by {_signed(treated_change)} "
            f"and that of {others} by {_signed(comparison_change)}; the "
            f"difference, {_signed(effect)} ({level} interval {_signed(low)} to "
            f"{_signed(high)}), could be chance."
        )
    else:
        verdict = "increase" if effect > 0 else "decrease"
        wording = (
            f"Participants' {measure} changed by {_signed(effect)} relative to {others} "
            f"({level} interval {_signed(low)} to {_signed(high)}; "
            f"participants {_signed(treated_change)}, comparison {_signed(comparison_change)}). "
            "This assumes participants would otherwise have changed like the people they "
            "are compared with."
        )
    matches = tuple(
        Match(
            person=s.person,
            comparison=tuple(int(ids[j]) for j in chosen_by[i]),
            same_team=bool(same_team[i]),
            distance=float(distance[i]),
            change=float(change_t[i]),
            comparison_change=float(comparison[i]),
            difference=float(difference[i]),
        )
        for i, s in enumerate(participants)
    )
    return ProgramEvaluation(
        measure=measure,
        method=method,
        participants=n,
        comparison_people=used_people,
        treated_change=treated_change,
        comparison_change=comparison_change,
        effect=effect,
        standard_error=se,
        ci_low=low,
        ci_high=high,
        confidence=confidence,
        degrees_of_freedom=df,
        verdict=verdict,
        wording=wording,
        notes=tuple(notes),
        matches=matches,
        balance=balance,
    )
