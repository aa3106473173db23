"""The embedded event store: a DuckDB file, exportable to Parquet.

Writes are idempotent (one row per ``(source, external_id)``; re-writing the
same events adds nothing) and atomic: :meth:`EventStore.session` runs a whole
import in one transaction, so an import that fails halfway leaves the store as
it was.

DuckDB lets one process at a time open a file for writing; the web app and the
task worker therefore open the store only for the duration of an operation,
and :class:`EventStore` waits (up to ``lock_timeout`` seconds) for the other
process to finish.

>>> import tempfile, datetime as dt, pathlib
>>> store = EventStore(pathlib.Path(tempfile.mkdtemp()) / "events.duckdb")
>>> row = dict(source="app", external_id="interaction:1",
...            occurred_at=dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.timezone.utc),
...            channel="meeting", sender_id=1, recipient_ids=[2, 3], direction="two_way",
...            duration_minutes=30)
>>> store.write_events([row]).inserted, store.write_events([row]).inserted
(1, 0)
>>> store.count()
1
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from bridgework.core.events.schema import EVENT_COLUMNS, EVENT_SCHEMA, TIE_COLUMNS, TIE_SCHEMA

__all__ = [
    "EventStore",
    "WriteResult",
    "StoreBusyError",
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


def _run(connection, sql: str, params=None) -> list:
    """Execute and consume the result (DuckDB wants results finished before the next call)."""
    result = connection.execute(sql, params) if params is not None else connection.execute(sql)
    return result.fetchall()


class StoreBusyError(RuntimeError):
    """Another process kept the event store locked for longer than the timeout."""


@dataclass(frozen=True)
class WriteResult:
    inserted: int
    duplicates: int


def _utc(moment):
    if moment is None or getattr(moment, "tzinfo", None) is None:
        raise ValueError(f"event time must be timezone-aware, got {moment!r}")
    return moment


def rows_to_event_table(rows: Iterable[Mapping]) -> pa.Table:
    """Build an events table from dicts; ``is_group`` defaults from the recipients."""
    columns: dict[str, list] = {name: [] for name in EVENT_COLUMNS}
    for row in rows:
        recipients = list(row.get("recipient_ids") or ())
        for name in EVENT_COLUMNS:
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


def rows_to_tie_table(rows: Iterable[Mapping]) -> pa.Table:
    columns: dict[str, list] = {name: [] for name in TIE_COLUMNS}
    for row in rows:
        for name in TIE_COLUMNS:
            value = row.get(name)
            if name == "metrics" and value is not None and not isinstance(value, str):
                value = json.dumps(dict(value), sort_keys=True)
            columns[name].append(value)
    return pa.Table.from_pydict(columns, schema=TIE_SCHEMA)


class EventStore:
    """The event store in one DuckDB file."""

    def __init__(self, path: Path | str, *, lock_timeout: float = 60.0):
        self.path = Path(path)
        self.lock_timeout = lock_timeout

    # -- connections -------------------------------------------------------------

    @contextlib.contextmanager
    def connect(self, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived connection, waiting while another process holds the lock."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if read_only and not self.path.exists():
            read_only = False  # create the file (and tables) on first use
        deadline = time.monotonic() + self.lock_timeout
        delay = 0.05
        while True:
            try:
                connection = duckdb.connect(str(self.path), read_only=read_only)
                break
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                    if "lock" in str(exc).lower():
                        raise StoreBusyError(
                            f"The event store {self.path} is busy (another import or "
                            f"recomputation holds it); try again shortly."
                        ) from exc
                    raise
                time.sleep(delay)
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

    def write_events(self, rows: pa.Table | Iterable[Mapping]) -> WriteResult:
        with self.session() as session:
            return session.add_events(rows)

    def write_ties(self, rows: pa.Table | Iterable[Mapping]) -> WriteResult:
        with self.session() as session:
            return session.add_ties(rows)

    def replace_events(self, *, source: str, rows: pa.Table | Iterable[Mapping]) -> int:
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
        return table.num_rows

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
            changed = _run(c, "SELECT count(*) FROM merge_undo WHERE merge_id = ?", [merge_id])[0][
                0
            ]
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
            restored = _run(c, "SELECT count(*) FROM merge_undo WHERE merge_id = ?", [merge_id])[0][
                0
            ]
            _run(c, "DELETE FROM merge_undo WHERE merge_id = ?", [merge_id])
            return restored

    # -- reads --------------------------------------------------------------------

    @staticmethod
    def _count(connection, table: str = "events") -> int:
        return _run(connection, f"SELECT count(*) FROM {table}")[0][0]

    def count(self, *, source: str | None = None, table: str = "events") -> int:
        if table not in ("events", "source_ties"):
            raise ValueError(f"unknown table {table!r}")
        with self.connect(read_only=True) as c:
            if source is None:
                return self._count(c, table)
            return _run(c, f"SELECT count(*) FROM {table} WHERE source = ?", [source])[0][0]

    def events(self, *, person_id: int | None = None, source: str | None = None) -> pa.Table:
        """Events as an Arrow table, optionally those involving one person or one source."""
        clauses, params = [], []
        if person_id is not None:
            clauses.append("(sender_id = ? OR list_contains(recipient_ids, ?))")
            params += [person_id, person_id]
        if source is not None:
            clauses.append("source = ?")
            params.append(source)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self.connect(read_only=True) as c:
            return c.sql(
                f"SELECT * FROM events {where} ORDER BY occurred_at, source, external_id",
                params=params,
            ).to_arrow_table()

    def ties(self) -> pa.Table:
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
                f"COPY (SELECT * FROM {table} ORDER BY source, external_id) TO ? (FORMAT parquet)",
                [str(path)],
            )
            return self._count(c, table)

    def import_parquet(self, path: Path | str) -> WriteResult:
        """Add the events of a Parquet file written by :meth:`export_parquet`."""
        path = Path(path)
        with self.connect(read_only=True) as c:
            try:
                table = c.sql(
                    f"SELECT {', '.join(EVENT_COLUMNS)} FROM read_parquet(?)", params=[str(path)]
                ).to_arrow_table()
            except duckdb.Error as exc:
                raise ValueError(
                    f"{path.name}: expected a Parquet file of Bridgework events ({exc})"
                ) from exc
        return self.write_events(table.cast(EVENT_SCHEMA))


class StoreSession:
    """Writes inside one transaction; see :meth:`EventStore.session`."""

    def __init__(self, connection: duckdb.DuckDBPyConnection):
        self.connection = connection

    def add_events(self, rows: pa.Table | Iterable[Mapping]) -> WriteResult:
        """Insert events whose ``(source, external_id)`` is not stored yet."""
        table = rows if isinstance(rows, pa.Table) else rows_to_event_table(rows)
        return self._insert("events", table)

    def add_ties(self, rows: pa.Table | Iterable[Mapping]) -> WriteResult:
        table = rows if isinstance(rows, pa.Table) else rows_to_tie_table(rows)
        return self._insert("source_ties", table)

    def _insert(self, target: str, table: pa.Table) -> WriteResult:
        if table.num_rows == 0:
            return WriteResult(0, 0)
        c = self.connection
        c.register("incoming", table)
        try:
            before = _run(c, f"SELECT count(*) FROM {target}")[0][0]
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
                """,
            )
            inserted = _run(c, f"SELECT count(*) FROM {target}")[0][0] - before
        finally:
            c.unregister("incoming")
        return WriteResult(inserted=inserted, duplicates=table.num_rows - inserted)
