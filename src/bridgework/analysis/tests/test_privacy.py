"""Who sees what of the network analysis (DESIGN.md, "Privacy is part of the product")."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.models import AuditEntry, Role
from bridgework.analysis import selectors
from bridgework.core.errors import NotFoundError
from bridgework.mentoring import services as mentoring

pytestmark = pytest.mark.django_db


def test_a_leader_sees_groups_never_a_group_under_the_minimum(org, ran, leader):
    run, view = selectors.group_view(viewer=leader)
    assert run == ran
    # Gamma has 2 people: withheld. Alpha and Beta together are everyone but
    # Gamma's 2, so the complement rule withholds one of them too.
    shown = set(view.teams["group"])
    assert "Gamma" not in shown
    assert view.hidden["team"] >= 1
    assert "Gamma" not in view.matrix.index
    data = json.dumps(selectors.group_map(viewer=leader))
    assert "Gamma" not in data
    for person in org.a + org.b + org.c:
        assert person.full_name not in data


def test_leaders_and_members_never_see_individuals(org, ran, leader, member):
    for viewer in (leader, member):
        with pytest.raises(NotFoundError):
            selectors.individual_analysis(viewer=viewer)
        with pytest.raises(NotFoundError):
            selectors.person_metrics(viewer=viewer, person_id=org.ada.pk)
        with pytest.raises(NotFoundError):
            selectors.people_map(viewer=viewer)
    with pytest.raises(NotFoundError):
        selectors.group_view(viewer=member)


def test_a_person_sees_their_own_metrics_without_an_audit_entry(org, ran):
    user = factories.UserFactory(person=org.ada, roles=[Role.MEMBER])
    before = AuditEntry.objects.count()
    metric = selectors.person_metrics(viewer=user, person_id=org.ada.pk)
    assert metric.person_id == org.ada.pk
    assert AuditEntry.objects.count() == before
    # Their ego map shows their own ties only: every link starts at them.
    ego = selectors.ego_map(viewer=user, person_id=org.ada.pk)
    assert set(ego["edges"]["source"]) == {0}
    assert len(ego["nodes"]["id"]) == 1 + metric.degree


def test_an_analyst_sees_individuals_and_every_look_is_audited(org, ran, analyst):
    _, result = selectors.individual_analysis(viewer=analyst)
    assert len(result.people) == 14
    selectors.person_metrics(viewer=analyst, person_id=org.bo.pk)
    looks = set(AuditEntry.objects.filter(actor=analyst).values_list("action", "object_type"))
    assert ("view", "analysis_people") in looks and ("view", "network_metrics") in looks
    bo = AuditEntry.objects.get(actor=analyst, object_type="network_metrics")
    assert bo.subject_person_id == org.bo.pk
    ego = selectors.ego_map(viewer=analyst, person_id=org.ada.pk)
    assert set(ego["edges"]["source"]) != {0}  # ties among Ada's contacts too


def test_an_explicit_permission_opens_individual_metrics_to_a_leader(org, ran, leader):
    leader.user_permissions.add(Permission.objects.get(codename="view_individual_metrics"))
    leader = type(leader).objects.get(pk=leader.pk)  # fresh permission cache
    _, result = selectors.individual_analysis(viewer=leader)
    assert result is not None


def test_before_the_first_run_views_are_empty(org, leader):
    assert selectors.group_view(viewer=leader) == (None, None)
    assert selectors.group_map(viewer=leader)["nodes"]["id"] == []


def test_a_mentor_sees_a_mentees_metrics_only_while_the_mentee_shares_them(org, ran):
    manager = factories.UserFactory(roles=[Role.PROGRAM_MANAGER], person=None)
    mentee = factories.UserFactory(person=org.ada, roles=[Role.MEMBER])
    mentor = factories.UserFactory(person=org.b[3], roles=[Role.MEMBER, Role.MENTOR])
    today = timezone.now().date()
    program = mentoring.program_create(
        actor=manager,
        name="Builders",
        goal="Relationships",
        start_date=today - dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=60),
    )
    program = mentoring.program_set_enrollment(actor=manager, program=program, open=True)
    mentoring.enrollment_create(actor=mentee, program=program, role="mentee", goals="Grow")
    mentoring.enrollment_create(actor=mentor, program=program, role="mentor", capacity=1)
    run = mentoring.matching_run(actor=manager, program=program)
    [relationship] = mentoring.matching_publish(actor=manager, run=run)
    assert (relationship.mentee_id, relationship.mentor_id) == (org.ada.pk, org.b[3].pk)

    with pytest.raises(NotFoundError):
        selectors.person_metrics(viewer=mentor, person_id=org.ada.pk)
    mentoring.agreement_set_network_sharing(actor=mentee, relationship=relationship, share=True)
    metric = selectors.person_metrics(viewer=mentor, person_id=org.ada.pk)
    assert metric.person_id == org.ada.pk
    assert AuditEntry.objects.filter(
        actor=mentor, object_type="network_metrics", subject_person_id=org.ada.pk
    ).exists()
    # Only the mentee's own ties on the map, and nobody else's metrics.
    assert set(selectors.ego_map(viewer=mentor, person_id=org.ada.pk)["edges"]["source"]) == {0}
    with pytest.raises(NotFoundError):
        selectors.person_metrics(viewer=mentor, person_id=org.bo.pk)
    mentoring.agreement_set_network_sharing(actor=mentee, relationship=relationship, share=False)
    with pytest.raises(NotFoundError):
        selectors.person_metrics(viewer=mentor, person_id=org.ada.pk)
