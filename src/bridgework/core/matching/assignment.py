"""The assignment of mentees to mentors that maximizes the total score of the pool.

The problem
-----------
Mentees :math:`i`, mentors :math:`j` with capacities :math:`c_j`, pair scores
:math:`s_{ij} \\in [0, 1]` (:mod:`~bridgework.core.matching.scoring`) and the
set :math:`A` of allowed pairs (:mod:`~bridgework.core.matching.constraints`,
minus the pairs the program manager vetoed). Choose :math:`x_{ij} \\in \\{0, 1\\}`
to

.. math::

   \\max \\sum_{(i, j) \\in A} s_{ij} x_{ij}
   \\quad\\text{s.t.}\\quad \\sum_j x_{ij} \\le 1 \\ \\forall i, \\qquad
   \\sum_i x_{ij} \\le c_j \\ \\forall j,

a maximum-weight bipartite *b*-matching. Pairs the program manager fixed are
taken first: their mentees leave the problem and their mentors' capacities
shrink.

With ``maximize_participation=True`` the objective is lexicographic: first
the most mentees matched, then the highest total score among those
assignments. It is solved as one problem with the weights
:math:`M + s_{ij}` for :math:`M = 1 + k \\max s` (:math:`k` the most matches
possible, the smaller of free mentees and free places): one more match is
worth :math:`M`, more than any difference in total score (at most
:math:`k \\max s`), so the solver never trades a match for score.

In the score-first mode (the default), a pair with score 0 adds nothing and
is never proposed: a mentee whose allowed mentors all score 0 stays
unmatched, with that reason. With participation first, such a pair is
proposed when it matches one more mentee.

The method: an exact assignment solver on mentor places
----------------------------------------------------------
Each mentor :math:`j` becomes :math:`c_j` identical places (fewer when fewer
mentees could use them), and the rectangular assignment problem "mentees x
places" with cost :math:`-s_{ij}` (and 0 for a pair that is not allowed or not
worth proposing) is solved exactly by :func:`scipy.optimize.linear_sum_assignment`,
the shortest-augmenting-path algorithm of Jonker-Volgenant as described for
rectangular problems by Crouse (2016). A zero-cost cell stands for "this place
stays empty" or "this mentee stays unmatched": the chosen zero-cost cells are
dropped afterwards, which changes nothing in the total, so no disallowed pair
is ever proposed and no dummy rows or columns are needed. The solver works on
a dense :math:`n \\times \\sum_j c_j` matrix in :math:`O(n^2 p)` time in the
worst case (:math:`p` places); 5,000 mentees and 1,000 mentors with
capacities 1-5 take about 2 s of solving, 3 s in all from profiles to
explained matches, on two cores (``bench/matching.py``).

The result is optimal, not approximately: the tests check it against brute
force on hundreds of small pools and against the LP bound
(:func:`~bridgework.core.matching.upper_bound.lp_upper_bound`) on larger ones;
the b-matching LP is integral (its constraint matrix is the incidence matrix
of a bipartite graph, totally unimodular), so the two must be equal.
:func:`greedy_assignment` (best pair first) is the baseline it beats.

Overrides: review before publishing
-----------------------------------
A program manager reviews the proposal, then re-solves with ``fixed`` pairs
(kept whatever the optimum says; they must pass the hard constraints and fit
the capacities) and ``forbidden`` pairs (never proposed). Everything else is
re-optimized around them.

Examples
--------
Two mentees, two one-place mentors; Ben cannot meet Yui (time zones), and
Ana is the better match for both (scores only on skills here):

>>> from bridgework.core.matching.profiles import MenteeProfile, MentorProfile, Weights
>>> only_skills = Weights(behavior=0, network=0, skills=1, preferences=0)
>>> ana = MenteeProfile(1, skills_wanted={"a", "b", "c", "d"})
>>> ben = MenteeProfile(2, skills_wanted={"a", "b", "c", "e"}, utc_offset_hours=-8)
>>> xia = MentorProfile(10, skills={"a", "b", "c", "d"}, utc_offset_hours=-4)
>>> yui = MentorProfile(11, skills={"a", "b", "c"}, utc_offset_hours=2)
>>> best = optimal_assignment([ana, ben], [xia, yui], weights=only_skills)
>>> [(m.mentee_id, m.mentor_id, m.score.total) for m in best.matches], best.total_score
([(1, 11, 0.75), (2, 10, 0.75)], 1.5)
>>> greedy = greedy_assignment([ana, ben], [xia, yui], weights=only_skills)
>>> [(m.mentee_id, m.mentor_id) for m in greedy.matches], greedy.total_score
([(1, 10)], 1.0)
>>> print(greedy.unmatched[2])
all 1 allowed mentors with a positive score are full: they were taken by better-scoring pairs first
>>> vetoed = optimal_assignment([ana, ben], [xia, yui], weights=only_skills, forbidden=[(2, 10)])
>>> [(m.mentee_id, m.mentor_id) for m in vetoed.matches]
[(1, 10)]

References
----------
.. [1] H. W. Kuhn, "The Hungarian method for the assignment problem",
   Naval Research Logistics Quarterly 2, 1955.
.. [2] R. Jonker and A. Volgenant, "A shortest augmenting path algorithm for
   dense and sparse linear assignment problems", Computing 38, 1987.
.. [3] D. F. Crouse, "On implementing 2D rectangular assignment algorithms",
   IEEE Transactions on Aerospace and Electronic Systems 52(4), 2016.
.. [4] R. K. Ahuja, T. L. Magnanti and J. B. Orlin, *Network Flows*,
   Prentice Hall, 1993 (b-matching as a transportation problem; total
   unimodularity).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

import numpy as np
from scipy.optimize import linear_sum_assignment

from bridgework.core.matching._pool import Pool, build_pool
from bridgework.core.matching.profiles import (
    DEFAULT_CONSTRAINTS,
    DEFAULT_WEIGHTS,
    Constraints,
    MenteeProfile,
    MentorProfile,
    Weights,
)
from bridgework.core.matching.scoring import COMPONENTS, PairScore, explain, pair_score

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Match", "Assignment", "optimal_assignment", "greedy_assignment"]

_GREEDY_BLOCK = 4096


@dataclass(frozen=True, slots=True)
class Match:
    """One proposed pair: the ids, the score and its parts, the explanation in words,
    and whether the program manager fixed it."""

    mentee_id: int
    mentor_id: int
    score: PairScore
    explanation: str
    fixed: bool = False


@dataclass(frozen=True)
class Assignment:
    """A proposed assignment of a pool.

    Attributes
    ----------
    matches : tuple of Match
        The pairs, by mentee id; the fixed pairs are among them.
    unmatched : mapping of int to str
        Each mentee left without a mentor, by id, with the reason in words.
    total_score : float
        The sum of the matches' scores.
    maximize_participation : bool
        Whether the number of matched mentees came first.
    method : str
        ``"optimal"`` or ``"greedy"``.
    """

    matches: tuple[Match, ...]
    unmatched: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))
    total_score: float = 0.0
    maximize_participation: bool = False
    method: str = "optimal"

    def mentor_of(self, mentee_id: int) -> int | None:
        """The mentor proposed for ``mentee_id``, or None."""
        return next((m.mentor_id for m in self.matches if m.mentee_id == mentee_id), None)

    def mentees_of(self, mentor_id: int) -> list[int]:
        """The mentees proposed for ``mentor_id``, by id."""
        return [m.mentee_id for m in self.matches if m.mentor_id == mentor_id]

    def to_frame(self) -> pd.DataFrame:
        """The matches as a DataFrame: ids, total, the four parts, ``fixed``, explanation."""
        import pandas as pd

        columns = ["mentee_id", "mentor_id", "total", *COMPONENTS, "fixed", "explanation"]
        return pd.DataFrame(
            [
                (m.mentee_id, m.mentor_id, m.score.total)
                + tuple(getattr(m.score, name) for name in COMPONENTS)
                + (m.fixed, m.explanation)
                for m in self.matches
            ],
            columns=columns,
        )


def _participation_values(
    values: np.ndarray, usable: np.ndarray, capacity: np.ndarray
) -> np.ndarray:
    """``M + s`` on usable pairs, with ``M`` larger than any possible total score."""
    most_matches = min(int(usable.any(axis=1).sum()), int(capacity.sum()))
    bonus = 1.0 + most_matches * float(values.max(initial=0.0))
    return np.where(usable, values + bonus, 0.0)


def _solve(values: np.ndarray, capacity: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of a maximum-weight b-matching; a pair is used only if its value > 0.

    Each column ``j`` becomes ``capacity[j]`` identical places (no more than the
    rows that could use it) and the rectangular assignment problem is solved
    exactly; chosen zero-value cells mean "empty place" / "no match" and are dropped.
    """
    positive = values > 0
    rows = np.flatnonzero(positive.any(axis=1))
    places = np.minimum(capacity, positive[rows].sum(axis=0))
    place_column = np.repeat(np.arange(len(capacity)), places)
    if rows.size == 0 or place_column.size == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    cost = values[np.ix_(rows, place_column)]
    np.negative(cost, out=cost)
    chosen_rows, chosen_places = linear_sum_assignment(cost)
    used = cost[chosen_rows, chosen_places] < 0
    return rows[chosen_rows[used]], place_column[chosen_places[used]]


def _assignment(
    pool: Pool,
    pairs: Iterable[tuple[int, int]],
    *,
    weights: Weights,
    maximize_participation: bool,
    method: str,
    why_full: str,
    names: Mapping[int, str] | None,
    behavior_labels: Mapping[str, str] | None,
) -> Assignment:
    pairs = list(pairs)
    fixed = set(pool.fixed)
    matches = []
    for i, j in sorted({*pairs, *fixed}, key=lambda pair: pool.mentees[pair[0]].person_id):
        mentee, mentor = pool.mentees[i], pool.mentors[j]
        score = pair_score(mentee, mentor, weights=weights)
        text = explain(
            mentee,
            mentor,
            weights=weights,
            score=score,
            names=names,
            behavior_labels=behavior_labels,
        )
        matches.append(Match(mentee.person_id, mentor.person_id, score, text, (i, j) in fixed))
    matched = {i for i, _ in fixed} | {i for i, _ in pairs}
    unmatched = {
        pool.mentees[i].person_id: pool.unmatched_reason(
            i, maximize_participation=maximize_participation, why_full=why_full
        )
        for i in range(len(pool.mentees))
        if i not in matched
    }
    return Assignment(
        matches=tuple(matches),
        unmatched=MappingProxyType(dict(sorted(unmatched.items()))),
        total_score=float(sum(match.score.total for match in matches)),
        maximize_participation=maximize_participation,
        method=method,
    )


def optimal_assignment(
    mentees: Sequence[MenteeProfile],
    mentors: Sequence[MentorProfile],
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    constraints: Constraints = DEFAULT_CONSTRAINTS,
    maximize_participation: bool = False,
    fixed: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
    names: Mapping[int, str] | None = None,
    behavior_labels: Mapping[str, str] | None = None,
) -> Assignment:
    """The assignment with the largest total score (see the module docstring).

    Parameters
    ----------
    mentees, mentors : sequence of MenteeProfile, MentorProfile
        The pool; person ids unique within each side.
    weights : Weights, optional
        The weights of the score's parts.
    constraints : Constraints, optional
        The time-zone window and whether earlier pairings may repeat.
    maximize_participation : bool, optional
        Match as many mentees as possible first, then maximize the score.
    fixed : iterable of (mentee_id, mentor_id), optional
        Pairs the program manager keeps; each must pass the hard constraints
        and fit the mentor's capacity, a mentee at most once.
    forbidden : iterable of (mentee_id, mentor_id), optional
        Pairs the program manager vetoed.
    names, behavior_labels : mapping, optional
        Display names and behavior labels for the explanations (see
        :func:`~bridgework.core.matching.scoring.explain`).

    Returns
    -------
    Assignment
        The matches by mentee id, each explained, and the unmatched mentees
        with the reason.

    Raises
    ------
    ValueError
        For a malformed pool (duplicate ids, wrong types) or override (unknown
        id, a fixed pair that breaks a hard constraint, is also forbidden,
        gives a mentee two mentors or a mentor more than their capacity).
    """
    pool = build_pool(
        mentees, mentors, weights=weights, constraints=constraints, fixed=fixed, forbidden=forbidden
    )
    usable = pool.usable(maximize_participation=maximize_participation)
    if maximize_participation:
        values = _participation_values(pool.scores, usable, pool.capacity)
    else:
        values = np.where(usable, pool.scores, 0.0)
    rows, columns = _solve(values, pool.capacity)
    why_full = (
        "no reassignment matches more mentees"
        if maximize_participation
        else "giving this mentee one of them would not raise the total score"
    )
    return _assignment(
        pool,
        zip(rows.tolist(), columns.tolist(), strict=True),
        weights=weights,
        maximize_participation=maximize_participation,
        method="optimal",
        why_full=why_full,
        names=names,
        behavior_labels=behavior_labels,
    )


def greedy_assignment(
    mentees: Sequence[MenteeProfile],
    mentors: Sequence[MentorProfile],
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    constraints: Constraints = DEFAULT_CONSTRAINTS,
    fixed: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
    names: Mapping[int, str] | None = None,
    behavior_labels: Mapping[str, str] | None = None,
) -> Assignment:
    """The baseline: take the best-scoring allowed pair, then the next, while places last.

    Pairs with a positive score are taken in order of score (ties by mentee
    id, then mentor id) whenever the mentee is still free and the mentor has a
    place left. Greedy is a 1/2-approximation of the optimum for b-matching
    (its total is at least half the optimal total) and often much closer;
    ``bench/matching.py`` measures the gap. Parameters as for
    :func:`optimal_assignment`.

    Examples
    --------
    See the module docstring: Ana takes Xia first (1.0) and Ben, who can only
    meet Xia, is left out, where the optimum matches both (0.75 + 0.75).
    """
    pool = build_pool(
        mentees, mentors, weights=weights, constraints=constraints, fixed=fixed, forbidden=forbidden
    )
    by_mentee = np.argsort([mentee.person_id for mentee in pool.mentees])
    by_mentor = np.argsort([mentor.person_id for mentor in pool.mentors])
    usable = pool.usable(maximize_participation=False)[np.ix_(by_mentee, by_mentor)]
    rows, columns = np.nonzero(usable)  # by mentee id, then mentor id
    rows, columns = by_mentee[rows], by_mentor[columns]
    order = np.argsort(-pool.scores[rows, columns], kind="stable")
    rows, columns = rows[order], columns[order]
    places = pool.capacity.copy()
    taken = np.zeros(len(pool.mentees), dtype=bool)
    pairs = []
    while rows.size:
        # Walk a block of pairs in order, then drop in bulk the pairs whose mentee was
        # taken or whose mentor filled up: most of a large pool's pairs die that way.
        for i, j in zip(
            rows[:_GREEDY_BLOCK].tolist(), columns[:_GREEDY_BLOCK].tolist(), strict=True
        ):
            if not taken[i] and places[j] > 0:
                taken[i] = True
                places[j] -= 1
                pairs.append((i, j))
        rows, columns = rows[_GREEDY_BLOCK:], columns[_GREEDY_BLOCK:]
        alive = ~taken[rows] & (places[columns] > 0)
        rows, columns = rows[alive], columns[alive]
    return _assignment(
        pool,
        pairs,
        weights=weights,
        maximize_participation=False,
        method="greedy",
        why_full="they were taken by better-scoring pairs first",
        names=names,
        behavior_labels=behavior_labels,
    )
