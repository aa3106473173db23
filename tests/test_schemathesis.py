"""A bounded schemathesis run over every API operation, as a member and as an admin.

Schemathesis (4.x, its Python API) reads ``/api/openapi.json``, generates
requests from it (boundary values included: integers past 64 bits where a
schema sets no maximum, nulls, empty lists, odd strings) and sends them
through the WSGI application in this process. Every answer must pass two
checks: ``not_a_server_error`` (no 5xx) and ``response_schema_conformance``
(the body fits the schema documented for its status, errors included).

The run is bounded and reproducible: ``EXAMPLES`` requests per operation and
role (``BRIDGEWORK_SCHEMATHESIS_EXAMPLES``, default 6), derandomized, no
shrinking, so it takes a minute or two and fails the same way twice.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from bridgework import factories
from bridgework.accounts.models import Role
from bridgework.accounts.services import api_token_create
from bridgework.people.models import Organization

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("BRIDGEWORK_SCHEMATHESIS_EXAMPLES", "6"))
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def same_connection():
    """Requests run inside the test's transaction, as the test client runs them.

    Django closes "old" connections around each request; here that would be the
    test's own connection, in the middle of its transaction.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(db):
    """A few rows for generated ids to find: people, a team, a skill, ties declared."""
    ours = factories.OrganizationFactory(name="Ourco", kind=Organization.Kind.OURS)
    team = factories.TeamFactory(name="Red", organization=ours)
    member = factories.UserFactory(username="mia", roles=[Role.MEMBER], person__team=team)
    admin = factories.UserFactory(username="ada", roles=[Role.ADMIN, Role.MEMBER])
    others = [factories.PersonFactory(team=team) for _ in range(3)]
    factories.PersonSkillFactory(person=member.person)
    factories.RelationshipFactory(person=member.person, other=others[0], declared_by=member)
    factories.InteractionFactory(people=[member.person, others[1]], logged_by=member)
    return {"member": member, "admin": admin}


def _runner(operation, headers: dict[str, str], statuses: set[int]):
    """A bounded, reproducible Hypothesis run of one operation with these headers."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def send(case):
        response = case.call(headers=headers)
        statuses.add(response.status_code)
        case.validate_response(response, checks=CHECKS)

    return send


def _operations(api_schema):
    for result in api_schema.get_all_operations():
        yield result.ok()


def test_no_input_gives_a_server_error_and_every_answer_fits_its_schema(same_connection, world):
    api_schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    failures: dict[str, str] = {}
    statuses: dict[str, set[int]] = {role: set() for role in world}
    operations = 0
    for operation in _operations(api_schema):
        operations += 1
        for role, user in world.items():
            # A fresh token each time: a generated DELETE /api/auth/tokens/{id} may revoke one.
            _token, raw = api_token_create(user=user, name="schemathesis")
            headers = {"Authorization": f"Bearer {raw}"}

            try:
                _runner(operation, headers, statuses[role])()
            except Exception as failure:  # noqa: BLE001 - every failure is collected and reported
                failures[f"{role}: {operation.label}"] = str(failure)[:2000]
    assert operations > 100, "the whole API was run"
    for role, seen in statuses.items():  # the tokens worked, and input was refused too
        assert {200, 201, 404, 422} <= seen, (role, sorted(seen))
    assert failures == {}, "\n\n".join(f"{k}\n{v}" for k, v in failures.items())
