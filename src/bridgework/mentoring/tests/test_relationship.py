"""The mentoring relationship: agreement, sessions and notes (and who reads them),
feedback, fit checks, action items and reminders, practice plans, introductions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from bridgework.accounts.models import AuditEntry
from bridgework.core.errors import NotFoundError
from bridgework.interactions.models import Interaction, IntroductionRequest
from bridgework.mentoring import selectors, services
from bridgework.mentoring.models import ActionItem, MentoringSession
from bridgework.mentoring.tasks import mentoring_reminders_daily

pytestmark = pytest.mark.django_db


def _held(actor, pair, days_ago: int, **kwargs) -> MentoringSession:
    return services.session_create(
        actor=actor,
        relationship=pair,
        scheduled_at=timezone.now() - dt.timedelta(days=days_ago),
        held=True,
        **kwargs,
    )


def test_the_agreement_is_agreed_by_both_and_sharing_is_the_mentees_choice(org, pair):
    assert not selectors.mentor_can_see_network(
        mentor_person_id=org.max.person_id, mentee_person_id=org.mia.person_id
    )
    services.agreement_confirm(actor=org.mia, relationship=pair)
    agreement = services.agreement_confirm(actor=org.max, relationship=pair)
    assert agreement.is_agreed
    agreement = services.agreement_update(actor=org.max, relationship=pair, cadence_days=21)
    assert (
        agreement.cadence_days == 21
        and agreement.mentor_agreed_at
        and not agreement.mentee_agreed_at
    )
    with pytest.raises(ValidationError, match="Only the mentee"):
        services.agreement_set_network_sharing(actor=org.max, relationship=pair, share=True)
    with pytest.raises(NotFoundError):
        services.agreement_set_network_sharing(actor=org.pat, relationship=pair, share=True)
    services.agreement_set_network_sharing(actor=org.mia, relationship=pair, share=True)
    assert selectors.mentor_can_see_network(
        mentor_person_id=org.max.person_id, mentee_person_id=org.mia.person_id
    )
    # Not the other way round, and not for anyone else.
    assert not selectors.mentor_can_see_network(
        mentor_person_id=org.mia.person_id, mentee_person_id=org.max.person_id
    )
    assert not selectors.mentor_can_see_network(
        mentor_person_id=org.nora.person_id, mentee_person_id=org.mia.person_id
    )
    services.relationship_end(actor=org.mia, relationship=pair, reason="done")
    assert not selectors.mentor_can_see_network(
        mentor_person_id=org.max.person_id, mentee_person_id=org.mia.person_id
    )


def test_notes_are_private_to_their_author_or_shared_with_the_pair(client, org, pair):
    session = _held(org.mia, pair, 3, behaviors_practiced=["presenting_yourself"])
    services.session_note_add(
        actor=org.mia, session=session, text="MIA-PRIVATE", visibility="private"
    )
    services.session_note_add(
        actor=org.mia, session=session, text="MIA-SHARED", visibility="shared"
    )
    services.session_note_add(
        actor=org.max, session=session, text="MAX-PRIVATE", visibility="private"
    )
    texts = lambda viewer: {n.text for n in selectors.visible_notes(viewer=viewer, session=session)}  # noqa: E731
    assert texts(org.mia) == {"MIA-PRIVATE", "MIA-SHARED"}
    assert texts(org.max) == {"MIA-SHARED", "MAX-PRIVATE"}
    # The program manager sees the pair's progress, never a note; anyone else: 404.
    for user in (org.pat, org.oscar):
        with pytest.raises(NotFoundError):
            selectors.access_session(viewer=user, session_id=session.pk)
        with pytest.raises(NotFoundError):
            services.session_note_add(actor=user, session=session, text="x")
    client.force_login(org.pat)
    page = client.get(f"/mentoring/relationships/{pair.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "MIA-" not in body and "MAX-" not in body and "Win the Acme renewal" not in body
    assert "Presenting yourself and your work" in body  # the behaviors practised: progress
    assert AuditEntry.objects.filter(
        actor=org.pat,
        action="view",
        object_type="mentoring_progress",
        subject_person_id=org.mia.person_id,
    ).exists()
    assert client.get(f"/mentoring/sessions/{session.pk}/").status_code == 404
    client.force_login(org.oscar)
    assert client.get(f"/mentoring/relationships/{pair.pk}/").status_code == 404
    client.force_login(org.max)
    body = client.get(f"/mentoring/sessions/{session.pk}/").content.decode()
    assert "MIA-SHARED" in body and "MAX-PRIVATE" in body and "MIA-PRIVATE" not in body


def test_sessions_are_planned_then_logged(org, pair):
    planned = services.session_create(
        actor=org.max,
        relationship=pair,
        scheduled_at=timezone.now() + dt.timedelta(days=2),
        agenda="Map",
    )
    assert planned.status == "scheduled"
    with pytest.raises(ValidationError, match="after it happened"):
        services.session_log(actor=org.mia, session=planned, status="held")
    past = services.session_create(
        actor=org.mia, relationship=pair, scheduled_at=timezone.now() - dt.timedelta(days=1)
    )
    logged = services.session_log(
        actor=org.mia, session=past, status="held", behaviors_practiced=["giving_value_first"]
    )
    assert logged.logged_at and logged.behaviors_practiced == ["giving_value_first"]
    with pytest.raises(ValidationError, match="Not a behavior"):
        services.session_log(actor=org.mia, session=past, status="held", behaviors_practiced=["x"])
    with pytest.raises(ValidationError):
        services.session_create(
            actor=org.mia,
            relationship=pair,
            scheduled_at=dt.datetime(2026, 1, 1, 10),  # naive
        )


def test_feedback_and_the_fit_check_after_the_first_sessions(
    org, pair, django_capture_on_commit_callbacks
):
    first = _held(org.mia, pair, 20)
    feedback = services.session_feedback_submit(
        actor=org.mia, session=first, rating=4, comment="useful"
    )
    assert feedback.rating == 4
    again = services.session_feedback_submit(actor=org.mia, session=first, rating=5)
    assert again.pk == feedback.pk and again.rating == 5
    with pytest.raises(ValidationError, match="opens after 2 held sessions"):
        services.fit_check_submit(actor=org.mia, relationship=pair, fit=4)
    _held(org.max, pair, 6)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        check = services.fit_check_submit(
            actor=org.mia, relationship=pair, fit=2, wants_rematch=True
        )
    assert check.is_low
    assert (
        mail.outbox[0].to == [org.pat.person.primary_email] and "re-match" in mail.outbox[0].subject
    )
    # The other side does not see it; the program manager does.
    page = selectors.relationship_page(viewer=org.max, relationship=pair)
    assert page.fit_checks == [] and page.sessions[-1].visible_feedback == []
    assert "a re-match is requested" in page.at_risk
    pair.viewer_side = "manager"
    manager_page = selectors.relationship_page(viewer=org.pat, relationship=pair)
    assert [f.fit for f in manager_page.fit_checks] == [2]


def test_overdue_action_items_and_sessions_are_reminded_by_mail_once_a_week(org, pair):
    today = timezone.now().date()
    overdue = services.action_item_create(
        actor=org.max, relationship=pair, title="Call Ann", due_on=today - dt.timedelta(days=3)
    )
    services.action_item_create(
        actor=org.max, relationship=pair, title="Later", due_on=today + dt.timedelta(days=3)
    )
    done = services.action_item_create(
        actor=org.mia, relationship=pair, title="Done one", due_on=today - dt.timedelta(days=9)
    )
    services.action_item_set_done(actor=org.mia, item=done)
    unlogged = services.session_create(
        actor=org.max, relationship=pair, scheduled_at=timezone.now() - dt.timedelta(days=2)
    )
    items = selectors.overdue_items(person_ids=[org.mia.person_id, org.max.person_id], today=today)
    assert [i.kind for i in items[org.mia.person_id]] == ["action_item", "session"]
    assert [i.kind for i in items[org.max.person_id]] == ["session"]
    assert "Call Ann" in items[org.mia.person_id][0].text
    mail.outbox.clear()
    assert mentoring_reminders_daily.call_local() == 2
    to = {m.to[0]: m for m in mail.outbox}
    assert set(to) == {org.mia.person.primary_email, org.max.person.primary_email}
    assert "Call Ann" in to[org.mia.person.primary_email].body
    assert f"/mentoring/sessions/{unlogged.pk}/" in to[org.max.person.primary_email].body
    overdue.refresh_from_db()
    assert overdue.reminded_at is not None
    # The same items are not e-mailed again within the week.
    mail.outbox.clear()
    assert services.mentoring_reminders_send(today=today) == {}
    assert mail.outbox == []
    # The home page lists them too.
    home = selectors.mentoring_home(viewer=org.mia, today=today)
    assert len(home.overdue) == 2


def test_a_reminder_that_cannot_be_sent_is_logged_and_tried_again(org, pair, monkeypatch, caplog):
    today = timezone.now().date()
    item = services.action_item_create(
        actor=org.max, relationship=pair, title="Call Ann", due_on=today - dt.timedelta(days=3)
    )

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("bridgework.mentoring.services.reminders.send_mail", refuse)
    with caplog.at_level("ERROR", logger="bridgework.mentoring.services.reminders"):
        assert services.mentoring_reminders_send(today=today) == {}
    assert "could not be sent" in caplog.text and "no mail server" in caplog.text
    item.refresh_from_db()
    assert item.reminded_at is None  # not marked: the next run tries again
    monkeypatch.undo()
    mail.outbox.clear()
    assert services.mentoring_reminders_send(today=today) == {org.mia.person_id: 1}
    assert len(mail.outbox) == 1


def test_no_session_within_the_cadence_is_overdue(org, pair):
    _held(org.mia, pair, 20)
    items = selectors.overdue_items(person_ids=[org.mia.person_id], today=timezone.now().date())
    [item] = items[org.mia.person_id]
    assert item.kind == "cadence" and "No session for 20 days" in item.text
    services.session_create(
        actor=org.mia, relationship=pair, scheduled_at=timezone.now() + dt.timedelta(days=1)
    )
    assert (
        selectors.overdue_items(person_ids=[org.mia.person_id], today=timezone.now().date()) == {}
    )


def test_practice_plan_from_preparation_to_reflection(org, pair):
    plan = services.practice_plan_create(
        actor=org.mia,
        relationship=pair,
        behavior_key="real_time_conversations",
        conversation="Ask Ann what Acme needs next year",
        preparation="Three open questions.",
    )
    assert plan.status == "planned"
    with pytest.raises(ValidationError, match="Write how the conversation went"):
        services.practice_plan_update(actor=org.mia, plan=plan, status="reflected")
    plan = services.practice_plan_update(
        actor=org.mia, plan=plan, reflection="It went well; I listened.", confidence_after=4
    )
    assert plan.status == "reflected" and plan.reflected_at and plan.confidence_after == 4
    with pytest.raises(ValidationError, match="Not a behavior"):
        services.practice_plan_create(
            actor=org.mia, relationship=pair, behavior_key="x", conversation="y"
        )
    with pytest.raises(NotFoundError):
        services.practice_plan_update(actor=org.oscar, plan=plan, preparation="x")


def test_the_mentor_introduces_the_mentee_through_the_introduction_workflow(
    org, pair, django_capture_on_commit_callbacks
):
    with pytest.raises(NotFoundError):
        services.mentor_introduction_make(
            actor=org.mia, relationship=pair, target=org.ann, message="Meet"
        )
    with pytest.raises(ValidationError, match="knows no tie"):
        services.mentor_introduction_make(
            actor=org.max, relationship=pair, target=org.nora.person, message="Meet"
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        link = services.mentor_introduction_make(
            actor=org.max, relationship=pair, target=org.ann, message="Ann runs the Acme account."
        )
    intro = IntroductionRequest.objects.get(pk=link.introduction_id)
    assert (intro.requester, intro.via, intro.target) == (org.mia.person, org.max.person, org.ann)
    assert intro.status == "accepted" and intro.path == [
        org.mia.person_id,
        org.max.person_id,
        org.ann.pk,
    ]
    interaction = Interaction.objects.get(pk=intro.interaction_id)
    assert interaction.channel == "introduction"
    assert set(interaction.participants.values_list("pk", flat=True)) == {
        org.mia.person_id,
        org.max.person_id,
        org.ann.pk,
    }
    assert {m.to[0] for m in mail.outbox} >= {org.mia.person.primary_email, org.ann.primary_email}
    with pytest.raises(ValidationError, match="introduced to Ann Acme already"):
        services.mentor_introduction_make(
            actor=org.max, relationship=pair, target=org.ann, message="Again"
        )
    # The mentee records its outcome like any accepted introduction.
    from bridgework.interactions.services import introduction_record_outcome

    introduction_record_outcome(actor=org.mia, request=intro, outcome="Met for coffee.")
    page = selectors.relationship_page(viewer=org.mia, relationship=pair)
    assert [i.introduction.target for i in page.introductions] == [org.ann]


def test_ending_a_relationship_stops_new_work(org, pair):
    services.relationship_end(actor=org.max, relationship=pair, reason="Moved teams")
    pair.refresh_from_db()
    assert pair.status == "ended" and pair.ended_on and pair.end_reason == "Moved teams"
    with pytest.raises(ValidationError, match="not active"):
        services.action_item_create(actor=org.mia, relationship=pair, title="x")
    with pytest.raises(ValidationError, match="ended already"):
        services.relationship_end(actor=org.mia, relationship=pair)
    assert ActionItem.objects.count() == 0
