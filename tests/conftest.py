"""Shared fixtures of the cross-cutting tests: a real headless Chromium page
that fails its test on any JavaScript error, console error or breach of the
Content-Security-Policy."""

from __future__ import annotations

import os

import pytest
from django.db import connections

from bridgework.testsupport import CHROMIUM_FLAGS, require_chromium

# Runs in every document before its own scripts, whatever the page's CSP (an
# init script is not a page script): a violation is also reported to the
# console, in words that name the directive and what it blocked.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(
    `CSP violation: ${event.violatedDirective} refused ${event.blockedURI || "inline code"}` +
      ` (${event.sourceFile || document.location.href}:${event.lineNumber})`
  );
});
"""


class PageProblems:
    """Every JavaScript error, console error and CSP violation on the pages it watches.

    Chromium reports a CSP violation as a console error ("Refused to apply
    inline style ...") and, through the init script, as a
    ``securitypolicyviolation`` event; either fails the test. A test that
    provokes an error on purpose (a map whose JSON is missing) names it with
    :meth:`expect`.
    """

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._expected: list[str] = []

    def watch(self, page) -> None:
        page.add_init_script(_REPORT_CSP_VIOLATIONS)
        page.on("pageerror", lambda error: self.seen.append(f"uncaught error: {error}"))
        page.on(
            "console",
            lambda message: (
                self.seen.append(f"console error: {message.text} ({message.location})")
                if message.type == "error"
                else None
            ),
        )

    def expect(self, text: str) -> None:
        """Allow problems whose message contains ``text`` (an error the test provokes)."""
        self._expected.append(text)

    def unexpected(self) -> list[str]:
        return [seen for seen in self.seen if not any(text in seen for text in self._expected)]


@pytest.fixture
def page_problems():
    """A :class:`PageProblems`; the test fails if any unexpected problem was seen."""
    problems = PageProblems()
    yield problems
    unexpected = problems.unexpected()
    assert unexpected == [], "Errors or CSP violations on the page:\n" + "\n".join(unexpected)


@pytest.fixture
def browser_page(page_problems):
    chromium = require_chromium()
    from playwright import sync_api

    # Playwright's sync API runs an event loop in this thread; the test itself
    # only touches the database between page actions, never concurrently.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(15_000)
        page_problems.watch(page)
        try:
            yield page
        finally:
            browser.close()
            # While Playwright's loop runs, Django keeps this thread's database
            # connection in a separate context; close it here, or it outlives
            # the test and PostgreSQL cannot drop the test database.
            connections.close_all()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
