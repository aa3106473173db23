"""Response headers through the test client: Content-Security-Policy,
Permissions-Policy and ``Cache-Control: private, no-store`` on every page and
API answer, for every role and for strangers; static files keep their caching.

What a header must say comes from the specifications, not from the settings
under test: CSP Level 3 (a script source list without ``'unsafe-inline'``,
``'unsafe-eval'``, ``*``, ``data:`` or another host; ``frame-ancestors
'none'``), RFC 9111 (``no-store``: no cache may store the answer; ``private``:
no shared cache) and the Permissions Policy spec (``feature=()``: off for all).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bridgework import factories
from bridgework.accounts.models import Role

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parent.parent / "src" / "bridgework"


def csp_directives(header: str) -> dict[str, list[str]]:
    """A policy as {directive: sources} (CSP Level 3, "parse a serialized policy")."""
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            directives.setdefault(tokens[0].lower(), tokens[1:])
    return directives


def script_sources(directives: dict[str, list[str]]) -> list[str]:
    """Where scripts may come from: script-src, else default-src (the fallback)."""
    return directives.get("script-src", directives.get("default-src", ["*"]))


def assert_private_page_headers(response, what: str) -> None:
    policy = response.headers.get("Content-Security-Policy")
    assert policy, f"{what}: no Content-Security-Policy"
    directives = csp_directives(policy)
    scripts = script_sources(directives)
    assert scripts, what
    for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"):
        assert unsafe not in scripts, f"{what}: scripts may come from {unsafe}"
    assert all(s in ("'self'", "'none'") or s.startswith("'nonce-") for s in scripts), scripts
    styles = directives.get("style-src", directives.get("default-src"))
    assert styles is not None and "'unsafe-inline'" not in styles, what
    assert directives.get("default-src") == ["'self'"], what
    assert directives.get("object-src") == ["'none'"], what
    assert directives.get("frame-ancestors") == ["'none'"], what
    assert directives.get("base-uri") in (["'none'"], ["'self'"]), what

    permissions = response.headers.get("Permissions-Policy", "")
    features = dict(item.strip().split("=", 1) for item in permissions.split(",") if "=" in item)
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features.get(feature) == "()", f"{what}: {feature} is not off ({permissions!r})"

    cache = {
        d.strip().split("=")[0].lower()
        for d in response.headers.get("Cache-Control", "").split(",")
    }
    assert {"private", "no-store"} <= cache, (
        f"{what}: Cache-Control {response.headers.get('Cache-Control')!r}"
    )
    assert "public" not in cache, what


@pytest.fixture
def people(db):
    roles = {
        "member": [Role.MEMBER],
        "mentor": [Role.MEMBER, Role.MENTOR],
        "manager": [Role.MEMBER, Role.PROGRAM_MANAGER],
        "leader": [Role.MEMBER, Role.LEADER],
        "analyst": [Role.MEMBER, Role.PEOPLE_ANALYST],
        "admin": [Role.MEMBER, Role.ADMIN],
    }
    return {name: factories.UserFactory(username=f"h-{name}", roles=r) for name, r in roles.items()}


PAGES = [
    "/",
    "/people/",
    "/network/",
    "/network/expertise/",
    "/interactions/introductions/",
    "/mentoring/",
    "/impact/",
    "/analysis/",
    "/accounts/tokens/",
    "/api/people/",
    "/api/network/portfolio",
    "/api/openapi.json",
    "/no/such/page/",
]


def test_a_stranger_gets_the_headers_on_the_login_page_redirects_and_the_api(client):
    for url in ("/accounts/login/", "/", "/people/", "/api/people/", "/api/openapi.json"):
        response = client.get(url)
        assert response.status_code in (200, 302, 401), (url, response.status_code)
        assert_private_page_headers(response, f"stranger {url}")


@pytest.mark.parametrize("role", ["member", "mentor", "manager", "leader", "analyst", "admin"])
def test_every_role_gets_the_headers_on_pages_and_api_answers(client, people, role):
    client.force_login(people[role])
    for url in PAGES:
        response = client.get(url)
        assert response.status_code in (200, 302, 404), (role, url, response.status_code)
        assert_private_page_headers(response, f"{role} {url} ({response.status_code})")


def test_a_hostile_member_cannot_ask_the_answer_into_a_cache(client, people):
    """Request headers that ask for caching change nothing about the answer's."""
    client.force_login(people["member"])
    response = client.get(
        "/people/", headers={"Cache-Control": "max-age=3600, public", "Pragma": "cache"}
    )
    assert_private_page_headers(response, "member /people/ asking for caching")


def test_static_files_keep_their_caching_and_carry_no_page_headers(client):
    response = client.get("/static/admin/css/base.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert "max-age" in response.headers.get("Cache-Control", "")


def test_standalone_reports_may_not_run_any_script(client, people):
    client.force_login(people["member"])
    response = client.get("/impact/report.html?audience=personal")
    assert response.status_code == 200
    directives = csp_directives(response.headers["Content-Security-Policy"])
    assert directives["default-src"] == ["'none'"]
    assert "script-src" not in directives and "connect-src" not in directives
    assert directives["frame-ancestors"] == ["'none'"]
    assert "private" in response.headers["Cache-Control"]
    assert "no-store" in response.headers["Cache-Control"]


# Markup the pages' CSP refuses: inline <script> (without src), <style>
# elements, style="" attributes and on...="" event handlers.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
# Not app pages: e-mails (no CSP there), the two standalone reports (their own
# policy, bridgework.web.security) and the 500 page (its <style> allowed by hash).
NOT_PAGES = ("/email/", "analysis/report.html", "impact/report.html", "templates/500.html")


def test_no_template_has_inline_script_style_or_event_handler():
    offenders = []
    for template in sorted(TEMPLATES.rglob("templates/**/*.html")):
        relative = template.relative_to(TEMPLATES).as_posix()
        if any(part in relative for part in NOT_PAGES):
            continue
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            for pattern in (INLINE_SCRIPT, INLINE_STYLE, EVENT_HANDLER):
                if pattern.search(line):
                    offenders.append(f"{relative}:{number}: {line.strip()[:120]}")
    assert offenders == []
