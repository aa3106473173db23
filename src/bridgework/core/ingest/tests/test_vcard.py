"""vCard address books: every real sample, versions 2.1 / 3.0 / 4.0, each class of failure.

Expected values are read off the sample files by hand (quoted literally below,
with the line they come from) or counted with a plain loop over the file's
lines, never with the reader. Quoted-printable names were decoded by hand from
their bytes: ``=E9=BB=84=E4=B8=96=E5=8B=87`` is UTF-8 for 黄世勇.
"""

from __future__ import annotations

import re
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest

from bridgework.core.ingest import reader
from bridgework.core.ingest.records import ContactRecord, FormatError, Identity, Issue, ReadOptions
from bridgework.core.ingest.vcard import READER, read_vcard
from bridgework.testsupport import sample_path

SAMPLES = sample_path("ical-vcard-samples")
VOBJECT = SAMPLES / "vobject-test_files"
ALL_FILES = sorted(
    p.relative_to(SAMPLES).as_posix()
    for p in SAMPLES.rglob("*")
    if p.suffix in (".ics", ".vcf", ".json", ".jcal")
)
BEGIN_VCARD = re.compile(r"(?i)(?:[a-z0-9-]+\.)?begin:vcard")


def read(path: Path):
    skipped: Counter[str] = Counter()
    records = list(read_vcard(path, options=ReadOptions(), skipped=skipped))
    contacts = [r.identity for r in records if isinstance(r, ContactRecord)]
    issues = [r for r in records if isinstance(r, Issue)]
    assert len(contacts) + len(issues) == len(records)
    return contacts, issues, skipped


def card_count(path: Path) -> int:
    """BEGIN:VCARD lines (grouped or not), by a plain loop."""
    lines = path.read_bytes().decode("utf-8", "replace").splitlines()
    return sum(1 for line in lines if BEGIN_VCARD.fullmatch(line.strip()))


def first_line_is_begin_vcard(path: Path) -> bool:
    lines = path.read_bytes().decode("utf-8", "replace").lstrip("\ufeff").splitlines()
    return bool(BEGIN_VCARD.fullmatch(next((x.strip() for x in lines if x.strip()), "")))


def write(folder: Path, text: str, name: str = "test.vcf") -> Path:
    path = folder / name
    path.write_text(text.strip() + "\n")
    return path


def test_the_samples_are_present():
    assert len([f for f in ALL_FILES if f.endswith(".vcf")]) == 8  # SOURCE.md


def test_the_reader_is_registered():
    assert reader("vcard") is READER
    assert READER.produces == "contacts"
    assert READER.extensions == (".vcf", ".vcard")


# --------------------------------------------------------------------------- every sample


@pytest.mark.parametrize("name", ALL_FILES)
def test_every_sample_gives_contacts_issues_or_one_format_error(name):
    """Never a crash; every card is read, reported or skipped on purpose."""
    path = SAMPLES / name
    if not first_line_is_begin_vcard(path):
        with pytest.raises(FormatError) as error:
            read(path)
        assert str(error.value).startswith(f"{path.name}: expected a vCard file with BEGIN:VCARD; ")
        return
    contacts, issues, skipped = read(path)
    assert len(contacts) + len(issues) + sum(skipped.values()) == card_count(path)


def test_outcomes_over_all_vcard_samples():
    """15 files hold vCards (8 .vcf and 7 vCards saved as .ics): 354 + 14 = 368 cards."""
    files = [SAMPLES / n for n in ALL_FILES if first_line_is_begin_vcard(SAMPLES / n)]
    assert len(files) == 15
    totals: Counter[str] = Counter()
    for path in files:
        contacts, issues, skipped = read(path)
        totals["contacts"] += len(contacts)
        totals["issues"] += len(issues)
        totals.update(skipped)
    assert sum(card_count(p) for p in files) == 368
    assert totals == {"contacts": 365, "issues": 0, "not_a_person": 3}


# --------------------------------------------------------------------------- vCard 2.1


def test_quoted_printable_names_are_decoded():
    """quoted-printable.ics (a 2.1 card): N and FN are QUOTED-PRINTABLE with CHARSET=UTF-8."""
    [person], issues, _ = read(VOBJECT / "quoted-printable.ics")
    assert issues == []
    assert person == Identity(name="黄世勇", phones=("15810139237", "01088520374"))


def test_quoted_printable_soft_line_breaks_inside_a_character():
    """radicale-1238-1.ics: FN's QP text breaks with '=' in the middle of a UTF-8 sequence."""
    [person], _, _ = read(VOBJECT / "radicale-1238-1.ics")
    assert person.name == "测试测试测试测试测试测"  # 测 = E6 B5 8B, 试 = E8 AF 95
    assert person.phones == ("12 345 678 90",)


def test_a_2_1_card_with_organization_title_and_inline_photo():
    """radicale-1238-2.ics: ORG and TITLE are QP over two lines; PHOTO;ENCODING=BASE64 is skipped."""
    [person], _, _ = read(VOBJECT / "radicale-1238-2.ics")
    assert person == Identity(
        email="caiyuan@zhztech.com",
        name="蔡媛",  # FN =E8=94=A1=E5=AA=9B
        organization="北京中航智科技有限公司",
        title="人力资源部 人力资源部经理",
        phones=("+8613810109388",),
    )


def test_a_large_2_1_phone_export():
    """radicale-1238-3.ics: 354 cards from a phone, 211 with photos; 73 cards have an EMAIL."""
    path = VOBJECT / "radicale-1238-3.ics"
    people, issues, skipped = read(path)
    assert issues == [] and not skipped
    assert len(people) == card_count(path) == 354
    text = path.read_text(encoding="utf-8")
    cards = re.split(r"(?m)^BEGIN:VCARD\r?$", text)[1:]
    with_email = sum(1 for card in cards if re.search(r"(?m)^EMAIL", card))
    assert sum(1 for p in people if p.email) == with_email == 73
    assert people[0] == Identity(name="洪俊展", phones=("+8613811156924",))


def test_photos_are_never_decoded_or_kept():
    [person], _, _ = read(VOBJECT / "photo-test.vcf")
    assert person == Identity(name="should be ok to share", phones=("+49123456789",))
    assert "/9j/" not in repr(person)


# --------------------------------------------------------------------------- vCard 3.0


def test_a_3_0_card_with_preferred_email_and_uid():
    """radicale-1238-0.ics (BusyContacts): lines 4-8 and UID at line 3573."""
    [person], _, _ = read(VOBJECT / "radicale-1238-0.ics")
    assert person == Identity(
        email="nihao@fantong.com.au",
        name="Fàn Tông",
        organization="Fàn Tông",
        phones=("+61 2 8056 8588",),
        source_key="vcard:6b3bfd33-1ad6-8b94-1c31-4003efcad17b",
    )


def test_a_3_0_card_with_structured_org_and_several_phones():
    [person], _, _ = read(VOBJECT / "simple_3_0_test.ics")
    assert person == Identity(
        name="Daffy Duck Knudson (with Bugs Bunny and Mr. Pluto)",
        organization="University of Novosibirsk",  # ORG's first component
        phones=("+01-(0)2-765.43.21", "+01-(0)5-555.55.55", "+01-(0)2-876.54.32"),
    )


def test_grouped_lowercase_3_0_properties():
    """vcard_with_groups.ics: ``home.begin:vcard``, ``email;internet:``, ``home.tel;type=...``."""
    [person], _, _ = read(VOBJECT / "vcard_with_groups.ics")
    assert person == Identity(
        email="mb@goerlitz.de",
        name="Meister Berger",
        title="Mayor",  # the first TITLE; the second is its German form
        phones=("+49 3581 123456",),
    )


# --------------------------------------------------------------------------- vCard 4.0


def test_a_full_4_0_card():
    """vcard40_full.vcf: PREF=1 picks the home e-mail and the voice phone; FN unescaped."""
    [person], _, _ = read(VOBJECT / "vcard40_full.vcf")
    assert person == Identity(
        email="johnny@personal.example.org",
        extra_emails=("john.public@example.com",),
        name="Dr. John Q. Public, III",
        organization="Example Corp.",
        title="CEO",
        phones=("+1-555-555-5555", "+1-555-123-4567"),
        source_key="vcard:urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
    )
    assert "123 Main Street" not in repr(person) and "vCards" not in repr(person)


def test_4_0_names_in_several_languages_and_simple_cards():
    [person], _, _ = read(VOBJECT / "vcard40_multilang.vcf")
    assert person.name == "Yamada Taro"  # the first FN of the ALTID set
    [person], _, _ = read(VOBJECT / "vcard40_simple.vcf")
    assert person == Identity(
        name="John Doe", source_key="vcard:urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"
    )
    [person], _, _ = read(VOBJECT / "radicale-1587.vcf")
    assert person == Identity(name="Given Family")


@pytest.mark.parametrize("name", ["vcard40_group.vcf", "vcard40_location.vcf", "vcard40_org.vcf"])
def test_cards_that_are_not_people_are_skipped_and_counted(name):
    people, issues, skipped = read(VOBJECT / name)
    assert people == [] and issues == []
    assert skipped == {"not_a_person": 1}


# --------------------------------------------------------------------------- not vCard


def test_jcard_gets_a_clear_error():
    with pytest.raises(FormatError) as error:
        read(VOBJECT / "jcard.json")
    assert str(error.value) == (
        "jcard.json: expected a vCard file with BEGIN:VCARD; this is jCard (vCard as JSON, "
        "RFC 7095), which is not supported: export the contacts as a .vcf file"
    )


@pytest.mark.parametrize(
    ("name", "content", "found"),
    [
        ("calendar.vcf", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "this is an iCalendar file"),
        ("empty.vcf", b"", "the file is empty"),
        ("photo.vcf", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "it starts with binary data"),
        ("list.vcf", b"name,email\nAna,ana@example.org\n", "it starts with other text"),
        (
            "cards.xml",
            b"<?xml version='1.0'?><vcards xmlns='urn:ietf:params:xml:ns:vcard-4.0'/>",
            "this is xCard",
        ),
    ],
)
def test_files_that_are_not_vcard_raise_one_format_error(tmp_path, name, content, found):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FormatError) as error:
        read(path)
    assert error.value.expected.startswith(f"expected a vCard file with BEGIN:VCARD; {found}")


def test_a_missing_file_is_a_format_error(tmp_path):
    with pytest.raises(FormatError) as error:
        read(tmp_path / "missing.vcf")
    assert "the file cannot be read" in str(error.value)


# --------------------------------------------------------------------------- failure classes


def test_a_card_without_end_is_an_issue_and_the_next_card_is_read(tmp_path):
    path = write(
        tmp_path,
        """
BEGIN:VCARD
VERSION:3.0
FN:Cut Short
BEGIN:VCARD
VERSION:3.0
FN:Ana Lima
EMAIL:ana@example.org
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Truncated
""",
    )
    people, issues, _ = read(path)
    assert people == [Identity(email="ana@example.org", name="Ana Lima")]
    assert issues == [
        Issue(
            "card 1 (line 1)",
            "BEGIN:VCARD is not closed by END:VCARD before the next BEGIN:VCARD at line 4; "
            "the card was skipped",
        ),
        Issue(
            "card 3 (line 9)",
            "BEGIN:VCARD is not closed by END:VCARD before the end of the file; "
            "the card was skipped (the file may be truncated)",
        ),
    ]


def test_an_end_without_begin_and_stray_text_are_issues(tmp_path):
    path = write(
        tmp_path,
        """
BEGIN:VCARD
VERSION:3.0
FN:Ana Lima
END:VCARD
VERSION:3.0
FN:Lost Begin
END:VCARD
""",
    )
    people, issues, _ = read(path)
    assert people == [Identity(name="Ana Lima")]
    assert issues == [
        Issue(
            "line 5",
            "text outside any BEGIN:VCARD ... END:VCARD block was skipped "
            "(a card with its BEGIN:VCARD line missing?)",
        ),
        Issue("line 7", "END:VCARD without a BEGIN:VCARD before it"),
    ]


def test_a_card_with_an_address_but_no_name_is_kept(tmp_path):
    """No FN or N (or empty ones), an e-mail address: the person is named from the
    address later, as the sender of an e-mail is."""
    path = write(
        tmp_path,
        "BEGIN:VCARD\nVERSION:4.0\nEMAIL:jane.doe@example.org\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:\nN:;;;;\nEMAIL:bo@example.org\nTEL:555\nEND:VCARD\n",
    )
    people, issues, skipped = read(path)
    assert issues == [] and not skipped
    assert people == [
        Identity(email="jane.doe@example.org"),
        Identity(email="bo@example.org", phones=("555",)),
    ]


@pytest.mark.parametrize(
    ("card", "reason"),
    [
        ("VERSION:5.0\nFN:Ana", "VERSION 5.0 is not supported; expected 2.1, 3.0, 4.0"),
        (
            "VERSION:4.0\nTEL:+44 20 7946 0000",
            "the card has a phone number but no name or e-mail address",
        ),
        (
            "VERSION:3.0\nFN:\nN:;;;;\nNOTE:hello",
            "the card has no name, e-mail address or phone number",
        ),
        (
            'VERSION:4.0\nFN:Ana\nEMAIL;TYPE="work:ana@example.org',
            "the EMAIL line (line 4) cannot be read: the TYPE parameter's quoted value is never closed",
        ),
    ],
)
def test_bad_cards_are_issues_with_a_reason(tmp_path, card, reason):
    path = write(
        tmp_path, f"BEGIN:VCARD\n{card}\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Bo\nEND:VCARD"
    )
    people, issues, _ = read(path)
    assert issues == [Issue("card 1 (line 1)", reason)]
    assert people == [Identity(name="Bo")]  # the next card is still read


def test_bare_2_1_parameters_preference_and_a_latin1_file(tmp_path):
    path = tmp_path / "outlook.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN:M\xfcller;J\xfcrgen\r\n"
        b"ORG;CHARSET=ISO-8859-1:B\xe4ckerei M\xfcller;Verkauf\r\n"
        b"EMAIL;INTERNET:juergen@example.org\r\nEMAIL;INTERNET;PREF:J.Mueller@Work.example\r\n"
        b"TEL;WORK;VOICE:+49 30 1234\r\nEND:VCARD\r\n"
    )
    [person], issues, _ = read(path)
    assert issues == []
    assert person == Identity(
        email="j.mueller@work.example",
        extra_emails=("juergen@example.org",),
        name="Jürgen Müller",  # built from N: given then family
        organization="Bäckerei Müller",
        phones=("+49 30 1234",),
    )


def test_an_agent_card_inside_a_2_1_card_is_not_a_missing_end(tmp_path):
    path = write(
        tmp_path,
        """
BEGIN:VCARD
VERSION:2.1
FN:Ana Lima
AGENT:
BEGIN:VCARD
VERSION:2.1
FN:Her Assistant
END:VCARD
EMAIL:ana@example.org
END:VCARD
""",
    )
    people, issues, _ = read(path)
    assert issues == []
    assert people == [Identity(email="ana@example.org", name="Ana Lima")]


def test_progress_reaches_the_file_size():
    seen: list[int] = []
    path = VOBJECT / "radicale-1587.vcf"
    list(READER(path, progress=seen.append))
    assert seen[-1] == path.stat().st_size == 116


# --------------------------------------------------------------------------- bounded memory


def folded(line: str, width: int) -> str:
    """``line`` folded every ``width`` characters (RFC 6350 section 3.2)."""
    parts = [line[:width]] + [line[i : i + width - 1] for i in range(width, len(line), width - 1)]
    return "\r\n ".join(parts)


def test_a_40_mb_address_book_is_read_in_memory_bounded_by_one_card(tmp_path):
    """Cards with 19 kB inline photos, folded. The reader before streaming held the file's
    bytes, its text and its lines at once (about 80 MB of peak traced memory here)."""
    path = tmp_path / "big.vcf"
    photo = folded("PHOTO;ENCODING=b;TYPE=JPEG:" + "/9j/4AAQSkZJRgABAQEASABIAAD" * 700, 1000)
    cards = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        while out.tell() < 40_000_000:
            cards += 1
            out.write(
                f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {cards}\r\n"
                f"EMAIL:person-{cards}@example.org\r\n{photo}\r\nEND:VCARD\r\n"
            )

    tracemalloc.start()
    try:
        contacts = sum(
            isinstance(r, ContactRecord) for r in read_vcard(path, options=ReadOptions())
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert contacts == cards
    assert peak < 8 * 2**20, f"{peak:,} bytes"


def test_a_card_larger_than_the_bound_is_an_issue_and_the_next_is_read(tmp_path):
    """40,000 phone numbers of 28 characters: over MAX_CARD_SIZE (1 MiB)."""
    phones = "\n".join(f"TEL;TYPE=cell:+1 555 {n:07}" for n in range(40_000))
    assert len(phones) > 2**20
    path = write(
        tmp_path,
        f"BEGIN:VCARD\nVERSION:3.0\nFN:Switchboard\n{phones}\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nFN:Jo Doe\nEMAIL:jo@example.org\nEND:VCARD",
    )
    people, issues, _ = read(path)
    assert issues == [
        Issue(
            "card 1 (line 1)",
            "the card holds more than 1,048,576 characters of names, addresses and numbers; "
            "it was skipped",
        )
    ]
    assert people == [Identity(name="Jo Doe", email="jo@example.org")]


def test_a_large_photo_or_note_does_not_count_against_the_bound(tmp_path):
    """A 3 MB photo (base64, folded) and a 2 MB note are never kept, so the card is read."""
    photo = folded("PHOTO;ENCODING=b;TYPE=JPEG:" + "A" * 3_000_000, 76).replace("\r\n", "\n")
    note = folded("NOTE:" + "n" * 2_000_000, 76).replace("\r\n", "\n")
    path = write(
        tmp_path,
        f"BEGIN:VCARD\nVERSION:3.0\nFN:Jo Doe\n{photo}\n{note}\nEMAIL:jo@example.org\nEND:VCARD",
    )
    people, issues, _ = read(path)
    assert issues == []
    assert people == [Identity(name="Jo Doe", email="jo@example.org")]


# --------------------------------------------------------------------------- 2.1 soft breaks


def test_android_quoted_printable_soft_breaks(tmp_path):
    """Android-style 2.1 cards. Decoded by hand: =C3=B6 is ö, =C3=BC ü, =C3=A4 ä (UTF-8).

    A soft break ('=' at the end of a line) joins the next line, even in the middle
    of a word or of a UTF-8 sequence (``M=C3=`` + ``=BCller``); followed by an empty
    line, or by a line that starts a property, it ends the value instead: before,
    ``Acme=`` + empty line + ``EMAIL;...`` read as the organization "AcmeEMAIL".
    """
    path = tmp_path / "android.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=B6rg;;;\r\n"
        b"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=B6rg M=C3=\r\n=BCller\r\n"
        b"ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:B=C3=A4ckerei M=C3=BCller Gm=\r\n"
        b"bH;Verkauf=\r\n"
        b"\r\n"
        b"EMAIL;PREF;INTERNET:joerg@example.org\r\n"
        b"TITLE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Gesch=C3=A4ftsf=C3=BChrer=\r\n"
        b"TEL;CELL:+49 170 1234567\r\n"
        b"END:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"N:Doe;Jane;;;\r\n"
        b"ORG;ENCODING=QUOTED-PRINTABLE:Acme=\r\n"
        b"\r\n"
        b"EMAIL;PREF;INTERNET:jane@example.com\r\n"
        b"TITLE;ENCODING=QUOTED-PRINTABLE:Head of =\r\n"
        b"Sales: EMEA=\r\n"
        b"END:VCARD\r\n"
    )
    people, issues, _ = read(path)
    assert issues == []
    assert people == [
        Identity(
            email="joerg@example.org",
            name="Jörg Müller",
            organization="Bäckerei Müller GmbH",
            title="Geschäftsführer",
            phones=("+49 170 1234567",),
        ),
        Identity(
            email="jane@example.com",
            name="Jane Doe",
            organization="Acme",
            title="Head of Sales: EMEA",  # "Sales:" starts no property: the value goes on
        ),
    ]


# --------------------------------------------------------------------------- FN and N


@pytest.mark.parametrize(
    ("lines", "name"),
    [
        # FN holds N's words family first: N puts them in reading order
        ("FN:Doe\\, Jane\nN:Doe;Jane;;;", "Jane Doe"),
        ("FN:Garcia Marquez\\, Gabriel\nN:Garcia Marquez;Gabriel;;;", "Gabriel Garcia Marquez"),
        ("FN:Doe\\, Jane\\, PhD\nN:Doe;Jane;;;PhD", "Jane Doe, PhD"),
        # FN differs from N: FN is the name shown
        ("FN:Jenny Doe\nN:Doe;Jane;;;", "Jenny Doe"),
        ("FN:Jane Doe\\, PhD\nN:Doe;Jane;;;", "Jane Doe, PhD"),
        ("FN:John Smith\\, Jr.\nN:Smith;John;;;", "John Smith, Jr."),
        # as Evolution, Gmail and Apple write a display name with a comma: kept as written
        (
            "FN:Mr. John Richter, James Doe Sr.\nN:Doe;James;;;Sr.",
            "Mr. John Richter, James Doe Sr.",
        ),
        # no FN (or an empty one): N in reading order, lists joined
        ("N:Smith;John;;;Jr.", "John Smith, Jr."),
        ("FN:\nN:Public;John;Quinlan,Q.;Mr.;Esq.,PhD", "Mr. John Quinlan Q. Public, Esq., PhD"),
        ("N:Doe;Jane;;;\nFN:Doe\\, Jane", "Jane Doe"),  # the order of the lines does not matter
    ],
)
def test_fn_is_shown_and_n_gives_the_parts(tmp_path, lines, name):
    path = write(tmp_path, f"BEGIN:VCARD\nVERSION:3.0\n{lines}\nEND:VCARD")
    [person], issues, _ = read(path)
    assert issues == []
    assert person.name == name
