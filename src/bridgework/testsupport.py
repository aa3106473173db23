"""Helpers for tests: sample files inside the repository, and components a
machine may lack.

Sample files live in ``tests/data/<dataset>/``, each folder with a SOURCE.md
(where it comes from, its licence, what it holds) and, for copied data, the
licence file. :func:`sample_path` is the one way a test reaches them, so a
fresh clone with nothing beside it has everything its tests read.

On a developer's machine a missing PostgreSQL or Chromium skips those tests
with a clear reason; CI sets ``BRIDGEWORK_REQUIRE_ALL=1`` so the same absence
fails instead, and nothing is silently left untested there.
:func:`require_component` is the only place a test may skip.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

__all__ = [
    "CHROMIUM_FLAGS",
    "SAMPLE_DATA",
    "require_chromium",
    "require_component",
    "require_pdf_renderer",
    "require_postgresql",
    "sample_path",
]

#: ``tests/data`` of the checkout this package runs from (src layout, editable install).
SAMPLE_DATA = Path(__file__).resolve().parents[2] / "tests" / "data"


def sample_path(*parts: str) -> Path:
    """The path of a sample file or folder under ``tests/data``.

    >>> sample_path("zachary-karate", "edges.csv").name
    'edges.csv'

    A missing sample is a broken checkout, not a missing component: it raises
    instead of skipping.
    """
    path = SAMPLE_DATA.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(
            f"sample data {path} is missing: tests read only files inside the repository "
            "(tests/data/<dataset>/, see its SOURCE.md)"
        )
    return path


def require_component(available: bool, reason: str) -> None:
    """Skip (or, under ``BRIDGEWORK_REQUIRE_ALL=1``, fail) unless ``available``."""
    if available:
        return
    message = f"missing component: {reason}"
    if os.environ.get("BRIDGEWORK_REQUIRE_ALL") == "1":
        pytest.fail(f"{message} (BRIDGEWORK_REQUIRE_ALL=1 turns this skip into a failure)")
    pytest.skip(message)


#: Flags for headless Chromium on a machine with no network but localhost.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> str:
    """The path of Debian's Chromium (``BRIDGEWORK_CHROMIUM`` to use another), or skip."""
    wanted = os.environ.get("BRIDGEWORK_CHROMIUM", "/usr/bin/chromium")
    found = wanted if os.path.exists(wanted) else shutil.which("chromium")
    require_component(
        found is not None,
        "Chromium for browser tests: install Debian's chromium and chromium-driver packages "
        "(sudo apt-get install chromium chromium-driver)",
    )
    assert found is not None
    return found


def require_pdf_renderer() -> None:
    """Skip unless WeasyPrint can load Pango, which PDF reports need."""
    try:
        import weasyprint  # noqa: F401 - loading it is the check
    except (ImportError, OSError):  # OSError: Pango's shared libraries not found
        available = False
    else:
        available = True
    require_component(
        available,
        "Pango for PDF reports: install Debian's libpango-1.0-0 and libpangoft2-1.0-0",
    )


def require_postgresql(vendor: str) -> None:
    """Skip unless the test database (``connection.vendor``) is PostgreSQL."""
    require_component(
        vendor == "postgresql",
        "PostgreSQL: set BRIDGEWORK_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bridgework",
    )
