"""Reminders: e-mail people their overdue mentoring items."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.mentoring.models import ActionItem, MentoringRelationship, MentoringSession
from bridgework.mentoring.selectors.overdue import overdue_items
from bridgework.mentoring.services._common import email_of, today_utc
from bridgework.people.models import Person
from bridgework.web.links import site_url

__all__ = ["REMINDER_INTERVAL", "mentoring_reminders_send"]

logger = logging.getLogger(__name__)


#: The same overdue item is e-mailed about at most this often.
REMINDER_INTERVAL = dt.timedelta(days=7)


def mentoring_reminders_send(
    *, today: dt.date | None = None, dry_run: bool = False
) -> dict[int, int]:
    """E-mail each person with a login their overdue mentoring items: action items
    past their due date, sessions past their time and not logged, relationships
    with no session within their cadence, and assessments past their due date.

    The same item is e-mailed about at most once every
    :data:`REMINDER_INTERVAL`. Returns ``{person id: items in the e-mail}``;
    ``dry_run`` counts without sending or marking anything. An e-mail that cannot
    be sent is logged, left out of the result and its items left unmarked, so the
    next day's run tries again.
    """
    today = today or today_utc()
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
    failed = 0
    marks: dict[str, set[int]] = defaultdict(set)
    for person_id, items in sorted(by_person.items()):
        fresh = [i for i in items if i.reminded_at is None or i.reminded_at <= cutoff]
        if not fresh or person_id not in people:
            continue
        address = email_of(people[person_id])
        if not address:
            continue
        if dry_run:
            sent[person_id] = len(fresh)
            continue
        lines = [f"- {item.text} ({site_url()}{item.url})" for item in fresh]
        try:
            send_mail(
                f"Bridgework mentoring: {len(fresh)} thing{'s' if len(fresh) != 1 else ''} overdue",
                "Hello,\n\nThese mentoring items are overdue:\n\n" + "\n".join(lines) + "\n",
                None,
                [address],
            )
        except Exception:
            logger.exception("The mentoring reminder to person %s could not be sent", person_id)
            failed += 1
            continue
        sent[person_id] = len(fresh)
        for item in fresh:
            marks[item.kind].add(item.object_id)
    if not dry_run:
        with transaction.atomic():
            ActionItem.objects.filter(pk__in=marks["action_item"]).update(reminded_at=now)
            MentoringSession.objects.filter(pk__in=marks["session"]).update(reminded_at=now)
            MentoringRelationship.objects.filter(pk__in=marks["cadence"]).update(
                cadence_reminded_at=now
            )
        if sent or failed:
            detail = {"people": len(sent), "items": sum(sent.values())}
            if failed:
                detail["failed"] = failed
            audit_record(
                actor=None,
                action=AuditEntry.Action.CREATE,
                object_type="mentoring_reminders",
                detail=detail,
            )
    return sent
