"""Journey in real headless Chromium: the organization's network as a leader,
an analyst and a member meet it on the demo organization."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = [pytest.mark.browser]


def _log_in(page, base: str, username: str) -> None:
    from bridgework.core.demo.generator import DEMO_PASSWORD

    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")


def _map_ready(page, index: int = 0) -> dict:
    # A function, not an expression: Playwright evaluates an expression with
    # eval, which the pages' Content-Security-Policy refuses.
    page.wait_for_function(
        f"() => window.bridgeworkMaps && window.bridgeworkMaps[{index}] && window.bridgeworkMaps[{index}].loaded"
    )
    return page.evaluate(
        f"""async () => {{
            const map = window.bridgeworkMaps[{index}];
            const ok = await map.ready;
            return {{ok, nodes: map.nodeCount, edges: map.edgeCount, error: map.error}};
        }}"""
    )


@pytest.mark.django_db(transaction=True)
def test_leader_analyst_and_member_see_the_network_each_their_way(live_server, browser_page):
    from bridgework.analysis.models import PersonMetric
    from bridgework.demo import demo_load
    from bridgework.people.models import Person

    demo_load(today=dt.date.today())
    page = browser_page
    base = live_server.url

    # The leader: groups only, a team map, findings, no names.
    _log_in(page, base, "leader")
    page.get_by_role("link", name="Organization").click()
    page.wait_for_url(f"{base}/analysis/")
    assert page.get_by_role("heading", name="Key findings").is_visible()
    shown_teams = page.locator("#teams-title + table tbody tr").count()
    state = _map_ready(page)
    assert state["ok"] and state["nodes"] == shown_teams > 3, state
    broker = PersonMetric.objects.order_by("betweenness_rank").first().person
    assert broker.full_name not in page.content()

    # The analyst: everyone on the map; find the top broker and focus on them.
    _log_in(page, base, "analyst")
    page.goto(f"{base}/analysis/people/")
    state = _map_ready(page)
    consenting = Person.objects.filter(analytics_consent=True).count()
    assert state["ok"] and state["nodes"] == consenting, state
    page.get_by_placeholder("Type a name").fill(broker.full_name)
    page.get_by_placeholder("Type a name").press("Enter")
    page.wait_for_function(f"() => window.bridgeworkMaps[0].focused === '{broker.pk}'")
    visible = page.evaluate("window.bridgeworkMaps[0].visibleNodeCount")
    metric = PersonMetric.objects.filter(person=broker).latest("run_id")
    assert visible == 1 + metric.degree
    assert page.get_by_role("link", name=broker.full_name).first.is_visible()

    # The member: their own network position and ego map on their profile.
    _log_in(page, base, "member")
    me = Person.objects.get(user__username="member")
    page.goto(f"{base}/people/{me.pk}/")
    assert page.get_by_role("heading", name="Network position").is_visible()
    state = _map_ready(page)
    mine = PersonMetric.objects.filter(person=me).latest("run_id")
    assert state["ok"] and state["nodes"] == 1 + mine.degree, state
