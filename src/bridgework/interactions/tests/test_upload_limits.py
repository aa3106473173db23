"""Uploads cannot exhaust the server (issue 13, item 4, the app's side).

* The size limit is enforced while the body streams in, per role: the request
  body is read through a counting stream, so the tests see how much of it the
  server read before refusing, not only that it refused.
* Nothing is unpacked or read inside the request; the worker judges each zip
  on its directory before decompressing a byte, and a bomb fails the run with
  a clear message on its page.

The sizes are the tests' own: a limit set here, bodies and zips built here.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, FakePayload, encode_multipart

from bridgework.accounts.services import api_token_create
from bridgework.core.ingest import archive, readers
from bridgework.interactions import services
from bridgework.interactions.models import ImportRun
from bridgework.interactions.services import imports
from bridgework.interactions.tests.test_import_fixtures import MBOX, maildir_zip, upload

pytestmark = pytest.mark.django_db

MB = 2**20
IMPORT_URL = "/interactions/import/"


@pytest.fixture(autouse=True)
def limits(settings, tmp_path):
    """Members may upload 1 MB, people analysts 4 MB; uploads in a folder of this test's."""
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.IMPORT_MAX_UPLOAD_BYTES_MEMBER = 1 * MB
    settings.IMPORT_MAX_UPLOAD_BYTES_ANALYST = 4 * MB
    settings.IMPORT_MAX_UPLOAD_BYTES = 4 * MB
    return settings


class CountingPayload(FakePayload):
    """The request body as the server reads it, counting the bytes read."""

    def __init__(self, content: bytes):
        super().__init__(content)
        self.bytes_read = 0

    def read(self, size=-1, /):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size=-1, /):
        line = super().readline(size)
        self.bytes_read += len(line)
        return line


def mbox_of(size: int) -> bytes:
    """An mbox of about ``size`` bytes: one message with a long body."""
    head = MBOX.split(b"\n\n", 1)[0] + b"\n\n"
    return head + b"x" * (size - len(head))


def post_counted(client: Client, url: str, fields: dict, **headers):
    """POST ``fields`` as multipart through a counting body; returns (response, payload)."""
    body = encode_multipart(BOUNDARY, fields)
    payload = CountingPayload(body)
    response = client.generic(
        "POST",
        url,
        body,
        content_type=MULTIPART_CONTENT,
        headers=headers,
        **{"wsgi.input": payload},
    )
    return response, payload, len(body)


def bearer(user) -> dict[str, str]:
    _, raw = api_token_create(user=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


# -- while the body streams in ----------------------------------------------------------


def test_a_member_upload_declared_over_the_limit_is_cut_before_any_file_byte(member, client):
    client.force_login(member)
    response, payload, total = post_counted(
        client, IMPORT_URL, {"format": "mbox", "files": upload("big.mbox", mbox_of(5 * MB))}
    )
    assert response.status_code == 413
    assert "larger than your limit of 1 MB" in response.content.decode()
    assert total > 5 * MB
    assert payload.bytes_read < 256 * 1024  # the form's first fields, no more
    assert not ImportRun.objects.exists()


def test_a_member_upload_is_cut_when_its_bytes_pass_the_limit(member, client):
    """A body small enough to be let in by its declared length (1.5 MB: under the
    limit plus the form allowance) is still stopped once 1 MB of file came."""
    client.force_login(member)
    response, payload, total = post_counted(
        client, IMPORT_URL, {"format": "mbox", "files": upload("big.mbox", mbox_of(MB + MB // 2))}
    )
    assert response.status_code == 413
    assert "larger than your limit of 1 MB" in response.content.decode()
    assert payload.bytes_read < MB + 200 * 1024 < total
    assert not ImportRun.objects.exists()


def test_the_same_upload_from_a_people_analyst_is_accepted(
    analyst, client, settings, django_capture_on_commit_callbacks
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024  # streamed to a temporary file, then moved
    client.force_login(analyst)
    with django_capture_on_commit_callbacks(execute=False):
        response, payload, total = post_counted(
            client, IMPORT_URL, {"format": "mbox", "files": upload("big.mbox", mbox_of(2 * MB))}
        )
    assert response.status_code == 302
    assert payload.bytes_read == total
    run = ImportRun.objects.get()
    assert Path(run.stored_paths[0]).read_bytes() == mbox_of(2 * MB)


def test_a_people_analyst_is_cut_at_their_own_limit(analyst, client):
    client.force_login(analyst)
    response, payload, _total = post_counted(
        client, IMPORT_URL, {"format": "mbox", "files": upload("big.mbox", mbox_of(6 * MB))}
    )
    assert response.status_code == 413
    assert "larger than your limit of 4 MB" in response.content.decode()
    assert payload.bytes_read < 256 * 1024


def test_the_page_answers_with_its_form_even_with_csrf_checks(member):
    """The CSRF token comes before the file in the form, so the refusal is the
    form's error, not a CSRF failure."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    client.get(IMPORT_URL)
    token = client.cookies["csrftoken"].value
    response, payload, _total = post_counted(
        client,
        IMPORT_URL,
        {
            "csrfmiddlewaretoken": token,
            "format": "mbox",
            "files": upload("big.mbox", mbox_of(5 * MB)),
        },
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "larger than your limit of 1 MB" in page
    assert 'name="files"' in page  # the form again, to choose smaller files
    assert payload.bytes_read < 256 * 1024


def test_the_api_answers_413_per_role(member, analyst, client, django_capture_on_commit_callbacks):
    fields = {"format": "mbox", "files": upload("big.mbox", mbox_of(2 * MB))}
    response, payload, _total = post_counted(client, "/api/imports/", fields, **bearer(member))
    assert response.status_code == 413
    assert "larger than your limit of 1 MB" in response.json()["detail"]
    assert payload.bytes_read < 256 * 1024
    fields = {"format": "mbox", "files": upload("big.mbox", mbox_of(2 * MB))}
    with django_capture_on_commit_callbacks(execute=False):
        response, _payload, _total = post_counted(
            client, "/api/imports/", fields, **bearer(analyst)
        )
    assert response.status_code == 201


def test_files_first_still_answer_413_on_the_api(member, client):
    """A client that sends the file before the other fields gets the same 413."""
    fields = {"files": upload("big.mbox", mbox_of(5 * MB)), "format": "mbox"}
    response, payload, _total = post_counted(client, "/api/imports/", fields, **bearer(member))
    assert response.status_code == 413
    assert payload.bytes_read < 256 * 1024


def test_the_page_tells_each_role_its_limit(member, analyst, client):
    client.force_login(member)
    assert "Files up to 1 MB in all" in client.get(IMPORT_URL).content.decode()
    client.force_login(analyst)
    assert "Files up to 4 MB in all" in client.get(IMPORT_URL).content.decode()


# -- archives: stored in the request, judged and unpacked in the worker -------------------


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, content in entries.items():
            bundle.writestr(name, content)
    return buffer.getvalue()


#: 8 MB of zeros in a Maildir message (under a member's 10 MB of unpacked files):
#: a few KB zipped, expanding about 1000 times.
MAILDIR_BOMB = zip_of({"Maildir/cur/1.host:2,S": b"0" * (8 * MB), "Maildir/new/.keep": b""})


def test_the_request_only_stores_a_zip(member):
    run = services.import_start(
        actor=member, format="maildir", uploaded_files=[upload("mail.zip", maildir_zip())]
    )
    folder = Path(run.stored_paths[0]).parent
    assert [p.name for p in folder.iterdir()] == ["mail.zip"]  # nothing unpacked yet


def test_a_zip_bomb_is_refused_by_the_worker_without_unpacking(
    member, client, monkeypatch, settings, django_capture_on_commit_callbacks
):
    assert len(MAILDIR_BOMB) < MB  # within a member's upload limit
    decompressed = []
    monkeypatch.setattr(archive, "entry_chunks", lambda *a, **k: decompressed.append(a) or iter(()))
    with django_capture_on_commit_callbacks(execute=True):
        run = services.import_start(
            actor=member, format="maildir", uploaded_files=[upload("mail.zip", MAILDIR_BOMB)]
        )
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert run.error.startswith("mail.zip: refused: ")
    assert "expands" in run.error and "the limit of 100 on the compression ratio" in run.error
    assert decompressed == []  # not a byte of it was decompressed
    assert not (Path(settings.UPLOAD_DIR) / str(run.pk)).exists()  # and nothing is left on disk
    client.force_login(member)
    page = client.get(f"/interactions/import/{run.pk}/").content.decode()
    assert "refused: the entry" in page and "what zip bombs do" in page


def test_a_zip_with_too_many_entries_is_refused(
    analyst, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_ZIP_MAX_ENTRIES = 10
    many = zip_of({f"Maildir/cur/{n}.host:2,S": b"From: a@b.example\n" for n in range(11)})
    with django_capture_on_commit_callbacks(execute=True):
        run = services.import_start(
            actor=analyst, format="maildir", uploaded_files=[upload("mail.zip", many)]
        )
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert "more than 10 entries" in run.error


def test_a_member_zip_may_unpack_to_ten_times_their_upload_limit(
    member, settings, django_capture_on_commit_callbacks
):
    """Within the ratio, but 12 MB unpacked: more than 10 x 1 MB."""
    settings.IMPORT_ZIP_MAX_RATIO = 10_000
    big = zip_of({"Maildir/cur/1.host:2,S": b"0" * (12 * MB)})
    with django_capture_on_commit_callbacks(execute=True):
        run = services.import_start(
            actor=member, format="maildir", uploaded_files=[upload("mail.zip", big)]
        )
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert "more than the limit of 10,485,760 bytes" in run.error


def test_a_slack_zip_bomb_is_refused_before_the_reader_opens_it(
    analyst, monkeypatch, django_capture_on_commit_callbacks
):
    known = readers()
    opened = []

    def spy(path, *, options, progress=None):
        opened.append(path)
        return iter(())

    monkeypatch.setattr(
        imports, "readers", lambda: {**known, "slack": replace(known["slack"], read=spy)}
    )
    bomb = zip_of(
        {"users.json": b"[]", "channels.json": b"[]", "general/2026-01-05.json": b" " * (30 * MB)}
    )
    with django_capture_on_commit_callbacks(execute=True):
        run = services.import_start(
            actor=analyst, format="slack", uploaded_files=[upload("export.zip", bomb)]
        )
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert run.error.startswith("export.zip: refused: ") and "compression ratio" in run.error
    assert opened == []


def test_a_good_maildir_zip_is_unpacked_by_the_worker_and_removed(
    member, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.import_start(
            actor=member, format="maildir", uploaded_files=[upload("mail.zip", maildir_zip())]
        )
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert not (Path(settings.UPLOAD_DIR) / str(run.pk)).exists()
