"""Merging two people into one moves everything, and undoing puts everything back.

The world below is small enough to list what must move by hand; undo is
checked against a full snapshot of every affected table and of the event store.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict

from bridgework import factories
from bridgework.accounts.models import AuditEntry, Role, User
from bridgework.core.errors import NotFoundError
from bridgework.core.events.store import EventStore, StoreBusyError
from bridgework.eventstore import get_event_store
from bridgework.interactions.models import InteractionParticipant, IntroductionRequest
from bridgework.people.models import (
    MatchReview,
    Person,
    PersonEmail,
    PersonIdentity,
    PersonMerge,
    PersonSkill,
    Relationship,
    Team,
)
from bridgework.people.services import (
    match_review_confirm,
    match_review_dismiss,
    person_merge,
    person_merge_undo,
)

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def event(external_id: str, sender: int, recipients: list[int], minutes: int = 0) -> dict:
    return {
        "source": "mbox",
        "external_id": external_id,
        "occurred_at": T0 + dt.timedelta(minutes=minutes),
        "channel": "email",
        "sender_id": sender,
        "recipient_ids": recipients,
        "direction": "one_way",
    }


@pytest.fixture
def world(analyst):
    keep = factories.PersonFactory(
        full_name="Jane Doe", title="", phone="111", email="jane@ourco.example"
    )
    drop = factories.PersonFactory(
        full_name="J. Doe", title="Engineer", phone="222", email="jd@gmail.com"
    )
    PersonEmail.objects.create(person=drop, address="jdoe@other.example")
    PersonIdentity.objects.create(person=drop, key="slack:U9")
    drop_login = factories.UserFactory(username="jd", person=drop)
    x, y, z = (factories.PersonFactory(full_name=n) for n in ("Xavi", "Yara", "Zoe"))
    users = [factories.UserFactory(person=None) for _ in range(4)]
    s1, s2 = factories.SkillFactory(name="Negotiation"), factories.SkillFactory(name="Python")

    skill = PersonSkill.objects.create
    skill(person=keep, skill=s1, level=2)
    skill(person=drop, skill=s1, level=4)  # higher than keep's: keep's becomes 4
    skill(person=drop, skill=s2, level=3)  # keep has none: moves
    skill(person=drop, skill=s2, level=2, endorsed_by=x)  # moves
    skill(person=drop, skill=s1, level=5, endorsed_by=keep)  # would be self-endorsement: deleted
    skill(person=y, skill=s1, level=3, endorsed_by=drop)  # drop's endorsement of Yara: moves
    skill(person=z, skill=s1, level=3, endorsed_by=keep)
    skill(person=z, skill=s1, level=4, endorsed_by=drop)  # keep already endorsed Zoe: deleted

    rel = factories.RelationshipFactory
    rel(person=drop, other=x, declared_by=users[0])  # moves
    rel(person=keep, other=drop, declared_by=users[1])  # self-tie after merge: deleted
    rel(person=keep, other=y, declared_by=users[2])
    rel(person=drop, other=y, declared_by=users[2])  # duplicate of keep's: deleted
    rel(person=y, other=drop, declared_by=users[3])  # moves (drop on the "other" side)

    i1 = factories.InteractionFactory(people=[drop, x])
    i2 = factories.InteractionFactory(people=[keep, drop, y])
    report = factories.PersonFactory(full_name="Rae Port", manager=drop)
    team = factories.TeamFactory(name="Platform", lead=drop)
    review = MatchReview.objects.create(
        new_person=drop, candidate=keep, reason="same name and organization"
    )
    other_review = MatchReview.objects.create(
        new_person=drop, candidate=z, reason="same name, different organization"
    )

    store = get_event_store()
    store.write_events(
        [
            event("e1", drop.pk, [x.pk]),
            event("e2", x.pk, [keep.pk, drop.pk], 1),
            event("e3", keep.pk, [y.pk], 2),
        ]
    )
    store.write_ties(
        [{"source": "viva-p2p", "external_id": "t1", "person_a": drop.pk, "person_b": x.pk}]
    )
    return {
        "keep": keep, "drop": drop, "x": x, "y": y, "z": z, "s1": s1, "s2": s2,
        "drop_login": drop_login, "i1": i1, "i2": i2, "report": report, "team": team,
        "review": review, "other_review": other_review, "store": store,
    }  # fmt: skip


def state(store: EventStore) -> dict:
    """Everything a merge may touch, as plain values, for before/after comparisons."""

    def rows(model, exclude=()):
        return sorted(
            (
                {"id": obj.pk, **{k: v for k, v in model_to_dict(obj).items() if k not in exclude}}
                for obj in model.objects.all()
            ),
            key=lambda row: row["id"],
        )

    people = rows(Person, exclude=("updated_at",))
    for row, obj in zip(people, Person.objects.order_by("pk"), strict=True):
        row["created_at"] = obj.created_at
    return {
        "people": people,
        "emails": rows(PersonEmail),
        "identities": rows(PersonIdentity),
        "skills": rows(PersonSkill),
        "relationships": [
            {**r, "created_at": o.created_at, "updated_at": o.updated_at}
            for r, o in zip(rows(Relationship), Relationship.objects.order_by("pk"), strict=True)
        ],
        "participations": rows(InteractionParticipant),
        "teams": rows(Team),
        "logins": sorted(User.objects.values_list("id", "person_id")),
        "reviews": sorted(MatchReview.objects.values_list(
            "id", "new_person_id", "candidate_id", "status", "decided_by_id", "decided_at"
        )),
        "events": store.events().to_pylist(),
        "ties": store.ties().to_pylist(),
    }  # fmt: skip


def test_merge_moves_everything_to_the_kept_person(world, analyst):
    keep, drop, x, y, z = (world[k] for k in ("keep", "drop", "x", "y", "z"))
    drop_id = drop.pk
    merge = person_merge(actor=analyst, keep=keep, drop=drop)

    assert not Person.objects.filter(pk=drop_id).exists()
    assert list(keep.emails.values_list("address", "is_primary")) == [
        ("jane@ourco.example", True),
        ("jd@gmail.com", False),
        ("jdoe@other.example", False),
    ]
    assert list(keep.identities.values_list("key", flat=True)) == ["slack:U9"]
    declared = dict(
        PersonSkill.objects.filter(person=keep, endorsed_by=None).values_list(
            "skill__name", "level"
        )
    )
    assert declared == {"Negotiation": 4, "Python": 3}
    received = set(
        PersonSkill.objects.filter(person=keep, endorsed_by__isnull=False).values_list(
            "skill__name", "endorsed_by__full_name"
        )
    )
    assert received == {("Python", "Xavi")}
    given = set(
        PersonSkill.objects.filter(endorsed_by=keep).values_list("person__full_name", "level")
    )
    assert given == {("Yara", 3), ("Zoe", 3)}

    pairs = sorted(Relationship.objects.values_list("person__full_name", "other__full_name"))
    assert pairs == [("Jane Doe", "Xavi"), ("Jane Doe", "Yara"), ("Yara", "Jane Doe")]
    assert set(world["i1"].participants.values_list("full_name", flat=True)) == {"Jane Doe", "Xavi"}
    assert set(world["i2"].participants.values_list("full_name", flat=True)) == {"Jane Doe", "Yara"}

    world["report"].refresh_from_db()
    world["team"].refresh_from_db()
    world["drop_login"].refresh_from_db()
    keep.refresh_from_db()
    assert world["report"].manager == keep
    assert world["team"].lead == keep
    assert world["drop_login"].person == keep
    assert (keep.title, keep.phone) == ("Engineer", "111")  # empty filled, filled kept

    world["review"].refresh_from_db()
    assert world["review"].status == "merged" and world["review"].decided_by == analyst
    assert world["review"].new_person is None
    world["other_review"].refresh_from_db()
    assert (world["other_review"].new_person, world["other_review"].candidate) == (keep, z)

    events = {e["external_id"]: e for e in world["store"].events().to_pylist()}
    assert (events["e1"]["sender_id"], events["e1"]["recipient_ids"]) == (keep.pk, [x.pk])
    assert (events["e2"]["sender_id"], events["e2"]["recipient_ids"]) == (x.pk, [keep.pk])
    assert (events["e3"]["sender_id"], events["e3"]["recipient_ids"]) == (keep.pk, [y.pk])
    [tie] = world["store"].ties().to_pylist()
    assert (tie["person_a"], tie["person_b"]) == (keep.pk, x.pk)
    assert merge.events_changed == 3  # e1, e2 and the tie

    assert (merge.keep, merge.dropped_person_id, merge.merged_by) == (keep, drop_id, analyst)
    assert merge.dropped_name == "J. Doe"
    assert AuditEntry.objects.filter(action="merge", subject_person_id=drop_id).exists()


def test_undo_restores_exactly_what_was_there(world, analyst):
    store = world["store"]
    before = state(store)
    merge = person_merge(actor=analyst, keep=world["keep"], drop=world["drop"])
    assert state(store) != before
    restored = person_merge_undo(actor=analyst, merge=merge)
    assert restored.pk == world["drop"].pk
    assert state(store) == before
    merge.refresh_from_db()
    assert merge.undone_at is not None and merge.undone_by == analyst


def test_undo_is_refused_the_second_time(world, analyst):
    merge = person_merge(actor=analyst, keep=world["keep"], drop=world["drop"])
    person_merge_undo(actor=analyst, merge=merge)
    with pytest.raises(ValidationError, match="already undone"):
        person_merge_undo(actor=analyst, merge=merge)


def test_the_kept_persons_primary_address_is_taken_from_drop_when_keep_has_none(analyst):
    keep = factories.PersonFactory(full_name="No Mail")
    keep.emails.all().delete()
    drop = factories.PersonFactory(full_name="Has Mail", email="m@x.example")
    person_merge(actor=analyst, keep=keep, drop=drop)
    assert keep.primary_email == "m@x.example" and keep.emails.get().is_primary


def test_members_cannot_merge(world, member):
    with pytest.raises(NotFoundError):
        person_merge(actor=member, keep=world["keep"], drop=world["drop"])
    assert Person.objects.filter(pk=world["drop"].pk).exists()


def test_two_people_with_logins_are_not_merged(world, analyst):
    factories.UserFactory(username="jane", person=world["keep"])
    with pytest.raises(ValidationError, match="both have a login"):
        person_merge(actor=analyst, keep=world["keep"], drop=world["drop"])
    assert Person.objects.filter(pk=world["drop"].pk).exists()
    assert PersonMerge.objects.count() == 0


def test_a_reference_the_merge_cannot_move_refuses_it_by_name(world, analyst):
    # Introduction requests are a relation to a person no merge step moves (yet).
    via, target = factories.PersonFactory(), factories.PersonFactory()
    IntroductionRequest.objects.create(
        requester=world["drop"], via=via, target=target, path=[], message="Hello"
    )
    with pytest.raises(
        ValidationError, match="still has introduction requests that a merge does not know"
    ):
        person_merge(actor=analyst, keep=world["keep"], drop=world["drop"])
    assert Person.objects.filter(pk=world["drop"].pk).exists()


def test_a_person_is_not_merged_with_themselves(world, analyst):
    with pytest.raises(ValidationError):
        person_merge(actor=analyst, keep=world["keep"], drop=world["keep"])


def test_a_busy_event_store_leaves_the_directory_untouched(world, analyst, monkeypatch):
    before = state(world["store"])

    def busy(self, **kwargs):
        raise StoreBusyError("The event store is busy")

    monkeypatch.setattr(EventStore, "reassign_person", busy)
    with pytest.raises(StoreBusyError):
        person_merge(actor=analyst, keep=world["keep"], drop=world["drop"])
    assert state(world["store"]) == before
    assert PersonMerge.objects.count() == 0


def test_the_command_line_merges_as_a_trusted_actor(world):
    merge = person_merge(actor=None, keep=world["keep"], drop=world["drop"])
    assert merge.merged_by is None
    entry = AuditEntry.objects.filter(action="merge").first()
    assert entry.actor is None and entry.detail["via"] == "command line"


def test_a_merge_is_undone_only_after_later_merges_of_the_same_person(analyst):
    a, b, c = (factories.PersonFactory(full_name=n) for n in ("Ann", "Ben", "Cat"))
    first = person_merge(actor=analyst, keep=a, drop=b)  # b into a
    second = person_merge(actor=analyst, keep=c, drop=a)  # then a into c
    with pytest.raises(ValidationError, match=f"#{second.pk}"):
        person_merge_undo(actor=analyst, merge=first)
    person_merge_undo(actor=analyst, merge=second)
    person_merge_undo(actor=analyst, merge=first)
    assert set(Person.objects.values_list("full_name", flat=True)) == {"Ann", "Ben", "Cat"}
    assert b.emails.count() == 1 and a.emails.count() == 1


def test_undo_waits_for_later_merges_that_changed_shared_events(analyst):
    k1, d1, k2, d2 = (factories.PersonFactory(full_name=n) for n in ("K1", "D1", "K2", "D2"))
    store = get_event_store()
    store.write_events([event("shared", d1.pk, [d2.pk])])
    first = person_merge(actor=analyst, keep=k1, drop=d1)
    second = person_merge(actor=analyst, keep=k2, drop=d2)
    with pytest.raises(ValidationError, match="undo them first"):
        person_merge_undo(actor=analyst, merge=first)
    person_merge_undo(actor=analyst, merge=second)
    person_merge_undo(actor=analyst, merge=first)
    [shared] = store.events().to_pylist()
    assert (shared["sender_id"], shared["recipient_ids"]) == (d1.pk, [d2.pk])


def test_confirming_a_review_merges_the_new_person_into_the_candidate(world, analyst):
    merge = match_review_confirm(actor=analyst, review=world["review"])
    assert merge.keep == world["keep"] and merge.dropped_person_id == world["drop"].pk
    with pytest.raises(ValidationError, match="already decided"):
        world["review"].refresh_from_db()
        match_review_confirm(actor=analyst, review=world["review"])


def test_dismissing_a_review_keeps_both(world, analyst, member):
    with pytest.raises(NotFoundError):
        match_review_dismiss(actor=member, review=world["review"])
    review = match_review_dismiss(actor=analyst, review=world["review"])
    assert (review.status, review.decided_by) == ("dismissed", analyst)
    assert Person.objects.filter(pk=world["drop"].pk).exists()
    with pytest.raises(ValidationError):
        match_review_dismiss(actor=analyst, review=review)


def test_admins_merge_too(world, admin_user):
    assert admin_user.has_role(Role.ADMIN)
    person_merge(actor=admin_user, keep=world["keep"], drop=world["drop"])
