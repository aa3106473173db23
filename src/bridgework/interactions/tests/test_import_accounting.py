"""Every record accounted for, with the real directory (issue 14, items 5 and 7).

Through the import service and its task, with the real readers and the real
:class:`~bridgework.people.identity.DirectoryResolver`; then the run's page
and the command line's summary. The expected counts are read off the
hand-written files: which cards name someone, who each message is to.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bridgework import factories
from bridgework.cli.main import app
from bridgework.eventstore import get_event_store
from bridgework.interactions import services
from bridgework.interactions.models import ImportRun
from bridgework.interactions.tests.test_import_fixtures import upload
from bridgework.people.models import Person, PersonEmail

pytestmark = pytest.mark.django_db

#: Two cards that name someone, two that name nobody the directory could tell apart.
VCARDS = b"""BEGIN:VCARD
VERSION:3.0
FN:Ann Lee
EMAIL:ann.lee@acme.example
END:VCARD
BEGIN:VCARD
VERSION:4.0
EMAIL:jane.doe@example.org
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Madonna
TEL:+1 555 0100
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:JD
TEL:+1 555 0101
END:VCARD
"""


def message(sender: str, to: str, message_id: str) -> bytes:
    return (
        f"From {sender} Mon Jan  5 09:00:00 2026\nFrom: {sender}\nTo: {to}\n"
        f"Date: Mon, 05 Jan 2026 09:00:00 +0000\nMessage-ID: <{message_id}>\n\nbody\n\n"
    ).encode()


#: One message between two people; one from an outsider to a staff list alone.
MAILBOX = message("Ann Lee <ann@ourco.example>", "bo@ourco.example", "m1@ourco.example") + (
    message("Xavier Ext <x@ext.example>", "all-staff@ourco.example", "m2@ext.example")
)


@pytest.fixture(autouse=True)
def uploads_dir(settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"


def run_import(capture, **kwargs) -> ImportRun:
    with capture(execute=True):
        run = services.import_start(**kwargs)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    return run


def test_vcards_without_an_address_or_a_full_name_are_skipped_and_counted(
    analyst, django_capture_on_commit_callbacks
):
    run = run_import(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="vcard",
        uploaded_files=[upload("contacts.vcf", VCARDS)],
    )
    report = run.report
    assert report["records_read"] == 4
    assert report["contacts_stored"] == 2
    assert report["skipped"] == {"not_identifiable": 2}  # Madonna, JD
    assert report["issue_count"] == 0
    assert not Person.objects.filter(full_name__in=["Madonna", "JD"]).exists()
    # The card with an address and no name makes a person named from the
    # address, as the sender of an e-mail does.
    jane = PersonEmail.objects.get(address="jane.doe@example.org").person
    assert jane.full_name == "Jane Doe"
    assert report["people_created"] == 2


def test_the_sender_of_a_message_to_a_list_alone_is_not_created(
    analyst, django_capture_on_commit_callbacks
):
    run = run_import(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="mbox",
        uploaded_files=[upload("inbox.mbox", MAILBOX)],
    )
    report = run.report
    assert (report["records_read"], report["events_imported"]) == (2, 1)
    assert report["skipped"] == {"without_people": 1}
    assert report["skipped_without_people"] == 1  # the older name, for API clients
    assert not PersonEmail.objects.filter(address="x@ext.example").exists()
    assert not Person.objects.filter(full_name="Xavier Ext").exists()
    assert set(PersonEmail.objects.values_list("address", flat=True)) == {
        "ann@ourco.example",
        "bo@ourco.example",
    }
    assert report["people_created"] == 2
    assert get_event_store().count(source="mbox") == 1


def test_the_run_page_accounts_for_every_record(
    analyst, client, django_capture_on_commit_callbacks
):
    run = run_import(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="vcard",
        uploaded_files=[upload("contacts.vcf", VCARDS)],
    )
    client.force_login(analyst)
    page = client.get(f"/interactions/import/{run.pk}/").content.decode()
    assert "records read = stored + skipped + problems (4 = 2 + 2 + 0)" in page
    assert '<th scope="row">Records read</th><td>4</td>' in page
    assert '<th scope="rowgroup">Stored</th><td>2</td>' in page
    assert '<th scope="row">Contacts stored</th><td>2</td>' in page
    assert '<th scope="rowgroup">Skipped</th><td>2</td>' in page
    assert (
        '<th scope="row">Too little to identify a person (e.g. one word and no address)</th>'
        "<td>2</td>"
    ) in page
    assert '<th scope="rowgroup">Problems (could not be read)</th><td>0</td>' in page


def test_an_older_report_is_shown_without_claiming_it_adds_up(analyst, client):
    run = ImportRun.objects.create(
        format="mbox",
        status=ImportRun.Status.SUCCEEDED,
        started_by=analyst,
        report={
            "files": ["inbox.mbox"],
            "records_read": 2,  # issues were not counted in
            "events_imported": 2,
            "duplicates_skipped": 0,
            "skipped_automated": 1,
            "issue_count": 1,
            "issues": [],
        },
    )
    client.force_login(analyst)
    page = client.get(f"/interactions/import/{run.pk}/").content.decode()
    assert "its counts need not add up" in page
    assert (
        '<th scope="row">Automated sender or mailing list</th><td>1</td>' in page
    )  # from the older count


def test_the_command_line_summary_accounts_for_every_record(tmp_path):
    path = tmp_path / "contacts.vcf"
    path.write_bytes(VCARDS)
    factories.PersonFactory(full_name="Ann Lee", email="ann.lee@acme.example")
    result = CliRunner().invoke(app, ["import", "vcard", str(path)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Records read = stored + skipped + errors: 4 = 2 + 2 + 0" in out
    assert "contacts stored" in out
    assert "too little to identify a person" in out
