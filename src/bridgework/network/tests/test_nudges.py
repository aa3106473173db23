"""Nudges: refreshed from the suggestions, dismissed and snoozed by their owner,
and e-mailed as a weekly digest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.models import AuditEntry
from bridgework.core.errors import NotFoundError
from bridgework.network import selectors, services
from bridgework.network.models import Nudge, PortfolioEntry

from .conftest import Suggestion, make_tie

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(member):
    ours = member.person.organization
    alpha = factories.TeamFactory(name="Alpha", organization=ours)
    member.person.team = alpha
    member.person.save()
    client = factories.OrganizationFactory(name="Clientco")
    dan = factories.PersonFactory(
        full_name="Dan Client", organization=client, engagement_type="client"
    )
    cat = factories.PersonFactory(full_name="Cat Colleague", team=alpha)
    for other in (dan, cat):
        make_tie(member.person, other, 0.4, band="occasional", trend="cooling", days_ago=50)
    return {"dan": dan, "cat": cat}


def test_refresh_passes_tiers_cadences_and_groups(member, people, suggestions):
    me = member.person
    PortfolioEntry.objects.create(owner=me, other=people["dan"], tier="strategic", cadence_days=20)
    PortfolioEntry.objects.create(owner=me, other=people["cat"], tier="core")

    services.nudges_refresh([me.pk], today=dt.date(2026, 3, 2))

    [call] = suggestions["calls"]
    assert call["owner_id"] == me.pk and call["today"] == dt.date(2026, 3, 2)
    assert len(call["scores"]) == 2
    assert call["tiers"] == {people["dan"].pk: "strategic", people["cat"].pk: "core"}
    assert call["cadence_days"] == {people["dan"].pk: 20}
    # Our people by team, everyone else by organization.
    assert call["groups"] == {people["dan"].pk: "Clientco", people["cat"].pk: "Alpha"}
    assert call["owner_group"] == "Alpha"


def test_nudge_lifecycle(member, people, suggestions):
    me, dan, cat = member.person, people["dan"], people["cat"]
    suggestions[me.pk] = [
        Suggestion(dan.pk, "overdue", "Last contact 50 days ago; cadence 20.", 3.0),
        Suggestion(cat.pk, "cooling", "Fewer contacts than last quarter.", 1.0),
    ]
    assert services.nudges_refresh([me.pk]) == 2
    overdue = Nudge.objects.get(owner=me, other=dan, kind="overdue")
    cooling = Nudge.objects.get(owner=me, other=cat, kind="cooling")
    assert selectors.nudges_for(viewer=member) == [overdue, cooling]

    services.nudge_dismiss(actor=member, nudge=overdue)
    services.nudge_snooze(actor=member, nudge=cooling, until=timezone.now() + dt.timedelta(days=3))
    suggestions[me.pk][0] = Suggestion(dan.pk, "overdue", "Last contact 57 days ago.", 4.0)
    assert services.nudges_refresh([me.pk]) == 0

    overdue.refresh_from_db()
    cooling.refresh_from_db()
    assert overdue.dismissed_at is not None  # dismissed stays dismissed
    assert overdue.reason == "Last contact 57 days ago." and overdue.priority == 4.0
    assert cooling.snoozed_until > timezone.now()  # snoozed stays hidden
    assert selectors.nudges_for(viewer=member) == []

    # The snooze runs out: the nudge is back.
    Nudge.objects.filter(pk=cooling.pk).update(
        snoozed_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert selectors.nudges_for(viewer=member) == [cooling]

    # Neither applies any more: both go (a later, new occurrence is news again).
    suggestions[me.pk] = [Suggestion(cat.pk, "follow_up", "Met once in May.", 2.0)]
    assert services.nudges_refresh([me.pk]) == 1
    assert list(Nudge.objects.filter(owner=me).values_list("kind", flat=True)) == ["follow_up"]


def test_refresh_leaves_other_owners_alone(member, other_member, people, suggestions):
    theirs = Nudge.objects.create(
        owner=other_member.person, other=people["cat"], kind="cooling", reason="r"
    )
    services.nudges_refresh([member.person_id])
    assert Nudge.objects.filter(pk=theirs.pk).exists()


def test_only_the_owner_dismisses_or_snoozes(member, other_member, people):
    nudge = Nudge.objects.create(
        owner=member.person, other=people["dan"], kind="overdue", reason="r"
    )
    with pytest.raises(NotFoundError):
        services.nudge_dismiss(actor=other_member, nudge=nudge)
    with pytest.raises(NotFoundError):
        services.nudge_snooze(actor=other_member, nudge=nudge)
    nudge.refresh_from_db()
    assert nudge.dismissed_at is None and nudge.snoozed_until is None


def test_snooze_defaults_to_two_weeks_and_refuses_the_past(member, people):
    nudge = Nudge.objects.create(
        owner=member.person, other=people["dan"], kind="overdue", reason="r"
    )
    before = timezone.now()
    services.nudge_snooze(actor=member, nudge=nudge)
    assert (
        dt.timedelta(days=13, hours=23)
        < nudge.snoozed_until - before
        <= dt.timedelta(days=14, minutes=1)
    )
    with pytest.raises(ValidationError):
        services.nudge_snooze(actor=member, nudge=nudge, until=before - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.nudge_snooze(actor=member, nudge=nudge, until=before + dt.timedelta(days=400))
    entry = AuditEntry.objects.filter(object_type="nudge").first()
    assert entry.actor == member and entry.subject_person_id == people["dan"].pk


# ---- Tiers ------------------------------------------------------------------------


def test_portfolio_set_tier_on_my_own_portfolio(member, people, suggestions):
    dan = people["dan"]
    entry = services.portfolio_set_tier(
        actor=member, other=dan, tier="strategic", note="Renewal in May"
    )
    assert (entry.owner_id, entry.other_id, entry.tier, entry.cadence_days) == (
        member.person_id,
        dan.pk,
        "strategic",
        None,
    )
    # Changing the tier keeps the note; a cadence overrides the tier's default.
    entry = services.portfolio_set_tier(actor=member, other=dan, tier="core", cadence_days=14)
    assert (entry.tier, entry.cadence_days, entry.note) == ("core", 14, "Renewal in May")
    assert PortfolioEntry.objects.count() == 1
    audit = AuditEntry.objects.filter(object_type="portfolio_entry").first()
    assert audit.actor == member and audit.subject_person_id == dan.pk
    # Nudges were refreshed for the owner after each change.
    assert [c["owner_id"] for c in suggestions["calls"]] == [member.person_id] * 2

    assert services.portfolio_set_tier(actor=member, other=dan, tier=None) is None
    assert not PortfolioEntry.objects.exists()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"tier": "vip"}, "tier"),
        ({"tier": "core", "cadence_days": 0}, "cadence_days"),
        ({"tier": "core", "cadence_days": 800}, "cadence_days"),
        ({"tier": "core", "note": "x" * 501}, "note"),
    ],
)
def test_portfolio_set_tier_validates(member, people, fields, field):
    with pytest.raises(ValidationError) as error:
        services.portfolio_set_tier(actor=member, other=people["dan"], **fields)
    assert field in error.value.message_dict


def test_nobody_tiers_themselves_or_without_a_person(member, analyst, people):
    with pytest.raises(ValidationError):
        services.portfolio_set_tier(actor=member, other=member.person, tier="core")
    with pytest.raises(NotFoundError):
        services.portfolio_set_tier(actor=analyst, other=people["dan"], tier="core")


# ---- The weekly digest --------------------------------------------------------------


def test_the_digest_lists_my_active_nudges(member, people):
    me, now = member.person, timezone.now()
    Nudge.objects.create(
        owner=me,
        other=people["dan"],
        kind="overdue",
        reason="Last contact 50 days ago.",
        priority=2,
    )
    Nudge.objects.create(
        owner=me, other=people["cat"], kind="cooling", reason="Fewer contacts lately.", priority=5
    )
    hidden = factories.PersonFactory(full_name="Hal Hidden")
    Nudge.objects.create(owner=me, other=hidden, kind="cooling", reason="r", dismissed_at=now)

    assert services.nudge_digest_send(owner=me) == 2

    [message] = mail.outbox
    assert message.to == [me.primary_email]
    assert "2 relationships" in message.subject
    body = message.body
    assert "Cat Colleague" in body and "Fewer contacts lately." in body
    assert "Dan Client (Clientco)" in body and "Last contact 50 days ago." in body
    assert body.index("Cat Colleague") < body.index("Dan Client")  # most pressing first
    assert "Hal Hidden" not in body
    assert "/network/" in body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and "<strong>Dan Client</strong>" in html
    assert AuditEntry.objects.filter(object_type="nudge_digest", subject_person_id=me.pk).exists()


def test_digests_go_to_people_with_logins_and_nudges(member, other_member, people):
    Nudge.objects.create(owner=member.person, other=people["dan"], kind="overdue", reason="r")
    # Dan has no login: no digest for his nudges.
    Nudge.objects.create(owner=people["dan"], other=people["cat"], kind="overdue", reason="r")

    assert services.nudge_digests_send_all(dry_run=True) == {member.person_id: 1}
    assert mail.outbox == []
    assert services.nudge_digests_send_all() == {member.person_id: 1}
    assert [m.to for m in mail.outbox] == [[member.person.primary_email]]


def test_no_nudges_no_digest(member):
    assert services.nudge_digest_send(owner=member.person) == 0
    assert mail.outbox == []
