"""Merging two people: portfolio entries move, ties and nudges are recomputed, undo restores.

Dee is merged into Kay. The expected portfolios after the merge are worked out
by hand from the rules in ``network/merge.py``'s docs: an entry moves unless
it would be about oneself or repeat one already there (the kept person's
stays).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.forms.models import model_to_dict
from django.utils import timezone

from bridgework import factories
from bridgework.eventstore import get_event_store
from bridgework.network import services
from bridgework.network.models import Nudge, PortfolioEntry, Tie, TieRecompute
from bridgework.network.tests.conftest import make_tie
from bridgework.people.merge import person_merge, person_merge_undo
from bridgework.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_worker(monkeypatch):
    """Queued recomputations stay queued, so the test sees what was asked for."""
    monkeypatch.setattr(services, "_enqueue", lambda recompute_id: None)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.EVENT_STORE_PATH = tmp_path / "events.duckdb"
    names = ("Kay", "Dee", "Mo", "Xi", "Yu")
    kay, dee, mo, xi, yu = (factories.PersonFactory(full_name=n) for n in names)
    entries = [
        (mo, dee, "core"),  # moves: Mo has no entry about Kay
        (yu, dee, "wider"),  # deleted: Yu keeps one about Kay already
        (yu, kay, "strategic"),
        (dee, xi, "core"),  # deleted: Kay keeps one about Xi already
        (kay, xi, "wider"),
        (dee, yu, "strategic"),  # moves to Kay
        (dee, kay, "core"),  # deleted: about oneself
        (kay, dee, "wider"),  # deleted: about oneself
    ]
    for owner, other, tier in entries:
        PortfolioEntry.objects.create(owner=owner, other=other, tier=tier)
    Nudge.objects.create(owner=dee, other=xi, kind="overdue", reason="Dee to Xi", priority=2)
    Nudge.objects.create(
        owner=mo, other=dee, kind="cooling", reason="Mo to Dee", dismissed_at=timezone.now()
    )
    make_tie(dee, xi, 0.5)
    make_tie(kay, dee, 0.7)
    make_tie(kay, mo, 0.4)
    return {"kay": kay, "dee": dee, "mo": mo, "xi": xi, "yu": yu}


def portfolio() -> set[tuple[str, str, str]]:
    return {
        (e.owner.full_name, e.other.full_name, e.tier)
        for e in PortfolioEntry.objects.select_related("owner", "other")
    }


def table(model) -> list[dict]:
    return [{"pk": row.pk, **model_to_dict(row)} for row in model.objects.order_by("pk")]


def test_merge_moves_portfolios_drops_derived_rows_and_queues_the_kept_persons_ties(
    world, analyst, no_worker, django_capture_on_commit_callbacks
):
    kay, dee = world["kay"], world["dee"]
    with django_capture_on_commit_callbacks(execute=True):
        person_merge(actor=analyst, keep=kay, drop=dee)
    assert portfolio() == {
        ("Mo", "Kay", "core"),
        ("Yu", "Kay", "strategic"),
        ("Kay", "Xi", "wider"),
        ("Kay", "Yu", "strategic"),
    }
    assert not Nudge.objects.exists()
    # Dee's ties went with Dee; Kay's stay until the recomputation replaces them.
    assert list(Tie.objects.values_list("person_a", "person_b")) == [
        tuple(sorted((kay.pk, world["mo"].pk)))
    ]
    recompute = TieRecompute.objects.get()
    assert (recompute.status, recompute.people) == ("queued", [kay.pk])
    assert recompute.reason == f"merge of #{dee.pk} into #{kay.pk}"


def test_undo_restores_portfolios_and_nudges_and_recomputes_both(
    world, analyst, no_worker, django_capture_on_commit_callbacks
):
    kay, dee = world["kay"], world["dee"]
    before = {"entries": table(PortfolioEntry), "nudges": table(Nudge)}
    merge = person_merge(actor=analyst, keep=kay, drop=dee)
    with django_capture_on_commit_callbacks(execute=True):
        person_merge_undo(actor=analyst, merge=merge)
    assert {"entries": table(PortfolioEntry), "nudges": table(Nudge)} == before
    assert Nudge.objects.get(owner=world["mo"]).dismissed_at is not None
    recompute = TieRecompute.objects.get()
    assert recompute.people == sorted([kay.pk, dee.pk])
    assert Person.objects.filter(pk=dee.pk).exists()


def test_the_kept_persons_ties_are_recomputed_from_both_peoples_events(
    world, analyst, django_capture_on_commit_callbacks
):
    """With a worker: after the merge Kay holds the tie Dee had with Xi (one meeting),
    and the ties Kay had without any event behind them are gone."""
    kay, dee, xi = world["kay"], world["dee"], world["xi"]
    get_event_store().write_events(
        [
            {
                "source": "test",
                "external_id": "m1",
                "occurred_at": timezone.now() - dt.timedelta(days=2),
                "channel": "meeting",
                "sender_id": dee.pk,
                "recipient_ids": [xi.pk],
                "direction": "two_way",
                "duration_minutes": 30,
                "reply_to": None,
            }
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        person_merge(actor=analyst, keep=kay, drop=dee)
    assert TieRecompute.objects.get().status == "succeeded"
    [tie] = Tie.objects.filter(Q(person_a=kay) | Q(person_b=kay))
    assert {tie.person_a_id, tie.person_b_id} == {kay.pk, xi.pk} and tie.events == 1
