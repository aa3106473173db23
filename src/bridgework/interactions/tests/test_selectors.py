"""Interaction selectors: who sees which touchpoints, and who has gone quiet."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.models import AuditEntry, Role
from bridgework.core.errors import NotFoundError
from bridgework.interactions import selectors, services
from bridgework.interactions.models import Channel
from bridgework.people.selectors import visible_note

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def days_ago(days: int) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def pks(items) -> set[int]:
    return {i.pk for i in items}


@pytest.fixture
def log(member, other_member, admin_user, analyst):
    """mia+oscar (by mia), oscar+pat (by oscar), pat+quinn (by the analyst), ada+mia (by ada)."""
    pat = factories.UserFactory(username="pat").person
    quinn = factories.PersonFactory(full_name="Quinn")

    def logged(actor, people, days, note=""):
        return services.interaction_log(
            actor=actor,
            channel=Channel.MEETING,
            occurred_at=days_ago(days),
            participants=people,
            private_note=note,
        )

    return {
        "mia_oscar": logged(member, [other_member.person], 5, note="mia's note"),
        "oscar_pat": logged(other_member, [pat], 4),
        "pat_quinn": logged(analyst, [pat, quinn], 3, note="analyst's note"),
        "ada_mia": logged(admin_user, [admin_user.person, member.person], 2),
        "pat": pat,
    }


def test_member_sees_own_interactions_newest_first(member, other_member, log):
    assert list(selectors.interaction_list(viewer=member)) == [log["ada_mia"], log["mia_oscar"]]
    assert pks(selectors.interaction_list(viewer=other_member)) == {
        log["mia_oscar"].pk,
        log["oscar_pat"].pk,
    }


def test_member_asking_about_someone_sees_only_shared(member, other_member, log):
    about_oscar = selectors.interaction_list(viewer=member, person_id=other_member.person_id)
    assert pks(about_oscar) == {log["mia_oscar"].pk}
    assert pks(selectors.interaction_list(viewer=member, person_id=log["pat"].pk)) == set()
    about_self = selectors.interaction_list(viewer=member, person_id=member.person_id)
    assert pks(about_self) == {log["mia_oscar"].pk, log["ada_mia"].pk}
    assert not AuditEntry.objects.filter(action="view").exists()


def test_logger_without_a_part_still_sees_what_they_logged(analyst, log):
    assert pks(selectors.interaction_list(viewer=analyst)) == {log["pat_quinn"].pk}


def test_admin_sees_all_and_looking_at_others_is_audited(admin_user, log):
    every = {log[k].pk for k in ("mia_oscar", "oscar_pat", "pat_quinn", "ada_mia")}
    assert pks(selectors.interaction_list(viewer=admin_user)) == every
    own = selectors.interaction_list(viewer=admin_user, person_id=admin_user.person_id)
    assert pks(own) == {log["ada_mia"].pk}
    assert not AuditEntry.objects.filter(action="view").exists()

    about_pat = selectors.interaction_list(viewer=admin_user, person_id=log["pat"].pk)
    assert list(about_pat) == [log["pat_quinn"], log["oscar_pat"]]
    [entry] = AuditEntry.objects.filter(action="view")
    assert (entry.actor, entry.object_type, entry.subject_person_id) == (
        admin_user,
        "interactions",
        log["pat"].pk,
    )


def test_anonymous_sees_nothing(log):
    with pytest.raises(NotFoundError):
        selectors.interaction_list(viewer=AnonymousUser())
    with pytest.raises(NotFoundError):
        selectors.access_interaction(viewer=AnonymousUser(), interaction_id=log["mia_oscar"].pk)


def test_access_interaction_for_edit_only_by_its_logger(member, other_member, admin_user, log):
    item = log["mia_oscar"]
    assert selectors.access_interaction(viewer=member, interaction_id=item.pk, for_edit=True)
    assert selectors.access_interaction(viewer=other_member, interaction_id=item.pk) == item
    with pytest.raises(NotFoundError):
        selectors.access_interaction(viewer=other_member, interaction_id=item.pk, for_edit=True)
    assert selectors.access_interaction(viewer=admin_user, interaction_id=item.pk, for_edit=True)


def test_access_interaction_not_part_of_it_or_missing(member, log):
    for interaction_id in (log["oscar_pat"].pk, log["pat_quinn"].pk, 10**9, "x"):
        with pytest.raises(NotFoundError):
            selectors.access_interaction(viewer=member, interaction_id=interaction_id)


def test_private_note_only_for_the_logger(member, other_member, admin_user, analyst, log):
    item = log["mia_oscar"]
    assert visible_note(viewer=member, obj=item) == "mia's note"
    assert visible_note(viewer=other_member, obj=item) is None
    assert visible_note(viewer=admin_user, obj=item) is None
    assert visible_note(viewer=analyst, obj=log["pat_quinn"]) == "analyst's note"


def test_interaction_list_query_count(member, log, django_assert_num_queries):
    assert member.roles  # cached per user: load them before counting
    # One query for the interactions, one for the prefetched participants with team/org.
    with django_assert_num_queries(2):
        items = list(selectors.interaction_list(viewer=member))
        assert sum(len(i.participants.all()) for i in items) == 4
        assert all(p.organization.name == "Ourco" for i in items for p in i.participants.all())


# --- people_gone_quiet ---------------------------------------------------------


def met(actor, people, days):
    return services.interaction_log(
        actor=actor, channel=Channel.CALL, occurred_at=days_ago(days), participants=people
    )


def test_people_gone_quiet(member, other_member, admin_user):
    mia = member.person
    gone_long = factories.PersonFactory(full_name="Gone Long")
    gone_short = factories.PersonFactory(full_name="Gone Short")
    recent = factories.PersonFactory(full_name="Recent")
    mixed = factories.PersonFactory(full_name="Mixed")
    seen_by_others = factories.PersonFactory(full_name="Seen By Others")
    stranger = factories.PersonFactory(full_name="Stranger")

    met(member, [gone_long], 200)
    met(member, [gone_long], 150)
    met(member, [gone_short, seen_by_others], 90)
    met(member, [gone_short], 61)
    met(member, [recent], 10)
    met(member, [mixed], 300)
    met(member, [mixed], 59)  # met again inside the 60 days: not quiet
    met(member, [seen_by_others], 100)
    # Someone else met "Seen By Others" last week; that does not count for mia.
    met(admin_user, [seen_by_others, stranger], 7)

    rows = selectors.people_gone_quiet(viewer=member)
    assert [(r["person"].full_name, r["last_contact"], r["count"]) for r in rows] == [
        ("Gone Long", days_ago(150), 2),
        ("Seen By Others", days_ago(90), 2),
        ("Gone Short", days_ago(61), 2),
    ]
    assert mia.pk not in {r["person"].pk for r in rows}


def test_people_gone_quiet_window_and_limit(member):
    first = factories.PersonFactory(full_name="First")
    second = factories.PersonFactory(full_name="Second")
    met(member, [first], 40)
    met(member, [second], 20)
    assert selectors.people_gone_quiet(viewer=member) == []
    rows = selectors.people_gone_quiet(viewer=member, quiet_for=dt.timedelta(days=15))
    assert [r["person"] for r in rows] == [first, second]
    rows = selectors.people_gone_quiet(viewer=member, quiet_for=dt.timedelta(days=15), limit=1)
    assert [r["person"] for r in rows] == [first]


def test_people_gone_quiet_without_a_person(analyst, member, other_member):
    met(analyst, [member.person, other_member.person], 100)
    assert selectors.people_gone_quiet(viewer=analyst) == []
    assert selectors.people_gone_quiet(viewer=AnonymousUser()) == []
    loner = factories.UserFactory(username="loner", person=None, roles=[Role.MEMBER])
    assert selectors.people_gone_quiet(viewer=loner) == []
    # The analyst's logging counts for the people who met.
    [row] = selectors.people_gone_quiet(viewer=member)
    assert row["person"] == other_member.person
