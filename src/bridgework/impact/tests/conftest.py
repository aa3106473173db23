"""Helpers for the impact app's tests: a fresh event store per test, events written
by hand, a small organization with teams, and mentoring programs.

Every test gets its own DuckDB event store (``EVENT_STORE_PATH`` in a
temporary folder), so events written by one test never reach another, and
the caches of measures and of the tie graph are cleared around it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import pytest
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.models import Role
from bridgework.eventstore import get_event_store
from bridgework.impact.measures import measures_cache_clear
from bridgework.network.models import Tie
from bridgework.network.selectors import tie_graph_cache_clear
from bridgework.people.models import Organization

_ids = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_store(settings, tmp_path):
    settings.EVENT_STORE_PATH = tmp_path / "events.duckdb"
    settings.PRIVACY_MIN_GROUP_SIZE = 5
    measures_cache_clear()
    tie_graph_cache_clear()
    yield
    measures_cache_clear()
    tie_graph_cache_clear()


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def event(
    sender,
    *others,
    day: dt.date,
    channel: str = "meeting",
    minutes: int | None = 60,
    hour: int = 10,
) -> dict:
    """One event-store row: ``sender`` with ``others`` on ``day``."""
    return {
        "source": "test",
        "external_id": f"e{next(_ids)}",
        "occurred_at": at(day, hour),
        "channel": channel,
        "sender_id": sender.pk,
        "recipient_ids": [o.pk for o in others],
        "direction": "one_way" if channel in ("email", "chat") else "two_way",
        "duration_minutes": minutes if channel in ("meeting", "call", "other") else None,
    }


def write(*rows: dict) -> None:
    get_event_store().write_events(list(rows))
    measures_cache_clear()


def tie(a, b, strength: float, band: str = "regular") -> Tie:
    """A stored tie (for warm paths); ``band`` as the network app would name it."""
    low, high = sorted((a.pk, b.pk))
    tie_graph_cache_clear()
    return Tie.objects.create(
        person_a_id=low,
        person_b_id=high,
        strength=strength,
        band=band,
        trend="steady",
        explanation=f"{strength:.2f}: test tie",
        events=3,
        computed_at=timezone.now(),
    )


def today() -> dt.date:
    return timezone.localdate()


def days_ago(n: int) -> dt.date:
    return today() - dt.timedelta(days=n)


@dataclass
class Org:
    """Two teams of six (Alpha, Beta), a team of three (Gamma), a partner organization.

    ``mia`` (Alpha) is the member, ``max`` (Beta) her mentor, ``oscar``
    (Beta) another member, ``lea`` a leader without a person, ``pam`` a
    program manager (Beta).
    """

    alpha: object
    beta: object
    gamma: object
    partner: object
    mia: object
    max: object
    oscar: object
    lea: object
    pam: object
    alphas: list
    betas: list
    gammas: list
    partners: list


@pytest.fixture
def org(db) -> Org:
    alpha, beta, gamma = (factories.TeamFactory(name=n) for n in ("Alpha", "Beta", "Gamma"))
    partner = factories.OrganizationFactory(name="Lumen", kind=Organization.Kind.PARTNER)

    def user(name, username, team, roles):
        person = factories.PersonFactory(full_name=name, team=team)
        return factories.UserFactory(username=username, person=person, roles=roles)

    mia = user("Mia Member", "mia", alpha, [Role.MEMBER])
    max_ = user("Max Mentor", "max", beta, [Role.MEMBER, Role.MENTOR])
    oscar = user("Oscar Other", "oscar", beta, [Role.MEMBER])
    pam = user("Pam Manager", "pam", beta, [Role.MEMBER, Role.PROGRAM_MANAGER])
    lea = factories.UserFactory(username="lea", person=None, roles=[Role.LEADER])
    alphas = [mia.person] + [
        factories.PersonFactory(full_name=f"Alpha Person {i}", team=alpha) for i in range(5)
    ]
    betas = [max_.person, oscar.person, pam.person] + [
        factories.PersonFactory(full_name=f"Beta Person {i}", team=beta) for i in range(3)
    ]
    gammas = [factories.PersonFactory(full_name=f"Gamma Person {i}", team=gamma) for i in range(3)]
    partners = [
        factories.PersonFactory(
            full_name=f"Lumen Person {i}",
            organization=partner,
            engagement_type="partner",
            title="Partnerships Manager" if i == 0 else "Engineer",
        )
        for i in range(3)
    ]
    return Org(
        alpha=alpha,
        beta=beta,
        gamma=gamma,
        partner=partner,
        mia=mia,
        max=max_,
        oscar=oscar,
        lea=lea,
        pam=pam,
        alphas=alphas,
        betas=betas,
        gammas=gammas,
        partners=partners,
    )


def framework_version():
    from bridgework.mentoring.frameworks import default_framework
    from bridgework.mentoring.models import BehaviorFramework, FrameworkVersion

    version = FrameworkVersion.objects.order_by("id").first()
    if version is not None:
        return version
    content = default_framework()
    framework = BehaviorFramework.objects.create(
        name=content["name"], slug=content["slug"], is_default=True
    )
    return FrameworkVersion.objects.create(framework=framework, number=1, content=content)


def program(name: str, *, mentees=(), mentors=(), start: dt.date, end: dt.date | None = None):
    """A running cohort program with these people enrolled (mentors paired round robin)."""
    from bridgework.mentoring.models import Enrollment, MentoringRelationship, Program

    item = Program.objects.create(
        name=name,
        goal="Wider networks.",
        framework_version=framework_version(),
        kind=Program.Kind.COHORT,
        start_date=start,
        end_date=end or start + dt.timedelta(days=365),
        status=Program.Status.ACTIVE,
    )
    mentor_rows = [
        Enrollment.objects.create(program=item, person=p, role="mentor", capacity=10)
        for p in mentors
    ]
    for i, person in enumerate(mentees):
        row = Enrollment.objects.create(program=item, person=person, role="mentee")
        if mentor_rows:
            mentor = mentor_rows[i % len(mentor_rows)]
            MentoringRelationship.objects.create(
                program=item,
                mentee=person,
                mentor=mentor.person,
                mentee_enrollment=row,
                mentor_enrollment=mentor,
                status="active",
            )
    return item
