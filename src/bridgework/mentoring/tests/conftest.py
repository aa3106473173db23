"""A small organization for the mentoring tests, and helpers to build a running program.

Ourco has three teams (Red, Blue, Green); Acme is a client. Mia (Red, the
mentee login) reports to Rita, Red's manager. Max (Blue, the mentor login)
has ties into Green and Acme; Nora (Green, another mentor) reaches Blue.
Pat is the program manager, Petra a colleague who may be asked for a peer
assessment, Oscar another member with nothing to do with the pair.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.models import Role
from bridgework.mentoring import services
from bridgework.network.models import Tie
from bridgework.network.selectors import tie_graph_cache_clear
from bridgework.people.models import Organization


def make_tie(a, b, strength: float, *, band: str = "regular") -> Tie:
    low, high = sorted((a.pk, b.pk))
    return Tie.objects.create(
        person_a_id=low,
        person_b_id=high,
        strength=strength,
        band=band,
        trend="steady",
        events=5,
        last_contact=timezone.now() - dt.timedelta(days=5),
        computed_at=timezone.now(),
    )


@dataclass
class Org:
    red: object
    blue: object
    green: object
    acme: object
    rita: object
    mia: object  # user: mentee
    max: object  # user: mentor
    nora: object  # user: mentor
    pat: object  # user: program manager
    petra: object  # user: peer
    oscar: object  # user: unrelated member
    gil: object  # person in Green
    ann: object  # person at Acme
    extra_mentees: list


@pytest.fixture(autouse=True)
def _fresh_tie_graph():
    tie_graph_cache_clear()
    yield
    tie_graph_cache_clear()


@pytest.fixture
def org(db, settings, tmp_path) -> Org:
    settings.DATA_DIR = tmp_path
    settings.PRIVACY_MIN_GROUP_SIZE = 5
    red, blue, green = (factories.TeamFactory(name=n) for n in ("Red", "Blue", "Green"))
    acme = factories.OrganizationFactory(name="Acme", kind=Organization.Kind.CLIENT)
    rita = factories.PersonFactory(full_name="Rita Red", team=red)

    def user(name, username, team, roles, **extra):
        person = factories.PersonFactory(full_name=name, team=team, **extra)
        return factories.UserFactory(username=username, person=person, roles=roles)

    mia = user("Mia Mentee", "mia", red, [Role.MEMBER], manager=rita)
    max_ = user("Max Mentor", "max", blue, [Role.MEMBER, Role.MENTOR])
    nora = user("Nora Mentor", "nora", green, [Role.MEMBER, Role.MENTOR])
    pat = user("Pat Manager", "pat", green, [Role.MEMBER, Role.PROGRAM_MANAGER])
    petra = user("Petra Peer", "petra", red, [Role.MEMBER])
    oscar = user("Oscar Other", "oscar", blue, [Role.MEMBER])
    gil = factories.PersonFactory(full_name="Gil Green", team=green)
    ann = factories.PersonFactory(full_name="Ann Acme", organization=acme)
    make_tie(max_.person, gil, 0.8, band="strong")
    make_tie(max_.person, ann, 0.6)
    make_tie(nora.person, oscar.person, 0.5)
    make_tie(mia.person, petra.person, 0.7, band="strong")
    extra = [factories.PersonFactory(full_name=f"Extra Mentee {i}", team=red) for i in range(4)]
    return Org(
        red=red,
        blue=blue,
        green=green,
        acme=acme,
        rita=rita,
        mia=mia,
        max=max_,
        nora=nora,
        pat=pat,
        petra=petra,
        oscar=oscar,
        gil=gil,
        ann=ann,
        extra_mentees=extra,
    )


@pytest.fixture
def program(org):
    """An active cohort program with enrollment open, started 60 days ago."""
    today = timezone.now().date()
    program = services.program_create(
        actor=org.pat,
        name="Relationship Builders",
        goal="Build the relationships our goals need.",
        start_date=today - dt.timedelta(days=60),
        end_date=today + dt.timedelta(days=120),
    )
    return services.program_set_enrollment(actor=org.pat, program=program, open=True)


@pytest.fixture
def enrolled(org, program):
    """Mia as a mentee wanting to grow two behaviors and needing Green and Acme; Max and
    Nora as mentors."""
    mentee = services.enrollment_create(
        actor=org.mia,
        program=program,
        role="mentee",
        goals="Win the Acme renewal.",
        behaviors_to_develop=["presenting_yourself", "reaching_beyond_your_circle"],
        self_levels={"presenting_yourself": 2, "reaching_beyond_your_circle": 2},
        needed_teams=[org.green],
        needed_organizations=[org.acme],
    )
    max_mentor = services.enrollment_create(
        actor=org.max,
        program=program,
        role="mentor",
        capacity=1,
        self_levels={"presenting_yourself": 5, "reaching_beyond_your_circle": 4},
    )
    nora_mentor = services.enrollment_create(
        actor=org.nora,
        program=program,
        role="mentor",
        capacity=1,
        self_levels={"presenting_yourself": 3, "reaching_beyond_your_circle": 3},
    )
    return {"mentee": mentee, "max": max_mentor, "nora": nora_mentor}


@pytest.fixture
def pair(org, program, enrolled):
    """Mia matched with Max, published."""
    run = services.matching_run(actor=org.pat, program=program)
    [relationship] = [
        r
        for r in services.matching_publish(actor=org.pat, run=run)
        if r.mentee_id == org.mia.person_id
    ]
    assert relationship.mentor_id == org.max.person_id
    relationship.refresh_from_db()
    return relationship
