"""Write the synthetic mbox files of this folder (see SOURCE.md).

Invented mailboxes of a made-up company, Northwind (``@northwind.example``),
in the layout of Enron-style mail converted to mbox with Python's ``mailbox``
module: ``From MAILER-DAEMON ...`` separator lines, ``>From `` escaped body
lines, Lotus Notes and Exchange ``X-`` headers, ``Bcc`` repeating ``Cc``,
folded address lists, calendar notices without recipients, and a few broken
messages. Every person, address, subject and body here is made up.

Run from anywhere; it rewrites the ``*.mbox`` files next to it, byte for byte
the same every time (a fixed seed, the standard library only)::

    python tests/data/mbox-exchange-synthetic/generate.py          # write
    python tests/data/mbox-exchange-synthetic/generate.py --check  # compare

``--check`` also re-reads every file with :mod:`mailbox` and :mod:`email` and
compares each message with what it was generated to be, then prints the
counts table of SOURCE.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import mailbox
import random
import re
import sys
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOMAIN = "northwind.example"
SEED = 20010621

# -- people ----------------------------------------------------------------------------------

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
    "Ambrose",
    "Bettina",
    "Cyprian",
    "Dagny",
    "Elio",
    "Fenna",
    "Gaspard",
    "Honoria",
    "Ilse",
    "Jasper",
    "Kalinda",
    "Lorcan",
    "Mireille",
    "Nikolai",
    "Orla",
    "Piers",
    "Rhiannon",
    "Sebastien",
    "Tove",
    "Valentin",
    "Wilhelmina",
    "Yara",
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
    "Wexa",
    "Yela",
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
    "stead",
    "wick",
]


@dataclass(frozen=True)
class Person:
    given: str
    surname: str
    address: str = ""  # when not given.surname@northwind.example
    initial: str = ""  # middle initial, as in "Pramstead, Odile K."

    @property
    def email(self) -> str:
        return self.address or f"{self.given}.{self.surname}@{DOMAIN}".lower()

    @property
    def name(self) -> str:
        return f"{self.given} {self.surname}"

    @property
    def internal(self) -> bool:
        return self.email.endswith("@" + DOMAIN)

    def notes(self) -> str:
        """How Lotus Notes wrote the person in X-From / X-To."""
        if self.internal:
            return self.name
        return f"{self.name} <{self.email}>"

    def exchange(self) -> str:
        """How Exchange wrote the person in X-From / X-To: a directory DN."""
        if not self.internal:
            return f"'{self.email}'"
        cn = (self.given[0] + self.surname[:6]).upper()
        check = zlib.crc32(self.email.encode())
        if check % 5 == 0:  # people Exchange knew only through the Notes gateway
            cn = f"Notesaddr/cn={check:08x}-{check ^ 0x5A5A5A5A:08x}-{check >> 8:06x}"
        initial = f" {self.initial}." if self.initial else ""
        return f"{self.surname}, {self.given}{initial} </O=NORTHWIND/OU=NA/CN=RECIPIENTS/CN={cn}>"


def staff(rng: random.Random, count: int, taken: set[str]) -> list[Person]:
    people = []
    while len(people) < count:
        person = Person(
            rng.choice(GIVEN), rng.choice(SURNAME_HEADS) + rng.choice(SURNAME_TAILS).lower()
        )
        if person.email not in taken:
            taken.add(person.email)
            people.append(person)
    return people


# The mailbox owners and their assistants (fixed, since tests quote them).
VELSABE = Person("Corin", "Velsabe")
PRAMSTEAD = Person("Odile", "Pramstead", initial="K")
OKORAVY = Person("Tamsin", "Okoravy")
DUNMERE = Person("Rhiannon", "Dunmere", address=f"r..dunmere@{DOMAIN}", initial="R")
ROVANEK = Person("Dalia", "Rovanek")
FENWISTLE = Person("Jarle", "Fenwistle")
TALBROOK = Person("Sunniva", "Talbrook")
KAVAHOLM = Person("Aurelio", "Kavaholm")
OSTAFORD = Person("Priya", "Ostaford")
BELAWYND = Person("Caspar", "Belawynd")
MORAQUIST = Person("Yusuf", "Moraquist")
DELLACOURT = Person("Aurora", "Dellacourt", address="aurora.dellacourt@closer-look.example")
QUORVALE = Person("Ines", "Quorvale", address="ines.quorvale@fabrikam.example")
FIXED = [
    VELSABE,
    PRAMSTEAD,
    OKORAVY,
    DUNMERE,
    ROVANEK,
    FENWISTLE,
    TALBROOK,
    KAVAHOLM,
    OSTAFORD,
    BELAWYND,
    MORAQUIST,
]
EXTERNAL_DOMAINS = (
    "fabrikam.example",
    "contoso.example",
    "tailspin.example",
    "example.org",
    "mail.example.com",
    "school.example",
)

# -- dates -----------------------------------------------------------------------------------

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def pacific(moment: dt.datetime) -> str:
    """An RFC 2822 date in US Pacific time as the Enron-era servers wrote it:
    ``Mon, 25 Sep 2000 03:39:00 -0700 (PDT)`` (1987-2006 daylight-saving rules)."""
    year = moment.year
    april = dt.datetime(year, 4, 1)
    start = april + dt.timedelta(days=(6 - april.weekday()) % 7, hours=2)
    october_end = dt.datetime(year, 10, 31)
    end = october_end - dt.timedelta(days=(october_end.weekday() + 1) % 7, hours=-2)
    offset, zone = ("-0700", "PDT") if start <= moment < end else ("-0800", "PST")
    return (
        f"{DAYS[moment.weekday()]}, {moment.day} {MONTHS[moment.month - 1]} {moment.year} "
        f"{moment:%H:%M:%S} {offset} ({zone})"
    )


def random_moment(rng: random.Random, first: dt.date, last: dt.date, *, seconds: bool):
    day = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
    while day.weekday() >= 5 and rng.random() < 0.85:  # office mail: mostly weekdays
        day = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
    return dt.datetime(
        day.year,
        day.month,
        day.day,
        rng.randrange(5, 20),
        rng.randrange(60),
        rng.randrange(60) if seconds else 0,
    )


# -- text ------------------------------------------------------------------------------------

SENTENCES = (
    "Please find the revised schedule below.",
    "Let me know if the numbers for the Harbor Road plant look right to you.",
    "The board packet goes out on Friday, so comments by Wednesday would help.",
    "Thank you for the quick turnaround on this.",
    "I have copied the team so that everyone works from the same version.",
    "We should discuss the capacity figures before the quarterly review.",
    "The vendor has confirmed the delivery window for the turbines.",
    "Could you send me the latest draft of the risk memo?",
    "The offsite is moved to the second week of the month.",
    "Legal has signed off on the wording of section four.",
    "Our contact at the regulator asked for a short summary by Monday.",
    "I will be travelling on Tuesday but can dial in for the call.",
    "Attached is the headcount summary you asked for.",
    "The pipeline maintenance window has been confirmed for the weekend.",
    "Please treat the attached figures as confidential until the announcement.",
    "We are still waiting for the final invoice from the consultants.",
    "Happy to meet for lunch next week if that suits you.",
    "The trading limits will be reviewed again at the end of the quarter.",
)
TOPICS = (
    "Quarterly capacity review",
    "Board packet comments",
    "Harbor Road plant visit",
    "Risk memo draft",
    "Offsite logistics",
    "Regulatory summary",
    "Headcount summary",
    "Turbine delivery window",
    "Consultant invoice",
    "Trading limits",
    "Lunch next week",
    "Pipeline maintenance weekend",
    "Speaking invitation",
    "Charity gala tables",
)
MEETINGS = (
    "weekly staff meeting",
    "call with the auditors (dial-in below)",
    "lunch with the trading desk leads",
    "interview for the analyst position",
    "quarterly business review with the regional teams",
    "conference call",
)
#: Body lines that start with "From ": the writer escapes them as ">From ".
FROM_LINES = (
    "From the site visit notes:",
    "From our side, the contract is ready to sign.",
    "From Corin -",
    "From the thinning margins in the east region to the new storage rules, here is",
    "From the regulator's side, I have been asked to co-ordinate the session.",
)


def wrap(text: str, width: int = 76) -> str:
    """Wrap like Notes did: every wrapped line keeps its trailing space."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + len(word) > width:
            lines.append(line)
            line = ""
        line += word + " "
    lines.append(line.rstrip())
    return "\n".join(lines)


def body_text(rng: random.Random, greeting: str, signature: str) -> str:
    sentences = rng.sample(SENTENCES, rng.randrange(2, 6))
    return f"{greeting}\n\n{wrap('  '.join(sentences))}\n\n{signature}\n"


def fold_subject(subject: str, width: int = 78) -> str:
    """Re-flow a long Subject the way Python's email generator does: break at a
    space before ``width``; the continuation line starts with that space."""
    line, rest, lines = "Subject: ", subject, []
    while len(line) + len(rest) > width:
        cut = rest.rfind(" ", 1, width - len(line))
        while cut > 1 and rest[cut - 1] == " ":  # a run of spaces moves down whole
            cut -= 1
        if cut <= 1:
            break
        lines.append(line + rest[:cut])
        line, rest = "", rest[cut:]
    lines.append(line + rest)
    return "\n".join(lines)


def fold_addresses(name: str, entries: list[str], width: int = 72) -> str:
    """An address header folded with tabs, as the Enron-era servers wrote them."""
    lines, line = [], f"{name}: "
    for index, entry in enumerate(entries):
        piece = entry + ("," if index < len(entries) - 1 else "")
        if line.strip() not in ("", f"{name}:") and len(line) + len(piece) > width:
            lines.append(line.rstrip())
            line = "\t"
        line += piece + " "
    lines.append(line.rstrip())
    return "\n".join(lines)


# -- messages --------------------------------------------------------------------------------

#: What each message is made to be, as SOURCE.md names them.
EVENT = "event"
NO_RECIPIENTS = "no To, Cc or Bcc"
ONLY_SENDER = "To only the sender"
NO_FROM = "no From header"
FROM_WITHOUT_ADDRESS = "From without an address"
TO_WITHOUT_ADDRESS = "To without an address"
EMPTY_GROUP = "To is an empty group"


@dataclass(frozen=True)
class Folder:
    name: str  # the file is northwind.<name>.mbox
    x_folder: str
    x_origin: str
    x_filename: str
    envelope: str  # the date part of the "From MAILER-DAEMON" line
    exchange: bool  # X-From / X-To as Exchange DNs (else Lotus Notes names)


@dataclass
class Mail:
    folder: Folder
    message_id: str
    date: str
    sender: Person | None
    to: list[Person]
    subject: str
    body: str
    cc: list[Person] = field(default_factory=list)
    outcome: str = EVENT
    from_header: str | None = None  # From written as is (instead of the sender's address)
    to_header: str | None = None  # To written as is
    extra_to: tuple[str, ...] = ()  # raw entries added to the To list
    x_from: str | None = None
    x_to_extra: tuple[str, ...] = ()

    def render(self) -> str:
        exchange = self.folder.exchange

        def x(people: list[Person]) -> str:
            return ", ".join(p.exchange() if exchange else p.notes() for p in people)

        headers = [f"Message-ID: <{self.message_id}>", f"Date: {self.date}"]
        if self.from_header is not None:
            headers.append(f"From: {self.from_header}")
        elif self.sender is not None:
            headers.append(f"From: {self.sender.email}")
        if self.to_header is not None:
            headers.append(f"To: {self.to_header}")
        elif self.to or self.extra_to:
            entries = [p.email for p in self.to]
            for position, entry in enumerate(self.extra_to):  # spread through the list
                entries.insert(min(len(entries), 7 + 11 * position), entry)
            headers.append(fold_addresses("To", entries))
        headers.append(fold_subject(self.subject))
        cc = fold_addresses("Cc", [p.email for p in self.cc]) if self.cc else None
        if cc:
            headers.append(cc)
        headers += [
            "Mime-Version: 1.0",
            "Content-Type: text/plain; charset=us-ascii",
            "Content-Transfer-Encoding: 7bit",
        ]
        if cc:  # the conversion repeated every Cc as a Bcc
            headers.append("Bcc" + cc[2:])
        if self.x_from is not None:
            x_from = self.x_from
        elif self.sender is not None:
            x_from = self.sender.exchange() if exchange else self.sender.name
        else:
            x_from = ""
        x_to = ", ".join(filter(None, [x(self.to), *self.x_to_extra]))
        headers += [
            f"X-From: {x_from}",
            f"X-To: {x_to}",
            f"X-cc: {x(self.cc)}",
            "X-bcc: ",
            f"X-Folder: {self.folder.x_folder}",
            f"X-Origin: {self.folder.x_origin}",
            f"X-FileName: {self.folder.x_filename}",
        ]
        body = re.sub(r"(?m)^From ", ">From ", self.body)  # what mailbox writes (mboxo)
        return "\n".join(headers) + "\n\n" + body


class Ids:
    """Message-IDs in the Enron corpus style, never the same twice by accident."""

    def __init__(self, rng: random.Random):
        self.rng, self.seen = rng, set()

    def __call__(self) -> str:
        while True:
            found = (
                f"{self.rng.randrange(1_000_000, 33_000_000)}."
                f"{1_075_840_000_000 + self.rng.randrange(20_000_000)}.JavaMail.evans@thyme"
            )
            if found not in self.seen:
                self.seen.add(found)
                return found


@dataclass
class World:
    rng: random.Random
    ids: Ids
    colleagues: list[Person]
    externals: list[Person]

    def pick(self, count: int, *, external: float = 0.0, avoid: Person | None = None):
        chosen: list[Person] = []
        while len(chosen) < count:
            pool = self.externals if self.rng.random() < external else self.colleagues
            person = self.rng.choice(pool)
            if person not in chosen and person != avoid:
                chosen.append(person)
        return chosen


def make_world() -> World:
    rng = random.Random(SEED)
    taken = {p.email for p in FIXED}
    colleagues = staff(rng, 90, taken)
    externals = [
        replace(person, address=f"{person.given}.{person.surname}@{domain}".lower())
        for person, domain in zip(staff(rng, 18, taken), EXTERNAL_DOMAINS * 3, strict=True)
    ]
    return World(rng, Ids(rng), colleagues + FIXED[6:], externals + [DELLACOURT, QUORVALE])


def sent_mail(
    world: World,
    folder: Folder,
    sender: Person,
    *,
    first: dt.date,
    last: dt.date,
    seconds: bool,
    cc: bool = False,
    many: bool = False,
    external: float = 0.2,
) -> Mail:
    rng = world.rng
    count = rng.randrange(12, 26) if many else rng.choice((1, 1, 1, 2, 2, 3, 4))
    to = world.pick(count, external=external, avoid=sender)
    topic = rng.choice(TOPICS)
    subject = rng.choice(("", "", "Re: ", "Fw: ")) + topic
    if rng.random() < 0.15:
        subject += " - follow-up on the points raised at the last management committee meeting"
    body = body_text(rng, f"{to[0].given},", sender.given)
    return Mail(
        folder,
        world.ids(),
        pacific(random_moment(rng, first, last, seconds=seconds)),
        sender,
        to,
        subject,
        body,
        cc=world.pick(rng.randrange(1, 4), external=external, avoid=sender) if cc else [],
    )


def calendar_notice(world: World, folder: Folder, organizer: Person, *, first, last) -> Mail:
    rng = world.rng
    room = f"Room {rng.randrange(2, 50)}C{rng.randrange(1, 9)}"
    subject = (
        f"{rng.choice(TOPICS)} - {rng.choice(MEETINGS)}   {room}   "
        f"(mg/{organizer.given[:2].upper()} x3{rng.randrange(1000, 9999)})"
    )
    body = rng.choice(
        (
            "Bridge Line Information\nDomestic 800-555-0100\nInternational  555-0147\n"
            f"Code {rng.randrange(1_000_000, 9_999_999)}\n",
            f"{organizer.given} is the contact person x3{rng.randrange(1000, 9999)}\n",
            "",
            "Lunch served\n",
        )
    )
    return Mail(
        folder,
        world.ids(),
        pacific(random_moment(rng, first, last, seconds=True)),
        organizer,
        [],
        subject,
        body,
        outcome=NO_RECIPIENTS,
    )


# -- the files ---------------------------------------------------------------------------------


def velsabe_sent(world: World) -> list[Mail]:
    """Notes-era Sent folder of an executive, mostly written by the assistant."""
    folder = Folder(
        "velsabe-c.sent",
        "\\Corin_Velsabe_Dec2000\\Notes Folders\\Sent",
        "VELSABE-C",
        "cvelsab.nsf",
        "Mon Apr 18 14:20:57 2022",
        exchange=False,
    )
    first = Mail(
        folder,
        "41872093.1075840263517.JavaMail.evans@thyme",
        "Tue, 26 Sep 2000 04:12:00 -0700 (PDT)",
        PRAMSTEAD,
        [KAVAHOLM],
        "Re: Succession planning for the Lisbon office - my concern",
        wrap(
            "Good morning, Aurelio.  Corin is at the Lisbon site visit, so is not available, "
            "but I did talk to the office (they are travelling, but said they are trying to get "
            "in touch with you).  Apparently, everything is still internal."
        )
        + "\n\nTalk to you soon.\n\nOdile\n\n\n\n\nAurelio Kavaholm\n09/26/2000 08:53 AM\n"
        "To: Corin Velsabe/Corp/Northwind@NORTHWIND\n"
        "cc: Odile Pramstead/Corp/Northwind@NORTHWIND \n"
        "Subject: Succession planning for the Lisbon office\n\n"
        + wrap("Corin: I have heard that the announcement is planned for today.")
        + "\n\nAurelio\n",
        x_from="Odile Pramstead",
    )
    mails = [first]
    for number in range(2, 61):
        sender = VELSABE if number % 9 == 0 else PRAMSTEAD
        mail = sent_mail(
            world,
            folder,
            sender,
            first=dt.date(2000, 4, 3),
            last=dt.date(2001, 3, 30),
            seconds=False,
            cc=number % 6 == 0,
            many=number in (17, 38),
        )
        mails.append(mail)
    for index, line in zip((4, 12, 25, 33, 51), FROM_LINES, strict=True):
        mails[index].body += f"\n{line}\n\n{wrap(world.rng.choice(SENTENCES))}\n"
    # quoted-printable left in a 7bit body, as in the original
    mails[40].body += "Here are some of the highlights=\ne=20from the report.\n"
    # an empty body
    mails[22].body = ""
    return mails


def velsabe_sent_items(world: World) -> list[Mail]:
    folder = Folder(
        "velsabe-c.sent_items",
        "\\Corin_Velsabe_Mar2002\\Velsabe, Corin\\Sent Items",
        "Velsabe-C",
        "cvelsab (Non-Privileged).pst",
        "Mon Apr 18 14:21:03 2022",
        exchange=True,
    )
    return [
        sent_mail(
            world,
            folder,
            VELSABE,
            first=dt.date(2001, 5, 1),
            last=dt.date(2001, 11, 20),
            seconds=True,
            cc=number in (3, 8, 11),
            many=number in (2, 5, 9),
            external=0.15,
        )
        for number in range(1, 14)
    ]


def velsabe_calendar(world: World) -> list[Mail]:
    """Exchange calendar: notices without recipients, and one to the owner alone."""
    folder = Folder(
        "velsabe-c.calendar",
        "\\CVELSAB (Non-Privileged)\\Calendar",
        "Velsabe-C",
        "CVELSAB (Non-Privileged).pst",
        "Mon Apr 18 14:20:59 2022",
        exchange=True,
    )
    mails = [
        calendar_notice(
            world,
            folder,
            PRAMSTEAD if number % 3 else VELSABE,
            first=dt.date(2001, 6, 1),
            last=dt.date(2001, 9, 28),
        )
        for number in range(8)
    ]
    mails[5].sender = VELSABE
    mails[5].to = [VELSABE]
    mails[5].outcome = ONLY_SENDER
    return mails


def okoravy_calendar(world: World) -> list[Mail]:
    """A risk officer's calendar: mostly notices without recipients, some meetings."""
    folder = Folder(
        "okoravy-t.calendar",
        "\\tokorav\\Calendar",
        "OKORAVY-T",
        "tamsin okoravy 1-30-02..pst",
        "Mon Apr 18 14:18:13 2022",
        exchange=True,
    )
    mails = []
    for number in range(20):
        organizer = DUNMERE if number % 4 != 1 else world.rng.choice(world.colleagues)
        mails.append(
            calendar_notice(
                world, folder, organizer, first=dt.date(2001, 3, 1), last=dt.date(2002, 1, 25)
            )
        )
    for index in (1, 6, 9, 13, 17):  # meetings with invitees
        mails[index].to = world.pick(world.rng.randrange(3, 9), avoid=mails[index].sender)
        mails[index].to.insert(2, OKORAVY)
        mails[index].outcome = EVENT
    # a Notes meeting forwarded by the Exchange gateway: the sender became "40northwind"
    mails[6].from_header = f"40northwind@{DOMAIN}"
    gateway = "Piers Falholm/LON/NWT@NWT@NORTHWIND"
    mails[6].x_from = f"{gateway} <IMCEANOTES-Piers+20Falholm_LON_NWT+40NWT+40NORTHWIND@{DOMAIN}>"
    mails[6].x_to_extra = ("SE4017/Fifth Floor/Northwind House@NORTHWIND",)
    mails[11].sender = OKORAVY
    mails[11].to = [OKORAVY]
    mails[11].outcome = ONLY_SENDER
    return mails


def okoravy_sent(world: World) -> list[Mail]:
    folder = Folder(
        "okoravy-t.sent",
        "\\Tamsin_Okoravy_Jun2001\\Notes Folders\\Sent",
        "Okoravy-T",
        "tokorav.nsf",
        "Mon Apr 18 14:18:20 2022",
        exchange=False,
    )
    mails = [
        sent_mail(
            world,
            folder,
            OKORAVY if number % 10 else DUNMERE,
            first=dt.date(2000, 11, 1),
            last=dt.date(2001, 6, 29),
            seconds=False,
            cc=number % 5 == 2,
            many=number == 14,
        )
        for number in range(30)
    ]
    for index in (8, 23):  # notes to self
        mails[index].sender = OKORAVY
        mails[index].to = [OKORAVY]
        mails[index].cc = []
        mails[index].outcome = ONLY_SENDER
    # a bare angle address with capitals, and an address quoted as its own display name
    mails[3].to_header = f"<{BELAWYND.given}.{BELAWYND.surname}@{DOMAIN}>"
    mails[3].to = [BELAWYND]
    mails[19].to_header = f"\"'{QUORVALE.email}'\" <{QUORVALE.email}>"
    mails[19].to = [QUORVALE]
    return mails


def rovanek_hr_stats(world: World, shared: Mail) -> list[Mail]:
    folder = Folder(
        "rovanek-d.hr_stats",
        "\\Dalia_Rovanek_Jan2002\\Rovanek, Dalia\\HR stats",
        "Askvik-S",
        "saskvik1 (Non-Privileged).pst",
        "Mon Apr 18 14:25:25 2022",
        exchange=False,
    )
    mails = [
        sent_mail(
            world,
            folder,
            world.rng.choice(world.colleagues),
            first=dt.date(2001, 5, 1),
            last=dt.date(2001, 10, 31),
            seconds=False,
            cc=number % 2 == 1,
            external=0.0,
        )
        for number in range(9)
    ]
    # the second message: To two people, Cc the owner, Bcc repeating the Cc
    mails[1] = Mail(
        folder,
        "5518274.1075855431172.JavaMail.evans@thyme",
        "Fri, 22 Jun 2001 16:05:00 -0700 (PDT)",
        OSTAFORD,
        [BELAWYND, MORAQUIST],
        "Confidential - May 2001 HR At A Glance",
        wrap(
            'Attached is the May 2001 "At A Glance" report.  A couple of additions this month, '
            "including a section on training spend.  Please call if you have any questions."
        )
        + "\n\nPO\n",
        cc=[ROVANEK],
        x_from="Priya Ostaford <Priya Ostaford/Northwind@EUNorthwindXGate>",
    )
    mails[2].to = []
    mails[2].cc = []
    mails[2].outcome = NO_RECIPIENTS
    # the same message as in Jarle Fenwistle's Sent Items: another copy, another folder
    mails[6] = replace(shared, folder=folder)
    return mails


def rovanek_personnel(world: World) -> list[Mail]:
    """Personnel mail, with the broken messages of this set."""
    folder = Folder(
        "rovanek-d.personnel",
        "\\Dalia_Rovanek_June2001_5\\Notes Folders\\Personnel",
        "ROVANEK-D",
        "drovane.nsf",
        "Mon Apr 18 14:25:31 2022",
        exchange=False,
    )
    mails = [
        sent_mail(
            world,
            folder,
            world.rng.choice(world.colleagues),
            first=dt.date(2000, 2, 1),
            last=dt.date(2001, 5, 31),
            seconds=False,
            cc=number % 2 == 0,
            external=0.05,
        )
        for number in range(24)
    ]
    for index in (4, 13, 20):  # filed without any recipient
        mails[index].to, mails[index].cc = [], []
        mails[index].outcome = NO_RECIPIENTS
    mails[9].to = []  # Cc (and Bcc) only: still an event
    mails[9].cc = mails[9].cc or [ROVANEK]
    mails[7].sender = None  # a draft saved without a From header
    mails[7].outcome = NO_FROM
    mails[11].from_header = "Northwind Payroll Office"  # a display name, no address
    mails[11].x_from = "Northwind Payroll Office"
    mails[11].outcome = FROM_WITHOUT_ADDRESS
    mails[16].to_header = "All Northwind Houston"  # a Notes group name, no address
    mails[16].to, mails[16].cc = [], []
    mails[16].x_to_extra = ("All Northwind Houston",)
    mails[16].outcome = TO_WITHOUT_ADDRESS
    mails[22].to_header = "undisclosed-recipients:;"
    mails[22].to, mails[22].cc = [], []
    mails[22].outcome = EMPTY_GROUP
    return mails


def fenwistle_sent(world: World) -> list[Mail]:
    folder = Folder(
        "fenwistle-j.sent",
        "\\Jarle_Fenwistle_Dec2000\\Notes Folders\\Sent",
        "FENWISTLE-J",
        "jfenwis.nsf",
        "Mon Apr 18 14:18:30 2022",
        exchange=False,
    )
    first = Mail(
        folder,
        "10388255.1075840112704.JavaMail.evans@thyme",
        "Thu, 13 Apr 2000 09:47:00 -0700 (PDT)",
        TALBROOK,
        [DELLACOURT],
        "Re: Fw:",
        "Dear Ms. Dellacourt,\n\n"
        + wrap(
            "I'm writing on behalf of Jarle Fenwistle, who asked me to let you know that he "
            "has read your note and will reply after his return next week."
        )
        + "\n\nSunniva Talbrook\n",
        x_from="Sunniva Talbrook",
    )
    mails = [first]
    for number in range(1, 50):
        mails.append(
            sent_mail(
                world,
                folder,
                TALBROOK if number % 5 else FENWISTLE,
                first=dt.date(2000, 1, 10),
                last=dt.date(2000, 12, 22),
                seconds=False,
                cc=number % 5 == 3,
                many=number in (20, 44),
                external=0.35,
            )
        )
    for index in (15, 37):  # reminders to self
        mails[index].sender = FENWISTLE
        mails[index].to, mails[index].cc = [FENWISTLE], []
        mails[index].outcome = ONLY_SENDER
    return mails


def fenwistle_sent_items(world: World) -> list[Mail]:
    folder = Folder(
        "fenwistle-j.sent_items",
        "\\jfenwis\\Sent Items",
        "FENWISTLE-J",
        "jfenwis.pst",
        "Mon Apr 18 14:18:34 2022",
        exchange=True,
    )
    mails = [
        sent_mail(
            world,
            folder,
            FENWISTLE,
            first=dt.date(2001, 4, 2),
            last=dt.date(2001, 8, 10),
            seconds=True,
            cc=number in (2, 7, 12),
            external=0.25,
        )
        for number in range(15)
    ]
    # the all-hands memo: a long folded To with an address holding two @
    memo = mails[9]
    memo.to = world.pick(60, avoid=FENWISTLE)
    memo.extra_to = (f'<\'"{QUORVALE.email}"@{DOMAIN}>',)
    memo.x_to_extra = (f"'\"{QUORVALE.email}\" <{memo.to[7].email},>@SMTP@northwindXgate'",)
    memo.cc = [VELSABE, TALBROOK, *world.pick(3, external=1.0)]
    memo.subject = "Executive committee offsite - agenda and logistics"
    # filed again by the HR director (see rovanek_hr_stats)
    mails[4].to = [ROVANEK, *mails[4].to[:2]]
    mails[4].subject = "Staffing for the Lisbon office"
    # a copy of an earlier message, byte for byte (an export run twice)
    mails.append(replace(mails[3]))
    return mails


FILES = (
    "velsabe-c.calendar",
    "velsabe-c.sent",
    "velsabe-c.sent_items",
    "okoravy-t.calendar",
    "okoravy-t.sent",
    "rovanek-d.hr_stats",
    "rovanek-d.personnel",
    "fenwistle-j.sent",
    "fenwistle-j.sent_items",
)


def build() -> dict[str, list[Mail]]:
    """Every file's messages, in the order they are written."""
    world = make_world()
    fenwistle_items = fenwistle_sent_items(world)
    return {
        "velsabe-c.calendar": velsabe_calendar(world),
        "velsabe-c.sent": velsabe_sent(world),
        "velsabe-c.sent_items": velsabe_sent_items(world),
        "okoravy-t.calendar": okoravy_calendar(world),
        "okoravy-t.sent": okoravy_sent(world),
        "rovanek-d.hr_stats": rovanek_hr_stats(world, fenwistle_items[4]),
        "rovanek-d.personnel": rovanek_personnel(world),
        "fenwistle-j.sent": fenwistle_sent(world),
        "fenwistle-j.sent_items": fenwistle_items,
    }


def mbox_bytes(mails: list[Mail]) -> bytes:
    """``From MAILER-DAEMON <date>`` before each message, a blank line after it."""
    parts = []
    for mail in mails:
        text = mail.render()
        if not text.endswith("\n"):
            text += "\n"
        parts.append(f"From MAILER-DAEMON {mail.folder.envelope}\n{text}\n")
    return "".join(parts).encode("ascii")


def path_of(name: str) -> Path:
    return HERE / f"northwind.{name}.mbox"


# -- the second look -----------------------------------------------------------------------


def stdlib_outcome(message: mailbox.mboxMessage) -> str:
    """What a message is, as the standard library reads it."""

    def addresses(*names: str) -> list[str]:
        values = [str(v) for name in names for v in message.get_all(name, [])]
        found = [a.lower() for _n, a in email.utils.getaddresses(values)]
        return [a for a in found if a.count("@") == 1]

    if message["From"] is None:
        return NO_FROM
    senders = addresses("From")
    if not senders:
        return FROM_WITHOUT_ADDRESS
    if not any(message.get_all(name) for name in ("To", "Cc", "Bcc")):
        return NO_RECIPIENTS
    recipients = set(addresses("To", "Cc", "Bcc"))
    if recipients - {senders[0]}:
        return EVENT
    if recipients:
        return ONLY_SENDER
    return EMPTY_GROUP if str(message["To"]).rstrip().endswith(";") else TO_WITHOUT_ADDRESS


def check(files: dict[str, list[Mail]]) -> bool:
    ok = True
    for name, mails in files.items():
        path = path_of(name)
        if path.read_bytes() != mbox_bytes(mails):
            print(f"{path.name}: differs from what generate.py writes")
            ok = False
            continue
        messages = list(mailbox.mbox(path, create=False))
        read = [stdlib_outcome(m) for m in messages]
        if read != [m.outcome for m in mails]:
            print(f"{path.name}: the standard library reads other outcomes: {read}")
            ok = False
    return ok


def table(files: dict[str, list[Mail]]) -> str:
    rows = ["| file | bytes | messages | events | not events |", "|---|---:|---:|---:|---|"]
    for name, mails in files.items():
        size = len(mbox_bytes(mails))
        events = sum(m.outcome == EVENT for m in mails)
        others: dict[str, int] = {}
        for mail in mails:
            if mail.outcome != EVENT:
                others[mail.outcome] = others.get(mail.outcome, 0) + 1
        rest = ", ".join(f"{count} {outcome}" for outcome, count in others.items()) or "-"
        rows.append(f"| {path_of(name).name} | {size:,} | {len(mails)} | {events} | {rest} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    files = build()
    if args.check:
        ok = check(files)
        print(table(files))
        return 0 if ok else 1
    for name, mails in files.items():
        path_of(name).write_bytes(mbox_bytes(mails))
    print(table(files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
