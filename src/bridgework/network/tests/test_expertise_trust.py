"""Issue 13, item 7 for expertise search: it shows paths too, so the same rules hold.

* of a tie between two other people a result's path shows only that it exists
  (the searcher's own first tie keeps its band), and no reach figure is given
  beyond a direct tie;
* nobody who asked not to be an introducer is on a path, though they are found
  as experts themselves;
* each login may search ``EXPERTISE_QUERIES_PER_HOUR`` times an hour (default
  120, ``BRIDGEWORK_EXPERTISE_QUERIES_PER_HOUR``); beyond that a 429;
* every search is audited: who asked, what, how many found.

The people and ties are those of :class:`~bridgework.network.tests.test_expertise.Experts`.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from bridgework import factories
from bridgework.accounts.models import AuditEntry
from bridgework.accounts.services import api_token_create
from bridgework.network.expertise import expertise_search
from bridgework.network.preferences import network_preference_set
from bridgework.network.selectors import tie_graph_cache_clear
from bridgework.network.tests.test_expertise import Experts, by_person

pytestmark = pytest.mark.django_db

API = "/api/people/expertise"


@pytest.fixture(autouse=True)
def _fresh_tie_graph():
    tie_graph_cache_clear()
    yield
    tie_graph_cache_clear()


@pytest.fixture
def experts(member):
    return Experts(member)


def bearer(user) -> dict[str, str]:
    _, raw = api_token_create(user=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


def opt_out(person) -> None:
    login = factories.UserFactory(username=f"login-{person.pk}", person=person)
    network_preference_set(actor=login, introducer_opt_out=True)


def test_an_opted_out_go_between_leaves_the_paths_but_stays_an_expert(member, experts):
    # Ed is reached only through Priya and Quin (me 0.8 Priya 0.5 Quin 0.5 Ed).
    opt_out(experts.priya)

    rows = by_person(expertise_search(viewer=member, query="python"))

    assert (rows["Priya Python"]["hops"], rows["Priya Python"]["reach"]) == (1, "direct tie")
    ed = rows["Ed External"]
    assert (ed["hops"], ed["path"], ed["reach_percent"]) == (None, [], 0)
    # Carl's path (me-Ann-Carl) never needed Priya.
    assert rows["Carl Contractor"]["hops"] == 2


def test_an_opted_out_person_further_along_is_held_back_too(member, experts):
    opt_out(experts.quin)
    rows = by_person(expertise_search(viewer=member, query="python"))
    assert rows["Ed External"]["hops"] is None
    # Quin can still be found as an expert, through Priya.
    experts.quin.title = "Python reviewer"
    experts.quin.save()
    (quin,) = [row for row in expertise_search(viewer=member, query="reviewer") if row["hops"] == 2]
    assert [step["person"] for step in quin["path"]] == [experts.priya, experts.quin]


def test_nothing_in_a_result_tells_a_band_between_other_people(client, member, experts):
    body = client.get(f"{API}?q=python", headers=bearer(member)).json()
    for row in body:
        if not row["path"]:
            continue
        mine, *theirs = row["path"]
        assert mine["tie"] in ("strong", "regular", "occasional")
        assert all(step["tie"] is None for step in theirs)
        assert row["reach_percent"] is None if theirs else isinstance(row["reach_percent"], int)
    assert "SECRET" not in json.dumps(body)


def test_searching_over_and_over_stops_at_the_hourly_limit(client, member, experts):
    headers = bearer(member)
    words = ["python", "data", "sql", "engineer", "trainer"]

    statuses = [
        client.get(f"{API}?q={words[n % 5]}{n}", headers=headers).status_code for n in range(125)
    ]

    # 120: the documented default of BRIDGEWORK_EXPERTISE_QUERIES_PER_HOUR.
    assert statuses == [200] * 120 + [429] * 5
    assert settings.EXPERTISE_QUERIES_PER_HOUR == 120
    refused = client.get(f"{API}?q=python", headers=headers)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "limit of 120 expertise searches an hour" in refused.json()["detail"]
    # An empty search asks nothing and is not refused; someone else is unaffected.
    assert client.get(API, headers=headers).status_code == 200
    other = factories.UserFactory(username="olga")
    assert client.get(f"{API}?q=python", headers=bearer(other)).status_code == 200


@override_settings(EXPERTISE_QUERIES_PER_HOUR=2)
def test_the_page_answers_a_clear_429_and_htmx_gets_the_message(member_client, experts):
    url = reverse("network:expertise")
    for query in ("python", "sql"):
        assert member_client.get(f"{url}?q={query}").status_code == 200
    assert member_client.get(url).status_code == 200  # the empty page asks nothing

    page = member_client.get(f"{url}?q=data")
    partial = member_client.get(f"{url}?q=data", headers={"HX-Request": "true"})

    assert page.status_code == 429 and "limit of 2 expertise searches an hour" in page.text
    assert "<html" in page.text and "Priya Python" not in page.text
    assert partial.status_code == 429 and "<html" not in partial.text
    assert "Too many look-ups for now" in partial.text
    assert "HX-Request" in partial["Vary"]


def test_every_search_is_audited(client, member, experts):
    headers = bearer(member)
    client.get(f"{API}?q=python", headers=headers)
    client.get(f"{API}?skill={experts.data.pk}", headers=headers)
    client.get(f"{API}?q=cobol", headers=headers)
    client.get(API, headers=headers)  # nothing asked: nothing searched, nothing written

    entries = AuditEntry.objects.filter(actor=member, object_type="expertise_search")
    # python: Priya, me, Carl, Ed, three with a path (not me); Data: Priya, me,
    # Carl, Alma (unreachable), two with a path (see Experts).
    assert [(e.action, e.detail) for e in entries.order_by("id")] == [
        ("view", {"query": "python", "skill": None, "results": 4, "paths": 3}),
        ("view", {"query": "", "skill": experts.data.pk, "results": 4, "paths": 2}),
        ("view", {"query": "cobol", "skill": None, "results": 0, "paths": 0}),
    ]
