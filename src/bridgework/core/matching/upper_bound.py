"""An upper bound on the total score of any assignment: the LP relaxation.

Relax :math:`x_{ij} \\in \\{0, 1\\}` in the problem of
:mod:`~bridgework.core.matching.assignment` to :math:`x_{ij} \\ge 0`. Its dual
is

.. math::

   \\min \\sum_i u_i + \\sum_j c_j v_j \\quad\\text{s.t.}\\quad
   u_i + v_j \\ge s_{ij} \\ \\forall (i, j) \\in A, \\qquad u, v \\ge 0,

and every dual-feasible :math:`(u, v)` bounds every assignment from above
(weak duality). The b-matching LP is integral (a bipartite incidence matrix
is totally unimodular), so the LP optimum *equals* the best assignment: a
benchmark or test that finds the assignment's total equal to this bound has
proved it optimal by a route independent of the assignment solver.

The method: column generation
-----------------------------
The LP has a column per allowed pair (millions for a large pool), but only
a few per mentee matter. :func:`lp_upper_bound` solves the LP on a subset of
columns with HiGHS (dual simplex, :func:`scipy.optimize.linprog`) and prices
every other pair with the duals: a pair with :math:`s_{ij} - u_i - v_j > 0`
could raise the objective, so the most promising such pairs of each mentee
join the LP, which is solved again, until no pair prices out (Dantzig and
Wolfe 1960; Gilmore and Gomory 1961). It starts from each mentee's ten best
pairs and each mentor's best ``2 c_j + 10`` mentees.

The value returned is always a valid bound, whatever the solver's
tolerances: the mentor duals :math:`v` are kept and each :math:`u_i` is
recomputed as :math:`\\max(0, \\max_j (s_{ij} - v_j))` over the allowed pairs,
which makes :math:`(u, v)` dual feasible exactly. At the end of column
generation it equals the LP optimum to about :math:`10^{-9}`.

The pool is the same as for the assignment: hard constraints, vetoed pairs,
fixed pairs (their scores are added to the bound; their mentors' capacities
shrink), and only pairs with a positive score (a pair with score 0 cannot
raise the objective). The bound is for the score-first objective; it also
bounds the total of a participation-first assignment, which can only be lower.

Examples
--------
The pool of :mod:`~bridgework.core.matching.assignment`'s example: the best
assignment scores 0.75 + 0.75, and so does the LP.

>>> from bridgework.core.matching.profiles import MenteeProfile, MentorProfile, Weights
>>> only_skills = Weights(behavior=0, network=0, skills=1, preferences=0)
>>> mentees = [MenteeProfile(1, skills_wanted={"a", "b", "c", "d"}),
...            MenteeProfile(2, skills_wanted={"a", "b", "c", "e"}, utc_offset_hours=-8)]
>>> mentors = [MentorProfile(10, skills={"a", "b", "c", "d"}, utc_offset_hours=-4),
...            MentorProfile(11, skills={"a", "b", "c"}, utc_offset_hours=2)]
>>> round(lp_upper_bound(mentees, mentors, weights=only_skills), 9)
1.5

References
----------
.. [1] G. B. Dantzig and P. Wolfe, "Decomposition principle for linear
   programs", Operations Research 8(1), 1960.
.. [2] P. C. Gilmore and R. E. Gomory, "A linear programming approach to the
   cutting-stock problem", Operations Research 9(6), 1961.
.. [3] Q. Huangfu and J. A. J. Hall, "Parallelizing the dual revised simplex
   method", Mathematical Programming Computation 10, 2018 (HiGHS).
.. [4] A. Schrijver, *Combinatorial Optimization*, Springer, 2003, ch. 21
   (b-matching polytope of a bipartite graph).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from bridgework.core.matching._pool import build_pool
from bridgework.core.matching.profiles import (
    DEFAULT_CONSTRAINTS,
    DEFAULT_WEIGHTS,
    Constraints,
    MenteeProfile,
    MentorProfile,
    Weights,
)

__all__ = ["lp_upper_bound"]

START_PER_MENTEE = 10
"""Each mentee's best pairs in the first LP."""
ADD_PER_MENTEE = 10
"""At most this many pairs that price out join the LP per mentee and round."""
PRICING_TOLERANCE = 1e-9


def _top_columns(values: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the ``k`` largest values of each row (in no order)."""
    k = min(k, values.shape[1])
    return np.argpartition(-values, k - 1, axis=1)[:, :k]


def _solve_restricted(
    values: np.ndarray, capacity: np.ndarray, in_lp: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Mentee and mentor duals (u, v) of the LP on the pairs ``in_lp``."""
    n, m = values.shape
    rows, columns = np.nonzero(in_lp)
    edges = np.arange(rows.size)
    ones = np.ones(rows.size)
    constraints = sp.vstack(
        [
            sp.csr_matrix((ones, (rows, edges)), shape=(n, rows.size)),
            sp.csr_matrix((ones, (columns, edges)), shape=(m, rows.size)),
        ]
    ).tocsc()
    result = linprog(
        -values[rows, columns],
        A_ub=constraints,
        b_ub=np.concatenate([np.ones(n), capacity.astype(float)]),
        bounds=(0, None),
        method="highs-ds",
    )
    if result.status != 0:  # pragma: no cover - the LP is always feasible (x = 0) and bounded
        raise RuntimeError(f"HiGHS could not solve the restricted LP: {result.message}")
    duals = np.maximum(-result.ineqlin.marginals, 0.0)
    return duals[:n], duals[n:]


def lp_upper_bound(
    mentees: Sequence[MenteeProfile],
    mentors: Sequence[MentorProfile],
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    constraints: Constraints = DEFAULT_CONSTRAINTS,
    fixed: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
) -> float:
    """The LP-relaxation bound on the total score of any assignment of the pool.

    Parameters are those of
    :func:`~bridgework.core.matching.assignment.optimal_assignment` (without
    the participation option and the display options).

    Returns
    -------
    float
        A total score no assignment can beat; equal (to about 1e-9) to the
        total of the optimal score-first assignment, since the LP is integral.

    Raises
    ------
    ValueError
        As :func:`~bridgework.core.matching.assignment.optimal_assignment`.
    """
    pool = build_pool(
        mentees, mentors, weights=weights, constraints=constraints, fixed=fixed, forbidden=forbidden
    )
    fixed_total = float(sum(pool.scores[i, j] for i, j in pool.fixed))
    usable = pool.usable(maximize_participation=False)
    rows = np.flatnonzero(usable.any(axis=1))
    columns = np.flatnonzero(usable.any(axis=0))
    if rows.size == 0:
        return fixed_total
    allowed = usable[np.ix_(rows, columns)]
    values = np.where(allowed, pool.scores[np.ix_(rows, columns)], 0.0)
    capacity = pool.capacity[columns]
    n, m = values.shape

    ranked = np.where(allowed, values, -np.inf)
    in_lp = np.zeros((n, m), dtype=bool)
    in_lp[np.arange(n)[:, None], _top_columns(ranked, START_PER_MENTEE)] = True
    per_mentor = min(n, 2 * int(capacity.max()) + START_PER_MENTEE)
    in_lp[_top_columns(ranked.T, per_mentor), np.arange(m)[:, None]] = True
    in_lp &= allowed

    while True:
        u, v = _solve_restricted(values, capacity, in_lp)
        reduced = np.where(allowed & ~in_lp, values - u[:, None] - v[None, :], -np.inf)
        prices_out = reduced > PRICING_TOLERANCE
        if not prices_out.any():
            break
        best = _top_columns(reduced, ADD_PER_MENTEE)
        chosen = np.take_along_axis(prices_out, best, axis=1)
        in_lp[np.nonzero(chosen)[0], best[chosen]] = True

    feasible_u = np.maximum(np.where(allowed, values - v[None, :], 0.0).max(axis=1), 0.0)
    return fixed_total + float(feasible_u.sum() + capacity @ v)
