"""Microsoft Viva Insights: the person query and the person-to-person network query.

Two readers, for the two query exports Bridgework uses (``.csv`` or ``.csv.gz``):

``viva-person`` (produces contacts) -- the **person query**, one row per person
per week: ``PersonId``, ``MetricDate`` and many numeric metrics, plus the HR
attributes the analyst added (``Organization``, ``FunctionType``,
``LevelDesignation``, ``SupervisorIndicator``, ``Level``, ``Layer``, ``HireDate``
…). Yields one :class:`~bridgework.core.ingest.records.ContactRecord` per
distinct ``PersonId`` with ``Identity(source_key="viva:" + PersonId,
attributes=(("Organization", "IT"), ("LevelDesignation", "Senior IC"), …))``,
taken from that person's row with the **latest** ``MetricDate`` (a later row
in the file wins a tie): HR attributes change over time and the newest are
the ones that hold now. Attribute columns are the known HR columns above plus
every column whose values are mostly not numbers; the metrics are left out
(they are weekly measurements, not facts about the person); empty values are
left out. ``Organization`` is a department here, not an employer, so it is
*not* copied to ``Identity.organization`` (which other sources use for the
employer and identity resolution matches on). The contacts come after the
whole file is read, in the order persons first appear; each earlier row of a
person is counted in the reader's ``skipped`` counter as ``"earlier_week"``.

``viva-p2p`` (produces ties) -- the **person-to-person query**:
``PrimaryCollaborator_PersonId``, ``SecondaryCollaborator_PersonId``,
``MetricDate`` and score columns (``Diverse_tie_score``, ``Diverse_tie_type``,
``Strong_tie_score``, ``Strong_tie_type`` …). Each row becomes a
:class:`~bridgework.core.ingest.records.TieRecord` with ``external_id =
primary + ":" + secondary + ":" + ISO date``, ``a``/``b`` =
``Identity(source_key="viva:" + id)``, ``observed_on`` the metric date and
``metrics`` every numeric column other than the ids and the date, as
``(column, float)`` in file order (an empty cell is left out). Non-numeric
``PrimaryCollaborator_*``/``SecondaryCollaborator_*`` columns (HR attributes
of either side) become the attributes of ``a``/``b``.

A column counts as numeric when more than half of its non-empty values are
numbers; a row with a non-number in a numeric column is an issue.

**Dates.** ``MetricDate`` may be ISO (``2024-03-31``, the person query sample)
or slashed (``01/04/2023``, the network query samples). Slashed dates are
read day-first (``DD/MM/YYYY``), as in Microsoft's samples (the group-to-group
sample runs ``01/04/2023`` … ``01/09/2023``: monthly snapshots on the 1st),
unless the file proves month-first: some date with a middle number above 12
and none with a first number above 12. Each reader reads the file twice: once
to learn the date order and the numeric columns, once to import.

Bad rows are :class:`~bridgework.core.ingest.records.Issue` ``("line N",
reason)`` and are skipped: a missing id, an unreadable date, a non-numeric
score, a person tied to themselves. A file without the query's columns
(feeding a network query to ``viva-person``, or a group-to-group query to
either) raises :class:`~bridgework.core.ingest.records.FormatError` naming the
columns expected and the columns found.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "p2p.csv"
>>> _ = path.write_text(
...     "PrimaryCollaborator_PersonId,SecondaryCollaborator_PersonId,MetricDate,Strong_tie_score\\n"
...     "p1,p2,01/04/2023,0.5\\n")
>>> [tie] = P2P_READER(path)
>>> tie.external_id, tie.observed_on, tie.metrics
('p1:p2:2023-04-01', datetime.date(2023, 4, 1), (('Strong_tie_score', 0.5),))
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bridgework.core.ingest.base import Reader
from bridgework.core.ingest.generic_csv import (
    TextSource,
    csv_rows,
    detect_day_first,
    open_text,
    parse_date,
    parse_number,
    sniff_delimiter,
)
from bridgework.core.ingest.records import (
    ContactRecord,
    FormatError,
    Identity,
    Issue,
    ReadOptions,
    TieRecord,
)

__all__ = [
    "READERS",
    "PERSON_READER",
    "P2P_READER",
    "HR_ATTRIBUTES",
    "SELF_TIE",
    "read_person_query",
    "read_p2p_query",
]

#: Person-query columns that are HR attributes even when their values look numeric.
HR_ATTRIBUTES = frozenset(
    {
        "Organization",
        "FunctionType",
        "LevelDesignation",
        "SupervisorIndicator",
        "Level",
        "Layer",
        "HireDate",
        "Region",
        "TimeZone",
        "Domain",
        "IsInternal",
        "IsActive",
        "WorkLocation",
        "Country",
        "City",
    }
)
_PERSON_ID = "PersonId"
_DATE = "MetricDate"
_PRIMARY = "PrimaryCollaborator_PersonId"
_SECONDARY = "SecondaryCollaborator_PersonId"
_PERSON_EXPECTED = (
    "expected a Viva Insights person query with columns PersonId and MetricDate "
    "(one row per person per week)"
)
_P2P_EXPECTED = (
    "expected a Viva Insights person-to-person query with columns "
    "PrimaryCollaborator_PersonId, SecondaryCollaborator_PersonId and MetricDate"
)
_PROGRESS_EVERY = 2000
#: The reason of the issue for a person-to-person row whose two ids are the same.
SELF_TIE = "a person tied to themselves"


@dataclass
class _Table:
    """An open query export positioned after its header row."""

    source: TextSource
    header: list[str]
    delimiter: str
    rows: Iterator[tuple[int, list[str] | None, str]]


def _open(path: Path, *, expected: str, required: tuple[str, ...]) -> _Table:
    source = open_text(path, what=expected)
    try:
        first_line = source.text.readline()
        delimiter = sniff_delimiter(first_line.rstrip("\r\n"))
        header = [
            cell.strip().lstrip("\ufeff").strip()
            for cell in next(csv.reader([first_line], delimiter=delimiter), [])
        ]
        missing = [column for column in required if column not in header]
        if missing:
            hint = ""
            if _PRIMARY in header and _SECONDARY in header:
                hint = " (this looks like a person-to-person query: use viva-p2p)"
            elif _PRIMARY in header:
                hint = " (this looks like a person-to-group query, which has no second person)"
            elif _PERSON_ID in header:
                hint = " (this looks like a person query: use viva-person)"
            elif any(c.endswith("_Organization") for c in header):
                hint = " (this looks like a group-to-group query, which has no person ids)"
            found = ", ".join(header[:20]) + (" …" if len(header) > 20 else "")
            raise FormatError(
                path,
                f"{expected}; missing {', '.join(missing)}; found {found or 'no columns'}{hint}",
            )
    except BaseException:
        source.close()
        raise
    return _Table(source, header, delimiter, _numbered(csv_rows(source.text, delimiter=delimiter)))


def _numbered(
    rows: Iterator[tuple[int, list[str] | None, str]],
) -> Iterator[tuple[int, list[str] | None, str]]:
    """Shift line numbers past the header line."""
    for line, row, error in rows:
        yield line + 1, row, error


def _is_number(text: str) -> bool:
    try:
        parse_number(text)
    except ValueError:
        return False
    return True


@dataclass
class _Survey:
    """What one pass over a file tells: the date order and the numeric columns."""

    day_first: bool
    numeric: frozenset[str]


def _survey(path: Path, *, expected: str, required: tuple[str, ...]) -> _Survey:
    table = _open(path, expected=expected, required=required)
    date_index = table.header.index(_DATE)
    numbers = [0] * len(table.header)
    others = [0] * len(table.header)

    def dates() -> Iterator[str]:
        for _line, row, _error in table.rows:
            if not row:
                continue
            for i, cell in enumerate(row[: len(numbers)]):
                if cell.strip():
                    if _is_number(cell):
                        numbers[i] += 1
                    else:
                        others[i] += 1
            if date_index < len(row) and "/" in row[date_index]:
                yield row[date_index]

    try:
        slashed_dates = dates()
        day_first = detect_day_first(slashed_dates)
        for _ in slashed_dates:  # detect_day_first stops at its first proof; count the rest
            pass
    finally:
        table.source.close()
    numeric = frozenset(
        column for i, column in enumerate(table.header) if numbers[i] > others[i] and numbers[i]
    )
    return _Survey(day_first=day_first, numeric=numeric)


def _row_cells(row: list[str], header: list[str]) -> dict[str, str]:
    return {column: row[i].strip() for i, column in enumerate(header) if i < len(row)}


def _date_issue(text: str) -> str:
    if not text:
        return "no MetricDate"
    return f"MetricDate {text[:30]!r} is not a date (expected YYYY-MM-DD or DD/MM/YYYY)"


# ---------------------------------------------------------------- person query


def read_person_query(
    path: Path,
    *,
    options: ReadOptions,
    progress: Callable[[int], None] | None = None,
    skipped: Counter[str] | None = None,
) -> Iterator[ContactRecord | Issue]:
    """One contact per person from a Viva Insights person query; see the module docs.

    Each row but a blank one is a record: a person's latest row gives their
    contact, each earlier row of theirs is counted in ``skipped`` as
    ``"earlier_week"``, and a bad row is an issue.
    """
    path = Path(path)
    skipped = skipped if skipped is not None else Counter()
    required = (_PERSON_ID, _DATE)
    survey = _survey(path, expected=_PERSON_EXPECTED, required=required)
    table = _open(path, expected=_PERSON_EXPECTED, required=required)
    attribute_columns = [
        (i, column)
        for i, column in enumerate(table.header)
        if column not in required and (column in HR_ATTRIBUTES or column not in survey.numeric)
    ]
    person_index = table.header.index(_PERSON_ID)
    date_index = table.header.index(_DATE)
    latest: dict[str, tuple[dt.date, tuple[tuple[str, str], ...]]] = {}
    rows_read = 0  # rows that name a person on a date
    try:
        for count, (line, row, error) in enumerate(table.rows, start=1):
            if progress is not None and count % _PROGRESS_EVERY == 0:
                progress(table.source.bytes_done())
            if error:
                yield Issue(f"line {line}", error)
                continue
            if not row or not any(cell.strip() for cell in row):
                continue
            person_id = row[person_index].strip() if person_index < len(row) else ""
            if not person_id:
                yield Issue(f"line {line}", "no PersonId")
                continue
            date_text = row[date_index].strip() if date_index < len(row) else ""
            try:
                metric_date = parse_date(date_text, day_first=survey.day_first)
            except ValueError:
                yield Issue(f"line {line}", _date_issue(date_text))
                continue
            rows_read += 1
            known = latest.get(person_id)
            if known is None or metric_date >= known[0]:
                attributes = tuple(
                    (column, row[i].strip())
                    for i, column in attribute_columns
                    if i < len(row) and row[i].strip()
                )
                latest[person_id] = (metric_date, attributes)
        if progress is not None:
            progress(table.source.bytes_done())
    finally:
        table.source.close()
    if rows_read > len(latest):
        skipped["earlier_week"] += rows_read - len(latest)
    for person_id, (_date, attributes) in latest.items():
        yield ContactRecord(
            identity=Identity(source_key=f"viva:{person_id}", attributes=attributes)
        )


# ---------------------------------------------------------------- person-to-person query


def read_p2p_query(
    path: Path,
    *,
    options: ReadOptions,
    progress: Callable[[int], None] | None = None,
    skipped: Counter[str] | None = None,
) -> Iterator[TieRecord | Issue]:
    """One tie per row of a Viva Insights person-to-person query; see the module docs.

    Every row but a blank one is a tie or an issue, so ``skipped`` (the common
    reader interface) is never counted in.
    """
    path = Path(path)
    required = (_PRIMARY, _SECONDARY, _DATE)
    survey = _survey(path, expected=_P2P_EXPECTED, required=required)
    table = _open(path, expected=_P2P_EXPECTED, required=required)
    header = table.header
    metric_columns = [
        (i, column)
        for i, column in enumerate(header)
        if column not in required and column in survey.numeric
    ]
    side_columns = {
        side: [
            (i, column[len(prefix) :])
            for i, column in enumerate(header)
            if column.startswith(prefix) and column not in required and column not in survey.numeric
        ]
        for side, prefix in (("a", "PrimaryCollaborator_"), ("b", "SecondaryCollaborator_"))
    }
    primary_index, secondary_index, date_index = (header.index(c) for c in required)
    try:
        for count, (line, row, error) in enumerate(table.rows, start=1):
            if progress is not None and count % _PROGRESS_EVERY == 0:
                progress(table.source.bytes_done())
            if error:
                yield Issue(f"line {line}", error)
                continue
            if not row or not any(cell.strip() for cell in row):
                continue
            outcome = _tie(
                row,
                primary_index=primary_index,
                secondary_index=secondary_index,
                date_index=date_index,
                metric_columns=metric_columns,
                side_columns=side_columns,
                day_first=survey.day_first,
            )
            yield Issue(f"line {line}", outcome) if isinstance(outcome, str) else outcome
        if progress is not None:
            progress(table.source.bytes_done())
    finally:
        table.source.close()


def _tie(
    row: list[str],
    *,
    primary_index: int,
    secondary_index: int,
    date_index: int,
    metric_columns: list[tuple[int, str]],
    side_columns: dict[str, list[tuple[int, str]]],
    day_first: bool,
) -> TieRecord | str:
    def cell(index: int) -> str:
        return row[index].strip() if index < len(row) else ""

    primary, secondary = cell(primary_index), cell(secondary_index)
    if not primary or not secondary:
        return f"no {_PRIMARY if not primary else _SECONDARY}"
    if primary == secondary:
        return SELF_TIE
    date_text = cell(date_index)
    try:
        observed_on = parse_date(date_text, day_first=day_first)
    except ValueError:
        return _date_issue(date_text)
    metrics = []
    for index, column in metric_columns:
        value = cell(index)
        if not value:
            continue
        try:
            metrics.append((column, parse_number(value)))
        except ValueError:
            return f"{column} {value[:30]!r} is not a number"

    def side(name: str, person_id: str) -> Identity:
        attributes = tuple((column, cell(i)) for i, column in side_columns[name] if cell(i))
        return Identity(source_key=f"viva:{person_id}", attributes=attributes)

    return TieRecord(
        external_id=f"{primary}:{secondary}:{observed_on.isoformat()}",
        a=side("a", primary),
        b=side("b", secondary),
        observed_on=observed_on,
        metrics=tuple(metrics),
    )


PERSON_READER = Reader(
    name="viva-person",
    label="Viva Insights person query (.csv, .csv.gz)",
    produces="contacts",
    read=read_person_query,
    extensions=(".csv", ".csv.gz"),
    description=(
        "People and their HR attributes (Organization, FunctionType, LevelDesignation, ...) "
        "from a Viva Insights person query, as of each person's latest week."
    ),
)
P2P_READER = Reader(
    name="viva-p2p",
    label="Viva Insights person-to-person query (.csv, .csv.gz)",
    produces="ties",
    read=read_p2p_query,
    extensions=(".csv", ".csv.gz"),
    description=(
        "Ties Viva Insights already scored (Strong_tie_score, Diverse_tie_score, ...) "
        "from a person-to-person network query."
    ),
)
READERS = (PERSON_READER, P2P_READER)
