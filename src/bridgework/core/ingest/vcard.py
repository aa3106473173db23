"""Contacts from vCard (``.vcf``) address books: versions 2.1, 3.0 and 4.0.

Each card that names a person becomes one
:class:`~bridgework.core.ingest.records.ContactRecord` whose
:class:`~bridgework.core.ingest.records.Identity` holds:

* ``email``: the preferred e-mail address (``PREF=1`` in 4.0, ``TYPE=pref`` in
  3.0, a bare ``PREF`` in 2.1), else the first; ``extra_emails`` the others;
* ``name``: ``FN`` (the preferred one when a 4.0 card has several), else ``N``
  in reading order ("Given Middle Family, Suffix"); an ``FN`` holding ``N``'s
  words family first ("Doe, Jane") is written in ``N``'s reading order, and any
  other ``FN`` goes through :func:`~bridgework.core.ingest.names.display_name`;
* ``organization``: the first component of ``ORG``; ``title``: ``TITLE``;
* ``phones``: every ``TEL`` (``tel:`` URIs of 4.0 unwrapped);
* ``source_key``: ``"vcard:" + UID`` when the card has a UID.

The parser is written here (the format is simple) and copes with what real
address books contain: line folding (2.1 keeps the folding white space, 3.0
and 4.0 drop it), quoted-printable values with soft line breaks and
``CHARSET`` parameters (2.1; a soft break followed by an empty line or by a
line that starts a property, ``NAME[;params]:``, ends the value, as Android
writes it), grouped properties (``item1.EMAIL``), bare 2.1
parameters (``EMAIL;INTERNET;PREF:``), ``TYPE=`` lists, quoted parameter values,
backslash escapes, and files that are not UTF-8 (read as Latin-1, with each
value's ``CHARSET`` honoured). Inline photos, logos, sounds and keys
(``ENCODING=b`` / ``BASE64``) are skipped without being decoded; addresses,
birthdays, notes and every other property are never read.

The file is never loaded: it is read a block at a time and each card on its
own, keeping only the lines of the properties read, so memory is bounded by
the largest card (at most :data:`MAX_CARD_SIZE` characters of them; a bigger
card is an issue), not by the file, however large its photos.

Cards that are not people (4.0 ``KIND:group``, ``org`` or ``location``; Apple's
``X-ADDRESSBOOKSERVER-KIND:group``) are skipped without an issue and counted in
the optional ``skipped`` counter as ``"not_a_person"``.

A card that cannot be read becomes an
:class:`~bridgework.core.ingest.records.Issue` positioned ``"card n (line l)"``:
``BEGIN:VCARD`` without ``END:VCARD`` (or the reverse), an unsupported
``VERSION``, no name, e-mail or phone at all, a phone but neither a name nor
an e-mail address, or a broken line of a property that is read. A card with an
e-mail address but no name (no ``FN`` or ``N``, or empty ones) is kept: its
person is named from the address, as the senders of e-mail are. A file that is not a vCard file at all,
jCard (JSON) and xCard (XML) included, raises
:class:`~bridgework.core.ingest.records.FormatError`.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "people.vcf").write_bytes(
...     b"BEGIN:VCARD\\r\\nVERSION:2.1\\r\\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;Jo\\r\\n"
...     b"EMAIL;INTERNET:jo@example.org\\r\\nEMAIL;INTERNET;PREF:JO@work.example\\r\\nEND:VCARD\\r\\n")
>>> [contact] = read_vcard(folder / "people.vcf", options=ReadOptions())
>>> contact.identity.name, contact.identity.email, contact.identity.extra_emails
('Jo Müller', 'jo@work.example', ('jo@example.org',))
"""

from __future__ import annotations

import io
import quopri
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bridgework.core.ingest.base import Reader
from bridgework.core.ingest.contentline import BadLine, TextLines, read_parameters, text_encoding
from bridgework.core.ingest.names import NameParts, display_name
from bridgework.core.ingest.records import (
    ContactRecord,
    FormatError,
    Identity,
    Issue,
    ReadOptions,
)

__all__ = ["READER", "read_vcard", "SKIP_REASONS", "SUPPORTED_VERSIONS", "MAX_CARD_SIZE"]

#: Keys of the ``skipped`` counter: cards left out on purpose, not errors.
SKIP_REASONS = ("not_a_person",)
#: The vCard versions read.
SUPPORTED_VERSIONS = ("2.1", "3.0", "4.0")

_EXPECTED = "expected a vCard file with BEGIN:VCARD"
_VERSIONS = {"2.1": "2.1", "3.0": "3.0", "3": "3.0", "4.0": "4.0", "4": "4.0"}
#: Properties whose value is read; a broken line of one of them is an issue.
_READ_PROPERTIES = frozenset({"FN", "N", "EMAIL", "TEL", "ORG", "TITLE", "UID", "KIND"})
_NOT_PEOPLE = frozenset({"GROUP", "ORG", "LOCATION"})
#: The most characters of the properties read (names, addresses, phones...) one card may
#: hold; memory is bounded by it, not by the file. A bigger card is an issue and is skipped.
MAX_CARD_SIZE = 1 << 20
#: Properties a card keeps while it is read; every other line is dropped at once.
_KEPT_PROPERTIES = _READ_PROPERTIES | {"X-ADDRESSBOOKSERVER-KIND"}
_PROGRESS_EVERY = 500  # cards between progress calls


def read_vcard(
    path: Path,
    *,
    options: ReadOptions,
    progress: Callable[[int], None] | None = None,
    skipped: Counter[str] | None = None,
    max_card_size: int = MAX_CARD_SIZE,
) -> Iterator[ContactRecord | Issue]:
    """Yield one :class:`ContactRecord` per person card and an :class:`Issue` per bad card.

    The file is streamed a line at a time and each card is read on its own,
    keeping only the lines of the properties read (photos and notes are
    dropped as they come), so memory is bounded by the largest card, not by
    the file.

    Parameters
    ----------
    path : Path
        A ``.vcf`` file with any number of cards.
    options : ReadOptions
        Accepted for the common reader interface; nothing in it applies.
    progress : callable, optional
        Called with the bytes read so far, now and then and once at the end.
    skipped : collections.Counter, optional
        When given, counts the cards left out on purpose (:data:`SKIP_REASONS`).
    max_card_size : int
        The most characters of the properties read that one card may hold; a
        bigger card is an issue and is skipped.

    Raises
    ------
    FormatError
        Before yielding anything, when the file cannot be read or is not a
        vCard file (jCard and xCard included).
    """
    path = Path(path)
    skipped = skipped if skipped is not None else Counter()
    encoding = _encoding(path)
    utf8 = encoding != "latin-1"
    _check_format(path, encoding)
    lines = TextLines(path, encoding=encoding, limit=max_card_size + 1)

    for item in _cards(enumerate(lines, start=1), max_size=max_card_size):
        if isinstance(item, Issue):
            yield item
            continue
        if progress is not None and item.index % _PROGRESS_EVERY == 0:
            progress(lines.bytes_read)
        try:
            contact = _read_card(item, utf8=utf8)
        except _BadCard as bad:
            yield Issue(item.position, str(bad))
            continue
        if contact is None:
            skipped["not_a_person"] += 1
        else:
            yield contact
    if progress is not None:
        progress(path.stat().st_size)


READER = Reader(
    name="vcard",
    label="Contacts (vCard .vcf)",
    produces="contacts",
    read=read_vcard,
    extensions=(".vcf", ".vcard"),
    description=(
        "People from an address book (vCard 2.1, 3.0 or 4.0): names, e-mail "
        "addresses, phones, organization and title. Photos, addresses, "
        "birthdays and notes are never read."
    ),
)


# --------------------------------------------------------------------------- file


def _encoding(path: Path) -> str:
    """UTF-8, UTF-16 with a BOM, else Latin-1, which keeps every byte so each value
    can be re-decoded with its CHARSET."""
    try:
        return text_encoding(path)
    except OSError as exc:
        raise FormatError(
            path, f"{_EXPECTED}; the file cannot be read ({exc.strerror or exc})"
        ) from exc


_BEGIN = re.compile(r"(?i)(?:[a-z0-9-]+\.)?begin\s*:\s*vcard\s*")
_END = re.compile(r"(?i)(?:[a-z0-9-]+\.)?end\s*:\s*vcard\s*")
_HEAD = 4096  # characters of the file's start looked at to say what it is instead


def _head(path: Path, encoding: str) -> str:
    """The first :data:`_HEAD` characters after leading white space, lower-cased."""
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        start, at_start = "", encoding != "latin-1"
        while len(start) < _HEAD and (block := text.read(_HEAD)):
            if at_start:  # a byte-order mark, only at the very start
                block = block.lstrip("\ufeff")
                at_start = not block
            start = start + block if start else block.lstrip()
    return start[:_HEAD].lower()


def _check_format(path: Path, encoding: str) -> None:
    first = next(
        (raw.strip() for raw in TextLines(path, encoding=encoding, limit=_HEAD) if raw.strip()),
        "",
    )
    if _BEGIN.fullmatch(first):
        return
    head = _head(path, encoding)
    if not first:
        found = "the file is empty"
    elif head.startswith(("[", "{")) and '"vcard"' in head:
        found = (
            "this is jCard (vCard as JSON, RFC 7095), which is not supported: "
            "export the contacts as a .vcf file"
        )
    elif head.startswith("<") and "vcard" in head:
        found = (
            "this is xCard (vCard as XML, RFC 6351), which is not supported: "
            "export the contacts as a .vcf file"
        )
    elif head.startswith(("[", "{")):
        found = "it is JSON, not a vCard file"
    elif _looks_binary(first):
        found = "it starts with binary data"
    elif first.upper() == "BEGIN:VCALENDAR":
        found = "this is an iCalendar file: import it with the ics format"
    elif re.fullmatch(r"(?i)BEGIN:\s*[A-Za-z0-9-]{1,40}", first):
        found = f"it starts with {first.upper().replace(' ', '')}"
    else:
        found = "it starts with other text"
    raise FormatError(path, f"{_EXPECTED}; {found}")


def _looks_binary(line: str) -> bool:
    """Control characters (C0 but tab, or C1) do not occur in a text line."""
    return any((ord(c) < 32 and c != "\t") or 0x7F <= ord(c) <= 0x9F for c in line)


# --------------------------------------------------------------------------- cards


class _Unfolder:
    """One card's logical lines, built a physical line at a time, for one vCard version.

    Unfolds folded lines and joins quoted-printable soft line breaks. vCard 2.1
    folding keeps the white space that starts a continuation line; 3.0 and
    4.0 remove it (RFC 6350 section 3.2). Only the lines of properties that
    are read are kept: inline binary data, photos, notes and the like are
    dropped as they come, so a photo never reaches the parser nor fills memory.
    """

    def __init__(self, *, version_2_1: bool, max_size: int) -> None:
        self.version_2_1 = version_2_1
        self.max_size = max_size
        self.lines: list[tuple[int, str]] = []
        self.size = 0  # characters of the lines kept
        self.oversized = False
        self._number = 0
        self._parts: list[str] = []  # the current line; only its last part once it is dropped
        self._length = 0
        self._kept: bool | None = None  # None while its name may still grow
        self._quoted_printable = False
        self._binary = False
        self._open = False

    def feed(self, number: int, raw: str) -> None:
        if self.oversized:
            return
        if not raw.strip():
            if self._soft_break_pending():
                self.close()  # Android ends a value with a soft break and an empty line
            return  # vCard 2.1 ends BASE64 data with an empty line
        if self._open and raw[:1] in (" ", "\t"):
            if self._binary:
                return
            if self._soft_break_pending():
                self._soft_break(raw.strip())  # soft break, then indented
            else:
                self._add(raw if self.version_2_1 else raw[1:])
            return
        if self._soft_break_pending() and not _PROPERTY_START.match(raw):
            self._soft_break(raw.strip())
            return
        if self._open and self._binary and self.version_2_1 and ":" not in raw:
            return  # unindented BASE64 continuation from a careless 2.1 writer
        self.close()
        self._number, self._open = number, True
        self._parts, self._length, self._kept = [], 0, None
        self._quoted_printable = bool(_QUOTED_PRINTABLE.match(raw))
        self._binary = bool(_BINARY.match(raw))
        if self._binary:
            self._kept = False
        self._add(raw)

    def close(self) -> None:
        """End the current line: keep it if it is read."""
        if not self._open or self.oversized:
            return
        self._open = False
        text = "".join(self._parts)
        if self._kept is None:
            self._kept = _is_read(text)
        if self._kept:
            self.lines.append((self._number, text))
            self.size += self._length

    def _soft_break_pending(self) -> bool:
        """Whether the open line is quoted-printable and ends with a soft line break."""
        return self._open and self._quoted_printable and self._parts[-1].endswith("=")

    def _soft_break(self, text: str) -> None:
        last = self._parts.pop()[:-1]
        self._length -= 1
        if last:
            self._parts.append(last)
        self._add(text)

    def _add(self, part: str) -> None:
        self._parts.append(part)
        self._length += len(part)
        if self._kept is None and not _NAME_CHARACTERS.fullmatch(part):
            self._kept = _is_read("".join(self._parts))  # the name is complete now
        if self._kept is False:
            del self._parts[:-1]
        elif self.size + self._length > self.max_size:
            self.oversized = True
            self.lines, self._parts = [], []


_NAME_CHARACTERS = re.compile(r"[A-Za-z0-9.-]*")
#: The vCard 2.1, 3.0 and 4.0 properties (RFC 6350, RFC 2426, vCard 2.1 section 2).
_PROPERTY_NAMES = (
    "ADR|AGENT|ANNIVERSARY|BDAY|BEGIN|CALADRURI|CALURI|CATEGORIES|CLASS|CLIENTPIDMAP|"
    "EMAIL|END|FBURL|FN|GENDER|GEO|IMPP|KEY|KIND|LABEL|LANG|LOGO|MAILER|MEMBER|N|NAME|"
    "NICKNAME|NOTE|ORG|PHOTO|PRODID|PROFILE|RELATED|REV|ROLE|SORT-STRING|SOUND|SOURCE|"
    "TEL|TITLE|TZ|UID|URL|VERSION|XML|X-[A-Z0-9-]+"
)
#: A line that starts a property, ``[group.]NAME[;params]:``: after a quoted-printable
#: soft line break it starts the next property rather than continuing the value (an
#: Android export breaks a value's last line with "=" and goes on with the next one).
#: Only known names count, so a continuation such as ``ler: Geschäftsführer`` still joins.
_PROPERTY_START = re.compile(rf"(?i)(?:[A-Z0-9-]+\.)?(?:{_PROPERTY_NAMES})(?:;[^:]*)?:")


def _is_read(text: str) -> bool:
    """Whether a logical line is of a property the reader reads (a broken one included)."""
    match = _NAME.match(text)
    return match is not None and match.group(1).upper() in _KEPT_PROPERTIES


@dataclass(slots=True)
class _Card:
    """A card while its lines come: its version and its logical lines, for either version
    until the VERSION line says which."""

    index: int
    line: int
    max_size: int
    version: str | None = None  # as written on the first VERSION line
    unfolders: list[_Unfolder] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.unfolders = [
            _Unfolder(version_2_1=True, max_size=self.max_size),
            _Unfolder(version_2_1=False, max_size=self.max_size),
        ]

    @property
    def position(self) -> str:
        return f"card {self.index} (line {self.line})"

    def feed(self, number: int, raw: str) -> None:
        if self.version is None:
            match = _VERSION_LINE.fullmatch(raw.strip())
            if match:
                self.version = match.group(1)
                known = _VERSIONS.get(self.version)
                self.unfolders = [u for u in self.unfolders if u.version_2_1 == (known == "2.1")]
                if known is None:
                    self.unfolders = []  # the card is an issue whatever else it holds
        for unfolder in self.unfolders:
            unfolder.feed(number, raw)


def _cards(lines: Iterator[tuple[int, str]], *, max_size: int) -> Iterator[_Card | Issue]:
    """Cards between BEGIN:VCARD and END:VCARD; broken pairing becomes an issue.

    A vCard 2.1 ``AGENT`` may embed a whole card; that nested card is skipped
    with its parent rather than mistaken for a missing END:VCARD.
    """
    card: _Card | None = None
    index = 0
    nested = 0
    stray_reported = False
    previous = ""
    for number, raw in lines:
        stripped = raw.strip()
        if card is None:
            if not stripped:
                continue
            if _BEGIN.fullmatch(stripped):
                index += 1
                card = _Card(index, number, max_size)
                stray_reported = False
            elif _END.fullmatch(stripped):
                yield Issue(f"line {number}", "END:VCARD without a BEGIN:VCARD before it")
            elif not stray_reported:
                yield Issue(
                    f"line {number}",
                    "text outside any BEGIN:VCARD ... END:VCARD block was skipped "
                    "(a card with its BEGIN:VCARD line missing?)",
                )
                stray_reported = True
            continue
        continuation = raw[:1] in (" ", "\t")
        if not continuation and _BEGIN.fullmatch(stripped):
            if re.fullmatch(r"(?i)(?:[a-z0-9-]+\.)?agent(?:;[^:]*)?:\s*", previous):
                nested += 1
                continue
            yield Issue(
                card.position,
                f"BEGIN:VCARD is not closed by END:VCARD before the next BEGIN:VCARD "
                f"at line {number}; the card was skipped",
            )
            index += 1
            card = _Card(index, number, max_size)
            continue
        if not continuation and _END.fullmatch(stripped):
            if nested:
                nested -= 1
                continue
            for unfolder in card.unfolders:
                unfolder.close()
            yield card
            card = None
            continue
        if not nested:
            card.feed(number, raw)
        if stripped:
            previous = stripped
    if card is not None:
        yield Issue(
            card.position,
            "BEGIN:VCARD is not closed by END:VCARD before the end of the file; "
            "the card was skipped (the file may be truncated)",
        )


class _BadCard(ValueError):
    """A card that cannot be read; the message is the issue's reason."""


@dataclass(frozen=True, slots=True)
class _Property:
    name: str
    params: dict[str, list[str]]
    value: str
    line: int

    def param(self, name: str) -> str:
        values = self.params.get(name)
        return values[0].strip() if values else ""

    @property
    def types(self) -> set[str]:
        return {
            t.strip().lower() for value in self.params.get("TYPE", ()) for t in value.split(",")
        }

    @property
    def rank(self) -> int:
        """Lower is more preferred: 4.0 ``PREF=n``, else 3.0/2.1 ``pref`` type, else last."""
        try:
            return int(self.param("PREF"))
        except ValueError:
            return 1 if "pref" in self.types else 101


_VERSION_LINE = re.compile(r"(?i)(?:[a-z0-9-]+\.)?version\s*:\s*(\S*)\s*")
_QUOTED_PRINTABLE = re.compile(r"(?i)[^:]*quoted-printable[^:]*:")
_BINARY = re.compile(r"(?i)[^:]*;\s*(?:encoding=)?(?:b|base64)\s*[;:]")


def _version(card: _Card) -> str:
    if card.version is None:
        return "3.0"  # a card without VERSION: read it by the most common rules
    version = _VERSIONS.get(card.version)
    if version is None:
        shown = card.version[:10] or "(empty)"
        raise _BadCard(
            f"VERSION {shown} is not supported; expected {', '.join(SUPPORTED_VERSIONS)}"
        )
    return version


_NAME = re.compile(r"(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)")
_BARE_ENCODINGS = frozenset({"QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT", "B"})


def _parse_line(text: str, number: int) -> _Property:
    """``[group.]NAME *(";" param) ":" value``; bare 2.1 parameters become TYPE or ENCODING."""
    match = _NAME.match(text)
    if not match:
        raise BadLine("the line does not start with a property name")
    name, i, end = match.group(1).upper(), match.end(), len(text)
    params, i = read_parameters(
        text, i, bare=lambda name: "ENCODING" if name in _BARE_ENCODINGS else "TYPE"
    )
    if i >= end or text[i] != ":":
        raise BadLine("there is no ':' between the property name and its value")
    return _Property(name, params, text[i + 1 :], number)


def _decode(prop: _Property, *, utf8: bool) -> str:
    """The property's text: quoted-printable and CHARSET undone, escapes kept."""
    charset = prop.param("CHARSET") or "utf-8"
    if prop.param("ENCODING").upper() in ("QUOTED-PRINTABLE", "QP"):
        raw = quopri.decodestring(prop.value.encode("utf-8" if utf8 else "latin-1"))
    elif utf8:
        return prop.value
    else:
        raw = prop.value.encode("latin-1")
        if not prop.param("CHARSET"):
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError:
                return raw.decode("cp1252", errors="replace")
    try:
        return raw.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know
        return raw.decode("utf-8", errors="replace")


def _unescape(value: str) -> str:
    """Backslash escapes of vCard text (``\\,`` ``\\;`` ``\\\\`` ``\\n``)."""
    return re.sub(r"\\(.)", lambda m: " " if m.group(1) in "nN" else m.group(1), value).strip()


def _components(value: str) -> list[str]:
    """A structured value (N, ORG) split on unescaped semicolons."""
    return [_unescape(part) for part in re.split(r"(?<!\\);", value)]


_EMAIL = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+")


def _name_parts(value: str) -> NameParts:
    """N's five components, each a comma-separated list (RFC 6350 section 6.2.2)."""
    family, given, additional, prefix, suffix = (
        [p.strip() for p in component.split(",") if p.strip()]
        for component in [*_components(value), "", "", "", "", ""][:5]
    )
    return NameParts(
        family=" ".join(family),
        given=" ".join(given),
        middle=" ".join(additional),
        prefix=" ".join(prefix),
        suffix=", ".join(suffix),
    )


def _read_card(card: _Card, *, utf8: bool) -> ContactRecord | None:
    """The card as a contact; ``None`` for a card that is not a person."""
    version = _version(card)
    unfolder = next(u for u in card.unfolders if u.version_2_1 == (version == "2.1"))
    if unfolder.oversized:
        raise _BadCard(
            f"the card holds more than {card.max_size:,} characters of names, addresses "
            "and numbers; it was skipped"
        )
    properties: list[_Property] = []
    for number, text in unfolder.lines:
        try:
            properties.append(_parse_line(text, number))
        except BadLine as bad:
            match = _NAME.match(text)
            if match and match.group(1).upper() in _READ_PROPERTIES:
                raise _BadCard(
                    f"the {match.group(1).upper()} line (line {number}) cannot be read: {bad}"
                ) from None

    def all_of(name: str) -> list[_Property]:
        return [p for p in properties if p.name == name]

    formatted = sorted(all_of("FN"), key=lambda p: p.rank)
    structured = all_of("N")
    name = display_name(
        next((n for n in (_unescape(_decode(p, utf8=utf8)) for p in formatted) if n), ""),
        parts=_name_parts(_decode(structured[0], utf8=utf8)) if structured else None,
    )

    emails: list[str] = []
    for prop in sorted(all_of("EMAIL"), key=lambda p: p.rank):
        match = _EMAIL.search(_unescape(_decode(prop, utf8=utf8)).removeprefix("mailto:"))
        if match and match.group().lower() not in emails:
            emails.append(match.group().lower())
    phones: list[str] = []
    for prop in sorted(all_of("TEL"), key=lambda p: p.rank):
        phone = _unescape(_decode(prop, utf8=utf8))
        phone = re.sub(r"(?i)^tel:", "", phone).strip()
        if phone and phone not in phones:
            phones.append(phone)
    if not (name or emails or phones):
        raise _BadCard("the card has no name, e-mail address or phone number")
    if not (name or emails):
        # A card with an address alone is kept: the person is named from the
        # address, as the senders of e-mail are.
        raise _BadCard("the card has a phone number but no name or e-mail address")

    kinds = {
        _unescape(p.value).upper() for p in all_of("KIND") + all_of("X-ADDRESSBOOKSERVER-KIND")
    }
    if kinds & _NOT_PEOPLE:
        return None

    organization = ""
    for prop in all_of("ORG"):
        organization = _components(_decode(prop, utf8=utf8))[0]
        if organization:
            break
    title = next((t for t in (_unescape(_decode(p, utf8=utf8)) for p in all_of("TITLE")) if t), "")
    uid = next((u for u in (_unescape(p.value) for p in all_of("UID")) if u), "")
    return ContactRecord(
        identity=Identity(
            email=emails[0] if emails else "",
            extra_emails=tuple(emails[1:]),
            name=name,
            organization=organization,
            title=title,
            phones=tuple(phones),
            source_key=f"vcard:{uid}" if uid else "",
        )
    )
