"""``bridgework people ...`` through Typer's runner: merge, unmerge, matches, dismiss."""

import pytest
from typer.testing import CliRunner

from bridgework import factories
from bridgework.cli.main import app
from bridgework.people.models import MatchReview, Person, PersonMerge

runner = CliRunner()
pytestmark = pytest.mark.django_db


@pytest.fixture
def twins():
    keep = factories.PersonFactory(full_name="Kay Mann", email="kay.mann@ourco.example")
    drop = factories.PersonFactory(full_name="Kay Mann", email="kay@gmail.com")
    return keep, drop


def test_merge_then_unmerge(twins):
    keep, drop = twins
    result = runner.invoke(app, ["people", "merge", str(keep.pk), str(drop.pk), "--yes"])
    assert result.exit_code == 0, result.output
    merge = PersonMerge.objects.get()
    assert f"merge #{merge.pk}" in result.output
    assert f"bridgework people unmerge {merge.pk}" in result.output
    assert "kay@gmail.com" in result.output  # the preview table
    assert not Person.objects.filter(pk=drop.pk).exists()
    assert merge.merged_by is None  # the command line acts as itself

    result = runner.invoke(app, ["people", "unmerge", str(merge.pk)])
    assert result.exit_code == 0, result.output
    assert f"#{drop.pk} Kay Mann is back" in result.output
    assert Person.objects.get(pk=drop.pk).primary_email == "kay@gmail.com"

    again = runner.invoke(app, ["people", "unmerge", str(merge.pk)])
    assert again.exit_code == 1 and "already undone" in again.output


def test_merge_asks_before_merging(twins):
    keep, drop = twins
    result = runner.invoke(app, ["people", "merge", str(keep.pk), str(drop.pk)], input="n\n")
    assert result.exit_code == 1
    assert Person.objects.filter(pk=drop.pk).exists() and not PersonMerge.objects.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["people", "merge", "999", "{drop}", "--yes"], "No person with id 999."),
        (["people", "merge", "{keep}", "{keep}", "--yes"], "the same person"),
        (["people", "unmerge", "42"], "No merge #42."),
        (["people", "dismiss", "42"], "No review #42."),
    ],
)
def test_bad_ids_give_a_clear_error(twins, args, message):
    keep, drop = twins
    args = [a.format(keep=keep.pk, drop=drop.pk) for a in args]
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert message in result.output


def test_two_logins_are_not_merged(twins):
    keep, drop = twins
    factories.UserFactory(username="k1", person=keep)
    factories.UserFactory(username="k2", person=drop)
    result = runner.invoke(app, ["people", "merge", str(keep.pk), str(drop.pk), "--yes"])
    assert result.exit_code == 1
    assert "both have a login" in result.output
    assert Person.objects.filter(pk=drop.pk).exists()


def test_matches_lists_pending_reviews_and_dismiss_decides_one(twins):
    keep, drop = twins
    assert "No possible duplicates" in runner.invoke(app, ["people", "matches"]).output
    review = MatchReview.objects.create(
        new_person=drop, candidate=keep, reason="same name, different organization"
    )
    result = runner.invoke(app, ["people", "matches"])
    assert result.exit_code == 0, result.output
    assert "Possible duplicates (1)" in result.output
    assert f"#{drop.pk} Kay Mann" in result.output and f"#{keep.pk} Kay Mann" in result.output

    result = runner.invoke(app, ["people", "dismiss", str(review.pk)])
    assert result.exit_code == 0, result.output
    review.refresh_from_db()
    assert review.status == "dismissed"
    assert "No possible duplicates" in runner.invoke(app, ["people", "matches"]).output
