"""The mentee's network: who may see it, and how it changed, from stored snapshots.

Only reads. The snapshots are stored each night by
:func:`~bridgework.mentoring.services.snapshots.network_snapshots_refresh`, for
the days :mod:`bridgework.core.mentoring.windows` names; "now" is the latest
stored day. A snapshot the night has not stored yet is reported as missing
(:data:`PENDING_UPDATE`), never computed here: a page does not write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.mentoring.windows import relationship_window
from bridgework.mentoring.models import MentoringRelationship, NetworkSnapshot

__all__ = [
    "MEASURE_LABELS",
    "NO_ANALYTICS",
    "PENDING_UPDATE",
    "NetworkChange",
    "NetworkRow",
    "StoredNetworks",
    "mentor_can_see_network",
    "network_change",
    "stored_networks",
]

#: The network measures shown (``analysis.snapshots.MEASURES``), with their labels.
MEASURE_LABELS = {
    "ties": "Ties",
    "ties_outside_team": "Ties outside their own team",
    "two_step_reach": "Reach: people within two steps",
    "teams_reached": "Other teams reached",
    "organizations_reached": "Other organizations reached",
    "brokerage": "Brokerage between teams",
}
#: Why a consenting mentee's network has no numbers yet: the nightly update comes first.
PENDING_UPDATE = "The network change will show after tonight's update."
#: Why a mentee who withdrew analytics consent has no numbers.
NO_ANALYTICS = "No network data: the mentee's ties are not included in analytics."


@dataclass
class NetworkRow:
    key: str
    label: str
    before: int | None
    after: int | None

    @property
    def change(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass
class NetworkChange:
    """A person's network measures at the start and now (or at the end); ``missing``
    says why there are no numbers (:data:`PENDING_UPDATE`, :data:`NO_ANALYTICS`)."""

    start: dt.date
    end: dt.date
    rows: list[NetworkRow]
    missing: str = ""

    @property
    def available(self) -> bool:
        return any(r.before is not None and r.after is not None for r in self.rows)


@dataclass(frozen=True)
class StoredNetworks:
    """Stored measures of some people at the start of a window (``before``) and at the
    latest day of the window with a snapshot (``end``, ``after``; ``None`` and empty
    while only the start, or nothing, is stored)."""

    start: dt.date
    end: dt.date | None
    before: dict[int, dict]
    after: dict[int, dict]


def stored_networks(*, person_ids: Iterable[int], start: dt.date, end: dt.date) -> StoredNetworks:
    """The stored measures of these people on ``start`` and on the latest day after it
    up to ``end`` that has any (two queries). People who withdrew analytics consent
    have none, whatever is stored.

    Internal, not viewer-scoped: callers apply their own rules first.
    """
    ids = sorted(set(person_ids))
    if not ids:
        return StoredNetworks(start=start, end=None, before={}, after={})
    snapshots = NetworkSnapshot.objects.filter(person_id__in=ids, person__analytics_consent=True)
    if end > start:
        latest = snapshots.filter(day__gt=start, day__lte=end).aggregate(day=Max("day"))["day"]
    else:
        latest = start
    before: dict[int, dict] = {}
    after: dict[int, dict] = {}
    for person_id, day, measures in snapshots.filter(
        day__in=[start] if latest is None else [start, latest]
    ).values_list("person_id", "day", "measures"):
        if day == start:
            before[person_id] = measures
        if day == latest:
            after[person_id] = measures
    return StoredNetworks(start=start, end=latest if after else None, before=before, after=after)


def mentor_can_see_network(*, mentor_person_id: int, mentee_person_id: int) -> bool:
    """Whether a mentor may see a mentee's individual network metrics: they are in an
    active mentoring relationship (the first the mentor of the second) and the
    mentee switched on sharing their network with the mentor in its agreement.

    Off by default, and only the mentee can switch it on. The analysis pages call
    this for the rule "individual network metrics are shown to the person, and
    to their mentor if the person shares them".
    """
    if mentor_person_id is None or mentee_person_id is None or mentor_person_id == mentee_person_id:
        return False
    return MentoringRelationship.objects.filter(
        mentor_id=mentor_person_id,
        mentee_id=mentee_person_id,
        status=MentoringRelationship.Status.ACTIVE,
        agreement__share_network_with_mentor=True,
    ).exists()


def network_change(
    *, viewer: User, relationship: MentoringRelationship, today: dt.date | None = None
) -> NetworkChange | None:
    """The mentee's network at the start of the relationship and now (the latest
    stored day), or ``None`` when the viewer may not see it (only the mentee, and
    the mentor while the mentee shares it). A mentor's look is audited.

    Without stored numbers, ``missing`` says why: the mentee is not in analytics,
    or the nightly update has not stored them yet.
    """
    shared = bool(
        getattr(getattr(relationship, "agreement", None), "share_network_with_mentor", False)
    )
    if not policies.can_see_mentee_network(
        viewer,
        mentee_id=relationship.mentee_id,
        mentor_id=relationship.mentor_id,
        shared=shared and relationship.is_active,
    ):
        return None
    if viewer.person_id != relationship.mentee_id:
        audit_record(
            actor=viewer,
            action=AuditEntry.Action.VIEW,
            object_type="network_metrics",
            object_id=relationship.pk,
            subject_person_id=relationship.mentee_id,
            detail={"via": "mentoring"},
        )
    program = relationship.program
    start, end = relationship_window(
        started_on=relationship.started_on,
        program_start=program.start_date,
        today=today or timezone.now().date(),
        ended_on=relationship.ended_on,
        program_end=program.end_date,
    )
    stored = stored_networks(person_ids=[relationship.mentee_id], start=start, end=end)
    before = stored.before.get(relationship.mentee_id)
    after = stored.after.get(relationship.mentee_id)
    missing = ""
    if before is None or after is None:
        missing = PENDING_UPDATE if relationship.mentee.analytics_consent else NO_ANALYTICS
    return NetworkChange(
        start=start,
        end=stored.end or end,
        rows=[
            NetworkRow(
                key=key,
                label=label,
                before=(before or {}).get(key),
                after=(after or {}).get(key),
            )
            for key, label in MEASURE_LABELS.items()
        ],
        missing=missing,
    )
