"""Matching by the program manager: run the optimal assignment, fix or veto pairs,
publish the proposal as mentoring relationships."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.matching import optimal_assignment, violations
from bridgework.mentoring.models import (
    Enrollment,
    MatchingRun,
    MatchOverride,
    MentoringRelationship,
    Program,
    ProposedMatch,
)
from bridgework.mentoring.profiles import matching_pool, remaining_capacity
from bridgework.mentoring.services._common import (
    LIVE,
    mail_on_commit,
    page_link,
    relationship_row_create,
    require_manager,
    today_utc,
)

__all__ = ["matching_run", "match_override_set", "match_override_remove", "matching_publish"]


def _overrides(program: Program, pool) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Fixed and vetoed (mentee, mentor) person ids of the program, within the pool."""
    fixed: list[tuple[int, int]] = []
    forbidden: list[tuple[int, int]] = []
    for override in MatchOverride.objects.filter(program=program).select_related(
        "mentee", "mentor"
    ):
        pair = (override.mentee.person_id, override.mentor.person_id)
        if pair[0] not in pool.mentee_enrollments or pair[1] not in pool.mentor_enrollments:
            continue
        (fixed if override.kind == MatchOverride.Kind.FIX else forbidden).append(pair)
    return sorted(fixed), sorted(forbidden)


@transaction.atomic
def matching_run(*, actor: User, program: Program) -> MatchingRun:
    """Propose the optimal assignment of the program's unmatched mentees to its
    mentors (``core.matching.optimal_assignment``), with the program manager's
    fixed and vetoed pairs; the proposal replaces the one under review.

    Mentees who already have a live relationship in the program are not in
    the pool; mentors bring the places they have left.
    """
    require_manager(actor)
    if program.status == Program.Status.FINISHED:
        raise ValidationError({"program": "This program has finished."})
    pool = matching_pool(program)
    fixed, forbidden = _overrides(program, pool)
    try:
        assignment = optimal_assignment(
            pool.mentees,
            pool.mentors,
            weights=program.matching_weights(),
            constraints=program.matching_constraints(),
            maximize_participation=program.maximize_participation,
            fixed=fixed,
            forbidden=forbidden,
            names=pool.names,
            behavior_labels=pool.labels,
        )
    except ValueError as exc:
        raise ValidationError({"overrides": f"The overrides cannot all hold: {exc}."}) from None
    MatchingRun.objects.filter(program=program, status=MatchingRun.Status.PROPOSED).update(
        status=MatchingRun.Status.SUPERSEDED
    )
    run = MatchingRun.objects.create(
        program=program,
        maximize_participation=program.maximize_participation,
        options={
            "weights": {
                "behavior": program.weight_behavior,
                "network": program.weight_network,
                "skills": program.weight_skills,
                "preferences": program.weight_preferences,
            },
            "max_time_zone_difference_hours": program.max_time_zone_difference_hours,
            "allow_repeat_pairing": program.allow_repeat_pairing,
        },
        fixed=[list(p) for p in fixed],
        forbidden=[list(p) for p in forbidden],
        mentees=len(pool.mentees),
        mentors=len(pool.mentors),
        total_score=round(assignment.total_score, 6),
        unmatched={str(k): v for k, v in assignment.unmatched.items()},
        created_by=actor,
    )
    ProposedMatch.objects.bulk_create(
        [
            ProposedMatch(
                run=run,
                mentee=pool.mentee_enrollments[match.mentee_id],
                mentor=pool.mentor_enrollments[match.mentor_id],
                total=min(1.0, max(0.0, match.score.total)),
                behavior=match.score.behavior,
                network=match.score.network,
                skills=match.score.skills,
                preferences=match.score.preferences,
                explanation=match.explanation,
                fixed=match.fixed,
            )
            for match in assignment.matches
        ]
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="matching_run",
        object_id=run.pk,
        detail={
            "program": program.pk,
            "matches": len(assignment.matches),
            "unmatched": len(assignment.unmatched),
            "fixed": len(fixed),
            "forbidden": len(forbidden),
        },
    )
    return run


@transaction.atomic
def match_override_set(
    *, actor: User, program: Program, mentee: Enrollment, mentor: Enrollment, kind: str
) -> MatchOverride:
    """Fix a pair (kept in every run until removed) or veto it (never proposed).

    A fixed pair must pass the hard constraints (the reason is given when it
    does not); fixing another mentor for the same mentee replaces that fix.
    """
    require_manager(actor)
    if kind not in MatchOverride.Kind.values:
        raise ValidationError({"kind": "Choose fix or veto."})
    if (
        mentee.program_id != program.pk
        or mentor.program_id != program.pk
        or mentee.role != Enrollment.Role.MENTEE
        or mentor.role != Enrollment.Role.MENTOR
    ):
        raise ValidationError({"mentor": "Choose a mentee and a mentor of this program."})
    if kind == MatchOverride.Kind.FIX:
        pool = matching_pool(program, mentee_person_ids=[mentee.person_id])
        mentee_profile = next((m for m in pool.mentees if m.person_id == mentee.person_id), None)
        mentor_profile = next((m for m in pool.mentors if m.person_id == mentor.person_id), None)
        if mentee_profile is None:
            raise ValidationError(
                {"mentee": f"{mentee.person} already has a mentor in this program or withdrew."}
            )
        if mentor_profile is None:
            raise ValidationError({"mentor": f"{mentor.person} is not an active mentor here."})
        broken = violations(
            mentee_profile, mentor_profile, constraints=program.matching_constraints()
        )
        if broken:
            raise ValidationError(
                {"mentor": f"{mentor.person} cannot mentor {mentee.person}: {'; '.join(broken)}."}
            )
        MatchOverride.objects.filter(program=program, mentee=mentee, kind="fix").exclude(
            mentor=mentor
        ).delete()
    override, _ = MatchOverride.objects.update_or_create(
        program=program,
        mentee=mentee,
        mentor=mentor,
        defaults={"kind": kind, "created_by": actor},
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="match_override",
        object_id=override.pk,
        subject_person_id=mentee.person_id,
        detail={"kind": kind, "mentor": mentor.person_id},
    )
    return override


@transaction.atomic
def match_override_remove(*, actor: User, override: MatchOverride) -> None:
    require_manager(actor)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        object_type="match_override",
        object_id=override.pk,
        subject_person_id=override.mentee.person_id,
        detail={"kind": override.kind},
    )
    override.delete()


@transaction.atomic
def matching_publish(*, actor: User, run: MatchingRun) -> list[MentoringRelationship]:
    """Turn the proposal under review into active mentoring relationships and tell
    each pair. Only the newest, unpublished run of a program can be published;
    a pair whose mentee found a mentor meanwhile, or whose mentor has no place
    left, is skipped."""
    require_manager(actor)
    run = MatchingRun.objects.select_for_update().select_related("program").get(pk=run.pk)
    if run.status != MatchingRun.Status.PROPOSED:
        raise ValidationError(
            {"run": "Only the proposal under review can be published: run matching again."}
        )
    program = run.program
    if program.status == Program.Status.FINISHED:
        raise ValidationError({"program": "This program has finished."})
    matches = list(run.matches.select_related("mentee__person", "mentor__person"))
    places = remaining_capacity(program, {m.mentor for m in matches})
    taken = set(
        MentoringRelationship.objects.filter(program=program, status__in=LIVE).values_list(
            "mentee_id", flat=True
        )
    )
    today = today_utc()
    created = []
    for match in matches:
        mentee, mentor = match.mentee, match.mentor
        if (
            mentee.person_id in taken
            or places.get(mentor.person_id, 0) <= 0
            or not mentee.is_active
            or not mentor.is_active
        ):
            continue
        relationship = relationship_row_create(
            program=program,
            mentee=mentee,
            mentor=mentor,
            status=MentoringRelationship.Status.ACTIVE,
            origin=MentoringRelationship.Origin.MATCHED,
            score=match.total,
            components=match.components,
            explanation=match.explanation,
            today=today,
        )
        places[mentor.person_id] -= 1
        taken.add(mentee.person_id)
        created.append(relationship)
        link = page_link("relationship_detail", relationship.pk)
        for person, other, role in (
            (mentee.person, mentor.person, "mentor"),
            (mentor.person, mentee.person, "mentee"),
        ):
            mail_on_commit(
                to=person,
                subject=f"{program.name}: your {role} is {other}",
                body=(
                    f"You have been matched in {program.name}: your {role} is {other}.\n\n"
                    f"Why this match: {match.explanation}\n\n"
                    f"Agree on your goals and how often you meet, and plan your first "
                    f"session: {link}\n"
                ),
            )
    run.status = MatchingRun.Status.PUBLISHED
    run.published_at = timezone.now()
    run.published_by = actor
    run.save(update_fields=["status", "published_at", "published_by"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="matching_run",
        object_id=run.pk,
        detail={"published": len(created), "proposed": len(matches)},
    )
    return created
