"""The import pages through the test client: the form, live progress, the report."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from bridgework import factories
from bridgework.accounts.models import Role
from bridgework.interactions import services
from bridgework.interactions.models import ImportRun
from bridgework.interactions.tests.test_import_fixtures import (
    MBOX,
    MBOX_EVENTS,
    NOT_MBOX,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uploads_dir(settings, tmp_path):
    """Uploads go to a folder of this test's own."""
    settings.UPLOAD_DIR = tmp_path / "uploads"
    return settings.UPLOAD_DIR


IMPORT_URL = "/interactions/import/"


def html_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


def post_import(client, capture, *, format_name="mbox", files=None, **fields):
    data = {"format": format_name, "files": files or [upload("inbox.mbox", MBOX)], **fields}
    with capture(execute=True):
        return client.post(IMPORT_URL, data)


def test_the_url_is_named():
    assert reverse("interactions:import") == IMPORT_URL


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_an_analyst_sees_every_format_with_where_to_get_it(analyst_client):
    response = analyst_client.get(IMPORT_URL)
    assert response.status_code == 200
    html = html_of(response)
    assert 'enctype="multipart/form-data"' in html
    assert re.search(r'<input type="file" name="files"[^>]*multiple', html)
    for name in ("mbox", "ics", "slack", "csv", "viva-p2p"):
        assert f'<option value="{name}"' in html
    assert "Google Takeout" in html and "Connections.csv" in html
    assert 'name="column_mapping"' in html and 'name="internal_domains"' in html
    assert "All imports" in html


def test_a_member_sees_only_their_own_formats(member_client):
    html = html_of(member_client.get(IMPORT_URL))
    assert '<option value="mbox"' in html and '<option value="ics"' in html
    assert '<option value="slack"' not in html and '<option value="csv"' not in html
    assert 'name="column_mapping"' not in html and 'name="owner_email"' not in html
    assert "Your imports" in html


def test_a_login_without_a_person_gets_no_import_page(client):
    loner = factories.UserFactory(username="loner", person=None, roles=[Role.MEMBER])
    client.force_login(loner)
    assert client.get(IMPORT_URL).status_code == 404
    assert 'href="/interactions/import/"' not in html_of(client.get("/"))


def test_the_nav_links_to_import(member_client):
    html = html_of(member_client.get("/"))
    assert 'href="/interactions/import/"' in html


def test_submitting_redirects_to_the_run_which_shows_its_report(
    analyst_client, django_capture_on_commit_callbacks
):
    response = post_import(analyst_client, django_capture_on_commit_callbacks)
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("interactions:import_detail", args=[run.pk])
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED and run.origin == ImportRun.Origin.WEB

    html = html_of(analyst_client.get(response.url))
    assert 'role="status"' in html and 'aria-live="polite"' in html
    assert f"Finished: {MBOX_EVENTS} events imported." in html
    assert re.search(r'<label for="import-progress-bar">', html)
    assert re.search(r'<progress id="import-progress-bar" max="100" value="100">', html)
    # Finished: the panel no longer polls.
    assert "hx-trigger" not in html
    assert "Events imported" in html and "People created" in html
    assert "no Date header" in html and "inbox.mbox" in html
    assert "SECRET" not in html


def test_a_running_import_polls_its_progress_every_second(analyst, analyst_client):
    run = services.import_start(
        actor=analyst, format="mbox", uploaded_files=[upload("inbox.mbox", MBOX)]
    )
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.RUNNING, bytes_done=len(MBOX) // 2, records=1
    )
    html = html_of(analyst_client.get(reverse("interactions:import_detail", args=[run.pk])))
    progress_url = reverse("interactions:import_progress", args=[run.pk])
    assert f'hx-get="{progress_url}?shown=running"' in html
    assert 'hx-trigger="every 1s"' in html
    assert f'value="{run.progress_percent}"' not in html  # not refreshed yet
    run.refresh_from_db()
    assert f'<progress id="import-progress-bar" max="100" value="{run.progress_percent}">' in html

    # The partial, asked with the status the page showed: no status announcement.
    partial = html_of(analyst_client.get(f"{progress_url}?shown=running"))
    assert "<html" not in partial and "hx-swap-oob" not in partial
    assert 'hx-trigger="every 1s"' in partial

    # Once finished: the status line is updated out of band, and polling stops.
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.FAILED, error="inbox.mbox: x"
    )
    partial = html_of(analyst_client.get(f"{progress_url}?shown=running"))
    assert 'id="import-status-text" hx-swap-oob="innerHTML"' in partial
    assert "Failed: nothing was stored." in partial
    assert "hx-trigger" not in partial.replace('hx-swap-oob="innerHTML"', "")


def test_a_failed_import_shows_its_error(analyst_client, django_capture_on_commit_callbacks):
    response = post_import(
        analyst_client, django_capture_on_commit_callbacks, files=[upload("diary.txt", NOT_MBOX)]
    )
    html = html_of(analyst_client.get(response.url))
    assert "The import failed" in html and "diary.txt: " in html


def test_form_errors_are_shown_beside_the_fields(analyst_client, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES_ANALYST = 10
    response = analyst_client.post(
        IMPORT_URL, {"format": "mbox", "files": [upload("a.mbox", MBOX)]}
    )
    assert response.status_code == 413  # stopped while it streamed in
    assert "larger than your limit of 10 bytes" in html_of(response)
    settings.IMPORT_MAX_UPLOAD_BYTES_ANALYST = 2**20
    response = analyst_client.post(IMPORT_URL, {"format": "mbox"})
    assert "This field is required" in html_of(response)
    response = analyst_client.post(
        IMPORT_URL,
        {
            "format": "csv",
            "files": [upload("a.csv", b"a,b\n")],
            "column_mapping": "no equals sign here",
        },
    )
    assert "Line 1: write field=column" in html_of(response)
    assert not ImportRun.objects.exists()


def test_a_member_cannot_post_an_organization_format(member_client):
    response = member_client.post(
        IMPORT_URL, {"format": "slack", "files": [upload("s.zip", b"PK")]}
    )
    assert response.status_code == 200  # the choice is not offered: a form error
    assert "Select a valid choice" in html_of(response)
    assert not ImportRun.objects.exists()


def test_members_cannot_see_other_peoples_runs(member_client, other_member):
    theirs = services.import_start(
        actor=other_member, format="mbox", uploaded_files=[upload("inbox.mbox", MBOX)]
    )
    for name in ("interactions:import_detail", "interactions:import_progress"):
        assert member_client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert f"#{theirs.pk} mbox" not in html_of(member_client.get(IMPORT_URL))


def test_the_history_lists_runs_with_a_bounded_number_of_queries(
    analyst, analyst_client, member, django_assert_max_num_queries
):
    for user in (analyst, member, analyst):
        services.import_start(actor=user, format="mbox", uploaded_files=[upload("a.mbox", MBOX)])
    with django_assert_max_num_queries(12):
        html = html_of(analyst_client.get(IMPORT_URL))
    assert html.count('href="/interactions/import/') == 3 + 1  # three runs and the nav link
    assert "mia" in html
