"""Slack workspace exports: who wrote to whom in channels, threads and direct messages.

The input is the export folder, or the ``.zip`` Slack hands out (read in place,
one file at a time, nothing extracted; the export may sit in one top-level
folder inside the archive). A zip is first judged by
:func:`~bridgework.core.ingest.archive.inspect_zip` with
:data:`~bridgework.core.ingest.archive.DEFAULT_LIMITS` (a zip bomb is refused
with an :class:`~bridgework.core.ingest.archive.ArchiveRefused` before
anything is read), and each file is decompressed through
:func:`~bridgework.core.ingest.archive.entry_chunks`, which stops at the size
its header declares. Each JSON file is parsed whole, so none may be larger
than :data:`MAX_FILE_BYTES`. It holds:

* ``users.json`` -- members: ``id``, ``name``, ``real_name``, ``is_bot``,
  ``deleted``, ``profile.email``, ``profile.title``;
* ``channels.json`` -- public channels with their ``members``; and when the
  export includes them ``groups.json`` (private channels), ``dms.json`` (direct
  messages) and ``mpims.json`` (group direct messages);
* one folder per conversation (its ``name``, or its ``id`` for direct
  messages) with one ``YYYY-MM-DD.json`` array of messages per active day.

Each message a person (or bot) wrote becomes an
:class:`~bridgework.core.ingest.records.EventRecord` with ``channel="chat"``,
``direction="one_way"``, ``sender=Identity(source_key="slack:" + user id,
email, name, title)``, ``external_id = channel id + ":" + ts`` and, for
threaded messages, ``thread_id = channel id + ":" + thread_ts`` and (for
replies, ``thread_ts != ts``) ``reply_to`` the same parent id.

**Who the recipients are** -- the people the message was addressed to, not
everyone who could see it (a post to a channel of 500 is not 500 ties):

* direct and group direct messages: the conversation's other members;
* a thread reply: the thread's parent author and everyone who replied earlier
  in the thread (the parent author from ``parent_user_id`` when the parent is
  outside the export);
* a comment on a file (old exports' ``file_comment``): the file's owner;
* in every conversation: the users @-mentioned (``<@U…>``; ``@channel`` and
  ``@here`` are broadcasts and name no one).

The sender is never a recipient. **Broadcast posts are not ties**: a channel
message that is neither a reply nor a file comment and mentions no one has no
recipients, and is not yielded (it is counted in the reader's ``skipped``
counter as ``"broadcast"``).

Bots (``is_bot`` in ``users.json``, the ``USLACKBOT`` user, and any
``bot_message``, whose sender is ``"slack:" + bot_id`` when it has no user)
get ``Identity(automated=True)``. Only messages people wrote are read: no
subtype, ``bot_message``, ``me_message``, ``file_share``, ``file_comment``,
``file_mention``, ``thread_broadcast``; every other subtype (``channel_join``,
``channel_leave``, ``channel_topic``, ``pinned_item``, ``bot_add`` …) is a system
notice, skipped without an issue and counted as ``"system_notice"``.

**Message text is never kept**: it is scanned for ``<@U…>`` mentions and
dropped; no record or issue carries it.

Bad input: a daily file that is not valid JSON (or not an array) is one
``Issue("channel #general, file 2016-01-05.json", reason)``; a message
without a user or a ``ts``, or whose ``user`` (``ts``, ``thread_ts``,
``parent_user_id``, ``bot_id``) is a list or an object rather than one id, is
``Issue("channel #general, file 2016-01-05.json, message 3", reason)``; a
listed member that is not a user id is left out with an issue; a damaged
``groups.json``/``dms.json``/ ``mpims.json`` is an issue and its
conversations are skipped; a folder with daily files that no listing names
is an issue, and so is a daily file larger than :data:`MAX_FILE_BYTES`, or
damaged (or lying about its size) inside the zip (``the entry
'general/2016-01-05.json' is damaged (CRC mismatch); skipped``). A path that
is not an export (no ``users.json`` and ``channels.json``, either unreadable,
damaged or too large), and a zip cut short, raise
:class:`~bridgework.core.ingest.records.FormatError`.

``options.window`` keeps only messages posted inside it (the others are
counted as ``"outside_window"``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from bridgework.core.ingest.archive import (
    DEFAULT_LIMITS,
    ArchiveLimits,
    ArchiveRefused,
    DamagedEntry,
    entry_chunks,
    inspect_zip,
)
from bridgework.core.ingest.base import Reader, input_size
from bridgework.core.ingest.records import (
    EventRecord,
    FormatError,
    Identity,
    Issue,
    ReadOptions,
)

__all__ = [
    "READER",
    "MAX_FILE_BYTES",
    "MESSAGE_SUBTYPES",
    "read_slack_export",
    "mentioned_user_ids",
]

#: The largest JSON file of an export that is read (bytes, uncompressed); each is
#: parsed whole, so this bounds the memory one file can take.
MAX_FILE_BYTES = 64 << 20

#: Subtypes of messages people (or bots) wrote; every other subtype is a system notice.
MESSAGE_SUBTYPES = frozenset(
    {
        "",
        "bot_message",
        "me_message",
        "file_share",
        "file_comment",
        "file_mention",
        "thread_broadcast",
    }
)
_EXPECTED = "expected a Slack export folder (or .zip) with users.json and channels.json"
#: listing file -> how a conversation of that kind is named in issue positions
_LISTINGS = (
    ("channels.json", "channel"),
    ("groups.json", "private channel"),
    ("dms.json", "direct message"),
    ("mpims.json", "group message"),
)
_DAILY_FILE = re.compile(r"\d{4}-\d{2}-\d{2}\.json")
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def mentioned_user_ids(text: str) -> list[str]:
    """User ids @-mentioned in a message text, in order, without repeats.

    >>> mentioned_user_ids("hi <@U061A5N1G|neerajt> and <@U064KUGRJ>, <!channel> <@U061A5N1G>")
    ['U061A5N1G', 'U064KUGRJ']
    """
    return list(dict.fromkeys(_MENTION.findall(text)))


# ---------------------------------------------------------------- the export as files


class _TooLarge(Exception):
    """A file of the export larger than the reader's bound; the message says so."""


class _Export:
    """The files of an export, in a folder or a zip archive, by relative path.

    A zip is inspected (:func:`inspect_zip`) before anything else is read, and
    its files are read one at a time through :func:`entry_chunks`.
    """

    def __init__(self, path: Path, *, limits: ArchiveLimits, max_file_bytes: int):
        self.path = path
        self.max_file_bytes = max_file_bytes
        self._handle: BinaryIO | None = None
        self._infos: dict[str, zipfile.ZipInfo] = {}
        self._prefix = ""
        if path.is_dir():
            self._sizes = {
                file.relative_to(path).as_posix(): file.stat().st_size
                for file in path.rglob("*")
                if file.is_file()
            }
        elif path.is_file() and (path.suffix.lower() == ".zip" or zipfile.is_zipfile(path)):
            # a bomb is refused before anything is read; a zip cut short, or not a
            # zip at all under a .zip name, is a FormatError that says which
            inspect_zip(path, **asdict(limits))
            try:
                with zipfile.ZipFile(path) as bundle:
                    self._infos = {
                        info.filename: info for info in bundle.infolist() if not info.is_dir()
                    }
                self._handle = path.open("rb")
            except (OSError, zipfile.BadZipFile) as exc:
                raise FormatError(path, f"cannot read the archive ({exc}); {_EXPECTED}") from None
            # compressed sizes: progress is measured against the archive's size
            self._sizes = {name: info.compress_size for name, info in self._infos.items()}
            # the export may sit in one folder inside the archive
            roots = sorted(
                (name[: -len("users.json")] for name in self._sizes if name.endswith("users.json")),
                key=len,
            )
            for root in roots:
                if root + "channels.json" in self._sizes and (not root or root.endswith("/")):
                    self._prefix = root
                    break
        else:
            reason = "no such file or folder" if not path.exists() else "not a folder or a zip"
            raise FormatError(path, f"{reason}; {_EXPECTED}")

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()

    def exists(self, name: str) -> bool:
        return self._prefix + name in self._sizes

    def size(self, name: str) -> int:
        """Bytes the file takes in the input (compressed, in a zip)."""
        return self._sizes.get(self._prefix + name, 0)

    def read(self, name: str) -> bytes:
        """The file's bytes; :class:`_TooLarge` past ``max_file_bytes``, and in a zip
        :class:`ArchiveRefused` for an entry larger than declared or
        :class:`zipfile.BadZipFile` for a damaged one."""
        too_large = _TooLarge(
            f"larger than {self.max_file_bytes:,} bytes, the most one file of an export "
            "may hold to be read"
        )
        if self._handle is not None:
            info = self._infos[self._prefix + name]
            if info.file_size > self.max_file_bytes:
                raise too_large
            return b"".join(entry_chunks(self._handle, info, path=self.path))
        with (self.path / name).open("rb") as handle:
            data = handle.read(self.max_file_bytes + 1)
        if len(data) > self.max_file_bytes:
            raise too_large
        return data

    def daily_files(self) -> dict[str, list[str]]:
        """Folder name -> sorted ``YYYY-MM-DD.json`` names in it."""
        found: dict[str, list[str]] = {}
        for name in self._sizes:
            if not name.startswith(self._prefix):
                continue
            parts = PurePosixPath(name[len(self._prefix) :]).parts
            if len(parts) == 2 and _DAILY_FILE.fullmatch(parts[1]):
                found.setdefault(parts[0], []).append(parts[1])
        return {folder: sorted(files) for folder, files in sorted(found.items())}


# ---------------------------------------------------------------- conversations


@dataclass(frozen=True)
class _Conversation:
    id: str
    folder: str
    kind: str  # "channel", "private channel", "direct message", "group message"
    members: tuple[str, ...]

    @property
    def label(self) -> str:
        if self.kind in ("channel", "private channel"):
            return f"{self.kind} #{self.folder}"
        return f"{self.kind} {self.folder}"

    @property
    def is_direct(self) -> bool:
        return self.kind in ("direct message", "group message")


@dataclass(slots=True)
class _Message:
    """What a message leaves once its text is gone."""

    ts: str
    occurred_at: dt.datetime
    sender_key: str  # user id, or bot id for a bot_message without a user
    bot: bool
    bot_name: str
    thread_ts: str
    parent_user: str
    file_owner: str
    mentions: tuple[str, ...]


def _unreadable(name: str, exc: _TooLarge | zipfile.BadZipFile) -> str:
    """Why the file ``name`` of the export was not read: a damaged entry is named
    as the archive stores it (``the entry 'export/users.json' is damaged (CRC
    mismatch)``)."""
    if isinstance(exc, DamagedEntry):
        return str(exc)
    if isinstance(exc, zipfile.BadZipFile):
        return f"{name} is damaged in the archive ({exc})"
    return f"{name} is {exc}; {_EXPECTED}"


def _not_readable(path: Path, name: str, exc: _TooLarge | zipfile.BadZipFile) -> FormatError:
    """The error for a file the export cannot do without (users.json, channels.json)."""
    return FormatError(path, _unreadable(name, exc))


def _load_json(export: _Export, name: str) -> Any:
    return json.loads(export.read(name).decode("utf-8-sig"))


def _json_object(value: object) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def _json_list(value: object) -> list[Any]:
    """``value`` if it is a JSON array, else an empty one."""
    return value if isinstance(value, list) else []


def _json_text(value: object) -> str:
    """``value`` if it is a JSON string, else an empty one."""
    return value if isinstance(value, str) else ""


def _timestamp(ts: str) -> dt.datetime:
    seconds = Decimal(ts)
    if not seconds.is_finite() or seconds < 0:
        raise ValueError(ts)
    whole = int(seconds)
    micros = int((seconds - whole) * 1_000_000)
    return dt.datetime.fromtimestamp(whole, dt.UTC) + dt.timedelta(microseconds=micros)


def _identity(user: dict[str, Any]) -> Identity:
    profile = _json_object(user.get("profile"))
    user_id = _json_text(user.get("id"))
    name = (
        _json_text(user.get("real_name")).strip()
        or _json_text(profile.get("real_name")).strip()
        or _json_text(user.get("name")).strip()
    )
    return Identity(
        source_key=f"slack:{user_id}",
        email=_json_text(profile.get("email")).strip().lower(),
        name=name,
        title=_json_text(profile.get("title")).strip(),
        automated=bool(user.get("is_bot")) or user_id == "USLACKBOT",
    )


class _NotAnId(ValueError):
    """A field that must hold one id (a user, a bot, a timestamp) holds something else."""


def _json_kind(value: object) -> str:
    """What a JSON value is, for messages: ``a list``, ``an object``, ``a number``."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, bool):
        return "true or false"
    return "a number"


def _id(fields: dict[str, Any], name: str, *, numbers: bool = False) -> str:
    """The id in ``fields[name]`` (``""`` when missing or empty); :class:`_NotAnId`
    for a list, an object or another non-string (a number too, unless ``numbers``:
    a ``ts`` written as a JSON number is still a timestamp)."""
    value = fields.get(name)
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if numbers and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise _NotAnId(f"its {name} is {_json_kind(value)}, not one id; message skipped")


def _message(raw: Any) -> _Message | str | None:
    """The message's metadata, a reason it is unreadable, or ``None`` to skip it."""
    if not isinstance(raw, dict):
        return "not a message object"
    subtype = str(raw.get("subtype") or "")
    if subtype not in MESSAGE_SUBTYPES:
        return None
    try:
        return _message_fields(raw, subtype)
    except _NotAnId as exc:
        return str(exc)


def _message_fields(raw: dict[str, Any], subtype: str) -> _Message | str:
    ts = _id(raw, "ts", numbers=True)
    if not ts:
        return "message without a ts (timestamp)"
    try:
        occurred_at = _timestamp(ts)
    except (InvalidOperation, ValueError, OverflowError, OSError):
        return f"ts {ts[:30]!r} is not a Slack timestamp"
    user = _id(raw, "user")
    comment = _json_object(raw.get("comment"))
    if not user and subtype == "file_comment":
        user = _id(comment, "user")
    bot = subtype == "bot_message"
    sender_key = user or (_id(raw, "bot_id") if bot else "")
    if not sender_key:
        return "message without a user"
    file_info = _json_object(raw.get("file"))
    text = _json_text(raw.get("text"))
    return _Message(
        ts=ts,
        occurred_at=occurred_at,
        sender_key=sender_key,
        bot=bot,
        bot_name=_json_text(raw.get("username")) if bot else "",
        thread_ts=_id(raw, "thread_ts", numbers=True),
        parent_user=_id(raw, "parent_user_id"),
        file_owner=_id(file_info, "user") if subtype == "file_comment" else "",
        mentions=tuple(mentioned_user_ids(text)),
    )


def _recipients(
    message: _Message, conversation: _Conversation, thread: list[_Message], parent_user: str
) -> list[str]:
    """User ids the message was addressed to (see the module docs), never the sender."""
    ids: list[str] = []
    if conversation.is_direct:
        ids.extend(conversation.members)
    if message.thread_ts and message.thread_ts != message.ts:
        if parent_user:
            ids.append(parent_user)
        posted = _ts_key(message.ts)
        ids.extend(m.sender_key for m in thread if _ts_key(m.ts) < posted and m.ts != m.thread_ts)
    if message.file_owner:
        ids.append(message.file_owner)
    ids.extend(message.mentions)
    return [user_id for user_id in dict.fromkeys(ids) if user_id != message.sender_key]


def _ts_key(ts: str) -> Decimal:
    try:
        return Decimal(ts)
    except InvalidOperation:
        return Decimal(0)


def _conversation_events(
    conversation: _Conversation,
    messages: list[_Message],
    people: dict[str, Identity],
    *,
    options: ReadOptions,
    skipped: Counter[str],
) -> Iterator[EventRecord]:
    threads: dict[str, list[_Message]] = {}
    by_ts: dict[str, _Message] = {}
    for message in messages:
        by_ts.setdefault(message.ts, message)
        if message.thread_ts:
            threads.setdefault(message.thread_ts, []).append(message)
    for thread in threads.values():
        thread.sort(key=lambda m: _ts_key(m.ts))

    def person(user_id: str) -> Identity:
        return people.get(user_id) or Identity(source_key=f"slack:{user_id}")

    for message in messages:
        if not options.window.contains(message.occurred_at):
            skipped["outside_window"] += 1
            continue
        parent = by_ts.get(message.thread_ts)
        parent_user = parent.sender_key if parent is not None else message.parent_user
        recipient_ids = _recipients(
            message, conversation, threads.get(message.thread_ts, []), parent_user
        )
        if not recipient_ids:
            skipped["broadcast"] += 1  # a post to the channel: not a tie
            continue
        sender = person(message.sender_key)
        if message.bot:
            sender = dataclasses.replace(
                sender, automated=True, name=sender.name or message.bot_name
            )
        is_reply = bool(message.thread_ts) and message.thread_ts != message.ts
        yield EventRecord(
            external_id=f"{conversation.id}:{message.ts}",
            occurred_at=message.occurred_at,
            channel="chat",
            sender=sender,
            recipients=tuple(person(user_id) for user_id in recipient_ids),
            direction="one_way",
            reply_to=f"{conversation.id}:{message.thread_ts}" if is_reply else "",
            thread_id=f"{conversation.id}:{message.thread_ts}" if message.thread_ts else "",
        )


# ---------------------------------------------------------------- the reader


def _listings(export: _Export) -> Iterator[_Conversation | Issue]:
    for listing, kind in _LISTINGS:
        if not export.exists(listing):
            continue
        try:
            entries = _load_json(export, listing)
        except (ValueError, UnicodeDecodeError) as exc:
            if listing == "channels.json":
                raise FormatError(
                    export.path, f"channels.json is not valid JSON ({exc}); {_EXPECTED}"
                ) from None
            yield Issue(
                f"file {listing}", f"not valid JSON ({exc}); its conversations were skipped"
            )
            continue
        except (_TooLarge, zipfile.BadZipFile) as exc:
            if listing == "channels.json":
                raise _not_readable(export.path, listing, exc) from None
            reason = str(exc) if isinstance(exc, _TooLarge | DamagedEntry) else f"damaged ({exc})"
            yield Issue(f"file {listing}", f"{reason}; its conversations were skipped")
            continue
        if not isinstance(entries, list):
            if listing == "channels.json":
                raise FormatError(
                    export.path, f"channels.json is not a list of channels; {_EXPECTED}"
                )
            yield Issue(
                f"file {listing}", "not a list of conversations; its conversations were skipped"
            )
            continue
        for number, entry in enumerate(entries, start=1):
            where = f"file {listing}, entry {number}"
            if not isinstance(entry, dict) or not entry.get("id"):
                yield Issue(where, "a conversation without an id")
                continue
            if not isinstance(entry["id"], str):
                yield Issue(
                    where, f"the conversation's id is {_json_kind(entry['id'])}, not one id"
                )
                continue
            members = _json_list(entry.get("members"))
            member_ids = tuple(m for m in members if isinstance(m, str) and m)
            if len(member_ids) < len(members):
                yield Issue(
                    where,
                    f"{len(members) - len(member_ids):,} of its members are not user ids; "
                    "they were left out",
                )
            yield _Conversation(
                id=entry["id"],
                folder=_json_text(entry.get("name")) or entry["id"],
                kind=kind,
                members=member_ids,
            )


def read_slack_export(
    path: Path,
    *,
    options: ReadOptions,
    progress: Callable[[int], None] | None = None,
    skipped: Counter[str] | None = None,
    limits: ArchiveLimits = DEFAULT_LIMITS,
    max_file_bytes: int = MAX_FILE_BYTES,
) -> Iterator[EventRecord | Issue]:
    """Chat events from a Slack export folder or zip; see the module docs for the rules.

    ``skipped`` counts the messages left out on purpose, by reason: system
    notices (``"system_notice"``), posts outside ``options.window``
    (``"outside_window"``) and channel posts addressed to no one
    (``"broadcast"``). ``limits`` bound a zip
    (:func:`~bridgework.core.ingest.archive.inspect_zip`) and
    ``max_file_bytes`` each JSON file in it or in the folder.
    """
    skipped = skipped if skipped is not None else Counter()
    path = Path(path)
    export = _Export(path, limits=limits, max_file_bytes=max_file_bytes)
    try:
        if not (export.exists("users.json") and export.exists("channels.json")):
            raise FormatError(path, _EXPECTED)
        try:
            users = _load_json(export, "users.json")
        except (ValueError, UnicodeDecodeError) as exc:
            raise FormatError(path, f"users.json is not valid JSON ({exc}); {_EXPECTED}") from None
        except (_TooLarge, zipfile.BadZipFile) as exc:
            raise _not_readable(path, "users.json", exc) from None
        if not isinstance(users, list):
            raise FormatError(path, f"users.json is not a list of members; {_EXPECTED}")
        people = {
            user["id"]: _identity(user)
            for user in users
            if isinstance(user, dict) and isinstance(user.get("id"), str) and user["id"]
        }
        listed = list(_listings(export))  # raises before anything is yielded
        bytes_done = export.size("users.json")
        daily = export.daily_files()
        folders_seen: set[str] = set()
        for item in listed:
            if isinstance(item, Issue):
                yield item
                continue
            conversation = item
            if conversation.folder in folders_seen:
                continue
            folders_seen.add(conversation.folder)
            messages: list[_Message] = []
            for file_name in daily.get(conversation.folder, []):
                where = f"{conversation.label}, file {file_name}"
                member = f"{conversation.folder}/{file_name}"
                try:
                    day = _load_json(export, member)
                except (ValueError, UnicodeDecodeError) as exc:
                    yield Issue(where, f"not valid JSON ({exc})")
                    day = None
                except OSError as exc:
                    yield Issue(where, f"cannot read ({exc})")
                    day = None
                except _TooLarge as exc:
                    yield Issue(where, f"{exc}; skipped")
                    day = None
                except ArchiveRefused as exc:
                    yield Issue(where, f"{exc.expected}; skipped")
                    day = None
                except zipfile.BadZipFile as exc:  # a DamagedEntry names the entry
                    yield Issue(where, f"{exc}; skipped")
                    day = None
                bytes_done += export.size(member)
                if progress is not None:
                    progress(bytes_done)
                if day is None:
                    continue
                if not isinstance(day, list):
                    yield Issue(where, "not a list of messages")
                    continue
                for number, raw in enumerate(day, start=1):
                    outcome = _message(raw)
                    if isinstance(outcome, str):
                        yield Issue(f"{where}, message {number}", outcome)
                    elif outcome is None:
                        skipped["system_notice"] += 1
                    else:
                        messages.append(outcome)
            yield from _conversation_events(
                conversation, messages, people, options=options, skipped=skipped
            )
        for folder in daily:
            if folder not in folders_seen:
                yield Issue(
                    f"folder {folder}",
                    "daily message files of a conversation no listing "
                    "(channels.json, groups.json, dms.json, mpims.json) names; skipped",
                )
        if progress is not None:
            progress(input_size(path))
    finally:
        export.close()


READER = Reader(
    name="slack",
    label="Slack workspace export (folder or .zip)",
    produces="events",
    read=read_slack_export,
    folder=True,
    extensions=(".zip",),
    description=(
        "Chat messages from a Slack export: who replied to, mentioned or messaged whom "
        "directly, in channels, threads and direct messages. Message text is not kept."
    ),
)
