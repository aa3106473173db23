"""Write ``Connections.csv``: a synthetic LinkedIn connections export (see SOURCE.md).

The layout is LinkedIn's current one, byte for byte: the ``Notes:`` preamble
LinkedIn writes (verbatim), a blank line, the header row, then one row per
connection, newest first. LF line ends and no newline after the last row,
UTF-8 without a byte-order mark, fields quoted only when they hold a comma or
a quote (quotes doubled), stray spaces inside fields kept, deactivated members
as rows with nothing but a date, and most e-mail addresses missing.

Every name, company, profile and address is invented; e-mail addresses use
reserved example domains. A fixed seed and the standard library only, so the
file comes out the same every time::

    python tests/data/linkedin-connections-synthetic/generate.py          # write
    python tests/data/linkedin-connections-synthetic/generate.py --check  # compare

Both print the counts SOURCE.md states.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import unicodedata
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE / "Connections.csv"
SEED = 20260207
ROWS = 380

#: LinkedIn's own preamble, verbatim (it is not personal data).
PREAMBLE = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses '
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    'https://www.linkedin.com/help/linkedin/answer/261"\n'
    "\n"
)
HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]

GIVEN = [
    "Anselm",
    "Beatrix",
    "Caspar",
    "Delphine",
    "Emeka",
    "Freya",
    "Gideon",
    "Hana",
    "Idris",
    "Jolene",
    "Kasimir",
    "Linnea",
    "Matteo",
    "Nadia",
    "Osric",
    "Priya",
    "Quentin",
    "Rosalind",
    "Soren",
    "Thandiwe",
    "Ulrich",
    "Vesna",
    "Wendell",
    "Ximena",
    "Yusuf",
    "Zofia",
    "Zoë",
    "José",
    "Søren",
    "Anaïs",
    "Łucja",
    "Ngozi",
    "Mei",
    "Arjun",
    "Chiara",
    "Tomás",
]
SURNAME_HEADS = [
    "Abra",
    "Bela",
    "Cora",
    "Dun",
    "Eska",
    "Fal",
    "Gyla",
    "Hes",
    "Iva",
    "Jora",
    "Kava",
    "Luna",
    "Mora",
    "Neva",
    "Osta",
    "Pell",
    "Quela",
    "Rova",
    "Syla",
    "Tara",
    "Ulva",
    "Vora",
    "Øvre",
    "Zana",
]
SURNAME_TAILS = [
    "brook",
    "covar",
    "dane",
    "ford",
    "gast",
    "holm",
    "kin",
    "lund",
    "mott",
    "nard",
    "penn",
    "quist",
    "rath",
    "sby",
    "tier",
    "vale",
    "wynd",
    "mere",
]
#: Invented organizations; some hold commas, an ampersand or non-ASCII letters.
COMPANIES = [
    "Northwind Analytics",
    "Fabrikam, Inc.",
    "Contoso Pharmaceuticals",
    "Tailspin Toys, LLC",
    "Wingtip Logistics",
    "Lakeshore Community Network",
    "Harbor Lantern Labs",
    "Blue Yonder Airlines",
    "Coho Winery",
    "Adventure Works Cycles",
    "Litware, Inc.",
    "Proseware Health & Care",
    "Margie's Travel",
    "Trey Research",
    "Alpine Ski House",
    "Café Lumière Coop",
    "Graphic Design Institute",
    "Southridge Video",
    "Fourth Coffee",
    "Wide World Importers",
    "University of Northwind, East Campus",
    "Stealth Startup",
    "Self-employed",
    "Humongous Insurance",
]
POSITIONS = [
    "Data Analyst",
    "Senior Consultant",
    "Software Engineer",
    "Product Manager",
    "Technical Recruiter",
    "Graduate Teaching Assistant",
    "Chief Operating Officer",
    "Business Analyst",
    "Solutions Engineer",
    "Staff Accountant",
    "VP, Data & Analytics",
    "Director, People Operations",
    "Engineer – Cloud Platform",
    "Automation & Solutions Engineer Intern",
    "Founder",
    "Research Scientist",
    "Marketing Specialist",
    "Manager, Reporting | Finance Systems",
    'Head of "Moonshot" Projects',
    "Sr. Recruiter IV",
]
EMAIL_DOMAINS = ["example.com", "example.org", "example.net", "mail.example.com"]
NEWLINE = "\n"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
NEWEST, OLDEST = dt.date(2026, 2, 7), dt.date(2014, 10, 14)


def slug(text: str) -> str:
    """Lower-case ASCII for a profile URL: 'Søren Øvrelund' -> 'sren-vrelund'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join("".join(c for c in word if c.isalnum()) for word in ascii_text.lower().split())


def quote(field: str) -> str:
    """Minimal quoting, as LinkedIn writes it."""
    if any(c in field for c in ',"\n\r'):
        return '"' + field.replace('"', '""') + '"'
    return field


def connected_dates(rng: random.Random) -> list[dt.date]:
    """Newest first; more connections in recent years, several on the same day."""
    span = (NEWEST - OLDEST).days
    days = sorted(int(span * rng.random() ** 1.6) for _ in range(ROWS - 2))
    dates = [NEWEST, NEWEST] + [NEWEST - dt.timedelta(days=d) for d in days]
    dates[-1] = OLDEST
    return dates


def rows(rng: random.Random) -> list[list[str]]:
    dates = connected_dates(rng)
    blanks = set(rng.sample(range(20, ROWS - 1), 12))  # deactivated members
    seen: set[str] = set()
    out = []
    for index, date in enumerate(dates):
        connected = f"{date.day:02d} {MONTHS[date.month - 1]} {date.year}"
        if index in blanks:
            out.append(["", "", "", "", "", "", connected])
            continue
        while True:
            first = rng.choice(GIVEN)
            last = rng.choice(SURNAME_HEADS) + rng.choice(SURNAME_TAILS)
            if (first, last) not in seen:
                seen.add((first, last))
                break
        tag = f"{zlib.crc32(f'{first} {last}'.encode()):08x}"
        url = f"https://www.linkedin.com/in/{slug(first)}-{slug(last)}-{tag}"
        email = ""
        if rng.random() < 0.04:
            email = f"{slug(first)}.{slug(last)}@{rng.choice(EMAIL_DOMAINS)}"
        company = rng.choice(COMPANIES) if rng.random() > 0.05 else ""
        position = rng.choice(POSITIONS) if rng.random() > 0.05 else ""
        if company and rng.random() < 0.04:
            company += " "  # the export keeps stray spaces
        if position and rng.random() < 0.04:
            position = rng.choice(("", " ")) + position + " "
        if rng.random() < 0.01:
            last += ", MBA"  # credentials typed into the name field
        out.append([first, last, url, email, company, position, connected])
    # the second row, as quoted in the tests: spaces around company and position
    out[1][4], out[1][5] = "Harbor Lantern Labs ", " Data Analyst "
    # an e-mail address in capitals (the reader lower-cases it)
    out[7][3] = f"{slug(out[7][0]).title()}.{slug(out[7][1]).title()}@Example.ORG"
    return out


def render(table: list[list[str]]) -> str:
    lines = [",".join(HEADER)] + [",".join(quote(f) for f in row) for row in table]
    return PREAMBLE + "\n".join(lines)  # no newline after the last row


def summary(text: str, table: list[list[str]]) -> str:
    data = text.encode("utf-8")
    blank = [i for i, row in enumerate(table) if not row[0] and not row[1]]
    first_line = len(PREAMBLE.split("\n"))  # the header's line number; rows follow it
    quoted = sum(1 for row in table for f in row if quote(f) != f)
    with_quotes = sum(1 for row in table for f in row if '"' in f)
    return "\n".join(
        [
            f"bytes: {len(data):,}",
            f"lines: {len(text.split(NEWLINE))}",
            f"data rows: {len(table)}",
            f"rows without names: {len(blank)} (first on line {first_line + 1 + blank[0]})",
            f"rows with an e-mail address: {sum(1 for row in table if row[3])}",
            f"empty e-mail cells: {sum(1 for row in table if not row[3])}",
            f"quoted fields: {quoted} (with a doubled quote: {with_quotes})",
            f"cells with leading or trailing spaces: "
            f"{sum(1 for row in table for f in row if f != f.strip())}",
            f"rows with non-ASCII text: "
            f"{sum(1 for row in table if any(ord(c) > 127 for c in ''.join(row)))}",
            f"empty Company: {sum(1 for row in table if not row[4] and row[0])}, "
            f"empty Position: {sum(1 for row in table if not row[5] and row[0])} "
            "(named rows)",
            f"Connected On: {table[0][6]} ... {table[-1][6]}",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    table = rows(random.Random(SEED))
    text = render(table)
    print(summary(text, table))
    if args.check:
        if TARGET.read_bytes() != text.encode("utf-8"):
            print(f"{TARGET.name} differs from what generate.py writes")
            return 1
        return 0
    TARGET.write_bytes(text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
