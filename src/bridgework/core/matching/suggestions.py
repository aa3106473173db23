"""Self-matching: a mentee's ranked, explained mentor suggestions.

In self-matching mode a mentee chooses their own mentor from a short list.
:func:`ranked_suggestions` gives the mentors the mentee may be matched with
(every hard constraint passes, see
:func:`~bridgework.core.matching.constraints.violations`) that still have a
place, best score first, each with its explanation.

As in the score-first assignment, a mentor who scores 0 for the mentee
(nothing in common on the weighted criteria) is not suggested. Equal scores
go to the mentor with more places left (spreading the load), then the smaller
person id, so the list is stable.

``remaining_capacity`` carries the places already taken in this round: the
app passes each mentor's capacity minus their current mentees, so a full
mentor drops out of everyone's list as soon as they are chosen.

Unlike :func:`~bridgework.core.matching.assignment.optimal_assignment`, this
ranks for one mentee at a time, first come first served: the best choice for
each mentee, not the best total for the pool. A program that wants the
total should let mentees rank and have the program manager run the
assignment.

Examples
--------
>>> from bridgework.core.matching.profiles import MenteeProfile, MentorProfile
>>> mentee = MenteeProfile(1, skills_wanted={"SQL", "R"}, reporting_line={4})
>>> mentors = [MentorProfile(2, skills={"SQL"}), MentorProfile(3, skills={"SQL", "R"}, capacity=2),
...            MentorProfile(4, skills={"SQL", "R"}), MentorProfile(5, skills={"R"})]
>>> for s in ranked_suggestions(mentee, mentors, remaining_capacity={3: 0}):
...     print(s.rank, s.mentor_id, round(s.score.total, 2))
1 2 0.1
2 5 0.1
>>> print(ranked_suggestions(mentee, mentors, names={1: "Ana", 3: "Cy"})[0].explanation)
Cy for Ana, score 0.20: shares 2 of Ana's 2 wanted skills (R, SQL).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bridgework.core.matching.constraints import violations
from bridgework.core.matching.profiles import (
    DEFAULT_CONSTRAINTS,
    DEFAULT_WEIGHTS,
    Constraints,
    MenteeProfile,
    MentorProfile,
    Weights,
    check_pool,
)
from bridgework.core.matching.scoring import PairScore, explain, pair_score

__all__ = ["Suggestion", "ranked_suggestions"]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One suggested mentor: ``rank`` (1 is best), the score, the places left and why."""

    rank: int
    mentor_id: int
    score: PairScore
    places_left: int
    explanation: str


def ranked_suggestions(
    mentee: MenteeProfile,
    mentors: Sequence[MentorProfile],
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    constraints: Constraints = DEFAULT_CONSTRAINTS,
    remaining_capacity: Mapping[int, int] | None = None,
    limit: int | None = 5,
    names: Mapping[int, str] | None = None,
    behavior_labels: Mapping[str, str] | None = None,
) -> list[Suggestion]:
    """The best allowed mentors for one mentee, best first, each explained.

    Parameters
    ----------
    mentee : MenteeProfile
    mentors : sequence of MentorProfile
        Person ids unique.
    weights : Weights, optional
    constraints : Constraints, optional
    remaining_capacity : mapping of int to int, optional
        Places left by mentor id; a mentor not in it has their full
        ``capacity`` left. Mentors with no place left are not suggested.
    limit : int or None, optional
        The most suggestions returned (5); None for all.
    names, behavior_labels : mapping, optional
        For the explanations (see :func:`~bridgework.core.matching.scoring.explain`).

    Returns
    -------
    list of Suggestion

    Raises
    ------
    ValueError
        For duplicate mentor ids, a negative remaining capacity or a limit below 1.
    """
    check_pool([mentee], mentors)
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be at least 1 or None, not {limit!r}")
    remaining = dict(remaining_capacity or {})
    negative = sorted(person_id for person_id, places in remaining.items() if places < 0)
    if negative:
        raise ValueError(f"remaining_capacity must be >= 0, see mentors {negative}")
    candidates = []
    for mentor in mentors:
        places = min(mentor.capacity, remaining.get(mentor.person_id, mentor.capacity))
        if places <= 0 or violations(mentee, mentor, constraints=constraints):
            continue
        score = pair_score(mentee, mentor, weights=weights)
        if score.total > 0:
            candidates.append((score, places, mentor))
    candidates.sort(key=lambda item: (-item[0].total, -item[1], item[2].person_id))
    return [
        Suggestion(
            rank=rank,
            mentor_id=mentor.person_id,
            score=score,
            places_left=places,
            explanation=explain(
                mentee,
                mentor,
                weights=weights,
                score=score,
                names=names,
                behavior_labels=behavior_labels,
            ),
        )
        for rank, (score, places, mentor) in enumerate(candidates[:limit], start=1)
    ]
