"""Withdrawing analytics consent hides a person from every analytics read at once.

The organization is this app's (``conftest``): teams Alpha and Beta are dense
inside and joined only by Ada–Bo and by Carl (a contractor in Alpha) – Beta
Person 1. Ada withdraws on her own profile page; before any recomputation
runs, she must be gone from the people analyst's people map, individual
metrics and CSV, from ego maps, introduction paths and expertise search, and
a recomputation of her ties must be waiting. Who is where is read off the
fixture's picture, not from the code under test.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.db.models import Q
from django.urls import reverse

from bridgework import factories
from bridgework.accounts.models import Role
from bridgework.accounts.services import api_token_create
from bridgework.interactions.selectors import introduction_paths
from bridgework.network.expertise import expertise_search
from bridgework.network.models import Tie, TieRecompute
from bridgework.network.selectors import tie_graph_cache_clear

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _, raw = api_token_create(user=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def world(org, ran, settings, tmp_path, analyst, client):
    """Ada with a login and a skill Beta Person 3 has too; Alpha Person 1 searching."""
    settings.EVENT_STORE_PATH = tmp_path / "events.duckdb"
    tie_graph_cache_clear()
    ada = factories.UserFactory(username="ada-withdraws", person=org.ada, roles=[Role.MEMBER])
    seeker = factories.UserFactory(username="alpha-one", person=org.a[1], roles=[Role.MEMBER])
    skill = factories.SkillFactory(name="Negotiation", slug="negotiation")
    for person in (org.ada, org.b[3]):
        factories.PersonSkillFactory(person=person, skill=skill, level=4)
    yield {"ada": ada, "seeker": seeker, "skill": skill, "analyst": analyst}
    tie_graph_cache_clear()


def _withdraw_on_own_profile(client, ada_user, django_capture_on_commit_callbacks):
    client.force_login(ada_user)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("people:edit", args=[ada_user.person_id]),
            {"full_name": ada_user.person.full_name, "time_zone": "UTC", "analytics_consent": ""},
        )
    assert response.status_code == 302
    client.logout()
    return callbacks


def _reads(client, world, org) -> dict:
    """What the analyst, Bo's ego map, paths and expertise show, as person ids."""
    analyst, seeker = world["analyst"], world["seeker"]
    client.force_login(analyst)
    people_map = client.get(reverse("analysis:map", args=["people"])).json()
    bo_ego = client.get(reverse("analysis:ego", args=[org.bo.pk])).json()
    ada_ego = client.get(reverse("analysis:ego", args=[org.ada.pk]))
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("analysis:people_csv")).text)))
    client.logout()
    api_people = client.get("/api/analysis/people?limit=1000", headers=bearer(analyst)).json()
    api_ada = client.get(f"/api/analysis/people/{org.ada.pk}", headers=bearer(analyst))
    paths = introduction_paths(viewer=seeker, target_person_id=org.b[3].pk)
    experts = expertise_search(viewer=seeker, skill_id=world["skill"].pk)
    return {
        "map": {int(i) for i in people_map["nodes"]["id"]},
        "map_edges": len(people_map["edges"]["source"]),
        "bo_ego": {int(i) for i in bo_ego["nodes"]["id"]},
        "ada_ego": ada_ego.status_code,
        "csv": {int(row["person"]) for row in rows},
        "api": {row["person"] for row in api_people},
        "api_ada": api_ada.status_code,
        "on_paths": {p for path in paths for p in path["person_ids"]},
        "experts": {row["person"].pk for row in experts},
        "expert_paths": {step["person"].pk for row in experts for step in row["path"]},
    }


def test_withdrawal_hides_the_person_from_every_analytics_read_before_any_recompute(
    client, org, world, django_capture_on_commit_callbacks
):
    everyone = {p.pk for p in [*org.a, *org.b, *org.c]}
    before = _reads(client, world, org)
    # The picture: Ada is everywhere an analyst or a path finder looks.
    assert before["map"] == before["csv"] == before["api"] == everyone
    assert org.ada.pk in before["bo_ego"] and before["ada_ego"] == 200
    assert before["api_ada"] == 200
    assert org.ada.pk in before["on_paths"]
    assert before["experts"] == {org.ada.pk, org.b[3].pk}

    callbacks = _withdraw_on_own_profile(client, world["ada"], django_capture_on_commit_callbacks)

    after = _reads(client, world, org)
    assert after["map"] == after["csv"] == after["api"] == everyone - {org.ada.pk}
    # Ada had 5 ties inside Alpha and one to Bo: the map loses exactly those 6.
    assert after["map_edges"] == before["map_edges"] - 6
    assert org.ada.pk not in after["bo_ego"]
    assert after["ada_ego"] == 404 and after["api_ada"] == 404
    # The seeker still reaches Beta Person 3, through Carl now.
    assert after["on_paths"] and org.ada.pk not in after["on_paths"]
    assert org.carl.pk in after["on_paths"]
    assert after["experts"] == {org.b[3].pk}
    assert org.ada.pk not in after["expert_paths"]

    # And her stored ties are recomputed once the change commits: all gone.
    assert not TieRecompute.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    recompute = TieRecompute.objects.get()
    assert (recompute.kind, recompute.people, recompute.reason) == (
        "incremental",
        [org.ada.pk],
        "consent withdrawn",
    )
    assert recompute.status == "succeeded", recompute.error
    assert not Tie.objects.filter(Q(person_a=org.ada) | Q(person_b=org.ada)).exists()
    # Only hers: Bo keeps his five ties inside Beta.
    assert Tie.objects.filter(Q(person_a=org.bo) | Q(person_b=org.bo)).count() == 5


def test_a_withdrawn_person_sees_no_metrics_of_their_own_either(
    client, org, world, django_capture_on_commit_callbacks
):
    ada = world["ada"]
    assert client.get(f"/api/analysis/people/{org.ada.pk}", headers=bearer(ada)).status_code == 200
    _withdraw_on_own_profile(client, ada, django_capture_on_commit_callbacks)
    assert client.get(f"/api/analysis/people/{org.ada.pk}", headers=bearer(ada)).status_code == 404
    client.force_login(ada)
    own = client.get(reverse("analysis:ego", args=[org.ada.pk])).json()
    assert own["nodes"]["id"] == [str(org.ada.pk)] and own["edges"]["source"] == []
