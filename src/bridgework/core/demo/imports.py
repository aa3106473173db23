"""Files the demo member "exports" from their own tools, for the demo imports.

The demo organization shows the import workflow with real files run through
the real readers: the member's calendar (iCalendar) and their LinkedIn
connections. Both name people already in the directory (matched by e-mail),
people Bridgework has never seen (created, marked as introduced by the import)
and a namesake with a new address at a known organization (listed as a
possible duplicate for a people analyst to merge or dismiss).

>>> import datetime as dt
>>> from bridgework.core.demo.generator import generate_demo_org
>>> org = generate_demo_org(seed=7, today=dt.date(2026, 11, 25))
>>> files = demo_import_files(org)
>>> files.calendar.count("BEGIN:VEVENT") > 20, files.connections.startswith("Notes:")
(True, True)
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from bridgework.core.demo.generator import DemoOrg

__all__ = ["DemoImportFiles", "demo_import_files", "NEW_CONTACTS"]

#: People outside the directory whom the member met or is connected with.
NEW_CONTACTS = (
    ("Ines Okonkwo", "ines.okonkwo@meridian-ventures.example", "Meridian Ventures", "Principal"),
    ("Tomasz Berg", "tomasz.berg@harbor-analytics.example", "Harbor Analytics", "Head of Data"),
    ("Lucia Ferraro", "lucia.ferraro@civic-design.example", "Civic Design Lab", "Design Director"),
    ("Rafael Kim", "rafael.kim@gmail.com", "", "Independent consultant"),
)


@dataclass(frozen=True)
class DemoImportFiles:
    member_email: str
    calendar: str  #: an .ics file
    connections: str  #: a LinkedIn Connections.csv


def _ics_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def demo_import_files(org: DemoOrg) -> DemoImportFiles:
    """The demo member's calendar of the last eight weeks and their connections."""
    rng = random.Random(f"{org.seed}-demo-imports")  # noqa: S311 - a seeded generator for reproducible demo data
    people = org.people_by_key()
    member = people[org.login("member").person_key]
    teammates = sorted(
        (
            p
            for p in org.people
            if p.team_key == member.team_key
            and p.key != member.key
            and p.engagement_type in ("employee_ft", "employee_pt")
        ),
        key=lambda p: p.key,
    )
    externals = sorted(
        (p for p in org.people if p.engagement_type in ("client", "partner")), key=lambda p: p.key
    )
    # A namesake: same name as a client contact, a new address at the same domain.
    namesake_of = externals[0]
    local, domain = namesake_of.email.split("@")
    namesake = (
        namesake_of.full_name,
        f"{namesake_of.first_name[0].lower()}{namesake_of.last_name.lower()}@{domain}",
    )

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Bridgework demo//calendar export//EN",
        "CALSCALE:GREGORIAN",
    ]
    start_day = org.today - dt.timedelta(days=56)
    for number in range(36):
        day = start_day + dt.timedelta(days=rng.randint(0, 54))
        if day.weekday() >= 5:
            day -= dt.timedelta(days=day.weekday() - 4)
        start = dt.datetime.combine(day, dt.time(rng.randint(8, 16), rng.choice((0, 30))), dt.UTC)
        minutes = rng.choice((30, 30, 45, 60))
        kind = number % 4
        if kind == 0:
            attendees = [
                (p.full_name, p.email) for p in rng.sample(teammates, k=min(3, len(teammates)))
            ]
        elif kind == 1:
            attendees = [(p.full_name, p.email) for p in rng.sample(externals[:12], k=2)]
        elif kind == 2:
            name, address, _org, _title = NEW_CONTACTS[(number // 4) % len(NEW_CONTACTS)]
            attendees = [(name, address)]
        else:
            attendees = [namesake, (teammates[0].full_name, teammates[0].email)]
        lines += [
            "BEGIN:VEVENT",
            f"UID:demo-{org.seed}-{number}@northwind.example",
            f"DTSTAMP:{_ics_time(start)}",
            f"DTSTART:{_ics_time(start)}",
            f"DTEND:{_ics_time(start + dt.timedelta(minutes=minutes))}",
            "SUMMARY:Demo meeting",
            f"ORGANIZER;CN={member.full_name}:mailto:{member.email}",
            f"ATTENDEE;CN={member.full_name};PARTSTAT=ACCEPTED:mailto:{member.email}",
        ]
        for name, address in attendees:
            lines.append(f"ATTENDEE;CN={name};PARTSTAT=ACCEPTED:mailto:{address}")
        if number == 35:
            lines.append("STATUS:CANCELLED")
        lines.append("END:VEVENT")
    # One broken event, to show how the report names a skipped record.
    lines += [
        "BEGIN:VEVENT",
        f"UID:demo-{org.seed}-broken@northwind.example",
        "DTSTART:2026-13-45",
        f"ORGANIZER:mailto:{member.email}",
        "END:VEVENT",
    ]
    lines.append("END:VCALENDAR")
    calendar = "\r\n".join(lines) + "\r\n"

    rows = [
        "Notes:",
        '"When exporting your connection data, you may notice that some of the email addresses are missing."',
        "",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    ]
    known = rng.sample(externals, k=8) + rng.sample(teammates, k=min(6, len(teammates)))
    for person in sorted(known, key=lambda p: p.key):
        connected = org.today - dt.timedelta(days=rng.randint(30, 2000))
        email = person.email if rng.random() < 0.7 else ""
        company = next((o.name for o in org.organizations if o.key == person.organization_key), "")
        rows.append(
            f"{person.first_name},{person.last_name},"
            f"https://www.linkedin.com/in/{person.first_name.lower()}-{person.last_name.lower()}-{person.key},"
            f"{email},{company},{person.title},{connected:%d %b %Y}"
        )
    for name, address, company, title in NEW_CONTACTS:
        first, last = name.split(" ", 1)
        connected = org.today - dt.timedelta(days=rng.randint(30, 900))
        rows.append(
            f"{first},{last},https://www.linkedin.com/in/{first.lower()}-{last.lower()},"
            f"{address},{company},{title},{connected:%d %b %Y}"
        )
    connections = "\n".join(rows) + "\n"
    return DemoImportFiles(member_email=member.email, calendar=calendar, connections=connections)
