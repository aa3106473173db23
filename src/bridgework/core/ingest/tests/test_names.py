"""Names: free text and parts turned into the name shown, and the readers that use them.

Every expected name below is written by hand: a name filed family first ("Doe,
Jane", as library catalogues and Outlook's "File As" write it) reads "Jane Doe";
a post-nominal after a comma ("Jane Doe, PhD", "John Smith, Jr.") stays where
its writer put it; text that could be two names or a company is kept as written
(the rules are in ``docs/ingest/README.md``, "Names").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bridgework.core.ingest import reader
from bridgework.core.ingest.email_headers import record_from_headers
from bridgework.core.ingest.names import NameParts, display_name
from bridgework.core.ingest.records import ContactRecord, EventRecord, ReadOptions

# (written, shown)
FREE_TEXT = [
    # family first, put in reading order
    ("Doe, Jane", "Jane Doe"),
    ("Doe,Jane", "Jane Doe"),
    ("  Doe ,   Jane  ", "Jane Doe"),
    ("DOE, JANE", "JANE DOE"),  # capitals kept as written
    ("Doe, Jane Marie", "Jane Marie Doe"),
    ("Doe, J.", "J. Doe"),
    ("Doe, Dr. Jane", "Dr. Jane Doe"),
    ("Doe, Jane, PhD", "Jane Doe, PhD"),
    ("Doe, Dr. Jane, PhD", "Dr. Jane Doe, PhD"),
    ("Smith, John, Jr.", "John Smith, Jr."),
    ("Smith Jr., John", "John Smith, Jr."),
    ("Smith, John, III", "John Smith, III"),
    ("Doe, Jane, MBA, CFA", "Jane Doe, MBA, CFA"),
    ("van der Berg, Jan", "Jan van der Berg"),
    ("de la Cruz, Juan Carlos", "Juan Carlos de la Cruz"),
    ("Beethoven, Ludwig van", "Ludwig van Beethoven"),  # the Dutch filing order
    ("O'Neil, Mary", "Mary O'Neil"),
    ("Smith-Jones, Ann", "Ann Smith-Jones"),
    ("Müller, Jörg", "Jörg Müller"),
    ("Hernández-López, María José", "María José Hernández-López"),
    ("Doe, Jane (Sales)", "Jane Doe (Sales)"),  # Outlook's department in parentheses
    # already in reading order: kept
    ("Jane Doe", "Jane Doe"),
    ("Jane Doe, PhD", "Jane Doe, PhD"),
    ("John Smith, Jr.", "John Smith, Jr."),
    ("John Smith Jr.", "John Smith Jr."),
    ("Jane Doe, MD, MPH", "Jane Doe, MD, MPH"),
    ("Dr. John Q. Public, III", "Dr. John Q. Public, III"),
    ("Yamada Taro", "Yamada Taro"),
    ("Doe Jane", "Doe Jane"),  # no comma: the writer's order, whatever it is
    ("Jane   Doe", "Jane Doe"),
    # two names, a company, a two-word family name, CJK: kept as written
    ("Mr. John Richter, James Doe Sr.", "Mr. John Richter, James Doe Sr."),
    ("John Richter, James Doe", "John Richter, James Doe"),
    ("Doe, Jane; Roe, Bob", "Doe, Jane; Roe, Bob"),
    ("Doe, Jane, Roe, Bob", "Doe, Jane, Roe, Bob"),
    ("Acme, Inc.", "Acme, Inc."),
    ("Amazon.com, Inc.", "Amazon.com, Inc."),
    ("Jane Doe, Acme", "Jane Doe, Acme"),
    ("Garcia Marquez, Gabriel", "Garcia Marquez, Gabriel"),
    ("Doe, Jane - Acme", "Doe, Jane - Acme"),
    ("Doe, Jane [Contractor]", "Doe, Jane [Contractor]"),
    ("山田, 太郎", "山田, 太郎"),
    ("Doe, Dr.", "Doe, Dr."),  # no given name
    ("", ""),
    ("   ", ""),
]


@pytest.mark.parametrize(("written", "shown"), FREE_TEXT)
def test_free_text_names(written, shown):
    assert display_name(written) == shown


@pytest.mark.parametrize(("written", "shown"), FREE_TEXT)
def test_a_shown_name_stays_the_same_when_read_again(written, shown):
    """A reader and then the directory both apply the rules; the second changes nothing."""
    assert display_name(shown) == shown


# (family, given, middle, prefix, suffix), shown
PARTS = [
    (("Doe", "Jane", "", "", ""), "Jane Doe"),
    (("Public", "John", "Quinlan", "Dr.", "III"), "Dr. John Quinlan Public, III"),
    (("Smith", "John", "", "", "Jr."), "John Smith, Jr."),
    (("Doe", "Jane", "", "", "PhD, MBA"), "Jane Doe, PhD, MBA"),
    (("Garcia Marquez", "Gabriel", "", "", ""), "Gabriel Garcia Marquez"),
    (("Doe", "", "", "", ""), "Doe"),
    (("", "Jane", "", "", ""), "Jane"),
    (("Doe", "", "", "", "XYZ"), "Doe XYZ"),  # no whole name to put a comma after
    (("", "Jane", "", "", "PhD"), "Jane PhD"),
    (("山田", "太郎", "", "", ""), "山田太郎"),  # family first, no space
    (("  Doe ", " Jane  Marie ", "", "", ""), "Jane Marie Doe"),
    (("", "", "", "", ""), ""),
]


@pytest.mark.parametrize(("parts", "shown"), PARTS)
def test_names_from_parts(parts, shown):
    family, given, middle, prefix, suffix = parts
    built = NameParts(family=family, given=given, middle=middle, prefix=prefix, suffix=suffix)
    assert built.reading_order() == shown
    assert display_name(shown) == shown  # and the directory leaves it alone


@pytest.mark.parametrize(
    ("written", "parts", "shown"),
    [
        # the same words family first: the parts say which is the family name
        (
            "Garcia Marquez, Gabriel",
            NameParts("Garcia Marquez", "Gabriel"),
            "Gabriel Garcia Marquez",
        ),
        ("Doe, Jane", NameParts("Doe", "Jane"), "Jane Doe"),
        ("doe, JANE", NameParts("Doe", "Jane"), "Jane Doe"),
        # different words: the text is the name shown
        ("Doe, Jane", NameParts("Doe", "Jane", prefix="Dr."), "Jane Doe"),
        ("John Smith, Jr.", NameParts("Smith", "John"), "John Smith, Jr."),
        ("Jenny Doe", NameParts("Doe", "Jane"), "Jenny Doe"),
        ("Doe, Jenny", NameParts("Doe", "Jane"), "Jenny Doe"),
        ("Jane Doe, PhD", NameParts("Doe", "Jane"), "Jane Doe, PhD"),
        (
            "Mr. John Richter, James Doe Sr.",
            NameParts("Richter", "John"),
            "Mr. John Richter, James Doe Sr.",
        ),
        # no comma: the text as written, even in another order than the parts
        ("Doe Jane", NameParts("Doe", "Jane"), "Doe Jane"),
        # no text: the parts
        ("", NameParts("Doe", "Jane", suffix="Jr."), "Jane Doe, Jr."),
    ],
)
def test_text_with_parts(written, parts, shown):
    assert display_name(written, parts=parts) == shown


# --------------------------------------------------------------------------- readers


def contacts(kind: str, path: Path, **options: Any) -> list[tuple[str, str]]:
    records = list(reader(kind)(path, options=ReadOptions(**options)))
    assert all(isinstance(r, ContactRecord) for r in records), records
    return [(r.identity.name, r.identity.email) for r in records if isinstance(r, ContactRecord)]


def test_a_csv_with_first_and_last_name_columns(tmp_path):
    """An Outlook-style contacts export: First Name and Last Name, a suffix in the last."""
    path = tmp_path / "contacts.csv"
    path.write_text(
        "First Name,Last Name,E-mail Address\r\n"
        "Jane,Doe,jane@example.org\r\n"
        'John,"Smith, Jr.",john@example.org\r\n'
        'Mary Ann,"van der Berg",mary@example.org\r\n'
        ",Solo,solo@example.org\r\n",
        encoding="utf-8",
    )
    mapping = {"first_name": "First Name", "last_name": "Last Name", "email": "E-mail Address"}
    assert contacts("csv", path, column_mapping=mapping) == [
        ("Jane Doe", "jane@example.org"),
        ("John Smith, Jr.", "john@example.org"),
        ("Mary Ann van der Berg", "mary@example.org"),
        ("Solo", "solo@example.org"),
    ]


def test_a_csv_with_a_name_column_and_name_parts(tmp_path):
    """A Google-style export: Name for display, Given/Family Name to put "Doe, Jane" in order."""
    path = tmp_path / "google.csv"
    path.write_text(
        "Name,Given Name,Family Name,E-mail 1 - Value\n"
        '"Garcia Marquez, Gabriel",Gabriel,Garcia Marquez,gabo@example.org\n'
        '"Jane Doe, PhD",Jane,Doe,jane@example.org\n'
        "Jenny Doe,Jane,Doe,jenny@example.org\n"
        '"Doe, Jo",,,jo@example.org\n'
        ",Bo,Roe,bo@example.org\n",
        encoding="utf-8",
    )
    mapping = {
        "name": "Name",
        "first_name": "Given Name",
        "last_name": "Family Name",
        "email": "E-mail 1 - Value",
    }
    assert contacts("csv", path, column_mapping=mapping) == [
        ("Gabriel Garcia Marquez", "gabo@example.org"),
        ("Jane Doe, PhD", "jane@example.org"),
        ("Jenny Doe", "jenny@example.org"),  # the name column differs from the parts: kept
        ("Jo Doe", "jo@example.org"),
        ("Bo Roe", "bo@example.org"),
    ]


def test_linkedin_credentials_in_the_last_name_stay_after_it(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        'Jane,"Doe, PhD",https://www.linkedin.com/in/janedoe,,Acme,CTO,07 Feb 2026\n'
        "John,Smith Jr.,https://www.linkedin.com/in/jsmith,,Acme,CFO,07 Feb 2026\n",
        encoding="utf-8",
    )
    assert contacts("linkedin", path) == [("Jane Doe, PhD", ""), ("John Smith Jr.", "")]


@pytest.mark.parametrize(
    ("header", "shown"),
    [
        ('"Doe, Jane" <jane@example.org>', "Jane Doe"),
        ('"Jane Doe, PhD" <jane@example.org>', "Jane Doe, PhD"),
        ('"Smith, John, Jr." <jane@example.org>', "John Smith, Jr."),
        ('"Mr. John Richter, James Doe Sr." <jane@example.org>', "Mr. John Richter, James Doe Sr."),
        ("=?iso-8859-1?q?M=FCller=2C_J=F6rg?= <jane@example.org>", "Jörg Müller"),
        ("Jane Doe <jane@example.org>", "Jane Doe"),
    ],
)
def test_e_mail_display_names(header, shown):
    block = (
        f"Message-ID: <m1@example.org>\nDate: Tue, 16 Oct 2001 13:59:25 +0300\n"
        f"From: {header}\nTo: {header.replace('jane@', 'bob@')}\n"
    ).encode()
    event = record_from_headers(block, position="message 1")
    assert isinstance(event, EventRecord) and event.sender is not None
    assert event.sender.name == shown
    assert [r.name for r in event.recipients] == [shown]
