"""The Content-Security-Policy holds on real pages, in real headless Chromium.

Chromium is the judge: every page refused something it asked for (an inline
style, an inline script, an eval, a file from another host) shows up as a
console error or a ``securitypolicyviolation`` event, and ``browser_page``
(tests/conftest.py) fails the test on either. The journey signs in as each
demo role and opens every kind of page reachable from its menus.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from csp.utils import build_policy
from django.conf import settings

pytestmark = [pytest.mark.browser]

ROLES = ("member", "mentor", "manager", "leader", "analyst", "admin")
# Links that are not pages: downloads (a person's data too), JSON, leaving, and Django's own admin
# (its forms are Django's, visited once from the index only).
NOT_PAGES = re.compile(r"\.(csv|pdf|json)$|/export/$|/logout/|^/admin/.+|^/api/")
PAGES_PER_ROLE = 40


def _log_in(page, base: str, username: str) -> None:
    from bridgework.core.demo.generator import DEMO_PASSWORD

    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/")


def _kind(path: str) -> str:
    """One page of each kind: /people/12/ and /people/40/ are the same page."""
    return re.sub(r"\d+", "N", path)


def _links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    return [href for href in hrefs if href]


def _visit(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    policy = response.header_value("content-security-policy")
    assert policy, f"{url}: no Content-Security-Policy"
    if page.locator(".network-map").count():
        # Maps draw after their JSON arrives: wait, so what they do is seen too.
        page.wait_for_function(
            "() => window.bridgeworkMaps && window.bridgeworkMaps.length > 0"
            " && window.bridgeworkMaps.every(map => map.loaded)"
        )


@pytest.mark.django_db(transaction=True)
def test_every_role_sees_every_kind_of_page_without_breaking_the_policy(
    live_server, browser_page, page_problems
):
    from bridgework.demo import demo_load

    demo_load(today=dt.date.today())
    page = browser_page
    base = live_server.url
    seen: dict[str, list[str]] = {}
    for role in ROLES:
        _log_in(page, base, role)
        queue, kinds = [f"{base}/"], set()
        visited = []
        while queue and len(visited) < PAGES_PER_ROLE:
            url = queue.pop(0).split("#", 1)[0]
            parts = urlsplit(url)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if f"{parts.scheme}://{parts.netloc}" != base or NOT_PAGES.search(parts.path):
                continue
            if _kind(path) in kinds:
                continue
            kinds.add(_kind(path))
            _visit(page, url)
            visited.append(path)
            queue.extend(_links(page))
        seen[role] = visited
        print(role, len(visited), visited)  # which pages were checked, in the test's output
    # The crawl reached the pages each role works on (so the check covered them).
    assert {"/", "/network/", "/people/", "/mentoring/", "/impact/"} <= set(seen["member"])
    assert "/analysis/" in seen["leader"]
    assert "/analysis/people/" in seen["analyst"]
    assert any(p.startswith("/analysis/report.html") for p in seen["leader"]), seen["leader"]
    assert "/admin/" in seen["admin"]
    assert all(len(pages) >= 10 for pages in seen.values()), {r: len(p) for r, p in seen.items()}


def test_the_error_page_keeps_its_own_style_under_the_policy(browser_page, page_problems):
    """500.html must render with no static files; the policy allows its <style> by hash."""
    page = browser_page
    page_problems.expect("status of 500")  # the page is an error answer, on purpose
    html = (settings.PACKAGE_DIR / "templates" / "500.html").read_text(encoding="utf-8")
    page.route(
        "http://bridgework.test/oops",
        lambda route: route.fulfill(
            status=500,
            content_type="text/html",
            headers={"Content-Security-Policy": build_policy()},
            body=html,
        ),
    )
    page.goto("http://bridgework.test/oops")
    # header { background: #0e4f5c } from the page's own <style>, applied.
    colour = page.eval_on_selector("header", "h => getComputedStyle(h).backgroundColor")
    assert colour == "rgb(14, 79, 92)"


def test_the_guard_catches_a_page_that_breaks_the_policy(browser_page, page_problems):
    """The check the journeys rely on: an inline script and style are caught and reported."""
    page = browser_page
    page.route(
        "http://bridgework.test/bad",
        lambda route: route.fulfill(
            content_type="text/html",
            headers={"Content-Security-Policy": build_policy()},
            body='<!doctype html><title>x</title><link rel="icon" href="data:,">'
            '<p style="color: red">hi</p><script>document.title = "ran"</script>',
        ),
    )
    page.goto("http://bridgework.test/bad")
    assert page.title() == "x"  # the inline script did not run
    problems = page_problems.unexpected()
    assert any("script-src" in p for p in problems), problems
    assert any("style-src" in p for p in problems), problems
    page_problems.seen.clear()  # caught on purpose: the fixture itself must not fail
