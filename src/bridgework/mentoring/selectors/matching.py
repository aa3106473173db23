"""What matching shows: the program manager's review of the proposal, and a
mentee's ranked suggestions (self-matching)."""

from __future__ import annotations

from dataclasses import dataclass

from bridgework.accounts import policies
from bridgework.accounts.guards import require, require_login
from bridgework.accounts.models import User
from bridgework.core.matching import ranked_suggestions
from bridgework.mentoring.models import (
    Enrollment,
    MatchingRun,
    MatchOverride,
    MentoringRelationship,
    Program,
)
from bridgework.mentoring.profiles import matching_pool, remaining_capacity
from bridgework.mentoring.selectors._common import LIVE

__all__ = ["MatchingReview", "matching_review", "SuggestionRow", "mentor_suggestions"]


@dataclass
class MatchingReview:
    """What the program manager reviews: the proposal, overrides and the pool."""

    program: Program
    run: MatchingRun | None
    matches: list
    unmatched: list[tuple[Enrollment, str]]
    overrides: list[MatchOverride]
    mentees_waiting: list[Enrollment]
    mentors: list[Enrollment]
    places_left: dict[int, int]
    published: int

    @property
    def places_total(self) -> int:
        return sum(self.places_left.values())


def matching_review(*, viewer: User, program: Program) -> MatchingReview:
    """The newest proposal with every match's score parts and explanation, the
    unmatched mentees with the reason, the overrides, and who is in the pool."""
    require(policies.can_manage_mentoring(viewer))
    run = program.matching_runs.exclude(status=MatchingRun.Status.SUPERSEDED).first()
    matches = (
        list(
            run.matches.select_related("mentee__person__team", "mentor__person__team").order_by(
                "-total", "id"
            )
        )
        if run
        else []
    )
    enrollments = list(
        program.enrollments.filter(status=Enrollment.Status.ACTIVE).select_related(
            "person__team", "person__organization"
        )
    )
    live = set(program.relationships.filter(status__in=LIVE).values_list("mentee_id", flat=True))
    mentees = [e for e in enrollments if e.role == Enrollment.Role.MENTEE]
    mentors = [e for e in enrollments if e.role == Enrollment.Role.MENTOR]
    by_person = {e.person_id: e for e in mentees}
    unmatched = []
    if run is not None and run.status == MatchingRun.Status.PROPOSED:
        unmatched = [
            (by_person[int(pk)], reason)
            for pk, reason in run.unmatched.items()
            if int(pk) in by_person
        ]
    return MatchingReview(
        program=program,
        run=run,
        matches=matches,
        unmatched=unmatched,
        overrides=list(
            program.overrides.select_related("mentee__person", "mentor__person").order_by(
                "kind", "mentee__person__full_name", "id"
            )
        ),
        mentees_waiting=[e for e in mentees if e.person_id not in live],
        mentors=mentors,
        places_left=remaining_capacity(program, mentors),
        published=program.relationships.filter(origin=MentoringRelationship.Origin.MATCHED).count(),
    )


@dataclass
class SuggestionRow:
    rank: int
    mentor: object
    enrollment: Enrollment
    score: object
    places_left: int
    explanation: str


def mentor_suggestions(*, viewer: User, program: Program, limit: int = 5) -> list[SuggestionRow]:
    """Self-matching: the viewer's ranked, explained mentor suggestions in a program
    (empty when they are not an unmatched mentee there)."""
    require_login(viewer)
    if viewer.person_id is None:
        return []
    pool = matching_pool(program, mentee_person_ids=[viewer.person_id])
    if not pool.mentees:
        return []
    suggestions = ranked_suggestions(
        pool.mentees[0],
        pool.mentors,
        weights=program.matching_weights(),
        constraints=program.matching_constraints(),
        remaining_capacity=pool.places_left,
        limit=limit,
        names=pool.names,
        behavior_labels=pool.labels,
    )
    return [
        SuggestionRow(
            rank=s.rank,
            mentor=pool.mentor_enrollments[s.mentor_id].person,
            enrollment=pool.mentor_enrollments[s.mentor_id],
            score=s.score,
            places_left=s.places_left,
            explanation=s.explanation,
        )
        for s in suggestions
    ]
