"""End-to-end journey in real headless Chromium (Debian's package, never downloaded).

The demo member signs in, opens My network, logs a meeting with two
colleagues, and finds it on both colleagues' profiles.
"""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_member_logs_an_interaction_with_two_colleagues(live_server, browser_page):
    from bridgework.core.demo.generator import DEMO_PASSWORD
    from bridgework.demo import demo_load
    from bridgework.people.models import Person

    demo_load(today=dt.date.today())
    member = Person.objects.get(user__username="member")
    colleagues = list(
        Person.objects.filter(team=member.team).exclude(pk=member.pk).order_by("full_name")[:2]
    )
    assert len(colleagues) == 2
    page = browser_page

    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Username").fill("member")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", name="My network").is_visible()

    page.get_by_role("link", name="Log interaction").first.click()
    page.wait_for_url("**/interactions/new/**")
    page.get_by_label("Channel").select_option("meeting")
    page.get_by_label("Duration (minutes)").fill("45")
    participants = page.locator("#id_participants")
    for colleague in colleagues:
        page.locator("[data-filter-for=id_participants]").fill(colleague.full_name)
        option = participants.locator("option", has_text=colleague.full_name).first
        values = participants.evaluate("s => Array.from(s.selectedOptions).map(o => o.value)")
        participants.select_option([*values, option.get_attribute("value")])
    page.get_by_label("Private note").fill("Planning the Q1 partner pitch")
    page.get_by_role("button", name="Log interaction").click()
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() == 0, page.content()

    from bridgework.interactions.models import Interaction

    logged = Interaction.objects.get(private_note="Planning the Q1 partner pitch")
    assert logged.channel == "meeting" and logged.duration_minutes == 45
    assert set(logged.participants.values_list("pk", flat=True)) == {
        member.pk,
        *(c.pk for c in colleagues),
    }

    for colleague in colleagues:
        page.goto(f"{live_server.url}/people/{colleague.pk}/")
        interactions = page.get_by_role("region", name="Interactions you can see")
        assert interactions.get_by_text("Planning the Q1 partner pitch").is_visible()
        for other in colleagues:
            assert interactions.get_by_text(other.full_name).first.is_visible()
