"""The suite runs on the database it was asked to run on."""

import os

import pytest
from django.db import connection

from bridgework.testsupport import require_postgresql


def test_backend_matches_request():
    wanted = os.environ.get("BRIDGEWORK_TEST_DATABASE_URL", "")
    expected = "postgresql" if wanted.startswith(("postgres", "postgresql")) else "sqlite"
    assert connection.vendor == expected


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_enforces_the_same_constraints():
    """Check constraints exist on the server too (CI runs this on PostgreSQL)."""
    require_postgresql(connection.vendor)
    from django.db import IntegrityError, transaction

    from bridgework import factories

    person = factories.PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.PersonSkillFactory(person=person, level=9)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_constraint WHERE conname = %s",
            ["relationship_closeness_1_to_5"],
        )
        assert cursor.fetchone()[0] == 1
