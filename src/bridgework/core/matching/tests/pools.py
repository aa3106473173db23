"""Seeded random pools and a brute-force solver for the matching tests.

The brute force is deliberately independent of the engine's fast paths: it
scores with :func:`pair_score` and checks pairs with :func:`violations` (the
one-pair definitions), never :func:`score_matrix` or :func:`allowed_matrix`,
and it tries every assignment.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

from bridgework.core.matching import (
    Constraints,
    MenteeProfile,
    MentorProfile,
    Weights,
    pair_score,
    violations,
)

BEHAVIORS = ("listening", "presenting_yourself", "negotiating")
SKILLS = ("SQL", "Python", "statistics", "negotiation", "design")
T = TypeVar("T")

GROUPS = ("Finance", "Legal", "Acme Corp", "data guild")
TEAMS = ("Finance", "Legal", "Platform", None)
ENGAGEMENT = ("video", "in person", "chat")
OFFSETS = (-8.0, -5.0, 0.0, 1.0, 5.5, 9.0)


def _some(rng: random.Random, items: Sequence[T], most: int) -> set[T]:
    return set(rng.sample(list(items), rng.randint(0, min(most, len(items)))))


def _some_in_order(rng: random.Random, items: Sequence[str], most: int) -> list[str]:
    """As :func:`_some`, in a fixed order: values drawn per item must not depend on
    the order a set of strings iterates in, which changes with ``PYTHONHASHSEED``."""
    return sorted(_some(rng, items, most))


def random_pool(
    rng: random.Random, mentees: int, mentors: int, *, max_capacity: int = 2
) -> tuple[list[MenteeProfile], list[MentorProfile]]:
    """Small random mentees (ids 1..) and mentors (ids 101..; now and then a mentee
    is also a mentor) with every kind of constraint and preference."""
    mentor_ids = [101 + j for j in range(mentors)]
    if mentees and mentors and rng.random() < 0.3:
        mentor_ids[rng.randrange(mentors)] = rng.randint(1, mentees)  # a mentee who also mentors
    mentor_profiles = [
        MentorProfile(
            person_id,
            behavior_levels={b: rng.randint(1, 5) for b in _some_in_order(rng, BEHAVIORS, 3)},
            skills=_some(rng, SKILLS, 4),
            group_reach={
                g: rng.choice([0.2, 0.5, 0.9, 1.0]) for g in _some_in_order(rng, GROUPS, 3)
            },
            team=rng.choice(TEAMS),
            organization=rng.choice(("Acme Corp", None)),
            engagement_type=rng.choice((*ENGAGEMENT, None)),
            utc_offset_hours=rng.choice(OFFSETS),
            capacity=rng.randint(0, max_capacity),
            reporting_line=_some(rng, range(1, mentees + 1), 1) if rng.random() < 0.2 else set(),
            excluded=_some(rng, range(1, mentees + 1), 1) if rng.random() < 0.2 else set(),
        )
        for person_id in mentor_ids
    ]
    mentee_profiles = [
        MenteeProfile(
            i,
            wants_to_grow={b: rng.randint(1, 3) for b in _some_in_order(rng, BEHAVIORS, 2)},
            behavior_levels={b: rng.randint(1, 5) for b in _some_in_order(rng, BEHAVIORS, 3)},
            skills_wanted=_some(rng, SKILLS, 3),
            needed_groups=_some(rng, GROUPS, 3),
            reached_groups=_some(rng, GROUPS, 1),
            team=rng.choice(TEAMS),
            utc_offset_hours=rng.choice(OFFSETS),
            reporting_line=_some(rng, mentor_ids, 1) if rng.random() < 0.3 else set(),
            excluded=_some(rng, mentor_ids, 1) if rng.random() < 0.2 else set(),
            previous_mentors=_some(rng, mentor_ids, 1) if rng.random() < 0.2 else set(),
            preferred_mentors=_some(rng, mentor_ids, 2) if rng.random() < 0.3 else set(),
            prefer_other_team=rng.random() < 0.4,
            preferred_engagement=_some(rng, ENGAGEMENT, 2) if rng.random() < 0.4 else set(),
        )
        for i in range(1, mentees + 1)
    ]
    return mentee_profiles, mentor_profiles


def brute_force(
    mentees: Sequence[MenteeProfile],
    mentors: Sequence[MentorProfile],
    *,
    weights: Weights,
    constraints: Constraints,
    fixed: Sequence[tuple[int, int]] = (),
    forbidden: Sequence[tuple[int, int]] = (),
) -> tuple[float, tuple[int, float]]:
    """The best total score, and the best (matched count, total score) lexicographically,
    over every assignment (depth-first over mentees, respecting capacities)."""
    fixed_mentor = dict(fixed)
    options: list[list[tuple[MentorProfile | None, float]]] = []
    for mentee in mentees:
        if mentee.person_id in fixed_mentor:
            chosen = next(m for m in mentors if m.person_id == fixed_mentor[mentee.person_id])
            options.append([(chosen, pair_score(mentee, chosen, weights=weights).total)])
            continue
        allowed = [
            (mentor, pair_score(mentee, mentor, weights=weights).total)
            for mentor in mentors
            if not violations(mentee, mentor, constraints=constraints)
            and (mentee.person_id, mentor.person_id) not in forbidden
        ]
        options.append([(None, 0.0), *allowed])
    places = {mentor.person_id: mentor.capacity for mentor in mentors}
    best_score = -1.0
    best_lexicographic = (-1, -1.0)

    def search(k: int, count: int, total: float) -> None:
        nonlocal best_score, best_lexicographic
        if k == len(options):
            best_score = max(best_score, total)
            best_lexicographic = max(best_lexicographic, (count, total))
            return
        for mentor, score in options[k]:
            if mentor is None:
                search(k + 1, count, total)
            elif places[mentor.person_id] > 0:
                places[mentor.person_id] -= 1
                search(k + 1, count + 1, total + score)
                places[mentor.person_id] += 1

    search(0, 0, 0.0)
    return best_score, best_lexicographic
