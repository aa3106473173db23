"""Files Bridgework writes for people to open, made safe to open.

=================  ==============================================================
module             what it holds
=================  ==============================================================
``spreadsheet``    ``safe_cell``, ``safe_row``, ``safe_frame``, ``csv_writer``:
                   CSV cells that a spreadsheet cannot run as a formula
                   (``FORMULA_TRIGGERS``)
=================  ==============================================================

Every CSV an export writes (the web app's ``people.csv``, ``bridgework
analyze --format csv``) goes through these, so a name such as
``=HYPERLINK(...)`` reaches the spreadsheet as text.
"""

from bridgework.core.exports.spreadsheet import (
    FORMULA_TRIGGERS,
    SafeCsvWriter,
    csv_writer,
    safe_cell,
    safe_frame,
    safe_row,
)

__all__ = [
    "FORMULA_TRIGGERS",
    "SafeCsvWriter",
    "csv_writer",
    "safe_cell",
    "safe_frame",
    "safe_row",
]
