"""A small organization with a known shape for the analysis app's tests.

Team A (6 people) and team B (6 people) are dense inside; A's Ada and B's Bo
are the only tie between them. Team C has 2 people (under the minimum group
size of 5), tied to B. Carl is a contractor in team A who also works with B.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.models import Role
from bridgework.analysis.services import analysis_start
from bridgework.network.models import Tie
from bridgework.people.models import EngagementType


@dataclass
class Org:
    a: list
    b: list
    c: list
    carl: object
    ada: object
    bo: object


def tie(x, y, strength: float = 0.5) -> Tie:
    low, high = sorted((x.pk, y.pk))
    return Tie.objects.create(
        person_a_id=low,
        person_b_id=high,
        strength=strength,
        band="regular",
        trend="steady",
        events=3,
        computed_at=timezone.now(),
    )


@pytest.fixture
def org(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.PRIVACY_MIN_GROUP_SIZE = 5
    teams = {name: factories.TeamFactory(name=name) for name in ("Alpha", "Beta", "Gamma")}
    a = [
        factories.PersonFactory(full_name=f"Alpha Person {i}", team=teams["Alpha"])
        for i in range(5)
    ]
    carl = factories.PersonFactory(
        full_name="Carl Contractor", team=teams["Alpha"], engagement_type=EngagementType.CONTRACTOR
    )
    a.append(carl)
    b = [
        factories.PersonFactory(full_name=f"Beta Person {i}", team=teams["Beta"]) for i in range(6)
    ]
    c = [
        factories.PersonFactory(full_name=f"Gamma Person {i}", team=teams["Gamma"])
        for i in range(2)
    ]
    for group in (a, b):
        for i, x in enumerate(group):
            for y in group[i + 1 :]:
                tie(x, y, 0.6)
    ada, bo = a[0], b[0]
    tie(ada, bo, 0.4)
    tie(carl, b[1], 0.3)
    tie(c[0], c[1], 0.7)
    tie(c[0], b[2], 0.2)
    return Org(a=a, b=b, c=c, carl=carl, ada=ada, bo=bo)


@pytest.fixture
def leader(db):
    return factories.UserFactory(username="lea", roles=[Role.LEADER], person=None)


@pytest.fixture
def ran(org):
    run = analysis_start(run_now=True)
    assert run.status == "succeeded", run.error
    return run
