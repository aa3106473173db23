"""Overdue mentoring items of people: action items, sessions to log, sessions past the
agreed cadence, assessments (for the home page and the reminder e-mails)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone

from bridgework.mentoring.models import (
    ActionItem,
    Assessment,
    MentoringRelationship,
    MentoringSession,
)
from bridgework.mentoring.selectors._common import agreed_cadence

__all__ = ["OverdueItem", "overdue_items"]


@dataclass(frozen=True)
class OverdueItem:
    """Something overdue for one person: ``kind`` is ``action_item``, ``session``
    (to log), ``cadence`` (no session within the agreed cadence) or ``assessment``."""

    kind: str
    object_id: int
    relationship_id: int | None
    text: str
    url: str
    since: dt.date
    reminded_at: dt.datetime | None = None


def _url(name: str, *args) -> str:
    return reverse(f"mentoring:{name}", args=args)


def overdue_items(*, person_ids: Iterable[int], today: dt.date) -> dict[int, list[OverdueItem]]:
    """Overdue mentoring items of these people, by person (internal: the reminder
    task e-mails them, the home page shows the viewer's own)."""
    ids = set(person_ids)
    result: dict[int, list[OverdueItem]] = defaultdict(list)
    if not ids:
        return result
    start_of_today = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
    for item in ActionItem.objects.filter(
        owner_id__in=ids,
        done_at__isnull=True,
        due_on__lt=today,
        relationship__status=MentoringRelationship.Status.ACTIVE,
    ).order_by("due_on", "id"):
        if item.due_on is None:  # never: the query wants a due date
            continue
        result[item.owner_id].append(
            OverdueItem(
                kind="action_item",
                object_id=item.pk,
                relationship_id=item.relationship_id,
                text=f"Action item “{item.title}” was due on {item.due_on:%d %B}",
                url=_url("relationship_detail", item.relationship_id) + "#actions",
                since=item.due_on,
                reminded_at=item.reminded_at,
            )
        )
    mine = Q(relationship__mentee_id__in=ids) | Q(relationship__mentor_id__in=ids)
    for session in (
        MentoringSession.objects.filter(mine)
        .filter(
            status=MentoringSession.Status.SCHEDULED,
            scheduled_at__lt=start_of_today,
            relationship__status=MentoringRelationship.Status.ACTIVE,
        )
        .select_related("relationship__mentee", "relationship__mentor")
        .order_by("scheduled_at", "id")
    ):
        relationship = session.relationship
        for me, other in (
            (relationship.mentee_id, relationship.mentor),
            (relationship.mentor_id, relationship.mentee),
        ):
            if me in ids:
                result[me].append(
                    OverdueItem(
                        kind="session",
                        object_id=session.pk,
                        relationship_id=relationship.pk,
                        text=f"Log the session of {session.scheduled_at:%d %B} with {other}",
                        url=_url("session_detail", session.pk),
                        since=session.scheduled_at.date(),
                        reminded_at=session.reminded_at,
                    )
                )
    relationships = (
        MentoringRelationship.objects.filter(Q(mentee_id__in=ids) | Q(mentor_id__in=ids))
        .filter(status=MentoringRelationship.Status.ACTIVE)
        .select_related("agreement", "mentee", "mentor", "program")
        .annotate(
            last_held=Max("sessions__scheduled_at", filter=Q(sessions__status="held")),
            upcoming=Count(
                "sessions",
                filter=Q(sessions__status="scheduled", sessions__scheduled_at__gte=start_of_today),
            ),
        )
        .order_by("id")
    )
    for relationship in relationships:
        if relationship.upcoming:
            continue
        last = relationship.last_held.date() if relationship.last_held else relationship.started_on
        if last is None:
            continue
        cadence = agreed_cadence(relationship)
        if (today - last).days <= cadence:
            continue
        days = (today - last).days
        what = (
            f"No session for {days} days"
            if relationship.last_held
            else f"No session yet ({days} days)"
        )
        for me, other in (
            (relationship.mentee_id, relationship.mentor),
            (relationship.mentor_id, relationship.mentee),
        ):
            if me in ids:
                result[me].append(
                    OverdueItem(
                        kind="cadence",
                        object_id=relationship.pk,
                        relationship_id=relationship.pk,
                        text=f"{what} with {other}, who you agreed to meet every {cadence} days: "
                        "schedule one",
                        url=_url("session_create", relationship.pk),
                        since=last + dt.timedelta(days=cadence),
                        reminded_at=relationship.cadence_reminded_at,
                    )
                )
    for assessment in (
        Assessment.objects.filter(
            assessor_id__in=ids, status=Assessment.Status.REQUESTED, due_on__lt=today
        )
        .select_related("subject")
        .order_by("due_on", "id")
    ):
        if assessment.due_on is None:  # never: the query wants a due date
            continue
        # No reminder timestamp on assessments: the reminder goes out on the first day
        # after the due date and then weekly (the "reminded" time says so to the task).
        late = (today - assessment.due_on).days
        reminded = None if late % 7 == 1 else timezone.now()
        about = "yourself" if assessment.kind == Assessment.Kind.SELF else str(assessment.subject)
        result[assessment.assessor_id].append(
            OverdueItem(
                kind="assessment",
                object_id=assessment.pk,
                relationship_id=assessment.relationship_id,
                text=f"Assessment of {about} was due on {assessment.due_on:%d %B}",
                url=_url("assessment_detail", assessment.pk),
                since=assessment.due_on,
                reminded_at=reminded,
            )
        )
    return result
