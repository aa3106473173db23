"""The Maildir reader on Maildirs built in ``tmp_path`` from the sample files.

The same messages read from an mbox and from a Maildir must give the same
events (and external ids): the synthetic mailboxes of
``tests/data/mbox-exchange-synthetic`` are split into Maildirs here
with a plain loop (a line starting with ``From `` starts a message, ``>From ``
is unescaped), and the format samples are copied into ``cur/`` as they are.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from bridgework.core.ingest import reader
from bridgework.core.ingest.base import input_size
from bridgework.core.ingest.maildir import EXPECTED, message_files, read_maildir
from bridgework.core.ingest.mbox import read_mbox
from bridgework.core.ingest.records import EventRecord, FormatError, Issue
from bridgework.core.ingest.tests.test_mbox import (
    SAMPLE_ISSUES,
    SAMPLES,
    event,
    mailbox_files,
    mailbox_path,
    sample_files,
    write_sample_mbox,
)


def make_maildir(root: Path) -> Path:
    for name in ("cur", "new", "tmp"):
        (root / name).mkdir(parents=True, exist_ok=True)
    return root


def split_mbox_into_maildir(mbox: Path, root: Path) -> list[str]:
    """One file per message in ``root/cur``, named so that they sort in file order."""
    make_maildir(root)
    names = []
    messages = re.split(rb"(?m)^From [^\n]*\n", mbox.read_bytes())[1:]
    for number, message in enumerate(messages, 1):
        message = re.sub(rb"(?m)^>(>*From )", rb"\1", message)  # undo mboxrd escaping
        name = f"{1_000_000_000 + number}.M{number}P1.host:2,S"
        (root / "cur" / name).write_bytes(message)
        names.append(name)
    return names


def sample_maildir(root: Path) -> list[Path]:
    """The samples in ``cur/`` (in sorted order), with the file names they came from."""
    make_maildir(root)
    files = sample_files()
    for number, file in enumerate(files):
        (root / "cur" / f"{1_600_000_000 + number}.{file.stem}.host:2,S").write_bytes(
            file.read_bytes()
        )
    return files


@pytest.mark.parametrize("path", mailbox_files(), ids=lambda p: p.name)
def test_maildir_reads_like_the_mbox(tmp_path, path):
    names = split_mbox_into_maildir(path, tmp_path / "Maildir")
    from_maildir = list(read_maildir(tmp_path / "Maildir"))
    from_mbox = list(read_mbox(path))
    assert len(from_maildir) == len(from_mbox) == len(names)
    for name, a, b in zip(names, from_maildir, from_mbox, strict=True):
        if isinstance(b, Issue):
            assert a == Issue(f"file cur/{name}", b.reason)
        else:
            assert a == b


def test_samples_give_the_same_events_and_issues_as_in_an_mbox(tmp_path):
    files = sample_maildir(tmp_path / "Maildir")
    from_maildir = list(read_maildir(tmp_path / "Maildir"))
    from_mbox = list(read_mbox(write_sample_mbox(tmp_path / "s.mbox", files)))
    assert len(from_maildir) == len(files) == 64
    for number, (file, record, twin) in enumerate(zip(files, from_maildir, from_mbox, strict=True)):
        if file.name in SAMPLE_ISSUES:
            name = f"{1_600_000_000 + number}.{file.stem}.host:2,S"
            assert record == Issue(f"file cur/{name}", SAMPLE_ISSUES[file.name]), file.name
        else:
            assert isinstance(record, EventRecord) and record == twin, file.name


def test_layout_new_and_cur_subfolders_tmp_and_dotfiles(tmp_path):
    root = make_maildir(tmp_path / "Maildir")
    sent = make_maildir(root / ".Sent")
    nested = make_maildir(root / "Archive" / "2001")
    message = next(SAMPLES.glob("*/msg_01.txt")).read_bytes()
    other = next(SAMPLES.glob("*/msg_22.txt")).read_bytes()
    (root / "new" / "2.host").write_bytes(message)
    (root / "cur" / "1.host:2,S").write_bytes(other)
    (root / "tmp" / "3.host").write_bytes(message)  # delivery in progress: ignored
    (root / "cur" / ".DS_Store").write_bytes(b"\x00\x01")  # not a message: ignored
    (sent / "cur" / "4.host:2,S").write_bytes(message)
    (nested / "new" / "5.host").write_bytes(other)
    assert [p.relative_to(root).as_posix() for p in message_files(root)] == [
        "cur/1.host:2,S",
        "new/2.host",
        ".Sent/cur/4.host:2,S",
        "Archive/2001/new/5.host",
    ]
    records = list(read_maildir(root))
    assert [event(r).external_id for r in records] == [
        "a05001902b7f1c33773e9@[134.84.183.138]",  # msg_22.txt line 1
        "15090.61304.110929.45684@aaa.zzz.org",  # msg_01.txt line 1
        "15090.61304.110929.45684@aaa.zzz.org",
        "a05001902b7f1c33773e9@[134.84.183.138]",
    ]


def test_empty_and_unreadable_files_are_issues(tmp_path):
    root = make_maildir(tmp_path / "Maildir")
    (root / "cur" / "1.empty").write_bytes(b"")
    (root / "cur" / "2.ok").write_bytes(next(SAMPLES.glob("*/msg_01.txt")).read_bytes())
    locked = root / "cur" / "3.locked"
    locked.write_bytes(b"From: a@x.org\n")
    locked.chmod(0)
    try:
        records = list(read_maildir(root))
    finally:
        locked.chmod(0o600)
    assert records[0] == Issue("file cur/1.empty", "empty file")
    assert isinstance(records[1], EventRecord)
    if os.geteuid() == 0:  # root reads anything
        assert records[2] == Issue("file cur/3.locked", "no Date header")
    else:
        assert records[2] == Issue("file cur/3.locked", "cannot be read (Permission denied)")


def test_not_a_maildir(tmp_path):
    with pytest.raises(FormatError) as caught:
        read_maildir(tmp_path)  # raised at the call, before anything is yielded
    assert str(caught.value) == f"{tmp_path.name}: {EXPECTED}"
    with pytest.raises(FormatError, match="but it does not exist"):
        read_maildir(tmp_path / "missing")
    with pytest.raises(FormatError, match="but it is a file"):
        read_maildir(mailbox_path("velsabe-c.sent"))


def test_an_empty_maildir_is_empty(tmp_path):
    assert list(read_maildir(make_maildir(tmp_path / "Maildir"))) == []


def test_large_attachment_is_not_read(tmp_path):
    root = make_maildir(tmp_path / "Maildir")
    message = next(SAMPLES.glob("*/msg_01.txt")).read_bytes()
    (root / "cur" / "1.big").write_bytes(message + b"A" * 5_000_000)
    [record] = read_maildir(root)
    assert event(record).external_id == "15090.61304.110929.45684@aaa.zzz.org"


def test_progress_and_reimport(tmp_path):
    root = tmp_path / "Maildir"
    split_mbox_into_maildir(mailbox_path("velsabe-c.sent"), root)
    seen: list[int] = []
    first = list(read_maildir(root, progress=seen.append))
    assert seen == sorted(seen) and seen[-1] == input_size(root)
    assert [event(r).external_id for r in first] == [
        event(r).external_id for r in read_maildir(root)
    ]


def test_registered_reader():
    assert reader("maildir").folder and reader("maildir").read is read_maildir
