"""A matching pool prepared once: scores, allowed pairs and the program manager's overrides.

Shared by :mod:`~bridgework.core.matching.assignment` and
:mod:`~bridgework.core.matching.upper_bound`, so the optimal assignment, the
greedy baseline and the LP bound all solve exactly the same problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from bridgework.core.matching.constraints import allowed_matrix, time_zone_differences, violations
from bridgework.core.matching.profiles import (
    Constraints,
    MenteeProfile,
    MentorProfile,
    Weights,
    check_pool,
)
from bridgework.core.matching.scoring import score_matrix

__all__ = ["Pool", "build_pool"]


@dataclass(frozen=True, eq=False)
class Pool:
    """Everything an assignment method needs, by row (mentee) and column (mentor) index.

    ``allowed`` already excludes vetoed pairs; ``capacity`` is what is left of
    each mentor's capacity after the fixed pairs; ``free`` marks the mentees
    not fixed to a mentor.
    """

    mentees: tuple[MenteeProfile, ...]
    mentors: tuple[MentorProfile, ...]
    scores: np.ndarray
    allowed: np.ndarray
    capacity: np.ndarray
    fixed: tuple[tuple[int, int], ...]
    free: np.ndarray
    constraints: Constraints
    vetoed: np.ndarray
    no_capacity: np.ndarray

    def usable(self, *, maximize_participation: bool) -> np.ndarray:
        """Pairs worth proposing for a free mentee: allowed, with capacity left, and with a
        positive score unless participation comes first."""
        usable: np.ndarray = self.allowed & (self.capacity > 0)[None, :] & self.free[:, None]
        if not maximize_participation:
            usable &= self.scores > 0
        return usable

    def unmatched_reason(self, row: int, *, maximize_participation: bool, why_full: str) -> str:
        """Why the free mentee ``row`` has no mentor, in words."""
        m = len(self.mentors)
        if m == 0:
            return "there are no mentors in the pool"
        allowed = self.allowed[row]
        if not allowed.any():
            window = self.constraints.max_time_zone_difference_hours
            parts = []
            blocked = np.ones(m, dtype=bool)
            if window is not None:
                outside = (
                    time_zone_differences([self.mentees[row]], self.mentors)[0] > window + 1e-9
                )
                if outside.any():
                    parts.append(f"{outside.sum():,} outside the {window:g}-hour time-zone window")
                blocked &= ~outside
            no_capacity = blocked & self.no_capacity
            if no_capacity.any():
                parts.append(f"{no_capacity.sum():,} without capacity")
            blocked &= ~no_capacity
            if (blocked & self.vetoed[row]).any():
                parts.append(
                    f"{(blocked & self.vetoed[row]).sum():,} vetoed by the program manager"
                )
            blocked &= ~self.vetoed[row]
            if blocked.any():
                parts.append(
                    f"{blocked.sum():,} in a reporting line, excluded, paired before or the mentee themself"
                )
            return f"no mentor passes the hard constraints ({'; '.join(parts)})"
        if not maximize_participation and not (allowed & (self.scores[row] > 0)).any():
            return (
                f"all {allowed.sum():,} allowed mentors score 0: none offers what the mentee "
                "asked for on the weighted criteria"
            )
        count = (allowed if maximize_participation else allowed & (self.scores[row] > 0)).sum()
        kind = (
            "allowed mentors" if maximize_participation else "allowed mentors with a positive score"
        )
        return f"all {count:,} {kind} are full: {why_full}"


def _pairs(pairs: Iterable[tuple[int, int]], name: str) -> list[tuple[int, int]]:
    result = []
    for pair in pairs:
        try:
            mentee_id, mentor_id = pair
        except (TypeError, ValueError):
            raise ValueError(
                f"{name} must hold (mentee_id, mentor_id) pairs, not {pair!r}"
            ) from None
        result.append((mentee_id, mentor_id))
    return result


def build_pool(
    mentees: Sequence[MenteeProfile],
    mentors: Sequence[MentorProfile],
    *,
    weights: Weights,
    constraints: Constraints,
    fixed: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
) -> Pool:
    """Score and constrain every pair, and apply the overrides (raising ValueError on bad ones)."""
    if not isinstance(weights, Weights):
        raise ValueError(f"weights must be a Weights, not {weights!r}")
    if not isinstance(constraints, Constraints):
        raise ValueError(f"constraints must be a Constraints, not {constraints!r}")
    mentees, mentors = tuple(mentees), tuple(mentors)
    check_pool(mentees, mentors)
    row = {mentee.person_id: i for i, mentee in enumerate(mentees)}
    column = {mentor.person_id: j for j, mentor in enumerate(mentors)}

    def index(pair: tuple[int, int], name: str) -> tuple[int, int]:
        mentee_id, mentor_id = pair
        if mentee_id not in row:
            raise ValueError(f"{name} pair {pair}: no mentee with id {mentee_id!r} in the pool")
        if mentor_id not in column:
            raise ValueError(f"{name} pair {pair}: no mentor with id {mentor_id!r} in the pool")
        return row[mentee_id], column[mentor_id]

    scores = score_matrix(mentees, mentors, weights=weights)
    allowed = allowed_matrix(mentees, mentors, constraints=constraints)
    vetoed = np.zeros_like(allowed)
    forbidden_pairs = set(_pairs(forbidden, "forbidden"))
    for pair in forbidden_pairs:
        vetoed[index(pair, "forbidden")] = True
    allowed &= ~vetoed

    capacity = np.array([mentor.capacity for mentor in mentors], dtype=np.int64)
    free = np.ones(len(mentees), dtype=bool)
    fixed_indices = []
    for pair in _pairs(fixed, "fixed"):
        i, j = index(pair, "fixed")
        if pair in forbidden_pairs:
            raise ValueError(f"fixed pair {pair} is also forbidden")
        if not free[i]:
            raise ValueError(f"fixed pairs give mentee {pair[0]} more than one mentor")
        broken = violations(mentees[i], mentors[j], constraints=constraints)
        if broken:
            raise ValueError(f"fixed pair {pair} breaks a hard constraint: {'; '.join(broken)}")
        if capacity[j] == 0:
            raise ValueError(
                f"fixed pairs give mentor {pair[1]} more mentees than their capacity "
                f"({mentors[j].capacity})"
            )
        capacity[j] -= 1
        free[i] = False
        fixed_indices.append((i, j))
    return Pool(
        mentees=mentees,
        mentors=mentors,
        scores=scores,
        allowed=allowed,
        capacity=capacity,
        fixed=tuple(fixed_indices),
        free=free,
        constraints=constraints,
        vetoed=vetoed,
        no_capacity=np.array([mentor.capacity == 0 for mentor in mentors], dtype=bool),
    )
