"""What a member's import may bring in (issue 13, items 2 and 3).

The attacks, as a hostile member would run them, through the import service
and its task (the path the pages and the API take), then the pages and the
API the other people use:

* a forged mailbox "From colleague A To colleague B" imported by member C
  stores nothing and ties nobody (the same file from a people analyst does);
* a forged calendar with a meeting of A and B the same;
* a member's address book does not add names, titles or organizations to
  anyone else's directory (search page, API, profile, people pickers).

Expected values come from the hand-written files: who is From and To in them.
"""

from __future__ import annotations

import json

import pytest

from bridgework import factories
from bridgework.accounts.models import Role
from bridgework.accounts.services import api_token_create
from bridgework.eventstore import get_event_store
from bridgework.interactions import services
from bridgework.interactions.models import ImportRun
from bridgework.interactions.tests.test_import_fixtures import ics, upload
from bridgework.network.selectors import consented_ties
from bridgework.network.services import ties_recompute
from bridgework.people.models import Organization, Person, PersonEmail, PrivateContact

pytestmark = pytest.mark.django_db

A_ADDRESS, B_ADDRESS = "alex.colleague@ourco.example", "bea.colleague@ourco.example"


@pytest.fixture(autouse=True)
def uploads_dir(settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture
def colleagues(db):
    """Colleagues A and B, in the directory."""
    a = factories.PersonFactory(full_name="Alex Colleague", email=A_ADDRESS)
    b = factories.PersonFactory(full_name="Bea Colleague", email=B_ADDRESS)
    return a, b


@pytest.fixture
def member_c(db):
    return factories.UserFactory(
        username="cleo",
        roles=[Role.MEMBER],
        person=factories.PersonFactory(full_name="Cleo Member", email="cleo@ourco.example"),
    )


def message(sender: str, to: str, message_id: str, day: int = 5) -> bytes:
    return (
        f"From {sender} Mon Jan  {day} 09:00:00 2026\n"
        f"From: {sender}\nTo: {to}\n"
        f"Date: Mon, 0{day} Jan 2026 09:00:00 +0000\n"
        f"Message-ID: <{message_id}@ourco.example>\nSubject: SECRET\n\nbody\n\n"
    ).encode()


FORGED = message(A_ADDRESS, B_ADDRESS, "forged")


def run_import(capture, **kwargs) -> ImportRun:
    with capture(execute=True):
        run = services.import_start(**kwargs)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    return run


def tie_between(a: Person, b: Person) -> bool:
    ties_recompute(full=True)
    low, high = sorted([a.pk, b.pk])
    return consented_ties().filter(person_a_id=low, person_b_id=high).exists()


# -- item 2: a member cannot forge ties between two other people -------------------------


def test_a_forged_message_between_two_colleagues_stores_nothing_and_no_tie(
    colleagues, member_c, django_capture_on_commit_callbacks
):
    a, b = colleagues
    run = run_import(
        django_capture_on_commit_callbacks,
        actor=member_c,
        format="mbox",
        uploaded_files=[upload("inbox.mbox", FORGED)],
    )
    assert get_event_store().count() == 0
    assert not tie_between(a, b)
    assert run.report["records_read"] == 1
    assert run.report["events_imported"] == 0
    assert run.report["skipped_not_involving"] == 1


def test_the_same_file_from_a_people_analyst_is_stored(
    colleagues, analyst, django_capture_on_commit_callbacks
):
    a, b = colleagues
    run = run_import(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="mbox",
        uploaded_files=[upload("inbox.mbox", FORGED)],
    )
    assert run.report["events_imported"] == 1
    [event] = get_event_store().events().to_pylist()
    assert (event["sender_id"], event["recipient_ids"]) == (a.pk, [b.pk])
    assert tie_between(a, b)
    assert run.report["skipped_not_involving"] == 0


def test_a_members_own_messages_are_kept_beside_the_forged_one(
    colleagues, member_c, django_capture_on_commit_callbacks
):
    a, b = colleagues
    second_address = "c.member@home.example"  # another address of C's, in the directory
    PersonEmail.objects.create(person=member_c.person, address=second_address)
    mailbox = (
        FORGED
        + message("cleo@ourco.example", A_ADDRESS, "mine-1")
        + message(B_ADDRESS, second_address, "mine-2")
    )
    run = run_import(
        django_capture_on_commit_callbacks,
        actor=member_c,
        format="mbox",
        uploaded_files=[upload("inbox.mbox", mailbox)],
    )
    assert run.report["events_imported"] == 2
    assert run.report["skipped_not_involving"] == 1
    pairs = {
        (row["sender_id"], tuple(row["recipient_ids"]))
        for row in get_event_store().events().to_pylist()
    }
    assert pairs == {(member_c.person_id, (a.pk,)), (b.pk, (member_c.person_id,))}
    assert tie_between(member_c.person, a)
    assert not tie_between(a, b)


def test_people_only_in_others_messages_are_not_even_added(
    member_c, django_capture_on_commit_callbacks
):
    stranger_mail = message("x.stranger@elsewhere.example", "y.stranger@elsewhere.example", "s")
    run = run_import(
        django_capture_on_commit_callbacks,
        actor=member_c,
        format="mbox",
        uploaded_files=[upload("inbox.mbox", stranger_mail)],
    )
    assert run.report["people_created"] == 0
    assert not PersonEmail.objects.filter(address__endswith="@elsewhere.example").exists()


def test_a_forged_meeting_of_two_colleagues_stores_nothing(
    colleagues, member_c, django_capture_on_commit_callbacks
):
    a, b = colleagues
    run = run_import(
        django_capture_on_commit_callbacks,
        actor=member_c,
        format="ics",
        uploaded_files=[upload("calendar.ics", ics(A_ADDRESS, B_ADDRESS))],
    )
    assert run.report["events_imported"] == 0
    assert not tie_between(a, b)
    assert run.report["skipped_not_involving"] == 1
    # A meeting the member attended is theirs.
    run = run_import(
        django_capture_on_commit_callbacks,
        actor=member_c,
        format="ics",
        uploaded_files=[upload("mine.ics", ics(A_ADDRESS, "cleo@ourco.example", uid="m2"))],
    )
    assert run.report["events_imported"] == 1
    assert tie_between(a, member_c.person)


def test_the_run_page_says_what_was_left_out(
    colleagues, member_c, client, django_capture_on_commit_callbacks
):
    run = run_import(
        django_capture_on_commit_callbacks,
        actor=member_c,
        format="mbox",
        uploaded_files=[upload("inbox.mbox", FORGED)],
    )
    client.force_login(member_c)
    page = client.get(f"/interactions/import/{run.pk}/").content.decode()
    assert "Not involving you</th><td>1</td>" in page


# -- item 3: a member's contacts are their own -------------------------------------------

VCARD = (
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zed Zebulon\r\nN:Zebulon;Zed;;;\r\n"
    b"EMAIL:zed@rival.example\r\nTITLE:Chief Snake Oil Officer\r\nORG:Rival Widgets Ltd\r\n"
    b"END:VCARD\r\n"
)


@pytest.fixture
def zed_imported_by_c(member_c, django_capture_on_commit_callbacks):
    run = run_import(
        django_capture_on_commit_callbacks,
        actor=member_c,
        format="vcard",
        uploaded_files=[upload("contacts.vcf", VCARD)],
    )
    assert run.report["contacts_stored"] == 1
    return Person.objects.get(emails__address="zed@rival.example")


def bearer(user) -> dict[str, str]:
    _, raw = api_token_create(user=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


def directory_names(client, user, query: str) -> set[str]:
    client.force_login(user)
    page = client.get("/people/", {"q": query}).content.decode()
    return {name for name in ("Zed Zebulon",) if name in page}


def test_a_members_address_book_becomes_their_private_contacts(zed_imported_by_c, member_c):
    zed = zed_imported_by_c
    assert not zed.listed
    assert PrivateContact.objects.filter(owner=member_c.person, person=zed).exists()
    assert zed.title == "Chief Snake Oil Officer"  # theirs to see
    # No organization everyone sees was made from the card.
    assert not Organization.objects.filter(name="Rival Widgets Ltd").exists()


def test_another_member_never_sees_them_anywhere(zed_imported_by_c, member_c, other_member, client):
    zed = zed_imported_by_c
    assert directory_names(client, other_member, "Zebulon") == set()
    assert directory_names(client, other_member, "Snake") == set()
    assert client.get(f"/people/{zed.pk}/").status_code == 404
    # Nor in the people pickers of other pages.
    assert "Zed Zebulon" not in client.get("/interactions/new/").content.decode()
    client.logout()
    api = bearer(other_member)
    listed = client.get("/api/people/", {"q": "Zebulon"}, headers=api).json()
    assert listed["count"] == 0
    assert client.get(f"/api/people/{zed.pk}", headers=api).status_code == 404
    # Naming them in an interaction is refused like an unknown id.
    response = client.post(
        "/api/interactions/",
        json.dumps(
            {"channel": "meeting", "occurred_at": "2026-01-05T09:00:00Z", "participants": [zed.pk]}
        ),
        content_type="application/json",
        headers=api,
    )
    assert response.status_code == 422
    assert str(zed.pk) in response.json()["errors"]["participants"][0]


def test_the_owner_and_people_managers_see_them(zed_imported_by_c, member_c, analyst, client):
    zed = zed_imported_by_c
    assert directory_names(client, member_c, "Zebulon") == {"Zed Zebulon"}
    assert "Private contact" in client.get("/people/", {"q": "Zebulon"}).content.decode()
    assert client.get(f"/people/{zed.pk}/").status_code == 200
    assert directory_names(client, analyst, "Zebulon") == {"Zed Zebulon"}
    profile = client.get(f"/people/{zed.pk}/").content.decode()
    assert "Cleo Member" in profile and "Add to the directory" in profile
    client.logout()
    me = client.get(f"/api/people/{zed.pk}", headers=bearer(member_c)).json()
    assert me["listed"] is False


def test_an_analyst_approves_them_into_the_directory(
    zed_imported_by_c, other_member, analyst, client
):
    zed = zed_imported_by_c
    client.force_login(other_member)
    assert client.post(f"/people/{zed.pk}/approve/").status_code == 404  # members cannot
    client.force_login(analyst)
    response = client.post(f"/people/{zed.pk}/approve/")
    assert response.status_code == 302
    zed.refresh_from_db()
    assert zed.listed
    assert directory_names(client, other_member, "Zebulon") == {"Zed Zebulon"}


def test_approving_through_the_api(zed_imported_by_c, other_member, analyst, client):
    zed = zed_imported_by_c
    url = f"/api/people/{zed.pk}/approve"
    assert client.post(url, headers=bearer(other_member)).status_code == 404
    response = client.post(url, headers=bearer(analyst))
    assert response.status_code == 200 and response.json()["listed"] is True
    assert client.get(f"/api/people/{zed.pk}", headers=bearer(other_member)).status_code == 200


def test_an_organization_import_naming_them_lists_them(
    zed_imported_by_c, analyst, other_member, client, django_capture_on_commit_callbacks
):
    run_import(
        django_capture_on_commit_callbacks,
        actor=analyst,
        format="mbox",
        uploaded_files=[upload("org.mbox", message(A_ADDRESS, "zed@rival.example", "org-1"))],
    )
    zed = Person.objects.get(pk=zed_imported_by_c.pk)
    assert zed.listed
    assert directory_names(client, other_member, "Zebulon") == {"Zed Zebulon"}


def test_a_second_member_who_knows_them_shares_them_without_learning_it(
    zed_imported_by_c, member_c, other_member, django_capture_on_commit_callbacks
):
    other_card = VCARD.replace(b"Chief Snake Oil Officer", b"Nice Guy")
    run = run_import(
        django_capture_on_commit_callbacks,
        actor=other_member,
        format="vcard",
        uploaded_files=[upload("mine.vcf", other_card)],
    )
    zed = Person.objects.get(pk=zed_imported_by_c.pk)
    # One person (an address belongs to one), private to both, unchanged by the second card.
    assert set(PrivateContact.objects.filter(person=zed).values_list("owner_id", flat=True)) == {
        member_c.person_id,
        other_member.person_id,
    }
    assert not zed.listed and zed.title == "Chief Snake Oil Officer"
    # Nothing in the report tells the second member someone else had them.
    assert (run.report["people_created"], run.report["people_matched"]) == (1, 0)


def test_a_failed_member_import_takes_its_private_contacts_back(
    member_c, django_capture_on_commit_callbacks, monkeypatch
):
    from bridgework.core.ingest import pipeline

    real = pipeline._write_events

    def fail_after_resolving(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline, "_write_events", fail_after_resolving)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.import_start(
            actor=member_c,
            format="mbox",
            uploaded_files=[
                upload("inbox.mbox", message("cleo@ourco.example", "new.friend@pals.example", "x"))
            ],
        )
    run.refresh_from_db()
    assert run.status == ImportRun.Status.FAILED
    assert not PersonEmail.objects.filter(address="new.friend@pals.example").exists()
    assert not PrivateContact.objects.exists()
