"""Warm-introduction requests for the demo organization.

:func:`demo_introductions` runs after :func:`bridgework.demo.demo_load`
has written the people and interactions: it gives the demo member one request
to answer (a colleague asks the member for an introduction) and one of their
own that was accepted and has an outcome, so the introductions pages have
something to show. People are chosen from who met whom in the demo
interactions, the same contacts the tie computation turns into ties.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import partial

from django.db import transaction
from django.db.models import Count, Q

from bridgework.accounts.models import User
from bridgework.interactions.events import interaction_event_refresh_soon
from bridgework.interactions.models import (
    Channel,
    Interaction,
    InteractionParticipant,
    IntroductionRequest,
)
from bridgework.people.models import Organization, Person

__all__ = ["DEMO_MEMBER_USERNAME", "demo_introductions"]

#: The demo login whose person the requests are about (see ``core.demo.DEMO_LOGINS``).
DEMO_MEMBER_USERNAME = "member"
DEMO_SOURCE = "demo"


def _contacts(person_id: int) -> Counter:
    """Consenting people who shared interactions with ``person_id``: id → how many."""
    rows = (
        InteractionParticipant.objects.filter(
            interaction__participations__person_id=person_id, person__analytics_consent=True
        )
        .exclude(person_id=person_id)
        .values("person_id")
        .annotate(shared=Count("interaction", distinct=True))
    )
    return Counter({row["person_id"]: row["shared"] for row in rows})


def _ranked(contacts: Counter) -> list[int]:
    return sorted(contacts, key=lambda pk: (-contacts[pk], pk))


def _someone_they_know_and_i_do_not(
    mine: Counter, me: int, candidates: list[int]
) -> tuple[int, int] | None:
    """The first candidate (best first) with a contact of their own outside ``mine``,
    preferably someone outside our organization (an introduction's classic use)."""
    for candidate in candidates:
        theirs = _contacts(candidate)
        new = [pk for pk in _ranked(theirs) if pk not in mine and pk != me]
        if new:
            outside = set(
                Person.objects.filter(pk__in=new)
                .exclude(organization__kind=Organization.Kind.OURS)
                .values_list("id", flat=True)
            )
            return candidate, next((pk for pk in new if pk in outside), new[0])
    return None


def _at(today: dt.date, days_ago: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(hour), tzinfo=dt.UTC)


def _first_name(person: Person) -> str:
    return person.full_name.split()[0]


@transaction.atomic
def demo_introductions(today: dt.date) -> int:
    """Add the demo member's two introduction requests; returns how many were created.

    * accepted, with an outcome: the member asked their closest contact to
      introduce them to someone only that contact knows; the introduction is
      recorded as an ``introduction`` interaction (written to the event store
      on commit);
    * pending: a colleague of the member asks the member to introduce them to
      one of the member's contacts the colleague does not know yet.

    ``today`` is the demo's today (``DemoOrg.today``). Does nothing (returns 0)
    when the demo member is missing or already has introduction requests, so
    calling it twice changes nothing.
    """
    user = User.objects.filter(username=DEMO_MEMBER_USERNAME).first()
    if user is None or user.person_id is None:
        return 0
    me = user.person_id
    if IntroductionRequest.objects.filter(Q(requester_id=me) | Q(via_id=me)).exists():
        return 0
    mine = _contacts(me)
    ranked = _ranked(mine)
    created = 0

    accepted = _someone_they_know_and_i_do_not(mine, me, ranked)
    if accepted is not None:
        via_id, target_id = accepted
        people = Person.objects.select_related("organization").in_bulk([me, via_id, target_id])
        target = people[target_id]
        if target.organization and not target.organization.is_ours:
            ask = f"I'm preparing our proposal for {target.organization.name}"
        else:
            ask = "I'm starting a project close to their work"
        answered = _at(today, 19)
        interaction = Interaction.objects.create(
            channel=Channel.INTRODUCTION,
            occurred_at=answered,
            logged_by=User.objects.filter(person_id=via_id).first(),
            source=DEMO_SOURCE,
        )
        InteractionParticipant.objects.bulk_create(
            [
                InteractionParticipant(interaction=interaction, person_id=pk)
                for pk in (via_id, me, target_id)
            ]
        )
        request = IntroductionRequest.objects.create(
            requester_id=me,
            via_id=via_id,
            target_id=target_id,
            path=[me, via_id, target_id],
            message=(
                f"{ask} and would value half an hour of {_first_name(target)}'s view on it. "
                "Could you introduce us?"
            ),
            status=IntroductionRequest.Status.COMPLETED,
            response_note=(
                f"Happy to: {_first_name(target)} and I go back a long way. I've sent you both "
                "an e-mail."
            ),
            responded_at=answered,
            interaction=interaction,
            outcome=(
                f"Met {_first_name(target)} for coffee; they reviewed our approach and agreed "
                "to join the steering group."
            ),
            outcome_at=_at(today, 6),
        )
        IntroductionRequest.objects.filter(pk=request.pk).update(
            created_at=_at(today, 21), updated_at=_at(today, 6)
        )
        transaction.on_commit(partial(interaction_event_refresh_soon, interaction.pk))
        created += 1

    avoid = {accepted[0]} if accepted else set()
    for requester_id in ranked:
        if requester_id in avoid:
            continue
        theirs = _contacts(requester_id)
        targets = [pk for pk in ranked if pk != requester_id and pk not in theirs]
        if not targets:
            continue
        people = Person.objects.select_related("organization").in_bulk([requester_id, targets[0]])
        target = people[targets[0]]
        request = IntroductionRequest.objects.create(
            requester_id=requester_id,
            via_id=me,
            target_id=target.pk,
            path=[requester_id, me, target.pk],
            message=(
                f"I hear {_first_name(target)} ran something very like the project I'm starting. "
                "Would you introduce us? Twenty minutes of their lessons learned would save us "
                "weeks."
            ),
        )
        IntroductionRequest.objects.filter(pk=request.pk).update(
            created_at=_at(today, 2), updated_at=_at(today, 2)
        )
        created += 1
        break
    return created
