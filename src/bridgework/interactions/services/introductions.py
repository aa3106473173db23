"""Writes of warm introductions: ask, answer, withdraw, record the outcome.

I ask the first person on a path to someone (the "via" person) to introduce
me; they accept or decline with a note; an accepted introduction becomes an
interaction (channel "introduction", reaching the event store on commit like
any logged interaction) and its outcome can be noted later. The via person
hears of the ask and the requester of the answer by e-mail, after the commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bridgework.accounts.guards import require_login
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.interactions.models import Channel, IntroductionRequest
from bridgework.interactions.selectors import INTRODUCTION_MAX_HOPS
from bridgework.interactions.services.interactions import interaction_log
from bridgework.network.preferences import introducers_opted_out
from bridgework.network.selectors import tie_between
from bridgework.people.models import Organization, Person
from bridgework.web.links import absolute_url

__all__ = [
    "introduction_request",
    "introduction_respond",
    "introduction_withdraw",
    "introduction_record_outcome",
]


def _require_own_person(actor: User) -> int:
    require_login(actor)
    if actor.person_id is None:
        raise ValidationError(
            "Your login is not linked to a person, so you cannot ask for introductions."
        )
    return actor.person_id


def _path_ids(path_person_ids: Sequence) -> list[int]:
    try:
        return [int(pk) for pk in path_person_ids]
    except (TypeError, ValueError):
        raise ValidationError({"path": "A path is a list of person ids."}) from None


def _check_path(*, me: int, target: Person | Organization, path: list[int]) -> dict[int, Person]:
    """The people on a valid path, by id; a ``ValidationError`` naming ``path`` otherwise.

    A later hop without a stored tie gets the same message whether the tie is
    missing, someone on it declined analytics or someone further along asked
    not to be an introducer: the error must not tell a member anything about
    other people's ties. Only of the person asked (``via``, the member's own
    contact) does it say that they make no introductions.
    """
    if len(path) < 3:
        raise ValidationError(
            {
                "path": "An introduction path runs from you through the person you ask to the "
                "person you want to meet."
            }
        )
    if len(path) - 1 > INTRODUCTION_MAX_HOPS:
        raise ValidationError(
            {"path": f"An introduction path has at most {INTRODUCTION_MAX_HOPS} hops."}
        )
    if len(set(path)) != len(path):
        raise ValidationError({"path": "A path cannot pass through anyone twice."})
    if path[0] != me:
        raise ValidationError({"path": "An introduction path starts with you."})
    people = Person.objects.select_related("organization").in_bulk(path)
    missing = [str(pk) for pk in path if pk not in people]
    if missing:
        raise ValidationError({"path": f"No person with id {', '.join(missing)}."})
    end = people[path[-1]]
    if isinstance(target, Organization):
        if end.organization_id != target.pk:
            raise ValidationError({"path": f"The path must end at someone at {target}."})
    elif end.pk != target.pk:
        raise ValidationError({"path": f"The path must end at {target}."})
    not_introducers = introducers_opted_out() & set(path[1:-1])
    for hop, (a, b) in enumerate(zip(path, path[1:], strict=False)):
        consenting = people[a].analytics_consent and people[b].analytics_consent
        if consenting and tie_between(a, b) is not None and a not in not_introducers:
            continue
        if hop == 0:
            raise ValidationError({"path": f"You have no known tie with {people[b]}."})
        if hop == 1 and a in not_introducers:
            # My own contact: I may know they make no introductions, not why a later hop failed.
            raise ValidationError(
                {
                    "path": f"{people[a]} has asked not to be asked for introductions: get in "
                    "touch with them yourself, or choose another path."
                }
            )
        raise ValidationError(
            {
                "path": "This path has a step Bridgework knows no tie for: choose one of the "
                "suggested paths."
            }
        )
    return people


def _email_of(person: Person) -> str:
    """Where to write to a person: their primary address, else their login's."""
    address = person.primary_email
    if not address:
        address = User.objects.filter(person=person).values_list("email", flat=True).first() or ""
    return address


def _mail_on_commit(*, to: Person, subject: str, body: str) -> None:
    address = _email_of(to)
    if address:
        # robust: a mail that cannot be queued is logged, and the saved request stands.
        transaction.on_commit(partial(send_mail, subject, body, None, [address]), robust=True)


def _request_link(request: IntroductionRequest) -> str:
    """The request's page, as a full link: the e-mail is read outside Bridgework."""
    return absolute_url(reverse("interactions:introduction_detail", args=[request.pk]))


@transaction.atomic
def introduction_request(
    *,
    actor: User,
    target: Person | Organization,
    path_person_ids: Sequence[int],
    message: str,
) -> IntroductionRequest:
    """Ask the first person on a path to introduce the actor to ``target``.

    ``target`` is a person, or an organization (then the path may end at anyone
    there). The path is person ids from the actor's own person (the requester)
    through the person asked (``via``, its second node) to the target, at most
    :data:`~bridgework.interactions.selectors.INTRODUCTION_MAX_HOPS` hops,
    every hop must be a stored tie between people who consented to analytics,
    and nobody before the target may have asked not to be an introducer.
    Anything else is a ``ValidationError`` and nothing is saved. The via person
    is e-mailed once the request is committed.
    """
    me = _require_own_person(actor)
    message = (message or "").strip()
    if not message:
        raise ValidationError(
            {"message": "Say what you would like the introduction for: it helps them say yes."}
        )
    path = _path_ids(path_person_ids)
    people = _check_path(me=me, target=target, path=path)
    requester, via, end = people[path[0]], people[path[1]], people[path[-1]]
    if IntroductionRequest.objects.filter(
        requester=requester, via=via, target=end, status=IntroductionRequest.Status.PENDING
    ).exists():
        raise ValidationError(
            {
                "path": f"You have already asked {via} to introduce you to {end}: wait for "
                "their answer, or withdraw that request first."
            }
        )
    request = IntroductionRequest(
        requester=requester,
        via=via,
        target=end,
        target_organization=target if isinstance(target, Organization) else None,
        path=path,
        message=message,
    )
    request.full_clean(validate_unique=False, validate_constraints=False)
    request.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="introduction_request",
        object_id=request.pk,
        subject_person_id=end.pk,
        detail={"via": via.pk, "path": path},
    )
    where = f" ({end.title})" if end.title else ""
    _mail_on_commit(
        to=via,
        subject=f"{requester} asks you for an introduction to {end}",
        body=(
            f"{requester} would like you to introduce them to {end}{where}.\n\n"
            f"Their message:\n\n{message}\n\n"
            f"Accept or decline, with a note for {requester}, in Bridgework: "
            f"{_request_link(request)}\n"
        ),
    )
    return request


def _locked_status(request: IntroductionRequest) -> str:
    """The request's status as stored now, with its row locked until the commit
    (on databases that lock rows), so two answers cannot both win."""
    return (
        IntroductionRequest.objects.select_for_update()
        .filter(pk=request.pk)
        .values_list("status", flat=True)
        .get()
    )


@transaction.atomic
def introduction_respond(
    *, actor: User, request: IntroductionRequest, accept: bool, note: str = ""
) -> IntroductionRequest:
    """The via person accepts or declines, with a note for the requester.

    Only the via person may answer (anyone else: ``NotFoundError``), and only a
    pending request. Accepting records the introduction as an interaction of
    channel ``introduction`` logged by the via person, with the via person, the
    requester and the target taking part (so it reaches the event store on
    commit, like any logged interaction). The requester is e-mailed the answer.
    """
    if actor is None or actor.person_id is None or request.via_id != actor.person_id:
        raise NotFoundError("Not found.")
    status = _locked_status(request)
    if status != IntroductionRequest.Status.PENDING:
        label = IntroductionRequest.Status(status).label.lower()
        raise ValidationError({"status": f"This request has been answered already ({label})."})
    now = timezone.now()
    if accept:
        request.interaction = interaction_log(
            actor=actor,
            channel=Channel.INTRODUCTION,
            occurred_at=now,
            participants=[request.via, request.requester, request.target],
        )
        request.status = IntroductionRequest.Status.ACCEPTED
    else:
        request.status = IntroductionRequest.Status.DECLINED
    request.response_note = (note or "").strip()
    request.responded_at = now
    request.save(
        update_fields=["status", "response_note", "responded_at", "interaction", "updated_at"]
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="introduction_request",
        object_id=request.pk,
        subject_person_id=request.requester_id,
        detail={"status": request.status},
    )
    answer = "accepted" if accept else "declined"
    note_text = f"\n\nTheir note:\n\n{request.response_note}" if request.response_note else ""
    _mail_on_commit(
        to=request.requester,
        subject=f"{request.via} {answer} your introduction to {request.target}",
        body=(
            f"{request.via} {answer} your request for an introduction to {request.target}."
            f"{note_text}\n\nSee the request in Bridgework: {_request_link(request)}\n"
        ),
    )
    return request


@transaction.atomic
def introduction_withdraw(*, actor: User, request: IntroductionRequest) -> IntroductionRequest:
    """The requester takes back a request nobody has answered yet."""
    if actor is None or actor.person_id is None or request.requester_id != actor.person_id:
        raise NotFoundError("Not found.")
    if _locked_status(request) != IntroductionRequest.Status.PENDING:
        raise ValidationError(
            {"status": "Only a request still waiting for an answer can be withdrawn."}
        )
    request.status = IntroductionRequest.Status.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="introduction_request",
        object_id=request.pk,
        subject_person_id=request.target_id,
        detail={"status": request.status},
    )
    return request


@transaction.atomic
def introduction_record_outcome(
    *, actor: User, request: IntroductionRequest, outcome: str
) -> IntroductionRequest:
    """Note what came of an accepted introduction (the requester or the via
    person; saving again replaces the outcome)."""
    me = actor.person_id if actor is not None else None
    if me is None or me not in (request.requester_id, request.via_id):
        raise NotFoundError("Not found.")
    if _locked_status(request) not in (
        IntroductionRequest.Status.ACCEPTED,
        IntroductionRequest.Status.COMPLETED,
    ):
        raise ValidationError(
            {"status": "An outcome can be recorded once the introduction has been accepted."}
        )
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": "Say what came of the introduction."})
    request.outcome = outcome
    request.outcome_at = timezone.now()
    request.status = IntroductionRequest.Status.COMPLETED
    request.save(update_fields=["outcome", "outcome_at", "status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="introduction_request",
        object_id=request.pk,
        subject_person_id=request.target_id,
        detail={"status": request.status, "outcome": True},
    )
    return request
