"""Shared fixtures of the cross-cutting tests: a real headless Chromium page."""

from __future__ import annotations

import os

import pytest
from django.db import connections

from bridgework.testsupport import CHROMIUM_FLAGS, require_chromium


@pytest.fixture
def browser_page():
    chromium = require_chromium()
    from playwright import sync_api

    # Playwright's sync API runs an event loop in this thread; the test itself
    # only touches the database between page actions, never concurrently.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
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
