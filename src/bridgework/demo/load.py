"""Load the generated "Northwind Labs" demo organization into the database.

:func:`demo_load` writes what :func:`bridgework.core.demo.generate_demo_org`
builds, with bulk inserts in one transaction, and creates the six demo logins
(see :data:`bridgework.core.demo.DEMO_LOGINS`), all with the password
:data:`~bridgework.core.demo.DEMO_PASSWORD`. Its interactions are also written
to the event store, as logged interactions (source ``"app"``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from bridgework.accounts.models import AuditEntry, Role, User
from bridgework.analysis import services as analysis_services
from bridgework.core.demo import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    OUR_ORGANIZATION_NAME,
    DemoOrg,
    generate_demo_org,
)
from bridgework.core.demo.imports import demo_import_files
from bridgework.core.demo.phases import DEMO_PHASES
from bridgework.core.errors import InvalidInputError
from bridgework.impact.demo import demo_impact_load
from bridgework.interactions.demo import demo_introductions
from bridgework.interactions.models import (
    ImportRun,
    Interaction,
    InteractionParticipant,
    IntroductionRequest,
)
from bridgework.interactions.services import events_sync_from_app, import_run_execute, import_start
from bridgework.mentoring.demo import demo_mentoring_load
from bridgework.network.demo import demo_network_load
from bridgework.people.models import (
    MatchReview,
    Organization,
    Person,
    PersonEmail,
    PersonIdentity,
    PersonMerge,
    PersonSkill,
    Relationship,
    Skill,
    Team,
)

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_PHASES",
    "DemoSummary",
    "demo_is_loaded",
    "demo_load",
    "demo_logins",
]


DEMO_SOURCE = "demo"
_BATCH = 2000


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`demo_load` wrote, and the logins to try."""

    seed: int
    today: dt.date
    organizations: int
    teams: int
    skills: int
    people: int
    people_by_engagement: dict[str, int]
    emails: int
    person_skills: int
    interactions: int
    participants: int
    relationships: int
    logins: tuple[tuple[str, str], ...]
    seconds: float


def demo_load(
    *,
    seed: int = 7,
    today: dt.date | None = None,
    reset: bool = False,
    progress: Callable[[int, str], None] | None = None,
) -> DemoSummary:
    """Write the demo organization and its six logins to the database.

    ``progress(index, phase)`` is called as each of :data:`DEMO_PHASES` starts
    (index from 0), so a command line or page can show where loading is.

    Raises :class:`~bridgework.core.errors.InvalidInputError` if demo data (the
    "Northwind Labs" organization or a demo username) is already there, unless
    ``reset`` is true: then *all* people, organizations, teams, skills,
    interactions and relationships, and the demo users, are deleted first.
    Nothing is written when it raises.
    """
    started = time.perf_counter()
    step = _phase_reporter(progress)
    today = today or timezone.now().date()
    usernames = [username for _, username in DEMO_LOGINS]
    with transaction.atomic():
        found = _existing_demo_data(usernames)
        if found and not reset:
            raise InvalidInputError(
                f"Demo data is already loaded ({found}). Pass reset=True (--reset) to delete "
                "all people, organizations, teams, skills, interactions and relationships, "
                "and the demo users, then load the demo again.",
                errors={"reset": ["Demo data exists; pass reset to replace it."]},
            )
        step()
        if reset:
            _delete_network(usernames)
        org = generate_demo_org(seed=seed, today=today)
        counts = _write(org)
        AuditEntry.objects.create(
            actor=None,
            action=AuditEntry.Action.IMPORT,
            object_type="demo",
            object_id=f"seed-{seed}",
            detail={"seed": seed, "today": today.isoformat(), "reset": reset, "counts": counts},
        )
    # The demo interactions join the event store as logged ("app") events, as if
    # people had logged them one by one; events of interactions a reset deleted go first.
    step()
    events_sync_from_app()
    step()
    _run_demo_imports(org)
    # Two warm-introduction requests: one for the member to answer, one answered.
    step()
    demo_introductions(org.today)
    # Ties and nudges from all of the above, and a managed portfolio for the member.
    step()
    demo_network_load(member_username=org.login("member").username, today=today)
    # The organization's network analysis, so the leader and analyst pages show it.
    step()
    analysis_services.analysis_start(run_now=True)
    # A running mentoring program, then objectives, plans and outcomes on top of it.
    step()
    demo_mentoring_load(today=today)
    step()
    demo_impact_load(today=today)
    # Once more, so the stored analysis matches the ties after the mentors'
    # introductions and sessions (they recompute the ties they touch).
    step()
    analysis_services.analysis_start(run_now=True)
    return DemoSummary(
        seed=seed,
        today=today,
        organizations=counts["organizations"],
        teams=counts["teams"],
        skills=counts["skills"],
        people=counts["people"],
        people_by_engagement=dict(sorted(Counter(p.engagement_type for p in org.people).items())),
        emails=counts["emails"],
        person_skills=counts["person_skills"],
        interactions=counts["interactions"],
        participants=counts["participants"],
        relationships=counts["relationships"],
        logins=tuple((login.role, login.username) for login in org.logins),
        seconds=round(time.perf_counter() - started, 2),
    )


def _phase_reporter(progress: Callable[[int, str], None] | None) -> Callable[[], None]:
    """A function that reports the next of :data:`DEMO_PHASES` each time it is called."""
    phases = iter(enumerate(DEMO_PHASES))

    def step() -> None:
        index, phase = next(phases)
        if progress is not None:
            progress(index, phase)

    return step


def _run_demo_imports(org) -> None:
    """The member imports their calendar and LinkedIn connections, through the
    real import service and readers, so the import pages, the people those
    files introduce and a possible duplicate to review are there to see."""
    member = User.objects.get(username=org.login("member").username)
    files = demo_import_files(org)
    for format_name, file_name, content in (
        ("ics", "calendar.ics", files.calendar),
        ("linkedin", "Connections.csv", files.connections),
    ):
        run = import_start(
            actor=member,
            format=format_name,
            uploaded_files=[SimpleUploadedFile(file_name, content.encode())],
            origin=ImportRun.Origin.DEMO,
            enqueue=False,
        )
        import_run_execute(run_id=run.pk)


def demo_is_loaded() -> bool:
    """Whether the demo organization is in the database."""
    return Organization.objects.filter(name=OUR_ORGANIZATION_NAME).exists()


def demo_logins() -> list[tuple[str, str, str]]:
    """``(role label, username, person's name)`` for each demo login that exists."""
    labels = dict(Role.choices)
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[name for _, name in DEMO_LOGINS]).select_related(
            "person"
        )
    }
    logins = []
    for role, username in DEMO_LOGINS:
        user = users.get(username)
        if user is not None:
            name = user.person.full_name if user.person else ""
            logins.append((labels.get(role, role), username, name))
    return logins


def _existing_demo_data(usernames: list[str]) -> str:
    found = []
    if Organization.objects.filter(name=OUR_ORGANIZATION_NAME).exists():
        found.append(f"the organization {OUR_ORGANIZATION_NAME!r} exists")
    taken = sorted(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    if taken:
        found.append(f"users {', '.join(taken)} exist")
    return "; ".join(found)


def _delete_network(usernames: list[str]) -> None:
    # Children first, and self-references cut, so that PROTECTed parents
    # (team and skill trees) never block the delete.
    MatchReview.objects.all().delete()
    PersonMerge.objects.all().delete()
    PersonIdentity.objects.all().delete()
    ImportRun.objects.all().delete()
    IntroductionRequest.objects.all().delete()
    Relationship.objects.all().delete()
    InteractionParticipant.objects.all().delete()
    Interaction.objects.all().delete()
    PersonSkill.objects.all().delete()
    PersonEmail.objects.all().delete()
    User.objects.filter(username__in=usernames).delete()
    Team.objects.update(parent=None, lead=None)
    Person.objects.update(team=None, manager=None)
    try:
        Person.objects.all().delete()
    except ProtectedError as error:
        raise InvalidInputError(
            "Cannot reset the demo: other records still refer to people "
            f"({', '.join(sorted({type(o).__name__ for o in error.protected_objects}))})."
        ) from error
    Team.objects.all().delete()
    Skill.objects.update(parent=None)
    Skill.objects.all().delete()
    Organization.objects.all().delete()


def _write(org: DemoOrg) -> dict[str, int]:
    organizations = Organization.objects.bulk_create(
        Organization(
            name=o.name, kind=o.kind, email_domains=",".join(o.email_domains), website=o.website
        )
        for o in org.organizations
    )
    org_ids = {o.key: row.pk for o, row in zip(org.organizations, organizations, strict=True)}

    team_ids: dict[str, int] = {}
    for depth in sorted({t.depth for t in org.teams}):
        demo_teams = [t for t in org.teams if t.depth == depth]
        team_rows = Team.objects.bulk_create(
            Team(
                name=t.name,
                organization_id=org_ids[t.organization_key],
                parent_id=team_ids.get(t.parent_key) if t.parent_key else None,
                description=t.description,
            )
            for t in demo_teams
        )
        team_ids.update((t.key, row.pk) for t, row in zip(demo_teams, team_rows, strict=True))

    skill_ids: dict[str, int] = {}
    for is_category in (True, False):
        demo_skills = [s for s in org.skills if (s.parent_key is None) == is_category]
        skill_rows = Skill.objects.bulk_create(
            Skill(name=s.name, slug=s.key, parent_id=skill_ids.get(s.parent_key or ""))
            for s in demo_skills
        )
        skill_ids.update((s.key, row.pk) for s, row in zip(demo_skills, skill_rows, strict=True))

    people = Person.objects.bulk_create(
        (
            Person(
                introduced_by="demo",
                full_name=p.full_name,
                title=p.title,
                organization_id=org_ids.get(p.organization_key or ""),
                team_id=team_ids.get(p.team_key or ""),
                level=p.level,
                location=p.location,
                time_zone=p.time_zone,
                engagement_type=p.engagement_type,
                engagement_start=p.engagement_start,
                engagement_end=p.engagement_end,
                bio=p.bio,
            )
            for p in org.people
        ),
        batch_size=_BATCH,
    )
    person_ids = {p.key: row.pk for p, row in zip(org.people, people, strict=True)}
    managed = []
    for p, row in zip(org.people, people, strict=True):
        if p.manager_key:
            row.manager_id = person_ids[p.manager_key]
            managed.append(row)
    Person.objects.bulk_update(managed, ["manager"], batch_size=500)
    teams = list(Team.objects.filter(pk__in=team_ids.values()))
    lead_by_team_id = {team_ids[t.key]: t.lead_key for t in org.teams}
    for team in teams:
        lead_key = lead_by_team_id[team.pk]
        team.lead_id = person_ids[lead_key] if lead_key else None
    Team.objects.bulk_update(teams, ["lead"])

    emails = PersonEmail.objects.bulk_create(
        (
            PersonEmail(person_id=person_ids[p.key], address=address.lower(), is_primary=i == 0)
            for p in org.people
            for i, address in enumerate(p.emails)
        ),
        batch_size=_BATCH,
    )
    person_skills = PersonSkill.objects.bulk_create(
        (
            PersonSkill(
                person_id=person_ids[s.person_key],
                skill_id=skill_ids[s.skill_key],
                level=s.level,
                endorsed_by_id=person_ids[s.endorsed_by_key] if s.endorsed_by_key else None,
            )
            for s in org.person_skills
        ),
        batch_size=_BATCH,
    )

    users = _create_users(org, person_ids)
    # The demo user who took part logs the interaction; with several, the first in role order.
    logger_by_person = {login.person_key: users[login.role].pk for login in org.logins}
    role_rank = {login.person_key: rank for rank, login in enumerate(org.logins)}
    interactions = []
    for i in org.interactions:
        loggers = [k for k in i.participant_keys if k in logger_by_person]
        interactions.append(
            Interaction(
                channel=i.channel,
                occurred_at=i.occurred_at,
                duration_minutes=i.duration_minutes,
                logged_by_id=logger_by_person[min(loggers, key=role_rank.__getitem__)]
                if loggers
                else None,
                source=DEMO_SOURCE,
            )
        )
    Interaction.objects.bulk_create(interactions, batch_size=_BATCH)
    participants = InteractionParticipant.objects.bulk_create(
        (
            InteractionParticipant(interaction_id=row.pk, person_id=person_ids[key])
            for i, row in zip(org.interactions, interactions, strict=True)
            for key in i.participant_keys
        ),
        batch_size=_BATCH * 2,
    )
    declarer_by_person = {login.person_key: users[login.role].pk for login in org.logins}
    relationships = Relationship.objects.bulk_create(
        (
            Relationship(
                person_id=person_ids[r.person_key],
                other_id=person_ids[r.other_key],
                context=r.context,
                closeness=r.closeness,
                since=r.since,
                private_note=r.note,
                declared_by_id=declarer_by_person[r.person_key],
            )
            for r in org.relationships
        ),
        batch_size=_BATCH,
    )
    return {
        "organizations": len(organizations),
        "teams": len(team_ids),
        "skills": len(skill_ids),
        "people": len(people),
        "emails": len(emails),
        "person_skills": len(person_skills),
        "users": len(users),
        "interactions": len(interactions),
        "participants": len(participants),
        "relationships": len(relationships),
    }


def _create_users(org: DemoOrg, person_ids: dict[str, int]) -> dict[str, User]:
    """The six demo logins, each in its role's group and in "member"."""
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in Role.values}
    people = org.people_by_key()
    users: dict[str, User] = {}
    for login in org.logins:
        person = people[login.person_key]
        is_admin = login.role == Role.ADMIN
        user = User(
            username=login.username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=person.email,
            person_id=person_ids[login.person_key],
            is_staff=is_admin,
            is_superuser=is_admin,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.add(groups[login.role], groups[Role.MEMBER])
        users[login.role] = user
    return users
