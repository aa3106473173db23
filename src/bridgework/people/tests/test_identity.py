"""DirectoryResolver: identities from imports matched to, or added to, the directory.

Expected values are worked out by hand from the rules in docs/identity.md:
e-mail first, then source key, then normalized name plus organization.
"""

import pytest

from bridgework import factories
from bridgework.accounts.models import AuditEntry
from bridgework.core.ingest.records import ContactRecord, Identity
from bridgework.people.identity import DirectoryResolver, people_introduced_by_import_delete
from bridgework.people.models import (
    EngagementType,
    MatchReview,
    Organization,
    Person,
    PersonEmail,
    PersonIdentity,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    return {
        "ours": Organization.objects.create(
            name="Northwind Labs", kind=Organization.Kind.OURS, email_domains="northwind.example"
        ),
        "client": Organization.objects.create(
            name="Altamira", kind=Organization.Kind.CLIENT, email_domains="altamira.example"
        ),
        "partner": Organization.objects.create(
            name="Bluefin", kind=Organization.Kind.PARTNER, email_domains="bluefin.example"
        ),
    }


@pytest.fixture
def jane(orgs):
    person = factories.PersonFactory(
        full_name="Jane Doe", organization=orgs["ours"], email="jane.doe@northwind.example"
    )
    PersonIdentity.objects.create(person=person, key="slack:U1")
    return person


@pytest.fixture
def bo(orgs):
    return factories.PersonFactory(
        full_name="Bo Berg",
        organization=orgs["client"],
        title="Buyer",
        phone="",
        level=None,
        engagement_type=EngagementType.CLIENT,
        email="bo@altamira.example",
    )


def resolver(**kwargs) -> DirectoryResolver:
    kwargs.setdefault("source_label", "mbox import #12")
    kwargs.setdefault("import_run_id", 12)
    return DirectoryResolver(**kwargs)


def test_an_address_matches_whatever_its_case(jane):
    r = resolver()
    assert r.resolve([Identity(email="JANE.DOE@Northwind.Example", name="J")]) == [jane.pk]
    assert (r.created, r.matched, r.uncertain) == (0, 1, 0)
    assert Person.objects.count() == 1


def test_a_source_key_matches_and_teaches_the_person_a_new_address(jane):
    r = resolver()
    assert r.resolve([Identity(source_key="slack:U1", email="jdoe@gmail.com")]) == [jane.pk]
    added = PersonEmail.objects.get(address="jdoe@gmail.com")
    assert (added.person_id, added.is_primary, added.added_by_import) == (jane.pk, False, 12)
    # ... so the next import finds her by that address alone.
    assert resolver().resolve([Identity(email="jdoe@gmail.com")]) == [jane.pk]


def test_an_address_match_stores_the_source_key_it_came_with(jane):
    resolver().resolve([Identity(email="jane.doe@northwind.example", source_key="viva:abc")])
    assert PersonIdentity.objects.get(key="viva:abc").person_id == jane.pk


def test_a_known_key_stays_with_its_owner(jane, bo):
    """Bo's address wins; the Slack key already belongs to Jane and is not moved."""
    assert resolver().resolve([Identity(email="bo@altamira.example", source_key="slack:U1")]) == [
        bo.pk
    ]
    assert PersonIdentity.objects.get(key="slack:U1").person_id == jane.pk


def test_same_name_and_organization_creates_a_person_to_review(jane, orgs):
    r = resolver()
    [new_id] = r.resolve([Identity(email="j.doe@northwind.example", name="Doe, Jane")])
    assert new_id != jane.pk
    new = Person.objects.get(pk=new_id)
    assert new.full_name == "Jane Doe"
    assert new.organization == orgs["ours"]
    assert new.engagement_type == EngagementType.EMPLOYEE_FULL_TIME
    assert (new.introduced_by, new.introduced_by_import) == ("mbox import #12", 12)
    assert [e.address for e in new.emails.all()] == ["j.doe@northwind.example"]
    review = MatchReview.objects.get()
    assert (review.new_person_id, review.candidate_id) == (new_id, jane.pk)
    assert review.reason == "same name and organization"
    assert (review.status, review.import_run_id) == ("pending", 12)
    assert (r.created, r.matched, r.uncertain) == (1, 0, 1)


def test_a_namesake_elsewhere_is_a_new_person_listed_for_review(jane, orgs):
    [new_id] = resolver().resolve([Identity(email="jane@altamira.example", name="Jane Doe")])
    new = Person.objects.get(pk=new_id)
    assert (new.organization, new.engagement_type) == (orgs["client"], EngagementType.CLIENT)
    review = MatchReview.objects.get()
    assert (review.new_person_id, review.candidate_id) == (new_id, jane.pk)
    assert review.reason == "same name, different organization"


def test_namesakes_without_any_organization_are_not_said_to_differ(orgs):
    """Two Sam Rivers on free-mail addresses: neither has an organization, so
    nothing about organizations differs between them."""
    sam = factories.PersonFactory(full_name="Sam Rivers", organization=None, email="sam@gmail.com")
    [new_id] = resolver().resolve([Identity(email="srivers@yahoo.com", name="Sam Rivers")])
    assert Person.objects.get(pk=new_id).organization is None
    review = MatchReview.objects.get()
    assert (review.new_person_id, review.candidate_id) == (new_id, sam.pk)
    assert review.reason == "same name, neither has an organization"


def test_a_namesake_with_an_organization_and_one_without_differ(jane):
    """The newcomer has no organization, Jane has Northwind Labs: different."""
    [new_id] = resolver().resolve([Identity(email="jane@gmail.com", name="Jane Doe")])
    assert MatchReview.objects.get(new_person_id=new_id).reason == (
        "same name, different organization"
    )


def test_namesakes_in_the_same_organization_say_so(jane, orgs):
    """Two Jane Does at Northwind already: a third is no certain match for either,
    and both reviews say the organization is the same."""
    twin = factories.PersonFactory(
        full_name="Jane Doe", organization=orgs["ours"], email="jane.d@northwind.example"
    )
    [new_id] = resolver().resolve([Identity(email="jd@northwind.example", name="Jane Doe")])
    reviews = MatchReview.objects.filter(new_person_id=new_id)
    assert {(r.candidate_id, r.reason) for r in reviews} == {
        (jane.pk, "same name and organization"),
        (twin.pk, "same name and organization"),
    }


def test_a_name_made_from_the_address_finds_namesakes_too(orgs):
    """Enron's sent folders name many recipients by address only: "brenda_f_herod"
    reads "Brenda F Herod", which normalizes like "Brenda Herod" (initials drop)."""
    r = resolver(internal_domains=["enron.com"])
    first, second = r.resolve(
        [
            Identity(email="brenda.herod@enron.com", name="Brenda Herod"),
            Identity(email="brenda_f_herod@enron.com"),
        ]
    )
    assert first != second
    assert Person.objects.get(pk=second).full_name == "Brenda F Herod"
    review = MatchReview.objects.get()
    assert (review.new_person_id, review.candidate_id) == (second, first)
    # enron.com is internal: both are in our organization.
    assert review.reason == "same name and organization"
    assert Person.objects.get(pk=second).organization == orgs["ours"]


@pytest.mark.parametrize(
    "identity",
    [
        Identity(),
        Identity(email="no-reply@github.com", name="GitHub"),
        Identity(email="all-staff@northwind.example"),
        Identity(email="ops@northwind.example", automated=True),
        Identity(name="Jane"),  # one word, no address, no key: nobody in particular
        Identity(email="not-an-address"),
    ],
    ids=["empty", "no-reply", "list", "flagged", "one-word name", "bad address"],
)
def test_empty_and_automated_identities_resolve_to_nobody(jane, identity):
    r = resolver()
    assert r.resolve([identity]) == [None]
    assert Person.objects.count() == 1 and r.created == 0


def test_one_new_address_is_one_new_person_within_and_across_batches(orgs):
    r = resolver()
    first = r.resolve(
        [
            Identity(email="kay.mann@enron.com"),
            Identity(email="kay.mann@enron.com", name="Kay Mann"),
            Identity(email="KAY.MANN@enron.com"),
        ]
    )
    later = r.resolve([Identity(email="kay.mann@enron.com", name="Kay Mann")])
    assert first[0] == first[1] == first[2] == later[0]
    kay = Person.objects.get(pk=first[0])
    assert kay.full_name == "Kay Mann"  # from the address: "kay.mann" → "Kay Mann"
    assert kay.emails.count() == 1 and kay.emails.get().is_primary
    assert (r.created, r.matched) == (1, 0)


def test_a_second_address_of_a_new_person_in_the_same_batch_is_attached(orgs):
    r = resolver()
    ids = r.resolve(
        [
            Identity(email="ann@gmail.com", source_key="slack:U7", name="Ann Lee"),
            Identity(email="ann.lee@bluefin.example", source_key="slack:U7"),
        ]
    )
    assert ids[0] == ids[1]
    assert sorted(Person.objects.get(pk=ids[0]).emails.values_list("address", flat=True)) == [
        "ann.lee@bluefin.example",
        "ann@gmail.com",
    ]


@pytest.mark.parametrize(
    "address, engagement, organization",
    [
        ("ana@northwind.example", EngagementType.EMPLOYEE_FULL_TIME, "ours"),
        ("ana@mail.northwind.example", EngagementType.EMPLOYEE_FULL_TIME, "ours"),
        ("ana@nw-corp.example", EngagementType.EMPLOYEE_FULL_TIME, "ours"),  # given as internal
        ("ana@altamira.example", EngagementType.CLIENT, "client"),
        ("ana@bluefin.example", EngagementType.PARTNER, "partner"),
        ("ana@gmail.com", EngagementType.EXTERNAL, None),
        ("ana@unknown.example", EngagementType.EXTERNAL, None),
    ],
)
def test_engagement_and_organization_come_from_the_domain(orgs, address, engagement, organization):
    r = resolver(internal_domains=["nw-corp.example"])
    [new_id] = r.resolve([Identity(email=address, name="Ana Ruiz")])
    new = Person.objects.get(pk=new_id)
    assert new.engagement_type == engagement
    assert new.organization == (orgs[organization] if organization else None)


def test_internal_domains_also_come_from_settings(orgs, settings):
    settings.INTERNAL_DOMAINS = ["corp.example"]
    [new_id] = resolver().resolve([Identity(email="lee@corp.example")])
    assert Person.objects.get(pk=new_id).engagement_type == EngagementType.EMPLOYEE_FULL_TIME


def test_viva_people_are_our_employees(orgs):
    [new_id] = resolver().resolve([Identity(source_key="viva:bf361ad4-fc29")])
    new = Person.objects.get(pk=new_id)
    assert new.engagement_type == EngagementType.EMPLOYEE_FULL_TIME
    assert new.organization == orgs["ours"]
    assert new.full_name == "Viva person bf361ad4-fc2"


def test_without_create_only_matches(jane):
    r = resolver(create=False)
    ids = r.resolve([Identity(email="new@gmail.com"), Identity(email="jane.doe@northwind.example")])
    assert ids == [None, jane.pk]
    assert Person.objects.count() == 1


def test_resolving_many_new_people_takes_a_bounded_number_of_queries(
    orgs, django_assert_max_num_queries
):
    identities = [
        Identity(email=f"person{i}@enron.com", name=f"Person {i:04d}") for i in range(500)
    ]
    r = resolver()
    # Counted by hand on SQLite (at most 999 parameters per statement):
    # 4 to load the index, a savepoint and its release, 11 inserts of 49
    # people, 2 of e-mails, 4 of audit entries. Nothing per identity.
    with django_assert_max_num_queries(25):
        ids = r.resolve(identities)
    assert len(set(ids)) == 500 and r.created == 500
    assert PersonEmail.objects.count() == 500


def test_audit_log_names_each_created_person(orgs):
    [new_id] = resolver().resolve([Identity(email="lee@gmail.com")])
    entry = AuditEntry.objects.get(subject_person_id=new_id)
    assert (entry.action, entry.detail["source"]) == ("import", "mbox import #12")


# ---- contacts ----


def test_contacts_enrich_empty_fields_only(bo, orgs):
    contact = ContactRecord(
        Identity(
            email="bo@altamira.example",
            extra_emails=("bo.berg@gmail.com",),
            name="Bo Berg",
            title="CEO",
            phones=("+1 555 0100", "+1 555 0101"),
            organization="Other Co",
            source_key="vcard:bo-1",
        )
    )
    assert resolver().add_contacts([contact]) == 1
    bo.refresh_from_db()
    assert bo.title == "Buyer"  # filled already: kept
    assert bo.phone == "+1 555 0100"  # empty: filled from the first phone
    assert bo.organization == orgs["client"]  # filled already: kept
    assert sorted(bo.emails.values_list("address", flat=True)) == [
        "bo.berg@gmail.com",
        "bo@altamira.example",
    ]
    assert bo.emails.get(is_primary=True).address == "bo@altamira.example"
    assert PersonIdentity.objects.get(key="vcard:bo-1").person == bo
    assert not Organization.objects.filter(name="Other Co").exists()


def test_contacts_never_take_an_address_from_someone_else(bo, jane):
    contact = ContactRecord(
        Identity(email="bo@altamira.example", extra_emails=("jane.doe@northwind.example",))
    )
    resolver().add_contacts([contact])
    assert PersonEmail.objects.get(address="jane.doe@northwind.example").person == jane


def test_new_contacts_bring_their_organization_title_phone_and_level(orgs):
    contacts = [
        ContactRecord(
            Identity(
                name="Rita Moreno", organization="Zenith Partners", title="CTO", phones=("42",)
            )
        ),
        ContactRecord(
            Identity(name="Tom Hale", email="tom@gmail.com", organization="ZENITH partners")
        ),
        ContactRecord(
            Identity(source_key="viva:p1", attributes=(("LevelDesignation", "Senior Manager"),))
        ),
    ]
    r = resolver()
    assert r.add_contacts(contacts) == 3
    rita = Person.objects.get(full_name="Rita Moreno")
    tom = Person.objects.get(full_name="Tom Hale")
    zenith = Organization.objects.get(name="Zenith Partners")
    assert (rita.title, rita.phone, rita.organization, rita.level) == ("CTO", "42", zenith, None)
    assert tom.organization == zenith and zenith.kind == Organization.Kind.OTHER
    assert Person.objects.get(identities__key="viva:p1").level == Person.Level.MANAGER
    assert r.created == 3


def test_importing_the_same_address_book_twice_adds_nobody(orgs):
    contacts = [
        ContactRecord(Identity(name="Rita Moreno", organization="Zenith Partners")),
        ContactRecord(Identity(name="Ann Lee", source_key="linkedin:https://x/in/ann")),
        ContactRecord(Identity(name="Cy Ode", email="cy@gmail.com")),
    ]
    first = resolver()
    assert first.add_contacts(contacts) == 3
    second = resolver(import_run_id=13)
    assert second.add_contacts(contacts) == 3
    assert (second.created, second.matched) == (0, 3)
    assert Person.objects.count() == 3
    assert PersonIdentity.objects.filter(key="name:moreno rita|partners zenith").count() == 1


def test_a_members_own_import_does_not_edit_other_people(bo):
    contact = ContactRecord(Identity(email="bo@altamira.example", phones=("1",), title="CEO"))
    assert resolver(owner_person_id=999).add_contacts([contact]) == 1
    bo.refresh_from_db()
    assert bo.phone == ""


# ---- a failed import takes its people back ----


def test_a_failed_import_takes_back_what_nothing_else_uses(jane, bo):
    r = resolver(import_run_id=77)
    kept_id, gone_id, _ = r.resolve(
        [
            Identity(email="kept@gmail.com", name="Kept Person"),
            Identity(email="gone@gmail.com", name="Gone Person"),
            Identity(source_key="slack:U1", email="jane.alias@gmail.com"),
        ]
    )
    # Someone declared a tie with one of the new people meanwhile: that one stays.
    factories.RelationshipFactory(person=bo, other=Person.objects.get(pk=kept_id))
    assert people_introduced_by_import_delete(77) == 1
    assert Person.objects.filter(pk=kept_id).exists()
    assert not Person.objects.filter(pk=gone_id).exists()
    assert not PersonEmail.objects.filter(address="jane.alias@gmail.com").exists()
    assert jane.emails.count() == 1


def test_identify_says_who_without_creating_or_changing_anyone(jane):
    """Issue 14, item 7: the import asks who before it decides what to store."""
    r = resolver()
    found = r.identify(
        [
            Identity(email="JANE.DOE@northwind.example", extra_emails=("jd@gmail.com",)),
            Identity(source_key="slack:U1"),
            Identity(email="x@ext.example", name="Xavier Ext"),
            Identity(email="X@Ext.example"),
            Identity(name="Madonna"),  # one word, no address: nobody
            Identity(email="no-reply@tools.example"),  # a robot: nobody
            Identity(name="Ann Lee", organization="Acme"),
        ]
    )
    assert found[:2] == [jane.pk, jane.pk]
    assert found[2] is not None and found[2] == found[3]  # the same new person
    assert found[4:6] == [None, None]
    assert found[6] is not None and found[6] not in (jane.pk, found[2])
    assert Person.objects.count() == 1
    assert not PersonEmail.objects.filter(address="jd@gmail.com").exists()
    assert (r.created, r.matched, r.uncertain) == (0, 0, 0)
    # Resolving afterwards creates the people identify stood for, no more.
    ids = r.resolve([Identity(email="x@ext.example", name="Xavier Ext")])
    assert Person.objects.get(pk=ids[0]).full_name == "Xavier Ext"
    assert r.identify([Identity(email="x@ext.example")]) == ids
