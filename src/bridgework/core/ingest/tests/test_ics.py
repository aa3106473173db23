"""iCalendar meetings: every real sample, each class of failure, recurrence and time zones.

Expected values never come from the reader itself:

* VEVENTs are counted with a plain loop over the file's lines;
* occurrence dates were worked out by hand from each RRULE with a printed
  calendar (the weekday of each first occurrence is noted beside the list);
* UTC offsets come from the zone's rules on that date, and for two samples from
  vobject's own doctests (``vobject-test_files/more_tests.txt``: "2008-05-30
  15:00:00+10:00" for ms_tzid.ics, "+06:00" for tzid_8bit.ics).

The real samples hardly ever name people (they test parsers, not meetings), so
recurrence and time-zone checks read a copy with an ORGANIZER and an ATTENDEE
added after each ``BEGIN:VEVENT``; everything else in the copy is the sample.
"""

from __future__ import annotations

import datetime as dt
import re
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest

from bridgework.core.ingest import ics, reader
from bridgework.core.ingest.ics import READER, read_ics
from bridgework.core.ingest.records import (
    EventRecord,
    FormatError,
    Identity,
    Issue,
    ReadOptions,
    Window,
)
from bridgework.testsupport import sample_path

SAMPLES = sample_path("ical-vcard-samples")
CALENDARS = SAMPLES / "icalendar-tests/calendars"
VOBJECT = SAMPLES / "vobject-test_files"
ALL_FILES = sorted(
    p.relative_to(SAMPLES).as_posix()
    for p in SAMPLES.rglob("*")
    if p.suffix in (".ics", ".vcf", ".json", ".jcal")
)
UTC = dt.UTC


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def read(path: Path, *, window: Window | None = None):
    skipped: Counter[str] = Counter()
    records = list(read_ics(path, options=ReadOptions(window=window or Window()), skipped=skipped))
    events = [r for r in records if isinstance(r, EventRecord)]
    issues = [r for r in records if isinstance(r, Issue)]
    assert len(events) + len(issues) == len(records)
    return events, issues, skipped


def with_people(sample: Path, folder: Path) -> Path:
    """A copy of ``sample`` whose VEVENTs gain an organizer and an attendee."""
    text = sample.read_bytes().decode("utf-8")
    text = re.sub(
        r"(?m)^BEGIN:VEVENT(\r?)$",
        r"BEGIN:VEVENT\1\nORGANIZER;CN=Ana:mailto:ana@example.org\1\n"
        r"ATTENDEE;CN=Bo:mailto:bo@example.org\1",
        text,
    )
    copy = folder / sample.name
    copy.write_text(text, encoding="utf-8")
    return copy


def write(folder: Path, body: str, name: str = "test.ics") -> Path:
    path = folder / name
    path.write_text("BEGIN:VCALENDAR\nVERSION:2.0\n" + body.strip() + "\nEND:VCALENDAR\n")
    return path


def starts(events: list[EventRecord]) -> list[str]:
    return [e.occurred_at.strftime("%Y-%m-%d %H:%M") for e in events]


def vevent_shape(path: Path) -> tuple[int, bool]:
    """BEGIN:VEVENT lines, and whether any VEVENT recurs: a plain loop, independent of the reader."""
    count, depth, recurring = 0, 0, False
    for line in path.read_bytes().decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line == "BEGIN:VEVENT":
            count += 1
            depth += 1
        elif line == "END:VEVENT":
            depth = max(depth - 1, 0)
        elif depth and line.split(":")[0].split(";")[0] in ("RRULE", "RDATE", "RECURRENCE-ID"):
            recurring = True
    return count, recurring


def starts_with_vcalendar(path: Path) -> bool:
    lines = path.read_bytes().decode("utf-8", "replace").lstrip("\ufeff").splitlines()
    return next((line.strip() for line in lines if line.strip()), "") == "BEGIN:VCALENDAR"


def test_the_samples_are_present():
    assert len([f for f in ALL_FILES if f.endswith(".ics")]) == 193  # SOURCE.md: 163 + 30


def test_the_reader_is_registered():
    assert reader("ics") is READER
    assert READER.produces == "events"
    assert READER.extensions == (".ics", ".ical")


# --------------------------------------------------------------------------- every sample


@pytest.mark.parametrize("name", ALL_FILES)
def test_every_sample_gives_records_issues_or_one_format_error(name):
    """Never a crash: a file is iCalendar (records and precise issues) or a FormatError."""
    path = SAMPLES / name
    if not starts_with_vcalendar(path):
        with pytest.raises(FormatError) as error:
            read(path)
        assert str(error.value).startswith(
            f"{path.name}: expected an iCalendar file with BEGIN:VCALENDAR; "
        )
        return
    events, issues, skipped = read(path)
    for issue in issues:
        assert re.fullmatch(r"(VEVENT \d+|VCALENDAR) \(line \d+\)|line \d+", issue.position)
        assert len(issue.reason) > 20
    count, recurring = vevent_shape(path)
    if not recurring:
        # every VEVENT is accounted for exactly once: read, reported, or skipped on purpose
        vevent_issues = [i for i in issues if i.position.startswith("VEVENT")]
        assert len(events) + len(vevent_issues) + sum(skipped.values()) == count


def test_outcomes_over_all_ics_samples():
    """193 .ics samples: 66 are not iCalendar streams, 30 have issues, 97 read cleanly."""
    outcome: Counter[str] = Counter()
    format_errors: Counter[str] = Counter()
    for name in ALL_FILES:
        if not name.endswith(".ics"):
            continue
        try:
            _events, issues, _skipped = read(SAMPLES / name)
        except FormatError as error:
            outcome["format error"] += 1
            format_errors[re.sub(r"\(a \w+ outside", "(a X outside", error.expected)] += 1
            continue
        outcome["issues" if issues else "clean"] += 1
    assert outcome == {"clean": 97, "issues": 30, "format error": 66}
    expected = "expected an iCalendar file with BEGIN:VCALENDAR; "
    assert format_errors == {
        # the first non-blank line of each file, by awk 'NF{print; exit}' | sort | uniq -c:
        # events/*.ics and a few others are bare components, not iCalendar streams
        expected + "it starts with BEGIN:VEVENT (a X outside any VCALENDAR)": 35,
        expected + "it starts with BEGIN:VTIMEZONE (a X outside any VCALENDAR)": 7,
        expected + "it starts with BEGIN:VCARD (a vCard address book: import it with "
        "the vcard format)": 7,
        expected + "it starts with BEGIN:VALARM (a X outside any VCALENDAR)": 4,
        expected + "it starts with BEGIN:VAVAILABILITY (a X outside any VCALENDAR)": 3,
        expected + "it starts with BEGIN:VFREEBUSY (a X outside any VCALENDAR)": 2,
        expected + "it starts with BEGIN:VJOURNAL (a X outside any VCALENDAR)": 2,
        expected + "it starts with BEGIN:VTODO (a X outside any VCALENDAR)": 1,
        expected + "it starts with BEGIN:MYCOMP (a X outside any VCALENDAR)": 1,
        expected + "it starts with BEGIN:MYCOMPTOO (a X outside any VCALENDAR)": 1,
        expected + "it starts with BEGIN:V (a X outside any VCALENDAR)": 1,
        expected + "it starts with binary data": 1,  # fuzz: a NUL in the component name
        expected + "it starts with other text": 1,  # silly_test.ics
    }


# --------------------------------------------------------------------------- failure classes


def test_a_vevent_without_dtstart_is_an_issue():
    events, issues, _ = read(CALENDARS / "issue_1081_with_summary.ics")
    assert events == []
    assert issues == [
        Issue("VEVENT 1 (line 4)", "the VEVENT has no DTSTART: a meeting needs a start time")
    ]


def test_an_unparseable_date_is_an_issue():
    _, issues, _ = read(CALENDARS / "broken_dtstart.ics")
    assert issues == [
        Issue("VEVENT 1 (line 4)", "DTSTART 'INVALID-DATE' (line 6) is not a date or date-time")
    ]


def test_an_invalid_rrule_frequency_is_an_issue():
    _, issues, _ = read(CALENDARS / "issue_1081_invalid_rrule_freq.ics")
    assert issues == [
        Issue(
            "VEVENT 1 (line 4)",
            "RRULE (line 7) has FREQ=INVALID_TYPE_CAUSES_ERROR; expected one of "
            "DAILY, HOURLY, MINUTELY, MONTHLY, SECONDLY, WEEKLY, YEARLY",
        )
    ]


def test_non_gregorian_calendar_scales_are_issues():
    _, issues, _ = read(CALENDARS / "rfc_7529.ics")
    assert [i.reason.split(" (RFC")[0] for i in issues] == [
        "RRULE (line 8) uses RSCALE=CHINESE",  # grep -n RRULE rfc_7529.ics
        "RRULE (line 14) uses RSCALE=ETHIOPIC",
        "RRULE (line 20) uses RSCALE=HEBREW",
        "RRULE (line 26) uses RSCALE=GREGORIAN",
    ]


def test_an_impossible_duration_is_an_issue():
    _, issues, _ = read(CALENDARS / "invalid_duration.ics")
    assert issues == [
        Issue(
            "VEVENT 1 (line 4)",
            "DURATION 'P999999999999999999W' (line 8) is too long to be a duration",
        )
    ]


def test_rdate_values_that_cannot_recur_are_issues():
    _, issues, _ = read(CALENDARS / "multiple_timezones.ics")
    assert [i.position for i in issues] == [
        "VEVENT 1 (line 20)",
        "VEVENT 2 (line 25)",
        "VEVENT 3 (line 30)",
    ]
    assert issues[0].reason == (
        "RDATE (line 23) has VALUE=TIME; only DATE, DATE-TIME or PERIOD can recur"
    )
    _, issues, _ = read(CALENDARS / "issue_1633_rdate_with_dates.ics")
    assert issues == [
        Issue(
            "VEVENT 1 (line 2)",
            "RDATE period '19970101/19970102' (line 5) must start with a date-time",
        )
    ]


def test_a_truncated_calendar_reports_it_and_reads_the_complete_events():
    _, issues, _ = read(CALENDARS / "small_bad_calendar.ics")
    assert issues == [
        Issue(
            "VCALENDAR (line 1)",
            "the file ends before END:VCALENDAR: it may be truncated; "
            "the complete events in it were read",
        ),
        Issue("VEVENT 1 (line 2)", "the VEVENT has no DTSTART: a meeting needs a start time"),
    ]
    _, issues, _ = read(CALENDARS / "big_bad_calendar.ics")
    assert len(issues) == 1 + 20  # 20 VEVENTs without DTSTART: grep -c '^BEGIN:VEVENT'


def test_an_end_without_begin_is_an_issue():
    _, issues, skipped = read(CALENDARS / "timezone_same_start_and_offset.ics")
    assert issues[0] == Issue("line 23", "END:VCALENDARD without a matching BEGIN")
    assert skipped == {"no_people": 1}  # its one VEVENT is still read


def test_an_unclosed_vevent_is_an_issue_and_the_next_event_is_read(tmp_path):
    path = write(
        tmp_path,
        """
BEGIN:VEVENT
UID:cut
DTSTART:20240105T100000Z
ORGANIZER:mailto:ana@example.org
BEGIN:VEVENT
UID:whole
DTSTART:20240106T100000Z
ORGANIZER:mailto:ana@example.org
ATTENDEE:mailto:bo@example.org
END:VEVENT
""",
    )
    events, issues, _ = read(path)
    assert issues == [
        Issue(
            "VEVENT 1 (line 3)",
            "the VEVENT is never closed: END:VEVENT is missing before END:VCALENDAR at line 13",
        )
    ]
    assert [e.external_id for e in events] == ["whole@2024-01-06T10:00:00Z"]


def test_a_broken_line_of_a_property_that_is_read_is_an_issue(tmp_path):
    path = write(
        tmp_path,
        """
BEGIN:VEVENT
UID:x
DTSTART:20240105T100000Z
ORGANIZER:mailto:ana@example.org
ATTENDEE;CN="Bo:mailto:bo@example.org
END:VEVENT
""",
    )
    _, issues, _ = read(path)
    assert issues == [
        Issue(
            "VEVENT 1 (line 3)",
            "the ATTENDEE line (line 7) cannot be read: "
            "the CN parameter's quoted value is never closed",
        )
    ]


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        ("DTSTART:20240105T100000Z\nDTEND:20240105T090000Z", "DTEND (line 6) is before DTSTART"),
        ("DTSTART:20240105T100000Z\nDURATION:-PT1H", "DURATION (line 6) is negative"),
        ("DTSTART:20241305T100000Z", "DTSTART '20241305T100000Z' (line 5) is not a valid date"),
        (
            "DTSTART:20240105T100000Z\nRRULE:FREQ=DAILY;INTERVAL=0",
            "RRULE (line 6) has an INTERVAL or COUNT below 1",
        ),
        (
            "DTSTART:20240105T100000Z\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
            "RRULE (line 6) can never occur: no month in BYMONTH has that BYMONTHDAY",
        ),
        (
            "DTSTART:20240105T100000Z\nRRULE:FREQ=DAILY;BYDAY=XX",
            "RRULE (line 6) cannot be read: invalid 'BYDAY': XX",
        ),
        # RFC 5545 3.3.10: BYWEEKNO is +/-1..53, BYYEARDAY +/-1..366; dateutil takes
        # either out of range and the rule silently never occurs again
        (
            "DTSTART:20240105T100000Z\nRRULE:FREQ=YEARLY;BYWEEKNO=60",
            "RRULE (line 6) has a BYWEEKNO outside 1..53 (or -53..-1)",
        ),
        (
            "DTSTART:20240105T100000Z\nRRULE:FREQ=YEARLY;BYYEARDAY=400",
            "RRULE (line 6) has a BYYEARDAY outside 1..366 (or -366..-1)",
        ),
        (
            "DTSTART:20240105T100000Z\nRRULE:FREQ=YEARLY;BYYEARDAY=0",
            "RRULE (line 6) has a BYYEARDAY outside 1..366 (or -366..-1)",
        ),
        (
            "DTSTART:20240105T100000Z\nRRULE:",
            "RRULE (line 6) is empty: a rule needs at least a FREQ",
        ),
        (
            "DTSTART:20240105T100000Z\nRRULE:FREQ=DAILY;INTERVAL=two",
            "RRULE (line 6) has INTERVAL='TWO', not a whole number",
        ),
        (
            "DTSTART:20240105T100000Z\nRRULE:FREQ=SECONDLY;COUNT=100000000",
            "RRULE (line 6) has FREQ=SECONDLY: a meeting does not recur every second",
        ),
        (
            "DTSTART:20240105T100000Z\nRRULE:FREQ=MINUTELY",
            "RRULE (line 6) has FREQ=MINUTELY: a meeting does not recur every minute",
        ),
        # no month has a ninth Monday; dateutil fails on it while expanding (IndexError)
        (
            "DTSTART:20240105T100000Z\nRRULE:FREQ=MONTHLY;BYDAY=9MO",
            "RRULE (line 6) can never occur: no month has a 9MO",
        ),
        (
            "DTSTART:20240105T100000Z\nRRULE:FREQ=YEARLY;BYDAY=60MO",
            "RRULE (line 6) has BYDAY=60MO: a position must be 1..53 or -53..-1",
        ),
        (
            "DTSTART:20240105T100000Z\nEXDATE:tomorrow",
            "EXDATE 'tomorrow' (line 6) is not a date or date-time",
        ),
    ],
)
def test_bad_times_and_rules_are_issues(tmp_path, lines, reason):
    path = write(
        tmp_path,
        "BEGIN:VEVENT\nUID:x\n" + lines + "\nORGANIZER:mailto:a@example.org\n"
        "ATTENDEE:mailto:b@example.org\nEND:VEVENT",
    )
    events, issues, _ = read(path)
    assert events == []
    assert len(issues) == 1 and issues[0].position == "VEVENT 1 (line 3)"
    assert issues[0].reason.startswith(reason)


def test_broken_lines_of_properties_never_read_do_not_lose_the_event(tmp_path):
    """badline.ics has X-BAD/SLASH, broken_ical.ics ``DTSTART;;VALUE=...``, issue_104 a bare ``X``
    line and vobject_0050 a DTEND with a leading space: none of that stops the meeting."""
    cases = {
        "badline.ics": (VOBJECT, "1987-04-05 02:00"),
        "broken_ical.ics": (CALENDARS, "2014-04-09 09:30"),
        "issue_104_broken_calendar.ics": (CALENDARS, "2014-04-01 00:00"),
        "vobject_0050.ics": (VOBJECT, "2024-08-12 21:30"),
    }
    for name, (folder, start) in cases.items():
        events, issues, _ = read(with_people(folder / name, tmp_path))
        assert issues == []
        assert starts(events) == [start], name
    events, _, _ = read(with_people(VOBJECT / "vobject_0050.ics", tmp_path))
    assert events[0].duration_minutes == 60  # DTEND ' 20240812T223000Z' read despite the space


def test_too_many_occurrences_are_cut_with_an_issue(tmp_path, monkeypatch):
    monkeypatch.setattr(ics, "MAX_OCCURRENCES", 5)
    path = write(
        tmp_path,
        "BEGIN:VEVENT\nUID:x\nDTSTART:20240101T100000Z\nRRULE:FREQ=DAILY;COUNT=10\n"
        "ORGANIZER:mailto:a@example.org\nATTENDEE:mailto:b@example.org\nEND:VEVENT",
    )
    events, issues, _ = read(path)
    assert len(events) == 5
    assert issues == [
        Issue(
            "VEVENT 1 (line 3)",
            "the recurrence produces more than 5 occurrences before the end of the window; "
            "the later ones were not read (choose a narrower window)",
        )
    ]


def test_the_occurrences_of_a_whole_file_are_capped_with_an_issue(tmp_path, monkeypatch):
    """Three daily series of 4 under a file cap of 7: the first gives 4, the
    second 3 (cut), the third only its DTSTART (cut): 8 meetings, 2 issues."""
    monkeypatch.setattr(ics, "MAX_OCCURRENCES", 5)
    monkeypatch.setattr(ics, "MAX_FILE_OCCURRENCES", 7)
    series = "".join(
        f"BEGIN:VEVENT\nUID:s{n}\nDTSTART:2024010{n}T100000Z\nRRULE:FREQ=DAILY;COUNT=4\n"
        "ORGANIZER:mailto:a@example.org\nATTENDEE:mailto:b@example.org\nEND:VEVENT\n"
        for n in (1, 2, 3)
    )
    path = write(tmp_path, series.rstrip("\n"))
    events, issues, _ = read(path)
    assert sorted(e.external_id for e in events) == [
        "s1@2024-01-01T10:00:00Z",
        "s1@2024-01-02T10:00:00Z",
        "s1@2024-01-03T10:00:00Z",
        "s1@2024-01-04T10:00:00Z",
        "s2@2024-01-02T10:00:00Z",
        "s2@2024-01-03T10:00:00Z",
        "s2@2024-01-04T10:00:00Z",
        "s3@2024-01-03T10:00:00Z",
    ]
    reason = (
        "the recurring events of this file produce more than 7 occurrences in all, counted "
        "from each series' start, the most one file may; the later occurrences of this one "
        "were not read (split the file, or choose an earlier end date)"
    )
    assert issues == [Issue("VEVENT 2 (line 10)", reason), Issue("VEVENT 3 (line 17)", reason)]


def test_the_file_cap_is_above_the_series_cap():
    assert ics.MAX_FILE_OCCURRENCES > ics.MAX_OCCURRENCES


@pytest.mark.parametrize(
    ("name", "content", "found"),
    [
        ("empty.ics", b"", "the file is empty"),
        ("blank.ics", b"\n\n  \n", "the file is empty"),
        ("photo.ics", b"\x89PNG\r\n\x1a\n\x00\x00", "it starts with binary data"),
        ("notes.ics", b"Dear Ana,\nsee you Monday\n", "it starts with other text"),
        ("cal.json", b'["vcalendar", []]', "it is JSON (jCal, calendars as JSON, is not supported"),
        ("cal.xml", b"<?xml version='1.0'?><icalendar/>", "it is XML or HTML (xCal"),
    ],
)
def test_files_that_are_not_icalendar_raise_one_format_error(tmp_path, name, content, found):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FormatError) as error:
        read(path)
    assert error.value.path == str(path)
    assert error.value.expected.startswith(
        "expected an iCalendar file with BEGIN:VCALENDAR; " + found
    )


def test_format_errors_of_real_samples_name_what_was_found():
    cases = {
        "icalendar-tests/events/rfc_9074_example_1.ics": "it starts with BEGIN:VEVENT (a VEVENT outside any VCALENDAR)",
        "vobject-test_files/vcard40_full.vcf": "it starts with BEGIN:VCARD (a vCard address book: import it with the vcard format)",
        "vobject-test_files/jcard.json": "it is JSON (jCal, calendars as JSON, is not supported: export as .ics)",
        "icalendar-tests/calendars/rfc_7265_example_2.jcal": "it is JSON (jCal, calendars as JSON, is not supported: export as .ics)",
        "icalendar-tests/calendars/fuzz_testcase_0_char_in_component_name.ics": "it starts with binary data",
    }
    for name, found in cases.items():
        with pytest.raises(FormatError) as error:
            read(SAMPLES / name)
        assert str(error.value) == (
            f"{Path(name).name}: expected an iCalendar file with BEGIN:VCALENDAR; {found}"
        )


def test_a_missing_file_or_a_folder_is_a_format_error(tmp_path):
    for path in (tmp_path / "missing.ics", tmp_path):
        with pytest.raises(FormatError) as error:
            read(path)
        assert "the file cannot be read" in error.value.expected


# --------------------------------------------------------------------------- people


def test_organizer_and_attendees_of_a_real_invitation():
    """property_params.ics: a BlackBerry invitation, all-day on 2012-08-14."""
    [event], issues, _ = read(CALENDARS / "property_params.ics")
    assert issues == []
    assert event == EventRecord(
        external_id="XRIMCAL-628059586-522954492-9750559@2012-08-14",
        occurred_at=utc(2012, 8, 14),
        channel="meeting",
        # the organizer has no CN of their own; their ATTENDEE line names them
        sender=Identity(email="rembrand@daxlab.com", name="RembrandDX"),
        recipients=(
            Identity(email="rembrand@xs4all.nl", name="RembrandXS"),
            Identity(email="rembspam@xs4all.nl", name="RembrandSB"),
        ),
        direction="two_way",
        duration_minutes=None,  # all day: no time spent together is known
        thread_id="XRIMCAL-628059586-522954492-9750559",
    )


def test_declined_delegated_rooms_and_non_participants_are_not_recipients(tmp_path):
    path = write(
        tmp_path,
        """
BEGIN:VEVENT
UID:standup
DTSTART:20240105T100000Z
DURATION:PT15M
ORGANIZER;CN="Ana Lima":MAILTO:Ana@Example.org
ATTENDEE;CN=Ana Lima;PARTSTAT=ACCEPTED:mailto:ana@example.org
ATTENDEE;CN=Bo;PARTSTAT=ACCEPTED:mailto:bo@example.org
ATTENDEE;CN=Cy;PARTSTAT=DECLINED:mailto:cy@example.org
ATTENDEE;CN=Di;PARTSTAT=DELEGATED;DELEGATED-TO="mailto:ed@example.org":mailto:di@example.org
ATTENDEE;CN=Ed;PARTSTAT=TENTATIVE:mailto:ed@example.org
ATTENDEE;CUTYPE=ROOM;CN=Room 4:mailto:room4@example.org
ATTENDEE;CUTYPE=RESOURCE:mailto:projector@example.org
ATTENDEE;ROLE=NON-PARTICIPANT:mailto:fyi@example.org
ATTENDEE;CUTYPE=GROUP;CN=Team:mailto:team@example.org
ATTENDEE;CN=Bo again:mailto:BO@example.org
END:VEVENT
""",
    )
    [event], _, _ = read(path)
    assert event.sender == Identity(email="ana@example.org", name="Ana Lima")
    assert event.recipients == (
        Identity(email="bo@example.org", name="Bo"),
        Identity(email="ed@example.org", name="Ed"),
        Identity(email="team@example.org", name="Team", automated=True),
    )
    assert event.duration_minutes == 15


def test_events_naming_fewer_than_two_people_are_skipped_and_counted(tmp_path):
    path = write(
        tmp_path,
        """
BEGIN:VEVENT
UID:alone
DTSTART:20240105T100000Z
ORGANIZER:mailto:ana@example.org
END:VEVENT
BEGIN:VEVENT
UID:everyone-declined
DTSTART:20240105T100000Z
ORGANIZER:mailto:ana@example.org
ATTENDEE;PARTSTAT=DECLINED:mailto:bo@example.org
END:VEVENT
BEGIN:VEVENT
UID:no-organizer
DTSTART:20240105T100000Z
ATTENDEE:mailto:bo@example.org
ATTENDEE:mailto:cy@example.org
END:VEVENT
""",
    )
    events, issues, skipped = read(path)
    assert issues == []
    assert [e.external_id for e in events] == ["no-organizer@2024-01-05T10:00:00Z"]
    assert events[0].sender is None
    assert skipped == {"no_people": 2}


def test_cancelled_events_and_cancellations_are_skipped_and_counted(tmp_path):
    body = """
BEGIN:VEVENT
UID:off
STATUS:CANCELLED
DTSTART:20240105T100000Z
ORGANIZER:mailto:ana@example.org
ATTENDEE:mailto:bo@example.org
END:VEVENT
BEGIN:VEVENT
UID:on
STATUS:CONFIRMED
DTSTART:20240105T100000Z
ORGANIZER:mailto:ana@example.org
ATTENDEE:mailto:bo@example.org
END:VEVENT
"""
    events, issues, skipped = read(write(tmp_path, body))
    assert [e.thread_id for e in events] == ["on"]
    assert skipped == {"cancelled": 1}
    # an iTIP cancellation (METHOD:CANCEL) cancels everything in it
    events, issues, skipped = read(write(tmp_path, "METHOD:CANCEL\n" + body))
    assert events == [] and issues == [] and skipped == {"cancelled": 2}


def test_no_title_description_or_location_reaches_a_record(tmp_path):
    events, _, _ = read(with_people(VOBJECT / "radicale-0827.ics", tmp_path))
    text = repr(events)
    assert events and "Cours Balboa" not in text and "Some place" not in text
    events, _, _ = read(CALENDARS / "property_params.ics")
    assert "Test meeting from BB" not in repr(events)
    events, _, _ = read(with_people(VOBJECT / "radicale-0816.ics", tmp_path))
    assert "Secret Location" not in repr(events) and "STG" not in repr(events)


# --------------------------------------------------------------------------- time zones


def test_tzid_times_are_converted_to_utc(tmp_path):
    """Europe/London in June 2016 is BST (UTC+1): 09:00 -> 08:00Z; it ends 16:20 (7 h 20 min)."""
    [event], _, _ = read(with_people(VOBJECT / "radicale-0816.ics", tmp_path))
    assert event.occurred_at == utc(2016, 6, 16, 8, 0)
    assert event.duration_minutes == 440
    assert event.external_id == "6b6fbf57-ea05-4717-a62e-24b314bd72af@2016-06-16T08:00:00Z"


def test_custom_vtimezones_are_used(tmp_path):
    """vobject's doctests: ms_tzid 15:00 is +10:00, tzid_8bit (Екатеринбург) 15:00 is +06:00."""
    [event], _, _ = read(with_people(VOBJECT / "ms_tzid.ics", tmp_path))
    assert event.occurred_at == utc(2008, 5, 30, 5, 0)
    [event], _, _ = read(with_people(VOBJECT / "tzid_8bit.ics", tmp_path))
    assert event.occurred_at == utc(2008, 5, 30, 9, 0)


def test_globally_unique_windows_unknown_and_floating_zones(tmp_path):
    # 2020-04-26: Berlin is CEST (+2), New York EDT (-4), Buenos Aires -3 all year
    events, _, _ = read(with_people(CALENDARS / "issue_313_globally_unique_tzid.ics", tmp_path))
    assert starts(events) == ["2020-04-26 12:00", "2020-04-26 18:00", "2020-04-26 17:00"]
    # a TZID that names no zone and has no VTIMEZONE: read as UTC
    [event], _, _ = read(
        with_people(CALENDARS / "issue_722_missing_VTIMEZONE_custom.ics", tmp_path)
    )
    assert event.occurred_at == utc(2014, 8, 29, 8, 0)
    # a Windows zone name (Outlook) without a VTIMEZONE, and floating time in X-WR-TIMEZONE
    path = write(
        tmp_path,
        """
X-WR-TIMEZONE:America/Chicago
BEGIN:VEVENT
UID:outlook
DTSTART;TZID=W. Europe Standard Time:20240115T090000
ORGANIZER:mailto:ana@example.org
ATTENDEE:mailto:bo@example.org
END:VEVENT
BEGIN:VEVENT
UID:floating
DTSTART:20240115T090000
ORGANIZER:mailto:ana@example.org
ATTENDEE:mailto:bo@example.org
END:VEVENT
""",
    )
    events, _, _ = read(path)
    # January: Berlin is CET (+1), Chicago CST (-6)
    assert starts(events) == ["2024-01-15 08:00", "2024-01-15 15:00"]


def test_a_utf16_calendar_is_read(tmp_path):
    source = with_people(VOBJECT / "radicale-0816.ics", tmp_path)
    copy = tmp_path / "utf16.ics"
    copy.write_bytes(source.read_text().encode("utf-16"))
    [event], _, _ = read(copy)
    assert event.occurred_at == utc(2016, 6, 16, 8, 0)


# --------------------------------------------------------------------------- recurrence


def test_a_daily_count_rule_with_ruby_escaped_semicolons(tmp_path):
    """ruby_rrule.ics: ``RRULE:FREQ=DAILY\\;COUNT=10`` from 2003-01-01 07:00 floating (so UTC)."""
    events, issues, _ = read(with_people(VOBJECT / "ruby_rrule.ics", tmp_path))
    assert issues == []
    assert starts(events) == [f"2003-01-{day:02d} 07:00" for day in range(1, 11)]
    assert {e.duration_minutes for e in events} == {60}
    _, _, skipped = read(VOBJECT / "ruby_rrule.ics")
    assert skipped == {"no_people": 1}  # as shipped it names nobody


def test_monthly_fourth_thursday_until_a_date(tmp_path):
    """recurrence.ics: BYDAY=4TH from Thu 2006-01-26 23:00Z, UNTIL=20061228 (the whole day).

    Fourth Thursdays of 2006 from a printed calendar: Jan 26, Feb 23, Mar 23,
    Apr 27, May 25, Jun 22, Jul 27, Aug 24, Sep 28, Oct 26, Nov 23, Dec 28.
    """
    events, _, _ = read(with_people(VOBJECT / "recurrence.ics", tmp_path))
    days = ["01-26", "02-23", "03-23", "04-27", "05-25", "06-22"]
    days += ["07-27", "08-24", "09-28", "10-26", "11-23", "12-28"]
    assert starts(events) == [f"2006-{d} 23:00" for d in days]


@pytest.mark.parametrize("name", ["recurrence-without-tz.ics", "recurrence-offset-naive.ics"])
def test_weekly_all_day_until_a_date_or_a_utc_time(tmp_path, name):
    """Thursdays from Thu 2013-01-17 to UNTIL 2013-03-30 (date, or 23:00Z that day): 11."""
    events, _, _ = read(with_people(VOBJECT / name, tmp_path))
    days = ["01-17", "01-24", "01-31", "02-07", "02-14", "02-21", "02-28"]
    days += ["03-07", "03-14", "03-21", "03-28"]
    assert starts(events) == [f"2013-{d} 00:00" for d in days]
    assert {e.duration_minutes for e in events} == {None}
    assert events[0].external_id.endswith("@2013-01-17")


def test_exdates_of_the_other_kind_and_daylight_saving(tmp_path):
    """recurrence-mixed-with-and-without-tz.ics.

    1. All-day, yearly on May 20 from 1991, UNTIL 1994-05-19T23:59:59Z, EXDATE
       1992-05-20T00:00Z (a date-time excluding a date): 1991 and 1993.
    2. Wednesdays 14:00 Europe/Berlin from 2017-10-25, UNTIL 2017-11-15T12:00Z,
       EXDATE;VALUE=DATE 2017-11-01: Oct 25 (CEST, 12:00Z), Nov 8 (CET after
       Oct 29, 13:00Z); Nov 15 14:00 CET is 13:00Z, past UNTIL. 14:00-18:30 is 270 min.
    """
    events, _, _ = read(with_people(VOBJECT / "recurrence-mixed-with-and-without-tz.ics", tmp_path))
    assert starts(events) == [
        "1991-05-20 00:00",
        "1993-05-20 00:00",
        "2017-10-25 12:00",
        "2017-11-08 13:00",
    ]
    assert [e.duration_minutes for e in events] == [None, None, 270, 270]


RADICALE_0827 = [
    # Mondays 20:30 Europe/Paris from 2017-10-09 (a Monday) to UNTIL 2018-06-23T18:30Z:
    # 37 Mondays, less 9 EXDATEs (Oct 23, Oct 30, Dec 25, Jan 1, Feb 12, Feb 19,
    # Apr 2, Apr 9, Apr 16) and 2 cancelled overrides (Mar 26, Apr 30) = 26.
    # 20:30 is 18:30Z in summer time (to Oct 29, from Mar 25) and 19:30Z in winter.
    "2017-10-09 18:30",
    "2017-10-16 18:30",
    "2017-11-06 19:30",
    "2017-11-13 19:30",
    "2017-11-20 19:30",
    "2017-11-27 19:30",
    "2017-12-04 19:30",
    "2017-12-11 19:30",
    "2017-12-18 19:30",
    "2018-01-08 19:30",
    "2018-01-15 19:30",
    "2018-01-22 19:30",
    "2018-01-29 19:30",
    "2018-02-05 19:30",
    "2018-02-26 19:30",
    "2018-03-05 19:30",
    "2018-03-12 19:30",
    "2018-03-19 19:30",
    "2018-04-23 18:30",
    "2018-05-07 18:30",
    "2018-05-14 18:30",
    "2018-05-21 18:30",
    "2018-05-28 18:30",
    "2018-06-04 18:30",
    "2018-06-11 18:30",
    "2018-06-18 18:30",
]


def test_weekly_series_with_exdates_and_cancelled_occurrences(tmp_path):
    events, issues, skipped = read(with_people(VOBJECT / "radicale-0827.ics", tmp_path))
    assert issues == []
    assert starts(events) == RADICALE_0827
    assert skipped == {"cancelled": 2}
    _, _, skipped = read(VOBJECT / "radicale-0827.ics")
    assert skipped == {"cancelled": 2, "no_people": 1}


def test_rdate_periods_and_a_moved_occurrence(tmp_path):
    """RFC 7265 appendix example 2: daily 12:00 US/Eastern (EST, 17:00Z) x5 from Mon
    2006-01-02, plus an RDATE period 15:00 for 2 h, and Jan 4 moved to 14:00 (19:00Z)."""
    path = with_people(CALENDARS / "rfc_7265_appendix_example_2_ical.ics", tmp_path)
    events, _, _ = read(path)
    assert [(e.occurred_at.strftime("%m-%d %H:%M"), e.duration_minutes) for e in events] == [
        ("01-02 17:00", 60),
        ("01-02 20:00", 120),
        ("01-03 17:00", 60),
        ("01-04 19:00", 60),
        ("01-05 17:00", 60),
        ("01-06 17:00", 60),
    ]
    uid = "00959BC664CA650E933C892C@example.com"
    # the moved occurrence keeps the id of the slot it replaced
    assert events[3].external_id == f"{uid}@2006-01-04T17:00:00Z"
    assert len({e.external_id for e in events}) == 6


def test_monthly_rule_with_exdate_and_rdate_period_across_dst(tmp_path):
    """period_with_timezone.ics: 3rd Wednesday 12:00 America/Vancouver, COUNT=9 in
    Jan-May and Sep-Dec from 2023-09-20; EXDATE Dec 20; RDATE Dec 13 12:00-15:00.
    PDT (-7) until Nov 5 2023 and from Mar 10 2024, PST (-8) between."""
    events, _, _ = read(with_people(CALENDARS / "period_with_timezone.ics", tmp_path))
    assert [(e.occurred_at.strftime("%Y-%m-%d %H:%M"), e.duration_minutes) for e in events] == [
        ("2023-09-20 19:00", 120),
        ("2023-10-18 19:00", 120),
        ("2023-11-15 20:00", 120),
        ("2023-12-13 20:00", 180),
        ("2024-01-17 20:00", 120),
        ("2024-02-21 20:00", 120),
        ("2024-03-20 19:00", 120),
        ("2024-04-17 19:00", 120),
        ("2024-05-15 19:00", 120),
    ]


def test_the_window_bounds_occurrences(tmp_path):
    path = with_people(VOBJECT / "radicale-0827.ics", tmp_path)
    window = Window(since=utc(2018, 1, 1), until=utc(2018, 2, 1))
    events, _, _ = read(path, window=window)
    # January 2018 Mondays: 1 (EXDATE), 8, 15, 22, 29
    assert starts(events) == [
        "2018-01-08 19:30",
        "2018-01-15 19:30",
        "2018-01-22 19:30",
        "2018-01-29 19:30",
    ]
    events, _, skipped = read(path, window=Window(since=utc(2019, 1, 1)))
    assert events == [] and skipped["outside_window"] == 1
    events, _, skipped = read(
        CALENDARS / "property_params.ics", window=Window(until=utc(2012, 1, 1))
    )
    assert events == [] and skipped == {"outside_window": 1}


def test_an_endless_rule_stops_a_year_after_today(tmp_path):
    today = dt.datetime.now(UTC).replace(hour=9, minute=0, second=0, microsecond=0)
    start = today - dt.timedelta(days=10)
    path = write(
        tmp_path,
        f"BEGIN:VEVENT\nUID:daily\nDTSTART:{start:%Y%m%dT%H%M%SZ}\nRRULE:FREQ=DAILY\n"
        "ORGANIZER:mailto:a@example.org\nATTENDEE:mailto:b@example.org\nEND:VEVENT",
    )
    events, issues, _ = read(path)
    assert issues == []
    assert events[0].occurred_at == start
    horizon = dt.datetime.now(UTC) + ics.OPEN_WINDOW_HORIZON
    assert horizon - dt.timedelta(days=1) <= events[-1].occurred_at < horizon
    # from 10 days ago to a year from now: 375 days, or 376 if today's 09:00 has passed
    assert len(events) in (375, 376)


def test_an_override_without_its_series_is_read_on_its_own(tmp_path):
    """issue_156 khal: a Lotus Notes RECURRENCE-ID (THISANDFUTURE) with RDATE periods and no master."""
    path = with_people(CALENDARS / "issue_156_RDATE_with_PERIOD_TZID_khal_2.ics", tmp_path)
    events, _, _ = read(path)
    # 16:00 in the file's "Western/Central Europe" (+01:00 in winter) = 15:00Z
    assert starts(events) == [
        "2021-11-01 15:00",
        "2021-12-06 15:00",
        "2022-01-03 15:00",
        "2022-02-07 15:00",
    ]
    assert {e.duration_minutes for e in events} == {30}


# --------------------------------------------------------------------------- idempotence


def test_re_reading_gives_the_same_external_ids(tmp_path):
    path = with_people(VOBJECT / "radicale-0827.ics", tmp_path)
    first, _, _ = read(path)
    second, _, _ = read(path)
    assert [e.external_id for e in first] == [e.external_id for e in second]
    assert len({e.external_id for e in first}) == len(first) == 26
    assert first[0].external_id == "812dae9d-4114-45c1-ba5b-4ee34756ab47@2017-10-09T18:30:00Z"
    assert {e.thread_id for e in first} == {"812dae9d-4114-45c1-ba5b-4ee34756ab47"}


def test_events_without_uid_get_a_stable_id(tmp_path):
    path = with_people(VOBJECT / "recurrence-without-tz.ics", tmp_path)
    first, _, _ = read(path)
    second, _, _ = read(path)
    assert first[0].external_id == second[0].external_id
    assert first[0].external_id.startswith("ics-")


def test_progress_reaches_the_file_size():
    seen: list[int] = []
    path = CALENDARS / "property_params.ics"
    list(READER(path, progress=seen.append))
    assert seen[-1] == path.stat().st_size == 660


# --------------------------------------------------------------------------- bounded memory


def folded(line: str, width: int) -> str:
    """``line`` folded every ``width`` characters (RFC 5545 section 3.1)."""
    parts = [line[:width]] + [line[i : i + width - 1] for i in range(width, len(line), width - 1)]
    return "\r\n ".join(parts)


def big_calendar(path: Path, size: int) -> int:
    """A calendar of at least ``size`` bytes: meetings of two people with long, folded
    descriptions (about 19 kB each); returns how many meetings it holds."""
    description = folded("DESCRIPTION:" + "Agenda, minutes and follow-ups. " * 600, 1000)
    meetings = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
        while out.tell() < size:
            meetings += 1
            out.write(
                f"BEGIN:VEVENT\r\nUID:meeting-{meetings}\r\n"
                f"DTSTART:20240105T{meetings % 24:02d}0000Z\r\nDURATION:PT30M\r\n"
                "ORGANIZER;CN=Ana:mailto:ana@example.org\r\n"
                f"ATTENDEE;CN=Bo:mailto:bo{meetings % 50}@example.org\r\n"
                f"{description}\r\nEND:VEVENT\r\n"
            )
        out.write("END:VCALENDAR\r\n")
    return meetings


def test_a_40_mb_calendar_is_read_in_memory_bounded_by_one_event(tmp_path):
    """The reader before streaming held the file's bytes, its text and its lines at once
    (about 120 MB of peak traced memory on this file); streaming holds a block and an event."""
    path = tmp_path / "big.ics"
    meetings = big_calendar(path, 40_000_000)
    assert path.stat().st_size >= 40_000_000

    tracemalloc.start()
    try:
        events = sum(isinstance(r, EventRecord) for r in read_ics(path, options=ReadOptions()))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert events == meetings
    assert peak < 8 * 2**20, f"{peak:,} bytes"


def test_a_vevent_larger_than_the_bound_is_an_issue_and_the_next_is_read(tmp_path):
    """13,000 attendees of 86 characters each: over MAX_COMPONENT_SIZE (1 MiB)."""
    attendees = "\n".join(
        f"ATTENDEE;CN=Attendee number {n:05};PARTSTAT=ACCEPTED:mailto:attendee-{n:05}@example.org"
        for n in range(13_000)
    )
    path = write(
        tmp_path,
        "BEGIN:VEVENT\nUID:all-hands\nDTSTART:20240105T100000Z\nORGANIZER:mailto:a@example.org\n"
        f"{attendees}\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:small\nDTSTART:20240106T100000Z\nORGANIZER:mailto:a@example.org\n"
        "ATTENDEE:mailto:b@example.org\nEND:VEVENT",
    )
    assert len(attendees) > ics.MAX_COMPONENT_SIZE == 2**20
    events, issues, _ = read(path)
    assert issues == [
        Issue(
            "VEVENT 1 (line 3)",
            "the VEVENT holds more than 1,048,576 characters of dates, people and rules; "
            "it was skipped",
        )
    ]
    assert [e.external_id for e in events] == ["small@2024-01-06T10:00:00Z"]


def test_a_long_description_does_not_count_against_the_bound(tmp_path):
    """Titles and descriptions are never read, so a 3 MB description (folded) costs nothing."""
    description = folded("DESCRIPTION:" + "x" * 3_000_000, 75).replace("\r\n", "\n")
    path = write(
        tmp_path,
        "BEGIN:VEVENT\nUID:long\nDTSTART:20240105T100000Z\nORGANIZER:mailto:a@example.org\n"
        f"{description}\nATTENDEE:mailto:b@example.org\nEND:VEVENT",
    )
    events, issues, _ = read(path)
    assert issues == []
    assert [e.external_id for e in events] == ["long@2024-01-05T10:00:00Z"]


def test_a_time_zone_larger_than_the_bound_is_not_used_and_says_so(tmp_path):
    path = write(
        tmp_path,
        "BEGIN:VTIMEZONE\nTZID:Office\n"
        + "\n".join(f"X-PADDING:{n:0100}" for n in range(100))
        + "\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0200\n"
        "END:STANDARD\nEND:VTIMEZONE\n"
        "BEGIN:VEVENT\nUID:x\nDTSTART;TZID=Office:20240105T100000\n"
        "ORGANIZER:mailto:a@example.org\nATTENDEE:mailto:b@example.org\nEND:VEVENT",
    )
    records = list(read_ics(path, options=ReadOptions(), max_component_size=5_000))
    assert [r for r in records if isinstance(r, Issue)] == [
        Issue(
            "VTIMEZONE (line 3)", "the time zone holds more than 5,000 characters; it was not used"
        )
    ]
    # the zone is unknown without its definition: the time is read as UTC
    assert [r.occurred_at for r in records if isinstance(r, EventRecord)] == [utc(2024, 1, 5, 10)]
    events, issues, _ = read(path)  # within the default bound, the zone is +02:00
    assert issues == [] and [e.occurred_at for e in events] == [utc(2024, 1, 5, 8)]


def test_moved_occurrences_and_time_zones_are_found_wherever_they_sit(tmp_path):
    """A moved occurrence before its series, and the VTIMEZONE after both: the file is read
    in two passes, so neither order matters. Occurrences by hand: 5, 12, 19 January 2024
    (Fridays) at 10:00 +01:00, the second moved to Saturday 13 January at 11:00 +01:00."""
    people = "ORGANIZER:mailto:a@example.org\nATTENDEE:mailto:b@example.org\n"
    path = write(
        tmp_path,
        "BEGIN:VEVENT\nUID:weekly\nRECURRENCE-ID;TZID=Office:20240112T100000\n"
        f"DTSTART;TZID=Office:20240113T110000\nDURATION:PT30M\n{people}END:VEVENT\n"
        "BEGIN:VEVENT\nUID:single\nDTSTART;TZID=Office:20240110T090000\n"
        f"{people}END:VEVENT\n"
        "BEGIN:VEVENT\nUID:weekly\nDTSTART;TZID=Office:20240105T100000\nDURATION:PT1H\n"
        f"RRULE:FREQ=WEEKLY;COUNT=3\n{people}END:VEVENT\n"
        "BEGIN:VTIMEZONE\nTZID:Office\nBEGIN:STANDARD\nDTSTART:19700101T000000\n"
        "TZOFFSETFROM:+0100\nTZOFFSETTO:+0100\nEND:STANDARD\nEND:VTIMEZONE",
    )
    events, issues, _ = read(path)
    assert issues == []
    assert sorted((e.external_id, e.occurred_at, e.duration_minutes) for e in events) == [
        ("single@2024-01-10T08:00:00Z", utc(2024, 1, 10, 8), None),
        ("weekly@2024-01-05T09:00:00Z", utc(2024, 1, 5, 9), 60),
        ("weekly@2024-01-12T09:00:00Z", utc(2024, 1, 13, 10), 30),
        ("weekly@2024-01-19T09:00:00Z", utc(2024, 1, 19, 9), 60),
    ]


def test_events_kept_aside_for_moved_occurrences_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(ics, "MAX_LINKED_EVENTS", 2)
    people = "ORGANIZER:mailto:a@example.org\nATTENDEE:mailto:b@example.org\n"
    path = write(
        tmp_path,
        "BEGIN:VEVENT\nUID:w\nDTSTART:20240105T100000Z\nRRULE:FREQ=DAILY;COUNT=3\n"
        f"{people}END:VEVENT\n"
        f"BEGIN:VEVENT\nUID:w\nRECURRENCE-ID:20240106T100000Z\nDTSTART:20240106T120000Z\n"
        f"{people}END:VEVENT\n"
        f"BEGIN:VEVENT\nUID:w\nRECURRENCE-ID:20240107T100000Z\nDTSTART:20240107T120000Z\n"
        f"{people}END:VEVENT",
    )
    events, issues, _ = read(path)
    assert issues == [
        Issue(
            "VEVENT 3 (line 17)",
            "more than 2 events of this file belong to series with moved occurrences "
            "(RECURRENCE-ID); this one was skipped (split the file)",
        )
    ]
    assert [e.occurred_at for e in events] == [
        utc(2024, 1, 5, 10),
        utc(2024, 1, 6, 12),  # moved
        utc(2024, 1, 7, 10),  # its move was skipped
    ]
