"""``bridgework import`` and ``bridgework events ...`` through Typer's runner."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from bridgework import factories
from bridgework.cli.main import app
from bridgework.eventstore import get_event_store
from bridgework.interactions.models import ImportRun
from bridgework.interactions.tests.test_import_fixtures import (
    MBOX,
    MBOX_EVENTS,
    NOT_MBOX,
    maildir_zip,
)
from bridgework.people.models import Person

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
        "Records read",
        "Events imported",
        "Duplicates skipped",
        "Contacts stored",
        "Ties imported",
        "People created",
        "People matched",
        "Uncertain matches",
        "Automated skipped",
        "Errors",
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
