"""Enrollment: joining a program as a mentor or mentee with a profile, changing the
profile, withdrawing."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.guards import require, require_login
from bridgework.accounts.models import AuditEntry, Role, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.mentoring.models import (
    Enrollment,
    MatchOverride,
    MeetingFormat,
    MentoringRelationship,
    Program,
)
from bridgework.mentoring.services._common import LIVE, own_person_id
from bridgework.people.models import Organization, Person, Skill, Team

__all__ = [
    "DEFAULT_MENTOR_CAPACITY",
    "enrollment_create",
    "enrollment_update",
    "enrollment_withdraw",
]

#: How many mentees a mentor takes unless they say otherwise.
DEFAULT_MENTOR_CAPACITY = 2


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
            found = set(model._default_manager.filter(pk__in=ids).values_list("pk", flat=True))
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
    require_login(actor)
    manager = policies.can_manage_mentoring(actor)
    if person is None:
        person = Person.objects.get(pk=own_person_id(actor))
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
    require_login(actor)
    require(_can_edit_enrollment(actor, enrollment))
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
    require_login(actor)
    require(_can_edit_enrollment(actor, enrollment))
    side = "mentee" if enrollment.role == Enrollment.Role.MENTEE else "mentor"
    if MentoringRelationship.objects.filter(
        program=enrollment.program, status__in=LIVE, **{side: enrollment.person}
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
