"""The network API: my portfolio, summary and nudges; recomputations for analysts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.services import api_token_create
from bridgework.network.models import Nudge, PortfolioEntry, TieRecompute

from .conftest import make_tie

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


@pytest.fixture
def ties(member, other_member):
    me = member.person
    ann = factories.PersonFactory(full_name="Ann Strong")
    bob = factories.PersonFactory(full_name="Bob Regular")
    make_tie(me, ann, 0.91, band="strong", trend="rising", events=14)
    make_tie(me, bob, 0.55, band="regular", trend="cooling", days_ago=45)
    make_tie(ann, bob, 0.77, band="strong")
    PortfolioEntry.objects.create(owner=me, other=bob, tier="core", note="MIAS-NOTE")
    PortfolioEntry.objects.create(owner=other_member.person, other=ann, tier="wider", note="OSCARS")
    mine = Nudge.objects.create(owner=me, other=bob, kind="overdue", reason="45 days", priority=2)
    theirs = Nudge.objects.create(owner=other_member.person, other=ann, kind="cooling", reason="r")
    return {"ann": ann, "bob": bob, "mine": mine, "theirs": theirs}


def test_portfolio_lists_my_ties_paginated(client, member, ties):
    response = get(client, "/api/network/portfolio", member)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    ann, bob = body["items"]
    assert ann["person"] == {
        "id": ties["ann"].pk,
        "full_name": "Ann Strong",
        "title": "Analyst",
        "engagement_type": "employee_ft",
        "organization": "Ourco",
        "team": None,
    }
    assert (ann["strength"], ann["band"], ann["trend"], ann["events"]) == (
        0.91,
        "strong",
        "rising",
        14,
    )
    assert ann["tier"] is None and ann["overdue"] is False
    assert (bob["tier"], bob["cadence_days"], bob["overdue"], bob["note"]) == (
        "core",
        30,
        True,
        "MIAS-NOTE",
    )
    assert "OSCARS" not in response.content.decode()

    page = get(client, "/api/network/portfolio", member, page_size=1, page=2, sort="name").json()
    assert [row["person"]["full_name"] for row in page["items"]] == ["Bob Regular"]
    only = get(client, "/api/network/portfolio", member, band="strong").json()
    assert [row["person"]["full_name"] for row in only["items"]] == ["Ann Strong"]


def test_someone_elses_portfolio_is_not_found_except_for_admins(
    client, member, other_member, admin_user, ties
):
    response = get(client, "/api/network/portfolio", other_member, person=member.person_id)
    assert response.status_code == 404 and response.json() == NOT_FOUND
    response = get(client, "/api/network/summary", other_member, person=member.person_id)
    assert response.status_code == 404
    as_admin = get(client, "/api/network/portfolio", admin_user, person=member.person_id)
    assert as_admin.status_code == 200 and as_admin.json()["count"] == 2


def test_summary(client, member, ties):
    body = get(client, "/api/network/summary", member).json()
    assert (body["ties"], body["active"], body["capacity"], body["capacity_percent"]) == (
        2,
        2,
        150,
        1,
    )
    assert body["bands"] == {"strong": 1, "regular": 1, "occasional": 0, "dormant": 0}
    assert body["tiers"] == {"core": 1, "strategic": 0, "wider": 0}
    assert body["by_engagement"] == [
        {"key": "employee_ft", "label": "Employee, full-time", "count": 2, "share": 1.0}
    ]
    assert body["overdue"] == 1


def test_put_sets_the_tier_of_my_relationship(client, member, other_member, ties):
    url = f"/api/network/portfolio/{ties['ann'].pk}"
    response = send(client, "put", url, member, {"tier": "strategic", "cadence_days": 45})
    assert response.status_code == 200
    body = response.json()
    assert (body["tier"], body["cadence_days"], body["cadence_override"]) == ("strategic", 45, 45)
    assert PortfolioEntry.objects.get(owner=member.person, other=ties["ann"]).tier == "strategic"
    # Oscar's entry for Ann is his own and unchanged.
    assert PortfolioEntry.objects.get(owner=other_member.person, other=ties["ann"]).tier == "wider"

    response = send(client, "put", url, member, {"tier": None})
    assert response.status_code == 200 and response.json()["tier"] is None
    assert not PortfolioEntry.objects.filter(owner=member.person, other=ties["ann"]).exists()


def test_put_validates(client, member, ties):
    url = f"/api/network/portfolio/{ties['ann'].pk}"
    response = send(client, "put", url, member, {"tier": "vip"})
    assert response.status_code == 422 and "tier" in response.json()["errors"]
    response = send(client, "put", url, member, {"tier": "core", "cadence_days": 0})
    assert response.status_code == 422 and "cadence_days" in response.json()["errors"]
    response = send(client, "put", url, member, {"tier": "core", "owner": 3})
    assert response.status_code == 422
    assert (
        send(
            client, "put", f"/api/network/portfolio/{member.person_id}", member, {"tier": "core"}
        ).status_code
        == 404
    )
    assert (
        send(client, "put", "/api/network/portfolio/999999", member, {"tier": "core"}).status_code
        == 404
    )


def test_nudges_dismiss_and_snooze(client, member, ties):
    body = get(client, "/api/network/nudges", member).json()
    assert [(n["id"], n["kind"], n["person"]["full_name"]) for n in body] == [
        (ties["mine"].pk, "overdue", "Bob Regular")
    ]
    until = (timezone.now() + dt.timedelta(days=3)).replace(microsecond=0)
    url = f"/api/network/nudges/{ties['mine'].pk}/snooze"
    response = send(client, "post", url, member, {"until": until.isoformat()})
    assert response.status_code == 200
    assert dt.datetime.fromisoformat(response.json()["snoozed_until"]) == until
    assert get(client, "/api/network/nudges", member).json() == []

    response = send(client, "post", f"/api/network/nudges/{ties['mine'].pk}/dismiss", member)
    assert response.status_code == 200
    ties["mine"].refresh_from_db()
    assert ties["mine"].dismissed_at is not None


def test_snoozing_without_a_body_means_two_weeks(client, member, ties):
    response = send(client, "post", f"/api/network/nudges/{ties['mine'].pk}/snooze", member)
    assert response.status_code == 200
    ties["mine"].refresh_from_db()
    assert ties["mine"].snoozed_until > timezone.now() + dt.timedelta(days=13)


def test_someone_elses_nudge_is_not_found(client, member, ties):
    for action in ("dismiss", "snooze"):
        response = send(client, "post", f"/api/network/nudges/{ties['theirs'].pk}/{action}", member)
        assert response.status_code == 404 and response.json() == NOT_FOUND


def test_recompute_is_for_analysts_and_admins(client, member, analyst, monkeypatch):
    monkeypatch.setattr("bridgework.network.services._enqueue", lambda run_id: None)
    assert send(client, "post", "/api/network/recompute", member).status_code == 404

    response = send(
        client, "post", "/api/network/recompute", analyst, {"full": False, "people": [3, 1]}
    )
    assert response.status_code == 202
    body = response.json()
    assert (body["kind"], body["status"], body["people"]) == ("incremental", "queued", [1, 3])
    detail = get(client, f"/api/network/recompute/{body['id']}", analyst)
    assert detail.status_code == 200 and detail.json()["id"] == body["id"]
    assert get(client, f"/api/network/recompute/{body['id']}", member).status_code == 404

    response = send(client, "post", "/api/network/recompute", analyst, {"full": False})
    assert response.status_code == 422 and "people" in response.json()["errors"]
    # A full run already waiting is reused.
    first = send(client, "post", "/api/network/recompute", analyst).json()
    again = send(client, "post", "/api/network/recompute", analyst).json()
    assert first["id"] == again["id"]
    assert TieRecompute.objects.filter(kind="full").count() == 1


def test_anonymous_calls_are_refused(client):
    assert client.get("/api/network/portfolio").status_code == 401
