"""A leader cannot move a group across the privacy threshold (issue 13, item 1).

DESIGN.md: "no aggregate over fewer than 5 people other than the viewer ... is
shown, whatever the viewer does (joining a group, changing their own consent)".
The organization of ``conftest.py`` gets two more teams: Delta, four people
(plus, in the attack, the leader's own person), and Epsilon, three people, so
that Gamma and Epsilon together hold five and the complement rule does not
hide Delta on its own: without the viewer rule, Delta would be shown.
"""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from bridgework import factories
from bridgework.accounts.models import Role
from bridgework.analysis import selectors
from bridgework.analysis.services import analysis_start
from bridgework.people.models import Person

from .conftest import tie
from .test_api import get

pytestmark = pytest.mark.django_db


@pytest.fixture
def delta(org):
    """Delta: four colleagues in a clique, tied to Alpha and Beta; Epsilon: three."""
    teams = {name: factories.TeamFactory(name=name) for name in ("Delta", "Epsilon")}
    four = [
        factories.PersonFactory(full_name=f"Delta Person {i}", team=teams["Delta"])
        for i in range(4)
    ]
    three = [
        factories.PersonFactory(full_name=f"Epsilon Person {i}", team=teams["Epsilon"])
        for i in range(3)
    ]
    for x, y in itertools.combinations(four, 2):
        tie(x, y, 0.6)
    for x, y in itertools.combinations(three, 2):
        tie(x, y, 0.6)
    for i, person in enumerate(four):
        tie(person, org.a[i], 0.3)
        tie(person, org.b[i], 0.3)
    tie(three[0], org.b[4], 0.3)
    return {"team": teams["Delta"], "people": four}


@pytest.fixture
def enrolled_leader(delta):
    """A leader whose own person joins Delta (consenting), making it five."""
    person = factories.PersonFactory(full_name="Lena Leader", team=delta["team"])
    for colleague in delta["people"]:
        tie(person, colleague, 0.6)
    return factories.UserFactory(username="lena", roles=[Role.LEADER], person=person)


def _run():
    run = analysis_start(run_now=True)
    assert run.status == "succeeded", run.error
    return run


def _everything_a_leader_reads(client, user) -> str:
    client.force_login(user)
    pages = [
        client.get(reverse("analysis:organization")),
        client.get(reverse("analysis:report", args=["html"]) + "?audience=leader"),
        client.get(reverse("analysis:map", args=["groups"])),
    ]
    api = [
        get(client, "/api/analysis/groups", user),
        get(client, "/api/analysis/map/groups", user),
    ]
    for response in pages + api:
        assert response.status_code == 200, response
    return "\n".join(r.content.decode() for r in pages + api)


def test_a_leader_who_joins_a_four_person_team_does_not_see_it(
    client, org, delta, enrolled_leader, leader
):
    _run()
    # Delta has five members; for the leader in it, four are other people.
    _, view = selectors.group_view(viewer=enrolled_leader)
    assert "Delta" not in set(view.teams["group"])
    assert "Delta" not in _everything_a_leader_reads(client, enrolled_leader)
    # Another leader, outside Delta, sees five other people there.
    _, view = selectors.group_view(viewer=leader)
    assert "Delta" in set(view.teams["group"])
    assert "Delta" in _everything_a_leader_reads(client, leader)


def test_the_leaders_own_consent_moves_delta_across_nothing(client, org, delta, enrolled_leader):
    person = enrolled_leader.person
    for consent in (False, True, False, True):
        Person.objects.filter(pk=person.pk).update(analytics_consent=consent)
        _run()
        assert "Delta" not in _everything_a_leader_reads(client, enrolled_leader), consent


def test_the_page_and_api_withhold_figures_one_person_makes(client, org, ran, leader):
    # From the ties of conftest.py: Beta's b[2] is the only link to Gamma, so
    # without them Gamma's two people are cut off; no one else cuts off more
    # than one. The largest number is b[2]'s own: withheld.
    body = get(client, "/api/analysis/groups", leader).json()
    assert body["risk"]["people_who_hold_others_connected"] == 2  # b[2] and Gamma's c[0]
    assert body["risk"]["largest_cut_off"] is None
    assert "largest_cut_off" in body["withheld"]
    # Alpha's ties out are Ada's and Carl's, Beta's those of Bo, b[1] and b[2]:
    # fewer than 5 holders each, so whichever is shown has none of its outside
    # figures, no cell of the matrix with another team, and is named as such.
    [team] = body["teams"]
    assert team["outside_withheld"] is True
    assert team["external_ties"] is None and team["ei_index"] is None
    assert team["partner_groups"] is None and team["external_direct"] is None
    assert body["risk"]["teams_with_few_outside_links"] == [team["group"]]
    client.force_login(leader)
    html = client.get(reverse("analysis:organization")).content.decode()
    assert "the largest number one departure cuts off is not shown: fewer than 5" in html
    assert "not shown: fewer than 5 members hold ties outside the team" in html
