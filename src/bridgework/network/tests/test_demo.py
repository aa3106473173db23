"""The demo member's network after ``demo_load``: ties, tiers and nudges to show."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db.models import Q
from django.urls import reverse

from bridgework.accounts.models import User
from bridgework.demo import demo_load
from bridgework.network import selectors
from bridgework.network.models import Nudge, PortfolioEntry, Tie, TieRecompute

pytestmark = pytest.mark.django_db


def test_the_demo_member_has_a_meaningful_portfolio(client):
    demo_load(seed=7)

    member = User.objects.select_related("person").get(username="member")
    me = member.person
    run = TieRecompute.objects.get(reason="demo")
    assert run.status == "succeeded" and run.ties_written > 1000
    ties = Tie.objects.filter(Q(person_a=me) | Q(person_b=me))
    assert ties.count() > 20
    assert len(set(ties.values_list("band", flat=True))) >= 3

    tiers = Counter(PortfolioEntry.objects.filter(owner=me).values_list("tier", flat=True))
    assert tiers["core"] == 3 and tiers["strategic"] >= 1 and tiers["wider"] >= 1
    assert PortfolioEntry.objects.filter(owner=me, other=me.manager, tier="core").exists()

    nudges = Counter(
        Nudge.objects.filter(owner=me, dismissed_at__isnull=True).values_list("kind", flat=True)
    )
    assert sum(nudges.values()) >= 1
    assert nudges["overdue"] + nudges["cooling"] >= 1

    summary = selectors.portfolio_summary(viewer=member)
    assert summary.active > 10 and len(summary.by_organization) >= 2

    client.force_login(member)
    page = client.get(reverse("network:portfolio"))
    assert page.status_code == 200 and b"Snooze 2 weeks" in page.content
