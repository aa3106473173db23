"""Objectives and who may see them: lists, access checks, what an outcome may be linked to.

An objective is seen by its owner, by the people and teams it is shared with
(read-only), by the members of the team a team objective belongs to, by the
active participants of the program a program objective belongs to, and by
admins. Every look at someone else's objective is written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from bridgework.accounts import policies
from bridgework.accounts.guards import require, require_login
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.impact.models import Objective, ObjectiveShare, Stakeholder
from bridgework.impact.programs import manages_programs
from bridgework.impact.selectors._common import _forbid, _viewer_person, _visible_to
from bridgework.mentoring.models import Program
from bridgework.people.models import Person, Team

__all__ = [
    "ObjectiveLists",
    "objective_list",
    "access_objective",
    "access_share",
    "access_stakeholder",
    "objectives_for_outcomes",
    "share_candidates",
    "share_team_choices",
    "objective_program_choices",
    "viewer_team",
]


@dataclass(frozen=True)
class ObjectiveLists:
    """The viewer's objectives: their own, their team's and programs', and those shared
    with them."""

    mine: list[Objective]
    team: list[Objective]
    shared: list[Objective]


def _objectives() -> QuerySet[Objective]:
    return Objective.objects.select_related("owner", "team", "program").prefetch_related(
        "needed_skills", "needed_organizations"
    )


def objective_list(*, viewer: User) -> ObjectiveLists:
    """The viewer's own objectives, their team's, and the ones shared with them
    (a mentor sees what their mentees share), each newest plan first."""
    require_login(viewer)
    person = _viewer_person(viewer)
    if person is None:
        return ObjectiveLists(mine=[], team=[], shared=[])
    rank = {status: i for i, status in enumerate(Objective.Status.values)}
    visible = sorted(
        _objectives()
        .filter(pk__in=Objective.objects.filter(_visible_to(person)).values("pk"))
        .order_by("-started_on", "-id"),
        key=lambda o: rank.get(o.status, len(rank)),
    )
    mine = [o for o in visible if o.owner_id == person.pk]
    team = [
        o
        for o in visible
        if o.owner_id != person.pk
        and (o.scope == "program" or (o.scope == "team" and o.team_id == person.team_id))
    ]
    taken = {o.pk for o in mine + team}
    return ObjectiveLists(mine=mine, team=team, shared=[o for o in visible if o.pk not in taken])


def access_objective(*, viewer: User, objective_id: int, for_edit: bool = False) -> Objective:
    """One objective the viewer may read (``for_edit``: change, i.e. own).

    Reading someone else's (shared, their team's, or as an admin) is audited.
    """
    require_login(viewer)
    try:
        objective = _objectives().get(pk=int(objective_id))
    except (Objective.DoesNotExist, ValueError, TypeError):
        _forbid()
    own = viewer.person_id is not None and objective.owner_id == viewer.person_id
    if for_edit:
        require(own)
        return objective
    if own:
        return objective
    person = _viewer_person(viewer)
    allowed = Objective.objects.filter(_visible_to(person), pk=objective.pk).exists()
    require(allowed or policies.can_see_everyones_records(viewer))
    audit_record(
        actor=viewer,
        action=AuditEntry.Action.VIEW,
        object_type="objective",
        object_id=objective.pk,
        subject_person_id=objective.owner_id,
    )
    return objective


def access_share(*, viewer: User, share_id: int) -> ObjectiveShare:
    """A share of one of the viewer's own objectives."""
    require_login(viewer)
    try:
        return ObjectiveShare.objects.select_related("objective").get(
            pk=int(share_id), objective__owner_id=viewer.person_id
        )
    except (ObjectiveShare.DoesNotExist, ValueError, TypeError):
        _forbid()


def access_stakeholder(*, viewer: User, stakeholder_id: int) -> Stakeholder:
    """A stakeholder in one of the viewer's own plans."""
    require_login(viewer)
    try:
        return Stakeholder.objects.select_related("objective", "person").get(
            pk=int(stakeholder_id), objective__owner_id=viewer.person_id
        )
    except (Stakeholder.DoesNotExist, ValueError, TypeError):
        _forbid()


def objectives_for_outcomes(*, owner_id: int) -> list[Objective]:
    """Objectives an outcome of ``owner_id`` may be linked to: their own, their
    team's, and those of the programs they take part in."""
    team_id = Person.objects.filter(pk=owner_id).values_list("team_id", flat=True).first()
    q = Q(owner_id=owner_id) | Q(
        scope="program",
        program__enrollments__person_id=owner_id,
        program__enrollments__status="active",
    )
    if team_id is not None:
        q |= Q(scope="team", team_id=team_id)
    rank = {status: i for i, status in enumerate(Objective.Status.values)}
    return sorted(
        Objective.objects.filter(pk__in=Objective.objects.filter(q).values("pk")).order_by(
            "-started_on", "-id"
        ),
        key=lambda o: rank.get(o.status, len(rank)),
    )


def share_candidates(*, viewer: User, objective: Objective):
    """People an objective can be shared with: anyone in the directory but its
    owner (public profile fields only), for the share form."""
    access_objective(viewer=viewer, objective_id=objective.pk, for_edit=True)
    return (
        Person.objects.exclude(pk=objective.owner_id)
        .select_related("organization")
        .order_by("full_name", "id")
    )


def viewer_team(*, viewer: User) -> Team | None:
    """The viewer's own team (what a team objective belongs to), or ``None``."""
    require_login(viewer)
    if viewer.person_id is None:
        return None
    person = Person.objects.filter(pk=viewer.person_id).select_related("team").first()
    return person.team if person is not None else None


def share_team_choices(*, viewer: User, objective: Objective) -> QuerySet[Team]:
    """The team an objective can be shared with: its own team, or the viewer's."""
    access_objective(viewer=viewer, objective_id=objective.pk, for_edit=True)
    own = viewer_team(viewer=viewer)
    team_id = objective.team_id or (own.pk if own else None)
    return Team.objects.filter(pk=team_id) if team_id is not None else Team.objects.none()


def objective_program_choices(*, viewer: User) -> QuerySet[Program] | None:
    """Programs the viewer may set objectives for (program managers: every program
    not finished), or ``None`` for everyone else."""
    require_login(viewer)
    if not manages_programs(viewer):
        return None
    return Program.objects.exclude(status=Program.Status.FINISHED).order_by("name", "id")
