"""The embedded event store: a DuckDB file, exportable to Parquet.

Writes are idempotent (one row per ``(source, external_id)``; re-writing the
same events adds nothing) and atomic: :meth:`EventStore.session` runs a whole
import in one transaction, so an import that fails halfway leaves the store as
it was.

DuckDB lets one process at a time open a file for writing; the web app and the
task worker therefore open the store only for the duration of an operation,
and :class:`EventStore` waits (up to ``lock_timeout`` seconds, fixed when the
store is made) for the other process to finish, then raises
:class:`StoreBusyError`.

>>> import tempfile, datetime as dt, pathlib
>>> store = EventStore(pathlib.Path(tempfile.mkdtemp()) / "events.duckdb")
>>> row = dict(source="app", external_id="interaction:1",
...            occurred_at=dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.timezone.utc),
...            channel="meeting", sender_id=1, recipient_ids=[2, 3], direction="two_way",
...            duration_minutes=30)
>>> store.write_events([row]).inserted, store.write_events([row]).inserted
(1, 0)
>>> store.count(), store.count_events(person_id=3), store.count_events(source="mbox")
(1, 1, 0)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from bridgework.core.events.schema import EVENT_COLUMNS, EVENT_SCHEMA, TIE_COLUMNS, TIE_SCHEMA

__all__ = [
    "EventStore",
    "PersonErasure",
    "Row",
    "StoreBusyError",
    "StoreSession",
    "WriteResult",
    "rows_to_event_table",
    "rows_to_tie_table",
]

_DDL = """
CREATE TABLE IF NOT EXISTS events (
    source VARCHAR NOT NULL,
    external_id VARCHAR NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    channel VARCHAR NOT NULL,
    sender_id BIGINT,
    recipient_ids BIGINT[] NOT NULL,
    direction VARCHAR NOT NULL,
    is_group BOOLEAN NOT NULL,
    duration_minutes INTEGER,
    reply_to VARCHAR,
    thread_id VARCHAR,
    import_id VARCHAR
);
CREATE TABLE IF NOT EXISTS source_ties (
    source VARCHAR NOT NULL,
    external_id VARCHAR NOT NULL,
    person_a BIGINT NOT NULL,
    person_b BIGINT NOT NULL,
    observed_on DATE,
    metrics VARCHAR,
    import_id VARCHAR
);
CREATE TABLE IF NOT EXISTS merge_undo (
    merge_id VARCHAR NOT NULL,
    tbl VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    external_id VARCHAR NOT NULL,
    sender_id BIGINT,
    recipient_ids BIGINT[],
    person_a BIGINT,
    person_b BIGINT
);
"""


#: One event or source tie as a mapping of column name to value (see ``schema``);
#: the Arrow schema checks the values when the rows become a table.
Row = Mapping[str, object]

#: What DuckDB raises when it cannot open the file because it is in use, found by
#: holding a store open in a second process (``tests/test_store_locking.py``):
#: another process's lock on the file gives an ``IOException`` ("Could not set
#: lock on file ..."), and a connection of this process opened with the other
#: ``read_only`` setting gives a ``ConnectionException``. Both clear once the
#: other connection closes, so the store waits and retries on them. DuckDB has
#: no narrower class for a lock: an unreadable file raises ``IOException`` too,
#: and is therefore retried until the timeout and reported as busy, with
#: DuckDB's error as the cause.
_IN_USE_ERRORS: tuple[type[duckdb.Error], ...] = (duckdb.IOException, duckdb.ConnectionException)


def _run(
    connection: duckdb.DuckDBPyConnection, sql: str, params: object = None
) -> list[tuple[Any, ...]]:
    """Execute and consume the result (DuckDB wants results finished before the next call)."""
    result = connection.execute(sql, params) if params is not None else connection.execute(sql)
    return result.fetchall()


def _count_of(connection: duckdb.DuckDBPyConnection, sql: str, params: object = None) -> int:
    """The single number a ``SELECT count(*) ...`` returns."""
    count = _run(connection, sql, params)[0][0]
    return int(count)


class StoreBusyError(RuntimeError):
    """The event store stayed in use by another connection for longer than the timeout."""


@dataclass(frozen=True)
class WriteResult:
    inserted: int
    duplicates: int


@dataclass(frozen=True)
class PersonErasure:
    """What :meth:`EventStore.erase_person` changed.

    ``people_affected`` are the other people of the changed events and source
    ties, by id: their ties are the ones to recompute.
    """

    events_deleted: int
    events_anonymised: int
    ties_deleted: int
    undo_rows_changed: int
    people_affected: tuple[int, ...]


def _utc(moment: object) -> dt.datetime:
    if not isinstance(moment, dt.datetime) or moment.tzinfo is None:
        raise ValueError(f"event time must be timezone-aware, got {moment!r}")
    return moment


def _ids(value: object) -> list[object]:
    """The recipient ids of a row as a list (none when missing)."""
    if value is None:
        return []
    if not isinstance(value, Iterable) or isinstance(value, str | bytes):
        raise TypeError(f"recipient_ids must be a list of person ids, got {value!r}")
    return list(value)


def rows_to_event_table(rows: Iterable[Row]) -> pa.Table:
    """Build an events table from dicts; ``is_group`` defaults from the recipients."""
    columns: dict[str, list[object]] = {name: [] for name in EVENT_COLUMNS}
    for row in rows:
        recipients = _ids(row.get("recipient_ids"))
        for name in EVENT_COLUMNS:
            value: object
            if name == "recipient_ids":
                value = recipients
            elif name == "is_group":
                value = row.get("is_group")
                value = len(recipients) > 1 if value is None else bool(value)
            elif name == "occurred_at":
                value = _utc(row.get("occurred_at"))
            else:
                value = row.get(name)
            columns[name].append(value)
    return pa.Table.from_pydict(columns, schema=EVENT_SCHEMA)


def rows_to_tie_table(rows: Iterable[Row]) -> pa.Table:
    """Build a source-ties table from dicts; ``metrics`` mappings are stored as JSON."""
    columns: dict[str, list[object]] = {name: [] for name in TIE_COLUMNS}
    for row in rows:
        for name in TIE_COLUMNS:
            value = row.get(name)
            if name == "metrics" and isinstance(value, Mapping):
                value = json.dumps(dict(value), sort_keys=True)
            columns[name].append(value)
    return pa.Table.from_pydict(columns, schema=TIE_SCHEMA)


class EventStore:
    """The event store in one DuckDB file.

    Parameters
    ----------
    path : pathlib.Path or str
        The DuckDB file; it and its folder are created on first use.
    lock_timeout : float, default 60
        Seconds to wait for a connection elsewhere to release the file before
        raising :class:`StoreBusyError` (pages use a short one). Both options
        are fixed at construction: ``path`` and ``lock_timeout`` are read-only.
    """

    __slots__ = ("_lock_timeout", "_path")

    def __init__(self, path: Path | str, *, lock_timeout: float = 60.0) -> None:
        if not (lock_timeout >= 0 and math.isfinite(lock_timeout)):
            raise ValueError(
                f"lock_timeout must be a finite number of seconds >= 0, not {lock_timeout!r}"
            )
        self._path = Path(path)
        self._lock_timeout = float(lock_timeout)

    @property
    def path(self) -> Path:
        """The DuckDB file."""
        return self._path

    @property
    def lock_timeout(self) -> float:
        """Seconds :meth:`connect` waits for the file before raising :class:`StoreBusyError`."""
        return self._lock_timeout

    def __repr__(self) -> str:
        return f"EventStore({str(self._path)!r}, lock_timeout={self._lock_timeout!r})"

    # -- connections -------------------------------------------------------------

    @contextlib.contextmanager
    def connect(self, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived connection, waiting while another connection holds the file.

        Raises
        ------
        StoreBusyError
            The file stayed in use for ``lock_timeout`` seconds; the DuckDB
            error is its ``__cause__``.
        """
        self._path.parent.mkdir(parents=True, exist_ok=True)
        if self._path.is_dir():  # DuckDB's IOException for it would be retried as a lock
            raise IsADirectoryError(f"the event store {self._path} is a folder, not a file")
        if read_only and not self._path.exists():
            read_only = False  # create the file (and tables) on first use
        deadline = time.monotonic() + self._lock_timeout
        delay = 0.05
        while True:
            try:
                connection = duckdb.connect(str(self._path), read_only=read_only)
                break
            except _IN_USE_ERRORS as exc:
                if time.monotonic() >= deadline:
                    raise StoreBusyError(
                        f"The event store {self._path} is busy (another import or "
                        f"recomputation holds it); try again shortly."
                    ) from exc  # DuckDB's own message, for the log
                time.sleep(min(delay, max(deadline - time.monotonic(), 0.0)))
                delay = min(delay * 2, 1.0)
        try:
            if not read_only:
                _run(connection, _DDL)
            yield connection
        finally:
            connection.close()

    @contextlib.contextmanager
    def session(self) -> Iterator[StoreSession]:
        """One atomic write session: everything in it commits together or not at all."""
        with self.connect() as connection:
            _run(connection, "BEGIN TRANSACTION")
            session = StoreSession(connection)
            try:
                yield session
            except BaseException:
                _run(connection, "ROLLBACK")
                raise
            _run(connection, "COMMIT")

    # -- writes ----------------------------------------------------------------

    def write_events(self, rows: pa.Table | Iterable[Row]) -> WriteResult:
        with self.session() as session:
            return session.add_events(rows)

    def write_ties(self, rows: pa.Table | Iterable[Row]) -> WriteResult:
        with self.session() as session:
            return session.add_ties(rows)

    def replace_events(self, *, source: str, rows: pa.Table | Iterable[Row]) -> int:
        """Insert or overwrite events of one source by external id (app interactions)."""
        table = rows if isinstance(rows, pa.Table) else rows_to_event_table(rows)
        with self.session() as session:
            session.connection.register("incoming", table)
            _run(
                session.connection,
                "DELETE FROM events WHERE source = ? AND external_id IN "
                "(SELECT external_id FROM incoming)",
                [source],
            )
            _run(session.connection, "INSERT INTO events SELECT * FROM incoming")
            session.connection.unregister("incoming")
        return int(table.num_rows)

    def delete_events(self, *, source: str, external_ids: Sequence[str]) -> int:
        if not external_ids:
            return 0
        with self.session() as session:
            before = self._count(session.connection)
            _run(
                session.connection,
                "DELETE FROM events WHERE source = ? AND list_contains(?, external_id)",
                [source, list(external_ids)],
            )
            return before - self._count(session.connection)

    def delete_import(self, import_id: str) -> int:
        """Remove everything one import wrote."""
        with self.session() as session:
            before = self._count(session.connection)
            _run(session.connection, "DELETE FROM events WHERE import_id = ?", [import_id])
            _run(session.connection, "DELETE FROM source_ties WHERE import_id = ?", [import_id])
            return before - self._count(session.connection)

    # -- people -------------------------------------------------------------------

    def reassign_person(self, *, drop_id: int, keep_id: int, merge_id: str) -> int:
        """Move every reference to ``drop_id`` onto ``keep_id``, remembering the old
        values under ``merge_id`` so :meth:`undo_reassign` can restore them.

        Returns the number of rows changed. A person never appears twice in one
        event: if both were in it, the merged person appears once; the
        recipients of changed events come back sorted by id.
        """
        with self.session() as session:
            c = session.connection
            _run(
                c,
                "INSERT INTO merge_undo SELECT ?, 'events', source, external_id, sender_id, "
                "recipient_ids, NULL, NULL FROM events "
                "WHERE sender_id = ? OR list_contains(recipient_ids, ?)",
                [merge_id, drop_id, drop_id],
            )
            _run(
                c,
                "INSERT INTO merge_undo SELECT ?, 'ties', source, external_id, NULL, NULL, "
                "person_a, person_b FROM source_ties WHERE person_a = ? OR person_b = ?",
                [merge_id, drop_id, drop_id],
            )
            changed = _count_of(c, "SELECT count(*) FROM merge_undo WHERE merge_id = ?", [merge_id])
            _run(
                c,
                """
                UPDATE events SET
                    sender_id = CASE WHEN sender_id = $drop THEN $keep ELSE sender_id END,
                    recipient_ids = list_sort(list_distinct(list_filter(
                        list_transform(recipient_ids, lambda r: CASE WHEN r = $drop THEN $keep ELSE r END),
                        lambda r: r IS DISTINCT FROM
                             (CASE WHEN sender_id = $drop THEN $keep ELSE sender_id END))))
                WHERE sender_id = $drop OR list_contains(recipient_ids, $drop)
                """,
                {"drop": drop_id, "keep": keep_id},
            )
            _run(
                c,
                "UPDATE source_ties SET "
                "person_a = CASE WHEN person_a = $drop THEN $keep ELSE person_a END, "
                "person_b = CASE WHEN person_b = $drop THEN $keep ELSE person_b END "
                "WHERE person_a = $drop OR person_b = $drop",
                {"drop": drop_id, "keep": keep_id},
            )
            return changed

    def undo_reassign(self, *, merge_id: str) -> int:
        """Restore the rows :meth:`reassign_person` changed under ``merge_id``."""
        with self.session() as session:
            c = session.connection
            _run(
                c,
                "UPDATE events SET sender_id = u.sender_id, recipient_ids = u.recipient_ids "
                "FROM merge_undo u WHERE u.merge_id = ? AND u.tbl = 'events' "
                "AND events.source = u.source AND events.external_id = u.external_id",
                [merge_id],
            )
            _run(
                c,
                "UPDATE source_ties SET person_a = u.person_a, person_b = u.person_b "
                "FROM merge_undo u WHERE u.merge_id = ? AND u.tbl = 'ties' "
                "AND source_ties.source = u.source AND source_ties.external_id = u.external_id",
                [merge_id],
            )
            restored = _count_of(
                c, "SELECT count(*) FROM merge_undo WHERE merge_id = ?", [merge_id]
            )
            _run(c, "DELETE FROM merge_undo WHERE merge_id = ?", [merge_id])
            return restored

    def erase_person(self, person_id: int, *, merge_ids: Sequence[str] = ()) -> PersonErasure:
        """Take a person out of the store for good (the right to erasure).

        * An event they sent one way (an e-mail, a chat post) is deleted: the
          message was theirs.
        * Any other event of theirs loses them: a meeting they organized keeps
          its attendees with no organizer (``sender_id`` NULL), an event they
          received loses them from its recipients (``is_group`` follows).
        * An event left with fewer than two people is deleted: it joins nobody.
        * Source ties naming them are deleted.
        * What merges kept to undo themselves (``merge_undo``) loses them the
          same way, so no undo can bring their id back; the rows of the merges
          ``merge_ids`` (whose records are deleted with the person) go entirely.

        Everything happens in one transaction. Applying it twice changes
        nothing more. The external ids of the events kept stay as they are:
        they are the source's, and re-reading the source must find the same
        event.

        >>> import tempfile, datetime as dt, pathlib
        >>> store = EventStore(pathlib.Path(tempfile.mkdtemp()) / "events.duckdb")
        >>> at = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.timezone.utc)
        >>> _ = store.write_events([
        ...     dict(source="app", external_id="m", occurred_at=at, channel="meeting",
        ...          sender_id=1, recipient_ids=[2, 3], direction="two_way"),
        ...     dict(source="mbox", external_id="e", occurred_at=at, channel="email",
        ...          sender_id=2, recipient_ids=[1], direction="one_way")])
        >>> store.erase_person(1)
        PersonErasure(events_deleted=1, events_anonymised=1, ties_deleted=0, undo_rows_changed=0, people_affected=(2, 3))
        >>> [(r["sender_id"], r["recipient_ids"]) for r in store.events().to_pylist()]
        [(None, [2, 3])]
        """
        person = int(person_id)
        involved = "(sender_id = $p OR list_contains(recipient_ids, $p))"
        left = (
            "(CASE WHEN sender_id IS NULL OR sender_id = $p THEN 0 ELSE 1 END"
            " + len(list_filter(recipient_ids, lambda r: r IS DISTINCT FROM $p)))"
        )
        gone = f"{involved} AND ((sender_id = $p AND direction = 'one_way') OR {left} < 2)"
        with self.session() as session:
            c = session.connection
            p = {"p": person}
            others = _run(
                c,
                f"""
                SELECT DISTINCT other FROM (
                    SELECT sender_id AS other FROM events WHERE {involved}
                    UNION ALL SELECT unnest(recipient_ids) FROM events WHERE {involved}
                    UNION ALL SELECT person_a FROM source_ties WHERE person_a = $p OR person_b = $p
                    UNION ALL SELECT person_b FROM source_ties WHERE person_a = $p OR person_b = $p
                ) WHERE other IS NOT NULL AND other <> $p ORDER BY other
                """,  # noqa: S608 - fixed SQL fragments; the person is a parameter
                p,
            )
            deleted = _count_of(c, f"SELECT count(*) FROM events WHERE {gone}", p)  # noqa: S608 - as above
            _run(c, f"DELETE FROM events WHERE {gone}", p)  # noqa: S608 - as above
            anonymised = _count_of(c, f"SELECT count(*) FROM events WHERE {involved}", p)  # noqa: S608 - as above
            _run(
                c,
                f"""
                UPDATE events SET
                    sender_id = CASE WHEN sender_id = $p THEN NULL ELSE sender_id END,
                    recipient_ids = list_filter(recipient_ids, lambda r: r IS DISTINCT FROM $p),
                    is_group = len(list_filter(recipient_ids, lambda r: r IS DISTINCT FROM $p)) > 1
                WHERE {involved}
                """,  # noqa: S608 - as above
                p,
            )
            ties = _count_of(
                c, "SELECT count(*) FROM source_ties WHERE person_a = $p OR person_b = $p", p
            )
            _run(c, "DELETE FROM source_ties WHERE person_a = $p OR person_b = $p", p)
            undo = {"p": person, "merges": [str(m) for m in merge_ids]}
            undo_gone = "list_contains($merges, merge_id) OR person_a = $p OR person_b = $p"
            changed = _count_of(
                c,
                f"SELECT count(*) FROM merge_undo WHERE {undo_gone} OR {involved}",  # noqa: S608 - as above
                undo,
            )
            _run(c, f"DELETE FROM merge_undo WHERE {undo_gone}", undo)  # noqa: S608 - as above
            _run(
                c,
                f"""
                UPDATE merge_undo SET
                    sender_id = CASE WHEN sender_id = $p THEN NULL ELSE sender_id END,
                    recipient_ids = list_filter(recipient_ids, lambda r: r IS DISTINCT FROM $p)
                WHERE {involved}
                """,  # noqa: S608 - as above
                p,
            )
            return PersonErasure(
                events_deleted=deleted,
                events_anonymised=anonymised,
                ties_deleted=ties,
                undo_rows_changed=changed,
                people_affected=tuple(int(row[0]) for row in others),
            )

    # -- reads --------------------------------------------------------------------

    @staticmethod
    def _count(connection: duckdb.DuckDBPyConnection, table: str = "events") -> int:
        return _count_of(connection, f"SELECT count(*) FROM {table}")  # noqa: S608 - our own table name

    def count(self, *, source: str | None = None, table: str = "events") -> int:
        """Rows of ``table`` (``"events"`` or ``"source_ties"``), optionally of one source."""
        if table not in ("events", "source_ties"):
            raise ValueError(f"unknown table {table!r}")
        with self.connect(read_only=True) as c:
            if source is None:
                return self._count(c, table)
            sql = f"SELECT count(*) FROM {table} WHERE source = ?"  # noqa: S608 - our own table name
            return _count_of(c, sql, [source])

    def count_events(self, *, person_id: int | None = None, source: str | None = None) -> int:
        """How many events :meth:`events` would return for the same filters, counted in SQL.

        >>> import tempfile, pathlib
        >>> EventStore(pathlib.Path(tempfile.mkdtemp()) / "e.duckdb").count_events(person_id=1)
        0
        """
        where, params = _event_filter(person_id=person_id, source=source)
        with self.connect(read_only=True) as c:
            sql = f"SELECT count(*) FROM events {where}"  # noqa: S608 - values are parameters
            return _count_of(c, sql, params)

    def events(self, *, person_id: int | None = None, source: str | None = None) -> pa.Table:
        """Events as an Arrow table, optionally those involving one person or one source."""
        where, params = _event_filter(person_id=person_id, source=source)
        with self.connect(read_only=True) as c:
            sql = f"SELECT * FROM events {where} ORDER BY occurred_at, source, external_id"  # noqa: S608 - as above
            return c.sql(sql, params=params).to_arrow_table()

    def ties(self) -> pa.Table:
        """The source ties as an Arrow table, by source and external id."""
        with self.connect(read_only=True) as c:
            return c.sql("SELECT * FROM source_ties ORDER BY source, external_id").to_arrow_table()

    # -- Parquet ------------------------------------------------------------------

    def export_parquet(self, path: Path | str, *, table: str = "events") -> int:
        """Write the events (or source ties) to a Parquet file; returns the row count."""
        if table not in ("events", "source_ties"):
            raise ValueError(f"unknown table {table!r}")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect(read_only=True) as c:
            _run(
                c,
                f"COPY (SELECT * FROM {table} ORDER BY source, external_id) TO ? (FORMAT parquet)",  # noqa: S608 - our own table name
                [str(path)],
            )
            return self._count(c, table)

    def import_parquet(self, path: Path | str) -> WriteResult:
        """Add the events of a Parquet file written by :meth:`export_parquet`."""
        path = Path(path)
        with self.connect(read_only=True) as c:
            try:
                table = c.sql(
                    f"SELECT {', '.join(EVENT_COLUMNS)} FROM read_parquet(?)",  # noqa: S608 - our column names
                    params=[str(path)],
                ).to_arrow_table()
            except duckdb.Error as exc:
                raise ValueError(
                    f"{path.name}: expected a Parquet file of Bridgework events ({exc})"
                ) from exc
        return self.write_events(table.cast(EVENT_SCHEMA))


def _event_filter(*, person_id: int | None, source: str | None) -> tuple[str, list[object]]:
    """The ``WHERE`` clause and parameters shared by :meth:`EventStore.events` and
    :meth:`EventStore.count_events`: events involving ``person_id`` (as sender or
    recipient) and from ``source``; no clause for a filter left at None."""
    clauses: list[str] = []
    params: list[object] = []
    if person_id is not None:
        clauses.append("(sender_id = ? OR list_contains(recipient_ids, ?))")
        params += [person_id, person_id]
    if source is not None:
        clauses.append("source = ?")
        params.append(source)
    return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params


class StoreSession:
    """Writes inside one transaction; see :meth:`EventStore.session`."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self.connection = connection

    def add_events(self, rows: pa.Table | Iterable[Row]) -> WriteResult:
        """Insert events whose ``(source, external_id)`` is not stored yet."""
        table = rows if isinstance(rows, pa.Table) else rows_to_event_table(rows)
        return self._insert("events", table)

    def add_ties(self, rows: pa.Table | Iterable[Row]) -> WriteResult:
        table = rows if isinstance(rows, pa.Table) else rows_to_tie_table(rows)
        return self._insert("source_ties", table)

    def _insert(self, target: str, table: pa.Table) -> WriteResult:
        if table.num_rows == 0:
            return WriteResult(0, 0)
        c = self.connection
        c.register("incoming", table)
        try:
            before = _count_of(c, f"SELECT count(*) FROM {target}")  # noqa: S608 - our own table name
            # Anti-join instead of a primary key: DuckDB updates rows of indexed
            # tables as delete+insert, which merges (updates) would trip over.
            _run(
                c,
                f"""
                INSERT INTO {target}
                SELECT * FROM (
                    SELECT DISTINCT ON (source, external_id) * FROM incoming
                ) AS i
                WHERE NOT EXISTS (
                    SELECT 1 FROM {target} t
                    WHERE t.source = i.source AND t.external_id = i.external_id
                )
                """,  # noqa: S608 - our own table name
            )
            inserted = _count_of(c, f"SELECT count(*) FROM {target}") - before  # noqa: S608 - our own table name
        finally:
            c.unregister("incoming")
        return WriteResult(inserted=inserted, duplicates=int(table.num_rows) - inserted)
