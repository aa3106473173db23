"""Normalization, automated senders, matching and engagement inference."""

import pytest

from bridgework.core.identity.automated import is_automated_address
from bridgework.core.identity.engagement import infer_engagement
from bridgework.core.identity.normalize import normalize_email, normalize_name
from bridgework.core.identity.resolve import IdentityIndex, KnownPerson
from bridgework.core.ingest.records import Identity


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Jane Doe", "DOE, JANE"),
        ("Zoë Ångström", "zoe angstrom"),
        ("Dr. Jane M. Doe", "jane doe"),
        ("O'Brien, Kerry", "Kerry O'Brien"),
    ],
)
def test_same_names_normalize_alike(a, b):
    assert normalize_name(a) == normalize_name(b)


def test_different_names_stay_different():
    assert normalize_name("Jane Doe") != normalize_name("Janet Doe")


def test_normalize_email():
    assert normalize_email("<MAILTO:Ann@Example.ORG>") == "ann@example.org"


@pytest.mark.parametrize(
    "address",
    [
        "noreply@example.com",
        "no-reply@example.com",
        "do-not-reply@example.com",
        "MAILER-DAEMON@example.com",
        "postmaster@example.com",
        "bounces+123@lists.example.com",
        "notifications@github.com",
        "all-staff@northwind.example",
        "engineering-list@northwind.example",
        "newsletter@shop.example",
    ],
)
def test_automated_addresses(address):
    assert is_automated_address(address)


@pytest.mark.parametrize(
    "address",
    [
        "jane.doe@example.com",
        "kenneth.lay@enron.com",
        "allison.smith@example.com",
        "not-an-address",
    ],
)
def test_people_are_not_automated(address):
    assert not is_automated_address(address)


@pytest.fixture
def index():
    return IdentityIndex(
        [
            KnownPerson(id=1, name="Jane Doe", emails=("jane@acme.example",), organization_id=10),
            KnownPerson(id=2, name="Sam Lee", source_keys=("slack:U1",), organization_id=10),
            KnownPerson(id=3, name="Sam Lee", emails=("sam@other.example",), organization_id=20),
        ],
        organization_of_domain={"acme.example": 10, "other.example": 20},
        organization_of_name={"Acme Corp": 10},
    )


def test_exact_email_wins_over_everything(index):
    match = index.match(Identity(email="jane@ACME.example", name="Someone Else"))
    assert (match.person_id, match.method, match.certain) == (1, "email", True)


def test_source_key(index):
    assert index.match(Identity(source_key="slack:U1")).person_id == 2


def test_name_and_organization_by_name_is_uncertain(index):
    match = index.match(Identity(name="Lee, Sam", organization="ACME corp"))
    assert (match.person_id, match.method, match.certain) == (2, "name+organization", False)


def test_namesakes_in_other_organizations_are_candidates(index):
    match = index.match(Identity(email="sam.lee@gmail.com", name="Sam Lee"))
    assert (match.person_id, match.method, match.candidates) == (None, "new", (2, 3))


def test_single_word_names_never_match(index):
    assert index.match(Identity(name="Jane", organization="Acme Corp")).method == "new"


def test_aliases_added_during_an_import_match_later(index):
    index.add_alias(1, Identity(email="j.doe@acme.example", source_key="viva:abc"))
    assert index.match(Identity(email="j.doe@acme.example")).person_id == 1
    assert index.match(Identity(source_key="viva:abc")).person_id == 1


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("ana@northwind.example", "employee_ft"),
        ("ana@mail.northwind.example", "employee_ft"),
        ("bo@altamira.example", "client"),
        ("cy@lumen.example", "partner"),
        ("di@keystone.example", "external"),
        ("ed@gmail.com", "external"),
        ("", "external"),
    ],
)
def test_engagement_from_domain(address, expected):
    kinds = {
        "altamira.example": "client",
        "lumen.example": "partner",
        "keystone.example": "supplier",
    }
    assert (
        infer_engagement(address, internal_domains={"northwind.example"}, organization_kinds=kinds)
        == expected
    )
