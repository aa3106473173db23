"""Introduction pages through the test client: find paths, ask, answer, record
the outcome — and what a member never sees of other people's ties."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from bridgework import factories
from bridgework.interactions import services
from bridgework.interactions.models import Channel, Interaction, IntroductionRequest
from bridgework.interactions.tests.test_introductions import SECRETS, Network, ask
from bridgework.network.selectors import tie_graph_cache_clear

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_tie_graph():
    tie_graph_cache_clear()
    yield
    tie_graph_cache_clear()


@pytest.fixture
def net(member, other_member):
    """The hand-built network of ``test_introductions.Network``."""
    return Network(member, other_member)


def html_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def ann_client(net):
    """Ann's own browser (the member may be signed in on ``client`` at the same time)."""
    browser = Client()
    browser.force_login(net.ann_user)
    return browser


@pytest.mark.parametrize(
    "name, args",
    [
        ("interactions:introductions", []),
        ("interactions:introduction_create", []),
        ("interactions:introduction_detail", [1]),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in(client, name, args):
    url = reverse(name, args=args)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_paths_page_explains_my_ties_and_never_others(member_client, net):
    html = html_of(
        member_client.get(reverse("interactions:introduction_create") + f"?person={net.tom.pk}")
    )

    assert "Paths to Tom Target" in html
    assert "0.90: MY-TIE-WITH-ANN" in html and "0.50: MY-TIE-WITH-BEN" in html
    for secret in (*SECRETS, "SECRET-B-U"):
        assert secret not in html
    # The next hops by public name, title and organization; of their ties, nothing:
    # no band word and no chance (65% over my 0.9 would give Ann-Cal-Tom away).
    assert "Cal Connector" in html and "Partner lead" in html and "Acme" in html
    assert "% chance" not in html
    assert html.count("your tie: strong") == 2 and html.count("your tie: regular") == 1
    # A band only on my own three first ties (Ann twice, Ben once), none beyond.
    assert html.count('class="band band--') == 3 and "who knows" in html
    assert html.count("Ask Ann") == 2 and html.count("Ask Ben Bridge for an introduction") == 1
    ids = ",".join(str(p.pk) for p in (net.me, net.ann, net.cal, net.tom))
    assert f'name="path" value="{ids}"' in html
    # The person picker has Tom selected and a filter box.
    assert re.search(rf'<option value="{net.tom.pk}" selected>Tom Target', html)
    assert 'data-filter-for="id_person"' in html


def test_paths_to_an_organization(member_client, net):
    html = html_of(
        member_client.get(
            reverse("interactions:introduction_create") + f"?organization={net.acme.pk}"
        )
    )
    assert "Paths to people at Acme" in html and "Uma Acme" in html
    assert f'name="organization" value="{net.acme.pk}"' in html
    assert "SECRET" not in html


def test_no_path_says_so(member_client, net):
    html = html_of(
        member_client.get(reverse("interactions:introduction_create") + f"?person={net.dee.pk}")
    )
    assert "No path within three hops to Dee Distant" in html


def test_an_unknown_target_is_a_404(member_client, net):
    url = reverse("interactions:introduction_create")
    assert member_client.get(f"{url}?person=999999").status_code == 404
    assert member_client.get(f"{url}?organization=999999").status_code == 404


def test_asking_from_the_page(member_client, net, django_capture_on_commit_callbacks):
    ids = ",".join(str(p.pk) for p in (net.me, net.ann, net.cal, net.tom))
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            reverse("interactions:introduction_create"),
            {"person": net.tom.pk, "path": ids, "message": "I'd love Tom's view on our pilot."},
        )
    request = IntroductionRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("interactions:introduction_detail", args=[request.pk])
    assert request.via == net.ann and request.message == "I'd love Tom's view on our pilot."
    assert mail.outbox[0].to == [net.ann.primary_email]
    html = html_of(member_client.get(response.url))
    assert "Your introduction to Tom Target via" in html
    assert "Withdraw the request" in html and "Will you introduce them?" not in html


def test_a_refused_ask_shows_why_and_keeps_the_message(member_client, net):
    ids = ",".join(str(p.pk) for p in (net.me, net.ann, net.dee, net.tom))
    html = html_of(
        member_client.post(
            reverse("interactions:introduction_create"),
            {"person": net.tom.pk, "path": ids, "message": "Keep me"},
        )
    )
    assert "Your request was not sent." in html and "suggested paths" in html
    assert IntroductionRequest.objects.count() == 0
    # An empty message is refused too, beside the paths.
    good = ",".join(str(p.pk) for p in (net.me, net.ann, net.cal, net.tom))
    html = html_of(
        member_client.post(
            reverse("interactions:introduction_create"),
            {"person": net.tom.pk, "path": good, "message": ""},
        )
    )
    assert "This field is required." in html and IntroductionRequest.objects.count() == 0


def test_the_via_person_accepts_on_the_detail_page(
    member, net, ann_client, django_capture_on_commit_callbacks
):
    request = ask(net, member, message="Please introduce me to Tom.")
    html = html_of(ann_client.get(reverse("interactions:introduction_detail", args=[request.pk])))
    assert "asks you to introduce them to Tom Target" in html
    assert "Please introduce me to Tom." in html
    assert 'name="decision" value="accept"' in html and 'name="decision" value="decline"' in html
    assert "SECRET" not in html

    with django_capture_on_commit_callbacks(execute=True):
        response = ann_client.post(
            reverse("interactions:introduction_respond", args=[request.pk]),
            {"decision": "accept", "note": "Done: I wrote to you both."},
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == IntroductionRequest.Status.ACCEPTED
    interaction = Interaction.objects.get(channel=Channel.INTRODUCTION)
    assert set(interaction.participants.all()) == {net.ann, net.me, net.tom}
    html = html_of(ann_client.get(response.url))
    assert "Done: I wrote to you both." in html and "recorded as an interaction" in html
    assert "Record the outcome" in html


def test_declining_on_the_page(member, net, ann_client):
    request = ask(net, member)
    ann_client.post(
        reverse("interactions:introduction_respond", args=[request.pk]),
        {"decision": "decline", "note": "Not now."},
    )
    request.refresh_from_db()
    assert request.status == IntroductionRequest.Status.DECLINED
    html = html_of(ann_client.get(reverse("interactions:introduction_detail", args=[request.pk])))
    assert "Declined" in html and "Record the outcome" not in html


def test_answering_twice_shows_a_message(member, net, ann_client):
    request = ask(net, member)
    url = reverse("interactions:introduction_respond", args=[request.pk])
    ann_client.post(url, {"decision": "decline"})
    response = ann_client.post(url, {"decision": "accept"}, follow=True)
    assert "answered already" in response.content.decode()
    assert Interaction.objects.count() == 0


def test_only_the_two_people_of_a_request_see_it(member, net, client, admin_user):
    request = ask(net, member)
    tom_user = factories.UserFactory(username="tom", person=net.tom)
    urls = [
        ("get", reverse("interactions:introduction_detail", args=[request.pk])),
        ("post", reverse("interactions:introduction_respond", args=[request.pk])),
        ("post", reverse("interactions:introduction_withdraw", args=[request.pk])),
        ("post", reverse("interactions:introduction_outcome", args=[request.pk])),
    ]
    for someone in (tom_user, admin_user):
        client.force_login(someone)
        for method, url in urls:
            assert getattr(client, method)(url, {"decision": "accept"}).status_code == 404
    request.refresh_from_db()
    assert request.status == IntroductionRequest.Status.PENDING


def test_the_requester_cannot_answer_their_own_request(member, member_client, net):
    request = ask(net, member)
    response = member_client.post(
        reverse("interactions:introduction_respond", args=[request.pk]), {"decision": "accept"}
    )
    assert response.status_code == 404


def test_withdraw_and_outcome_from_the_page(member, member_client, net):
    request = ask(net, member)
    member_client.post(reverse("interactions:introduction_withdraw", args=[request.pk]))
    request.refresh_from_db()
    assert request.status == IntroductionRequest.Status.WITHDRAWN

    accepted = ask(net, member)
    services.introduction_respond(actor=net.ann_user, request=accepted, accept=True)
    url = reverse("interactions:introduction_outcome", args=[accepted.pk])
    html = html_of(member_client.post(url, {"outcome": ""}))
    assert "This field is required." in html
    response = member_client.post(url, {"outcome": "Tom joined our advisory board."})
    assert response.status_code == 302
    html = html_of(member_client.get(response.url))
    assert "Tom joined our advisory board." in html and "Update the outcome" in html


def test_the_list_page_shows_sent_and_received(member, member_client, net, ann_client):
    request = ask(net, member)
    html = html_of(member_client.get(reverse("interactions:introductions")))
    assert "Your requests" in html and "Ann" in html and "Tom Target" in html
    assert "You have not asked" not in html
    html = html_of(ann_client.get(reverse("interactions:introductions")))
    detail = reverse("interactions:introduction_detail", args=[request.pk])
    assert f'href="{detail}">Answer' in html


def test_a_profile_offers_a_warm_introduction_only_without_a_tie(member_client, net):
    tom = html_of(member_client.get(reverse("people:detail", args=[net.tom.pk])))
    ann = html_of(member_client.get(reverse("people:detail", args=[net.ann.pk])))
    link = f"{reverse('interactions:introduction_create')}?person="
    assert f"{link}{net.tom.pk}" in tom and "Find a warm introduction" in tom
    assert "Find a warm introduction" not in ann


def test_nav_links(member_client, net):
    html = html_of(member_client.get(reverse("interactions:introductions")))
    assert f'href="{reverse("interactions:introductions")}" aria-current="page"' in html
    assert f'href="{reverse("network:expertise")}"' in html
