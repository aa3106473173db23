"""Generic CSV: contacts or interactions from any spreadsheet, with a column mapping.

``options.column_mapping`` maps *our* field names to the file's column names.
Which fields are mapped decides what the rows are:

* **interactions** (any of ``occurred_at``, ``sender_email``,
  ``recipient_emails`` mapped) -> :class:`~bridgework.core.ingest.records.EventRecord`.
  Required: ``occurred_at``, ``sender_email``, ``recipient_emails`` (several
  addresses separated by ``;`` or ``,``). Optional: ``channel`` (one of
  :data:`~bridgework.core.ingest.records.CHANNELS`, ``other`` when the column
  is unmapped or the cell empty), ``duration_minutes``, ``sender_name`` and
  ``external_id`` (when absent: a stable hash of the whole row, so re-importing
  the same file adds nothing; two identical rows count as one interaction).
  Meetings and calls are ``two_way``, everything else ``one_way``.
* **contacts** (otherwise) -> :class:`~bridgework.core.ingest.records.ContactRecord`.
  Fields: ``name`` or ``first_name`` + ``last_name``, ``email`` (several
  separated by ``;`` or ``,``: the first is the main one), ``organization``,
  ``title``, ``phone`` (several separated by ``;`` or ``,``).

With an empty mapping, columns named like our fields (case and spaces
ignored: ``Sender Email`` -> ``sender_email``) are used.

Reading (:mod:`bridgework.core.ingest.textfiles`): the encoding comes from a
byte-order mark (UTF-8, UTF-16, UTF-32), else UTF-8 when the whole file decodes as
such, else a legacy code page (Windows-1252 unless charset-normalizer makes a
better case); the delimiter (comma, semicolon, tab or pipe) is sniffed on the first
64 KB. When the mapped columns are not in the header split at the sniffed
delimiter, the other delimiters are tried; when none fits, the
:class:`~bridgework.core.ingest.records.FormatError` names the encoding and the
delimiters tried. ``.gz`` files are decompressed on the fly.

Dates (:func:`parse_datetime`): ISO 8601 (``2026-11-24``, ``2026-11-24T09:30``,
``2026-11-24 09:30:00+01:00``, ``...Z``), RFC 2822 (``Tue, 24 Nov 2026 09:30:00
+0000``), month names (``24 Nov 2026``, ``24-Nov-26``, ``Nov 24, 2026``, each
with an optional ``09:30`` time), dotted day-first (``24.11.2026``) and slashed
dates (``24/11/2026 09:30``, ``11/24/2026 9:30 PM``). Slashed dates are
day-first unless the file itself proves month-first (a middle number above 12
and no first number above 12, see :func:`detect_day_first`). A time without a
zone is UTC. Day-first is the default because it is what the Viva Insights
exports use; an ISO column avoids the question entirely.

Bad rows become :class:`~bridgework.core.ingest.records.Issue` ``("line N",
reason)`` (N is the file's line where the row starts) and reading goes on: an
unreadable date, an unknown channel, a missing or malformed e-mail address, a
negative or non-numeric duration, more cells than the header. Reasons quote
dates and numbers but never names or addresses. A mapping that names columns
the file lacks raises :class:`~bridgework.core.ingest.records.FormatError`
naming the missing columns and the columns the file has.

The helpers (:func:`open_text`, :func:`csv_rows`, :func:`parse_datetime`, ...)
are shared by the other CSV-based readers (LinkedIn, Viva Insights).

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "log.csv").write_text(
...     "When;From;To;Kind\\n2026-03-02 10:00;ann@example.org;bo@example.org;call\\n")
>>> mapping = {"occurred_at": "When", "sender_email": "From",
...            "recipient_emails": "To", "channel": "Kind"}
>>> [event] = READER(folder / "log.csv", options=ReadOptions(column_mapping=mapping))
>>> event.occurred_at.isoformat(), event.channel, event.direction
('2026-03-02T10:00:00+00:00', 'call', 'two_way')
"""

from __future__ import annotations

import csv
import datetime as dt
import email.utils
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TextIO

from bridgework.core.ingest.base import Reader
from bridgework.core.ingest.names import NameParts, display_name
from bridgework.core.ingest.records import (
    CHANNELS,
    ContactRecord,
    EventRecord,
    FormatError,
    Identity,
    Issue,
    ReadOptions,
)
from bridgework.core.ingest.textfiles import (
    TextSource,
    delimiters_to_try,
    detect_encoding,
    open_text,
    sniff_delimiter,
    tried,
)

__all__ = [
    "READER",
    "CONTACT_FIELDS",
    "INTERACTION_FIELDS",
    "read_generic_csv",
    "TextSource",
    "open_text",
    "detect_encoding",
    "sniff_delimiter",
    "csv_rows",
    "parse_datetime",
    "parse_date",
    "detect_day_first",
    "proven_day_first",
    "parse_number",
    "split_emails",
    "is_email",
    "normalize_column",
    "row_hash",
]

#: Fields of a contacts file, in the order they are documented.
CONTACT_FIELDS = ("name", "first_name", "last_name", "email", "organization", "title", "phone")
#: Fields of an interactions file.
INTERACTION_FIELDS = (
    "occurred_at",
    "sender_email",
    "sender_name",
    "recipient_emails",
    "channel",
    "duration_minutes",
    "external_id",
)
_REQUIRED_INTERACTION_FIELDS = ("occurred_at", "sender_email", "recipient_emails")
_CHANNEL_ALIASES = {"e-mail": "email", "mail": "email", "phone": "call", "phone call": "call"}
_TWO_WAY_CHANNELS = frozenset({"meeting", "call"})
_PROGRESS_EVERY = 2000  # rows between progress calls

# ---------------------------------------------------------------- reading text
# Opening the file and sniffing its delimiter: see textfiles.py (re-exported here).


def csv_rows(text: TextIO, *, delimiter: str = ",") -> Iterator[tuple[int, list[str] | None, str]]:
    """``(line, cells, error)`` for each row; ``line`` is where the row starts.

    Rows the csv module cannot parse (an overlong field) or holding a NUL byte come back
    as ``(line, None, reason)`` and reading continues with the next line.
    """
    reader = csv.reader(text, delimiter=delimiter)
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield line, None, f"unreadable CSV ({exc})"
            line = reader.line_num + 1
            continue
        if any("\x00" in cell for cell in row):
            yield line, None, "unreadable CSV (a NUL byte: the file is damaged)"
        else:
            yield line, row, ""
        line = reader.line_num + 1


def normalize_column(name: str) -> str:
    """``' Sender-Email '`` -> ``'sender_email'``: how headers are compared."""
    return re.sub(r"[\s\-]+", "_", name.strip().lstrip("\ufeff").strip()).lower()


# ---------------------------------------------------------------- values

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_TIME = r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?"
_SLASH = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})" + _TIME)
_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})" + _TIME)
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ \-]([A-Za-z]{3,9})\.?[ \-,]+(\d{4}|\d{2})" + _TIME)
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})" + _TIME)


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if len(text) == 2 else year


def _build(year: int, month: int, day: int, time: Sequence[str | None]) -> dt.datetime:
    hour_text, minute_text, second_text, meridiem = time
    hour = int(hour_text or 0)
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError("hour out of range for AM/PM")
        hour = hour % 12 + (12 if meridiem.lower() == "pm" else 0)
    return dt.datetime(
        year, month, day, hour, int(minute_text or 0), int(second_text or 0), tzinfo=dt.UTC
    )


def parse_datetime(text: str, *, day_first: bool = True) -> dt.datetime:
    """A timezone-aware UTC datetime from the formats listed in the module docs.

    Raises ``ValueError`` when ``text`` is none of them.

    >>> parse_datetime("2026-11-24T09:30:00+01:00").isoformat()
    '2026-11-24T08:30:00+00:00'
    >>> parse_datetime("24-Nov-26").isoformat()
    '2026-11-24T00:00:00+00:00'
    >>> parse_datetime("11/24/2026 9:30 PM", day_first=False).isoformat()
    '2026-11-24T21:30:00+00:00'
    """
    value = text.strip()
    if not value:
        raise ValueError("empty")
    try:
        moment: dt.datetime | None = dt.datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None and (match := _SLASH.fullmatch(value)):
        first, second = int(match[1]), int(match[2])
        day, month = (first, second) if day_first else (second, first)
        moment = _build(_year(match[3]), month, day, match.groups()[3:])
    if moment is None and (match := _DOTTED.fullmatch(value)):
        moment = _build(int(match[3]), int(match[2]), int(match[1]), match.groups()[3:])
    if moment is None and (match := _DAY_MONTH_YEAR.fullmatch(value)):
        named = _MONTHS.get(match[2].lower())
        if named is None:
            raise ValueError(f"unknown month {match[2]!r}")
        moment = _build(_year(match[3]), named, int(match[1]), match.groups()[3:])
    if moment is None and (match := _MONTH_DAY_YEAR.fullmatch(value)):
        named = _MONTHS.get(match[1].lower())
        if named is None:
            raise ValueError(f"unknown month {match[1]!r}")
        moment = _build(int(match[3]), named, int(match[2]), match.groups()[3:])
    if moment is None and re.search(r"[A-Za-z]{3}", value):
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            moment = None
    if moment is None:
        raise ValueError("not a date this reader knows")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def parse_date(text: str, *, day_first: bool = True) -> dt.date:
    """The calendar date written in ``text`` (its own day, not shifted to UTC)."""
    value = text.strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return parse_datetime(value, day_first=day_first).date()


def detect_day_first(values: Iterable[str], *, default: bool = True) -> bool:
    """Whether the slashed dates among ``values`` are day-first (``DD/MM/YYYY``).

    Month-first only when some date has a middle number above 12 and none has
    a first number above 12; otherwise ``default``. Stops at the first proof.

    >>> detect_day_first(["01/04/2023", "03/25/2023"]), detect_day_first(["01/04/2023"])
    (False, True)
    """
    proof = proven_day_first(values)
    return default if proof is None else proof


def proven_day_first(values: Iterable[str]) -> bool | None:
    """What the slashed dates among ``values`` prove: day-first, month-first or nothing.

    ``True`` as soon as a first number is above 12; ``False`` when a middle number is
    above 12 and no first number is; ``None`` when no date tells (all numbers 12 or less).

    >>> proven_day_first(["1/8/18", "11/17/17, 9:40 PM"]), proven_day_first(["1/8/18"])
    (False, None)
    """
    month_first_seen = False
    for value in values:
        match = _SLASH.match(value.strip())
        if not match:
            continue
        if int(match[1]) > 12:
            return True
        if int(match[2]) > 12:
            month_first_seen = True
    return False if month_first_seen else None


def parse_number(text: str) -> float:
    """A finite float; ``ValueError`` for anything else (``nan`` and ``inf`` too)."""
    value = float(text.strip())
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError("not a finite number")
    return value


_EMAIL = re.compile(r"[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[^@\s<>,;\"']+")


def is_email(text: str) -> bool:
    """A plausible e-mail address (``local@domain.tld``)."""
    return bool(_EMAIL.fullmatch(text))


def split_emails(text: str) -> list[str]:
    """Addresses separated by ``;`` or ``,``, lower-cased; ``Name <addr>`` keeps ``addr``.

    Invalid entries are kept as they are so the caller can report them.

    >>> split_emails("Ann <Ann@Example.org>; bo@example.org,")
    ['ann@example.org', 'bo@example.org']
    """
    found = []
    for part in re.split(r"[;,]", text):
        part = part.strip()
        if not part:
            continue
        if match := re.search(r"<([^<>]*)>", part):
            part = match[1].strip()
        found.append(part.lower())
    return found


def _quote(value: str, limit: int = 40) -> str:
    value = value.strip()
    return repr(value if len(value) <= limit else value[:limit] + "...")


# ---------------------------------------------------------------- the reader

_WHAT = "a CSV file with a header row naming the columns of the column mapping"


class _ColumnsDoNotFit(FormatError):
    """The mapping and the header disagree: perhaps the header was split at the wrong delimiter."""


def _header_line(source: TextSource, path: Path) -> tuple[str, int]:
    """``(the first non-blank line, lines read)``."""
    lines_read = 1
    first_line = source.text.readline()
    while first_line and not first_line.strip():
        lines_read += 1
        first_line = source.text.readline()
    if not first_line:
        raise FormatError(path, f"the file is empty; expected {_WHAT}")
    return first_line, lines_read


def _fit_columns(
    path: Path, source: TextSource, header_line: str, mapping: dict[str, str]
) -> tuple[str, list[str], str, dict[str, int]]:
    """``(delimiter, header, mode, positions)``: the sniffed delimiter, or the first
    other one whose header holds the mapped columns."""
    delimiters = delimiters_to_try(source.sample)
    misfits: list[_ColumnsDoNotFit] = []
    for delimiter in delimiters:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        header = [cell.strip().lstrip("\ufeff").strip() for cell in cells]
        try:
            mode, positions = _resolve_mapping(path, mapping, header)
        except _ColumnsDoNotFit as misfit:
            misfits.append(misfit)
            continue
        return delimiter, header, mode, positions
    # the message of the sniffed delimiter, the likeliest to be the file's
    raise FormatError(path, f"{misfits[0].expected}; {tried(source.encoding, delimiters)}")


def _resolve_mapping(
    path: Path, mapping: dict[str, str], header: list[str]
) -> tuple[str, dict[str, int]]:
    known = set(CONTACT_FIELDS) | set(INTERACTION_FIELDS)
    if not mapping:
        mapping = {
            normalize_column(column): column
            for column in header
            if normalize_column(column) in known
        }
        if not mapping:
            raise _ColumnsDoNotFit(
                path,
                "no column mapping was given and no column is named like a field "
                f"({', '.join(sorted(known))}); the file has columns: {_columns(header)}",
            )
    unknown = sorted(set(mapping) - known)
    if unknown:
        raise FormatError(
            path,
            f"the column mapping names unknown fields {', '.join(unknown)}; "
            f"contacts use {', '.join(CONTACT_FIELDS)}, interactions use "
            f"{', '.join(INTERACTION_FIELDS)}",
        )
    positions: dict[str, int] = {}
    missing = []
    exact = {column: i for i, column in reversed(list(enumerate(header)))}
    loose = {normalize_column(column): i for i, column in reversed(list(enumerate(header)))}
    for field_name, column in mapping.items():
        if column in exact:
            positions[field_name] = exact[column]
        elif normalize_column(column) in loose:
            positions[field_name] = loose[normalize_column(column)]
        else:
            missing.append(column)
    if missing:
        raise _ColumnsDoNotFit(
            path,
            f"the column mapping names columns the file lacks: {_columns(missing)}; "
            f"the file has columns: {_columns(header)}",
        )
    if set(positions) & set(_REQUIRED_INTERACTION_FIELDS):
        lacking = [f for f in _REQUIRED_INTERACTION_FIELDS if f not in positions]
        if lacking:
            raise FormatError(
                path,
                "an interactions file needs the fields occurred_at, sender_email and "
                f"recipient_emails; the column mapping lacks {', '.join(lacking)}",
            )
        stray = sorted(set(positions) - set(INTERACTION_FIELDS))
        if stray:
            raise FormatError(
                path, f"fields {', '.join(stray)} belong to contacts, not to interactions"
            )
        return "interactions", positions
    if not {"name", "first_name", "last_name", "email"} & set(positions):
        raise FormatError(
            path, "a contacts file needs a name (or first_name/last_name) or an email field"
        )
    return "contacts", positions


def _columns(names: Iterable[str], limit: int = 30) -> str:
    names = list(names)
    shown = ", ".join(repr(n) for n in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _cell(row: list[str], positions: dict[str, int], field_name: str) -> str:
    index = positions.get(field_name)
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _contact(row: list[str], positions: dict[str, int]) -> ContactRecord | str:
    name = display_name(
        _cell(row, positions, "name"),
        parts=NameParts(
            given=_cell(row, positions, "first_name"), family=_cell(row, positions, "last_name")
        ),
    )
    emails = split_emails(_cell(row, positions, "email"))
    for number, address in enumerate(emails, start=1):
        if not is_email(address):
            return f"e-mail {number} is not an e-mail address"
    if not name and not emails:
        return "no name and no e-mail address"
    phones = tuple(
        p.strip() for p in re.split(r"[;,]", _cell(row, positions, "phone")) if p.strip()
    )
    identity = Identity(
        email=emails[0] if emails else "",
        extra_emails=tuple(dict.fromkeys(emails[1:])),
        name=name,
        organization=_cell(row, positions, "organization"),
        title=_cell(row, positions, "title"),
        phones=phones,
    )
    return ContactRecord(identity=identity)


def _interaction(
    row: list[str], positions: dict[str, int], *, day_first: bool
) -> EventRecord | str:
    when = _cell(row, positions, "occurred_at")
    if not when:
        return "no date (occurred_at is empty)"
    try:
        occurred_at = parse_datetime(when, day_first=day_first)
    except ValueError:
        return (
            f"occurred_at {_quote(when)} is not a date (expected ISO 8601, e.g. 2026-11-24T09:30)"
        )
    channel_text = _cell(row, positions, "channel").lower()
    channel = _CHANNEL_ALIASES.get(channel_text, channel_text) or "other"
    if channel not in CHANNELS:
        return f"unknown channel {_quote(channel_text)} (expected one of {', '.join(CHANNELS)})"
    sender_email = _cell(row, positions, "sender_email").lower()
    senders = split_emails(sender_email)
    if not senders:
        return "no sender e-mail address"
    if len(senders) > 1 or not is_email(senders[0]):
        return "the sender is not one e-mail address"
    recipients = split_emails(_cell(row, positions, "recipient_emails"))
    for number, address in enumerate(recipients, start=1):
        if not is_email(address):
            return f"recipient {number} is not an e-mail address"
    others = [r for r in dict.fromkeys(recipients) if r != senders[0]]
    if not others:
        return "no recipient e-mail address" if not recipients else "no recipient but the sender"
    duration_text = _cell(row, positions, "duration_minutes")
    duration = None
    if duration_text:
        try:
            minutes = parse_number(duration_text)
        except ValueError:
            return f"duration_minutes {_quote(duration_text)} is not a number"
        if minutes < 0:
            return f"duration_minutes {_quote(duration_text)} is negative"
        duration = round(minutes)
    external_id = _cell(row, positions, "external_id") or row_hash(row)
    return EventRecord(
        external_id=external_id,
        occurred_at=occurred_at,
        channel=channel,
        sender=Identity(email=senders[0], name=_cell(row, positions, "sender_name")),
        recipients=tuple(Identity(email=address) for address in others),
        direction="two_way" if channel in _TWO_WAY_CHANNELS else "one_way",
        duration_minutes=duration,
    )


def row_hash(row: list[str]) -> str:
    """A stable id for a row without one: ``row-`` and a SHA-256 of its cells."""
    digest = hashlib.sha256("\x1f".join(cell.strip() for cell in row).encode()).hexdigest()
    return f"row-{digest[:32]}"


def read_generic_csv(
    path: Path,
    *,
    options: ReadOptions,
    progress: Callable[[int], None] | None = None,
    skipped: Counter[str] | None = None,
) -> Iterator[ContactRecord | EventRecord | Issue]:
    """Contacts or interactions from a CSV file, as the column mapping says.

    Every row but a blank one is a record or an issue; ``skipped`` counts the
    interactions dated outside ``options.window`` (``"outside_window"``).
    """
    path = Path(path)
    skipped = skipped if skipped is not None else Counter()
    source = open_text(path, what=_WHAT)
    try:
        header_line, header_lines = _header_line(source, path)
        delimiter, header, mode, positions = _fit_columns(
            path, source, header_line, dict(options.column_mapping)
        )
        width = len(header)
        day_first = True
        if mode == "interactions":
            day_first = _scan_day_first(path, source, delimiter, positions["occurred_at"])
        for count, (line, row, error) in enumerate(
            csv_rows(source.text, delimiter=delimiter), start=1
        ):
            line += header_lines
            if progress is not None and count % _PROGRESS_EVERY == 0:
                progress(source.bytes_done())
            if error:
                yield Issue(f"line {line}", error)
                continue
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) > width and any(cell.strip() for cell in row[width:]):
                yield Issue(
                    f"line {line}",
                    f"{len(row)} cells but the header has {width} (an unquoted delimiter?)",
                )
                continue
            record: ContactRecord | EventRecord | str
            if mode == "contacts":
                record = _contact(row, positions)
            else:
                record = _interaction(row, positions, day_first=day_first)
                if isinstance(record, EventRecord) and not options.window.contains(
                    record.occurred_at
                ):
                    skipped["outside_window"] += 1
                    continue
            if isinstance(record, str):
                yield Issue(f"line {line}", record)
            else:
                yield record
        if progress is not None:
            progress(source.bytes_done())
    finally:
        source.close()


def _scan_day_first(path: Path, source: TextSource, delimiter: str, column: int) -> bool:
    """Read the date column once to learn whether slashed dates are day-first."""
    scan = open_text(path, what=_WHAT, encoding=source.encoding)
    try:

        def dates() -> Iterator[str]:
            for _line, row, _error in csv_rows(scan.text, delimiter=delimiter):
                if row and column < len(row) and "/" in row[column]:
                    yield row[column]

        return detect_day_first(dates())
    finally:
        scan.close()


READER = Reader(
    name="csv",
    label="CSV file with a column mapping (contacts or interactions)",
    produces="contacts",
    read=read_generic_csv,
    extensions=(".csv", ".tsv", ".txt", ".csv.gz"),
    description=(
        "Contacts (name, email, organization, title, phone) or interactions "
        "(occurred_at, sender_email, recipient_emails, channel, duration_minutes) "
        "from any spreadsheet export; options.column_mapping maps each field to a column."
    ),
)
