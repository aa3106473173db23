"""Mentor matching: score every mentor-mentee pair, respect the hard constraints,
find the assignment with the best total, and explain every match.

=====================  ==============================================================
module                 what it holds
=====================  ==============================================================
``profiles``           ``MenteeProfile``, ``MentorProfile``, ``Weights``, ``Constraints``
``scoring``            ``pair_score``, ``explain``, ``score_matrix``: behavior fit,
                       network complementarity, skills, preferences
``constraints``        ``violations``, ``allowed_matrix``: reporting line, capacity,
                       time-zone window, exclusions, no repeat pairing
``assignment``         ``optimal_assignment`` (exact, optionally participation first,
                       with the program manager's fixed and forbidden pairs),
                       ``greedy_assignment`` (the baseline)
``upper_bound``        ``lp_upper_bound``: the LP relaxation, equal to the optimum
``suggestions``        ``ranked_suggestions`` for mentee self-matching
=====================  ==============================================================

Plain data in, plain data out: no Django, no database. ``docs/matching.md``
explains the score, the constraints, the optimization and how to read an
explanation.
"""

from bridgework.core.matching.assignment import (
    Assignment,
    Match,
    greedy_assignment,
    optimal_assignment,
)
from bridgework.core.matching.constraints import allowed_matrix, time_zone_difference, violations
from bridgework.core.matching.profiles import Constraints, MenteeProfile, MentorProfile, Weights
from bridgework.core.matching.scoring import PairScore, explain, pair_score, score_matrix
from bridgework.core.matching.suggestions import Suggestion, ranked_suggestions
from bridgework.core.matching.upper_bound import lp_upper_bound

__all__ = [
    "Assignment",
    "Constraints",
    "Match",
    "MenteeProfile",
    "MentorProfile",
    "PairScore",
    "Suggestion",
    "Weights",
    "allowed_matrix",
    "explain",
    "greedy_assignment",
    "lp_upper_bound",
    "optimal_assignment",
    "pair_score",
    "ranked_suggestions",
    "score_matrix",
    "time_zone_difference",
    "violations",
]
