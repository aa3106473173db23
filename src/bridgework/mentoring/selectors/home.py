"""The mentoring home page: my relationships, enrollments, what is overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.guards import require_login
from bridgework.accounts.models import User
from bridgework.mentoring.models import (
    Assessment,
    Enrollment,
    MentoringRelationship,
    MentoringSession,
    Program,
)
from bridgework.mentoring.selectors._common import LIVE, programs_queryset
from bridgework.mentoring.selectors.assessments import assessments_to_fill
from bridgework.mentoring.selectors.overdue import OverdueItem, overdue_items
from bridgework.mentoring.selectors.relationships import relationship_list

__all__ = ["MentoringHome", "mentoring_home"]


@dataclass
class MentoringHome:
    as_mentee: list[MentoringRelationship]
    as_mentor: list[MentoringRelationship]
    enrollments: list[Enrollment]
    open_programs: list[Program]
    overdue: list[OverdueItem]
    to_fill: list[Assessment]
    managed: list[Program]
    upcoming: list[MentoringSession]


def mentoring_home(*, viewer: User, today: dt.date | None = None) -> MentoringHome:
    """My mentoring: relationships, enrollments, what is overdue, assessments to fill,
    sessions coming up, programs open for enrollment (and, for program managers,
    every program)."""
    require_login(viewer)
    today = today or timezone.now().date()
    me = viewer.person_id
    relationships = relationship_list(viewer=viewer) if me else []
    enrollments = (
        list(
            Enrollment.objects.filter(person_id=me, status=Enrollment.Status.ACTIVE)
            .select_related("program")
            .order_by("program__name", "role")
        )
        if me
        else []
    )
    enrolled = {e.program_id for e in enrollments}
    open_programs = [
        p
        for p in Program.objects.filter(status=Program.Status.ACTIVE, enrollment_open=True)
        if p.pk not in enrolled
    ]
    upcoming = (
        list(
            MentoringSession.objects.filter(
                Q(relationship__mentee_id=me) | Q(relationship__mentor_id=me),
                status=MentoringSession.Status.SCHEDULED,
                scheduled_at__gte=timezone.now(),
                relationship__status=MentoringRelationship.Status.ACTIVE,
            )
            .select_related("relationship__mentee", "relationship__mentor")
            .order_by("scheduled_at", "id")[:5]
        )
        if me
        else []
    )
    return MentoringHome(
        as_mentee=[r for r in relationships if r.mentee_id == me and r.status in LIVE],
        as_mentor=[r for r in relationships if r.mentor_id == me and r.status in LIVE],
        enrollments=enrollments,
        open_programs=open_programs,
        overdue=overdue_items(person_ids=[me], today=today).get(me, []) if me else [],
        to_fill=assessments_to_fill(viewer=viewer),
        managed=list(programs_queryset()) if policies.can_manage_mentoring(viewer) else [],
        upcoming=upcoming,
    )
