"""Suite-wide setup (see ``bridgework.testsupport`` for component checks)."""

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _isolated_event_store(tmp_path_factory):
    """Every test gets an empty event store of its own."""
    previous = settings.EVENT_STORE_PATH
    settings.EVENT_STORE_PATH = tmp_path_factory.mktemp("events") / "events.duckdb"
    try:
        yield
    finally:
        settings.EVENT_STORE_PATH = previous
