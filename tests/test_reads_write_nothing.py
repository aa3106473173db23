"""Reading a page writes nothing: selectors read, services write.

Every page that takes no argument, and a profile, is opened by each demo
login on the demo organization; the SQL each request runs is captured and
any INSERT, UPDATE or DELETE fails the test, except the audit log (a look at
someone's data is recorded on purpose) and the login's own session.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bridgework.accounts.models import User

pytestmark = pytest.mark.django_db

#: Tables a GET may write to: the audit log of looks, and the session.
ALLOWED = {"accounts_auditentry", "django_session"}
WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)
#: Pages that answer a GET with work on purpose, or that end the session.
SKIP = {"accounts:logout"}


def _pages_without_arguments() -> list[str]:
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                if pattern.namespace in (None, "admin"):
                    continue
                walk(pattern.url_patterns, inner)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name
                and namespace
                and not pattern.pattern.regex.groupindex
            ):
                names.append(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return sorted(set(names) - SKIP)


def _detail_pages(user: User) -> list[str]:
    """The detail pages of what the demo holds: every login opens them all; a
    page they may not see answers 404, and must write nothing either."""
    from bridgework.impact.models import Objective, Outcome
    from bridgework.interactions.models import IntroductionRequest
    from bridgework.mentoring.models import (
        MentoringRelationship,
        MentoringSession,
        Program,
    )

    urls = []
    for name, model in (
        ("mentoring:program_detail", Program),
        ("mentoring:relationship_detail", MentoringRelationship),
        ("mentoring:session_detail", MentoringSession),
        ("impact:objective_detail", Objective),
        ("impact:outcome_detail", Outcome),
        ("impact:program_detail", Program),
        ("interactions:introduction_detail", IntroductionRequest),
    ):
        for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:2]:
            urls.append(reverse(name, args=[pk]))
    if user.person_id:
        urls.append(reverse("people:detail", args=[user.person_id]))
    return urls


def _writes(queries) -> list[str]:
    found = []
    for query in queries:
        match = WRITE.match(query["sql"])
        if match and match.group(2) not in ALLOWED:
            found.append(query["sql"][:160])
    return found


def test_no_page_writes_when_read(client):
    from bridgework.demo import demo_load

    demo_load(today=dt.date(2026, 11, 25))
    pages = _pages_without_arguments()
    assert {"people:home", "network:portfolio", "analysis:organization"} <= set(pages), pages
    assert len(pages) > 50
    offenders: dict[str, list[str]] = {}
    for user in User.objects.filter(
        username__in=["member", "mentor", "manager", "leader", "analyst", "admin"]
    ):
        client.force_login(user)
        urls = [reverse(name) for name in pages] + _detail_pages(user)
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code < 500, (user.username, url)
            if writes := _writes(queries.captured_queries):
                offenders[f"{user.username} GET {url}"] = writes
    assert offenders == {}


def test_the_write_detector_sees_writes():
    sql = [
        {"sql": 'INSERT INTO "mentoring_networksnapshot" ("person_id") VALUES (1)'},
        {"sql": 'UPDATE "network_nudge" SET "seen_at" = NULL'},
        {"sql": 'INSERT INTO "accounts_auditentry" ("actor_id") VALUES (1)'},
        {"sql": "SELECT 1"},
    ]
    assert len(_writes(sql)) == 2
