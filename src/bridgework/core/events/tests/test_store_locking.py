"""The store waits for, and then reports, a DuckDB file held by someone else.

The conflicts here are real: a second Python process opens the same DuckDB
file for writing and holds it, as the task worker does during an import. The
exception classes the store retries on were found this way (DuckDB 2.0:
``duckdb.IOException`` "Could not set lock on file ...", for both a read-only
and a read-write attempt), not read from its documentation.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from bridgework.core.events import store as store_module
from bridgework.core.events.store import EventStore, StoreBusyError

# Opens the file for writing, says so, and holds it until its stdin closes.
_HOLDER = (
    "import sys, duckdb\n"
    "connection = duckdb.connect(sys.argv[1])\n"
    "print('holding', flush=True)\n"
    "sys.stdin.read()\n"
    "connection.close()\n"
)


class Holder:
    """A second process holding the DuckDB file open for writing."""

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _HOLDER, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "holding"

    def release(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            self.process.wait(timeout=30)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "events.duckdb"
    EventStore(path).write_events([])  # create the file and its tables
    return path


@pytest.fixture
def holder(path: Path) -> Iterator[Holder]:
    held = Holder(path)
    try:
        yield held
    finally:
        held.release()
        if held.process.poll() is None:
            held.process.kill()


@pytest.mark.parametrize("operation", ["read", "write"])
def test_a_file_held_by_another_process_ends_in_store_busy(path, holder, operation):
    store = EventStore(path, lock_timeout=0.2)
    with pytest.raises(StoreBusyError, match="is busy") as caught:
        if operation == "read":
            store.count()
        else:
            store.write_events([])
    assert type(caught.value.__cause__) is duckdb.IOException
    assert str(path) in str(caught.value)


def test_the_store_waits_until_the_other_process_lets_go(path, holder, monkeypatch):
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        # The first wait proves the store met the lock; releasing it here makes
        # the next attempt succeed without depending on timing.
        waits.append(seconds)
        holder.release()

    clock = SimpleNamespace(monotonic=time.monotonic, sleep=sleep)
    monkeypatch.setattr(store_module, "time", clock)  # the store's clock only
    assert EventStore(path, lock_timeout=600).count() == 0
    assert len(waits) == 1 and holder.process.returncode == 0


def test_a_connection_of_this_process_with_other_settings_counts_as_busy(path):
    # DuckDB refuses a read-only connection while this process has the file open
    # for writing (a ConnectionException); it clears when that connection closes.
    store = EventStore(path, lock_timeout=0)
    with store.connect():
        with pytest.raises(StoreBusyError) as caught:
            store.count()
        assert type(caught.value.__cause__) is duckdb.ConnectionException
    assert store.count() == 0


def test_other_duckdb_errors_are_not_retried(path, monkeypatch):
    # Only the exception class decides: a message that mentions a lock is not enough.
    def connect(*args: object, **kwargs: object) -> duckdb.DuckDBPyConnection:
        raise duckdb.PermissionException("lock file: permission denied")

    def sleep(seconds: float) -> None:
        raise AssertionError("should not wait")

    monkeypatch.setattr(duckdb, "connect", connect)
    monkeypatch.setattr(
        store_module, "time", SimpleNamespace(monotonic=time.monotonic, sleep=sleep)
    )
    with pytest.raises(duckdb.PermissionException):
        EventStore(path).count()


def test_a_folder_in_place_of_the_file_fails_at_once(tmp_path):
    # DuckDB reports it with the same IOException class as a lock; without this
    # check the store would wait out its timeout before failing.
    with pytest.raises(IsADirectoryError, match="is a folder"):
        EventStore(tmp_path, lock_timeout=600).count()
