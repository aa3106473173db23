"""Assessments: one assessment for its assessor, the pair or a program manager, and
the ones waiting for the viewer to fill in."""

from __future__ import annotations

from bridgework.accounts import policies
from bridgework.accounts.guards import require, require_login
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.mentoring.models import Assessment
from bridgework.mentoring.selectors._common import get_or_not_found

__all__ = ["access_assessment", "assessments_to_fill"]


def access_assessment(*, viewer: User, assessment_id: int) -> Assessment:
    """An assessment for its assessor (who fills it in), the pair, or a program
    manager. ``viewer_can_fill`` and ``viewer_sees_notes`` (the assessor's
    observations and comment: not for program managers) say what the page shows."""
    require_login(viewer)
    assessment = get_or_not_found(
        Assessment.objects.select_related(
            "framework_version__framework",
            "subject",
            "assessor",
            "relationship",
            "enrollment__program",
        ),
        assessment_id,
    )
    me = viewer.person_id
    relationship = assessment.relationship
    in_pair = relationship is not None and relationship.side_of(me) is not None
    is_assessor = me is not None and me == assessment.assessor_id
    is_subject = me is not None and me == assessment.subject_id
    if not (is_assessor or in_pair or is_subject):
        require(policies.can_manage_mentoring(viewer))
        audit_record(
            actor=viewer,
            action=AuditEntry.Action.VIEW,
            object_type="mentoring_assessment",
            object_id=assessment.pk,
            subject_person_id=assessment.subject_id,
        )
    assessment.viewer_can_fill = is_assessor and not assessment.is_submitted
    assessment.viewer_sees_notes = is_assessor or in_pair or is_subject
    return assessment


def assessments_to_fill(*, viewer: User) -> list[Assessment]:
    """Assessments waiting for the viewer as assessor (self, mentor or peer)."""
    require_login(viewer)
    if viewer.person_id is None:
        return []
    waiting = list(
        Assessment.objects.filter(assessor_id=viewer.person_id, status=Assessment.Status.REQUESTED)
        .select_related("subject", "enrollment__program")
        .order_by("due_on", "created_at", "id")
    )
    for assessment in waiting:
        assessment.viewer_can_fill = assessment.viewer_sees_notes = True
    return waiting
