"""Slack exports: the real houstondatavis export (folder and zip) and a built one.

Expected counts on the real export are computed here with plain ``json``
loading and a regular expression, independently of the reader: messages whose
subtype is one people write (none, file_share, file_comment, bot_message,
me_message, thread_broadcast), split into those addressed to someone (an
@-mention of another user, or the owner of a commented file) and broadcast
posts. SOURCE.md gives the totals they must add up to (1,382 messages). The
export predates Slack threads, so replies, DMs, bots and damaged files are
tested on an export built in ``tmp_path``, and so are archives built to attack
the reader (a zip bomb, a header that lies about its size, files over the bound).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path

import pytest

from bridgework.core.ingest import reader
from bridgework.core.ingest.archive import ArchiveRefused
from bridgework.core.ingest.base import input_size
from bridgework.core.ingest.records import (
    EventRecord,
    FormatError,
    Identity,
    Issue,
    ReadOptions,
    Window,
)
from bridgework.core.ingest.slack import read_slack_export
from bridgework.core.ingest.tests.test_archive import Entry, damage, good_zip, raw_zip
from bridgework.testsupport import sample_path

SAMPLE = sample_path("slack-export-houstondatavis")
WRITTEN_BY_PEOPLE = {
    None,
    "file_share",
    "file_comment",
    "bot_message",
    "me_message",
    "thread_broadcast",
}


def read(path: Path, **options) -> tuple[list[EventRecord], list[Issue]]:
    records = list(reader("slack")(path, options=ReadOptions(**options)))
    events = [r for r in records if isinstance(r, EventRecord)]
    issues = [r for r in records if isinstance(r, Issue)]
    assert len(events) + len(issues) == len(records)
    return events, issues


@pytest.fixture(scope="module")
def sample() -> Path:
    return SAMPLE


def sender(event: EventRecord) -> Identity:
    assert event.sender is not None, event
    return event.sender


@pytest.fixture(scope="module")
def sample_events(sample) -> list[EventRecord]:
    events, issues = read(sample)
    assert issues == []
    return events


def independent_count(folder: Path) -> tuple[int, int, int]:
    """(all messages, messages people wrote, those addressed to someone)."""
    total = written = addressed = 0
    for day_file in folder.glob("*/*.json"):
        for message in json.loads(day_file.read_text()):
            total += 1
            if message.get("subtype") not in WRITTEN_BY_PEOPLE:
                continue
            written += 1
            author = message.get("user") or message.get("comment", {}).get("user")
            addressees = set(re.findall(r"<@(U[A-Z0-9]+)", message.get("text", "")))
            if message.get("subtype") == "file_comment":
                addressees.add(message["file"]["user"])
            if addressees - {author}:
                addressed += 1
    return total, written, addressed


def test_real_export_counts_match_an_independent_count(sample, sample_events):
    total, written, addressed = independent_count(sample)
    assert total == 1382  # SOURCE.md
    assert written == 1031
    assert len(sample_events) == addressed == 144
    assert len({e.external_id for e in sample_events}) == len(sample_events)
    assert all(e.channel == "chat" and e.direction == "one_way" for e in sample_events)
    assert all(e.sender not in e.recipients and e.recipients for e in sample_events)


def test_real_export_mention_read_by_hand(sample_events):
    by_id = {e.external_id: e for e in sample_events}
    # sci/2016-07-16.json, message 4: {"user": "U1QPREQUC", "text": "<@U061A5N1G>:  Nothing
    # that surprising ...", "ts": "1468691655.000002"}; channels.json: sci is C0PNFE8NS
    event = by_id["C0PNFE8NS:1468691655.000002"]
    assert event.sender.source_key == "slack:U1QPREQUC"
    assert [r.source_key for r in event.recipients] == ["slack:U061A5N1G"]
    assert event.recipients[0].name == "Neeraj Tandon"  # users.json real_name
    assert event.occurred_at == dt.datetime(2016, 7, 16, 17, 54, 15, 2, tzinfo=dt.UTC)
    assert event.reply_to == "" and event.thread_id == ""
    # message 1 of the same file mentions no one: a broadcast post, not a tie
    assert "C0PNFE8NS:1468672058.000009" not in by_id


def test_real_export_file_comment_read_by_hand(sample_events):
    by_id = {e.external_id: e for e in sample_events}
    # datajam/2015-06-19.json: {"subtype": "file_comment", "text": "<@U061A5N1G|neerajt>
    # commented on U064KUGRJ's file ...", "comment": {"user": "U061A5N1G", ...},
    # "ts": "1434772752.000007"}; datajam is C061A0WJG
    event = by_id["C061A0WJG:1434772752.000007"]
    assert event.sender.source_key == "slack:U061A5N1G"
    assert event.sender.email == "redacted051@example.invalid"
    assert [r.name for r in event.recipients] == ["Tim Abram"]


def test_message_text_is_never_kept(sample, sample_events):
    # words from sci/2016-07-16.json message 4 appear in no record
    dump = repr(sample_events)
    assert "surprising" not in dump and "mybinder" not in dump


def test_progress_ends_at_the_input_size(sample):
    seen: list[int] = []
    list(reader("slack")(sample, progress=seen.append))
    assert seen == sorted(seen) and len(seen) > 300  # one call per daily file
    assert seen[-1] == input_size(sample)


def test_real_export_as_a_zip_gives_the_same_events(sample, sample_events, tmp_path):
    archive = tmp_path / "houstondatavis Slack export.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for file in sorted(sample.rglob("*")):
            if file.is_file():
                out.write(file, f"houstondatavis/{file.relative_to(sample).as_posix()}")
    events, issues = read(archive)
    assert issues == []
    assert events == sample_events


# ------------------------------------------------------------------ a built export

USERS = [
    {
        "id": "UANN",
        "name": "ann",
        "real_name": "Ann Lee",
        "profile": {"email": "Ann@Example.org", "title": "CTO"},
    },
    {"id": "UBO", "name": "bo", "real_name": "", "profile": {"real_name": "Bo Ek"}},
    {"id": "UCY", "name": "cy", "deleted": True, "profile": {}},
    {"id": "UBOT", "name": "deploybot", "is_bot": True, "profile": {}},
]
TS = {n: f"{1452000000 + n}.00000{n}" for n in range(1, 10)}  # 2016-01-05


def build(folder: Path, *, files: dict[str, object] | None = None, skip=()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    listing = {
        "users.json": USERS,
        "channels.json": [{"id": "CGEN", "name": "general", "members": ["UANN", "UBO", "UCY"]}],
        "dms.json": [{"id": "DAB", "members": ["UANN", "UBO"]}],
        "mpims.json": [
            {"id": "GABC", "name": "mpdm-ann--bo--cy-1", "members": ["UANN", "UBO", "UCY"]}
        ],
    }
    general = [
        {
            "type": "message",
            "subtype": "channel_join",
            "user": "UCY",
            "text": "<@UCY> has joined",
            "ts": TS[1],
        },
        {
            "type": "message",
            "user": "UANN",
            "text": "Plan for Q1?",
            "ts": TS[2],
            "thread_ts": TS[2],
            "reply_count": 2,
        },
        {
            "type": "message",
            "user": "UBO",
            "text": "Yes",
            "ts": TS[3],
            "thread_ts": TS[2],
            "parent_user_id": "UANN",
        },
        {
            "type": "message",
            "user": "UCY",
            "text": "+1 <@UBO>",
            "ts": TS[4],
            "thread_ts": TS[2],
            "parent_user_id": "UANN",
        },
        {"type": "message", "user": "UANN", "text": "Thanks <@UCY|cy> <!channel>", "ts": TS[5]},
        {
            "type": "message",
            "subtype": "bot_message",
            "bot_id": "B1",
            "username": "ci",
            "text": "<@UANN> build failed",
            "ts": TS[6],
        },
        {"type": "message", "user": "UBOT", "text": "deployed for <@UBO>", "ts": TS[7]},
        {
            "type": "message",
            "user": "UBO",
            "text": "reply to an old thread",
            "ts": TS[8],
            "thread_ts": "1400000000.000001",
            "parent_user_id": "UCY",
        },
    ]
    contents: dict[str, object] = {
        **listing,
        "general/2016-01-05.json": general,
        "DAB/2016-01-05.json": [{"type": "message", "user": "UBO", "text": "lunch?", "ts": TS[1]}],
        "mpdm-ann--bo--cy-1/2016-01-06.json": [
            {"type": "message", "user": "UCY", "text": "hi all", "ts": TS[9]}
        ],
    }
    contents.update(files or {})
    for name, value in contents.items():
        if name in skip:
            continue
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(value if isinstance(value, str) else json.dumps(value))
    return folder


def test_threads_mentions_dms_and_bots(tmp_path):
    events, issues = read(build(tmp_path / "export"))
    assert issues == []
    by_id = {e.external_id: e for e in events}

    def who(event: EventRecord) -> list[str]:
        return [r.source_key.removeprefix("slack:") for r in event.recipients]

    # the channel join is a notice; the thread parent mentions no one: a broadcast post
    assert "CGEN:" + TS[1] not in by_id and "CGEN:" + TS[2] not in by_id
    first_reply = by_id["CGEN:" + TS[3]]
    assert who(first_reply) == ["UANN"]
    assert first_reply.reply_to == first_reply.thread_id == "CGEN:" + TS[2]
    # the second reply: the parent author, the earlier replier (also mentioned), once each
    assert who(by_id["CGEN:" + TS[4]]) == ["UANN", "UBO"]
    # a mention; <!channel> names no one
    mention = by_id["CGEN:" + TS[5]]
    assert who(mention) == ["UCY"] and mention.reply_to == "" and mention.thread_id == ""
    assert sender(mention).email == "ann@example.org" and sender(mention).title == "CTO"
    # bots are automated: a bot_message without a user, and a user marked is_bot
    bot = by_id["CGEN:" + TS[6]]
    assert (sender(bot).source_key, sender(bot).name, sender(bot).automated) == (
        "slack:B1",
        "ci",
        True,
    )
    assert sender(by_id["CGEN:" + TS[7]]).automated is True
    # a reply whose parent is outside the export: parent_user_id names its author
    assert who(by_id["CGEN:" + TS[8]]) == ["UCY"]
    # a DM goes to the other member; a group DM to the other members
    dm = by_id["DAB:" + TS[1]]
    assert (sender(dm).name, who(dm)) == ("Bo Ek", ["UANN"])
    assert who(by_id["GABC:" + TS[9]]) == ["UANN", "UBO"]
    assert by_id["GABC:" + TS[9]].occurred_at == dt.datetime(
        2016, 1, 5, 13, 20, 9, 9, tzinfo=dt.UTC
    )
    assert len(events) == 8


def test_the_window_keeps_only_messages_inside_it(tmp_path):
    since = dt.datetime.fromtimestamp(1452000005, dt.UTC)
    events, _ = read(build(tmp_path / "export"), window=Window(since=since))
    assert sorted(e.external_id for e in events) == [
        "CGEN:" + TS[5],
        "CGEN:" + TS[6],
        "CGEN:" + TS[7],
        "CGEN:" + TS[8],
        "GABC:" + TS[9],
    ]


def test_a_daily_file_that_is_not_json_is_an_issue_and_reading_goes_on(tmp_path):
    export = build(tmp_path / "export", files={"general/2016-01-06.json": '[{"type": "message",'})
    events, issues = read(export)
    assert len(issues) == 1
    assert issues[0].position == "channel #general, file 2016-01-06.json"
    assert issues[0].reason.startswith("not valid JSON")
    assert len(events) == 8


def test_a_daily_file_that_is_not_a_list_is_an_issue(tmp_path):
    export = build(tmp_path / "export", files={"general/2016-01-06.json": {"ok": True}})
    _, issues = read(export)
    assert issues == [Issue("channel #general, file 2016-01-06.json", "not a list of messages")]


def test_messages_without_user_or_ts_are_issues(tmp_path):
    broken = [
        {"type": "message", "text": "who am I", "ts": "1452100000.000001"},
        {"type": "message", "user": "UANN", "text": "<@UBO> when?"},
        {"type": "message", "user": "UANN", "text": "<@UBO>", "ts": "yesterday"},
        "not an object",
        {"type": "message", "user": "UANN", "text": "<@UBO> fine", "ts": "1452100000.000005"},
    ]
    export = build(tmp_path / "export", files={"general/2016-01-07.json": broken})
    events, issues = read(export)
    where = "channel #general, file 2016-01-07.json, message"
    assert issues == [
        Issue(f"{where} 1", "message without a user"),
        Issue(f"{where} 2", "message without a ts (timestamp)"),
        Issue(f"{where} 3", "ts 'yesterday' is not a Slack timestamp"),
        Issue(f"{where} 4", "not a message object"),
    ]
    assert "CGEN:1452100000.000005" in {e.external_id for e in events}


def test_damaged_optional_listings_and_unlisted_folders_are_issues(tmp_path):
    export = build(
        tmp_path / "export",
        files={"dms.json": "{oops", "random/2016-01-05.json": []},
    )
    events, issues = read(export)
    assert [i.position for i in issues] == ["file dms.json", "folder DAB", "folder random"]
    assert "its conversations were skipped" in issues[0].reason
    assert "DAB:" + TS[1] not in {e.external_id for e in events}


@pytest.mark.parametrize("missing", ["users.json", "channels.json"])
def test_a_folder_without_users_or_channels_is_a_format_error(tmp_path, missing):
    export = build(tmp_path / "export", skip={missing})
    with pytest.raises(FormatError) as caught:
        read(export)
    assert str(caught.value) == (
        "export: expected a Slack export folder (or .zip) with users.json and channels.json"
    )


def test_unreadable_users_json_a_plain_file_and_a_missing_path_are_format_errors(tmp_path):
    export = build(tmp_path / "export", files={"users.json": "not json"})
    with pytest.raises(FormatError, match="export: users.json is not valid JSON"):
        read(export)
    plain = tmp_path / "notes.txt"
    plain.write_text("hello")
    with pytest.raises(FormatError, match="notes.txt: not a folder or a zip"):
        read(plain)
    with pytest.raises(FormatError, match="gone: no such file or folder"):
        read(tmp_path / "gone")
    archive = tmp_path / "other.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("readme.txt", "not an export")
    with pytest.raises(FormatError, match="other.zip: expected a Slack export"):
        read(archive)


# ------------------------------------------------------------------ archives that attack the reader

MiB = 1 << 20
# Messages that each mention someone, many times over: a daily file of several MiB.
BUSY_DAY = [
    {"type": "message", "user": "UANN", "text": f"<@UBO> item {n}", "ts": f"1452090000.{n:06}"}
    for n in range(60_000)
]


def zipped(export: Path, archive: Path, **replaced: Entry) -> Path:
    """The export folder as a zip (stored), its files replaced by ``replaced`` by name."""
    entries = [
        replaced.get(file.relative_to(export).as_posix())
        or Entry.stored(file.relative_to(export).as_posix(), file.read_bytes())
        for file in sorted(export.rglob("*"))
        if file.is_file()
    ]
    return raw_zip(archive, entries)


def test_a_zip_bomb_is_refused_before_anything_is_read(tmp_path):
    """One daily file of 50 MiB of spaces, compressed about a thousand times."""
    export = build(tmp_path / "export")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for file in sorted(export.rglob("*")):
            if file.is_file():
                out.write(file, file.relative_to(export).as_posix())
        out.writestr("general/2016-01-09.json", b"[" + b" " * (50 * MiB) + b"]")
    records = read_slack_export(archive, options=ReadOptions())
    with pytest.raises(ArchiveRefused) as caught:
        next(records)
    assert caught.value.limit == "max_ratio"
    assert str(caught.value).startswith(
        "export.zip: refused: the entry 'general/2016-01-09.json' expands "
    )


def test_a_daily_file_whose_header_lies_about_its_size_is_an_issue(tmp_path):
    """The header of 2016-01-06.json declares 100 bytes; it holds several MiB."""
    export = build(tmp_path / "export", files={"general/2016-01-06.json": BUSY_DAY})
    content = (export / "general/2016-01-06.json").read_bytes()
    assert len(content) > 4 * MiB
    archive = zipped(
        export,
        tmp_path / "export.zip",
        **{
            "general/2016-01-06.json": Entry.deflated(
                "general/2016-01-06.json", content, declared=100
            )
        },
    )
    events, issues = read(archive)
    assert issues == [
        Issue(
            "channel #general, file 2016-01-06.json",
            "refused: the entry 'general/2016-01-06.json' holds more than the 100 bytes its "
            "header declares (a header that lies, as in a zip bomb); skipped",
        )
    ]
    assert len(events) == 8  # what the honest files hold: test_threads_mentions_dms_and_bots


def test_a_file_over_the_size_bound_is_an_issue_in_a_folder_and_in_a_zip(tmp_path):
    export = build(tmp_path / "export", files={"general/2016-01-06.json": BUSY_DAY[:200]})
    size = (export / "general/2016-01-06.json").stat().st_size
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for file in sorted(export.rglob("*")):
            if file.is_file():
                out.write(file, file.relative_to(export).as_posix())
    expected = Issue(
        "channel #general, file 2016-01-06.json",
        f"larger than {size - 1:,} bytes, the most one file of an export may hold to be "
        "read; skipped",
    )
    for path in (export, archive):
        records = list(read_slack_export(path, options=ReadOptions(), max_file_bytes=size - 1))
        assert [r for r in records if isinstance(r, Issue)] == [expected]
        assert len([r for r in records if isinstance(r, EventRecord)]) == 8

    users = (export / "users.json").stat().st_size
    with pytest.raises(FormatError, match=f"export: users.json is larger than {users - 1:,} bytes"):
        list(read_slack_export(export, options=ReadOptions(), max_file_bytes=users - 1))


# ------------------------------------------------------------------ damaged archives


def deflated_zip(export: Path) -> bytes:
    """The export folder as zip tools write it (deflated), in memory."""
    return good_zip(
        {
            file.relative_to(export).as_posix(): file.read_bytes()
            for file in sorted(export.rglob("*"))
            if file.is_file()
        }
    )


@pytest.mark.parametrize(
    ("how", "problem"),
    [("crc", "CRC mismatch"), ("deflate", "invalid compressed data: invalid block type")],
)
def test_a_damaged_daily_file_is_an_issue_naming_the_entry(tmp_path, how, problem):
    archive = tmp_path / "export.zip"
    archive.write_bytes(
        damage(deflated_zip(build(tmp_path / "export")), "DAB/2016-01-05.json", how)
    )
    events, issues = read(archive)
    assert issues == [
        Issue(
            "direct message DAB, file 2016-01-05.json",
            f"the entry 'DAB/2016-01-05.json' is damaged ({problem}); skipped",
        )
    ]
    # the other files are read: 8 events, less the one DM in the damaged file
    assert len(events) == 7 and "DAB:" + TS[1] not in {e.external_id for e in events}


@pytest.mark.parametrize("listing", ["users.json", "channels.json"])
def test_a_damaged_users_or_channels_file_is_a_format_error_naming_the_entry(tmp_path, listing):
    archive = tmp_path / "export.zip"
    archive.write_bytes(damage(deflated_zip(build(tmp_path / "export")), listing, "crc"))
    with pytest.raises(FormatError) as caught:
        read(archive)
    assert str(caught.value) == f"export.zip: the entry '{listing}' is damaged (CRC mismatch)"


def test_a_truncated_zip_is_called_truncated(tmp_path):
    archive = tmp_path / "export.zip"
    archive.write_bytes(
        damage(deflated_zip(build(tmp_path / "export")), "general/2016-01-05.json", "truncate")
    )
    with pytest.raises(FormatError) as caught:
        read(archive)
    assert str(caught.value) == (
        "export.zip: the zip archive is truncated: it ends before the list of its entries "
        "(an incomplete download or copy?)"
    )


# ------------------------------------------------------------------ ids that are not ids


def test_a_user_that_is_a_list_is_an_issue_not_a_person(tmp_path):
    """Exports written by other tools sometimes hold a list where Slack writes one id."""
    odd = [
        {"type": "message", "user": ["UBO"], "text": "<@UANN> hi", "ts": "1452100000.000001"},
        {"type": "message", "user": "UANN", "text": "<@UBO>", "ts": {"s": 1}},
        {
            "type": "message",
            "user": "UANN",
            "text": "re",
            "ts": "1452100000.000002",
            "thread_ts": "1400000000.000001",
            "parent_user_id": ["UCY", "UBO"],
        },
        {"type": "message", "user": "UANN", "text": "<@UBO> fine", "ts": 1452100000},
    ]
    export = build(
        tmp_path / "export",
        files={
            "general/2016-01-07.json": odd,
            "dms.json": [{"id": "DAB", "members": ["UANN", ["UBO"], 7]}],
        },
    )
    events, issues = read(export)
    where = "channel #general, file 2016-01-07.json, message"
    assert issues == [
        Issue(f"{where} 1", "its user is a list, not one id; message skipped"),
        Issue(f"{where} 2", "its ts is an object, not one id; message skipped"),
        Issue(f"{where} 3", "its parent_user_id is a list, not one id; message skipped"),
        Issue("file dms.json, entry 1", "2 of its members are not user ids; they were left out"),
    ]
    keys = {p.source_key for e in events for p in (e.sender, *e.recipients) if p is not None}
    assert keys <= {"slack:UANN", "slack:UBO", "slack:UCY", "slack:UBOT", "slack:B1"}
    # a ts written as a JSON number is still a timestamp
    assert "CGEN:1452100000" in {e.external_id for e in events}
    # the DM keeps its one real member: UBO's message in it goes to UANN
    [dm] = [e for e in events if e.external_id == "DAB:" + TS[1]]
    assert [r.source_key for r in dm.recipients] == ["slack:UANN"]
