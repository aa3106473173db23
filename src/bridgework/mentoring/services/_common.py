"""Helpers the service modules share: who the actor is in a pair, e-mail after the
commit, links, the rules every write of the pair's work checks, and starting and
closing a relationship row (for matching, self-matching and finishing a program).

Internal to :mod:`bridgework.mentoring.services`: no permission check beyond the
guards named here, no audit log.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from functools import partial
from typing import Final

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.guards import require, require_login
from bridgework.accounts.models import User
from bridgework.core.errors import NotFoundError
from bridgework.mentoring.frameworks import LEVELS
from bridgework.mentoring.models import (
    Agreement,
    Enrollment,
    MeetingFormat,
    MentoringRelationship,
    Program,
)
from bridgework.people.models import Person
from bridgework.web.links import site_url

__all__ = [
    "LIVE",
    "UNSET",
    "Unset",
    "checked_behavior_keys",
    "email_of",
    "mail_on_commit",
    "own_person_id",
    "page_link",
    "pair_side",
    "rating_level",
    "relationship_close",
    "relationship_row_create",
    "require_active",
    "require_manager",
    "today_utc",
]


#: A relationship still under way: requested or active.
LIVE = (MentoringRelationship.Status.REQUESTED, MentoringRelationship.Status.ACTIVE)


class Unset(enum.Enum):
    """The type of :data:`UNSET` (an enum member, so a type checker can tell it apart)."""

    UNSET = "unset"


#: "Not given" for an optional argument whose ``None`` means "clear it" (a due date).
UNSET: Final = Unset.UNSET


def require_manager(actor: User) -> None:
    """Program managers and admins only; anyone else: not found."""
    require_login(actor)
    require(policies.can_manage_mentoring(actor))


def own_person_id(actor: User) -> int:
    require_login(actor)
    if actor.person_id is None:
        raise ValidationError(
            "Your login is not linked to a person, so you cannot take part in mentoring."
        )
    return actor.person_id


def pair_side(actor: User, relationship: MentoringRelationship) -> str:
    """The actor's side of the pair; anyone else (program managers included): not found."""
    require_login(actor)
    side = relationship.side_of(actor.person_id)
    if side is None:
        raise NotFoundError("Not found.")
    return side


def require_active(relationship: MentoringRelationship) -> None:
    if relationship.status != MentoringRelationship.Status.ACTIVE:
        raise ValidationError(
            {"relationship": "This mentoring relationship is not active: nothing can be added."}
        )


def email_of(person: Person) -> str:
    address = person.primary_email
    if not address:
        address = User.objects.filter(person=person).values_list("email", flat=True).first() or ""
    return address


def mail_on_commit(*, to: Person | None, subject: str, body: str) -> None:
    address = email_of(to) if to is not None else ""
    if address:
        transaction.on_commit(partial(send_mail, subject, body, None, [address]), robust=True)


def page_link(name: str, *args) -> str:
    return site_url() + reverse(f"mentoring:{name}", args=args)


def today_utc() -> dt.date:
    return timezone.now().date()


def rating_level(value, field: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number not in LEVELS:
        raise ValidationError({field: "Choose from 1 to 5."})
    return number


def checked_behavior_keys(
    relationship: MentoringRelationship, keys: Iterable[str], field: str
) -> list[str]:
    keys = list(dict.fromkeys(str(k) for k in keys or ()))
    known = set(relationship.program.framework_version.behavior_keys)
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise ValidationError({field: f"Not a behavior of this program: {', '.join(unknown)}."})
    return keys


def relationship_row_create(
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
    """Store a new relationship (matched or requested) with its agreement, taking the
    mentee's goals and the program's cadence; a mentee who has a live relationship
    in the program already is a ``ValidationError``."""
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


def relationship_close(relationship: MentoringRelationship, *, reason: str, today: dt.date) -> None:
    """End a live relationship (a request still unanswered counts as declined)."""
    if relationship.status == MentoringRelationship.Status.REQUESTED:
        relationship.status = MentoringRelationship.Status.DECLINED
    else:
        relationship.status = MentoringRelationship.Status.ENDED
    relationship.ended_on = max(today, relationship.started_on or today)
    relationship.end_reason = reason[:300]
    relationship.save(update_fields=["status", "ended_on", "end_reason", "updated_at"])
