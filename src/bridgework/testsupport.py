"""Helpers for tests that need a component a machine may lack.

On a developer's machine a missing PostgreSQL or Chromium skips those tests
with a clear reason; CI sets ``BRIDGEWORK_REQUIRE_ALL=1`` so the same absence
fails instead, and nothing is silently left untested there.
"""

from __future__ import annotations

import os

import pytest


def require_component(available: bool, reason: str) -> None:
    """Skip (or, under ``BRIDGEWORK_REQUIRE_ALL=1``, fail) unless ``available``."""
    if available:
        return
    message = f"missing component: {reason}"
    if os.environ.get("BRIDGEWORK_REQUIRE_ALL") == "1":
        pytest.fail(f"{message} (BRIDGEWORK_REQUIRE_ALL=1 turns this skip into a failure)")
    pytest.skip(message)
