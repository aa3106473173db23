"""The "My relationships" page, its htmx actions, and the home page's nudges card."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bridgework import factories
from bridgework.network.models import Nudge, PortfolioEntry, TieRecompute

from .conftest import make_tie

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ties(member, other_member):
    me = member.person
    ann = factories.PersonFactory(full_name="Ann Strong")
    bob = factories.PersonFactory(full_name="Bob Regular")
    make_tie(me, ann, 0.91, band="strong", trend="rising", explanation="0.91: 14 two-way e-mails")
    make_tie(me, bob, 0.55, band="regular", trend="cooling", days_ago=45)
    make_tie(ann, bob, 0.77, band="strong")  # between two others: never shown to Mia
    Nudge.objects.create(owner=me, other=bob, kind="cooling", reason="Fewer contacts lately.")
    Nudge.objects.create(
        owner=other_member.person, other=ann, kind="overdue", reason="OSCARS-NUDGE"
    )
    return {"ann": ann, "bob": bob}


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("network:portfolio"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_portfolio_page_shows_my_ranked_explained_ties(member_client, ties):
    response = member_client.get(reverse("network:portfolio"))

    assert response.status_code == 200
    html = response.content.decode()
    table = html[html.index('id="portfolio-results"') :]
    assert table.index("Ann Strong") < table.index("Bob Regular")
    assert "0.91" in html and "0.91: 14 two-way e-mails" in html
    assert 'class="band band--strong"' in html and "Rising" in html and "Cooling" in html
    assert "<meter" in html and "2</strong> active relationships" in html
    assert "inside your own team" in html
    assert "Fewer contacts lately." in html and "Snooze 2 weeks" in html
    assert "0.77" not in html  # the tie between Ann and Bob
    assert "OSCARS-NUDGE" not in html


def test_filters_and_the_htmx_partial(member_client, ties):
    response = member_client.get(reverse("network:portfolio"), {"band": "regular"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Bob Regular" in html and "Ann Strong" not in html
    assert "1 relationship matches the filters" in html


def test_a_login_without_a_person_sees_an_explanation(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse("network:portfolio"))
    assert response.status_code == 200
    assert "not linked to a person" in response.content.decode()
    assert "Recompute all ties" in response.content.decode()  # analysts may recompute


def test_setting_a_tier_with_htmx_returns_the_row(member_client, member, ties):
    bob = ties["bob"]
    url = reverse("network:portfolio_tier", args=[bob.pk])
    response = member_client.post(url, {"tier": "core", "cadence_days": "14"}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<tr id="tie-{bob.pk}"') and "Saved" in html
    assert "every 14 days" in html and "Overdue" in html  # 45 days since contact
    entry = PortfolioEntry.objects.get(owner=member.person, other=bob)
    assert (entry.tier, entry.cadence_days) == ("core", 14)


def test_setting_a_tier_without_javascript_redirects_back(member_client, member, ties):
    url = reverse("network:portfolio_tier", args=[ties["ann"].pk])
    back = reverse("network:portfolio") + "?sort=name"
    response = member_client.post(url, {"tier": "strategic", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    assert PortfolioEntry.objects.get(owner=member.person).tier == "strategic"

    response = member_client.post(url, {"tier": "", "next": "https://evil.example/"})
    assert response["Location"] == reverse("network:portfolio")
    assert not PortfolioEntry.objects.exists()


def test_an_invalid_cadence_is_refused_beside_the_row(member_client, ties):
    url = reverse("network:portfolio_tier", args=[ties["ann"].pk])
    response = member_client.post(url, {"tier": "core", "cadence_days": "0"}, **HTMX)
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert not PortfolioEntry.objects.exists()


def test_nobody_changes_anyone_elses_portfolio(
    member_client, member, other_member, ties, client, analyst
):
    theirs = PortfolioEntry.objects.create(
        owner=other_member.person, other=ties["ann"], tier="wider"
    )
    # The URL names the other person of *my* portfolio; there is no way to address Oscar's.
    member_client.post(reverse("network:portfolio_tier", args=[ties["ann"].pk]), {"tier": "core"})
    theirs.refresh_from_db()
    assert theirs.tier == "wider"
    assert PortfolioEntry.objects.get(owner=member.person).tier == "core"
    # Myself, someone who does not exist, and a login without a person: 404.
    for person_id in (member.person_id, 999_999):
        url = reverse("network:portfolio_tier", args=[person_id])
        assert member_client.post(url, {"tier": "core"}).status_code == 404
    client.force_login(analyst)
    url = reverse("network:portfolio_tier", args=[ties["ann"].pk])
    assert client.post(url, {"tier": "core"}).status_code == 404


def test_dismiss_and_snooze_my_nudges(member_client, member, ties):
    nudge = Nudge.objects.get(owner=member.person)
    url = reverse("network:nudge_snooze", args=[nudge.pk])
    response = member_client.post(url, {"limit": "5"}, **HTMX)
    assert response.status_code == 200
    assert "No nudges right now" in response.content.decode()
    nudge.refresh_from_db()
    assert nudge.snoozed_until is not None

    response = member_client.post(reverse("network:nudge_dismiss", args=[nudge.pk]))
    assert response.status_code == 302
    nudge.refresh_from_db()
    assert nudge.dismissed_at is not None


def test_someone_elses_nudge_is_not_found(member_client, other_member, ties):
    theirs = Nudge.objects.get(owner=other_member.person)
    for name in ("network:nudge_dismiss", "network:nudge_snooze"):
        assert member_client.post(reverse(name, args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.dismissed_at is None and theirs.snoozed_until is None


def test_only_analysts_and_admins_start_a_recompute(member_client, client, analyst, monkeypatch):
    queued = []
    monkeypatch.setattr("bridgework.network.services._enqueue", queued.append)
    assert member_client.post(reverse("network:recompute")).status_code == 404
    client.force_login(analyst)
    with_commit = client.post(reverse("network:recompute"))
    assert with_commit.status_code == 302
    run = TieRecompute.objects.get()
    assert (run.kind, run.status, run.started_by) == ("full", "queued", analyst)


def test_the_home_page_shows_my_nudges_and_links_the_portfolio(member_client, ties):
    html = member_client.get(reverse("people:home")).content.decode()
    assert "Nudges" in html and "Fewer contacts lately." in html
    assert "See my whole portfolio" in html and reverse("network:portfolio") in html
    assert "OSCARS-NUDGE" not in html


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("network:portfolio")).status_code == 200
    return len(context.captured_queries)


def test_the_portfolio_page_needs_the_same_queries_for_many_ties(member_client, member, ties):
    few = _queries(member_client)
    for n in range(20):
        other = factories.PersonFactory(full_name=f"Extra {n:02d}")
        make_tie(member.person, other, 0.3, band="occasional")
        PortfolioEntry.objects.create(owner=member.person, other=other, tier="wider")
        Nudge.objects.create(owner=member.person, other=other, kind="overdue", reason="r")
    assert _queries(member_client) == few
    assert few <= 20
