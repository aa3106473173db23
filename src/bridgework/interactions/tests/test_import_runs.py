"""Import runs through the service and the task: lifecycle, idempotence,
failures, progress, permissions and upload safety."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from bridgework import factories
from bridgework.accounts.models import AuditEntry, Role
from bridgework.core.errors import NotFoundError
from bridgework.core.ingest.base import Reader
from bridgework.core.ingest.records import EventRecord, FormatError, Identity
from bridgework.core.ingest.tests.test_archive import damage
from bridgework.eventstore import get_event_store
from bridgework.interactions import selectors, services
from bridgework.interactions.models import ImportRun
from bridgework.interactions.services import import_runs_mark_interrupted, imports
from bridgework.interactions.tests.test_import_fixtures import (
    MBOX,
    MBOX_EVENTS,
    MBOX_MESSAGES,
    MBOX_PEOPLE,
    NOT_MBOX,
    ics,
    maildir_zip,
    upload,
    zipped,
)
from bridgework.people.models import Person, PersonEmail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uploads_dir(settings, tmp_path):
    """Uploads go to a folder of this test's own."""
    settings.UPLOAD_DIR = tmp_path / "uploads"
    return settings.UPLOAD_DIR


def start_and_run(capture, **kwargs) -> ImportRun:
    """Start an import and run the task the commit queues (huey runs it at once in tests)."""
    with capture(execute=True):
        run = services.import_start(**kwargs)
    run.refresh_from_db()
    return run


def people_with(addresses) -> set[str]:
    return set(PersonEmail.objects.filter(address__in=addresses).values_list("address", flat=True))


# -- the lifecycle, with the real mbox reader and the real DirectoryResolver ----------


def test_mbox_import_runs_to_success_with_a_report(analyst, django_capture_on_commit_callbacks):
    run = start_and_run(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="mbox",
        uploaded_files=[upload("inbox.mbox", MBOX)],
    )
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert run.started_at and run.finished_at and run.started_at <= run.finished_at
    report = run.report
    assert MBOX_MESSAGES == 3
    assert report["records_read"] == MBOX_MESSAGES  # two events and one issue
    assert report["events_imported"] == MBOX_EVENTS
    assert report["issue_count"] == 1
    assert report["issues"] == [
        {
            "file": "inbox.mbox",
            "position": report["issues"][0]["position"],
            "reason": "no Date header",
        }
    ]
    assert report["people_created"] == len(MBOX_PEOPLE)
    assert report["people_matched"] == 0
    assert people_with(MBOX_PEOPLE) == MBOX_PEOPLE
    assert Person.objects.filter(introduced_by_import=run.pk).count() == len(MBOX_PEOPLE)
    store = get_event_store()
    assert store.count(source="mbox") == MBOX_EVENTS
    assert set(store.events().column("import_id").to_pylist()) == {f"import-{run.pk}"}
    # Progress ends complete.
    assert run.bytes_total == len(MBOX) and run.bytes_done == run.bytes_total
    assert run.progress_percent == 100
    assert (run.records, run.events) == (MBOX_MESSAGES, MBOX_EVENTS)
    # Never any message content in what is kept.
    kept = f"{run.report} {run.error} {run.file_names} {run.options}"
    assert "SECRET" not in kept
    assert AuditEntry.objects.filter(object_type="import_run", object_id=str(run.pk)).exists()
    # The uploaded mailbox (bodies and all) is not kept once read.
    assert not Path(run.stored_paths[0]).exists()


def test_importing_the_same_file_again_adds_nothing(analyst, django_capture_on_commit_callbacks):
    first = start_and_run(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="mbox",
        uploaded_files=[upload("inbox.mbox", MBOX)],
    )
    people = Person.objects.count()
    again = start_and_run(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="mbox",
        uploaded_files=[upload("inbox.mbox", MBOX)],
    )
    assert first.status == again.status == ImportRun.Status.SUCCEEDED
    assert again.report["events_imported"] == 0
    assert again.report["duplicates_skipped"] == MBOX_EVENTS
    assert again.report["people_created"] == 0
    assert again.report["people_matched"] == len(MBOX_PEOPLE)
    assert Person.objects.count() == people
    assert get_event_store().count() == MBOX_EVENTS


def test_a_wrong_format_fails_cleanly_and_stores_nothing(
    analyst, django_capture_on_commit_callbacks
):
    before = Person.objects.count()
    run = start_and_run(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="mbox",
        uploaded_files=[upload("inbox.mbox", MBOX), upload("diary.txt", NOT_MBOX)],
    )
    assert run.status == ImportRun.Status.FAILED
    assert run.error.startswith("diary.txt: ")
    assert "mbox" in run.error
    assert run.finished_at is not None and run.report == {}
    # The first file's events were rolled back with the store session, and the
    # people created for them were taken back.
    assert get_event_store().count() == 0
    assert Person.objects.count() == before
    assert people_with(MBOX_PEOPLE) == set()
    assert not any(Path(p).exists() for p in run.stored_paths)


def test_an_unexpected_exception_fails_with_its_class_and_no_content(
    analyst, monkeypatch, django_capture_on_commit_callbacks
):
    def explode(path, *, options, progress=None, skipped=None):
        raise RuntimeError("disk on fire")
        yield  # pragma: no cover

    broken = Reader(name="mbox", label="E-mail (mbox file)", produces="events", read=explode)
    monkeypatch.setattr(imports, "readers", lambda: {"mbox": broken})
    monkeypatch.setattr(selectors, "readers", lambda: {"mbox": broken})
    run = start_and_run(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="mbox",
        uploaded_files=[upload("inbox.mbox", MBOX)],
    )
    assert run.status == ImportRun.Status.FAILED
    assert run.error == "Import failed: RuntimeError: disk on fire"


def test_execute_runs_a_run_once(analyst, django_capture_on_commit_callbacks):
    run = start_and_run(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="mbox",
        uploaded_files=[upload("inbox.mbox", MBOX)],
    )
    again = services.import_run_execute(run_id=run.pk)
    assert again.status == ImportRun.Status.SUCCEEDED
    assert again.finished_at == run.finished_at


def test_a_run_is_queued_until_the_transaction_commits(analyst, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = services.import_start(
            actor=analyst, format="mbox", uploaded_files=[upload("inbox.mbox", MBOX)]
        )
    assert len(callbacks) == 1
    run.refresh_from_db()
    assert run.status == ImportRun.Status.QUEUED and run.progress_percent == 0
    assert get_event_store().count() == 0


# -- our own logic, with a stub reader and a fake resolver ----------------------------


class FakeResolver:
    """Ids from a dict; counts like the real one."""

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.created = self.matched = self.uncertain = 0
        self.ids: dict[str, int] = {}

    def identify(self, identities):
        return [identity.email for identity in identities]

    def resolve(self, identities):
        out = []
        for identity in identities:
            if identity.email not in self.ids:
                self.ids[identity.email] = factories.PersonFactory(email=identity.email).pk
                self.created += 1
            out.append(self.ids[identity.email])
        return out

    def add_contacts(self, contacts):
        return len(contacts)


def stub_reader(count: int) -> Reader:
    """``count`` e-mails, reporting progress after each one."""

    def read(path, *, options, progress=None, skipped=None):
        size = Path(path).stat().st_size
        for number in range(count):
            yield EventRecord(
                external_id=f"stub-{number}",
                occurred_at=dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC) + dt.timedelta(hours=number),
                channel="email",
                sender=Identity(email="a@ourco.example"),
                recipients=(Identity(email="b@ourco.example"),),
            )
            if progress:
                progress(size * (number + 1) // count)

    return Reader(name="mbox", label="Stub", produces="events", read=read)


@pytest.fixture
def fake_resolver(monkeypatch):
    made = []

    def build(*, run, internal_domains):
        resolver = FakeResolver(run=run, internal_domains=internal_domains)
        made.append(resolver)
        return resolver

    monkeypatch.setattr(imports, "_directory_resolver", build)
    return made


def test_progress_is_written_as_it_goes_and_options_reach_the_resolver(
    analyst, monkeypatch, fake_resolver, settings, django_capture_on_commit_callbacks
):
    settings.INTERNAL_DOMAINS = ["ourco.example"]
    reader = stub_reader(5)
    monkeypatch.setattr(imports, "readers", lambda: {"mbox": reader})
    monkeypatch.setattr(selectors, "readers", lambda: {"mbox": reader})
    monkeypatch.setattr(imports, "PROGRESS_INTERVAL", 0)
    seen: list[tuple[int, int]] = []
    original = imports._progress_save

    def spy(run_id, progress):
        original(run_id, progress)
        run = ImportRun.objects.get(pk=run_id)
        seen.append((run.bytes_done, run.records))

    monkeypatch.setattr(imports, "_progress_save", spy)
    run = start_and_run(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="mbox",
        uploaded_files=[upload("big.mbox", b"x" * 1000)],
        options={"internal_domains": "labs.example, @Ourco-Two.example", "since": "2025-01-01"},
    )
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert seen and seen[0][0] < 1000 and seen[-1][0] == 1000
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert run.bytes_done == run.bytes_total == 1000
    assert run.report["people_created"] == 2
    [resolver] = fake_resolver
    assert resolver.kwargs["internal_domains"] == [
        "ourco.example",
        "labs.example",
        "ourco-two.example",
    ]
    assert run.options["since"] == "2025-01-01T00:00:00+00:00"


def test_progress_updates_are_throttled(
    analyst, monkeypatch, fake_resolver, django_capture_on_commit_callbacks
):
    reader = stub_reader(50)
    monkeypatch.setattr(imports, "readers", lambda: {"mbox": reader})
    monkeypatch.setattr(selectors, "readers", lambda: {"mbox": reader})
    writes = []
    real_filter = ImportRun.objects.filter

    class Counting:
        def __init__(self, qs):
            self.qs = qs

        def update(self, **fields):
            if "records" in fields and "status" not in fields:
                writes.append(fields)
            return self.qs.update(**fields)

        def __getattr__(self, name):
            return getattr(self.qs, name)

    monkeypatch.setattr(ImportRun.objects, "filter", lambda *a, **k: Counting(real_filter(*a, **k)))
    run = start_and_run(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="mbox",
        uploaded_files=[upload("big.mbox", b"x" * 5000)],
    )
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    # 50 progress calls and a few flushes within well under a second: one write.
    assert 1 <= len(writes) <= 3


def test_a_resolver_that_cannot_be_built_fails_the_run(
    analyst, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise ImportError("No module named 'bridgework.people.identity'")

    monkeypatch.setattr(imports, "_directory_resolver", broken)
    run = start_and_run(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="mbox",
        uploaded_files=[upload("inbox.mbox", MBOX)],
    )
    assert run.status == ImportRun.Status.FAILED
    assert run.error.startswith("Import failed: ImportError")


# -- permissions --------------------------------------------------------------------


def test_a_member_imports_their_own_calendar(
    member, other_member, django_capture_on_commit_callbacks
):
    mine = member.person.primary_email
    run = start_and_run(
        django_capture_on_commit_callbacks,
        actor=member,
        format="ics",
        uploaded_files=[upload("calendar.ics", ics(mine, other_member.person.primary_email))],
    )
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert run.options["owner_email"] == mine
    assert run.options["owner_person_id"] == member.person_id
    assert run.report["events_imported"] == 1
    [event] = get_event_store().events(source="ics").to_pylist()
    assert event["sender_id"] == member.person_id
    assert event["recipient_ids"] == [other_member.person_id]
    assert event["duration_minutes"] == 30


@pytest.mark.parametrize("format_name", ["slack", "csv", "viva-p2p"])
def test_a_member_cannot_import_organization_sources(member, format_name):
    with pytest.raises(NotFoundError):
        services.import_start(
            actor=member, format=format_name, uploaded_files=[upload("x.zip", b"PK")]
        )
    assert not ImportRun.objects.exists()


def test_a_member_cannot_import_someone_elses_mailbox(member):
    with pytest.raises(ValidationError) as caught:
        services.import_start(
            actor=member,
            format="mbox",
            uploaded_files=[upload("inbox.mbox", MBOX)],
            options={"owner_email": "ceo@ourco.example"},
        )
    assert "owner_email" in caught.value.message_dict


def test_a_member_cannot_read_server_paths(member, tmp_path):
    path = tmp_path / "inbox.mbox"
    path.write_bytes(MBOX)
    with pytest.raises(NotFoundError):
        services.import_start(actor=member, format="mbox", paths=[path])


def test_a_login_without_a_person_cannot_import(db):
    loner = factories.UserFactory(username="loner", person=None, roles=[Role.MEMBER])
    with pytest.raises(NotFoundError):
        services.import_start(
            actor=loner, format="mbox", uploaded_files=[upload("inbox.mbox", MBOX)]
        )


def test_members_see_only_their_own_runs(member, other_member, analyst):
    mine = services.import_start(
        actor=member, format="mbox", uploaded_files=[upload("inbox.mbox", MBOX)]
    )
    theirs = services.import_start(
        actor=other_member, format="mbox", uploaded_files=[upload("inbox.mbox", MBOX)]
    )
    assert list(selectors.import_run_list(viewer=member)) == [mine]
    with pytest.raises(NotFoundError):
        selectors.access_import_run(viewer=member, run_id=theirs.pk)
    assert selectors.access_import_run(viewer=analyst, run_id=theirs.pk) == theirs
    assert set(selectors.import_run_list(viewer=analyst)) == {mine, theirs}


def test_formats_members_may_import():
    member = factories.UserFactory(username="m1", roles=[Role.MEMBER])
    formats = selectors.import_formats(viewer=member)
    assert set(formats) <= set(selectors.MEMBER_FORMATS)
    assert "mbox" in formats and "slack" not in formats


# -- validation and upload safety ------------------------------------------------------


def test_unknown_format_lists_the_known_ones(analyst):
    with pytest.raises(ValidationError) as caught:
        services.import_start(actor=analyst, format="pst", uploaded_files=[upload("a", b"x")])
    message = caught.value.message_dict["format"][0]
    assert "'pst'" in message and "mbox" in message


def test_uploads_over_the_limit_are_refused(analyst, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES_ANALYST = 100
    with pytest.raises(ValidationError) as caught:
        services.import_start(
            actor=analyst,
            format="mbox",
            uploaded_files=[upload("a.mbox", b"x" * 60), upload("b.mbox", b"x" * 60)],
        )
    assert "limit" in caught.value.message_dict["files"][0]
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize(
    "options, field",
    [
        ({"since": "05/01/2026"}, "since"),
        ({"since": "2026-02-01", "until": "2026-01-01"}, "until"),
        ({"internal_domains": "not a domain!"}, "internal_domains"),
        ({"column_mapping": "email=E-mail"}, "column_mapping"),  # mbox has no columns
        ({"owner_email": "nobody"}, "owner_email"),
        ({"colour": "blue"}, "options"),
    ],
)
def test_bad_options_are_refused_with_the_field_named(analyst, options, field):
    with pytest.raises(ValidationError) as caught:
        services.import_start(
            actor=analyst,
            format="mbox",
            uploaded_files=[upload("a.mbox", MBOX)],
            options=options,
        )
    assert field in caught.value.message_dict


def test_csv_column_mapping_is_parsed_and_checked(analyst):
    run = services.import_start(
        actor=analyst,
        format="csv",
        uploaded_files=[upload("people.csv", b"Full name,E-mail\nAnn Lee,ann@acme.example\n")],
        options={"column_mapping": "name = Full name\nemail=E-mail\n"},
    )
    assert run.options["column_mapping"] == {"name": "Full name", "email": "E-mail"}
    with pytest.raises(ValidationError) as caught:
        services.import_start(
            actor=analyst,
            format="csv",
            uploaded_files=[upload("people.csv", b"x")],
            options={"column_mapping": "shoe_size=Shoes"},
        )
    assert "shoe_size" in caught.value.message_dict["column_mapping"][0]


@pytest.mark.parametrize(
    "given, expected",
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("/abs/path/inbox.mbox", "inbox.mbox"),
        ("..", "upload"),
        (".bashrc", "bashrc"),
        ("in box;rm -rf.mbox", "in box_rm -rf.mbox"),
    ],
)
def test_upload_names_are_made_safe(given, expected):
    assert services.safe_file_name(given) == expected


def test_uploads_are_stored_inside_the_run_folder(analyst, uploads_dir):
    run = services.import_start(
        actor=analyst,
        format="mbox",
        uploaded_files=[upload("../../evil.mbox", MBOX), upload("evil.mbox", MBOX)],
    )
    folder = (uploads_dir / str(run.pk)).resolve()
    assert run.file_names == ["evil.mbox", "evil.mbox"]
    stored = [Path(p).resolve() for p in run.stored_paths]
    assert [p.name for p in stored] == ["evil.mbox", "2-evil.mbox"]
    assert all(p.parent == folder and p.read_bytes() == MBOX for p in stored)


def test_a_zipped_maildir_is_unpacked_and_imported(analyst, django_capture_on_commit_callbacks):
    run = start_and_run(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="maildir",
        uploaded_files=[upload("mail.zip", maildir_zip())],
    )
    assert Path(run.stored_paths[0]).name == "mail.zip"  # unpacked by the worker, not the request
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert run.report["events_imported"] == MBOX_EVENTS


def test_a_folder_format_needs_a_zip(analyst):
    with pytest.raises(ValidationError) as caught:
        services.import_start(
            actor=analyst, format="maildir", uploaded_files=[upload("1.ourco:2,S", b"From: a")]
        )
    assert ".zip" in caught.value.message_dict["files"][0]


@pytest.mark.parametrize("entry", ["../escaped.txt", "/etc/cron.d/evil", "a/../../b"])
def test_zip_entries_cannot_escape_the_run_folder(
    analyst, uploads_dir, entry, django_capture_on_commit_callbacks
):
    run = start_and_run(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="maildir",
        uploaded_files=[upload("mail.zip", zipped({entry: b"x", "cur/1": b"From: a"}))],
    )
    assert run.status == ImportRun.Status.FAILED
    assert run.error.startswith("mail.zip: refused: ") and "outside its folder" in run.error
    assert not (uploads_dir.parent / "escaped.txt").exists()
    assert not any(uploads_dir.iterdir()) if uploads_dir.exists() else True


def test_a_zip_bomb_is_refused(analyst, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_MAX_UPLOAD_BYTES_ANALYST = 1000  # unpacked: at most 10 times that
    bomb = zipped({"cur/1": b"0" * 20_000})
    assert len(bomb) < 1000
    run = start_and_run(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="maildir",
        uploaded_files=[upload("m.zip", bomb)],
    )
    assert run.status == ImportRun.Status.FAILED
    assert "would unpack to 20,000 bytes, more than the limit of 10,000 bytes" in run.error


def test_a_broken_zip_is_refused(analyst, django_capture_on_commit_callbacks):
    run = start_and_run(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="maildir",
        uploaded_files=[upload("m.zip", b"not a zip")],
    )
    assert run.status == ImportRun.Status.FAILED
    assert run.error.startswith("m.zip: expected a zip archive")


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("crc", "mail.zip: the entry 'Maildir/cur/1.ourco:2,S' is damaged (CRC mismatch)"),
        (
            "truncate",
            "mail.zip: the zip archive is truncated: it ends before the list of its "
            "entries (an incomplete download or copy?)",
        ),
    ],
)
def test_a_damaged_zip_fails_the_run_with_a_message_naming_it(
    analyst, uploads_dir, how, expected, django_capture_on_commit_callbacks
):
    run = start_and_run(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="maildir",
        uploaded_files=[upload("mail.zip", damage(maildir_zip(), "Maildir/cur/1.ourco:2,S", how))],
    )
    assert (run.status, run.error) == (ImportRun.Status.FAILED, expected)
    assert run.finished_at is not None
    assert get_event_store().count() == 0
    assert not (uploads_dir / str(run.pk)).exists()  # the upload is deleted all the same


def test_the_command_line_imports_local_paths(tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "inbox.mbox"
    path.write_bytes(MBOX)
    run = services.import_start(
        actor=None, format="mbox", paths=[path], origin=ImportRun.Origin.CLI, enqueue=False
    )
    assert run.stored_paths == [str(path.resolve())] and run.started_by is None
    run = services.import_run_execute(run_id=run.pk)
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    assert run.report["events_imported"] == MBOX_EVENTS
    assert path.read_bytes() == MBOX  # the user's own file stays


def test_format_error_text_names_the_file(analyst, django_capture_on_commit_callbacks):
    run = start_and_run(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="ics",
        uploaded_files=[upload("notes.ics", NOT_MBOX)],
    )
    assert run.status == ImportRun.Status.FAILED
    assert run.error.startswith("notes.ics: ")
    assert not isinstance(run.error, FormatError)


@pytest.mark.django_db
def test_imports_left_running_by_a_stopped_worker_are_marked_failed():
    running = ImportRun.objects.create(format="mbox", status=ImportRun.Status.RUNNING)
    done = ImportRun.objects.create(format="mbox", status=ImportRun.Status.SUCCEEDED)
    assert import_runs_mark_interrupted() == 1
    running.refresh_from_db()
    done.refresh_from_db()
    assert running.status == ImportRun.Status.FAILED and "interrupted" in running.error
    assert running.finished_at is not None
    assert done.status == ImportRun.Status.SUCCEEDED
