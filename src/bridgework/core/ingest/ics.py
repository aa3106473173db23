"""Meetings from iCalendar (``.ics``) files: one event per meeting occurrence.

Long on purpose: one reader for one format, whose parts (reading the file as a
stream, time zones, recurrence, attendees, recovery from damaged files) share
the same components and are only ever used together.

The file is never loaded: it is read a block at a time, twice (first what the
VEVENTs need from their calendars, then the VEVENTs one by one), keeping only
the properties read, so memory is bounded by the largest component (at most
:data:`MAX_COMPONENT_SIZE` characters of them; a bigger one is an issue) and
not by the file. Only the events of series with moved occurrences wait for
the end of the file, to be matched (at most :data:`MAX_LINKED_EVENTS`).

Every ``VEVENT`` with at least two people (its ``ORGANIZER`` and the
``ATTENDEE``\\ s who did not decline) becomes one
:class:`~bridgework.core.ingest.records.EventRecord` per occurrence, with
``channel="meeting"`` and ``direction="two_way"``:

* ``sender`` is the organizer (``mailto:`` address and ``CN``), ``recipients``
  the attendees other than the organizer. Attendees who declined or delegated
  (``PARTSTAT=DECLINED`` / ``DELEGATED``), non-participants
  (``ROLE=NON-PARTICIPANT``) and rooms or resources (``CUTYPE=ROOM`` /
  ``RESOURCE``) are left out; a group attendee (``CUTYPE=GROUP``, a
  distribution list) is kept and marked ``automated``.
* ``occurred_at`` is the start in UTC. A ``TZID`` is resolved from the IANA
  database, then from the file's ``VTIMEZONE``, then as a Windows zone name
  (Outlook), then as a "globally unique" ``/vendor/Area/City`` id. Floating
  times (no ``TZID``) are read in the calendar's ``X-WR-TIMEZONE`` when it
  names a known zone, else in UTC, as are times whose ``TZID`` cannot be
  resolved. All-day events start at 00:00 UTC of their date and have no
  duration (a day on the calendar says nothing about time spent together).
* ``duration_minutes`` comes from ``DTEND - DTSTART`` or ``DURATION``.
* ``external_id`` is ``UID@start`` where *start* is the occurrence's original
  start in UTC (its ``RECURRENCE-ID`` when an occurrence was moved), so a
  re-import, or a moved occurrence, keeps its id; ``thread_id`` is the UID.
  An event without a UID gets a stable one derived from its time and people.

Recurring events (``RRULE``, ``RDATE``, ``EXDATE`` and ``RECURRENCE-ID``
overrides) are expanded inside ``options.window``. When the window has no end,
expansion stops :data:`OPEN_WINDOW_HORIZON` after today (or after the series'
start, if later); a series never yields more than :data:`MAX_OCCURRENCES`
occurrences and the rules of one file never more than
:data:`MAX_FILE_OCCURRENCES` together, so no rule, and no file of many rules,
can loop for ever; each series cut short is an issue. A rule that cannot be
run as written (an empty ``RRULE``, ``BYWEEKNO=60``, ``BYYEARDAY=400``, a
meeting repeating every second or minute...) is an issue, and so is its whole
``VEVENT``, as for any other bad event.

Never read (not even parsed): ``SUMMARY``, ``DESCRIPTION``, ``LOCATION``,
comments, attachments, alarms and every other property not named here.

Skipped without an issue, because nothing is wrong with them, and counted in
the optional ``skipped`` counter under :data:`SKIP_REASONS`: cancelled events
and occurrences (``STATUS:CANCELLED``, or a calendar with ``METHOD:CANCEL``),
events naming fewer than two people (a personal appointment carries no
relationship), and events outside the window.

Bad input becomes an :class:`~bridgework.core.ingest.records.Issue` positioned
``"VEVENT n (line l)"`` with a specific reason (no ``DTSTART``, a date that is
not a date, an ``RRULE`` that is not a rule, an event that is never closed...)
and the rest of the file is read. A file that is not iCalendar at all raises
:class:`~bridgework.core.ingest.records.FormatError`.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "team.ics").write_text(
...     "BEGIN:VCALENDAR\\nVERSION:2.0\\nBEGIN:VEVENT\\nUID:weekly-1\\n"
...     "DTSTART;TZID=Europe/Paris:20240105T100000\\nDURATION:PT30M\\n"
...     "RRULE:FREQ=WEEKLY;COUNT=2\\nORGANIZER;CN=Ana:mailto:ana@example.org\\n"
...     "ATTENDEE:mailto:bo@example.org\\nEND:VEVENT\\nEND:VCALENDAR\\n")
>>> [(e.external_id, e.duration_minutes) for e in read_ics(folder / "team.ics", options=ReadOptions())]
[('weekly-1@2024-01-05T09:00:00Z', 30), ('weekly-1@2024-01-12T09:00:00Z', 30)]
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import hashlib
import re
import warnings
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dateutil import rrule as _rrule

from bridgework.core.ingest.base import Reader
from bridgework.core.ingest.contentline import (
    BadLine,
    CutLine,
    TextLines,
    read_parameters,
    text_encoding,
)
from bridgework.core.ingest.records import (
    EventRecord,
    FormatError,
    Identity,
    Issue,
    ReadOptions,
)

__all__ = [
    "READER",
    "read_ics",
    "SKIP_REASONS",
    "OPEN_WINDOW_HORIZON",
    "MAX_OCCURRENCES",
    "MAX_FILE_OCCURRENCES",
    "MAX_COMPONENT_SIZE",
    "MAX_LINKED_EVENTS",
]

#: Keys of the ``skipped`` counter: events left out on purpose, not errors.
SKIP_REASONS = ("cancelled", "no_people", "outside_window")
#: How far past today a recurring series is expanded when the window has no end.
OPEN_WINDOW_HORIZON = dt.timedelta(days=365)
#: The most occurrences one recurring event may generate (from its start).
MAX_OCCURRENCES = 50_000
#: The most occurrences the recurrence rules of one file may generate together (each
#: series counted from its start, as it is generated): many series that each stay
#: under :data:`MAX_OCCURRENCES` must not add millions of meetings, nor take hours.
#: A heavy real calendar (hundreds of weekly series, a few daily ones, for years)
#: generates a few hundred thousand.
MAX_FILE_OCCURRENCES = 500_000
#: The most characters of the properties read (dates, people, rules) one component may
#: hold; memory is bounded by it, not by the file. A bigger component is an issue.
MAX_COMPONENT_SIZE = 1 << 20
#: The most events of one file kept aside because their series has moved occurrences
#: (``RECURRENCE-ID``), which are matched to it once the whole file is read.
MAX_LINKED_EVENTS = 50_000

_EXPECTED = "expected an iCalendar file with BEGIN:VCALENDAR"
_UTC = dt.UTC
#: Properties whose value decides what is read; a broken one is an issue.
_READ_PROPERTIES = frozenset(
    {
        "DTSTART",
        "DTEND",
        "DURATION",
        "RRULE",
        "RDATE",
        "EXDATE",
        "RECURRENCE-ID",
        "ORGANIZER",
        "ATTENDEE",
        "UID",
        "STATUS",
    }
)
#: Everything the reader looks at; other lines are skipped unparsed.
_PARSED_PROPERTIES = _READ_PROPERTIES | {"METHOD", "X-WR-TIMEZONE", "TZID"}
_LEFT_OUT_PARTSTAT = frozenset({"DECLINED", "DELEGATED"})
_LEFT_OUT_CUTYPE = frozenset({"ROOM", "RESOURCE"})
_PROGRESS_EVERY = 200  # VEVENTs between progress calls


def read_ics(
    path: Path,
    *,
    options: ReadOptions,
    progress: Callable[[int], None] | None = None,
    skipped: Counter[str] | None = None,
    max_component_size: int = MAX_COMPONENT_SIZE,
) -> Iterator[EventRecord | Issue]:
    """Yield one :class:`EventRecord` per meeting occurrence and an :class:`Issue` per bad event.

    The file is streamed twice, a line at a time: once to learn what the
    VEVENTs need from their calendars (time zones, ``METHOD``) and which
    series have moved occurrences, then to read the VEVENTs one by one. So
    memory is bounded by the largest component (and the series with moved
    occurrences, which are matched once the file is read), not by the file.
    Structural issues come first, then each VEVENT's records or issue in the
    order of the file, then the series with moved occurrences.

    Parameters
    ----------
    path : Path
        An ``.ics`` file holding one or more ``VCALENDAR`` objects.
    options : ReadOptions
        ``options.window`` bounds the occurrences kept (and the expansion of
        recurring events).
    progress : callable, optional
        Called with the bytes read so far, now and then and once at the end.
    skipped : collections.Counter, optional
        When given, counts the events left out on purpose, by reason
        (:data:`SKIP_REASONS`): once for each ``VEVENT`` that gives no record
        (a recurring one only if none of its occurrences is read), and once
        for each cancelled occurrence of a series and each occurrence in the
        window of a series that is read but names fewer than two people.
    max_component_size : int
        The most characters of the properties read that one VEVENT (or
        VTIMEZONE) may hold; a bigger one is an issue and is skipped.

    Raises
    ------
    FormatError
        Before yielding anything, when the file cannot be read or does not
        start with ``BEGIN:VCALENDAR``.
    """
    path = Path(path)
    skipped = skipped if skipped is not None else Counter()
    encoding = _encoding(path)
    _check_format(path, encoding)
    line_limit = max_component_size + 1

    survey = _Survey()
    first_pass = TextLines(path, encoding=encoding, limit=line_limit)
    for item in _scan(first_pass, survey=True, max_size=max_component_size):
        if isinstance(item, Issue):
            yield item
        else:
            survey.add(item)

    expander = _Expander(options=options, skipped=skipped)
    linked: list[_Vevent] = []
    lines = TextLines(path, encoding=encoding, limit=line_limit)
    for item in _scan(lines, survey=False, max_size=max_component_size):
        if isinstance(item, Issue) or item.name != "VEVENT":
            continue
        position = f"VEVENT {item.index} (line {item.line})"
        if progress is not None and item.index % _PROGRESS_EVERY == 0:
            progress(lines.bytes_read)
        if item.unclosed_before:
            yield Issue(
                position,
                f"the VEVENT is never closed: END:VEVENT is missing {item.unclosed_before}",
            )
            continue
        if item.oversized:
            yield Issue(
                position,
                f"the VEVENT holds more than {max_component_size:,} characters of dates, "
                "people and rules; it was skipped",
            )
            continue
        try:
            vevent = _read_vevent(item, survey.context(item.calendar), position)
        except _BadEvent as bad:
            yield Issue(position, str(bad))
            continue
        if not survey.linked(vevent):
            yield from expander.series(vevent, {})
        elif len(linked) < MAX_LINKED_EVENTS:
            linked.append(vevent)
        else:
            yield Issue(
                position,
                f"more than {MAX_LINKED_EVENTS:,} events of this file belong to series with "
                "moved occurrences (RECURRENCE-ID); this one was skipped (split the file)",
            )

    yield from expander.linked(linked)
    if progress is not None:
        progress(path.stat().st_size)


READER = Reader(
    name="ics",
    label="Calendar (iCalendar .ics)",
    produces="events",
    read=read_ics,
    extensions=(".ics", ".ical"),
    description=(
        "Meetings (VEVENTs) with their organizer, attendees, start and duration; "
        "recurring meetings expanded inside the window. Titles, descriptions and "
        "locations are never read."
    ),
)


# --------------------------------------------------------------------------- file and lines


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    number: int  # physical line where the (unfolded) content line starts
    cut: bool = False  # longer than the bound: only its start is here


def _encoding(path: Path) -> str:
    """UTF-8, UTF-16 with a BOM, else Latin-1 (old Outlook exports; names may be cp1252)."""
    try:
        return text_encoding(path)
    except OSError as exc:
        raise FormatError(
            path, f"{_EXPECTED}; the file cannot be read ({exc.strerror or exc})"
        ) from exc


_HEAD_NAME = re.compile(r"([A-Za-z0-9-]+)[;:]")


def _logical_lines(physical: TextLines, wanted: Callable[[str], bool]) -> Iterator[_Line]:
    """Unfold continuation lines (RFC 5545 section 3.1) on the fly, keeping where each starts.

    A content line is held only until the next one starts, and no longer than
    the bound of ``physical`` (beyond it, ``cut`` is set and the rest dropped).
    A line whose property name ``wanted`` refuses is not even unfolded: it is
    asked once the line before has been dealt with, so it may depend on it.
    """
    limit = physical.limit
    parts: list[str] = []
    length, start, cut, skipping = 0, 0, False, False
    for number, raw in enumerate(physical, start=1):
        if raw[:1] in (" ", "\t"):
            if skipping or not parts or cut:
                continue
            piece = raw[1:]
            if isinstance(raw, CutLine) or length + len(piece) > limit:
                piece, cut = piece[: limit - length], True
            parts.append(piece)
            length += len(piece)
            continue
        if raw.strip():
            if parts:
                yield _Line("".join(parts), start, cut)
                parts = []
            head = _HEAD_NAME.match(raw)
            skipping = head is not None and not wanted(head.group(1).upper())
            if not skipping:
                parts, length, start, cut = [raw], len(raw), number, isinstance(raw, CutLine)
    if parts:
        yield _Line("".join(parts), start, cut)


def _check_format(path: Path, encoding: str) -> None:
    """The first non-blank line must be BEGIN:VCALENDAR; say what was found instead."""
    first = next(
        (line.strip() for line in TextLines(path, encoding=encoding, limit=4096) if line.strip()),
        "",
    )
    if first.upper().replace(" ", "") == "BEGIN:VCALENDAR":
        return
    if not first:
        found = "the file is empty"
    elif _looks_binary(first):
        found = "it starts with binary data"
    elif re.fullmatch(r"(?i)(?:[A-Za-z0-9-]+\.)?BEGIN\s*:\s*[A-Za-z0-9-]{1,40}", first):
        component = first.split(":", 1)[1].strip().upper()
        found = f"it starts with BEGIN:{component}" + (
            " (a vCard address book: import it with the vcard format)"
            if component == "VCARD"
            else f" (a {component} outside any VCALENDAR)"
        )
    elif first.startswith(("{", "[")):
        found = "it is JSON (jCal, calendars as JSON, is not supported: export as .ics)"
    elif first.startswith("<"):
        found = "it is XML or HTML (xCal is not supported: export as .ics)"
    else:
        found = "it starts with other text"
    raise FormatError(path, f"{_EXPECTED}; {found}")


def _looks_binary(line: str) -> bool:
    """Control characters (C0 but tab, or C1) do not occur in a text line."""
    return any((ord(c) < 32 and c != "\t") or 0x7F <= ord(c) <= 0x9F for c in line)


_NAME = re.compile(r"[A-Za-z0-9-]+")
_RFC6868 = re.compile(r"\^[n^']")


def _parse_content_line(text: str) -> tuple[str, dict[str, list[str]], str]:
    """``NAME *(";" param) ":" value`` as (upper-case name, parameters, value).

    Lenient where real files are sloppy: empty parameters (``;;``) are
    skipped and bare parameters (``TEL;CELL``) are kept under ``""``. The
    error message never quotes the line.
    """
    match = _NAME.match(text)
    if not match:
        raise BadLine("the line does not start with a property name")
    name, i, end = match.group().upper(), match.end(), len(text)
    params, i = read_parameters(text, i, bare=lambda _name: "", decode=_decode_param)
    if i >= end or text[i] != ":":
        raise BadLine("there is no ':' between the property name and its value")
    return name, params, text[i + 1 :]


def _decode_param(value: str) -> str:
    """RFC 6868 caret escapes (``^n``, ``^^``, ``^'``)."""
    if "^" not in value:
        return value
    return _RFC6868.sub(lambda m: {"^n": "\n", "^^": "^", "^'": '"'}[m.group()], value)


def _unescape_text(value: str) -> str:
    """TEXT value escapes (RFC 5545 section 3.3.11)."""
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


# --------------------------------------------------------------------------- components


@dataclass(frozen=True, slots=True)
class _Property:
    name: str
    params: dict[str, list[str]]
    value: str
    line: int

    def param(self, name: str) -> str:
        values = self.params.get(name)
        return values[0].strip() if values else ""


@dataclass(slots=True)
class _Component:
    """A component while it is read; only the properties the reader uses are kept."""

    name: str
    line: int
    parent: _Component | None = None
    index: int = 0  # a VEVENT's number, in the order VEVENTs begin
    calendar: int = 0  # the VCALENDAR it sits in, numbered from 1 (0: none)
    properties: list[_Property] = field(default_factory=list)
    broken: list[tuple[str, int, str]] = field(default_factory=list)  # (name, line, why)
    raw: list[str] | None = None  # a VTIMEZONE's own lines, for its tzinfo
    size: int = 0  # characters kept
    oversized: bool = False
    unclosed_before: str = ""
    timezones: dict[str, str] = field(default_factory=dict)  # a VCALENDAR's VTIMEZONEs by TZID

    def all(self, name: str) -> list[_Property]:
        return [p for p in self.properties if p.name == name]

    def first(self, name: str) -> _Property | None:
        return next((p for p in self.properties if p.name == name), None)


#: Properties kept, by component, in the first pass (what calendars give their
#: VEVENTs, and which VEVENTs move an occurrence) and in the second (the VEVENTs).
_SURVEY_KEPT: dict[str, frozenset[str]] = {
    "VCALENDAR": frozenset({"METHOD", "X-WR-TIMEZONE"}),
    "VTIMEZONE": frozenset({"TZID"}),
    "VEVENT": frozenset({"UID", "RECURRENCE-ID"}),
}
_READ_KEPT: dict[str, frozenset[str]] = {"VEVENT": _READ_PROPERTIES}


def _scan(physical: TextLines, *, survey: bool, max_size: int) -> Iterator[_Component | Issue]:
    """Components as they close (a VEVENT, or in the survey a VCALENDAR), with issues.

    Nothing is kept of a component once it is closed, but what its calendar
    needs of a VTIMEZONE (in the survey). Structural problems become issues
    in the survey only, so each is reported once.
    """
    kept = _SURVEY_KEPT if survey else _READ_KEPT
    names = frozenset({"BEGIN", "END"}).union(*kept.values())
    stack: list[_Component] = []
    capture: _Component | None = None  # the VTIMEZONE whose lines are being kept
    vevents = calendars = 0
    lines = _logical_lines(physical, lambda name: capture is not None or name in names)
    for line in lines:
        stripped = line.text.strip()
        head, _, rest = stripped.partition(":")
        keyword = head.strip().upper()
        if keyword in ("BEGIN", "END"):
            component_name = rest.strip().upper()
            if keyword == "BEGIN":
                component = _Component(component_name, line.number, stack[-1] if stack else None)
                component.calendar = stack[-1].calendar if stack else 0
                if component_name == "VEVENT":
                    vevents += 1
                    component.index = vevents
                elif component_name == "VCALENDAR":
                    calendars += 1
                    component.calendar = calendars
                stack.append(component)
                if survey and capture is None and component_name == "VTIMEZONE":
                    capture = component
                    capture.raw = []
                if capture is not None:
                    _capture(capture, stripped, line.cut, max_size)
                continue
            if capture is not None:
                _capture(capture, stripped, line.cut, max_size)
            depth = next(
                (d for d in range(len(stack) - 1, -1, -1) if stack[d].name == component_name),
                None,
            )
            if depth is None:
                if survey:
                    yield Issue(
                        f"line {line.number}", f"END:{component_name} without a matching BEGIN"
                    )
                continue
            closing = stack[depth:]
            for unclosed in closing[1:]:
                unclosed.unclosed_before = f"before END:{component_name} at line {line.number}"
            del stack[depth:]
            if capture is not None and any(c is capture for c in closing):
                capture = None
            for component in reversed(closing):
                yield from _finish(component, survey=survey, max_size=max_size)
            continue
        if capture is not None:
            _capture(capture, stripped, line.cut, max_size)
        if not stack:
            continue  # text between calendars carries nothing we read
        top = stack[-1]
        wanted = kept.get(top.name)
        name_match = _NAME.match(stripped)
        if wanted is None or name_match is None or top.oversized:
            continue
        name = name_match.group().upper()
        if name not in wanted:
            continue  # titles, descriptions, locations...: never even parsed
        if top.name != "VEVENT" and top.first(name) is not None:
            continue  # only a calendar's or time zone's first one counts
        top.size += len(stripped)
        if line.cut or top.size > max_size:
            top.oversized = True
            top.properties.clear()
            top.broken.clear()
            continue
        try:
            name, params, value = _parse_content_line(stripped)
        except BadLine as bad:
            top.broken.append((name, line.number, str(bad)))
            continue
        top.properties.append(_Property(name, params, value, line.number))
    truncated = [c for c in stack if c.name == "VCALENDAR"]
    for unclosed in stack:
        unclosed.unclosed_before = "before the end of the file"
    if survey:
        for calendar in truncated:
            yield Issue(
                f"VCALENDAR (line {calendar.line})",
                "the file ends before END:VCALENDAR: it may be truncated; "
                "the complete events in it were read",
            )
    for component in reversed(stack):
        yield from _finish(component, survey=survey, max_size=max_size)


def _capture(vtimezone: _Component, stripped: str, cut: bool, max_size: int) -> None:
    """Keep a line of a VTIMEZONE, up to the size bound."""
    if vtimezone.raw is None:
        return
    vtimezone.size += len(stripped)
    if cut or vtimezone.size > max_size:
        vtimezone.raw = None
        vtimezone.oversized = True
    else:
        vtimezone.raw.append(stripped)


def _finish(component: _Component, *, survey: bool, max_size: int) -> Iterator[_Component | Issue]:
    """A closed component: a VEVENT (or in the survey a VCALENDAR) goes on; a
    VTIMEZONE leaves its text to its calendar."""
    if component.name == "VEVENT" or (survey and component.name == "VCALENDAR"):
        yield component
    elif survey and component.name == "VTIMEZONE":
        if component.oversized:
            yield Issue(
                f"VTIMEZONE (line {component.line})",
                f"the time zone holds more than {max_size:,} characters; it was not used",
            )
        parent, tzid = component.parent, component.first("TZID")
        if parent is not None and parent.name == "VCALENDAR" and tzid is not None:
            text = "\r\n".join(component.raw or [])
            parent.timezones.setdefault(_unescape_text(tzid.value).strip(), text)
    component.parent = None


class _Survey:
    """What the first pass learns: each calendar's context, and which UIDs move occurrences."""

    def __init__(self) -> None:
        self.contexts: dict[int, _Context] = {}  # calendars that differ from the default
        self._shared: dict[tuple[bool, str | None, tuple[tuple[str, str], ...]], _Context] = {}
        self.default = _Context()
        self.moved_uids: set[str] = set()
        self.moved_without_uid = False

    def add(self, component: _Component) -> None:
        if component.name == "VCALENDAR":
            method = component.first("METHOD")
            cancelled = bool(method and method.value.strip().upper() == "CANCEL")
            default = component.first("X-WR-TIMEZONE")
            floating = default.value.strip() if default is not None else None
            key = (cancelled, floating, tuple(component.timezones.items()))
            if key == (False, None, ()):
                return
            context = self._shared.get(key)
            if context is None:  # calendars alike (one per event, say) share one context
                context = _Context(cancelled=cancelled, vtimezones=dict(component.timezones))
                if floating is not None:
                    context.floating = context.zone(floating) or _UTC
                self._shared[key] = context
            self.contexts[component.calendar] = context
        elif component.first("RECURRENCE-ID") is not None and not component.unclosed_before:
            uid = component.first("UID")
            text = _unescape_text(uid.value).strip() if uid is not None else ""
            if text:
                self.moved_uids.add(text)
            else:
                self.moved_without_uid = True

    def context(self, calendar: int) -> _Context:
        return self.contexts.get(calendar, self.default)

    def linked(self, vevent: _Vevent) -> bool:
        """Whether the VEVENT may share its UID with a moved occurrence (``RECURRENCE-ID``)."""
        return vevent.uid in self.moved_uids or (
            self.moved_without_uid and vevent.uid.startswith("ics-")
        )


# --------------------------------------------------------------------------- time zones


@dataclass(slots=True)
class _Context:
    """What a VEVENT needs from its calendar."""

    cancelled: bool = False  # METHOD:CANCEL
    floating: dt.tzinfo = _UTC
    vtimezones: dict[str, str] = field(default_factory=dict)  # VTIMEZONE text by TZID
    resolved: dict[str, dt.tzinfo | None] = field(default_factory=dict)

    def zone(self, tzid: str) -> dt.tzinfo | None:
        if tzid not in self.resolved:
            self.resolved[tzid] = _resolve_zone(tzid, self.vtimezones)
        return self.resolved[tzid]


def _known_zone(key: str) -> dt.tzinfo | None:
    try:
        return zoneinfo.ZoneInfo(key) if key else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _windows_zones() -> dict[str, str]:
    try:
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON
    except ImportError:  # an icalendar without the table: Windows names stay unresolved
        return {}
    return WINDOWS_TO_OLSON


def _vtimezone_tzinfo(text: str) -> dt.tzinfo | None:
    import icalendar

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            timezone = icalendar.Timezone.from_ical(text)
            if not isinstance(timezone, icalendar.Timezone):
                return None
            tzinfo: dt.tzinfo = timezone.to_tz(lookup_tzid=False)
            return tzinfo
    except Exception:  # noqa: BLE001 - any defect in a VTIMEZONE just makes it unusable
        return None


def _resolve_zone(tzid: str, vtimezones: dict[str, str]) -> dt.tzinfo | None:
    """IANA name, then the file's VTIMEZONE, then Windows name, then ``/vendor/Area/City``."""
    cleaned = tzid.strip().strip("/")
    zone = _known_zone(cleaned)
    if zone is not None:
        return zone
    if tzid in vtimezones or cleaned in vtimezones:
        zone = _vtimezone_tzinfo(vtimezones[tzid] if tzid in vtimezones else vtimezones[cleaned])
        if zone is not None:
            return zone
    windows = _windows_zones().get(cleaned)
    if windows:
        zone = _known_zone(windows)
        if zone is not None:
            return zone
    parts = cleaned.split("/")
    for start in range(1, len(parts)):
        zone = _known_zone("/".join(parts[start:]))
        if zone is not None:
            return zone
    return None


# --------------------------------------------------------------------------- one VEVENT


class _BadEvent(ValueError):
    """A VEVENT that cannot be read; the message is the issue's reason."""


_DATE_TIME = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?")
_DURATION = re.compile(r"([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?")

#: A moment is an aware datetime (its own zone kept, for recurrence) or a date.
_Moment = dt.datetime | dt.date


def _shown(value: str) -> str:
    value = value.strip()
    return repr(value if len(value) <= 40 else value[:37] + "...")


def _parse_moment(prop: _Property, raw: str, context: _Context) -> _Moment:
    """One DATE or DATE-TIME value of ``prop`` (whose TZID applies)."""
    match = _DATE_TIME.fullmatch(raw.strip().upper())
    if not match:
        raise _BadEvent(f"{prop.name} {_shown(raw)} (line {prop.line}) is not a date or date-time")
    year, month, day, hour, minute, second, utc = match.groups()
    try:
        if hour is None:
            return dt.date(int(year), int(month), int(day))
        naive = dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), min(int(second), 59)
        )
    except ValueError as exc:
        raise _BadEvent(
            f"{prop.name} {_shown(raw)} (line {prop.line}) is not a valid date: {exc}"
        ) from None
    if utc:
        return naive.replace(tzinfo=_UTC)
    tzid = prop.param("TZID")
    zone = (context.zone(tzid) if tzid else None) or context.floating
    return naive.replace(tzinfo=zone)


def _parse_duration(prop: _Property, raw: str) -> dt.timedelta:
    text = raw.strip().upper()
    match = _DURATION.fullmatch(text)
    if not match or text.rstrip("T").endswith("P"):
        raise _BadEvent(f"{prop.name} {_shown(raw)} (line {prop.line}) is not a duration")
    sign, weeks, days, hours, minutes, seconds = match.groups()
    try:
        delta = dt.timedelta(
            weeks=int(weeks or 0),
            days=int(days or 0),
            hours=int(hours or 0),
            minutes=int(minutes or 0),
            seconds=int(seconds or 0),
        )
    except OverflowError:
        raise _BadEvent(
            f"{prop.name} {_shown(raw)} (line {prop.line}) is too long to be a duration"
        ) from None
    return -delta if sign == "-" else delta


def _to_utc(moment: _Moment) -> dt.datetime:
    if isinstance(moment, dt.datetime):
        return moment.astimezone(_UTC)
    return dt.datetime(moment.year, moment.month, moment.day, tzinfo=_UTC)


def _key(moment: _Moment) -> str:
    """The occurrence part of an external id: UTC date-time, or the date of an all-day event."""
    if isinstance(moment, dt.datetime):
        return _to_utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.isoformat()


def _address(prop: _Property) -> Identity | None:
    """An ORGANIZER or ATTENDEE as an identity; ``None`` if it names nobody."""
    value = prop.value.strip()
    email = ""
    if value[:7].lower() == "mailto:":
        email = value[7:].strip()
    elif "@" in value and ":" not in value:
        email = value
    email = email.lower() if re.fullmatch(r"[^@\s]+@[^@\s]+", email) else ""
    name = re.sub(r"\\([,;:\\])", r"\1", prop.param("CN")).strip().strip('"').strip()
    if not (email or name):
        return None
    automated = prop.param("CUTYPE").upper() == "GROUP"
    return Identity(email=email, name=name, automated=automated)


@dataclass(slots=True)
class _Vevent:
    position: str
    uid: str
    start: _Moment
    duration: dt.timedelta | None
    recurrence_id: _Moment | None
    rules: list[_Rule]
    rdates: list[tuple[_Moment, dt.timedelta | None]]
    exdates: list[_Moment]
    cancelled: bool
    organizer: Identity | None
    attendees: tuple[Identity, ...]

    @property
    def people(self) -> int:
        emails = {a.email or a.name for a in self.attendees}
        if self.organizer is not None:
            emails.add(self.organizer.email or self.organizer.name)
        return len(emails)

    @property
    def recurs(self) -> bool:
        return bool(self.rules or self.rdates)


def _read_vevent(component: _Component, context: _Context, position: str) -> _Vevent:
    for name, line, why in component.broken:
        if name in _READ_PROPERTIES:
            raise _BadEvent(f"the {name} line (line {line}) cannot be read: {why}")

    starts = component.all("DTSTART")
    if not starts:
        raise _BadEvent("the VEVENT has no DTSTART: a meeting needs a start time")
    start_prop = starts[0]
    start = _parse_moment(start_prop, start_prop.value, context)

    duration: dt.timedelta | None = None
    end_prop, duration_prop = component.first("DTEND"), component.first("DURATION")
    if end_prop is not None:
        end = _parse_moment(end_prop, end_prop.value, context)
        if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
            if duration_prop is None:
                raise _BadEvent(
                    f"DTEND (line {end_prop.line}) and DTSTART (line {start_prop.line}) "
                    "mix a date with a date-time"
                )
        else:
            duration = _to_utc(end) - _to_utc(start)
            if duration < dt.timedelta(0):
                raise _BadEvent(f"DTEND (line {end_prop.line}) is before DTSTART")
    if duration_prop is not None and (end_prop is None or duration is None):
        duration = _parse_duration(duration_prop, duration_prop.value)
        if duration < dt.timedelta(0):
            raise _BadEvent(f"DURATION (line {duration_prop.line}) is negative")

    recurrence_prop = component.first("RECURRENCE-ID")
    recurrence_id = (
        _parse_moment(recurrence_prop, recurrence_prop.value, context)
        if recurrence_prop is not None
        else None
    )

    rules = [
        _parse_rule(prop, _unescape_text(prop.value), start) for prop in component.all("RRULE")
    ]
    rdates: list[tuple[_Moment, dt.timedelta | None]] = []
    for prop in component.all("RDATE"):
        rdates.extend(_parse_rdate(prop, context))
    exdates = [
        _parse_moment(prop, item, context)
        for prop in component.all("EXDATE")
        for item in prop.value.split(",")
        if item.strip()
    ]

    status = component.first("STATUS")
    cancelled = context.cancelled or bool(
        status and status.value.strip().upper() in ("CANCELLED", "CANCELED")
    )

    organizer_prop = component.first("ORGANIZER")
    organizer = _address(organizer_prop) if organizer_prop is not None else None
    attendees: list[Identity] = []
    seen = {organizer.email} if organizer is not None and organizer.email else set()
    for prop in component.all("ATTENDEE"):
        if (
            prop.param("PARTSTAT").upper() in _LEFT_OUT_PARTSTAT
            or prop.param("CUTYPE").upper() in _LEFT_OUT_CUTYPE
            or prop.param("ROLE").upper() == "NON-PARTICIPANT"
        ):
            continue
        person = _address(prop)
        if person is None:
            continue
        if organizer is not None and person.email and person.email == organizer.email:
            if person.name and not organizer.name:  # the organizer named in their own invitation
                organizer = Identity(email=organizer.email, name=person.name)
            continue
        key = person.email or f"name:{person.name}"
        if key in seen:
            continue
        seen.add(key)
        attendees.append(person)

    uid_prop = component.first("UID")
    uid = _unescape_text(uid_prop.value).strip() if uid_prop is not None else ""
    if not uid:
        fingerprint = "|".join(
            [
                _key(start),
                organizer.email if organizer else "",
                *sorted(a.email or a.name for a in attendees),
            ]
        )
        uid = "ics-" + hashlib.sha256(fingerprint.encode()).hexdigest()[:20]

    return _Vevent(
        position=position,
        uid=uid,
        start=start,
        duration=duration,
        recurrence_id=recurrence_id,
        rules=rules,
        rdates=rdates,
        exdates=exdates,
        cancelled=cancelled,
        organizer=organizer,
        attendees=tuple(attendees),
    )


def _parse_rdate(prop: _Property, context: _Context) -> list[tuple[_Moment, dt.timedelta | None]]:
    kind = prop.param("VALUE").upper() or "DATE-TIME"
    if kind not in ("DATE", "DATE-TIME", "PERIOD"):
        raise _BadEvent(
            f"RDATE (line {prop.line}) has VALUE={kind}; only DATE, DATE-TIME or PERIOD can recur"
        )
    found: list[tuple[_Moment, dt.timedelta | None]] = []
    for item in prop.value.split(","):
        if not item.strip():
            continue
        if "/" not in item:
            found.append((_parse_moment(prop, item, context), None))
            continue
        first, _, second = item.partition("/")
        begin = _parse_moment(prop, first, context)
        if not isinstance(begin, dt.datetime):
            raise _BadEvent(
                f"RDATE period {_shown(item)} (line {prop.line}) must start with a date-time"
            )
        if second.strip().upper().lstrip("+-").startswith("P"):
            length = _parse_duration(prop, second)
        else:
            finish = _parse_moment(prop, second, context)
            if not isinstance(finish, dt.datetime):
                raise _BadEvent(
                    f"RDATE period {_shown(item)} (line {prop.line}) must end with a date-time"
                )
            length = _to_utc(finish) - _to_utc(begin)
        if length < dt.timedelta(0):
            raise _BadEvent(f"RDATE period {_shown(item)} (line {prop.line}) ends before it starts")
        found.append((begin, length))
    return found


# --------------------------------------------------------------------------- recurrence rules


_FREQUENCIES = frozenset({"SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"})
#: Frequencies no meeting has: a rule repeating this often is a mistake or an attack.
_TOO_FREQUENT = {"SECONDLY": "second", "MINUTELY": "minute"}
#: BYxxx parts whose numbers RFC 5545 bounds (section 3.3.10), which dateutil would
#: otherwise accept and never match: the rule would silently give no occurrence.
_NUMBER_RANGES = {"BYWEEKNO": 53, "BYYEARDAY": 366}
_BYDAY_ITEM = re.compile(r"([+-]?\d+)?(MO|TU|WE|TH|FR|SA|SU)")


@dataclass(frozen=True, slots=True)
class _Rule:
    """An RRULE ready to run on DTSTART's wall clock, with its inclusive UNTIL."""

    line: int
    rule: _rrule.rrule
    until: dt.datetime | None


def _rule_parts(value: str) -> list[tuple[str, str]]:
    cleaned = re.sub(r"\s+", "", value).upper().removeprefix("RRULE:")
    return [
        (key, part_value)
        for key, _, part_value in (part.partition("=") for part in cleaned.split(";") if part)
        if not key.startswith("X-")
    ]


def _parse_rule(prop: _Property, value: str, start: _Moment) -> _Rule:
    """Check an RRULE and build it; rules dateutil would misread or spin on are refused.

    The rule runs on the wall clock of DTSTART's zone, as RFC 5545 wants (a
    weekly 09:00 meeting stays at 09:00 across daylight-saving changes), so
    UNTIL is turned into that wall clock too.
    """
    parts = _rule_parts(value)
    named = dict(parts)
    where = f"RRULE (line {prop.line})"
    if not value.strip():
        raise _BadEvent(f"{where} is empty: a rule needs at least a FREQ")
    if "RSCALE" in named:
        raise _BadEvent(
            f"{where} uses RSCALE={named['RSCALE']} (RFC 7529 calendar scales), "
            "which is not supported"
        )
    frequency = named.get("FREQ", "")
    if frequency not in _FREQUENCIES:
        raise _BadEvent(
            f"{where} has FREQ={frequency or '(missing)'}; expected one of "
            f"{', '.join(sorted(_FREQUENCIES))}"
        )
    if frequency in _TOO_FREQUENT:
        raise _BadEvent(
            f"{where} has FREQ={frequency}: a meeting does not recur every "
            f"{_TOO_FREQUENT[frequency]} (HOURLY is the most frequent rule read)"
        )

    def numbers(key: str) -> list[int]:
        try:
            return [int(v) for v in named[key].split(",") if v] if key in named else []
        except ValueError:
            kind = "a whole number" if key in ("INTERVAL", "COUNT") else "whole numbers"
            raise _BadEvent(f"{where} has {key}={_shown(named[key])}, not {kind}") from None

    if any(n < 1 for n in numbers("INTERVAL") + numbers("COUNT")):
        raise _BadEvent(f"{where} has an INTERVAL or COUNT below 1")
    months, monthdays = numbers("BYMONTH"), numbers("BYMONTHDAY")
    if any(not 1 <= m <= 12 for m in months):
        raise _BadEvent(f"{where} has a BYMONTH outside 1..12")
    if any(not 1 <= abs(d) <= 31 for d in monthdays):
        raise _BadEvent(f"{where} has a BYMONTHDAY outside 1..31")
    for key, highest in _NUMBER_RANGES.items():
        if any(not 1 <= abs(n) <= highest for n in numbers(key)):
            raise _BadEvent(f"{where} has a {key} outside 1..{highest} (or -{highest}..-1)")
    _check_byday(named.get("BYDAY", ""), frequency=frequency, months=months, where=where)
    longest = {m: _calendar.monthrange(2000, m)[1] for m in months}
    if months and monthdays and all(d > longest[m] for m in months for d in monthdays):
        raise _BadEvent(f"{where} can never occur: no month in BYMONTH has that BYMONTHDAY")

    until_text = named.get("UNTIL")
    try:
        until = _until(until_text, start) if until_text is not None else None
        rule = _rrule.rrulestr(
            ";".join(f"{k}={v}" for k, v in parts if k != "UNTIL"), dtstart=_naive(start)
        )
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise _BadEvent(f"{where} cannot be read: {exc}") from None
    if not isinstance(rule, _rrule.rrule):
        raise _BadEvent(f"{where} cannot be read as one recurrence rule")
    return _Rule(prop.line, rule, until)


def _check_byday(value: str, *, frequency: str, months: list[int], where: str) -> None:
    """Refuse BYDAY positions no month or year has (dateutil would fail on some
    while expanding, and silently never match others): RFC 5545 allows -53..53
    without 0, and within a month (a MONTHLY rule, or YEARLY with BYMONTH) a
    weekday comes at most 5 times."""
    within_month = frequency == "MONTHLY" or (frequency == "YEARLY" and bool(months))
    for item in filter(None, value.split(",")):
        match = _BYDAY_ITEM.fullmatch(item)
        if match is None or match.group(1) is None:
            continue  # a plain weekday, or something dateutil will name itself
        position = int(match.group(1))
        if not 1 <= abs(position) <= 53:
            raise _BadEvent(f"{where} has BYDAY={item}: a position must be 1..53 or -53..-1")
        if within_month and abs(position) > 5:
            raise _BadEvent(f"{where} can never occur: no month has a {item} (BYDAY={item})")


def _until(raw: str, start: _Moment) -> dt.datetime:
    """UNTIL as a naive wall-clock bound in the series' own zone (inclusive)."""
    match = _DATE_TIME.fullmatch(raw)
    if not match:
        raise ValueError(f"UNTIL {_shown(raw)} is not a date or date-time")
    year, month, day, hour, minute, second, utc = match.groups()
    if hour is None or not isinstance(start, dt.datetime):
        # a date bound includes its whole day; an all-day series ends on UNTIL's date
        return dt.datetime(int(year), int(month), int(day), 23, 59, 59)
    moment = dt.datetime(
        int(year), int(month), int(day), int(hour), int(minute), min(int(second), 59)
    )
    if utc:
        return moment.replace(tzinfo=_UTC).astimezone(start.tzinfo).replace(tzinfo=None)
    return moment


def _naive(moment: _Moment) -> dt.datetime:
    if isinstance(moment, dt.datetime):
        return moment.replace(tzinfo=None)
    return dt.datetime(moment.year, moment.month, moment.day)


def _rule_occurrences(
    rule: _Rule, start: _Moment, horizon: dt.datetime, *, limit: int
) -> tuple[list[_Moment], bool]:
    """At most ``limit`` occurrences of one rule up to ``horizon`` (UTC), and
    whether the limit cut it short."""
    if isinstance(start, dt.datetime):
        bound = horizon.astimezone(start.tzinfo).replace(tzinfo=None)
    else:
        bound = horizon.replace(tzinfo=None)
    bound += dt.timedelta(days=1)  # the window is applied exactly afterwards, in UTC
    if rule.until is not None:
        bound = min(bound, rule.until)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # COUNT together with UNTIL: both are honoured
        bounded = rule.rule.replace(until=bound)

    found: list[_Moment] = []
    previous: dt.datetime | None = None
    for occurrence in bounded:
        if previous is not None and occurrence <= previous:
            break  # a rule that stopped advancing would never end
        previous = occurrence
        if len(found) >= limit:
            return found, True
        if isinstance(start, dt.datetime):
            found.append(occurrence.replace(tzinfo=start.tzinfo))
        else:
            found.append(occurrence.date())
    return found, False


class _Expander:
    """Turns the parsed VEVENTs of a file into records, one per occurrence.

    A ``RECURRENCE-ID`` override replaces (or cancels) the occurrence of its
    series that it names; an override whose series is not in the file, or
    whose occurrence the series does not produce, is read on its own.
    """

    def __init__(self, *, options: ReadOptions, skipped: Counter[str]) -> None:
        self.window = options.window
        self.skipped = skipped
        self.now = dt.datetime.now(_UTC)
        self.used: set[int] = set()
        #: occurrences the file's rules may still generate (MAX_FILE_OCCURRENCES in all)
        self.file_left = MAX_FILE_OCCURRENCES

    def linked(self, vevents: list[_Vevent]) -> Iterator[EventRecord | Issue]:
        """Records of VEVENTs that share UIDs with moved occurrences, matched together."""
        masters: dict[str, _Vevent] = {}
        for vevent in vevents:
            if vevent.recurrence_id is None:
                masters.setdefault(vevent.uid, vevent)
        overrides: dict[str, dict[str, _Vevent]] = {}
        for vevent in vevents:
            if vevent.recurrence_id is not None and vevent.uid in masters:
                by_key = overrides.setdefault(vevent.uid, {})
                by_key[_key(vevent.recurrence_id)] = vevent  # the later one wins
        for vevent in vevents:
            if vevent.recurrence_id is None or vevent.uid not in masters:
                is_master = vevent.recurrence_id is None and masters.get(vevent.uid) is vevent
                yield from self.series(vevent, overrides.get(vevent.uid, {}) if is_master else {})
        for by_key in overrides.values():
            for override in by_key.values():
                if id(override) not in self.used:
                    yield from self._single(override)

    def series(
        self, master: _Vevent, overrides: dict[str, _Vevent]
    ) -> Iterator[EventRecord | Issue]:
        """A VEVENT's records, with ``overrides`` (moved occurrences by original start) applied."""
        if master.cancelled:
            # a cancelled series cancels every occurrence, moved ones included
            self.skipped["cancelled"] += 1 + len(overrides)
            self.used.update(id(o) for o in overrides.values())
            return
        if not overrides and (not master.recurs or master.people < 2):
            yield from self._single(master)
            return

        horizon = self.window.until or max(self.now, _to_utc(master.start)) + OPEN_WINDOW_HORIZON
        starts: dict[str, tuple[_Moment, dt.timedelta | None]] = {
            _own_key(master): (master.start, master.duration)
        }
        series_left = MAX_OCCURRENCES
        cut_by: str | None = None  # "series" or "file": the cap that cut the series short
        for rule in master.rules:
            by_file = self.file_left < series_left
            occurrences, cut = _rule_occurrences(
                rule, master.start, horizon, limit=min(series_left, self.file_left)
            )
            series_left -= len(occurrences)
            self.file_left -= len(occurrences)
            if cut and cut_by is None:
                cut_by = "file" if by_file else "series"
            for occurrence in occurrences:
                starts.setdefault(_key(occurrence), (occurrence, master.duration))
        for moment, length in master.rdates:
            moment = _align(moment, master.start)
            starts.setdefault(_key(moment), (moment, master.duration if length is None else length))
        excluded = {_key(_align(moment, master.start)) for moment in master.exdates}
        excluded_days = {m for m in master.exdates if not isinstance(m, dt.datetime)}
        if cut_by == "series":
            yield Issue(
                master.position,
                f"the recurrence produces more than {MAX_OCCURRENCES:,} occurrences before the "
                "end of the window; the later ones were not read (choose a narrower window)",
            )
        elif cut_by == "file":
            yield Issue(
                master.position,
                f"the recurring events of this file produce more than "
                f"{MAX_FILE_OCCURRENCES:,} occurrences in all, counted from each series' start, "
                "the most one file may; the later occurrences of this one were not read "
                "(split the file, or choose an earlier end date)",
            )

        outcomes: Counter[str] = Counter()
        for key, (moment, length) in sorted(starts.items(), key=lambda kv: _to_utc(kv[1][0])):
            if key in excluded or (
                isinstance(moment, dt.datetime) and moment.date() in excluded_days
            ):
                continue
            occurrence, people = moment, master
            override = overrides.get(key)
            if override is not None:
                self.used.add(id(override))
                if override.cancelled:
                    self.skipped["cancelled"] += 1
                    continue
                occurrence, length, people = override.start, override.duration, override
            start_utc = _to_utc(occurrence)
            if start_utc >= horizon or not self.window.contains(start_utc):
                outcomes["outside_window"] += 1
            elif people.people < 2:
                outcomes["no_people"] += 1
            else:
                outcomes["read"] += 1
                yield _record(people, key=key, start=occurrence, length=length, uid=master.uid)
        if not outcomes["read"]:
            # the series as a whole gave nothing: count it once, by the likelier reason
            reason = "no_people" if outcomes["no_people"] else "outside_window"
            self.skipped[reason] += 1
        elif outcomes["no_people"]:
            # occurrences in the window left with one person (a moved one all declined)
            self.skipped["no_people"] += outcomes["no_people"]

    def _single(self, vevent: _Vevent) -> Iterator[EventRecord]:
        if vevent.cancelled:
            self.skipped["cancelled"] += 1
        elif vevent.people < 2:
            self.skipped["no_people"] += 1
        elif not self.window.contains(_to_utc(vevent.start)):
            self.skipped["outside_window"] += 1
        else:
            yield _record(
                vevent,
                key=_own_key(vevent),
                start=vevent.start,
                length=vevent.duration,
                uid=vevent.uid,
            )


def _own_key(vevent: _Vevent) -> str:
    """The occurrence a VEVENT stands for: its RECURRENCE-ID if it has one, else its start."""
    return _key(vevent.recurrence_id if vevent.recurrence_id is not None else vevent.start)


def _align(moment: _Moment, start: _Moment) -> _Moment:
    """An RDATE/EXDATE value in the series' own kind (date or date-time)."""
    if isinstance(start, dt.datetime) and not isinstance(moment, dt.datetime):
        return dt.datetime.combine(moment, start.timetz()).replace(tzinfo=start.tzinfo)
    if not isinstance(start, dt.datetime) and isinstance(moment, dt.datetime):
        return _to_utc(moment).date()
    return moment


def _record(
    vevent: _Vevent, *, key: str, start: _Moment, length: dt.timedelta | None, uid: str
) -> EventRecord:
    all_day = not isinstance(start, dt.datetime)
    minutes = None if all_day or length is None else round(length.total_seconds() / 60)
    return EventRecord(
        external_id=f"{uid}@{key}",
        occurred_at=_to_utc(start),
        channel="meeting",
        sender=vevent.organizer,
        recipients=vevent.attendees,
        direction="two_way",
        duration_minutes=minutes,
        thread_id=uid,
    )
