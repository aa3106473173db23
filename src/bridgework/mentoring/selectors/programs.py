"""Programs and enrollment: the programs the viewer may see, one program, who is
enrolled, the viewer's own enrollments."""

from __future__ import annotations

from bridgework.accounts import policies
from bridgework.accounts.guards import require, require_login
from bridgework.accounts.models import User
from bridgework.core.errors import NotFoundError
from bridgework.mentoring.models import Enrollment, Program
from bridgework.mentoring.selectors._common import get_or_not_found, programs_queryset

__all__ = [
    "program_list",
    "access_program",
    "program_enrollments",
    "my_enrollment",
    "access_enrollment",
]


_PROFILE_RELATIONS = (
    "skills_wanted",
    "needed_teams",
    "needed_organizations",
    "preferred_mentors",
    "excluded_people",
)


def program_list(*, viewer: User) -> list[Program]:
    """Programs the viewer may see: all for program managers, else active and finished."""
    require_login(viewer)
    programs = programs_queryset()
    if not policies.can_manage_mentoring(viewer):
        programs = programs.exclude(status=Program.Status.DRAFT)
    return list(programs)


def access_program(*, viewer: User, program_id: int, manage: bool = False) -> Program:
    """One program (``manage``: only for program managers; a draft is theirs only)."""
    require_login(viewer)
    program = get_or_not_found(programs_queryset(), program_id)
    manager = policies.can_manage_mentoring(viewer)
    if (manage or program.status == Program.Status.DRAFT) and not manager:
        raise NotFoundError("Not found.")
    return program


def program_enrollments(*, viewer: User, program: Program) -> list[Enrollment]:
    """Everyone enrolled, with their live relationship (program managers only)."""
    require(policies.can_manage_mentoring(viewer))
    return list(
        program.enrollments.select_related("person__team", "person__organization")
        .prefetch_related(*_PROFILE_RELATIONS)
        .order_by("role", "person__full_name", "id")
    )


def my_enrollment(*, viewer: User, program: Program, role: str | None = None) -> list[Enrollment]:
    """The viewer's own enrollments in a program (active ones first)."""
    require_login(viewer)
    if viewer.person_id is None:
        return []
    enrollments = program.enrollments.filter(person_id=viewer.person_id)
    if role:
        enrollments = enrollments.filter(role=role)
    return list(enrollments.order_by("status", "role"))


def access_enrollment(*, viewer: User, enrollment_id: int) -> Enrollment:
    """An enrollment: the person's own, or any for a program manager."""
    require_login(viewer)
    enrollment = get_or_not_found(
        Enrollment.objects.select_related("program__framework_version", "person").prefetch_related(
            *_PROFILE_RELATIONS
        ),
        enrollment_id,
    )
    if enrollment.person_id != viewer.person_id and not policies.can_manage_mentoring(viewer):
        raise NotFoundError("Not found.")
    return enrollment
