"""The impact API with bearer tokens: objectives, plans, outcomes, attribution,
return on impact, dashboards and programs; the same rules as the pages."""

from __future__ import annotations

import pytest

from bridgework import factories
from bridgework.accounts.services import api_token_create
from bridgework.impact.models import Objective, Outcome
from bridgework.interactions.models import IntroductionRequest

from .conftest import at, days_ago, event, program, tie, write

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Not found."}


def bearer(user) -> dict[str, str]:
    _, raw = api_token_create(user=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


def get(client, url, user, **params):
    return client.get(url, params, headers=bearer(user))


def send(client, method, url, user, data=None):
    return getattr(client, method)(
        url, data or {}, content_type="application/json", headers=bearer(user)
    )


def test_unauthenticated_calls_are_refused(client):
    assert client.get("/api/impact/objectives").status_code == 401


def test_objectives_crud_and_sharing(client, org):
    skill = factories.SkillFactory(name="API design")
    response = send(
        client,
        "post",
        "/api/impact/objectives",
        org.mia,
        {
            "title": "Land the partner integration",
            "needed_skills": [skill.pk],
            "needed_organizations": [org.partner.pk],
            "target_date": "2099-01-01",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner"]["full_name"] == "Mia Member" and body["scope"] == "person"
    assert body["needed_skills"] == [{"id": skill.pk, "name": "API design"}]
    objective_id = body["id"]

    listed = get(client, "/api/impact/objectives", org.mia).json()
    assert [o["id"] for o in listed["mine"]] == [objective_id]

    response = send(
        client,
        "put",
        f"/api/impact/objectives/{objective_id}",
        org.mia,
        {"title": "Renamed", "status": "achieved"},
    )
    assert response.status_code == 200 and response.json()["status"] == "achieved"

    share = send(
        client,
        "post",
        f"/api/impact/objectives/{objective_id}/shares",
        org.mia,
        {"person": org.max.person.pk},
    )
    assert share.status_code == 201
    assert get(client, f"/api/impact/objectives/{objective_id}", org.max).status_code == 200
    assert get(client, f"/api/impact/objectives/{objective_id}", org.oscar).json() == NOT_FOUND
    assert (
        send(
            client, "put", f"/api/impact/objectives/{objective_id}", org.max, {"title": "x"}
        ).status_code
        == 404
    )
    assert (
        send(client, "delete", f"/api/impact/shares/{share.json()['id']}", org.max).status_code
        == 404
    )
    assert (
        send(client, "delete", f"/api/impact/shares/{share.json()['id']}", org.mia).status_code
        == 204
    )
    assert (
        send(client, "delete", f"/api/impact/objectives/{objective_id}", org.mia).status_code == 204
    )
    assert not Objective.objects.exists()


def test_objective_input_errors_are_422_naming_the_field(client, org):
    response = send(
        client,
        "post",
        "/api/impact/objectives",
        org.mia,
        {"title": "t", "needed_skills": [999999]},
    )
    assert response.status_code == 422
    assert "needed_skills" in response.json()["errors"]
    response = send(
        client,
        "post",
        "/api/impact/objectives",
        org.mia,
        {"title": "t", "started_on": "2026-01-10", "target_date": "2026-01-01"},
    )
    assert response.status_code == 422 and "target_date" in response.json()["errors"]


def test_the_plan_with_proposals_paths_and_progress(client, org):
    lena = org.partners[0]
    tie(org.mia.person, org.betas[3], 0.7, "strong")
    tie(org.betas[3], lena, 0.5)
    objective = send(
        client,
        "post",
        "/api/impact/objectives",
        org.mia,
        {
            "title": "Partner integration",
            "needed_organizations": [org.partner.pk],
            "started_on": str(days_ago(30)),
        },
    ).json()
    plan = get(client, f"/api/impact/objectives/{objective['id']}/plan", org.mia).json()
    proposed = {row["person"]["id"]: row for row in plan["proposals"]}
    assert set(proposed) == {p.pk for p in org.partners}
    row = proposed[lena.pk]
    assert row["reason"] == "Works at Lumen" and row["gap"] == 0.35
    path = row["path"]
    assert path["person_ids"] == [org.mia.person.pk, org.betas[3].pk, lena.pk]
    assert path["steps"][0]["strength"] == 0.7 and path["steps"][1]["strength"] is None
    assert "test tie" not in str(path["steps"][1])  # no explanation of others' ties

    added = send(
        client,
        "post",
        f"/api/impact/objectives/{objective['id']}/stakeholders",
        org.mia,
        {"person": lena.pk, "origin": "proposed", "reason": row["reason"], "cadence_days": 14},
    )
    assert added.status_code == 201
    write(event(org.mia.person, lena, day=days_ago(3)))
    plan = get(client, f"/api/impact/objectives/{objective['id']}/plan", org.mia).json()
    assert [r["person"]["id"] for r in plan["stakeholders"]] == [lena.pk]
    assert plan["stakeholders"][0]["progress"]["meetings"] == 1
    assert plan["progress"]["meetings"] == 1
    stakeholder_id = added.json()["id"]
    edited = send(
        client,
        "put",
        f"/api/impact/stakeholders/{stakeholder_id}",
        org.mia,
        {"target_strength": 0.6, "cadence_days": 30, "next_step": "Demo"},
    )
    assert edited.json()["target_strength"] == 0.6
    assert (
        send(client, "put", f"/api/impact/stakeholders/{stakeholder_id}", org.oscar, {}).json()
        == NOT_FOUND
    )
    removed = send(client, "delete", f"/api/impact/stakeholders/{stakeholder_id}", org.mia)
    assert removed.json()["status"] == "dismissed"
    # A shared reader sees the plan but no proposals and no paths.
    Objective.objects.get().shares.create(person=org.max.person)
    shared = get(client, f"/api/impact/objectives/{objective['id']}/plan", org.max).json()
    assert shared["is_owner"] is False and shared["proposals"] == []


def test_outcomes_attribution_and_validation(client, org):
    ben, chen = org.betas[3], org.partners[0]
    request = IntroductionRequest.objects.create(
        requester=org.mia.person,
        via=ben,
        target=chen,
        path=[org.mia.person.pk, ben.pk, chen.pk],
        message="m",
        status="completed",
    )
    IntroductionRequest.objects.filter(pk=request.pk).update(created_at=at(days_ago(20)))
    payload = {
        "kind": "deal",
        "title": "Pilot",
        "value": "1000",
        "unit": "money",
        "occurred_on": str(days_ago(2)),
        "introductions": [request.pk],
        "contributors": [{"person": ben.pk, "share": 1}],
    }
    bad = send(client, "post", "/api/impact/outcomes", org.mia, {**payload, "value": "-1"})
    assert bad.status_code == 422 and "value" in bad.json()["errors"]
    future = send(
        client, "post", "/api/impact/outcomes", org.mia, {**payload, "occurred_on": "2999-01-01"}
    )
    assert future.status_code == 422 and "occurred_on" in future.json()["errors"]
    unit = send(client, "post", "/api/impact/outcomes", org.mia, {**payload, "unit": "euros"})
    assert unit.status_code == 422
    assert not Outcome.objects.exists()

    created = send(client, "post", "/api/impact/outcomes", org.mia, payload)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["paths"] == [[org.mia.person.pk, ben.pk, chen.pk]]
    assert body["introductions"] == [request.pk]

    attribution = get(client, f"/api/impact/outcomes/{body['id']}/attribution", org.mia).json()
    methods = {m["method"]: m for m in attribution["methods"]}
    assert attribution["used_method"] == "shapley"
    assert methods["declared"]["people"] == [{"person": ben.pk, "credit": 1000.0}]
    # One path of two hops: Shapley gives each relationship half (500), people split them.
    assert {p["person"]: p["credit"] for p in methods["shapley"]["people"]} == {
        org.mia.person.pk: 250.0,
        ben.pk: 500.0,
        chen.pk: 250.0,
    }
    assert get(client, f"/api/impact/outcomes/{body['id']}", org.oscar).json() == NOT_FOUND
    assert (
        get(client, f"/api/impact/outcomes/{body['id']}/attribution", org.oscar).status_code == 404
    )
    listed = get(client, "/api/impact/outcomes", org.mia).json()
    assert [o["id"] for o in listed] == [body["id"]]
    assert (
        send(client, "delete", f"/api/impact/outcomes/{body['id']}", org.oscar).status_code == 404
    )
    assert send(client, "delete", f"/api/impact/outcomes/{body['id']}", org.mia).status_code == 204


def test_my_return_and_the_group_dashboard(client, org):
    write(
        event(org.mia.person, org.betas[3], day=days_ago(40), minutes=90),
        event(org.mia.person, org.betas[3], day=days_ago(20), minutes=30),
    )
    send(
        client,
        "post",
        "/api/impact/outcomes",
        org.mia,
        {
            "kind": "deal",
            "title": "Pilot",
            "value": "300",
            "unit": "money",
            "occurred_on": str(days_ago(5)),
        },
    )
    mine = get(client, "/api/impact/return", org.mia).json()
    assert mine["hours"] == 2.0
    assert mine["owned"]["by_unit"]["money"] == {"value": 300.0, "outcomes": 1, "per_hour": 150.0}
    assert mine["relationships"][0]["other"]["id"] == org.betas[3].pk
    assert get(client, "/api/impact/return", org.lea).json() == NOT_FOUND  # no person
    assert get(client, "/api/impact/return", org.mia, months=99).status_code == 422

    assert get(client, "/api/impact/dashboard/groups", org.mia).json() == NOT_FOUND
    dashboard = get(client, "/api/impact/dashboard/groups", org.lea).json()
    assert dashboard["minimum_group_size"] == 5
    assert "Mia Member" not in str(dashboard)
    assert all(team["people"] >= 5 for team in dashboard["teams"])


def test_programs(client, org):
    running = program("Spring", mentees=org.alphas[1:3], start=days_ago(30))
    assert get(client, "/api/impact/programs", org.mia).json() == NOT_FOUND
    listed = get(client, "/api/impact/programs", org.pam).json()
    assert [p["name"] for p in listed] == ["Spring"]
    detail = get(client, f"/api/impact/programs/{running.pk}", org.pam).json()
    assert detail["evaluation"] is None and detail["result"] is None  # 2 participants
    evaluated = send(client, "post", f"/api/impact/programs/{running.pk}/evaluate", org.pam)
    assert evaluated.status_code == 201
    results = evaluated.json()["evaluation"]["results"]
    assert results[0]["verdict"] == "too_small" and results[0]["effect"] is None
    assert (
        send(client, "post", f"/api/impact/programs/{running.pk}/evaluate", org.lea).json()
        == NOT_FOUND
    )
    assert get(client, f"/api/impact/programs/{running.pk}", org.lea).status_code == 200


def test_adding_stakeholders_counts_as_path_look_ups(client, org, settings):
    """The plan shows a path to every stakeholder: adding one is a path look-up."""
    settings.PATH_QUERIES_PER_HOUR = 2
    objective = send(client, "post", "/api/impact/objectives", org.mia, {"title": "Reach"}).json()
    url = f"/api/impact/objectives/{objective['id']}/stakeholders"
    answers = [
        send(client, "post", url, org.mia, {"person": person.pk}).status_code
        for person in org.partners[:3]
    ]
    assert answers == [201, 201, 429]
    stored = Objective.objects.get(pk=objective["id"]).stakeholders.values_list("person", flat=True)
    assert sorted(stored) == sorted(p.pk for p in org.partners[:2])


def test_the_owners_plan_counts_as_a_path_look_up(client, org, settings):
    """Its warm paths are path look-ups: beyond the allowance, 429 (API) or no paths (page)."""
    settings.PATH_QUERIES_PER_HOUR = 1
    objective = send(client, "post", "/api/impact/objectives", org.mia, {"title": "Reach"}).json()
    url = f"/api/impact/objectives/{objective['id']}/plan"
    assert get(client, url, org.mia).status_code == 200
    refused = get(client, url, org.mia)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "limit of 1 introduction path look-ups an hour" in refused.json()["detail"]

    client.force_login(org.mia)
    page = client.get(f"/impact/objectives/{objective['id']}/")
    assert page.status_code == 200
    assert "Warm paths are not shown." in page.content.decode()
