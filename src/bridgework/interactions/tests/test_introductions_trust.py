"""Issue 13, item 7 (and item 11 for paths): introduction paths must not map other
people's ties.

The attack that was found: a member called ``/api/introductions/paths`` for
every person and read 402 of 2,922 ties between other people, with their
strength bands, in 12 seconds, unaudited. The rules these tests hold the code
to (``docs/introductions-and-expertise.md``):

* of a tie between two other people a path shows only that it exists: no band,
  strength, counts or chance figure (the viewer's own first tie keeps its band);
* each login may look up paths ``PATH_QUERIES_PER_HOUR`` times an hour (default
  60, ``BRIDGEWORK_PATH_QUERIES_PER_HOUR``), pages and API together; beyond
  that a 429 with a message;
* every look-up is audited: who asked, the target, how many paths, never the paths;
* people who asked not to be introducers are on nobody's path and cannot be
  asked, but can still be reached;
* someone who withdraws analytics consent is off every path at once.

The expected paths come from the hand-built network of
:class:`~bridgework.interactions.tests.test_introductions.Network`, worked out
in its docstring; the limit from the documented default.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from bridgework import factories
from bridgework.accounts.models import AuditEntry
from bridgework.accounts.services import api_token_create
from bridgework.interactions import selectors, services
from bridgework.interactions.models import IntroductionRequest
from bridgework.interactions.tests.test_introductions import Network, tie
from bridgework.network.preferences import network_preference_set
from bridgework.network.selectors import tie_graph_cache_clear
from bridgework.people.services import person_update

pytestmark = pytest.mark.django_db

PATHS = "/api/introductions/paths"
#: The band words a path could give away a tie with.
BANDS = ("strong", "regular", "occasional", "dormant")


@pytest.fixture(autouse=True)
def _fresh_tie_graph():
    tie_graph_cache_clear()
    yield
    tie_graph_cache_clear()


@pytest.fixture
def net(member, other_member):
    return Network(member, other_member)


def bearer(user) -> dict[str, str]:
    _, raw = api_token_create(user=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


def login_of(person):
    """A login for someone of the network, so they can set their own preferences."""
    return factories.UserFactory(username=f"login-{person.pk}", person=person)


def path_ids(user, **target) -> list[list[int]]:
    return [p["person_ids"] for p in selectors.introduction_paths(viewer=user, **target)]


def assert_reveals_nothing_of_others(path: dict, me_id: int) -> None:
    """The rule for one path (a dict of the API's JSON): only my own first tie is described."""
    mine, *theirs = path["steps"]
    assert mine["mine"] is True and mine["tie"] in BANDS
    assert path["person_ids"][0] == me_id
    for step in theirs:
        assert step["mine"] is False
        assert step["tie"] is None
        assert step["strength"] is None and step["explanation"] is None
        assert step["last_contact"] is None
    # No figure made from other people's strengths either.
    assert path["chance"] is None if path["hops"] > 1 else isinstance(path["chance"], int)
    # And no band word anywhere but in my own step.
    rest = json.dumps({**path, "steps": theirs})
    assert not any(f'"{band}"' in rest for band in BANDS), rest


# -- the enumeration attack -------------------------------------------------------------


def test_looking_up_paths_to_everyone_stops_at_the_hourly_limit(client, member, net):
    # 70 more people, each tied to Cal: every one of them is three hops away
    # (me-Ann-Cal-them), over two ties between other people.
    crowd = [factories.PersonFactory(full_name=f"Crowd {n}") for n in range(70)]
    for n, person in enumerate(crowd):
        tie(net.cal, person, 0.3 + n / 200, f"SECRET-CROWD-{n}")
    everyone = [net.tom, net.cal, net.ben, net.uma, net.dee, *crowd]
    headers = bearer(member)

    answers = [client.get(f"{PATHS}?person={p.pk}", headers=headers) for p in everyone]

    statuses = [response.status_code for response in answers]
    # 60: the documented default of BRIDGEWORK_PATH_QUERIES_PER_HOUR.
    assert statuses == [200] * 60 + [429] * (len(everyone) - 60)
    assert settings.PATH_QUERIES_PER_HOUR == 60
    refused = answers[60]
    assert refused["Content-Type"] == "application/json"
    assert "limit of 60 introduction path look-ups an hour" in refused.json()["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 3600
    # What was answered tells nothing about ties between other people.
    found = [path for response in answers[:60] for path in response.json()]
    assert len(found) > 50  # the crowd was reachable: the check below saw real paths
    for path in found:
        assert_reveals_nothing_of_others(path, net.me.pk)
    assert "SECRET" not in json.dumps(found)
    # Another member's allowance is their own.
    other = client.get(f"{PATHS}?person={net.tom.pk}", headers=bearer(net.ann_user))
    assert other.status_code == 200


def test_every_look_up_is_audited_without_the_paths(client, member, net):
    headers = bearer(member)
    for person in (net.tom, net.dee):
        assert client.get(f"{PATHS}?person={person.pk}", headers=headers).status_code == 200
    assert client.get(f"{PATHS}?organization={net.acme.pk}", headers=headers).status_code == 200

    entries = AuditEntry.objects.filter(actor=member, object_type="introduction_paths")
    # Tom: three paths; Dee: none; Acme: three (see Network's docstring).
    assert [
        (e.subject_person_id, e.object_id, e.detail, e.action) for e in entries.order_by("id")
    ] == [
        (net.tom.pk, "", {"paths": 3}, "view"),
        (net.dee.pk, "", {"paths": 0}, "view"),
        (None, str(net.acme.pk), {"organization": net.acme.pk, "paths": 3}, "view"),
    ]


@override_settings(PATH_QUERIES_PER_HOUR=3)
def test_the_paths_page_shares_the_limit_and_answers_a_clear_429(member, member_client, net):
    url = reverse("interactions:introduction_create")
    for _ in range(3):
        assert member_client.get(f"{url}?person={net.tom.pk}").status_code == 200
    # Choosing whom to meet (no target yet) is not a look-up.
    assert member_client.get(url).status_code == 200

    response = member_client.get(f"{url}?person={net.tom.pk}")

    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many look-ups for now" in html
    assert "limit of 3 introduction path look-ups an hour" in html
    assert "Cal Connector" not in html and int(response["Retry-After"]) >= 1
    # The API counts against the same allowance.
    api = Client()
    assert api.get(f"{PATHS}?person={net.tom.pk}", headers=bearer(member)).status_code == 429
    limit_entries = AuditEntry.objects.filter(actor=member, object_type="query_limit_reached")
    assert [(e.object_id, e.detail) for e in limit_entries] == [("path_queries", {"per_hour": 3})]


@override_settings(PATH_QUERIES_PER_HOUR=2)
def test_asking_for_introductions_counts_too(client, member, net):
    headers = bearer(member)
    base = "/api/introductions/"
    probe = [net.me.pk, net.ann.pk, net.dee.pk, net.tom.pk]  # is Ann tied to Dee?
    for _ in range(2):  # probing ties with asks counts as a look-up, refused or not
        response = client.post(
            base,
            {"person": net.tom.pk, "path": probe, "message": "Intro?"},
            content_type="application/json",
            headers=headers,
        )
        assert response.status_code == 422
    path = [net.me.pk, net.ann.pk, net.cal.pk, net.tom.pk]
    response = client.post(
        base,
        {"person": net.tom.pk, "path": path, "message": "Intro?"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 429 and IntroductionRequest.objects.count() == 0


# -- opting out of being an introducer ------------------------------------------------------


def test_someone_who_opted_out_is_on_no_path_but_can_still_be_reached(member, net):
    assert path_ids(member, target_person_id=net.tom.pk) == [
        net.ids(net.me, net.ann, net.cal, net.tom),
        net.ids(net.me, net.ben, net.tom),
        net.ids(net.me, net.ann, net.tom),
    ]
    network_preference_set(actor=net.ann_user, introducer_opt_out=True)

    # Both paths through Ann are gone; Ann herself is still reached, first of all
    # through my direct tie (then me-Ben-Tom-Ann, 0.5·0.6·0.2).
    assert path_ids(member, target_person_id=net.tom.pk) == [net.ids(net.me, net.ben, net.tom)]
    assert path_ids(member, target_person_id=net.ann.pk) == [
        net.ids(net.me, net.ann),
        net.ids(net.me, net.ben, net.tom, net.ann),
    ]

    network_preference_set(actor=net.ann_user, introducer_opt_out=False)
    assert len(path_ids(member, target_person_id=net.tom.pk)) == 3


def test_an_opted_out_go_between_further_along_is_held_back_too(member, net):
    network_preference_set(actor=login_of(net.cal), introducer_opt_out=True)

    # me-Ann-Cal-Tom needed Cal in the middle; the two others remain.
    assert path_ids(member, target_person_id=net.tom.pk) == [
        net.ids(net.me, net.ben, net.tom),
        net.ids(net.me, net.ann, net.tom),
    ]
    # Cal can still be reached: me-Ann-Cal 0.9·0.8 = 0.72, me-Ben-Tom-Cal
    # 0.5·0.6·0.9 = 0.27, me-Ann-Tom-Cal 0.9·0.2·0.9 = 0.162.
    assert path_ids(member, target_person_id=net.cal.pk) == [
        net.ids(net.me, net.ann, net.cal),
        net.ids(net.me, net.ben, net.tom, net.cal),
        net.ids(net.me, net.ann, net.tom, net.cal),
    ]


def test_an_opted_out_target_is_still_reached_alone_or_in_an_organization(member, net):
    network_preference_set(actor=login_of(net.tom), introducer_opt_out=True)
    network_preference_set(actor=login_of(net.uma), introducer_opt_out=True)

    assert len(path_ids(member, target_person_id=net.tom.pk)) == 3
    assert path_ids(member, target_organization_id=net.acme.pk) == [
        net.ids(net.me, net.ann, net.cal, net.tom),
        net.ids(net.me, net.ben, net.tom),
        net.ids(net.me, net.ben, net.uma),
    ]
    # Ben opting out leaves only the paths through Ann (Uma is tied to Ben alone).
    network_preference_set(actor=login_of(net.ben), introducer_opt_out=True)
    assert path_ids(member, target_organization_id=net.acme.pk) == [
        net.ids(net.me, net.ann, net.cal, net.tom),
        net.ids(net.me, net.ann, net.tom),
    ]


def test_nobody_can_be_asked_through_someone_who_opted_out(client, member, net):
    headers = bearer(member)

    def ask(path, target=None):
        return client.post(
            "/api/introductions/",
            {"person": (target or net.tom).pk, "path": path, "message": "Could you introduce me?"},
            content_type="application/json",
            headers=headers,
        )

    network_preference_set(actor=net.ann_user, introducer_opt_out=True)
    response = ask(net.ids(net.me, net.ann, net.cal, net.tom))
    assert response.status_code == 422
    assert response.json()["errors"]["path"] == [
        "Ann Alder has asked not to be asked for introductions: get in touch with them "
        "yourself, or choose another path."
    ]

    network_preference_set(actor=net.ann_user, introducer_opt_out=False)
    network_preference_set(actor=login_of(net.cal), introducer_opt_out=True)
    response = ask(net.ids(net.me, net.ann, net.cal, net.tom))
    # Further along, the same words as a missing tie: nothing about Cal's choice.
    assert response.status_code == 422
    assert response.json()["errors"]["path"] == [
        "This path has a step Bridgework knows no tie for: choose one of the suggested paths."
    ]
    assert IntroductionRequest.objects.count() == 0

    # An opted-out target is still someone I may ask to meet.
    network_preference_set(actor=login_of(net.tom), introducer_opt_out=True)
    assert ask(net.ids(net.me, net.ben, net.tom)).status_code == 201


def test_the_paths_page_offers_no_opted_out_introducer(member_client, net):
    network_preference_set(actor=net.ann_user, introducer_opt_out=True)
    url = reverse("interactions:introduction_create") + f"?person={net.tom.pk}"

    html = member_client.get(url).content.decode()

    assert "Ask Ben Bridge for an introduction" in html and "Ask Ann" not in html


# -- withdrawing consent (item 11) ------------------------------------------------------------


def test_withdrawing_consent_takes_someone_off_every_path_at_once(member, net, client):
    request = services.introduction_request(
        actor=member,
        target=net.tom,
        path_person_ids=net.ids(net.me, net.ann, net.cal, net.tom),
        message="Could you introduce me?",
    )
    assert len(path_ids(member, target_person_id=net.tom.pk)) == 3  # the graph is built

    person_update(actor=login_of(net.cal), person=net.cal, analytics_consent=False)

    # The next look-up, without any recomputation: no path through Cal, none to him.
    assert path_ids(member, target_person_id=net.tom.pk) == [
        net.ids(net.me, net.ben, net.tom),
        net.ids(net.me, net.ann, net.tom),
    ]
    assert path_ids(member, target_person_id=net.cal.pk) == []
    # A request through him can no longer be made...
    with pytest.raises(ValidationError, match="knows no tie"):
        services.introduction_request(
            actor=member,
            target=net.tom,
            path_person_ids=net.ids(net.me, net.ann, net.cal, net.tom),
            message="Again?",
        )
    # ...and the stored path of the earlier one no longer names him, for the
    # requester and for the person asked alike.
    for viewer in (member, net.ann_user):
        browser = Client()
        browser.force_login(viewer)
        html = browser.get(
            reverse("interactions:introduction_detail", args=[request.pk])
        ).content.decode()
        assert "Cal Connector" not in html
        assert "Someone no longer in network analytics" in html
        assert "Tom Target" in html
