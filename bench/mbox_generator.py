"""Generate a realistic mbox file of a given size, deterministically.

Used by ``bench/ingest.py``; also runnable on its own::

    python bench/mbox_generator.py /tmp/big.mbox --size-mb 500 [--seed 7]

What the messages look like (the same ``--seed`` and size always give the same
bytes):

* headers as real mail servers write them: chains of 2-6 folded ``Received``
  headers, ``Return-Path``, DKIM signatures, ``From``/``To``/``Cc`` with display
  names (plain, quoted ``"Last, First"``, RFC 2047 B and Q encoded for names
  with accents or other scripts, some raw UTF-8), ``Message-ID``, ``In-Reply-To``
  and folded ``References`` chains for replies, ``Date`` in several formats
  (with and without the weekday, seconds, a ``(PDT)`` comment, zone names and
  two-digit years), ``List-Id``/``List-Unsubscribe`` on newsletters,
  ``X-Mailer`` and MIME headers; about 1 in 100 messages has no Message-ID;
* bodies of varied size: mostly short text, some ``multipart/alternative``
  (text plus HTML), some ``multipart/mixed`` with base64 attachments from a few
  KB to several MB; quoted replies, and body lines starting with ``From ``
  escaped as ``>From `` (mboxrd).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import random
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["GENERATOR_VERSION", "GeneratedMbox", "generate_mbox"]

#: Change when the output changes, so cached files are regenerated.
GENERATOR_VERSION = 1


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_FIRST = _words(
    "Anna Ben Carla David Emma Farid Grace Hiro Ines Jonas Kofi Lena Marco Nadia "
    "Omar Priya Quentin Rosa Sven Tara Umar Vera Wei Ximena Yusuf Zoe Liam Olivia "
    "Noah Ava Ethan Mia"
)
_FIRST_ACCENTED = ("Zoë", "José", "Søren", "Łukasz", "Renée", "Chloé", "Jürgen", "Ana María")
_LAST = _words(
    "Smith Jones Garcia Miller Davis Wilson Taylor Brown Clark Lewis Walker Young "
    "King Wright Lopez Hill Scott Green Adams Baker Nelson Carter Mitchell Perez "
    "Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Sanchez "
    "Morris Rogers Reed Cook"
)
_LAST_ACCENTED = ("Müller", "Nguyễn", "Ødegård", "Dvořák", "Fernández", "Šimić", "Çelik")
_CJK = ("王伟", "李娜", "张敏", "山田太郎", "김민준")
_DOMAINS = (
    "northwind.example",
    "contoso.example",
    "fabrikam.example",
    "tailspin.example",
    "adventure-works.example",
    "wingtip.example",
    "litware.example",
    "proseware.example",
    "mail.example.com",
    "example.org",
    "university.example.edu",
    "partner.example.net",
)
_AUTOMATED = (
    ("noreply", "Northwind Notifications"),
    ("no-reply", "Service Desk"),
    ("notifications", "Project Tracker"),
    ("newsletter", "Weekly Digest"),
    ("mailer-daemon", "Mail Delivery Subsystem"),
)
_WORDS = _words(
    "the of and to in a is that for it as with was on be by this are at from or have "
    "an they which you one we all were there can more their has been if would when "
    "will no project budget meeting review quarter plan team customer deadline "
    "contract forecast proposal schedule update draft agenda report numbers pipeline "
    "risk launch pricing please thanks attached regards follow call tomorrow next "
    "week friday monday office"
)
_MAILERS = (
    "Microsoft Outlook 16.0",
    "Apple Mail (2.3654.120.0.1.13)",
    "Mozilla Thunderbird 115.6.0",
    "Lotus Notes Release 5.0.8",
    "Evolution 3.44.4",
)
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ZONES = (("-0700", "PDT"), ("-0800", "PST"), ("+0000", "UTC"), ("+0100", "CET"), ("+0530", ""))


@dataclass(frozen=True)
class GeneratedMbox:
    path: Path
    bytes: int
    messages: int


@dataclass(frozen=True)
class _Person:
    name: str
    address: str


def _encoded(name: str, rng: random.Random) -> str:
    """A display name as an RFC 2047 encoded word (B or Q), or raw UTF-8 now and then."""
    roll = rng.random()
    if roll < 0.05:
        return f'"{name}"'  # RFC 6532 raw UTF-8
    raw = name.encode("utf-8")
    if roll < 0.55:
        return "=?UTF-8?B?" + base64.b64encode(raw).decode("ascii") + "?="
    quoted = "".join(
        chr(byte)
        if 48 <= byte < 123 and chr(byte).isalnum()
        else "_"
        if byte == 32
        else f"={byte:02X}"
        for byte in raw
    )
    return "=?utf-8?Q?" + quoted + "?="


def _people(rng: random.Random, count: int) -> list[_Person]:
    people = []
    for index in range(count):
        roll = rng.random()
        if roll < 0.04:
            name = rng.choice(_CJK)
            first, last = "user", str(index)
        else:
            first = rng.choice(_FIRST_ACCENTED) if roll < 0.12 else rng.choice(_FIRST)
            last = rng.choice(_LAST_ACCENTED) if roll > 0.9 else rng.choice(_LAST)
            name = f"{first} {last}"
        local = f"{first}.{last}{index}".lower().encode("ascii", "ignore").decode()
        people.append(_Person(name, f"{local.replace(' ', '')}@{rng.choice(_DOMAINS)}"))
    return people


def _address(person: _Person, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return person.address
    if roll < 0.2:
        return f"<{person.address}>"
    if not person.name.isascii():
        return f"{_encoded(person.name, rng)} <{person.address}>"
    if roll < 0.35 and " " in person.name:
        first, last = person.name.split(" ", 1)
        return f'"{last}, {first}" <{person.address}>'
    return f"{person.name} <{person.address}>"


def _fold(name: str, items: list[str]) -> str:
    """``Name: a, b, c`` folded at about 76 columns, as mail programs do."""
    lines, line = [], f"{name}: "
    for index, item in enumerate(items):
        piece = item + ("," if index < len(items) - 1 else "")
        if len(line) + len(piece) > 76 and line.strip() != f"{name}:":
            lines.append(line.rstrip())
            line = "\t"
        line += piece + " "
    lines.append(line.rstrip())
    return "\n".join(lines)


def _date(moment: dt.datetime, rng: random.Random) -> str:
    offset, zone_name = rng.choice(_ZONES)
    weekday = _WEEKDAYS[moment.weekday()]
    month = _MONTHS[moment.month - 1]
    roll = rng.random()
    if roll < 0.55:
        return f"{weekday}, {moment.day} {month} {moment.year} {moment:%H:%M:%S} {offset}"
    if roll < 0.75 and zone_name:
        return f"{weekday}, {moment.day:02d} {month} {moment.year} {moment:%H:%M:%S} {offset} ({zone_name})"
    if roll < 0.85:
        return f"{moment.day} {month} {moment.year} {moment:%H:%M:%S} {offset}"
    if roll < 0.92:
        return f"{weekday}, {moment.day} {month} {moment.year} {moment:%H:%M} GMT"
    if roll < 0.97:
        return f"{weekday}, {moment.day} {month} {moment.year} {moment:%H:%M:%S} EST"
    return f"{weekday}, {moment.day} {month} {moment.year % 100:02d} {moment:%H:%M:%S} {offset}"


def _received(rng: random.Random, recipient: str, moment: dt.datetime) -> list[str]:
    hops = []
    for hop in range(rng.randint(2, 6)):
        host = f"mail-{rng.randrange(1000):03d}.{rng.choice(_DOMAINS)}"
        ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}"
        when = moment + dt.timedelta(seconds=hop * rng.randint(1, 40))
        hops.append(
            f"Received: from {host} ({host} [{ip}])\n"
            f"\tby mx{hop}.{rng.choice(_DOMAINS)} (Postfix) with ESMTPS id {rng.getrandbits(40):010X}\n"
            f"\tfor <{recipient}>; {_WEEKDAYS[when.weekday()]}, {when.day} "
            f"{_MONTHS[when.month - 1]} {when.year} {when:%H:%M:%S} +0000"
        )
    return hops[::-1]


class _Pools:
    """Precomputed body text and base64 so that writing 500 MB takes seconds."""

    def __init__(self, rng: random.Random):
        lines = []
        for index in range(40_000):
            words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 13)))
            if index % 250 == 17:
                lines.append(">From " + words)  # mboxrd-escaped "From " line
            elif index % 900 == 5:
                lines.append(">>From " + words)
            elif index % 11 == 3:
                lines.append("> " + words)  # quoted reply
            else:
                line = words.capitalize() + "."
                # a body line starting with "From " is escaped when written to an mbox
                lines.append(">" + line if line.startswith("From ") else line)
        self.text_lines = lines
        raw = rng.randbytes(6 * 1024 * 1024)
        encoded = base64.b64encode(raw).decode("ascii")
        self.base64_lines = [encoded[i : i + 76] for i in range(0, len(encoded), 76)]

    def text(self, rng: random.Random, size: int) -> str:
        start = rng.randrange(len(self.text_lines) - 400)
        out, total, index = [], 0, start
        while total < size:
            line = self.text_lines[index % len(self.text_lines)]
            out.append(line)
            total += len(line) + 1
            index += 1
            if rng.random() < 0.12:
                out.append("")
        return "\n".join(out)

    def base64(self, rng: random.Random, size: int) -> str:
        count = max(1, size // 77)
        start = rng.randrange(max(1, len(self.base64_lines) - count))
        return "\n".join(self.base64_lines[start : start + count])


def _message(
    rng: random.Random, pools: _Pools, people: list[_Person], number: int, history: list[str]
) -> str:
    moment = dt.datetime(2019, 1, 1) + dt.timedelta(seconds=number * 900 + rng.randrange(900))
    automated = rng.random() < 0.06
    if automated:
        local, label = rng.choice(_AUTOMATED)
        sender = _Person(label, f"{local}@{rng.choice(_DOMAINS)}")
    else:
        sender = rng.choice(people)
    to = rng.sample(people, rng.choice((1, 1, 1, 2, 2, 3, 5)))
    cc = rng.sample(people, rng.choice((0, 0, 0, 1, 2, 4, 8)))
    domain = sender.address.split("@", 1)[1]
    message_id = f"{rng.getrandbits(64):016x}.{number}@{domain}"
    headers = [f"Return-Path: <{sender.address}>"]
    headers += _received(rng, to[0].address, moment)
    if rng.random() < 0.3:
        signature = base64.b64encode(rng.randbytes(180)).decode("ascii")
        headers.append(
            f"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=s1;\n"
            f"\th=from:to:cc:subject:date:message-id; bh={signature[:44]};\n"
            f"\tb={signature[44:120]}\n\t {signature[120:]}"
        )
    headers.append(f"From: {_address(sender, rng)}")
    headers.append(_fold("To", [_address(p, rng) for p in to]))
    if cc:
        headers.append(_fold("Cc", [_address(p, rng) for p in cc]))
    subject = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 8)))
    if rng.random() < 0.05:
        subject = _encoded("Überprüfung: " + subject, rng).strip('"')
    if history and not automated and rng.random() < 0.4:
        thread = history[-rng.randint(1, min(len(history), 10)) :]
        headers.append(f"Subject: Re: {subject}")
        headers.append(f"In-Reply-To: <{thread[-1]}>")
        headers.append(_fold("References", [f"<{ref}>" for ref in thread]).replace(",", ""))
    else:
        headers.append(f"Subject: {subject}")
    headers.append(f"Date: {_date(moment, rng)}")
    if rng.random() > 0.01:
        headers.append(f"Message-ID: <{message_id}>")
    history.append(message_id)
    if len(history) > 50:
        del history[:25]
    headers.append(f"X-Mailer: {rng.choice(_MAILERS)}")
    if automated:
        headers.append(f"List-Id: Updates <updates.{domain}>")
        headers.append(f"List-Unsubscribe: <mailto:unsubscribe@{domain}?subject=unsubscribe>")
        headers.append("Precedence: bulk")
    headers.append("MIME-Version: 1.0")

    roll = rng.random()
    text = pools.text(rng, int(rng.lognormvariate(7.6, 0.9)))  # median ~2 KB
    if roll < 0.8:
        headers.append('Content-Type: text/plain; charset="utf-8"')
        headers.append("Content-Transfer-Encoding: 8bit")
        body = text
    else:
        boundary = f"=_boundary_{rng.getrandbits(48):012x}"
        html = "<html><body><p>" + text.replace("\n\n", "</p><p>") + "</p></body></html>"
        alternative = (
            f'--{boundary}\nContent-Type: text/plain; charset="utf-8"\n\n{text}\n'
            f'--{boundary}\nContent-Type: text/html; charset="utf-8"\n\n{html}\n'
        )
        if roll < 0.93:
            headers.append(f'Content-Type: multipart/alternative; boundary="{boundary}"')
            body = alternative + f"--{boundary}--"
        else:
            size = int(min(rng.lognormvariate(11.5, 1.3), 8_000_000))  # median ~100 KB
            kind, extension = rng.choice(
                (("application/pdf", "pdf"), ("image/png", "png"), ("application/zip", "zip"))
            )
            headers.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
            body = (
                f"This is a multi-part message in MIME format.\n\n{alternative}"
                f'--{boundary}\nContent-Type: {kind}; name="file{number}.{extension}"\n'
                f"Content-Transfer-Encoding: base64\n"
                f'Content-Disposition: attachment; filename="file{number}.{extension}"\n\n'
                f"{pools.base64(rng, size)}\n--{boundary}--"
            )
    envelope = f"From {sender.address} {moment:%a %b %d %H:%M:%S %Y}"
    return envelope + "\n" + "\n".join(headers) + "\n\n" + body + "\n\n"


def generate_mbox(path: Path | str, *, size_mb: float = 500, seed: int = 7) -> GeneratedMbox:
    """Write an mbox of at least ``size_mb`` megabytes (10^6 bytes) to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pools = _Pools(rng)
    people = _people(rng, 3000)
    target = int(size_mb * 1_000_000)
    written = 0
    number = 0
    history: list[str] = []
    with open(path, "wb") as out:
        while written < target:
            data = _message(rng, pools, people, number, history).encode("utf-8")
            out.write(data)
            written += len(data)
            number += 1
    return GeneratedMbox(path=path, bytes=written, messages=number)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="where to write the mbox file")
    parser.add_argument("--size-mb", type=float, default=500, help="size in MB (default 500)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    result = generate_mbox(args.path, size_mb=args.size_mb, seed=args.seed)
    print(f"{result.path}: {result.bytes / 1e6:.1f} MB, {result.messages:,} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
