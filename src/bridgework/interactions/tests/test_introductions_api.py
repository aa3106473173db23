"""The introductions API: paths (and the privacy rule in JSON), requests and answers."""

from __future__ import annotations

import json

import pytest
from django.core import mail

from bridgework import factories
from bridgework.accounts.services import api_token_create
from bridgework.interactions.models import Channel, Interaction, IntroductionRequest
from bridgework.interactions.tests.test_introductions import SECRETS, Network, ask
from bridgework.network.selectors import tie_graph_cache_clear

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_tie_graph():
    tie_graph_cache_clear()
    yield
    tie_graph_cache_clear()


@pytest.fixture
def net(member, other_member):
    """The hand-built network of ``test_introductions.Network``."""
    return Network(member, other_member)


NOT_FOUND = {"detail": "Not found."}
BASE = "/api/introductions/"


def bearer(user) -> dict[str, str]:
    _, raw = api_token_create(user=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


def post(client, url, data, user):
    return client.post(url, data, content_type="application/json", headers=bearer(user))


def test_paths_in_json_keep_others_ties_private(client, member, net):
    response = client.get(f"{BASE}paths?person={net.tom.pk}", headers=bearer(member))

    assert response.status_code == 200
    body = response.json()
    text = json.dumps(body)
    for secret in (*SECRETS, "SECRET-B-U"):
        assert secret not in text
    assert [path["chance"] for path in body] == [None, None, None]
    best = body[0]
    assert best["person_ids"] == [net.me.pk, net.ann.pk, net.cal.pk, net.tom.pk]
    assert best["hops"] == 3 and best["direct"] is False
    mine, *theirs = best["steps"]
    assert mine["mine"] is True and mine["explanation"] == "0.90: MY-TIE-WITH-ANN"
    assert mine["strength"] == pytest.approx(0.9)
    assert mine["person"] == {
        "id": net.ann.pk,
        "full_name": "Ann Alder",
        "title": "Account director",
        "organization": {"id": net.ann.organization_id, "name": "Ourco"},
    }
    for step in theirs:
        assert step["strength"] is None and step["explanation"] is None
        assert step["last_contact"] is None
        assert step["tie"] is None  # a tie between two other people: only that it exists
        # Public fields only: no e-mail, bio, team or anything of their network.
        assert set(step["person"]) == {"id", "full_name", "title", "organization"}


def test_paths_to_an_organization_and_bad_queries(client, member, net):
    body = client.get(f"{BASE}paths?organization={net.acme.pk}", headers=bearer(member)).json()
    assert body[-1]["person_ids"] == [net.me.pk, net.ben.pk, net.uma.pk]
    response = client.get(f"{BASE}paths?person=999999", headers=bearer(member))
    assert response.status_code == 404 and response.json() == NOT_FOUND
    response = client.get(f"{BASE}paths", headers=bearer(member))
    assert response.status_code == 422 and "person" in response.json()["errors"]
    assert client.get(f"{BASE}paths?person={net.tom.pk}").status_code == 401


def test_the_whole_workflow(client, member, net, django_capture_on_commit_callbacks):
    path = [net.me.pk, net.ann.pk, net.cal.pk, net.tom.pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client, BASE, {"person": net.tom.pk, "path": path, "message": "Intro?"}, member
        )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "pending" and created["path"] == path
    assert created["via"] == {"id": net.ann.pk, "full_name": "Ann Alder"}
    assert created["target_organization"] is None and created["interaction_id"] is None
    assert mail.outbox[0].to == [net.ann.primary_email]
    url = f"{BASE}{created['id']}"

    listed = client.get(f"{BASE}?role=received", headers=bearer(net.ann_user)).json()
    assert [item["id"] for item in listed["items"]] == [created["id"]] and listed["count"] == 1
    assert client.get(f"{BASE}?role=received", headers=bearer(member)).json()["count"] == 0

    # Only Ann, the person asked, may answer.
    response = post(client, f"{url}/respond", {"accept": True}, member)
    assert response.status_code == 404 and response.json() == NOT_FOUND
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, f"{url}/respond", {"accept": True, "note": "On it."}, net.ann_user)
    assert response.status_code == 200
    answered = response.json()
    assert answered["status"] == "accepted" and answered["response_note"] == "On it."
    interaction = Interaction.objects.get(pk=answered["interaction_id"])
    assert interaction.channel == Channel.INTRODUCTION
    assert set(interaction.participants.all()) == {net.ann, net.me, net.tom}

    response = post(client, f"{url}/outcome", {"outcome": "A pilot with Acme."}, member)
    assert response.status_code == 200
    assert response.json()["status"] == "completed"
    assert response.json()["outcome"] == "A pilot with Acme."


def test_asking_for_someone_at_an_organization(client, member, net):
    response = post(
        client,
        BASE,
        {
            "organization": net.acme.pk,
            "path": [net.me.pk, net.ben.pk, net.uma.pk],
            "message": "Anyone in procurement?",
        },
        member,
    )
    assert response.status_code == 201
    assert response.json()["target"]["id"] == net.uma.pk
    assert response.json()["target_organization"] == {"id": net.acme.pk, "name": "Acme"}


@pytest.mark.parametrize(
    "payload, field",
    [
        (lambda n: {"person": n.tom.pk, "path": [n.ann.pk, n.cal.pk, n.tom.pk]}, "path"),
        (lambda n: {"person": n.tom.pk, "path": [n.me.pk, n.ann.pk, n.dee.pk, n.tom.pk]}, "path"),
        (lambda n: {"person": n.tom.pk, "path": [n.me.pk, n.ann.pk, n.cal.pk]}, "path"),
        (lambda n: {"path": [n.me.pk, n.ann.pk, n.cal.pk, n.tom.pk]}, "person"),
        (lambda n: {"person": 999999, "path": [n.me.pk, n.ann.pk, n.tom.pk]}, "person"),
        (lambda n: {"organization": 999999, "path": [n.me.pk, n.ann.pk, n.tom.pk]}, "organization"),
        (lambda n: {"person": n.tom.pk, "path": [n.me.pk, n.tom.pk]}, "path"),
    ],
)
def test_bad_requests_are_422_and_save_nothing(client, member, net, payload, field):
    response = post(client, BASE, {"message": "hi", **payload(net)}, member)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert IntroductionRequest.objects.count() == 0


def test_withdraw_and_decline(client, member, net):
    first = ask(net, member)
    response = post(client, f"{BASE}{first.pk}/withdraw", {}, net.ann_user)
    assert response.status_code == 404
    response = post(client, f"{BASE}{first.pk}/withdraw", {}, member)
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    response = post(client, f"{BASE}{first.pk}/respond", {"accept": True}, net.ann_user)
    assert response.status_code == 422 and "status" in response.json()["errors"]

    second = ask(net, member)
    response = post(client, f"{BASE}{second.pk}/respond", {"accept": False}, net.ann_user)
    assert response.json()["status"] == "declined"
    response = post(client, f"{BASE}{second.pk}/outcome", {"outcome": "x"}, member)
    assert response.status_code == 422


def test_outsiders_get_404(client, member, net):
    request = ask(net, member)
    outsider = factories.UserFactory(username="olga")
    headers = bearer(outsider)
    assert client.get(f"{BASE}{request.pk}", headers=headers).json() == NOT_FOUND
    assert client.get(BASE, headers=headers).json()["count"] == 0
