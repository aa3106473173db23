"""``bridgework import`` and ``bridgework events ...`` through Typer's runner."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from bridgework import factories
from bridgework.cli.main import app
from bridgework.core.ingest.tests.test_archive import damage
from bridgework.eventstore import get_event_store
from bridgework.interactions.models import ImportRun
from bridgework.interactions.tests.test_import_fixtures import (
    MBOX,
    MBOX_EVENTS,
    NOT_MBOX,
    maildir_zip,
    zipped,
)
from bridgework.people.models import Person

#: A Slack export of two people and two days in #general, each day one message
#: from Ann mentioning Bo (an event each).
SLACK_ZIP = zipped(
    {
        "users.json": b'[{"id": "UANN", "real_name": "Ann Lee"}, {"id": "UBO", "real_name": "Bo Ek"}]',
        "channels.json": b'[{"id": "CGEN", "name": "general", "members": ["UANN", "UBO"]}]',
        "general/2026-01-05.json": b'[{"type": "message", "user": "UANN", '
        b'"text": "<@UBO> SECRET-BODY", "ts": "1767603600.000100"}]',
        "general/2026-01-06.json": b'[{"type": "message", "user": "UANN", '
        b'"text": "<@UBO> again", "ts": "1767690000.000100"}]',
    }
)

runner = CliRunner()
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture
def inbox(tmp_path):
    path = tmp_path / "inbox.mbox"
    path.write_bytes(MBOX)
    return path


def test_import_prints_a_summary_and_records_the_run(inbox):
    result = runner.invoke(
        app, ["import", "mbox", str(inbox), "--internal-domain", "ourco.example"]
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    for label in (
        "Records read = stored + skipped + errors",
        "Records read",
        "Stored",
        "events imported",
        "Skipped",
        "Errors",
        "People created",
        "People matched",
        "Uncertain matches",
    ):
        assert label in out
    assert "no Date header" in out and "inbox.mbox" in out
    run = ImportRun.objects.get()
    assert run.origin == ImportRun.Origin.CLI and run.started_by is None
    assert run.status == ImportRun.Status.SUCCEEDED
    assert run.options["internal_domains"] == ["ourco.example"]
    assert f"import #{run.pk}" in out
    assert get_event_store().count(source="mbox") == MBOX_EVENTS
    assert "SECRET" not in result.output


def test_importing_again_counts_duplicates(inbox):
    runner.invoke(app, ["import", "mbox", str(inbox)])
    people = Person.objects.count()
    result = runner.invoke(app, ["import", "mbox", str(inbox)])
    assert result.exit_code == 0, result.output
    again = ImportRun.objects.order_by("-id").first()
    assert again.report["events_imported"] == 0
    assert again.report["duplicates_skipped"] == MBOX_EVENTS
    assert Person.objects.count() == people
    assert get_event_store().count() == MBOX_EVENTS


def test_a_format_error_exits_1_naming_the_file(tmp_path, inbox):
    diary = tmp_path / "diary.txt"
    diary.write_bytes(NOT_MBOX)
    result = runner.invoke(app, ["import", "mbox", str(inbox), str(diary)])
    assert result.exit_code == 1
    assert "Error: diary.txt: " in result.output
    assert ImportRun.objects.get().status == ImportRun.Status.FAILED
    assert get_event_store().count() == 0


def test_an_unknown_format_lists_the_known_ones(inbox):
    result = runner.invoke(app, ["import", "pst", str(inbox)])
    assert result.exit_code == 1
    assert "Unknown format 'pst'" in result.output and "mbox" in result.output
    assert not ImportRun.objects.exists()


def test_a_missing_path_exits_1(tmp_path):
    result = runner.invoke(app, ["import", "mbox", str(tmp_path / "nowhere.mbox")])
    assert result.exit_code == 1
    assert "No such file or folder" in result.output and "nowhere.mbox" in result.output


def test_bad_options_exit_1_with_the_reason(inbox):
    result = runner.invoke(app, ["import", "mbox", str(inbox), "--since", "5 Jan"])
    assert result.exit_code == 1 and "since" in result.output
    result = runner.invoke(app, ["import", "csv", str(inbox), "--map", "no-equals"])
    assert result.exit_code == 1 and "field=column" in result.output


def test_refusals_name_the_option_never_a_web_form_field(inbox, monkeypatch):
    result = runner.invoke(app, ["import", "csv", str(inbox), "--map", "no-equals"])
    assert "Error: --map: Line 1: write field=column, e.g. email=E-mail.\n" in result.output
    result = runner.invoke(app, ["import", "mbox", str(inbox), "--since", "5 Jan"])
    assert "Error: --since: Give a date like 2025-01-31" in result.output
    assert "column_mapping" not in result.output

    # A refusal about the uploaded files (the web form's "files" field) has no
    # option to name here: its message stands alone.
    from django.core.exceptions import ValidationError

    from bridgework.interactions import services

    def refuse(**kwargs):
        raise ValidationError(
            {"files": "E-mail (Maildir folder) is a folder: upload it as a .zip file."}
        )

    monkeypatch.setattr(services, "import_start", refuse)
    result = runner.invoke(app, ["import", "maildir", str(inbox)])
    assert result.exit_code == 1
    assert result.output == (
        "Error: E-mail (Maildir folder) is a folder: upload it as a .zip file.\n"
    )


def test_since_and_until_filter_the_window(inbox):
    result = runner.invoke(
        app, ["import", "mbox", str(inbox), "--since", "2026-02-01", "--until", "2026-03-01"]
    )
    assert result.exit_code == 0, result.output
    assert ImportRun.objects.get().report["events_imported"] == 0


def test_a_zipped_maildir_is_unpacked(tmp_path):
    archive = tmp_path / "mail.zip"
    archive.write_bytes(maildir_zip())
    result = runner.invoke(app, ["import", "maildir", str(archive)])
    assert result.exit_code == 0, result.output
    assert ImportRun.objects.get().report["events_imported"] == MBOX_EVENTS


@pytest.mark.parametrize(
    ("how", "problem"),
    [("crc", "CRC mismatch"), ("deflate", "invalid compressed data: invalid block type")],
)
def test_a_damaged_maildir_zip_exits_1_naming_the_entry(tmp_path, how, problem):
    archive = tmp_path / "mail.zip"
    archive.write_bytes(damage(maildir_zip(), "Maildir/new/2.ourco", how))
    result = runner.invoke(app, ["import", "maildir", str(archive)])
    expected = f"mail.zip: the entry 'Maildir/new/2.ourco' is damaged ({problem})"
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not a crash
    assert f"Error: {expected}\n" in result.output and "Traceback" not in result.output
    run = ImportRun.objects.get()
    assert (run.status, run.error) == (ImportRun.Status.FAILED, expected)
    assert get_event_store().count() == 0 and not Person.objects.exists()


@pytest.mark.parametrize(
    ("format_name", "entry"), [("maildir", "Maildir/new/2.ourco"), ("slack", "users.json")]
)
def test_a_truncated_zip_exits_1_saying_so(tmp_path, format_name, entry):
    archive = tmp_path / "export.zip"
    good = maildir_zip() if format_name == "maildir" else SLACK_ZIP
    archive.write_bytes(damage(good, entry, "truncate"))
    result = runner.invoke(app, ["import", format_name, str(archive)])
    expected = (
        "export.zip: the zip archive is truncated: it ends before the list of its entries "
        "(an incomplete download or copy?)"
    )
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert f"Error: {expected}\n" in result.output
    run = ImportRun.objects.get()
    assert (run.status, run.error) == (ImportRun.Status.FAILED, expected)


def test_a_slack_zip_with_damaged_users_exits_1_naming_the_entry(tmp_path):
    archive = tmp_path / "slack.zip"
    archive.write_bytes(damage(SLACK_ZIP, "users.json", "deflate"))
    result = runner.invoke(app, ["import", "slack", str(archive)])
    expected = (
        "slack.zip: the entry 'users.json' is damaged (invalid compressed data: invalid block type)"
    )
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert f"Error: {expected}\n" in result.output
    run = ImportRun.objects.get()
    assert (run.status, run.error) == (ImportRun.Status.FAILED, expected)


def test_a_slack_zip_with_a_damaged_day_imports_the_rest_and_reports_the_entry(tmp_path):
    archive = tmp_path / "slack.zip"
    archive.write_bytes(damage(SLACK_ZIP, "general/2026-01-05.json", "crc"))
    result = runner.invoke(app, ["import", "slack", str(archive)])
    assert result.exit_code == 0, result.output
    run = ImportRun.objects.get()
    assert run.report["issues"] == [
        {
            "file": "slack.zip",
            "position": "channel #general, file 2026-01-05.json",
            "reason": "the entry 'general/2026-01-05.json' is damaged (CRC mismatch); skipped",
        }
    ]
    assert run.report["events_imported"] == 1  # the other day's message


def test_a_calendar_over_the_file_cap_reports_it(tmp_path, monkeypatch):
    """Three hourly series of 10 under a file cap of 25: 10 + 10 + 5 meetings, and
    the third series is reported cut, in the run's report and on screen."""
    from bridgework.core.ingest import ics

    monkeypatch.setattr(ics, "MAX_FILE_OCCURRENCES", 25)
    calendar = tmp_path / "team.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\n"
        + "".join(
            f"BEGIN:VEVENT\nUID:s{n}\nDTSTART:2026010{n}T080000Z\nDURATION:PT15M\n"
            "RRULE:FREQ=HOURLY;COUNT=10\nORGANIZER:mailto:ann@ourco.example\n"
            "ATTENDEE:mailto:bo@ourco.example\nEND:VEVENT\n"
            for n in (1, 2, 3)
        )
        + "END:VCALENDAR\n"
    )
    result = runner.invoke(app, ["import", "ics", str(calendar)])
    assert result.exit_code == 0, result.output
    run = ImportRun.objects.get()
    assert run.report["events_imported"] == 25
    assert run.report["issues"] == [
        {
            "file": "team.ics",
            "position": "VEVENT 3 (line 19)",
            "reason": "the recurring events of this file produce more than 25 occurrences in "
            "all, counted from each series' start, the most one file may; the later "
            "occurrences of this one were not read (split the file, or choose an earlier "
            "end date)",
        }
    ]
    assert "First problems (1 of 1)" in result.output and "VEVENT 3 (line 19)" in result.output


def test_csv_with_a_column_mapping(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("When;From;To\n2026-03-02 10:00;ann@example.org;bo@example.org\n")
    result = runner.invoke(
        app,
        [
            "import",
            "csv",
            str(path),
            "--map",
            "occurred_at=When",
            "--map",
            "sender_email=From",
            "--map",
            "recipient_emails=To",
        ],
    )
    assert result.exit_code == 0, result.output
    assert ImportRun.objects.get().report["events_imported"] == 1


# -- bridgework events -------------------------------------------------------------------


def _log_one_interaction():
    a, b = factories.PersonFactory(), factories.PersonFactory()
    factories.InteractionFactory(
        people=[a, b], occurred_at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    )


def test_events_sync_count_export_and_import(tmp_path, inbox):
    _log_one_interaction()
    result = runner.invoke(app, ["events", "sync"])
    assert result.exit_code == 0, result.output
    assert "Wrote 1 logged interactions" in result.output
    runner.invoke(app, ["import", "mbox", str(inbox)])

    result = runner.invoke(app, ["events", "count"])
    assert result.exit_code == 0 and f"{MBOX_EVENTS + 1} events" in result.output
    result = runner.invoke(app, ["events", "count", "--source", "app"])
    assert "1 events" in result.output

    exported = tmp_path / "events.parquet"
    result = runner.invoke(app, ["events", "export", str(exported)])
    assert result.exit_code == 0, result.output
    assert exported.exists() and f"Wrote {MBOX_EVENTS + 1} events" in result.output

    result = runner.invoke(app, ["events", "import-parquet", str(exported)])
    assert result.exit_code == 0, result.output
    assert f"Added 0 events; {MBOX_EVENTS + 1} were already stored." in result.output


def test_events_import_parquet_refuses_other_files(tmp_path):
    path = tmp_path / "notes.parquet"
    path.write_text("not parquet")
    result = runner.invoke(app, ["events", "import-parquet", str(path)])
    assert result.exit_code == 1 and "notes.parquet" in result.output
    result = runner.invoke(app, ["events", "import-parquet", str(tmp_path / "missing.parquet")])
    assert result.exit_code == 1 and "No such file" in result.output


def test_help_lists_import_and_events():
    result = runner.invoke(app, ["--help"])
    assert "import" in result.stdout and "events" in result.stdout
    result = runner.invoke(app, ["events", "--help"])
    for command in ("export", "import-parquet", "sync", "count"):
        assert command in result.stdout
