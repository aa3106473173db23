"""The audit log for admins: filtered by actor, action, object and date on the page,
in the API and in the CSV download; nobody else reads it.

The entries are written here by hand with known times, so each filter's answer
is known before the code runs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.models import AuditEntry, Role
from bridgework.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(db):
    ada = factories.UserFactory(username="ada", roles=[Role.ADMIN, Role.MEMBER])
    mia = factories.UserFactory(username="mia", roles=[Role.MEMBER])
    ana = factories.UserFactory(username="ana", roles=[Role.PEOPLE_ANALYST])
    noon = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    rows = [
        # (actor, action, object type, object id, subject, days ago)
        (ana, AuditEntry.Action.VIEW, "person_metrics", "7", 7, 10),
        (ada, AuditEntry.Action.VIEW, "relationship", "3", 7, 5),
        (ada, AuditEntry.Action.DELETE, "person", "9", 9, 2),
        (None, AuditEntry.Action.MERGE, "person", "4", 4, 1),
        (mia, AuditEntry.Action.UPDATE, "person", "7", 7, 0),
    ]
    entries = {}
    for actor, action, object_type, object_id, subject, days in rows:
        entry = AuditEntry.objects.create(
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            subject_person_id=subject,
            detail={"note": f"{action} {object_type}"},
        )
        # ``at`` is set on creation; moved to the day the row says.
        AuditEntry.objects.filter(pk=entry.pk).update(at=noon - dt.timedelta(days=days))
        entries[(action, object_type, object_id)] = entry.pk
    return {"ada": ada, "mia": mia, "ana": ana, "entries": entries, "today": noon.date()}


def page_ids(client, **query) -> list[str]:
    response = client.get("/accounts/audit/", query)
    assert response.status_code == 200
    return [
        f"{row['entry'].action} {row['entry'].object_type} {row['entry'].object_id}"
        for row in response.context["rows"]
        if row["entry"].object_type != "audit_log"
    ]


def test_admins_read_the_log_newest_first_and_filter_it(client, log):
    client.force_login(log["ada"])
    assert page_ids(client) == [
        "update person 7",
        "merge person 4",
        "delete person 9",
        "view relationship 3",
        "view person_metrics 7",
    ]
    assert page_ids(client, actor="ADA") == ["delete person 9", "view relationship 3"]
    assert page_ids(client, actor="none") == ["merge person 4"]
    assert page_ids(client, action="view") == ["view relationship 3", "view person_metrics 7"]
    assert page_ids(client, object_type="person") == [
        "update person 7",
        "merge person 4",
        "delete person 9",
    ]
    assert page_ids(client, object_type="person", object_id="7") == ["update person 7"]
    assert page_ids(client, subject="7") == [
        "update person 7",
        "view relationship 3",
        "view person_metrics 7",
    ]
    today = log["today"]
    since = (today - dt.timedelta(days=5)).isoformat()
    until = (today - dt.timedelta(days=1)).isoformat()
    assert page_ids(client, since=since, until=until) == [
        "merge person 4",
        "delete person 9",
        "view relationship 3",
    ]


def test_a_bad_filter_is_shown_as_an_error_and_filters_nothing(client, log):
    client.force_login(log["ada"])
    today = log["today"]
    response = client.get(
        "/accounts/audit/",
        {"since": today.isoformat(), "until": (today - dt.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert len([r for r in response.context["rows"] if r["entry"].object_type != "audit_log"]) == 5


def test_the_csv_download_keeps_the_filters_and_is_itself_audited(client, log):
    client.force_login(log["ada"])
    response = client.get("/accounts/audit.csv", {"action": "view"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bridgework-audit-log.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["actor"], r["object_type"], r["object_id"]) for r in rows] == [
        ("ada", "relationship", "3"),
        ("ana", "person_metrics", "7"),
    ]
    download = AuditEntry.objects.filter(object_type="audit_log").get()
    assert download.actor == log["ada"]
    assert download.detail == {"download": "csv", "rows": 2, "filters": {"action": "view"}}


def test_the_api_filters_the_same_way(client, log):
    _token, raw = api_token_create(user=log["ada"], name="t")  # audited itself: "create api_token"
    response = client.get(
        "/api/audit/",
        {"actor": "ada", "object_type": "person"},
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200
    assert [(e["action"], e["object_type"]) for e in response.json()["items"]] == [
        ("delete", "person")
    ]
    response = client.get(
        "/api/audit/", {"action": "view"}, headers={"Authorization": f"Bearer {raw}"}
    )
    assert [(e["action"], e["object_type"]) for e in response.json()["items"]] == [
        ("view", "relationship"),
        ("view", "person_metrics"),
    ]


@pytest.mark.parametrize("who", ["mia", "ana"])
def test_nobody_else_reads_it(client, log, who):
    client.force_login(log[who])
    assert client.get("/accounts/audit/").status_code == 404
    assert client.get("/accounts/audit.csv").status_code == 404
    _token, raw = api_token_create(user=log[who], name="t")
    assert client.get("/api/audit/", headers={"Authorization": f"Bearer {raw}"}).status_code == 404
