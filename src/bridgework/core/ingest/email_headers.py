"""E-mail header parsing shared by the mbox and Maildir readers.

Only the headers Bridgework needs are read: ``From``, ``Sender``, ``To``,
``Cc``, ``Bcc``, ``Date``, ``Message-ID``, ``In-Reply-To``, ``References`` and
the headers that mark automated mail (``List-Id``, ``List-Unsubscribe``,
``List-Post``, ``Precedence``, ``Auto-Submitted``). ``Subject`` and the body are
never decoded or kept.

Everything works on the raw header block as bytes, with plain byte operations
and a few small regular expressions, because :mod:`email`'s full parser is
several times slower than the whole import is allowed to be. The standard
library is still the fallback for the odd cases (obsolete date formats).

Examples
--------
>>> block = (b"Message-ID: <1@example.org>\\n"
...          b"Date: Mon, 25 Sep 2000 03:39:00 -0700 (PDT)\\n"
...          b"From: =?utf-8?q?Ren=C3=A9e_Roe?= <Renee@Example.org>\\n"
...          b"To: bob@example.org, \\"Doe, Jane\\" <jane@example.org>\\n"
...          b"Subject: never read\\n")
>>> event = record_from_headers(block, position="message 1")
>>> event.external_id, event.occurred_at.isoformat()
('1@example.org', '2000-09-25T10:39:00+00:00')
>>> event.sender.email, event.sender.name
('renee@example.org', 'Renée Roe')
>>> [(r.email, r.name) for r in event.recipients]
[('bob@example.org', ''), ('jane@example.org', 'Jane Doe')]
>>> record_from_headers(b"From: a@example.org\\nTo: b@example.org\\n", position="message 2")
Issue(position='message 2', reason='no Date header')
"""

from __future__ import annotations

import binascii
import datetime as dt
import functools
import hashlib
import mmap
import re
from email.utils import parsedate_to_datetime

from bridgework.core.identity.automated import is_automated_address
from bridgework.core.ingest.names import display_name
from bridgework.core.ingest.records import EventRecord, Identity, Issue, Window

__all__ = [
    "HEADERS_READ",
    "MAX_HEADER_BYTES",
    "is_automated_address",
    "is_list_robot_address",
    "header_block_end",
    "parse_header_block",
    "decode_header_bytes",
    "decode_encoded_words",
    "parse_addresses",
    "parse_date",
    "normalize_message_id",
    "fallback_message_id",
    "DATE_RANGE",
    "record_from_headers",
]

#: The headers the e-mail readers look at (lower-cased); all others are skipped.
HEADERS_READ = frozenset(
    {
        b"from",
        b"sender",
        b"to",
        b"cc",
        b"bcc",
        b"date",
        b"message-id",
        b"in-reply-to",
        b"references",
        b"list-id",
        b"list-unsubscribe",
        b"list-post",
        b"precedence",
        b"auto-submitted",
    }
)

#: A header block is never longer than this; a message without an empty line
#: (headers only, or broken) is read this far at most.
MAX_HEADER_BYTES = 1 << 20

_UTC = dt.UTC
_UNSET_WINDOW = Window()

# -- automated senders ---------------------------------------------------------------

_LIST_ROBOT = re.compile(r"^(owner-.+|.+-owner|.+-request|.+-admin|.+-bounces?(\+.*)?)$")


def is_list_robot_address(address: str) -> bool:
    """Whether an address is a mailing list's management robot (RFC 2142 and
    Majordomo/Mailman conventions: ``owner-x``, ``x-owner``, ``x-request``,
    ``x-admin``, ``x-bounces``).

    This complements :func:`bridgework.core.identity.automated.is_automated_address`
    (no-reply, mailer-daemon, postmaster, bounces, notifications, lists, ...),
    which is re-exported here; the e-mail readers mark an address automated
    when either says so.

    >>> is_list_robot_address("owner-freebsd-isp@FreeBSD.ORG")
    True
    >>> is_list_robot_address("ppp-request@zzz.org")
    True
    >>> is_list_robot_address("ann.owner@example.org")
    False
    """
    local = address.rsplit("@", 1)[0].lower()
    return bool(_LIST_ROBOT.match(local))


@functools.lru_cache(maxsize=1 << 16)
def _automated_address(address: str) -> bool:
    return is_automated_address(address) or is_list_robot_address(address)


# -- the header block ------------------------------------------------------------------


def header_block_end(data: bytes | mmap.mmap, start: int, end: int) -> int:
    """Index of the line break that ends the header block in ``data[start:end]``.

    ``data`` is ``bytes`` or an ``mmap``; ``start`` is the first byte of the first
    header line. The header block ends at the first empty line (LF or CRLF); the
    result is the index of the line break (``\\n`` or ``\\r\\n``) that ends the
    last header line, so the block is ``data[start:result]``; a result at or
    before ``start`` means the block is empty.

    >>> header_block_end(b"A: 1\\nB: 2\\n\\nbody", 0, 15)
    9
    >>> header_block_end(b"A: 1\\r\\n\\r\\nbody", 0, 12)
    4
    >>> header_block_end(b"A: 1\\r\\n", 0, 6)
    4
    """
    lf = data.find(b"\n\n", max(start - 1, 0), end)
    crlf = data.find(b"\n\r\n", max(start - 1, 0), lf + 1 if lf >= 0 else end)
    if crlf >= 0:
        return crlf - 1 if crlf > start and data[crlf - 1 : crlf] == b"\r" else crlf
    if lf >= 0:
        return lf
    if end > start and data[end - 1 : end] == b"\n":  # headers only, no body
        return end - 2 if end - 1 > start and data[end - 2 : end - 1] == b"\r" else end - 1
    return end


# One pass over the block: at each line start, either a wanted header (name and
# value with its continuation lines) or a line that is neither a header nor a
# continuation, which ends the headers (group 3). Other headers match neither
# and are skipped by the search itself, in C.
_HEADER_SCAN = re.compile(
    rb"\n(?:("
    + b"|".join(re.escape(name) for name in sorted(HEADERS_READ))
    + rb")[ \t]*:(.*+(?:\n[ \t].*+)*+)"
    + rb"|([^ \t:\n][^:\n]*+(?=\n|$)|:))",
    re.I,
)
_ANY_HEADER = re.compile(rb"\n[!-9;-~]+[ \t]*:")


def parse_header_block(block: bytes) -> tuple[dict[bytes, list[bytes]], bool]:
    """The wanted headers of a raw header block, unfolded, and whether the block
    has any header at all.

    Returns ``({lower-cased name: [raw value, ...]}, has_headers)`` for the
    names in :data:`HEADERS_READ`, in file order. Leading ``From `` / ``>From ``
    envelope lines are skipped; the block ends at the first line that is
    neither a header nor a continuation (RFC 5322 needs an empty line, but
    broken mailers forget it and the body must not be read as headers).

    >>> parse_header_block(b"To: a@x.org,\\n\\tb@x.org\\nX-Any: 1\\ncc: c@x.org\\nno colon\\nBcc: d@x")
    ({b'to': [b'a@x.org, b@x.org'], b'cc': [b'c@x.org']}, True)
    """
    text = b"\n" + block
    while text.startswith(b"\nFrom ") or text.startswith(b"\n>From "):
        line_end = text.find(b"\n", 1)  # an envelope line left at the top
        text = text[line_end:] if line_end > 0 else b""
    fields: dict[bytes, list[bytes]] = {}
    stop = len(text)
    for name, value, body_line in _HEADER_SCAN.findall(text):
        if body_line:
            stop = text.find(b"\n" + body_line)
            break
        name = name.lower()
        if b"\n" in value:
            value = b" ".join(part.strip() for part in value.split(b"\n"))
        else:
            value = value.strip()
        values = fields.get(name)
        if values is None:
            fields[name] = [value]
        else:
            values.append(value)
    if fields:
        return fields, True
    return fields, _ANY_HEADER.search(text, 0, stop) is not None


def decode_header_bytes(value: bytes) -> str:
    """Header bytes as text: UTF-8 (RFC 6532), else Latin-1 for legacy 8-bit mail.

    >>> decode_header_bytes(b"Ren\\xc3\\xa9e"), decode_header_bytes(b"Ren\\xe9e")
    ('Renée', 'Renée')
    """
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "ks_c_5601-1987": "cp949",
    "iso-8859-8-i": "iso-8859-8",
    "unknown-8bit": "latin-1",
    "x-unknown": "latin-1",
}


def _decode_word(match: re.Match[str]) -> str:
    charset, encoding, payload = match.group(1), match.group(2), match.group(3)
    charset = charset.split("*", 1)[0].lower()  # RFC 2231 language suffix
    charset = _CHARSET_ALIASES.get(charset, charset)
    try:
        if encoding in "bB":
            raw = binascii.a2b_base64(payload + "=" * (-len(payload) % 4))
        else:
            raw = binascii.a2b_qp(payload.encode("ascii", "replace"), header=True)
    except (binascii.Error, ValueError):
        return match.group(0)
    if payload and not raw:  # nothing decodable in it (the decoder skips junk)
        return match.group(0)
    try:
        return raw.decode(charset, "replace")
    except LookupError:  # unknown charset name
        return raw.decode("utf-8", "replace")


def decode_encoded_words(text: str) -> str:
    """Decode RFC 2047 encoded words (``=?charset?B|Q?...?=``) in a display name.

    Whitespace between adjacent encoded words is dropped, as the RFC says; a
    word that does not decode is kept as written; an unknown charset is read
    as UTF-8 with replacement characters.

    >>> decode_encoded_words("=?ISO-8859-1?Q?Andr=E9?= Pirard")
    'André Pirard'
    >>> decode_encoded_words("=?utf-8?b?SmFuZQ==?= =?utf-8?b?IERvZQ==?=")
    'Jane Doe'
    """
    if "=?" not in text:
        return text
    out: list[str] = []
    position = 0
    for match in _ENCODED_WORD.finditer(text):
        gap = text[position : match.start()]
        if not (position and gap.isspace()):  # keep text, drop space between two words
            out.append(gap)
        out.append(_decode_word(match))
        position = match.end()
    out.append(text[position:])
    return "".join(out)


# -- addresses ------------------------------------------------------------------------

_ADDRESS_TOKEN = re.compile(
    r'"((?:[^"\\]|\\.)*)"?'  # quoted string
    r"|\(((?:[^()\\]|\\.)*)\)?"  # comment (not nested)
    r"|<([^>]*)>?"  # angle address
    r"|([,;:])"  # separators
    r'|([^",;:()<>]+)',  # atoms and spaces
    re.S,
)
_SLOW_PATH = ("(", ":", ";", "\\")
_QUOTED_PARTS = re.compile(r'(?:"[^"]*"?|[^,"])+')
_UNESCAPE = re.compile(r"\\(.)", re.S)


def _clean_address(address: str) -> str:
    address = address.strip().strip("<>").strip()
    if ":" in address:  # obsolete source route "@a,@b:user@host"
        address = address.rsplit(":", 1)[1]
    if " " in address or "\t" in address:
        address = "".join(address.split())
    return address.lower()


def _split_bare(text: str) -> tuple[str, str]:
    """``"user@host"`` or ``"Some Name user@host"`` without angle brackets."""
    text = text.strip()
    if " " not in text:
        return "", text
    words = text.split()
    for index in range(len(words) - 1, -1, -1):
        if "@" in words[index]:
            return " ".join(words[:index] + words[index + 1 :]), words[index]
    return text, ""


def _clean_name(name: str, address: str) -> str:
    name = decode_encoded_words(name.strip().strip('"').strip("'").strip())
    if "\\" in name:
        name = _UNESCAPE.sub(r"\1", name)
    name = " ".join(name.split())
    return "" if name.lower() == address else name


@functools.lru_cache(maxsize=1 << 12)
def _parse_addresses_slow(value: str) -> tuple[tuple[str, str], ...]:
    found: list[tuple[str, str]] = []
    words: list[str] = []
    comments: list[str] = []
    angle: str | None = None

    def flush() -> None:
        nonlocal angle
        if angle is not None:
            name, address = " ".join(words), angle
        else:
            name, address = _split_bare(" ".join(words))
        name = name or " ".join(comments)
        if address or name:
            address = _clean_address(address)
            found.append((_clean_name(name, address), address))
        words.clear()
        comments.clear()
        angle = None

    for match in _ADDRESS_TOKEN.finditer(value):
        kind, text = match.lastindex, match.group(match.lastindex or 0)
        if kind == 5:  # atom
            if text.strip():
                words.append(text.strip())
        elif kind == 4:  # separator
            if text == ":":
                if angle is None:  # "Group name:" starts a group; the name is not a person
                    words.clear()
                    comments.clear()
                continue
            flush()
        elif kind == 3:
            angle = text
        elif kind == 1:
            words.append(_UNESCAPE.sub(r"\1", text))
        elif kind == 2:
            comments.append(text.strip())
    flush()
    return tuple(found)


def parse_addresses(value: str) -> list[tuple[str, str]]:
    """``(display name, address)`` pairs of an address header, names decoded,
    addresses lower-cased.

    Handles quoted names with commas, comments as names, groups (``Team: a@x,
    b@x;``, ``undisclosed-recipients:;``) and a bare address used as a display
    name. Entries without a usable address come back with an empty or invalid
    address: keep those for which ``"@" in address``.

    >>> parse_addresses('"Doe, Jane" <Jane@X.org>, bob@x.org (Bob Roe)')
    [('Doe, Jane', 'jane@x.org'), ('Bob Roe', 'bob@x.org')]
    >>> parse_addresses("undisclosed-recipients:;")
    []
    >>> parse_addresses("alice@example.com <bob@example.com>")
    [('alice@example.com', 'bob@example.com')]
    """
    if any(char in value for char in _SLOW_PATH):
        return list(_parse_addresses_slow(value))
    parts = _QUOTED_PARTS.findall(value) if '"' in value else value.split(",")
    return [found for part in parts if (found := _parse_one(part)) is not None]


# Address lists repeat the same people over and over: caching each entry makes a
# header of known people cost a few dictionary look-ups.
@functools.lru_cache(maxsize=1 << 16)
def _parse_one(part: str) -> tuple[str, str] | None:
    """One comma-free (outside quotes) entry, without comments or groups."""
    lt = part.rfind("<")
    if lt >= 0:
        gt = part.find(">", lt)
        address = _clean_address(part[lt + 1 : gt] if gt >= 0 else part[lt + 1 :])
        name = part[:lt].strip()
    else:
        name, address = _split_bare(part.replace('"', " ") if '"' in part else part)
        address = _clean_address(address)
    if not (address or name):
        return None
    return (_clean_name(name, address) if name else "", address)


def _valid_address(address: str) -> bool:
    at = address.find("@")
    return 0 < at < len(address) - 1 and address.count("@") == 1


# -- dates ---------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_ZONES = {
    "UT": 0,
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "EST": -5 * 60,
    "EDT": -4 * 60,
    "CST": -6 * 60,
    "CDT": -5 * 60,
    "MST": -7 * 60,
    "MDT": -6 * 60,
    "PST": -8 * 60,
    "PDT": -7 * 60,
}
_RFC5322_DATE = re.compile(
    r"\s*(?:[A-Za-z]{3,9},?\s*)?"  # optional day of week
    r"(\d{1,2})[\s-]+([A-Za-z]{3})[a-z]*[\s-]+(\d{4})\s+"  # 25 Sep 2000
    r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*"  # 03:39[:00]
    r"(?:([+-])(\d{2}):?(\d{2})|([A-Za-z]{1,3}))?"  # -0700, GMT or none
    r"\s*(?:\(.*\))?\s*$"
)
#: Dates before e-mail existed or far in the future are wrong clocks, not events.
DATE_RANGE = (dt.datetime(1970, 1, 1, tzinfo=_UTC), dt.datetime(2100, 1, 1, tzinfo=_UTC))


def _fast_date(text: str) -> dt.datetime | None:
    match = _RFC5322_DATE.match(text)
    if match is None:
        return None
    day, month, year, hour, minute, second, sign, zh, zm, zone = match.groups()
    month_number = _MONTHS.get(month.lower())
    if month_number is None:
        return None
    if zone is not None:
        offset = _ZONES.get(zone.upper())
        if offset is None:
            return None  # military or unknown zone: leave it to the standard library
    elif sign is not None:
        offset = int(zh) * 60 + int(zm)
        if sign == "-":
            offset = -offset
    else:
        offset = 0
    seconds = min(int(second), 59) if second else 0  # a leap second is the :59 second
    try:
        moment = dt.datetime(int(year), month_number, int(day), int(hour), int(minute), seconds)
    except ValueError:
        return None
    return (moment - dt.timedelta(minutes=offset)).replace(tzinfo=_UTC)


def parse_date(text: str) -> dt.datetime | None:
    """A ``Date`` header as an aware UTC datetime, or ``None`` if it is not a date.

    The common RFC 5322 form is parsed directly; anything else (two-digit
    years, military zones, ...) goes to :func:`email.utils.parsedate_to_datetime`,
    then to ISO 8601. A date without a zone (or ``-0000``) is taken as UTC.

    >>> parse_date("Mon, 25 Sep 2000 03:39:00 -0700 (PDT)").isoformat()
    '2000-09-25T10:39:00+00:00'
    >>> parse_date("01 Jan 2001 00:01+0000").isoformat()
    '2001-01-01T00:01:00+00:00'
    >>> parse_date("Thu, 32 Foo 2001") is None
    True
    """
    moment = _fast_date(text)
    if moment is not None:
        return moment
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        try:
            moment = dt.datetime.fromisoformat(text.strip())
        except ValueError:
            return None
    try:
        if moment.tzinfo is None:
            return moment.replace(tzinfo=_UTC)
        return moment.astimezone(_UTC)
    except (OverflowError, ValueError):
        return None


# -- message ids -------------------------------------------------------------------------


def normalize_message_id(value: str) -> str:
    """The first message id in a header, without ``<>`` and whitespace.

    >>> normalize_message_id(" <32517802.1075840279763.JavaMail.evans@thyme> (comment)")
    '32517802.1075840279763.JavaMail.evans@thyme'
    >>> normalize_message_id("bare-id@host other"), normalize_message_id("  ")
    ('bare-id@host', '')
    """
    lt = value.find("<")
    if lt >= 0:
        gt = value.find(">", lt)
        if gt > lt + 1:
            return "".join(value[lt + 1 : gt].split())
    words = value.split()
    return words[0].strip("<>") if words else ""


#: Headers that mail programs rewrite in place (read flags, sizes): left out of
#: the fallback id so that reading a message does not change its identity.
_VOLATILE = re.compile(
    rb"^(status|x-status|x-keywords|x-uid|x-mozilla-status2?|x-mozilla-keys|content-length"
    rb"|lines|x-imap|x-imapbase)\s*:.*(\n[ \t].*)*\n?",
    re.I | re.M,
)
_WHITESPACE = re.compile(rb"\s+")
#: ``From `` lines before the headers (escaped ``>From `` once copied into an mbox)
_ENVELOPE = re.compile(rb"\A(?:>*From [^\n]*(?:\n|\Z))+")


def fallback_message_id(block: bytes) -> str:
    """A stable id for a message without a Message-ID: a hash of its header block,
    with whitespace and folding normalized, and envelope ``From `` lines and
    mail-client flags left out, so that the same message copied between an mbox
    and a Maildir, or read by a mail program, keeps its id.

    >>> fallback_message_id(b"From: a@x\\r\\nStatus: RO\\r\\nTo: b@x") == fallback_message_id(
    ...     b"From: a@x\\nTo:   b@x\\nX-Status: A")
    True
    """
    block = _ENVELOPE.sub(b"", block.replace(b"\r\n", b"\n"))
    stable = _WHITESPACE.sub(b" ", _VOLATILE.sub(b"", block)).strip()
    return "sha256:" + hashlib.sha256(stable).hexdigest()[:32]


# -- one message -----------------------------------------------------------------------------

_AUTOMATED_PRECEDENCE = frozenset({b"bulk", b"list", b"junk", b"auto_reply"})
_identities: dict[tuple[str, str, bool], Identity] = {}


def _identity(address: str, name: str, automated: bool) -> Identity:
    """Shared, immutable identities: the same people appear in message after message."""
    key = (address, name, automated)
    found = _identities.get(key)
    if found is None:
        if len(_identities) >= 1 << 17:
            _identities.clear()
        found = _identities[key] = Identity(
            email=address, name=display_name(name), automated=automated
        )
    return found


def _quote(value: str, limit: int = 60) -> str:
    value = " ".join(value.split())
    if len(value) > limit:
        value = value[: limit - 3] + "..."
    return repr(value)


def _first(fields: dict[bytes, list[bytes]], name: bytes) -> str | None:
    values = fields.get(name)
    return decode_header_bytes(values[0]) if values else None


def _is_automated_message(fields: dict[bytes, list[bytes]]) -> bool:
    if b"list-id" in fields or b"list-unsubscribe" in fields:
        return True
    precedence = fields.get(b"precedence")
    if precedence and precedence[0].lower() in _AUTOMATED_PRECEDENCE:
        return True
    auto = fields.get(b"auto-submitted")
    return bool(auto and auto[0] and not auto[0].lower().startswith(b"no"))


def _list_post_address(fields: dict[bytes, list[bytes]]) -> str:
    for value in fields.get(b"list-post", ()):
        text = decode_header_bytes(value)
        start = text.lower().find("mailto:")
        if start >= 0:
            return text[start + 7 :].split(">", 1)[0].split("?", 1)[0].strip().lower()
    return ""


def _sender(from_text: str | None, sender_text: str | None) -> tuple[str, str] | None:
    for text in (from_text, sender_text):
        if text:
            for name, address in parse_addresses(text):
                if _valid_address(address):
                    return name, address
    return None


def _no_recipients(position: str, texts: list[str]) -> Issue:
    # Reasons never quote address headers: they hold names and addresses.
    if not texts:
        return Issue(position, "no To, Cc or Bcc recipients")
    if any(_valid_address(address) for text in texts for _name, address in parse_addresses(text)):
        return Issue(position, "no To, Cc or Bcc recipients other than the sender")
    if not any(text.strip() for text in texts):
        return Issue(position, "no To, Cc or Bcc recipients (the headers are empty)")
    if all(":" in text and text.rstrip().endswith(";") for text in texts if text.strip()):
        return Issue(
            position,
            "no To, Cc or Bcc recipients: only an empty group (like 'undisclosed-recipients:;')",
        )
    return Issue(position, "no To, Cc or Bcc recipients with an e-mail address")


def record_from_headers(
    block: bytes,
    *,
    position: str,
    window: Window = _UNSET_WINDOW,
    owner_email: str = "",
) -> EventRecord | Issue | None:
    """One message's header block as an event, an :class:`Issue`, or ``None``
    when its date is outside ``window``.

    The checks, in order: the block is text and has headers; the ``Date``
    parses (a message outside the window is dropped here, silently); there is
    a From (or Sender) address; there is at least one To, Cc or Bcc address
    other than the sender. When there is none but ``owner_email`` is given
    (the mailbox owner's address) and the sender is someone else, the owner is
    the recipient: that is how Bcc'd and undisclosed-recipients mail reached them.
    """
    if b"\x00" in block:
        return Issue(position, "header block holds binary data (NUL bytes), not e-mail headers")
    fields, has_headers = parse_header_block(block)
    if not has_headers:
        return Issue(position, "no e-mail headers")

    date_values = fields.get(b"date")
    if not date_values:
        return Issue(position, "no Date header")
    date_text = decode_header_bytes(date_values[0])
    occurred_at = parse_date(date_text)
    if occurred_at is None:
        return Issue(position, f"Date header {_quote(date_text)} is not a valid date")
    if not DATE_RANGE[0] <= occurred_at < DATE_RANGE[1]:
        return Issue(position, f"Date header {_quote(date_text)} is outside 1970-2099")
    if not window.contains(occurred_at):
        return None

    from_text = _first(fields, b"from")
    sender_text = _first(fields, b"sender")
    sender = _sender(from_text, sender_text)
    if sender is None:
        if from_text is None and sender_text is None:
            return Issue(position, "no From address (no From header)")
        return Issue(position, "no From address (the From header has no e-mail address)")
    sender_name, sender_address = sender

    list_post = _list_post_address(fields) if b"list-post" in fields else ""
    recipients: dict[str, Identity] = {}
    texts: list[str] = []
    for header in (b"to", b"cc", b"bcc"):
        for value in fields.get(header, ()):
            text = decode_header_bytes(value)
            texts.append(text)
            for name, address in parse_addresses(text):
                if address == sender_address or not _valid_address(address):
                    continue
                known = recipients.get(address)
                if known is None or (name and not known.name):
                    automated = address == list_post or _automated_address(address)
                    recipients[address] = _identity(address, name, automated)
    if not recipients:
        owner = owner_email.strip().lower()
        if not owner or owner == sender_address:
            return _no_recipients(position, texts)
        recipients[owner] = _identity(owner, "", _automated_address(owner))

    automated = (
        _automated_address(sender_address)
        or _is_automated_message(fields)
        or bool(
            sender_text and (found := _sender(sender_text, None)) and _automated_address(found[1])
        )
    )
    message_id = _first(fields, b"message-id")
    external_id = normalize_message_id(message_id) if message_id else ""
    in_reply_to = _first(fields, b"in-reply-to")
    reply_to = normalize_message_id(in_reply_to) if in_reply_to else ""
    references = _first(fields, b"references")
    return EventRecord(
        external_id=external_id or fallback_message_id(block),
        occurred_at=occurred_at,
        channel="email",
        sender=_identity(sender_address, sender_name, automated),
        recipients=tuple(recipients.values()),
        direction="one_way",
        reply_to=reply_to,
        thread_id=(normalize_message_id(references) if references else "") or reply_to,
    )
