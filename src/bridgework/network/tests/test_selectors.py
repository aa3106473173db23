"""Portfolio, summary, nudges and the internal tie graph, on a small hand-built network.

Every expected number below is counted by hand from the ties in ``network``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.models import AuditEntry
from bridgework.core.errors import NotFoundError
from bridgework.network import selectors
from bridgework.network.models import Nudge, PortfolioEntry, TieRecompute
from bridgework.people.models import EngagementType, Organization

from .conftest import make_tie

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(member, other_member):
    """Mia (the member) in team Alpha, with ties to seven people and one tiered
    person she has no contact with; plus a tie between two others."""
    me = member.person
    ours = me.organization
    alpha = factories.TeamFactory(name="Alpha", organization=ours)
    beta = factories.TeamFactory(name="Beta", organization=ours)
    me.team = alpha
    me.save()
    client_org = factories.OrganizationFactory(name="Clientco", kind=Organization.Kind.CLIENT)
    agency = factories.OrganizationFactory(name="Agency", kind=Organization.Kind.SUPPLIER)
    P = factories.PersonFactory
    people = {
        "ann": P(full_name="Ann Alpha", team=alpha),
        "bob": P(full_name="Bob Alpha", team=alpha),
        "cat": P(full_name="Cat Beta", team=beta),
        "dan": P(
            full_name="Dan Client",
            organization=client_org,
            engagement_type=EngagementType.CLIENT,
        ),
        "eve": P(
            full_name="Eve Alumna",
            organization=None,
            team=alpha,
            engagement_type=EngagementType.ALUMNI,
            engagement_end=dt.date(2024, 1, 31),
        ),
        "fay": P(
            full_name="Fay Contractor",
            organization=agency,
            team=beta,
            engagement_type=EngagementType.CONTRACTOR,
        ),
        "gus": P(full_name="Gus Tiered", team=beta),
    }
    make_tie(me, people["ann"], 0.9, band="strong", trend="rising", days_ago=3)
    make_tie(me, people["bob"], 0.6, band="regular", days_ago=12)
    make_tie(me, people["cat"], 0.4, band="occasional", trend="cooling", days_ago=40)
    make_tie(me, people["dan"], 0.3, band="occasional", days_ago=10)
    make_tie(me, people["eve"], 0.1, band="dormant", trend="cooling", days_ago=300)
    make_tie(me, people["fay"], 0.5, band="regular", days_ago=20)
    make_tie(people["ann"], people["bob"], 0.8, band="strong")  # not Mia's
    PortfolioEntry.objects.create(owner=me, other=people["ann"], tier="core")
    PortfolioEntry.objects.create(owner=me, other=people["dan"], tier="strategic", cadence_days=5)
    PortfolioEntry.objects.create(owner=me, other=people["gus"], tier="core")
    # Oscar's portfolio must never show up in Mia's.
    PortfolioEntry.objects.create(owner=other_member.person, other=people["cat"], tier="core")
    return people


def names(rows):
    return [row.other.full_name.split()[0] for row in rows]


def test_portfolio_ranks_my_ties_by_strength(member, network):
    rows = selectors.portfolio(viewer=member)

    assert names(rows) == ["Ann", "Bob", "Fay", "Cat", "Dan", "Eve", "Gus"]
    ann, *_, gus = rows
    assert (ann.strength, ann.band, ann.trend, ann.tier, ann.cadence_days) == (
        0.9,
        "strong",
        "rising",
        "core",
        30,
    )
    assert ann.days_since_contact == 3 and not ann.overdue
    # Gus is in a tier but there is no contact at all: overdue, no strength.
    assert (gus.tie, gus.strength, gus.band, gus.overdue) == (None, 0.0, "", True)
    assert gus.explanation == "No contact recorded yet."


def test_overdue_follows_the_own_cadence(member, network):
    rows = {row.other.full_name: row for row in selectors.portfolio(viewer=member)}
    dan = rows["Dan Client"]
    assert (dan.tier, dan.cadence_days, dan.cadence_override, dan.days_since_contact) == (
        "strategic",
        5,
        5,
        10,
    )
    assert dan.overdue
    assert not rows["Eve Alumna"].overdue  # no tier: nothing is due
    assert [r.other.full_name for r in selectors.portfolio(viewer=member, overdue=True)] == [
        "Dan Client",
        "Gus Tiered",
    ]


@pytest.mark.parametrize(
    "filters, expected",
    [
        ({"band": "regular"}, ["Bob", "Fay"]),
        ({"band": "none"}, ["Gus"]),
        ({"tier": "core"}, ["Ann", "Gus"]),
        ({"tier": "none"}, ["Bob", "Fay", "Cat", "Eve"]),
        ({"sort": "name"}, ["Ann", "Bob", "Cat", "Dan", "Eve", "Fay", "Gus"]),
        ({"sort": "tier"}, ["Ann", "Gus", "Dan", "Bob", "Fay", "Cat", "Eve"]),
        ({"sort": "last_contact"}, ["Gus", "Eve", "Cat", "Fay", "Bob", "Dan", "Ann"]),
        ({"sort": "nonsense"}, ["Ann", "Bob", "Fay", "Cat", "Dan", "Eve", "Gus"]),
    ],
)
def test_portfolio_filters_and_orders(member, network, filters, expected):
    assert names(selectors.portfolio(viewer=member, **filters)) == expected


def test_summary_counts_capacity_bands_and_mix(member, network):
    summary = selectors.portfolio_summary(viewer=member)

    # Active: Ann, Bob, Cat, Dan, Fay (Eve is dormant; Gus has no tie).
    assert (summary.ties, summary.active, summary.capacity) == (6, 5, 150)
    assert summary.capacity_percent == 3  # 5 / 150
    assert summary.bands == {"strong": 1, "regular": 2, "occasional": 2, "dormant": 1}
    assert summary.tiers == {"core": 2, "strategic": 1, "wider": 0}
    assert summary.overdue == 2  # Dan (5-day cadence, 10 days) and Gus (never)

    def mix(rows):
        return [(row.label, row.count, round(row.share, 2)) for row in rows]

    assert mix(summary.by_engagement) == [
        ("Employee, full-time", 3, 0.6),  # Ann, Bob, Cat
        ("Client", 1, 0.2),
        ("Contractor", 1, 0.2),
    ]
    assert mix(summary.by_organization) == [
        ("Ourco", 3, 0.6),
        ("Agency", 1, 0.2),
        ("Clientco", 1, 0.2),
    ]
    # Fay the contractor works in Beta; Dan the client is in none of our teams.
    assert mix(summary.by_team) == [
        ("Alpha", 2, 0.4),
        ("Beta", 2, 0.4),
        ("Not in one of our teams", 1, 0.2),
    ]
    assert summary.own_team == "Alpha"
    assert (summary.inside_own_team, summary.inside_own_team_percent) == (2, 40)


def test_an_empty_network_has_an_empty_summary(member):
    summary = selectors.portfolio_summary(viewer=member)
    assert (summary.ties, summary.active, summary.capacity_percent) == (0, 0, 0)
    assert summary.by_engagement == [] and summary.inside_own_team_share == 0.0


def test_a_member_sees_only_their_own_portfolio(member, other_member, network):
    with pytest.raises(NotFoundError):
        selectors.portfolio(viewer=member, person_id=other_member.person_id)
    with pytest.raises(NotFoundError):
        selectors.portfolio_summary(viewer=member, person_id=network["ann"].pk)
    # Oscar has no ties; Mia's ties never appear in his portfolio.
    assert names(selectors.portfolio(viewer=other_member)) == ["Cat"]
    assert selectors.portfolio(viewer=other_member)[0].tie is None


def test_an_admin_may_look_and_it_is_audited(admin_user, member, network):
    rows = selectors.portfolio(viewer=admin_user, person_id=member.person_id)
    assert names(rows)[0] == "Ann"
    entry = AuditEntry.objects.get(object_type="portfolio")
    assert (entry.actor, entry.action, entry.subject_person_id) == (
        admin_user,
        AuditEntry.Action.VIEW,
        member.person_id,
    )
    with pytest.raises(NotFoundError):
        selectors.portfolio(viewer=admin_user, person_id=999_999)


def test_logins_without_a_person_have_no_portfolio(analyst):
    with pytest.raises(NotFoundError):
        selectors.portfolio(viewer=analyst)
    assert selectors.nudges_for(viewer=analyst) == []


def test_withdrawn_consent_hides_ties_at_once(member, network):
    cat = network["cat"]
    cat.analytics_consent = False
    cat.save()
    assert "Cat" not in names(selectors.portfolio(viewer=member))
    assert selectors.tie_between(member.person_id, cat.pk) is None
    assert cat.pk not in selectors.tie_graph()


def test_nudges_for_shows_only_my_active_nudges(member, other_member, network):
    me, now = member.person, timezone.now()
    make = Nudge.objects.create
    overdue = make(owner=me, other=network["dan"], kind="overdue", reason="r", priority=3)
    cooling = make(owner=me, other=network["cat"], kind="cooling", reason="r", priority=5)
    make(owner=me, other=network["eve"], kind="cooling", reason="r", dismissed_at=now)
    make(
        owner=me,
        other=network["bob"],
        kind="cooling",
        reason="r",
        snoozed_until=now + dt.timedelta(days=3),
    )
    woke = make(
        owner=me,
        other=network["fay"],
        kind="cooling",
        reason="r",
        priority=1,
        snoozed_until=now - dt.timedelta(minutes=1),
    )
    theirs = make(owner=other_member.person, other=network["cat"], kind="overdue", reason="r")

    assert selectors.nudges_for(viewer=member) == [cooling, overdue, woke]
    assert selectors.nudges_for(viewer=member, limit=2) == [cooling, overdue]
    assert selectors.access_nudge(viewer=member, nudge_id=overdue.pk) == overdue
    with pytest.raises(NotFoundError):
        selectors.access_nudge(viewer=member, nudge_id=theirs.pk)


def test_tie_graph_holds_every_tie_and_is_rebuilt_after_a_recompute(member, network):
    graph = selectors.tie_graph()
    me = member.person_id
    assert graph.number_of_edges() == 7
    assert graph.strength(me, network["ann"].pk) == pytest.approx(0.9)
    assert graph.strength(network["ann"].pk, network["bob"].pk) == pytest.approx(0.8)
    assert selectors.tie_graph() is graph  # cached

    make_tie(network["cat"], network["dan"], 0.2, band="occasional")
    TieRecompute.objects.create(kind="full", status="succeeded", finished_at=timezone.now())
    rebuilt = selectors.tie_graph()
    assert rebuilt is not graph and rebuilt.number_of_edges() == 8


def test_tie_between_either_order(member, network):
    me, ann = member.person, network["ann"]
    assert selectors.tie_between(me.pk, ann.pk) == selectors.tie_between(ann.pk, me.pk)
    assert selectors.tie_between(me.pk, ann.pk).strength == 0.9
    assert selectors.tie_between(me.pk, network["gus"].pk) is None
    assert selectors.tie_between(me.pk, me.pk) is None
