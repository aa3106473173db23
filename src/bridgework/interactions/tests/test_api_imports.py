"""The imports API: start an import, poll it, fetch its report — with the page's permissions."""

from __future__ import annotations

import json

import pytest

from bridgework.accounts.services import api_token_create
from bridgework.interactions import services
from bridgework.interactions.models import ImportRun
from bridgework.interactions.tests.test_import_fixtures import (
    MBOX,
    MBOX_EVENTS,
    NOT_MBOX,
    ics,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uploads_dir(settings, tmp_path):
    """Uploads go to a folder of this test's own."""
    settings.UPLOAD_DIR = tmp_path / "uploads"
    return settings.UPLOAD_DIR


NOT_FOUND = {"detail": "Not found."}


def bearer(user) -> dict[str, str]:
    _, raw = api_token_create(user=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


def start(client, user, capture, *, format_name="mbox", files=None, options=None):
    data = {"format": format_name, "files": files or [upload("inbox.mbox", MBOX)]}
    if options is not None:
        data["options"] = json.dumps(options)
    with capture(execute=True):
        return client.post("/api/imports/", data, headers=bearer(user))


def test_start_poll_and_report(client, analyst, django_capture_on_commit_callbacks):
    response = start(client, analyst, django_capture_on_commit_callbacks)
    assert response.status_code == 201, response.content
    body = response.json()
    # Answered before the commit ran the task: queued.
    assert body["status"] == "queued" and body["files"] == ["inbox.mbox"]
    assert body["origin"] == "api" and body["started_by"] == "ana"
    run_id = body["id"]

    progress = client.get(f"/api/imports/{run_id}", headers=bearer(analyst)).json()
    assert progress["status"] == "succeeded"
    assert progress["progress_percent"] == 100
    assert progress["bytes_done"] == progress["bytes_total"] == len(MBOX)
    assert progress["events"] == MBOX_EVENTS

    report = client.get(f"/api/imports/{run_id}/report", headers=bearer(analyst)).json()
    assert report["status"] == "succeeded" and report["error"] == ""
    counts = report["report"]
    assert counts["events_imported"] == MBOX_EVENTS
    assert counts["people_created"] == 3
    assert counts["issue_count"] == 1
    assert counts["issues"][0]["file"] == "inbox.mbox"
    assert counts["issues"][0]["reason"] == "no Date header"
    assert "SECRET" not in json.dumps(report)


def test_options_travel_as_json(client, analyst, django_capture_on_commit_callbacks):
    response = start(
        client,
        analyst,
        django_capture_on_commit_callbacks,
        options={
            "since": "2026-01-05",
            "until": "2026-01-05",
            "internal_domains": ["ourco.example"],
        },
    )
    assert response.status_code == 201, response.content
    run = ImportRun.objects.get(pk=response.json()["id"])
    assert run.options["since"] == "2026-01-05T00:00:00+00:00"
    assert run.options["until"] == "2026-01-06T00:00:00+00:00"  # inclusive: the whole day
    assert run.options["internal_domains"] == ["ourco.example"]


@pytest.mark.parametrize(
    "options, field",
    [
        ('{"since": "yesterday"}', "options"),
        ('{"colour": "blue"}', "options"),
        ("not json", "options"),
        ('{"internal_domains": ["bad domain"]}', "internal_domains"),
    ],
)
def test_bad_options_are_422(client, analyst, options, field):
    response = client.post(
        "/api/imports/",
        {"format": "mbox", "files": [upload("a.mbox", MBOX)], "options": options},
        headers=bearer(analyst),
    )
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert not ImportRun.objects.exists()


def test_unknown_format_is_422_naming_the_known_ones(client, analyst):
    response = client.post(
        "/api/imports/",
        {"format": "pst", "files": [upload("a.pst", b"x")]},
        headers=bearer(analyst),
    )
    assert response.status_code == 422
    assert "mbox" in response.json()["errors"]["format"][0]


def test_files_are_required(client, analyst):
    response = client.post("/api/imports/", {"format": "mbox"}, headers=bearer(analyst))
    assert response.status_code == 422
    assert "files" in response.json()["errors"]


def test_a_member_imports_their_calendar_but_not_slack(
    client, member, other_member, django_capture_on_commit_callbacks
):
    calendar = upload(
        "cal.ics", ics(member.person.primary_email, other_member.person.primary_email)
    )
    response = start(
        client, member, django_capture_on_commit_callbacks, format_name="ics", files=[calendar]
    )
    assert response.status_code == 201, response.content
    report = client.get(f"/api/imports/{response.json()['id']}/report", headers=bearer(member))
    assert report.json()["report"]["events_imported"] == 1

    response = start(
        client,
        member,
        django_capture_on_commit_callbacks,
        format_name="slack",
        files=[upload("export.zip", b"PK")],
    )
    assert response.status_code == 404 and response.json() == NOT_FOUND


def test_members_cannot_see_others_runs(client, member, other_member):
    theirs = services.import_start(
        actor=other_member, format="mbox", uploaded_files=[upload("inbox.mbox", MBOX)]
    )
    mine = services.import_start(
        actor=member, format="mbox", uploaded_files=[upload("inbox.mbox", MBOX)]
    )
    for url in (
        f"/api/imports/{theirs.pk}",
        f"/api/imports/{theirs.pk}/report",
        "/api/imports/999",
    ):
        response = client.get(url, headers=bearer(member))
        assert response.status_code == 404 and response.json() == NOT_FOUND
    listing = client.get("/api/imports/", headers=bearer(member)).json()
    assert listing["count"] == 1 and [r["id"] for r in listing["items"]] == [mine.pk]


def test_the_list_is_paginated_for_analysts(client, analyst, member):
    for user in (member, analyst, member):
        services.import_start(actor=user, format="mbox", uploaded_files=[upload("a.mbox", MBOX)])
    page = client.get("/api/imports/?page_size=2", headers=bearer(analyst)).json()
    assert page["count"] == 3 and len(page["items"]) == 2
    ids = [r["id"] for r in page["items"]]
    assert ids == sorted(ids, reverse=True)


def test_a_failed_import_reports_its_error(client, analyst, django_capture_on_commit_callbacks):
    response = start(
        client, analyst, django_capture_on_commit_callbacks, files=[upload("diary.txt", NOT_MBOX)]
    )
    report = client.get(f"/api/imports/{response.json()['id']}/report", headers=bearer(analyst))
    body = report.json()
    assert body["status"] == "failed" and body["report"] is None
    assert body["error"].startswith("diary.txt: ")


def test_uploads_over_the_limit_are_413(client, analyst, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES_ANALYST = 10
    response = client.post(
        "/api/imports/",
        {"format": "mbox", "files": [upload("a.mbox", MBOX)]},
        headers=bearer(analyst),
    )
    assert response.status_code == 413  # stopped while it streamed in
    assert "larger than your limit of 10 bytes" in response.json()["detail"]


def test_anonymous_callers_are_401(client):
    assert client.get("/api/imports/").status_code == 401
    response = client.post("/api/imports/", {"format": "mbox", "files": [upload("a.mbox", MBOX)]})
    assert response.status_code == 401


def test_the_endpoints_are_in_the_openapi_schema(client, analyst):
    schema = client.get("/api/openapi.json", headers=bearer(analyst)).json()
    assert {"/api/imports/", "/api/imports/{run_id}", "/api/imports/{run_id}/report"} <= set(
        schema["paths"]
    )
