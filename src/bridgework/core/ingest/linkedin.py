"""LinkedIn ``Connections.csv``: a member's first-degree connections as contacts.

LinkedIn's data export ("Get a copy of your data" -> Connections) has the columns
``First Name, Last Name, URL, Email Address, Company, Position, Connected On``.
Two layouts are read:

* the current one starts with a ``Notes:`` preamble (a quoted paragraph about
  missing e-mail addresses and a blank line) before the header row;
* older exports start directly with the header, and some have no ``URL`` column.

The header is found by its column names (the first of the first 50 rows that
holds ``First Name``, ``Last Name`` and ``Connected On``), never by line number,
so a changed preamble does not matter. The other columns are optional.

Each row becomes a :class:`~bridgework.core.ingest.records.ContactRecord`:
``Identity(name="First Last", email, organization=Company, title=Position,
source_key="linkedin:" + URL)`` (no ``source_key`` without a URL) and
``connected_on`` from ``Connected On`` (``24 Nov 2026``, ``24-Nov-26``, ISO,
and the slashed dates with a time of older exports, ``11/17/17, 9:40 PM``).
Cells are stripped: the export keeps stray spaces inside fields. A URL that is not
a web address (``N/A``) gives no ``source_key``; the row is kept.

Slashed dates are read in the order the file itself proves (see
:func:`~bridgework.core.ingest.generic_csv.proven_day_first`): ``11/17/17``
anywhere in the file makes ``1/8/18`` 8 January, ``17/11/2017`` makes it 1 August.
The ``Connected On`` column is read once to decide. When no date proves either
order, a twelve-hour clock (``AM``/``PM``, how US-English exports write the time)
means month-first and anything else day-first.

Files saved again by a spreadsheet are read too: any encoding and any of comma,
semicolon, tab or pipe as the delimiter (see :mod:`~bridgework.core.ingest.textfiles`);
the header is looked for with each delimiter, the sniffed one first.

Decisions on imperfect rows (each an ``Issue("line N", reason)``, the row skipped):

* **no first and no last name**: LinkedIn blanks the names (and URL and e-mail)
  of deactivated and private members; nothing identifies the person.
* **Connected On present but not a date**: the row is skipped, not kept
  without a date. In a machine-written export a bad date almost always means
  the row is damaged -- typically an unquoted comma in Company or Position that
  shifted every later column -- so its organization and title cannot be
  trusted either.
* **more cells than the header** (the same damage, seen directly).

An *empty* Connected On is not an issue: the contact is kept with
``connected_on=None``. Nor is anything wrong with a column the contact can do
without (URL, Email Address, Company, Position): the row is kept without it.
A file without such a header raises
:class:`~bridgework.core.ingest.records.FormatError` naming the encoding and the
delimiters tried.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "Connections.csv"
>>> _ = path.write_text(
...     "First Name,Last Name,Email Address,Company,Position,Connected On\\n"
...     "Ann,Lee,,Acme ,CTO,24-Nov-26\\n")
>>> [contact] = READER(path)
>>> contact.identity.name, contact.identity.organization, contact.connected_on
('Ann Lee', 'Acme', datetime.date(2026, 11, 24))
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bridgework.core.ingest.base import Reader
from bridgework.core.ingest.generic_csv import (
    csv_rows,
    is_email,
    normalize_column,
    parse_date,
    proven_day_first,
)
from bridgework.core.ingest.names import NameParts
from bridgework.core.ingest.records import (
    ContactRecord,
    FormatError,
    Identity,
    Issue,
    ReadOptions,
)
from bridgework.core.ingest.textfiles import (
    DELIMITERS,
    TextSource,
    delimiters_to_try,
    open_text,
    tried,
)

__all__ = ["READER", "COLUMNS", "read_linkedin_connections"]

#: The columns of the current export, in order.
COLUMNS = (
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
)
_REQUIRED = ("first_name", "last_name", "connected_on")
_HEADER_SEARCH_ROWS = 50
_PROGRESS_EVERY = 2000
_EXPECTED = (
    "expected LinkedIn's Connections.csv with columns "
    "First Name, Last Name, URL, Email Address, Company, Position, Connected On "
    "(URL optional, possibly after a 'Notes:' preamble)"
)
_TWELVE_HOUR_CLOCK = re.compile(r"\d\s*[AaPp][Mm]\s*$")


@dataclass(frozen=True)
class _Header:
    """Where the header row is and how it splits the rows."""

    line: int
    delimiter: str
    columns: dict[str, int]  # normalized column name -> position
    width: int


def read_linkedin_connections(
    path: Path,
    *,
    options: ReadOptions,
    progress: Callable[[int], None] | None = None,
    skipped: Counter[str] | None = None,
) -> Iterator[ContactRecord | Issue]:
    """Contacts from a LinkedIn ``Connections.csv``; see the module docs for the rules.

    Every row after the header but a blank one is a contact or an issue, so
    ``skipped`` (the common reader interface) is never counted in.
    """
    path = Path(path)
    source = open_text(path, what=_EXPECTED)
    try:
        header = _find_header(source.sample)
        if header is None:
            raise FormatError(
                path,
                f"{_EXPECTED}; no such header in the first {_HEADER_SEARCH_ROWS} rows "
                + tried(source.encoding, list(DELIMITERS)),
            )
        day_first = _day_first(path, source, header)
        rows = csv_rows(source.text, delimiter=header.delimiter)
        for line, _row, _error in rows:
            if line >= header.line:
                break
        for count, (line, row, error) in enumerate(rows, start=1):
            if progress is not None and count % _PROGRESS_EVERY == 0:
                progress(source.bytes_done())
            if error:
                yield Issue(f"line {line}", error)
                continue
            if not row or not any(cell.strip() for cell in row):
                continue
            outcome = _contact(
                row, header.columns, header.width, delimiter=header.delimiter, day_first=day_first
            )
            yield Issue(f"line {line}", outcome) if isinstance(outcome, str) else outcome
        if progress is not None:
            progress(source.bytes_done())
    finally:
        source.close()


def _find_header(sample: str) -> _Header | None:
    """The first of the first rows that names the required columns, under any delimiter."""
    for delimiter in delimiters_to_try(sample):
        for line, row, _error in csv_rows(io.StringIO(sample), delimiter=delimiter):
            if line > _HEADER_SEARCH_ROWS:
                break
            if row is None:
                continue
            columns = {normalize_column(cell): i for i, cell in reversed(list(enumerate(row)))}
            if all(name in columns for name in _REQUIRED):
                return _Header(line, delimiter, columns, len(row))
    return None


def _day_first(path: Path, source: TextSource, header: _Header) -> bool:
    """Whether slashed Connected On dates are day-first; see the module docs."""
    column = header.columns["connected_on"]
    twelve_hour_clock = False
    scan = open_text(path, what=_EXPECTED, encoding=source.encoding)

    def slashed_dates() -> Iterator[str]:
        nonlocal twelve_hour_clock
        for line, row, _error in csv_rows(scan.text, delimiter=header.delimiter):
            if line > header.line and row and column < len(row) and "/" in row[column]:
                twelve_hour_clock = twelve_hour_clock or bool(
                    _TWELVE_HOUR_CLOCK.search(row[column])
                )
                yield row[column]

    try:
        proof = proven_day_first(slashed_dates())
    finally:
        scan.close()
    return (not twelve_hour_clock) if proof is None else proof


def _contact(
    row: list[str], columns: dict[str, int], width: int, *, delimiter: str, day_first: bool
) -> ContactRecord | str:
    if len(row) > width and any(cell.strip() for cell in row[width:]):
        return f"{len(row)} cells but the header has {width} (an unquoted {DELIMITERS[delimiter]}?)"

    def cell(name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    name = NameParts(given=cell("first_name"), family=cell("last_name")).reading_order()
    if not name:
        return "no first or last name (LinkedIn blanks them for deactivated or private members)"
    connected_text = cell("connected_on")
    connected_on = None
    if connected_text:
        try:
            connected_on = parse_date(connected_text, day_first=day_first)
        except ValueError:
            return (
                f"Connected On {connected_text[:40]!r} is not a date "
                "(expected e.g. '24 Nov 2026'); the row may be shifted by an unquoted "
                + DELIMITERS[delimiter]
            )
    email = cell("email_address").lower()
    if email and not is_email(email):
        email = ""  # LinkedIn writes nothing else here; a non-address carries no identity
    url = cell("url").rstrip("/")
    if not url.startswith(("https://", "http://")):
        url = ""  # "N/A" and the like: not an address, and shared by many rows
    identity = Identity(
        email=email,
        name=name,
        organization=cell("company"),
        title=cell("position"),
        source_key=f"linkedin:{url}" if url else "",
    )
    return ContactRecord(identity=identity, connected_on=connected_on)


READER = Reader(
    name="linkedin",
    label="LinkedIn connections (Connections.csv)",
    produces="contacts",
    read=read_linkedin_connections,
    extensions=(".csv",),
    description=(
        "Your first-degree connections from LinkedIn's data export: name, e-mail when "
        "shared, company, position, profile URL and the date you connected."
    ),
)
