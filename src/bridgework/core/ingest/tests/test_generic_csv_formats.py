"""Generic CSV files as spreadsheets save them: UTF-16, tabs, pipes, legacy code pages.

Every file is synthetic and written here; the expected cells are the ones written.
Contacts are identified by e-mail address and organization, which no other change
to the reader touches.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bridgework.core.ingest import reader
from bridgework.core.ingest.records import ContactRecord, FormatError, Issue, ReadOptions

CONTACTS = {"email": "Email", "organization": "Company", "title": "Position"}
TABLE = (
    "Email,Company,Position\n"
    "ann@example.org,Ørsted,Engineer\n"
    'bo@example.org,"Widgets, Inc.",Head of R&D\n'
)
EXPECTED = [
    ("ann@example.org", "Ørsted", "Engineer"),
    ("bo@example.org", "Widgets, Inc.", "Head of R&D"),
]


def read(path: Path, mapping: dict[str, str]) -> list[Any]:
    return list(reader("csv")(path, options=ReadOptions(column_mapping=mapping)))


def contacts(path: Path, mapping: dict[str, str] = CONTACTS) -> list[tuple[str, str, str]]:
    records = read(path, mapping)
    assert [r for r in records if isinstance(r, Issue)] == []
    return [
        (r.identity.email, r.identity.organization, r.identity.title)
        for r in records
        if isinstance(r, ContactRecord)
    ]


def test_tab_separated(tmp_path):
    path = tmp_path / "contacts.tsv"
    path.write_text(TABLE.replace(",", "\t").replace('"Widgets\t Inc."', "Widgets, Inc."))
    assert contacts(path) == EXPECTED


def test_pipe_separated(tmp_path):
    path = tmp_path / "contacts.txt"
    path.write_text(TABLE.replace(",", "|").replace('"Widgets| Inc."', "Widgets, Inc."))
    assert contacts(path) == EXPECTED


def test_the_delimiter_comes_from_the_rows_not_only_the_header(tmp_path):
    # The header alone has as many commas as semicolons; the rows settle it.
    path = tmp_path / "contacts.csv"
    path.write_text(
        "Email;Company, legal name;Position, current\n"
        "ann@example.org;Ørsted;Engineer\n"
        "bo@example.org;Widgets, Inc.;Head of R&D\n"
    )
    mapping = {"email": "Email", "organization": "Company, legal name"}
    records = read(path, mapping)
    assert [(r.identity.email, r.identity.organization) for r in records] == [
        ("ann@example.org", "Ørsted"),
        ("bo@example.org", "Widgets, Inc."),
    ]


@pytest.mark.parametrize(
    ("encoded", "name"),
    [
        (b"\xff\xfe" + TABLE.replace("\n", "\r\n").encode("utf-16-le"), "UTF-16 LE with a BOM"),
        (b"\xfe\xff" + TABLE.encode("utf-16-be"), "UTF-16 BE with a BOM"),
        (TABLE.encode("utf-16-le"), "UTF-16 LE without a BOM"),
        (b"\xff\xfe\x00\x00" + TABLE.encode("utf-32-le"), "UTF-32 LE with a BOM"),
        (b"\xef\xbb\xbf" + TABLE.encode(), "UTF-8 with a BOM"),
    ],
    ids=["utf16le-bom", "utf16be-bom", "utf16le", "utf32le-bom", "utf8-bom"],
)
def test_unicode_encodings(tmp_path, encoded, name):
    path = tmp_path / "contacts.csv"
    path.write_bytes(encoded)
    assert contacts(path) == EXPECTED, name


def test_a_central_european_code_page_is_recognised(tmp_path):
    # Windows-1250 (Czech, Polish, ...): read as Windows-1252 it would say "Øízení"
    path = tmp_path / "contacts.csv"
    path.write_bytes(
        (
            "Email,Company,Position\n"
            "jiri@example.cz,Škoda Auto,Vedoucí účetní\n"
            "zofie@example.cz,Řízení letového provozu,Specialistka\n"
            "lukasz@example.pl,Żabka Polska,Kierownik działu\n"
        ).encode("cp1250")
    )
    assert contacts(path) == [
        ("jiri@example.cz", "Škoda Auto", "Vedoucí účetní"),
        ("zofie@example.cz", "Řízení letového provozu", "Specialistka"),
        ("lukasz@example.pl", "Żabka Polska", "Kierownik działu"),
    ]


def test_columns_that_fit_no_delimiter_name_the_encoding_and_delimiters_tried(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_bytes(b"\xff\xfe" + "Mail;Firma\nann@example.org;Acme\n".encode("utf-16-le"))
    with pytest.raises(FormatError) as caught:
        read(path, CONTACTS)
    assert str(caught.value) == (
        "contacts.csv: the column mapping names columns the file lacks: "
        "'Email', 'Company', 'Position'; the file has columns: 'Mail', 'Firma'; "
        "read as UTF-16 LE (byte-order mark), with semicolon, comma, tab and pipe "
        "tried as the delimiter"
    )


def test_a_file_of_nul_bytes_is_still_binary(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256)) * 8)
    with pytest.raises(FormatError, match="contacts.csv: the file looks binary"):
        read(path, CONTACTS)
