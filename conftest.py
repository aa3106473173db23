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


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: per-login query counts
    (``network.limits``) must not carry over to a later test's login with the same id."""
    from django.core.cache import cache

    cache.clear()
