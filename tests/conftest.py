"""Shared fixtures of the cross-cutting tests: a real headless Chromium page."""

from __future__ import annotations

import os
import shutil

import pytest
from django.db import connections

from bridgework.testsupport import require_component

CHROMIUM = os.environ.get("BRIDGEWORK_CHROMIUM", "/usr/bin/chromium")
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


@pytest.fixture
def browser_page():
    require_component(
        os.path.exists(CHROMIUM) or shutil.which("chromium") is not None,
        "Chromium: install Debian's chromium and chromium-driver packages",
    )
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the test itself
    # only touches the database between page actions, never concurrently.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            browser.close()
            # While Playwright's loop runs, Django keeps this thread's database
            # connection in a separate context; close it here, or it outlives
            # the test and PostgreSQL cannot drop the test database.
            connections.close_all()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
