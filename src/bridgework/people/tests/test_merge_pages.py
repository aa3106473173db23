"""The pages for possible duplicates, merging and merge history, through the test client."""

import pytest
from django.test import Client
from django.urls import reverse

from bridgework import factories
from bridgework.people.models import MatchReview, Person, PersonMerge
from bridgework.people.services import person_merge

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    return response.content.decode()


@pytest.fixture
def review():
    existing = factories.PersonFactory(full_name="Kay Mann", email="kay.mann@ourco.example")
    new = factories.PersonFactory(
        full_name="Kay Mann", email="kay@gmail.com", introduced_by="mbox import #3"
    )
    return MatchReview.objects.create(
        new_person=new, candidate=existing, reason="same name, different organization"
    )


@pytest.fixture
def analyst_client(analyst):
    """A client of its own, so a test can hold it beside ``member_client``."""
    client = Client()
    client.force_login(analyst)
    return client


@pytest.mark.parametrize(
    "name, args",
    [
        ("people:match_reviews", []),
        ("people:merges", []),
        ("people:merge", ["candidate"]),
    ],
)
def test_members_get_404_on_every_page(member_client, review, name, args):
    args = [review.candidate_id if a == "candidate" else a for a in args]
    assert member_client.get(reverse(name, args=args)).status_code == 404


def test_members_cannot_post_merges_or_undo(member_client, review, analyst):
    assert (
        member_client.post(reverse("people:match_review_merge", args=[review.pk])).status_code
        == 404
    )
    assert (
        member_client.post(reverse("people:match_review_dismiss", args=[review.pk])).status_code
        == 404
    )
    merge_url = reverse("people:merge", args=[review.candidate_id])
    posted = member_client.post(
        merge_url, {"keep": review.candidate_id, "drop": review.new_person_id}
    )
    assert posted.status_code == 404
    assert Person.objects.filter(pk=review.new_person_id).exists()
    merge = person_merge(actor=analyst, keep=review.candidate, drop=review.new_person)
    assert member_client.post(reverse("people:merge_undo", args=[merge.pk])).status_code == 404
    assert PersonMerge.objects.get().undone_at is None


def test_anonymous_visitors_are_sent_to_log_in(client):
    url = reverse("people:match_reviews")
    assert client.get(url).url == f"{reverse('accounts:login')}?next={url}"


def test_analyst_sees_both_people_side_by_side(analyst_client, review):
    html = html_of(analyst_client.get(reverse("people:match_reviews")))
    assert html.count("Kay Mann") >= 2
    assert "kay@gmail.com" in html and "kay.mann@ourco.example" in html
    assert "mbox import #3" in html and "same name, different organization" in html
    assert "Not the same person" in html


def test_analyst_merges_from_the_review_list(analyst_client, review):
    new_id = review.new_person_id
    response = analyst_client.post(reverse("people:match_review_merge", args=[review.pk]))
    assert response.status_code == 302 and response.url == reverse("people:match_reviews")
    assert not Person.objects.filter(pk=new_id).exists()
    assert review.candidate.emails.filter(address="kay@gmail.com").exists()
    follow = analyst_client.get(response.url)
    assert "is merged into Kay Mann" in html_of(follow)
    assert "No possible duplicates to review." in html_of(follow)


def test_analyst_dismisses_a_review(analyst_client, review):
    analyst_client.post(reverse("people:match_review_dismiss", args=[review.pk]))
    review.refresh_from_db()
    assert review.status == "dismissed"
    assert Person.objects.filter(pk=review.new_person_id).exists()
    assert "No possible duplicates" in html_of(analyst_client.get(reverse("people:match_reviews")))


def test_review_list_has_no_n_plus_one(analyst_client, django_assert_max_num_queries):
    for i in range(10):
        a = factories.PersonFactory(full_name=f"Twin {i}")
        b = factories.PersonFactory(full_name=f"Twin {i}")
        MatchReview.objects.create(new_person=b, candidate=a, reason="same name and organization")
    with django_assert_max_num_queries(12):
        response = analyst_client.get(reverse("people:match_reviews"))
    assert html_of(response).count("Twin 9") >= 2


def test_merge_page_searches_previews_and_merges(analyst_client, review):
    keep, drop = review.candidate, review.new_person
    url = reverse("people:merge", args=[keep.pk])
    found = html_of(analyst_client.get(url, {"q": "kay"}))
    assert f"?other={drop.pk}" in found and f"?other={keep.pk}" not in found
    preview = html_of(analyst_client.get(url, {"other": drop.pk}))
    assert "will be merged into" in preview and "kay@gmail.com" in preview
    swapped = html_of(analyst_client.get(url, {"other": drop.pk, "keep": drop.pk}))
    assert f'name="keep" value="{drop.pk}"' in swapped
    response = analyst_client.post(url, {"keep": keep.pk, "drop": drop.pk})
    assert response.status_code == 302 and response.url == reverse("people:detail", args=[keep.pk])
    assert not Person.objects.filter(pk=drop.pk).exists()


def test_merge_page_refuses_two_logins(analyst_client):
    a, b = factories.UserFactory(username="a1"), factories.UserFactory(username="b1")
    url = reverse("people:merge", args=[a.person_id])
    assert "Both have a login" in html_of(analyst_client.get(url, {"other": b.person_id}))
    response = analyst_client.post(url, {"keep": a.person_id, "drop": b.person_id}, follow=True)
    assert "both have a login" in html_of(response)
    assert Person.objects.filter(pk=b.person_id).exists()


def test_merge_post_must_involve_the_page_person(analyst_client, review):
    third = factories.PersonFactory()
    url = reverse("people:merge", args=[third.pk])
    response = analyst_client.post(url, {"keep": review.candidate_id, "drop": review.new_person_id})
    assert response.status_code == 404


def test_merge_history_lists_and_undoes(analyst_client, review, analyst):
    drop_id = review.new_person_id
    analyst_client.post(reverse("people:match_review_merge", args=[review.pk]))
    merge = PersonMerge.objects.get()
    history = html_of(analyst_client.get(reverse("people:merges")))
    assert f"#{merge.pk}" in history and "Kay Mann" in history and ">Undo<" in history
    response = analyst_client.post(reverse("people:merge_undo", args=[merge.pk]), follow=True)
    assert "Merge undone" in html_of(response)
    assert Person.objects.filter(pk=drop_id).exists()
    assert "Undone" in html_of(analyst_client.get(reverse("people:merges")))
    again = analyst_client.post(reverse("people:merge_undo", args=[merge.pk]), follow=True)
    assert "already undone" in html_of(again)


def test_directory_links_the_review_pages_for_managers_only(analyst_client, member_client, review):
    html = html_of(analyst_client.get(reverse("people:directory")))
    assert reverse("people:match_reviews") in html and "Possible duplicates (1)" in html
    assert reverse("people:merges") in html
    assert reverse("people:match_reviews") not in html_of(
        member_client.get(reverse("people:directory"))
    )


def test_profile_shows_who_introduced_a_person_to_managers_only(
    analyst_client, member_client, review
):
    url = reverse("people:detail", args=[review.new_person_id])
    assert "mbox import #3" in html_of(analyst_client.get(url))
    assert reverse("people:merge", args=[review.new_person_id]) in html_of(analyst_client.get(url))
    assert "mbox import #3" not in html_of(member_client.get(url))
