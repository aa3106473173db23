"""Recomputing stored ties from a hand-built event store.

The expected tie features are counted by hand from the events below; the
expected strengths are what ``core.relationships.strength.score_tie`` gives for
those features (the formula itself is tested in core against hand-computed
values), so these tests check that the app stores exactly what core computes,
for the right pairs, with consent and declared closeness applied.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError
from django.db.models.query import QuerySet
from django.utils import timezone

from bridgework import factories
from bridgework.core.events.ties import aggregate_ties
from bridgework.core.relationships.strength import score_tie
from bridgework.eventstore import get_event_store
from bridgework.interactions import services as interaction_services
from bridgework.interactions.models import ImportRun
from bridgework.interactions.tests.test_import_fixtures import MBOX, upload
from bridgework.network import services
from bridgework.network.models import Tie, TieRecompute

pytestmark = pytest.mark.django_db

AS_OF = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def ago(days: float) -> dt.datetime:
    return AS_OF - dt.timedelta(days=days)


@pytest.fixture
def people(db):
    return {name: factories.PersonFactory(full_name=name) for name in ("Ada", "Ben", "Cy", "Dee")}


def event(
    external_id, days, channel, sender, recipients, *, direction=None, reply_to=None, minutes=None
):
    return {
        "source": "test",
        "external_id": external_id,
        "occurred_at": ago(days),
        "channel": channel,
        "sender_id": sender.pk,
        "recipient_ids": sorted(r.pk for r in recipients),
        "direction": direction or ("one_way" if channel in ("email", "chat") else "two_way"),
        "duration_minutes": minutes,
        "reply_to": reply_to,
    }


@pytest.fixture
def events(people):
    ada, ben, cy, dee = (people[n] for n in ("Ada", "Ben", "Cy", "Dee"))
    get_event_store().write_events(
        [
            event("m1", 10, "meeting", ada, [ben, cy], minutes=60),
            event("e1", 5, "email", ada, [ben]),
            event("e2", 4, "email", ben, [ada], reply_to="e1"),
            event("c1", 100, "call", ada, [dee], minutes=20),
            event("x1", 200, "chat", cy, [dee]),
        ]
    )
    return people


def pair(x, y):
    return tuple(sorted((x.pk, y.pk)))


def stored() -> dict[tuple[int, int], Tie]:
    return {(t.person_a_id, t.person_b_id): t for t in Tie.objects.all()}


def expected_scores(people=None, closeness=None):
    weights = services.strength_weights()
    table = aggregate_ties(get_event_store(), as_of=AS_OF, half_life_days=90.0, people=people)
    return {
        (row["person_a"], row["person_b"]): score_tie(
            row,
            as_of=AS_OF,
            weights=weights,
            closeness=(closeness or {}).get((row["person_a"], row["person_b"])),
        )
        for row in table.to_pylist()
    }


def test_a_full_recompute_stores_what_core_computes(events):
    ada, ben, cy, dee = (events[n] for n in ("Ada", "Ben", "Cy", "Dee"))
    seen = []
    run = services.ties_recompute(full=True, as_of=AS_OF, on_progress=seen.append)

    assert run.status == TieRecompute.Status.SUCCEEDED, run.error
    ties = stored()
    # Pairs by hand: the meeting joins Ada, Ben and Cy; the call Ada and Dee; the chat Cy and Dee.
    assert set(ties) == {
        pair(ada, ben),
        pair(ada, cy),
        pair(ben, cy),
        pair(ada, dee),
        pair(cy, dee),
    }
    ab = ties[pair(ada, ben)]
    assert ab.events == 3  # the meeting, the e-mail and its reply
    assert (ab.features["emails"], ab.features["meetings"], ab.features["replies"]) == (2, 1, 1)
    assert ab.last_contact == ago(4) and ab.first_contact == ago(10)
    assert ab.features["last_contact"] == ago(4).isoformat()
    assert ties[pair(cy, dee)].features["chats"] == 1
    assert ties[pair(ada, dee)].features["meeting_minutes"] == 20

    for key, score in expected_scores().items():
        tie = ties[key]
        assert tie.strength == pytest.approx(score.strength)
        assert (tie.band, tie.trend, tie.explanation) == (
            score.band,
            score.trend,
            score.explanation,
        )
        assert tie.computed_at == AS_OF
    assert ties[pair(ada, ben)].strength > ties[pair(cy, dee)].strength

    assert (run.kind, run.pairs_total, run.pairs_done, run.ties_written) == ("full", 5, 5, 5)
    assert sum(run.bands.values()) == 5
    assert [p.stage for p in seen][0] == "aggregating" and seen[-1].stage == "done"
    assert any(p.stage == "scoring" and p.done == p.total == 5 for p in seen)


def test_declared_closeness_joins_the_score(events):
    ada, ben = events["Ada"], events["Ben"]
    factories.RelationshipFactory(person=ada, other=ben, closeness=2)
    factories.RelationshipFactory(person=ben, other=ada, closeness=5)

    services.ties_recompute(full=True, as_of=AS_OF)

    tie = stored()[pair(ada, ben)]
    assert tie.closeness == 5  # the higher of the two sides
    expected = expected_scores(closeness={pair(ada, ben): 5})[pair(ada, ben)]
    assert tie.strength == pytest.approx(expected.strength)


def test_withdrawn_consent_drops_that_persons_ties(events):
    cy = events["Cy"]
    services.ties_recompute(full=True, as_of=AS_OF)
    assert Tie.objects.count() == 5

    cy.analytics_consent = False
    cy.save()
    services.ties_recompute(full=True, as_of=AS_OF)

    ties = stored()
    assert set(ties) == {pair(events["Ada"], events["Ben"]), pair(events["Ada"], events["Dee"])}
    assert cy.pk not in {p for key in ties for p in key}


def test_people_deleted_from_the_directory_drop_out(events):
    events["Dee"].delete()  # her events stay in the store under her old id
    services.ties_recompute(full=True, as_of=AS_OF)
    assert Tie.objects.count() == 3


def test_an_incremental_recompute_touches_only_the_given_people(events):
    ada, ben, dee = events["Ada"], events["Ben"], events["Dee"]
    services.ties_recompute(full=True, as_of=AS_OF - dt.timedelta(days=1))
    before = stored()
    get_event_store().write_events([event("m2", 1, "meeting", ben, [dee], minutes=30)])

    run = services.ties_recompute(full=False, people=[dee.pk], as_of=AS_OF)

    assert (run.kind, run.people) == ("incremental", [dee.pk])
    after = stored()
    assert set(after) == set(before) | {pair(ben, dee)}
    touched = {key for key in after if dee.pk in key}
    for key, tie in after.items():
        if key in touched:
            assert tie.computed_at == AS_OF
        else:  # Ada–Ben, Ada–Cy, Ben–Cy: left exactly as they were
            assert tie.computed_at == AS_OF - dt.timedelta(days=1)
            assert tie.strength == before[key].strength
    assert after[pair(ada, dee)].strength == pytest.approx(
        expected_scores(people=[dee.pk])[pair(ada, dee)].strength
    )


def test_a_failed_recompute_leaves_the_ties_as_they_were(events, monkeypatch):
    services.ties_recompute(full=True, as_of=AS_OF)
    before = {key: tie.strength for key, tie in stored().items()}

    def broken(*args, **kwargs):
        raise OSError("disk on fire")

    monkeypatch.setattr("bridgework.network.services.aggregate_ties", broken)
    run = services.ties_recompute(full=True)

    assert run.status == TieRecompute.Status.FAILED
    assert "disk on fire" in run.error and run.finished_at is not None
    assert {key: tie.strength for key, tie in stored().items()} == before


def test_a_queued_run_is_claimed_once(events):
    run = TieRecompute.objects.create(kind="incremental", people=[events["Dee"].pk])
    done = services.ties_recompute(full=False, recompute_id=run.pk)
    assert done.status == "succeeded" and Tie.objects.count() == 2  # Ada–Dee, Cy–Dee
    again = services.ties_recompute(full=True, recompute_id=run.pk)
    assert again.pk == run.pk and TieRecompute.objects.count() == 1


def test_logging_an_interaction_recomputes_its_participants(
    member, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        interaction_services.interaction_log(
            actor=member,
            channel="meeting",
            occurred_at=timezone.now() - dt.timedelta(days=1),
            participants=[other_member.person],
        )
    run = TieRecompute.objects.get()
    assert (run.kind, run.status, run.reason) == ("incremental", "succeeded", "interaction")
    assert run.people == sorted([member.person_id, other_member.person_id])
    [tie] = Tie.objects.all()
    assert {tie.person_a_id, tie.person_b_id} == {member.person_id, other_member.person_id}


def test_changing_the_participants_recomputes_old_and_new(
    member, other_member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        interaction = interaction_services.interaction_log(
            actor=member,
            channel="call",
            occurred_at=timezone.now() - dt.timedelta(days=1),
            participants=[other_member.person],
        )
    newcomer = factories.PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        interaction_services.interaction_update(
            actor=member, interaction=interaction, participants=[newcomer]
        )
    people = {p for run in TieRecompute.objects.all() for p in run.people}
    assert people == {member.person_id, other_member.person_id, newcomer.pk}
    [tie] = Tie.objects.all()  # Oscar's tie is gone with him
    assert {tie.person_a_id, tie.person_b_id} == {member.person_id, newcomer.pk}


def test_a_successful_import_queues_a_full_recompute(
    analyst, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    with django_capture_on_commit_callbacks(execute=True):
        run = interaction_services.import_start(
            actor=analyst, format="mbox", uploaded_files=[upload("inbox.mbox", MBOX)]
        )
    run.refresh_from_db()
    assert run.status == ImportRun.Status.SUCCEEDED, run.error
    recompute = TieRecompute.objects.get()
    assert (recompute.kind, recompute.status, recompute.reason) == (
        "full",
        "succeeded",
        f"import #{run.pk}",
    )
    assert Tie.objects.exists()


def test_demo_imports_do_not_queue_a_recompute(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.ties_recompute_after_import(ImportRun(pk=1, origin=ImportRun.Origin.DEMO))
    assert callbacks == [] and not TieRecompute.objects.exists()


def test_an_overlapping_run_is_swapped_in_again(events, monkeypatch):
    """Another run committed the same pairs between our delete and our insert."""
    real_bulk_create = QuerySet.bulk_create
    calls = []

    def bulk_create(self, objs, *args, **kwargs):
        calls.append(len(objs))
        if len(calls) == 1:
            raise IntegrityError("UNIQUE constraint failed: tie_unique_pair")
        return real_bulk_create(self, objs, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", bulk_create)
    run = services.ties_recompute(full=True, as_of=AS_OF)
    assert run.status == "succeeded" and Tie.objects.count() == 5
    assert calls[:2] == [5, 5]


def test_a_declared_tie_without_contact_is_a_tie(events):
    ben, dee = events["Ben"], events["Dee"]
    factories.RelationshipFactory(person=ben, other=dee, closeness=4)
    seen = []
    run = services.ties_recompute(full=True, as_of=AS_OF, on_progress=seen.append)

    tie = stored()[pair(ben, dee)]
    assert (tie.events, tie.features, tie.last_contact, tie.closeness) == (0, {}, None, 4)
    assert "declared close (4/5)" in tie.explanation and tie.strength > 0
    assert (run.pairs_total, run.ties_written) == (6, 6)
    assert max(p.total for p in seen) == 6
