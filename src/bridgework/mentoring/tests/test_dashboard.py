"""The program dashboard: participation, cadence, growth, pairs at risk; and the report."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bridgework.core.errors import NotFoundError
from bridgework.mentoring import selectors, services
from bridgework.mentoring.models import (
    ActionItem,
    Enrollment,
    MentoringRelationship,
    MentoringSession,
    NetworkSnapshot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(org, program, enrolled):
    """Five pairs: Mia and four more mentees, Max and Nora with room for three each."""
    for mentor in (enrolled["max"], enrolled["nora"]):
        Enrollment.objects.filter(pk=mentor.pk).update(capacity=3)
    for person in org.extra_mentees:
        services.enrollment_create(
            actor=org.pat,
            program=program,
            role="mentee",
            person=person,
            behaviors_to_develop=["giving_value_first"],
        )
    run = services.matching_run(actor=org.pat, program=program)
    pairs = services.matching_publish(actor=org.pat, run=run)
    assert len(pairs) == 5
    started = timezone.now().date() - dt.timedelta(days=50)
    MentoringRelationship.objects.filter(program=program).update(started_on=started)
    return {r.mentee_id: r for r in MentoringRelationship.objects.filter(program=program)}


def _session(relationship, days_ago: int, status="held"):
    return MentoringSession.objects.create(
        relationship=relationship,
        scheduled_at=timezone.now() - dt.timedelta(days=days_ago),
        status=status,
        logged_at=timezone.now() if status != "scheduled" else None,
    )


def test_pairs_at_risk_are_found_for_each_reason(org, program, cohort):
    today = timezone.now().date()
    mia = cohort[org.mia.person_id]
    quiet, low_fit, overdue, fine = (cohort[p.pk] for p in org.extra_mentees)
    for relationship in (mia, low_fit, overdue, fine):
        _session(relationship, 40)
        _session(relationship, 5)
    _session(quiet, 45)  # nothing for 45 days > 2 x 14
    low_fit_user = org.nora if low_fit.mentor_id == org.nora.person_id else org.max
    services.fit_check_submit(actor=low_fit_user, relationship=low_fit, fit=2)
    for days in (3, 9):
        ActionItem.objects.create(
            relationship=overdue,
            title="x",
            owner=overdue.mentee,
            due_on=today - dt.timedelta(days=days),
        )
    board = selectors.program_dashboard(viewer=org.pat, program=program, today=today)
    reasons = {item.relationship.pk: item.reasons for item in board.at_risk}
    assert set(reasons) == {quiet.pk, low_fit.pk, overdue.pk}
    assert "no session held for 45 days" in reasons[quiet.pk][0]
    assert reasons[low_fit.pk] == ["low fit (2/5)"]
    assert reasons[overdue.pk] == ["2 overdue action items"]
    assert board.participation["active_pairs"] == 5 and board.participation["waiting_mentees"] == 0
    assert board.cadence["sessions_held"] == 9
    assert board.cadence["on_cadence"] == 4  # a session 5 days ago, within 14 days
    assert board.cadence["median_gap_days"] == 35


def test_network_growth_is_an_average_over_enough_mentees(org, program, cohort, settings):
    services.network_snapshots_refresh()
    board = selectors.program_dashboard(viewer=org.pat, program=program)
    assert board.network_mentees == 5 and board.network_note == ""
    assert [row.key for row in board.network_growth][:2] == ["ties", "ties_outside_team"]
    assert board.network_end == timezone.now().date()
    settings.PRIVACY_MIN_GROUP_SIZE = 6
    board = selectors.program_dashboard(viewer=org.pat, program=program)
    assert board.network_growth == [] and "at least 6 mentees" in board.network_hidden_reason


def test_a_manager_who_is_a_mentee_does_not_count_towards_the_minimum(org, program, cohort):
    """Five mentees are enough for Pat, but a manager who is one of them sees four others."""
    from bridgework import factories
    from bridgework.accounts.models import Role

    services.network_snapshots_refresh()
    assert selectors.program_dashboard(viewer=org.pat, program=program).network_growth
    insider = factories.UserFactory(
        person=org.extra_mentees[0], roles=[Role.MEMBER, Role.PROGRAM_MANAGER]
    )
    board = selectors.program_dashboard(viewer=insider, program=program)
    assert board.network_growth == []
    assert board.network_hidden_reason.startswith("Shown for at least 5 mentees")


def test_network_growth_waits_for_the_nightly_update(org, program, cohort):
    board = selectors.program_dashboard(viewer=org.pat, program=program)
    assert board.network_growth == [] and board.network_mentees == 0
    assert board.network_hidden_reason == (
        "Shown for at least 5 mentees with network data; 0 have it so far; "
        "for 5 more it will show after tonight's update."
    )
    # One mentee's snapshots are still to come: the average covers the others, and says so.
    services.network_snapshots_refresh()
    NetworkSnapshot.objects.filter(person_id=org.mia.person_id).delete()
    board = selectors.program_dashboard(viewer=org.pat, program=program)
    assert "5 mentees with network data; 4 have it so far" in board.network_hidden_reason
    org.extra_mentees[0].analytics_consent = False
    org.extra_mentees[0].save()
    board = selectors.program_dashboard(viewer=org.pat, program=program)
    assert board.network_hidden_reason == (
        "Shown for at least 5 mentees with network data; 3 have it "
        "(1 declined analytics; for 1 more it will show after tonight's update)."
    )


def test_network_growth_notes_mentees_still_to_come(org, program, cohort, settings):
    settings.PRIVACY_MIN_GROUP_SIZE = 3
    services.network_snapshots_refresh()
    NetworkSnapshot.objects.filter(person_id=org.mia.person_id).delete()
    board = selectors.program_dashboard(viewer=org.pat, program=program)
    assert board.network_mentees == 4 and board.network_growth
    assert board.network_note == "For 1 more mentee it will show after tonight's update."


def test_behavior_growth_compares_first_and_latest_rounds(org, program, cohort):
    mia = cohort[org.mia.person_id]
    keys = program.framework_version.behavior_keys
    for round_key, level in (("start", 2), ("midpoint", 4)):
        assessment = services.assessment_request(
            actor=org.mia, relationship=mia, kind="self", round=round_key
        )
        services.assessment_submit(
            actor=org.mia, assessment=assessment, ratings={k: level for k in keys}
        )
    board = selectors.program_dashboard(viewer=org.pat, program=program)
    row = next(r for r in board.behavior_growth if r.key == "presenting_yourself")
    assert (row.first, row.latest, row.change, row.mentees) == (2, 4, 2, 1)
    assert "Presenting yourself and your work: 2 → 4" in str(board.growth_chart)
    pair_row = next(p for p in board.pairs if p.relationship.pk == mia.pk)
    assert pair_row.behavior_change == 2


def test_the_dashboard_is_for_program_managers(org, program, cohort):
    with pytest.raises(NotFoundError):
        selectors.program_dashboard(viewer=org.max, program=program)


def test_the_dashboard_page_makes_a_bounded_number_of_queries(
    client, org, program, cohort, django_assert_max_num_queries
):
    for relationship in cohort.values():
        _session(relationship, 10)
        ActionItem.objects.create(relationship=relationship, title="x", owner=relationship.mentee)
    services.network_snapshots_refresh()
    client.force_login(org.pat)
    with django_assert_max_num_queries(25):
        response = client.get(f"/mentoring/programs/{program.pk}/dashboard/")
    assert response.status_code == 200
    assert b"Pairs at risk" in response.content
    assert b"Over 5 mentees." in response.content


def test_the_dashboard_page_writes_nothing(client, org, program, cohort):
    """Reads only: the network snapshots come from the nightly update, not the GET."""
    client.force_login(org.pat)
    for refreshed in (False, True):
        if refreshed:
            services.network_snapshots_refresh()
        snapshots = NetworkSnapshot.objects.count()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/mentoring/programs/{program.pk}/dashboard/")
        assert response.status_code == 200
        writes = [
            q["sql"]
            for q in queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE"))
        ]
        assert writes == []
        assert NetworkSnapshot.objects.count() == snapshots
    assert snapshots > 0


def test_finishing_ends_the_pairs_and_the_report_is_final(client, org, program, cohort):
    services.program_finish(actor=org.pat, program=program)
    assert not MentoringRelationship.objects.filter(program=program, status="active").exists()
    client.force_login(org.pat)
    page = client.get(f"/mentoring/programs/{program.pk}/report/")
    assert page.status_code == 200
    assert b"final report" in page.content and b"5 mentees" in page.content
    client.force_login(org.mia)
    assert client.get(f"/mentoring/programs/{program.pk}/report/").status_code == 404
