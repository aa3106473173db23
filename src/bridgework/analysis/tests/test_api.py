"""The analysis API under /api/analysis/: the same privacy rules as the pages."""

from __future__ import annotations

import pytest

from bridgework import factories
from bridgework.accounts.models import Role
from bridgework.accounts.services import api_token_create
from bridgework.analysis.models import AnalysisRun

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _, raw = api_token_create(user=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


def get(client, url, user, **params):
    return client.get(url, params, headers=bearer(user))


def test_groups_for_a_leader_without_small_groups_or_names(client, org, ran, leader):
    response = get(client, "/api/analysis/groups", leader)
    assert response.status_code == 200
    body = response.json()
    assert body["minimum_group_size"] == 5
    assert "Gamma" not in {t["group"] for t in body["teams"]}
    assert "Gamma" not in body["matrix"]["groups"]
    text = response.content.decode()
    assert "Alpha Person" not in text and "Carl" not in text
    assert body["run"]["id"] == ran.pk and body["run"]["status"] == "succeeded"


def test_groups_before_any_run_is_not_found(client, org, leader):
    assert get(client, "/api/analysis/groups", leader).status_code == 404


def test_members_get_404_for_groups_and_people(client, org, ran, member):
    for url in ("/api/analysis/groups", "/api/analysis/people", "/api/analysis/map/people"):
        assert get(client, url, member).status_code == 404, url


def test_people_for_analysts_sorted_and_validated(client, org, ran, analyst):
    response = get(client, "/api/analysis/people", analyst, sort="degree", limit=3)
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 3
    assert rows[0]["degree"] >= rows[1]["degree"] >= rows[2]["degree"]
    bad = get(client, "/api/analysis/people", analyst, sort="shoe_size")
    assert bad.status_code == 422
    assert "sort must be one of" in bad.content.decode()


def test_my_own_metrics_and_nobody_elses(client, org, ran):
    me = factories.UserFactory(person=org.ada, roles=[Role.MEMBER])
    mine = get(client, f"/api/analysis/people/{org.ada.pk}", me)
    assert mine.status_code == 200 and mine.json()["person_id"] == org.ada.pk
    assert get(client, f"/api/analysis/people/{org.bo.pk}", me).status_code == 404
    ego = get(client, f"/api/analysis/map/ego/{org.ada.pk}", me).json()
    assert ego["nodes"]["id"][0] == str(org.ada.pk)


def test_starting_a_run_is_for_analysts(
    client, org, analyst, member, django_capture_on_commit_callbacks
):
    assert client.post("/api/analysis/runs", headers=bearer(member)).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/analysis/runs", headers=bearer(analyst))
    assert response.status_code == 202
    run = AnalysisRun.objects.get(pk=response.json()["id"])
    assert response.json()["status"] == "queued"
    # The test task queue runs tasks at once: the run has finished.
    assert run.status == "succeeded"
    listed = get(client, "/api/analysis/runs", analyst).json()
    assert listed[0]["id"] == run.pk
