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
``connected_on`` from ``Connected On`` (``24 Nov 2026``, ``24-Nov-26``, ISO, ...).
Cells are stripped: the export keeps stray spaces inside fields.

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
``connected_on=None``. A file without such a header raises
:class:`~bridgework.core.ingest.records.FormatError`.

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

from collections.abc import Callable, Iterator
from pathlib import Path

from bridgework.core.ingest.base import Reader
from bridgework.core.ingest.generic_csv import (
    csv_rows,
    is_email,
    normalize_column,
    open_text,
    parse_date,
)
from bridgework.core.ingest.records import (
    ContactRecord,
    FormatError,
    Identity,
    Issue,
    ReadOptions,
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


def read_linkedin_connections(
    path: Path,
    *,
    options: ReadOptions,
    progress: Callable[[int], None] | None = None,
) -> Iterator[ContactRecord | Issue]:
    """Contacts from a LinkedIn ``Connections.csv``; see the module docs for the rules."""
    path = Path(path)
    source = open_text(path, what=_EXPECTED)
    try:
        rows = csv_rows(source.text)
        columns: dict[str, int] | None = None
        width = 0
        for line, row, _error in rows:
            if row is not None:
                normalized = {
                    normalize_column(cell): i for i, cell in reversed(list(enumerate(row)))
                }
                if all(name in normalized for name in _REQUIRED):
                    columns = normalized
                    width = len(row)
                    break
            if line >= _HEADER_SEARCH_ROWS:
                break
        if columns is None:
            raise FormatError(path, _EXPECTED)
        for count, (line, row, error) in enumerate(rows, start=1):
            if progress is not None and count % _PROGRESS_EVERY == 0:
                progress(source.bytes_done())
            if error:
                yield Issue(f"line {line}", error)
                continue
            if not row or not any(cell.strip() for cell in row):
                continue
            outcome = _contact(row, columns, width)
            yield Issue(f"line {line}", outcome) if isinstance(outcome, str) else outcome
        if progress is not None:
            progress(source.bytes_done())
    finally:
        source.close()


def _contact(row: list[str], columns: dict[str, int], width: int) -> ContactRecord | str:
    if len(row) > width and any(cell.strip() for cell in row[width:]):
        return f"{len(row)} cells but the header has {width} (an unquoted comma?)"

    def cell(name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    name = " ".join(part for part in (cell("first_name"), cell("last_name")) if part)
    if not name:
        return "no first or last name (LinkedIn blanks them for deactivated or private members)"
    connected_text = cell("connected_on")
    connected_on = None
    if connected_text:
        try:
            connected_on = parse_date(connected_text)
        except ValueError:
            return (
                f"Connected On {connected_text[:40]!r} is not a date "
                "(expected e.g. '24 Nov 2026'); the row may be shifted by an unquoted comma"
            )
    email = cell("email_address").lower()
    if email and not is_email(email):
        email = ""  # LinkedIn writes nothing else here; a non-address carries no identity
    url = cell("url").rstrip("/")
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
