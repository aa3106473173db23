"""Writes of the mentoring app: frameworks, programs, enrollment, matching, the
mentoring relationship, assessments, feedback, reminders and network snapshots.

Every service is keyword-only, runs in a transaction, checks who may do it
(:mod:`bridgework.accounts.policies`) and writes the audit log where personal
data is touched. Someone who may not see an object gets the same
:class:`~bridgework.core.errors.NotFoundError` as for a missing one; a rule
the input breaks is a ``ValidationError`` naming the field, and nothing is
saved. E-mails go out after the commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import partial

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.models import AuditEntry, Role, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.mentoring.frameworks import (
    LEVELS,
    FrameworkError,
    default_framework,
    parse_framework,
)
from bridgework.mentoring.models import (
    FIT_CHECK_AFTER_SESSIONS,
    MAX_CADENCE_DAYS,
    ActionItem,
    Agreement,
    Assessment,
    AssessmentRating,
    BehaviorFramework,
    Enrollment,
    FitCheck,
    FrameworkVersion,
    MatchingRun,
    MatchOverride,
    MeetingFormat,
    MentoringRelationship,
    MentoringSession,
    NetworkSnapshot,
    PracticePlan,
    Program,
    ProposedMatch,
    RelationshipIntroduction,
    SessionFeedback,
    SessionNote,
)
from bridgework.people.models import Organization, Person, Skill, Team
from bridgework.web.links import site_url

__all__ = [
    "framework_default_ensure",
    "framework_version_create",
    "program_create",
    "program_update",
    "program_set_enrollment",
    "program_finish",
    "enrollment_create",
    "enrollment_update",
    "enrollment_withdraw",
    "matching_run",
    "match_override_set",
    "match_override_remove",
    "matching_publish",
    "relationship_request",
    "relationship_respond",
    "relationship_end",
    "agreement_update",
    "agreement_confirm",
    "agreement_set_network_sharing",
    "session_create",
    "session_log",
    "session_note_add",
    "session_feedback_submit",
    "fit_check_submit",
    "action_item_create",
    "action_item_update",
    "action_item_set_done",
    "practice_plan_create",
    "practice_plan_update",
    "mentor_introduction_make",
    "assessment_request",
    "assessment_round_open",
    "assessment_submit",
    "assessment_rounds_schedule",
    "mentoring_reminders_send",
    "network_snapshots_fill",
    "SNAPSHOT_MAX_AGE",
    "REMINDER_INTERVAL",
    "DEFAULT_MENTOR_CAPACITY",
]

logger = logging.getLogger(__name__)

#: A snapshot of the current day older than this is computed again.
SNAPSHOT_MAX_AGE = dt.timedelta(hours=6)
#: How many mentees a mentor takes unless they say otherwise.
DEFAULT_MENTOR_CAPACITY = 2
#: The same overdue item is e-mailed about at most this often.
REMINDER_INTERVAL = dt.timedelta(days=7)

_LIVE = (MentoringRelationship.Status.REQUESTED, MentoringRelationship.Status.ACTIVE)
_PROFILE_FIELDS = (
    "goals",
    "behaviors_to_develop",
    "self_levels",
    "availability",
    "time_zone",
    "meeting_format",
    "prefer_other_team",
    "capacity",
)
_PROFILE_RELATIONS = {
    "skills_wanted": Skill,
    "needed_teams": Team,
    "needed_organizations": Organization,
    "preferred_mentors": Person,
    "excluded_people": Person,
}


# ---- Helpers ---------------------------------------------------------------------------


def _require_login(actor: User | None) -> None:
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise NotFoundError("Not found.")


def _require_manager(actor: User | None) -> None:
    _require_login(actor)
    if not policies.can_manage_mentoring(actor):
        raise NotFoundError("Not found.")


def _own_person_id(actor: User) -> int:
    _require_login(actor)
    if actor.person_id is None:
        raise ValidationError(
            "Your login is not linked to a person, so you cannot take part in mentoring."
        )
    return actor.person_id


def _side(actor: User, relationship: MentoringRelationship) -> str:
    """The actor's side of the pair; anyone else (program managers included): not found."""
    _require_login(actor)
    side = relationship.side_of(actor.person_id)
    if side is None:
        raise NotFoundError("Not found.")
    return side


def _require_active(relationship: MentoringRelationship) -> None:
    if relationship.status != MentoringRelationship.Status.ACTIVE:
        raise ValidationError(
            {"relationship": "This mentoring relationship is not active: nothing can be added."}
        )


def _email_of(person: Person) -> str:
    address = person.primary_email
    if not address:
        address = User.objects.filter(person=person).values_list("email", flat=True).first() or ""
    return address


def _mail_on_commit(*, to: Person | None, subject: str, body: str) -> None:
    address = _email_of(to) if to is not None else ""
    if address:
        transaction.on_commit(partial(send_mail, subject, body, None, [address]), robust=True)


def _link(name: str, *args) -> str:
    from django.urls import reverse

    return site_url() + reverse(f"mentoring:{name}", args=args)


def _today() -> dt.date:
    return timezone.now().date()


def _framework_error(exc: FrameworkError) -> ValidationError:
    return ValidationError({"content": exc.errors})


# ---- Frameworks ----------------------------------------------------------------------


@transaction.atomic
def framework_default_ensure() -> FrameworkVersion:
    """The latest version of the default framework, loading ``default.yaml`` if no
    framework is marked default (the data migration normally has)."""
    framework = BehaviorFramework.objects.filter(is_default=True).first()
    if framework is None:
        content = default_framework()
        framework = BehaviorFramework.objects.filter(slug=content["slug"]).first()
        if framework is None:
            framework = BehaviorFramework.objects.create(
                name=content["name"],
                slug=content["slug"],
                description=content["description"],
                is_default=True,
            )
        else:
            framework.is_default = True
            framework.save(update_fields=["is_default"])
    version = framework.latest_version
    if version is None:
        version = FrameworkVersion.objects.create(
            framework=framework,
            number=1,
            content=default_framework(),
            note="The default framework.",
        )
    return version


@transaction.atomic
def framework_version_create(
    *,
    actor: User,
    text: str | bytes,
    framework: BehaviorFramework | None = None,
    note: str = "",
    program: Program | None = None,
) -> FrameworkVersion:
    """Store a framework from YAML (see :mod:`bridgework.mentoring.frameworks`).

    With ``framework``, the YAML becomes its next version (an edit: earlier
    versions, and the assessments made against them, stay as they were).
    Without, it is a new framework, whose ``slug`` must not be taken. With
    ``program``, the program moves to the new version. Invalid YAML raises a
    ``ValidationError`` on ``content`` listing every problem with its line,
    and nothing is stored. Program managers and admins only.
    """
    _require_manager(actor)
    try:
        content = parse_framework(text)
    except FrameworkError as exc:
        raise _framework_error(exc) from None
    if program is not None and program.status == Program.Status.FINISHED:
        raise ValidationError({"program": "A finished program keeps its framework."})
    if framework is None:
        if BehaviorFramework.objects.filter(slug=content["slug"]).exists():
            raise ValidationError(
                {
                    "content": [
                        f"slug: a framework called {content['slug']!r} exists already; edit that "
                        "framework to give it a new version, or choose another slug."
                    ]
                }
            )
        framework = BehaviorFramework.objects.create(
            name=content["name"],
            slug=content["slug"],
            description=content["description"],
            created_by=actor,
        )
        number = 1
    else:
        framework = BehaviorFramework.objects.select_for_update().get(pk=framework.pk)
        content["slug"] = framework.slug
        number = (framework.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        framework.name = content["name"]
        framework.description = content["description"]
        framework.save(update_fields=["name", "description"])
    version = FrameworkVersion.objects.create(
        framework=framework,
        number=number,
        content=content,
        note=(note or "").strip()[:300],
        created_by=actor,
    )
    if program is not None:
        program.framework_version = version
        program.save(update_fields=["framework_version", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="framework_version",
        object_id=version.pk,
        detail={
            "framework": framework.slug,
            "number": number,
            "program": getattr(program, "pk", None),
        },
    )
    return version


# ---- Programs -----------------------------------------------------------------------------

_PROGRAM_FIELDS = (
    "name",
    "goal",
    "framework_version",
    "kind",
    "start_date",
    "end_date",
    "matching_mode",
    "session_cadence_days",
    "assessment_cadence_days",
    "max_time_zone_difference_hours",
    "allow_repeat_pairing",
    "maximize_participation",
    "weight_behavior",
    "weight_network",
    "weight_skills",
    "weight_preferences",
)


def _program_save(program: Program) -> Program:
    program.name = (program.name or "").strip()
    program.goal = (program.goal or "").strip()
    if not program.goal:
        raise ValidationError({"goal": "Say what the program is for."})
    program.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            program.save()
    except IntegrityError:
        raise ValidationError({"name": "A program with this name exists already."}) from None
    return program


@transaction.atomic
def program_create(*, actor: User, name: str, goal: str, start_date: dt.date, **fields) -> Program:
    """Create a program (a draft until enrollment opens). ``fields``: any of
    ``framework_version`` (default: the default framework's latest), ``kind``,
    ``end_date``, ``matching_mode``, the cadences, the time-zone window,
    ``allow_repeat_pairing``, ``maximize_participation`` and the four
    ``weight_*``. Program managers and admins only."""
    _require_manager(actor)
    unknown = set(fields) - set(_PROGRAM_FIELDS)
    if unknown:
        raise ValidationError({"__all__": f"Unknown program fields: {', '.join(sorted(unknown))}."})
    if fields.get("framework_version") is None:
        fields["framework_version"] = framework_default_ensure()
    if name is None or not str(name).strip():
        raise ValidationError({"name": "Give the program a name."})
    program = Program(name=name, goal=goal, start_date=start_date, created_by=actor, **fields)
    _program_save(program)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_program",
        object_id=program.pk,
        detail={"name": program.name},
    )
    return program


@transaction.atomic
def program_update(*, actor: User, program: Program, **fields) -> Program:
    """Change a program's settings (the same fields as :func:`program_create`)."""
    _require_manager(actor)
    unknown = set(fields) - set(_PROGRAM_FIELDS)
    if unknown:
        raise ValidationError({"__all__": f"Unknown program fields: {', '.join(sorted(unknown))}."})
    if program.status == Program.Status.FINISHED:
        raise ValidationError({"status": "A finished program cannot be changed."})
    for name, value in fields.items():
        setattr(program, name, value)
    _program_save(program)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_program",
        object_id=program.pk,
        detail={"fields": sorted(fields)},
    )
    return program


@transaction.atomic
def program_set_enrollment(*, actor: User, program: Program, open: bool) -> Program:
    """Open enrollment (a draft becomes active) or close it."""
    _require_manager(actor)
    if program.status == Program.Status.FINISHED:
        raise ValidationError({"status": "The program has finished."})
    if open:
        program.status = Program.Status.ACTIVE
    program.enrollment_open = bool(open)
    program.save(update_fields=["status", "enrollment_open", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_program",
        object_id=program.pk,
        detail={"enrollment_open": program.enrollment_open},
    )
    return program


@transaction.atomic
def program_finish(*, actor: User, program: Program) -> Program:
    """End the program: enrollment closes and live relationships end (kept for the report)."""
    _require_manager(actor)
    if program.status == Program.Status.FINISHED:
        return program
    today = _today()
    for relationship in program.relationships.filter(status__in=_LIVE):
        _end(relationship, reason="The program finished.", today=today)
    program.status = Program.Status.FINISHED
    program.enrollment_open = False
    program.finished_at = timezone.now()
    program.save(update_fields=["status", "enrollment_open", "finished_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_program",
        object_id=program.pk,
        detail={"status": "finished"},
    )
    return program


# ---- Enrollment ---------------------------------------------------------------------------


def _apply_profile(enrollment: Enrollment, profile: Mapping) -> dict[str, list]:
    unknown = set(profile) - set(_PROFILE_FIELDS) - set(_PROFILE_RELATIONS)
    if unknown:
        raise ValidationError({"__all__": f"Unknown profile fields: {', '.join(sorted(unknown))}."})
    for name in _PROFILE_FIELDS:
        if name in profile and profile[name] is not None:
            value = profile[name]
            if name == "behaviors_to_develop":
                value = list(dict.fromkeys(str(k) for k in value))
            elif name == "self_levels":
                value = {str(k): v for k, v in dict(value).items() if v not in (None, "")}
                try:
                    value = {k: int(v) for k, v in value.items()}
                except (TypeError, ValueError):
                    raise ValidationError(
                        {"self_levels": "Rate each behavior from 1 to 5."}
                    ) from None
            elif isinstance(value, str):
                value = value.strip()
            setattr(enrollment, name, value)
    if enrollment.role == Enrollment.Role.MENTEE:
        enrollment.capacity = 0
    elif "capacity" not in profile and enrollment.pk is None:
        enrollment.capacity = DEFAULT_MENTOR_CAPACITY
    if enrollment.meeting_format not in MeetingFormat.values:
        raise ValidationError(
            {"meeting_format": f"Choose one of {', '.join(MeetingFormat.values)}."}
        )
    relations = {}
    for name, model in _PROFILE_RELATIONS.items():
        if name in profile and profile[name] is not None:
            items = list(profile[name])
            ids = [getattr(item, "pk", item) for item in items]
            found = set(model.objects.filter(pk__in=ids).values_list("pk", flat=True))
            missing = [str(pk) for pk in ids if pk not in found]
            if missing:
                raise ValidationError({name: f"Not found: {', '.join(missing)}."})
            if name in ("preferred_mentors", "excluded_people") and enrollment.person_id in found:
                raise ValidationError({name: "Choose other people than yourself."})
            relations[name] = sorted(found)
    return relations


def _save_enrollment(enrollment: Enrollment, relations: dict[str, list]) -> Enrollment:
    enrollment.full_clean(validate_constraints=False, validate_unique=False)
    enrollment.save()
    for name, ids in relations.items():
        getattr(enrollment, name).set(ids)
    return enrollment


@transaction.atomic
def enrollment_create(
    *, actor: User, program: Program, role: str, person: Person | None = None, **profile
) -> Enrollment:
    """Join a program as a mentor or mentee, with a profile.

    Anyone with a person joins as a mentee while enrollment is open; joining
    as a mentor needs the mentor role. Program managers may enroll anyone, at
    any time before the program finishes. Joining again after withdrawing
    reactivates the enrollment with the new profile. Mentors take 2 mentees
    unless ``capacity`` says otherwise.
    """
    _require_login(actor)
    manager = policies.can_manage_mentoring(actor)
    if person is None:
        person = Person.objects.get(pk=_own_person_id(actor))
    elif person.pk != actor.person_id and not manager:
        raise NotFoundError("Not found.")
    if role not in Enrollment.Role.values:
        raise ValidationError({"role": "Join as a mentor or a mentee."})
    if program.status == Program.Status.FINISHED:
        raise ValidationError({"program": "This program has finished."})
    if not manager:
        if not program.enrollment_open:
            raise ValidationError({"program": "Enrollment in this program is closed."})
        if role == Enrollment.Role.MENTOR and not actor.has_role(Role.MENTOR):
            raise ValidationError(
                {"role": "Mentors need the mentor role: ask the program manager to add you."}
            )
    enrollment = (
        Enrollment.objects.select_for_update()
        .filter(program=program, person=person, role=role)
        .first()
    )
    if enrollment is not None and enrollment.is_active:
        raise ValidationError({"role": f"{person} is already enrolled as a {role} in {program}."})
    if enrollment is None:
        enrollment = Enrollment(program=program, person=person, role=role)
    enrollment.status = Enrollment.Status.ACTIVE
    enrollment.withdrawn_at = None
    if not profile.get("time_zone"):
        profile["time_zone"] = ""
    relations = _apply_profile(enrollment, profile)
    _save_enrollment(enrollment, relations)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_enrollment",
        object_id=enrollment.pk,
        subject_person_id=person.pk,
        detail={"program": program.pk, "role": role},
    )
    return enrollment


def _can_edit_enrollment(actor: User, enrollment: Enrollment) -> bool:
    return actor.person_id == enrollment.person_id or policies.can_manage_mentoring(actor)


@transaction.atomic
def enrollment_update(*, actor: User, enrollment: Enrollment, **profile) -> Enrollment:
    """Change an enrollment's profile (the person themself, or a program manager)."""
    _require_login(actor)
    if not _can_edit_enrollment(actor, enrollment):
        raise NotFoundError("Not found.")
    relations = _apply_profile(enrollment, profile)
    _save_enrollment(enrollment, relations)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_enrollment",
        object_id=enrollment.pk,
        subject_person_id=enrollment.person_id,
        detail={"fields": sorted(profile)},
    )
    return enrollment


@transaction.atomic
def enrollment_withdraw(*, actor: User, enrollment: Enrollment) -> Enrollment:
    """Leave a program (the person or a program manager). A live mentoring
    relationship in the program must end first."""
    _require_login(actor)
    if not _can_edit_enrollment(actor, enrollment):
        raise NotFoundError("Not found.")
    side = "mentee" if enrollment.role == Enrollment.Role.MENTEE else "mentor"
    if MentoringRelationship.objects.filter(
        program=enrollment.program, status__in=_LIVE, **{side: enrollment.person}
    ).exists():
        raise ValidationError(
            {"status": "End the mentoring relationship in this program first, then withdraw."}
        )
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.withdrawn_at = timezone.now()
    enrollment.save(update_fields=["status", "withdrawn_at", "updated_at"])
    MatchOverride.objects.filter(Q(mentee=enrollment) | Q(mentor=enrollment)).delete()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_enrollment",
        object_id=enrollment.pk,
        subject_person_id=enrollment.person_id,
        detail={"status": "withdrawn"},
    )
    return enrollment


# ---- Matching ---------------------------------------------------------------------------------


def _overrides(program: Program, pool) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Fixed and vetoed (mentee, mentor) person ids of the program, within the pool."""
    fixed, forbidden = [], []
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
    from bridgework.core.matching import optimal_assignment
    from bridgework.mentoring.profiles import matching_pool

    _require_manager(actor)
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
    from bridgework.core.matching import violations
    from bridgework.mentoring.profiles import matching_pool

    _require_manager(actor)
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
    _require_manager(actor)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        object_type="match_override",
        object_id=override.pk,
        subject_person_id=override.mentee.person_id,
        detail={"kind": override.kind},
    )
    override.delete()


def _relationship_start(
    *,
    program: Program,
    mentee: Enrollment,
    mentor: Enrollment,
    status: str,
    origin: str,
    score: float | None,
    components: dict,
    explanation: str,
    message: str = "",
    today: dt.date,
) -> MentoringRelationship:
    relationship = MentoringRelationship(
        program=program,
        mentee_id=mentee.person_id,
        mentor_id=mentor.person_id,
        mentee_enrollment=mentee,
        mentor_enrollment=mentor,
        status=status,
        origin=origin,
        match_score=score,
        match_components=components,
        match_explanation=explanation,
        request_message=message,
        started_on=today if status == MentoringRelationship.Status.ACTIVE else None,
    )
    relationship.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            relationship.save()
    except IntegrityError:
        raise ValidationError(
            {"mentee": f"{mentee.person} already has a mentor in this program."}
        ) from None
    Agreement.objects.create(
        relationship=relationship,
        goals=mentee.goals,
        cadence_days=program.session_cadence_days,
        meeting_format=mentee.meeting_format
        if mentee.meeting_format != MeetingFormat.ANY
        else mentor.meeting_format,
    )
    return relationship


@transaction.atomic
def matching_publish(*, actor: User, run: MatchingRun) -> list[MentoringRelationship]:
    """Turn the proposal under review into active mentoring relationships and tell
    each pair. Only the newest, unpublished run of a program can be published;
    a pair whose mentee found a mentor meanwhile, or whose mentor has no place
    left, is skipped."""
    from bridgework.mentoring.profiles import remaining_capacity

    _require_manager(actor)
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
        MentoringRelationship.objects.filter(program=program, status__in=_LIVE).values_list(
            "mentee_id", flat=True
        )
    )
    today = _today()
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
        relationship = _relationship_start(
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
        link = _link("relationship_detail", relationship.pk)
        for person, other, role in (
            (mentee.person, mentor.person, "mentor"),
            (mentor.person, mentee.person, "mentee"),
        ):
            _mail_on_commit(
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


# ---- Self-matching and the relationship's life ---------------------------------------------


def _own_mentee_enrollment(actor: User, program: Program) -> Enrollment:
    person_id = _own_person_id(actor)
    enrollment = Enrollment.objects.filter(
        program=program,
        person_id=person_id,
        role=Enrollment.Role.MENTEE,
        status=Enrollment.Status.ACTIVE,
    ).first()
    if enrollment is None:
        raise ValidationError({"program": "Join the program as a mentee first."})
    return enrollment


@transaction.atomic
def relationship_request(
    *, actor: User, program: Program, mentor: Person, message: str = ""
) -> MentoringRelationship:
    """A mentee asks a mentor from their ranked suggestions (self-matching mode).

    The mentor must pass every hard constraint and have a place left; the
    request holds that place until the mentor answers. The mentor is e-mailed.
    """
    from bridgework.core.matching import ranked_suggestions
    from bridgework.mentoring.profiles import matching_pool

    if program.matching_mode != Program.MatchingMode.SELF:
        raise ValidationError(
            {"program": "In this program the program manager matches mentors and mentees."}
        )
    if program.status != Program.Status.ACTIVE:
        raise ValidationError({"program": "This program is not running."})
    mentee = _own_mentee_enrollment(actor, program)
    if MentoringRelationship.objects.filter(
        program=program, mentee_id=mentee.person_id, status__in=_LIVE
    ).exists():
        raise ValidationError(
            {"mentor": "You already have a mentor (or a request) in this program."}
        )
    pool = matching_pool(program, mentee_person_ids=[mentee.person_id])
    suggestions = (
        ranked_suggestions(
            pool.mentees[0],
            pool.mentors,
            weights=program.matching_weights(),
            constraints=program.matching_constraints(),
            remaining_capacity=pool.places_left,
            limit=None,
            names=pool.names,
            behavior_labels=pool.labels,
        )
        if pool.mentees
        else []
    )
    chosen = next((s for s in suggestions if s.mentor_id == mentor.pk), None)
    if chosen is None:
        raise ValidationError(
            {
                "mentor": f"{mentor} is not among your suggestions: a matching rule rules the "
                "pair out, or they have no place left."
            }
        )
    relationship = _relationship_start(
        program=program,
        mentee=mentee,
        mentor=pool.mentor_enrollments[mentor.pk],
        status=MentoringRelationship.Status.REQUESTED,
        origin=MentoringRelationship.Origin.SELF,
        score=chosen.score.total,
        components={
            "behavior": chosen.score.behavior,
            "network": chosen.score.network,
            "skills": chosen.score.skills,
            "preferences": chosen.score.preferences,
        },
        explanation=chosen.explanation,
        message=(message or "").strip(),
        today=_today(),
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_relationship",
        object_id=relationship.pk,
        subject_person_id=mentor.pk,
        detail={"status": "requested", "program": program.pk},
    )
    note = (
        f"\n\nTheir message:\n\n{relationship.request_message}"
        if relationship.request_message
        else ""
    )
    _mail_on_commit(
        to=mentor,
        subject=f"{mentee.person} asks you to be their mentor in {program.name}",
        body=(
            f"{mentee.person} would like you as their mentor in {program.name}.\n\n"
            f"Why Bridgework suggested you: {chosen.explanation}{note}\n\n"
            f"Accept or decline: {_link('relationship_detail', relationship.pk)}\n"
        ),
    )
    return relationship


@transaction.atomic
def relationship_respond(
    *, actor: User, relationship: MentoringRelationship, accept: bool
) -> MentoringRelationship:
    """The mentor accepts (the relationship starts) or declines a mentee's request."""
    if _side(actor, relationship) != "mentor":
        raise NotFoundError("Not found.")
    relationship = MentoringRelationship.objects.select_for_update().get(pk=relationship.pk)
    if relationship.status != MentoringRelationship.Status.REQUESTED:
        raise ValidationError({"status": "This request has been answered already."})
    today = _today()
    if accept:
        relationship.status = MentoringRelationship.Status.ACTIVE
        relationship.started_on = today
    else:
        relationship.status = MentoringRelationship.Status.DECLINED
        relationship.ended_on = today
    relationship.save(update_fields=["status", "started_on", "ended_on", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_relationship",
        object_id=relationship.pk,
        subject_person_id=relationship.mentee_id,
        detail={"status": relationship.status},
    )
    answer = "accepted" if accept else "declined"
    _mail_on_commit(
        to=relationship.mentee,
        subject=f"{relationship.mentor} {answer} your mentoring request",
        body=(
            f"{relationship.mentor} {answer} your request in {relationship.program.name}.\n\n"
            + (
                f"Plan your first session: {_link('relationship_detail', relationship.pk)}\n"
                if accept
                else f"Choose another mentor: {_link('suggestions', relationship.program_id)}\n"
            )
        ),
    )
    return relationship


def _end(relationship: MentoringRelationship, *, reason: str, today: dt.date) -> None:
    if relationship.status == MentoringRelationship.Status.REQUESTED:
        relationship.status = MentoringRelationship.Status.DECLINED
    else:
        relationship.status = MentoringRelationship.Status.ENDED
    relationship.ended_on = max(today, relationship.started_on or today)
    relationship.end_reason = reason[:300]
    relationship.save(update_fields=["status", "ended_on", "end_reason", "updated_at"])


@transaction.atomic
def relationship_end(
    *, actor: User, relationship: MentoringRelationship, reason: str = ""
) -> MentoringRelationship:
    """End a live relationship (either side, or a program manager, e.g. for a
    re-match: the mentee is back in the pool and the earlier mentor is not
    proposed again unless the program allows repeat pairing)."""
    _require_login(actor)
    if relationship.side_of(actor.person_id) is None and not policies.can_manage_mentoring(actor):
        raise NotFoundError("Not found.")
    if not relationship.is_live:
        raise ValidationError({"status": "This relationship has ended already."})
    reason = (reason or "").strip() or "Ended."
    _end(relationship, reason=reason, today=_today())
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_relationship",
        object_id=relationship.pk,
        subject_person_id=relationship.mentee_id,
        detail={"status": relationship.status, "reason": reason},
    )
    return relationship


# ---- The agreement ------------------------------------------------------------------------


@transaction.atomic
def agreement_update(
    *,
    actor: User,
    relationship: MentoringRelationship,
    goals: str | None = None,
    cadence_days: int | None = None,
    meeting_format: str | None = None,
    confidentiality: str | None = None,
) -> Agreement:
    """Either side changes the agreement; a change asks both sides to agree again."""
    side = _side(actor, relationship)
    if not relationship.is_live:
        raise ValidationError({"status": "This relationship has ended."})
    agreement = relationship.agreement
    changed = []
    if goals is not None and goals.strip() != agreement.goals:
        agreement.goals = goals.strip()
        changed.append("goals")
    if cadence_days is not None and cadence_days != agreement.cadence_days:
        if not 1 <= int(cadence_days) <= MAX_CADENCE_DAYS:
            raise ValidationError(
                {
                    "cadence_days": f"Meet at least every {MAX_CADENCE_DAYS} days (1-{MAX_CADENCE_DAYS})."
                }
            )
        agreement.cadence_days = int(cadence_days)
        changed.append("cadence_days")
    if meeting_format is not None and meeting_format != agreement.meeting_format:
        if meeting_format not in MeetingFormat.values:
            raise ValidationError(
                {"meeting_format": f"Choose one of {', '.join(MeetingFormat.values)}."}
            )
        agreement.meeting_format = meeting_format
        changed.append("meeting_format")
    if confidentiality is not None and confidentiality.strip() != agreement.confidentiality:
        if not confidentiality.strip():
            raise ValidationError({"confidentiality": "Say what stays between you."})
        agreement.confidentiality = confidentiality.strip()
        changed.append("confidentiality")
    if changed:
        now = timezone.now()
        agreement.mentee_agreed_at = now if side == "mentee" else None
        agreement.mentor_agreed_at = now if side == "mentor" else None
        agreement.save()
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            object_type="mentoring_agreement",
            object_id=agreement.pk,
            subject_person_id=relationship.mentee_id,
            detail={"fields": changed},
        )
    return agreement


@transaction.atomic
def agreement_confirm(*, actor: User, relationship: MentoringRelationship) -> Agreement:
    """The actor's side agrees to the agreement as it stands."""
    side = _side(actor, relationship)
    agreement = relationship.agreement
    setattr(agreement, f"{side}_agreed_at", timezone.now())
    agreement.save(update_fields=[f"{side}_agreed_at", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_agreement",
        object_id=agreement.pk,
        subject_person_id=relationship.mentee_id,
        detail={"agreed": side},
    )
    return agreement


@transaction.atomic
def agreement_set_network_sharing(
    *, actor: User, relationship: MentoringRelationship, share: bool
) -> Agreement:
    """The mentee lets their mentor see their individual network metrics, or stops.
    Only the mentee decides."""
    if _side(actor, relationship) != "mentee":
        raise ValidationError(
            {"share_network_with_mentor": "Only the mentee decides whether to share their network."}
        )
    agreement = relationship.agreement
    agreement.share_network_with_mentor = bool(share)
    agreement.save(update_fields=["share_network_with_mentor", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_agreement",
        object_id=agreement.pk,
        subject_person_id=relationship.mentee_id,
        detail={"share_network_with_mentor": bool(share)},
    )
    return agreement


# ---- Sessions, notes, feedback, fit ----------------------------------------------------------


def _behavior_keys(
    relationship: MentoringRelationship, keys: Iterable[str], field: str
) -> list[str]:
    keys = list(dict.fromkeys(str(k) for k in keys or ()))
    known = set(relationship.program.framework_version.behavior_keys)
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise ValidationError({field: f"Not a behavior of this program: {', '.join(unknown)}."})
    return keys


def _aware(value: dt.datetime, field: str) -> dt.datetime:
    if value is None:
        raise ValidationError({field: "Give the date and time."})
    if value.tzinfo is None:
        raise ValidationError({field: "Give the time with its time zone."})
    return value


@transaction.atomic
def session_create(
    *,
    actor: User,
    relationship: MentoringRelationship,
    scheduled_at: dt.datetime,
    duration_minutes: int | None = None,
    agenda: str = "",
    held: bool = False,
    behaviors_practiced: Sequence[str] = (),
) -> MentoringSession:
    """Schedule a session (either side), or record one already held (``held``)."""
    _side(actor, relationship)
    _require_active(relationship)
    scheduled_at = _aware(scheduled_at, "scheduled_at")
    if held and scheduled_at > timezone.now() + dt.timedelta(hours=1):
        raise ValidationError({"scheduled_at": "A session is logged as held after it happened."})
    session = MentoringSession(
        relationship=relationship,
        scheduled_at=scheduled_at,
        duration_minutes=duration_minutes,
        agenda=(agenda or "").strip(),
        created_by=actor,
    )
    if held:
        session.status = MentoringSession.Status.HELD
        session.behaviors_practiced = _behavior_keys(
            relationship, behaviors_practiced, "behaviors_practiced"
        )
        session.logged_at = timezone.now()
        session.logged_by = actor
    session.full_clean(validate_constraints=False)
    session.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_session",
        object_id=session.pk,
        subject_person_id=relationship.mentee_id,
        detail={"status": session.status},
    )
    if not held:
        other = (
            relationship.mentor
            if actor.person_id == relationship.mentee_id
            else relationship.mentee
        )
        when = scheduled_at.astimezone(dt.UTC)
        agenda_text = f"Agenda:\n{session.agenda}\n\n" if session.agenda else ""
        _mail_on_commit(
            to=other,
            subject=f"Mentoring session on {when:%d %B %Y, %H:%M} UTC",
            body=(
                f"{relationship.mentee if other == relationship.mentor else relationship.mentor} "
                f"scheduled a mentoring session with you on {when:%A %d %B %Y at %H:%M} UTC.\n\n"
                f"{agenda_text}See it in Bridgework: {_link('session_detail', session.pk)}\n"
            ),
        )
    return session


@transaction.atomic
def session_log(
    *,
    actor: User,
    session: MentoringSession,
    status: str = MentoringSession.Status.HELD,
    behaviors_practiced: Sequence[str] = (),
    duration_minutes: int | None = None,
    agenda: str | None = None,
    scheduled_at: dt.datetime | None = None,
) -> MentoringSession:
    """Log what happened to a session: held (with the behaviors practised), missed
    or cancelled; or move a scheduled one (``status="scheduled"`` with a new time)."""
    relationship = session.relationship
    _side(actor, relationship)
    if status not in MentoringSession.Status.values:
        raise ValidationError(
            {"status": f"Choose one of {', '.join(MentoringSession.Status.values)}."}
        )
    if scheduled_at is not None:
        session.scheduled_at = _aware(scheduled_at, "scheduled_at")
    if (
        status == MentoringSession.Status.HELD
        and session.scheduled_at > timezone.now() + dt.timedelta(hours=1)
    ):
        raise ValidationError({"status": "A session is logged as held after it happened."})
    session.status = status
    if agenda is not None:
        session.agenda = agenda.strip()
    if duration_minutes is not None:
        session.duration_minutes = duration_minutes
    if status == MentoringSession.Status.HELD:
        session.behaviors_practiced = _behavior_keys(
            relationship, behaviors_practiced, "behaviors_practiced"
        )
    if status == MentoringSession.Status.SCHEDULED:
        session.logged_at = None
        session.logged_by = None
    else:
        session.logged_at = timezone.now()
        session.logged_by = actor
    session.full_clean(validate_constraints=False)
    session.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_session",
        object_id=session.pk,
        subject_person_id=relationship.mentee_id,
        detail={"status": status},
    )
    return session


@transaction.atomic
def session_note_add(
    *,
    actor: User,
    session: MentoringSession,
    text: str,
    visibility: str = SessionNote.Visibility.PRIVATE,
) -> SessionNote:
    """A note on a session by either side: private (only its author reads it) or
    shared with the other side. Program managers never read notes."""
    person_id = _own_person_id(actor)
    _side(actor, session.relationship)
    if visibility not in SessionNote.Visibility.values:
        raise ValidationError({"visibility": "Choose private or shared."})
    note = SessionNote(
        session=session, author_id=person_id, visibility=visibility, text=(text or "").strip()
    )
    note.full_clean(validate_constraints=False)
    note.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_note",
        object_id=note.pk,
        subject_person_id=session.relationship.mentee_id,
        detail={"visibility": visibility},
    )
    return note


def _rating(value, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number not in LEVELS:
        raise ValidationError({field: "Choose from 1 to 5."})
    return number


@transaction.atomic
def session_feedback_submit(
    *, actor: User, session: MentoringSession, rating: int, comment: str = ""
) -> SessionFeedback:
    """Short feedback on a held session (either side; again replaces it). Seen by
    its author and the program manager, not by the other side."""
    person_id = _own_person_id(actor)
    _side(actor, session.relationship)
    if session.status != MentoringSession.Status.HELD:
        raise ValidationError({"rating": "Give feedback on a session once it has been held."})
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise ValidationError({"comment": "Keep the comment under 500 characters."})
    feedback, _ = SessionFeedback.objects.update_or_create(
        session=session,
        author_id=person_id,
        defaults={"rating": _rating(rating, "rating"), "comment": comment},
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_feedback",
        object_id=feedback.pk,
        subject_person_id=session.relationship.mentee_id,
        detail={"rating": feedback.rating},
    )
    return feedback


@transaction.atomic
def fit_check_submit(
    *,
    actor: User,
    relationship: MentoringRelationship,
    fit: int,
    wants_rematch: bool = False,
    comment: str = "",
) -> FitCheck:
    """After the first sessions, say how well the pairing fits (either side; again
    replaces the answer). A low fit or a re-match request flags the pair for the
    program manager, who is e-mailed about a re-match request."""
    person_id = _own_person_id(actor)
    _side(actor, relationship)
    _require_active(relationship)
    held = relationship.sessions.filter(status=MentoringSession.Status.HELD).count()
    if held < FIT_CHECK_AFTER_SESSIONS:
        raise ValidationError(
            {
                "fit": f"The fit check opens after {FIT_CHECK_AFTER_SESSIONS} held sessions ({held} so far)."
            }
        )
    comment = (comment or "").strip()
    if len(comment) > 500:
        raise ValidationError({"comment": "Keep the comment under 500 characters."})
    check, _ = FitCheck.objects.update_or_create(
        relationship=relationship,
        author_id=person_id,
        defaults={
            "fit": _rating(fit, "fit"),
            "wants_rematch": bool(wants_rematch),
            "comment": comment,
        },
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_fit_check",
        object_id=check.pk,
        subject_person_id=relationship.mentee_id,
        detail={"fit": check.fit, "wants_rematch": check.wants_rematch},
    )
    if check.wants_rematch:
        manager = relationship.program.created_by
        if manager is not None and manager.person_id is not None:
            _mail_on_commit(
                to=manager.person,
                subject=f"{relationship.program.name}: a re-match is requested",
                body=(
                    f"One side of the pair {relationship.mentee} / {relationship.mentor} asks for "
                    f"a re-match (fit {check.fit}/5).\n\nSee the program dashboard: "
                    f"{_link('program_dashboard', relationship.program_id)}\n"
                ),
            )
    return check


# ---- Action items and practice plans ---------------------------------------------------------


def _pair_person(
    relationship: MentoringRelationship, person: Person | int | None, field: str
) -> int:
    person_id = getattr(person, "pk", person)
    if person_id is None:
        return relationship.mentee_id
    if person_id not in (relationship.mentee_id, relationship.mentor_id):
        raise ValidationError({field: "Give it to the mentee or the mentor."})
    return person_id


@transaction.atomic
def action_item_create(
    *,
    actor: User,
    relationship: MentoringRelationship,
    title: str,
    owner: Person | int | None = None,
    due_on: dt.date | None = None,
    notes: str = "",
    session: MentoringSession | None = None,
) -> ActionItem:
    """An action item for the mentee (default) or the mentor, with a due date."""
    _side(actor, relationship)
    _require_active(relationship)
    if session is not None and session.relationship_id != relationship.pk:
        raise ValidationError({"session": "That session belongs to another relationship."})
    item = ActionItem(
        relationship=relationship,
        title=(title or "").strip(),
        notes=(notes or "").strip(),
        owner_id=_pair_person(relationship, owner, "owner"),
        due_on=due_on,
        session=session,
        created_by=actor,
    )
    item.full_clean(validate_constraints=False)
    item.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_action_item",
        object_id=item.pk,
        subject_person_id=relationship.mentee_id,
    )
    return item


_UNSET = object()


@transaction.atomic
def action_item_update(
    *,
    actor: User,
    item: ActionItem,
    title: str | None = None,
    notes: str | None = None,
    owner: Person | int | None = None,
    due_on: dt.date | None | object = _UNSET,
    done: bool | None = None,
) -> ActionItem:
    """Change an action item, or mark it done (``done=True``) or open again."""
    relationship = item.relationship
    _side(actor, relationship)
    if title is not None:
        item.title = title.strip()
    if notes is not None:
        item.notes = notes.strip()
    if owner is not None:
        item.owner_id = _pair_person(relationship, owner, "owner")
    if due_on is not _UNSET:
        item.due_on = due_on
    if done is not None:
        item.done_at = (item.done_at or timezone.now()) if done else None
    item.full_clean(validate_constraints=False)
    item.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_action_item",
        object_id=item.pk,
        subject_person_id=relationship.mentee_id,
        detail={"done": item.is_done},
    )
    return item


def action_item_set_done(*, actor: User, item: ActionItem, done: bool = True) -> ActionItem:
    """Mark an action item done, or open it again."""
    return action_item_update(actor=actor, item=item, done=done)


@transaction.atomic
def practice_plan_create(
    *,
    actor: User,
    relationship: MentoringRelationship,
    behavior_key: str,
    conversation: str,
    planned_for: dt.date | None = None,
    preparation: str = "",
    counterpart: Person | None = None,
) -> PracticePlan:
    """Plan a real conversation that practises one behavior, and prepare it."""
    _side(actor, relationship)
    _require_active(relationship)
    if not behavior_key:
        raise ValidationError({"behavior_key": "Choose the behavior to practise."})
    _behavior_keys(relationship, [behavior_key], "behavior_key")
    plan = PracticePlan(
        relationship=relationship,
        behavior_key=behavior_key,
        conversation=(conversation or "").strip(),
        planned_for=planned_for,
        preparation=(preparation or "").strip(),
        counterpart=counterpart,
        created_by=actor,
    )
    if not plan.conversation:
        raise ValidationError(
            {"conversation": "Say which conversation you will hold, and with whom."}
        )
    plan.full_clean(validate_constraints=False)
    plan.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_practice_plan",
        object_id=plan.pk,
        subject_person_id=relationship.mentee_id,
    )
    return plan


@transaction.atomic
def practice_plan_update(
    *,
    actor: User,
    plan: PracticePlan,
    conversation: str | None = None,
    planned_for: dt.date | None | object = _UNSET,
    preparation: str | None = None,
    status: str | None = None,
    reflection: str | None = None,
    confidence_after: int | None = None,
) -> PracticePlan:
    """Prepare, mark held, reflect on (which sets the status to reflected) or drop a plan."""
    relationship = plan.relationship
    _side(actor, relationship)
    if conversation is not None:
        if not conversation.strip():
            raise ValidationError({"conversation": "Say which conversation you will hold."})
        plan.conversation = conversation.strip()
    if planned_for is not _UNSET:
        plan.planned_for = planned_for
    if preparation is not None:
        plan.preparation = preparation.strip()
    if status is not None:
        if status not in PracticePlan.Status.values:
            raise ValidationError(
                {"status": f"Choose one of {', '.join(PracticePlan.Status.values)}."}
            )
        plan.status = status
    if reflection is not None:
        plan.reflection = reflection.strip()
        if plan.reflection and status is None:
            plan.status = PracticePlan.Status.REFLECTED
    if confidence_after is not None:
        plan.confidence_after = _rating(confidence_after, "confidence_after")
    if plan.status == PracticePlan.Status.REFLECTED:
        if not plan.reflection:
            raise ValidationError({"reflection": "Write how the conversation went."})
        plan.reflected_at = plan.reflected_at or timezone.now()
    plan.full_clean(validate_constraints=False)
    plan.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_practice_plan",
        object_id=plan.pk,
        subject_person_id=relationship.mentee_id,
        detail={"status": plan.status},
    )
    return plan


# ---- Introductions the mentor makes ---------------------------------------------------------------


@transaction.atomic
def mentor_introduction_make(
    *, actor: User, relationship: MentoringRelationship, target: Person, message: str
) -> RelationshipIntroduction:
    """The mentor introduces the mentee to someone from the mentor's own network.

    Recorded through the introduction workflow: an
    :class:`~bridgework.interactions.models.IntroductionRequest` with the
    mentee as requester, the mentor as the person introducing and ``target``
    as the person introduced, already accepted (the mentor makes it), and the
    introduction logged as an ``introduction`` interaction with
    :func:`~bridgework.interactions.services.interaction_log` (so it reaches
    the event store and the ties). Its outcome is recorded later on the
    introduction's page, as for any introduction. The mentor needs a stored
    tie with ``target``; the mentee and the target are e-mailed.
    """
    from bridgework.interactions.models import Channel, IntroductionRequest
    from bridgework.interactions.services import interaction_log
    from bridgework.network.selectors import tie_between

    if _side(actor, relationship) != "mentor":
        raise NotFoundError("Not found.")
    _require_active(relationship)
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": "Say why the two of them should meet."})
    if target is None or target.pk in (relationship.mentee_id, relationship.mentor_id):
        raise ValidationError({"target": "Introduce your mentee to someone else."})
    mentor, mentee = relationship.mentor, relationship.mentee
    consenting = mentor.analytics_consent and target.analytics_consent
    if not consenting or tie_between(mentor.pk, target.pk) is None:
        raise ValidationError(
            {
                "target": f"Bridgework knows no tie between you and {target}: introduce people you know."
            }
        )
    if IntroductionRequest.objects.filter(
        requester=mentee,
        target=target,
        status__in=[IntroductionRequest.Status.ACCEPTED, IntroductionRequest.Status.COMPLETED],
    ).exists():
        raise ValidationError({"target": f"{mentee} has been introduced to {target} already."})
    now = timezone.now()
    interaction = interaction_log(
        actor=actor,
        channel=Channel.INTRODUCTION,
        occurred_at=now,
        participants=[mentor, mentee, target],
    )
    request = IntroductionRequest(
        requester=mentee,
        via=mentor,
        target=target,
        path=[mentee.pk, mentor.pk, target.pk],
        message=message,
        status=IntroductionRequest.Status.ACCEPTED,
        response_note=f"Introduced by {mentor} as {mentee}'s mentor in {relationship.program.name}.",
        responded_at=now,
        interaction=interaction,
    )
    request.full_clean(validate_unique=False, validate_constraints=False)
    request.save()
    link = RelationshipIntroduction.objects.create(relationship=relationship, introduction=request)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="introduction_request",
        object_id=request.pk,
        subject_person_id=target.pk,
        detail={"mentoring_relationship": relationship.pk, "mentor_made": True},
    )
    from django.urls import reverse

    intro_link = site_url() + reverse("interactions:introduction_detail", args=[request.pk])
    _mail_on_commit(
        to=mentee,
        subject=f"{mentor} introduced you to {target}",
        body=(
            f"{mentor}, your mentor, introduced you to {target}:\n\n{message}\n\n"
            f"Record what comes of it: {intro_link}\n"
        ),
    )
    _mail_on_commit(
        to=target,
        subject=f"{mentor} would like you to meet {mentee}",
        body=f"{mentor} introduces you to {mentee}:\n\n{message}\n",
    )
    return link


# ---- Assessments --------------------------------------------------------------------------------


def _assessment_exists(enrollment: Enrollment, assessor_id: int, kind: str, round: str) -> bool:
    return (
        round != Assessment.Round.CHECKIN
        and Assessment.objects.filter(
            enrollment=enrollment, assessor_id=assessor_id, kind=kind, round=round
        ).exists()
    )


def _new_assessment(
    *,
    actor: User | None,
    relationship: MentoringRelationship,
    kind: str,
    round: str,
    assessor_id: int,
    due_on: dt.date | None,
) -> Assessment:
    assessment = Assessment(
        enrollment=relationship.mentee_enrollment,
        relationship=relationship,
        subject_id=relationship.mentee_id,
        assessor_id=assessor_id,
        kind=kind,
        round=round,
        framework_version=relationship.program.framework_version,
        due_on=due_on,
        requested_by=actor,
    )
    assessment.full_clean(validate_constraints=False)
    assessment.save()
    return assessment


@transaction.atomic
def assessment_request(
    *,
    actor: User,
    relationship: MentoringRelationship,
    kind: str,
    round: str,
    assessor: Person | None = None,
    due_on: dt.date | None = None,
) -> Assessment:
    """Ask for an assessment of the mentee at a round, against the program's current
    framework version: ``self`` (by the mentee), ``mentor`` or ``peer`` (anyone else
    with a login, named by ``assessor``; they see only the form). The mentee, the
    mentor or a program manager asks; a peer is e-mailed the link."""
    _require_login(actor)
    side = relationship.side_of(actor.person_id)
    if side is None and not policies.can_manage_mentoring(actor):
        raise NotFoundError("Not found.")
    if relationship.status != MentoringRelationship.Status.ACTIVE:
        raise ValidationError({"relationship": "Assess within an active relationship."})
    if kind not in Assessment.Kind.values:
        raise ValidationError({"kind": "Choose self, mentor or peer."})
    if round not in Assessment.Round.values:
        raise ValidationError({"round": f"Choose one of {', '.join(Assessment.Round.values)}."})
    if kind == Assessment.Kind.SELF:
        assessor_id = relationship.mentee_id
    elif kind == Assessment.Kind.MENTOR:
        assessor_id = relationship.mentor_id
    else:
        if side is None:
            raise ValidationError({"assessor": "The mentee or the mentor invites peers."})
        if assessor is None:
            raise ValidationError({"assessor": "Choose the peer who will assess."})
        if assessor.pk in (relationship.mentee_id, relationship.mentor_id):
            raise ValidationError(
                {"assessor": "A peer is someone other than the mentee and mentor."}
            )
        if not User.objects.filter(person=assessor, is_active=True).exists():
            raise ValidationError(
                {"assessor": f"{assessor} has no Bridgework login, so cannot fill in the form."}
            )
        assessor_id = assessor.pk
    if _assessment_exists(relationship.mentee_enrollment, assessor_id, kind, round):
        raise ValidationError(
            {"round": f"This {kind} assessment for the {round} round has been requested already."}
        )
    assessment = _new_assessment(
        actor=actor,
        relationship=relationship,
        kind=kind,
        round=round,
        assessor_id=assessor_id,
        due_on=due_on,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_assessment",
        object_id=assessment.pk,
        subject_person_id=relationship.mentee_id,
        detail={"kind": kind, "round": round, "assessor": assessor_id},
    )
    if assessor_id != actor.person_id:
        assessor_person = Person.objects.get(pk=assessor_id)
        _mail_on_commit(
            to=assessor_person,
            subject=f"Please assess {relationship.mentee}'s relationship behaviors",
            body=(
                f"You are asked for a {assessment.get_kind_display().lower()} assessment of "
                f"{relationship.mentee} in {relationship.program.name} "
                f"({assessment.get_round_display().lower()}). It takes a few minutes: rate each "
                f"behavior from 1 to 5 against the rubric.\n\n{_link('assessment_detail', assessment.pk)}\n"
            ),
        )
    return assessment


@transaction.atomic
def assessment_round_open(
    *, actor: User, program: Program, round: str, due_on: dt.date | None = None
) -> int:
    """Program managers: ask every active pair for a self and a mentor assessment at
    ``round`` (skipping those asked already). Returns how many were requested."""
    _require_manager(actor)
    if round not in Assessment.Round.values:
        raise ValidationError({"round": f"Choose one of {', '.join(Assessment.Round.values)}."})
    created = 0
    relationships = program.relationships.filter(
        status=MentoringRelationship.Status.ACTIVE
    ).select_related("mentee", "mentor", "mentee_enrollment", "program__framework_version")
    for relationship in relationships:
        for kind, assessor_id in (
            (Assessment.Kind.SELF, relationship.mentee_id),
            (Assessment.Kind.MENTOR, relationship.mentor_id),
        ):
            if _assessment_exists(relationship.mentee_enrollment, assessor_id, kind, round):
                continue
            assessment = _new_assessment(
                actor=actor,
                relationship=relationship,
                kind=kind,
                round=round,
                assessor_id=assessor_id,
                due_on=due_on,
            )
            created += 1
            who = relationship.mentee if kind == Assessment.Kind.SELF else relationship.mentor
            about = "yourself" if kind == Assessment.Kind.SELF else str(relationship.mentee)
            _mail_on_commit(
                to=who,
                subject=f"{program.name}: {assessment.get_round_display().lower()} assessment",
                body=(
                    f"It is time for the {assessment.get_round_display().lower()} assessment in "
                    f"{program.name}: rate {about} on each behavior from 1 to 5."
                    f"{f' Please answer by {due_on:%d %B}.' if due_on else ''}\n\n"
                    f"{_link('assessment_detail', assessment.pk)}\n"
                ),
            )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="mentoring_assessment_round",
        object_id=program.pk,
        detail={"round": round, "requested": created},
    )
    return created


@transaction.atomic
def assessment_submit(
    *,
    actor: User,
    assessment: Assessment,
    ratings: Mapping[str, int],
    notes: Mapping[str, str] | None = None,
    comment: str = "",
) -> Assessment:
    """The assessor rates every behavior of the assessment's framework version from 1
    to 5 against its rubric (optionally with what they observed). Submitted once."""
    _require_login(actor)
    if actor.person_id is None or actor.person_id != assessment.assessor_id:
        raise NotFoundError("Not found.")
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.is_submitted:
        raise ValidationError({"status": "This assessment has been submitted already."})
    keys = assessment.framework_version.behavior_keys
    ratings = {str(k): v for k, v in dict(ratings or {}).items()}
    notes = {str(k): (v or "").strip() for k, v in dict(notes or {}).items()}
    errors: dict[str, list[str]] = defaultdict(list)
    unknown = sorted(set(ratings) - set(keys))
    if unknown:
        errors["ratings"].append(f"Not a behavior of this framework: {', '.join(unknown)}.")
    missing = [k for k in keys if ratings.get(k) in (None, "")]
    if missing:
        labels = assessment.framework_version.labels
        errors["ratings"].append(
            f"Rate every behavior; missing: {', '.join(labels[k] for k in missing)}."
        )
    rows = []
    for key in keys:
        if key in missing:
            continue
        try:
            level = _rating(ratings[key], key)
        except ValidationError:
            errors[key].append("Choose a level from 1 to 5.")
            continue
        note = notes.get(key, "")
        if len(note) > 500:
            errors[key].append("Keep the note under 500 characters.")
        rows.append(
            AssessmentRating(assessment=assessment, behavior_key=key, level=level, note=note)
        )
    if errors:
        raise ValidationError(dict(errors))
    AssessmentRating.objects.bulk_create(rows)
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.comment = (comment or "").strip()
    assessment.save(update_fields=["status", "submitted_at", "comment"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="mentoring_assessment",
        object_id=assessment.pk,
        subject_person_id=assessment.subject_id,
        detail={"submitted": True, "behaviors": len(rows)},
    )
    return assessment


#: Days an assessor has to answer an assessment the schedule asks for.
ASSESSMENT_ANSWER_DAYS = 14


def _round_due(relationship: MentoringRelationship, today: dt.date, asked: list) -> str | None:
    """The round an active pair owes now, or None: cohorts at the start, from the
    midpoint, and in the last two weeks; ongoing programs at the start and then
    every ``checkin_days`` after the last round asked for."""
    program = relationship.program
    rounds = {a.round for a in asked}
    if Assessment.Round.START not in rounds:
        return Assessment.Round.START
    if program.is_ongoing or program.end_date is None:
        last = max(a.created_at.date() for a in asked)
        return Assessment.Round.CHECKIN if (today - last).days >= program.checkin_days else None
    if today >= program.end_date - dt.timedelta(days=ASSESSMENT_ANSWER_DAYS):
        return None if Assessment.Round.END in rounds else Assessment.Round.END
    if today >= program.midpoint and Assessment.Round.MIDPOINT not in rounds:
        return Assessment.Round.MIDPOINT
    return None


@transaction.atomic
def assessment_rounds_schedule(*, today: dt.date | None = None) -> int:
    """Ask every active pair of a running program for the self and mentor assessments
    its schedule says are due (see :func:`_round_due`), answerable within
    :data:`ASSESSMENT_ANSWER_DAYS` days; the assessors are e-mailed. Run daily by
    the reminders task; returns how many assessments it asked for."""
    today = today or _today()
    relationships = (
        MentoringRelationship.objects.filter(
            status=MentoringRelationship.Status.ACTIVE,
            program__status=Program.Status.ACTIVE,
            program__start_date__lte=today,
        )
        .select_related("program__framework_version", "mentee", "mentor", "mentee_enrollment")
        .order_by("id")
    )
    asked_by: dict[int, list] = defaultdict(list)
    for assessment in Assessment.objects.filter(
        enrollment_id__in=[r.mentee_enrollment_id for r in relationships],
        kind__in=[Assessment.Kind.SELF, Assessment.Kind.MENTOR],
    ).only("enrollment_id", "round", "created_at"):
        asked_by[assessment.enrollment_id].append(assessment)
    created = 0
    due_on = today + dt.timedelta(days=ASSESSMENT_ANSWER_DAYS)
    for relationship in relationships:
        round = _round_due(relationship, today, asked_by[relationship.mentee_enrollment_id])
        if round is None:
            continue
        for kind, assessor in (
            (Assessment.Kind.SELF, relationship.mentee),
            (Assessment.Kind.MENTOR, relationship.mentor),
        ):
            if _assessment_exists(relationship.mentee_enrollment, assessor.pk, kind, round):
                continue
            assessment = _new_assessment(
                actor=None,
                relationship=relationship,
                kind=kind,
                round=round,
                assessor_id=assessor.pk,
                due_on=due_on,
            )
            created += 1
            about = "yourself" if kind == Assessment.Kind.SELF else str(relationship.mentee)
            _mail_on_commit(
                to=assessor,
                subject=f"{relationship.program.name}: "
                f"{assessment.get_round_display().lower()} assessment",
                body=(
                    f"It is time for the {assessment.get_round_display().lower()} assessment "
                    f"in {relationship.program.name}: rate {about} on each behavior from 1 to 5 "
                    f"by {due_on:%d %B}.\n\n{_link('assessment_detail', assessment.pk)}\n"
                ),
            )
    if created:
        audit_record(
            actor=None,
            action=AuditEntry.Action.CREATE,
            object_type="mentoring_assessment_round",
            detail={"scheduled": created, "day": today.isoformat()},
        )
    return created


# ---- Reminders ---------------------------------------------------------------------------------


def mentoring_reminders_send(
    *, today: dt.date | None = None, dry_run: bool = False
) -> dict[int, int]:
    """E-mail each person with a login their overdue mentoring items: action items
    past their due date, sessions past their time and not logged, relationships
    with no session within their cadence, and assessments past their due date.

    The same item is e-mailed about at most once every
    :data:`REMINDER_INTERVAL`. Returns ``{person id: items in the e-mail}``;
    ``dry_run`` counts without sending or marking anything.
    """
    from bridgework.mentoring.selectors import overdue_items

    today = today or _today()
    now = timezone.now()
    cutoff = now - REMINDER_INTERVAL
    recipients = set(
        User.objects.filter(is_active=True, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    by_person = overdue_items(person_ids=recipients, today=today)
    people = Person.objects.prefetch_related("emails").in_bulk(list(by_person))
    sent: dict[int, int] = {}
    marks: dict[str, set[int]] = defaultdict(set)
    for person_id, items in sorted(by_person.items()):
        fresh = [i for i in items if i.reminded_at is None or i.reminded_at <= cutoff]
        if not fresh or person_id not in people:
            continue
        address = _email_of(people[person_id])
        if not address:
            continue
        sent[person_id] = len(fresh)
        if dry_run:
            continue
        lines = [f"- {item.text} ({site_url()}{item.url})" for item in fresh]
        send_mail(
            f"Bridgework mentoring: {len(fresh)} thing{'s' if len(fresh) != 1 else ''} overdue",
            "Hello,\n\nThese mentoring items are overdue:\n\n" + "\n".join(lines) + "\n",
            None,
            [address],
            fail_silently=True,
        )
        for item in fresh:
            marks[item.kind].add(item.object_id)
    if not dry_run:
        with transaction.atomic():
            ActionItem.objects.filter(pk__in=marks["action_item"]).update(reminded_at=now)
            MentoringSession.objects.filter(pk__in=marks["session"]).update(reminded_at=now)
            MentoringRelationship.objects.filter(pk__in=marks["cadence"]).update(
                cadence_reminded_at=now
            )
        if sent:
            audit_record(
                actor=None,
                action=AuditEntry.Action.CREATE,
                object_type="mentoring_reminders",
                detail={"people": len(sent), "items": sum(sent.values())},
            )
    return sent


# ---- Network snapshots ----------------------------------------------------------------------------


def network_snapshots_fill(
    *, person_ids: Iterable[int], days: Iterable[dt.date]
) -> dict[tuple[int, dt.date], dict]:
    """The network measures of these people on these days (``analysis.snapshots``),
    computed once per day and stored; ``{(person, day): measures}``. People who
    withdrew analytics consent have none. A snapshot of today (or later) is
    recomputed when older than :data:`SNAPSHOT_MAX_AGE`; past days are kept."""
    from bridgework.analysis.snapshots import MEASURES, network_measures_at

    people = sorted(set(person_ids))
    wanted_days = sorted(set(days))
    result: dict[tuple[int, dt.date], dict] = {}
    if not people or not wanted_days:
        return result
    now = timezone.now()
    today = now.date()
    consenting = set(
        Person.objects.filter(pk__in=people, analytics_consent=True).values_list("pk", flat=True)
    )
    stored = {
        (s.person_id, s.day): s
        for s in NetworkSnapshot.objects.filter(person_id__in=people, day__in=wanted_days)
    }
    for day in wanted_days:
        missing = []
        for person_id in people:
            snapshot = stored.get((person_id, day))
            stale = (
                snapshot is not None
                and day >= today
                and now - snapshot.computed_at > SNAPSHOT_MAX_AGE
            )
            if person_id not in consenting:
                continue
            if snapshot is None or stale:
                missing.append(person_id)
            else:
                result[(person_id, day)] = snapshot.measures
        if not missing:
            continue
        try:
            frame = network_measures_at(min(day, today), people=missing)
        except Exception:
            logger.exception("Network measures for %s could not be computed", day)
            continue
        rows = {
            int(row["person"]): {m: int(row[m]) for m in MEASURES}
            for row in frame.to_dict("records")
        }
        NetworkSnapshot.objects.bulk_create(
            [
                NetworkSnapshot(person_id=person_id, day=day, measures=measures, computed_at=now)
                for person_id, measures in rows.items()
            ],
            update_conflicts=True,
            unique_fields=["person", "day"],
            update_fields=["measures", "computed_at"],
        )
        result.update({(person_id, day): measures for person_id, measures in rows.items()})
    return result
