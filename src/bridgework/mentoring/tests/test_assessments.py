"""Self, mentor and peer assessments, the rounds, and the progress they make."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from bridgework import factories
from bridgework.core.errors import NotFoundError
from bridgework.mentoring import selectors, services
from bridgework.web import charts

pytestmark = pytest.mark.django_db


def _rate(actor, assessment, levels: dict[str, int], default: int = 2):
    keys = assessment.framework_version.behavior_keys
    return services.assessment_submit(
        actor=actor, assessment=assessment, ratings={k: levels.get(k, default) for k in keys}
    )


def test_a_peer_sees_only_the_form(client, org, pair, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        peer = services.assessment_request(
            actor=org.mia, relationship=pair, kind="peer", round="start", assessor=org.petra.person
        )
    assert mail.outbox[0].to == [org.petra.person.primary_email]
    assert f"/mentoring/assessments/{peer.pk}/" in mail.outbox[0].body
    client.force_login(org.petra)
    page = client.get(f"/mentoring/assessments/{peer.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Peer assessment of Mia Mentee" in body
    # The rubric is on the form; nothing else about the pair is.
    assert "Works on objectives without thinking about who else they depend on." in body
    assert "Win the Acme renewal" not in body
    assert f"/mentoring/relationships/{pair.pk}/" not in body
    assert client.get(f"/mentoring/relationships/{pair.pk}/").status_code == 404
    keys = pair.program.framework_version.behavior_keys
    data = {f"level_{k}": "3" for k in keys} | {"note_presenting_yourself": "Clear at the demo."}
    response = client.post(f"/mentoring/assessments/{peer.pk}/", data)
    assert response.status_code == 302
    peer.refresh_from_db()
    assert peer.is_submitted and peer.ratings.count() == len(keys)
    # Submitted once; others cannot fill it in.
    assert client.post(f"/mentoring/assessments/{peer.pk}/", data).status_code == 404


def test_who_may_ask_for_which_assessment(org, pair):
    with pytest.raises(ValidationError, match="no Bridgework login"):
        services.assessment_request(
            actor=org.mia, relationship=pair, kind="peer", round="start", assessor=org.gil
        )
    with pytest.raises(ValidationError, match="other than the mentee and mentor"):
        services.assessment_request(
            actor=org.mia, relationship=pair, kind="peer", round="start", assessor=org.max.person
        )
    with pytest.raises(NotFoundError):
        services.assessment_request(actor=org.oscar, relationship=pair, kind="self", round="start")
    services.assessment_request(actor=org.mia, relationship=pair, kind="self", round="start")
    with pytest.raises(ValidationError, match="requested already"):
        services.assessment_request(actor=org.mia, relationship=pair, kind="self", round="start")


def test_submitting_rates_every_behavior_once(org, pair):
    assessment = services.assessment_request(
        actor=org.max, relationship=pair, kind="mentor", round="start"
    )
    with pytest.raises(NotFoundError):
        _rate(org.mia, assessment, {})
    with pytest.raises(ValidationError) as caught:
        services.assessment_submit(
            actor=org.max, assessment=assessment, ratings={"presenting_yourself": 3}
        )
    assert "missing" in str(caught.value)
    with pytest.raises(ValidationError):
        _rate(org.max, assessment, {"presenting_yourself": 6})
    assert assessment.ratings.count() == 0
    _rate(org.max, assessment, {"presenting_yourself": 3})
    with pytest.raises(ValidationError, match="submitted already"):
        _rate(org.max, assessment, {})


def test_progress_per_behavior_by_round_and_assessor(org, pair):
    for round_key, self_level, mentor_level in (("start", 2, 2), ("midpoint", 3, 4)):
        own = services.assessment_request(
            actor=org.mia, relationship=pair, kind="self", round=round_key
        )
        _rate(org.mia, own, {"presenting_yourself": self_level})
        by_mentor = services.assessment_request(
            actor=org.max, relationship=pair, kind="mentor", round=round_key
        )
        _rate(org.max, by_mentor, {"presenting_yourself": mentor_level})
    progress = selectors.behavior_progress(enrollment=pair.mentee_enrollment)
    assert [r.key for r in progress.rounds] == ["start", "midpoint"]
    presenting = next(b for b in progress.behaviors if b.key == "presenting_yourself")
    assert presenting.series["self"] == [2, 3] and presenting.series["mentor"] == [2, 4]
    assert presenting.series["peer"] == [None, None]
    assert presenting.combined == [2, 3.5] and presenting.change == 1.5
    assert len(progress.behaviors) == 8
    svg = str(presenting.chart)
    assert 'role="img"' in svg and "Self: 2 → 3" in svg and "Mentor: 2 → 4" in svg


def test_a_round_opened_for_the_program_asks_every_active_pair(org, pair):
    assert (
        services.assessment_round_open(actor=org.pat, program=pair.program, round="midpoint") == 2
    )
    assert (
        services.assessment_round_open(actor=org.pat, program=pair.program, round="midpoint") == 0
    )
    waiting = selectors.assessments_to_fill(viewer=org.max)
    assert [(a.kind, a.round) for a in waiting] == [("mentor", "midpoint")]
    with pytest.raises(NotFoundError):
        services.assessment_round_open(actor=org.max, program=pair.program, round="end")


def test_charts_escape_their_text():
    svg = str(charts.behavior_chart(uid="x", name="<b>", rounds=["<i>"], series={"self": [1]}))
    assert "<b>" not in svg and "&lt;b&gt;" in svg


def test_program_managers_see_ratings_not_the_assessors_notes(org, pair):
    assessment = services.assessment_request(
        actor=org.max, relationship=pair, kind="mentor", round="start"
    )
    keys = assessment.framework_version.behavior_keys
    services.assessment_submit(
        actor=org.max,
        assessment=assessment,
        ratings={k: 3 for k in keys},
        notes={"presenting_yourself": "NOTE-FROM-MAX"},
        comment="COMMENT-FROM-MAX",
    )
    seen = selectors.access_assessment(viewer=org.pat, assessment_id=assessment.pk)
    assert seen.viewer_sees_notes is False and not seen.viewer_can_fill
    mine = selectors.access_assessment(viewer=org.mia, assessment_id=assessment.pk)
    assert mine.viewer_sees_notes is True
    with pytest.raises(NotFoundError):
        selectors.access_assessment(viewer=org.oscar, assessment_id=assessment.pk)
    admin = factories.UserFactory(username="adele", roles=["admin"], person=None)
    seen = selectors.access_assessment(viewer=admin, assessment_id=assessment.pk)
    assert seen.viewer_sees_notes is False


def test_the_schedule_asks_for_each_round_when_it_is_due(
    org, pair, django_capture_on_commit_callbacks
):
    import datetime as dt

    from bridgework.mentoring.models import Assessment, Program

    program = pair.program
    start = program.start_date
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.assessment_rounds_schedule(today=start + dt.timedelta(days=3)) == 2
    assert {m.to[0] for m in mail.outbox} == {
        org.mia.person.primary_email,
        org.max.person.primary_email,
    }
    assert services.assessment_rounds_schedule(today=start + dt.timedelta(days=4)) == 0
    assert services.assessment_rounds_schedule(today=program.midpoint) == 2
    assert services.assessment_rounds_schedule(today=program.end_date - dt.timedelta(days=10)) == 2
    rounds = sorted(set(Assessment.objects.values_list("round", flat=True)))
    assert rounds == ["end", "midpoint", "start"]
    assert all(a.due_on is not None for a in Assessment.objects.all())
    # Ongoing programs: a check-in every ``assessment_cadence_days`` after the last round.
    Program.objects.filter(pk=program.pk).update(
        kind="ongoing", end_date=None, assessment_cadence_days=30
    )
    last = Assessment.objects.order_by("-created_at").first().created_at.date()
    assert services.assessment_rounds_schedule(today=last + dt.timedelta(days=29)) == 0
    assert services.assessment_rounds_schedule(today=last + dt.timedelta(days=30)) == 2
    assert Assessment.objects.filter(round="checkin").count() == 2
