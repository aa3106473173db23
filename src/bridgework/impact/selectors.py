"""Reads of the impact app; every one takes the viewer and applies the privacy rules.

* Objectives, plans and outcomes belong to their owner. They are seen by the
  owner, by the people and teams an objective is shared with (read-only), by
  the members of the team a team objective belongs to, and by admins. Every
  look at someone else's objective or outcome is written to the audit log. A
  missing object and one the viewer may not see raise the same
  :class:`~bridgework.core.errors.NotFoundError`.
* Warm paths in a plan come from
  :func:`~bridgework.interactions.selectors.introduction_paths`, so they obey
  its rule: of every hop after the first, only the next person's name and a
  coarse word for the tie. Only the owner sees them (paths start at the viewer).
* Other people's network metrics (betweenness, PageRank of the latest
  analysis) only *rank* proposed stakeholders; no value is ever shown.
* Return on impact by team and program (:func:`group_dashboard`) is for
  :func:`~bridgework.accounts.policies.can_view_impact_by_group`: aggregates
  only, every group shown on the page passed together through
  :func:`~bridgework.core.privacy.groups.disclosure_safe_groups` with the
  page's population, no names.

How each number is computed: ``docs/impact-app.md`` and ``docs/impact.md``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.core.impact.attribution import METHODS, Attribution, round_credit
from bridgework.core.impact.indicators import (
    TIE_THRESHOLD,
    GroupReach,
    group_reach,
    introduction_counts,
    new_ties,
)
from bridgework.core.impact.progress import (
    PlanProgress,
    RelationshipPlan,
    StakeholderProgress,
    plan_progress,
)
from bridgework.core.impact.progress import Stakeholder as PlanStakeholder
from bridgework.core.impact.records import UNITS, Interaction, Relationship
from bridgework.core.impact.roi import (
    GiveGet,
    ReturnOnImpact,
    TrendPoint,
    give_get_balance,
    invested_hours,
    return_on_impact,
    trend,
)
from bridgework.core.privacy.groups import SafeGroups, disclosure_safe_groups
from bridgework.impact import measures
from bridgework.impact.credit import OUTCOME_PREFETCH, attributions, credited
from bridgework.impact.models import Objective, ObjectiveShare, Outcome, Stakeholder
from bridgework.people.models import WORKFORCE_ENGAGEMENTS, Person, PersonSkill, Skill

__all__ = [
    "TREND_MONTHS",
    "ObjectiveLists",
    "PlanRow",
    "PlanView",
    "MethodColumn",
    "AttributionView",
    "PersonalReturn",
    "RelationshipReturn",
    "GroupRow",
    "GroupDashboard",
    "objective_list",
    "access_objective",
    "access_share",
    "access_stakeholder",
    "objectives_for_outcomes",
    "objective_plan",
    "plan_proposals",
    "objective_return",
    "outcome_list",
    "access_outcome",
    "outcome_attribution",
    "outcome_link_choices",
    "personal_return",
    "group_dashboard",
    "window",
    "strength_word",
]

#: Return on impact looks back this many months by default.
TREND_MONTHS = 12
#: At most this many stakeholders are proposed at once (targets, then influencers).
PROPOSED_TARGETS = 6
PROPOSED_INFLUENCERS = 3
#: Default target tie strength for a proposed stakeholder: the floor of the "regular" band.
DEFAULT_TARGET = 0.35
#: People's relationships listed on the personal return page.
RELATIONSHIPS_SHOWN = 25

_METHOD_WORDS = {
    "declared": "Declared by the owner",
    "first_touch": "First touch",
    "last_touch": "Last touch",
    "shapley": "Shapley split",
}
_METHOD_EXPLANATIONS = {
    "declared": "The owner said how much each person contributed; the shares are scaled to add up "
    "to the value. A judgement: it can capture what no record shows, and it is as biased "
    "as any judgement.",
    "first_touch": "All the credit goes to the relationship used first on the paths to the "
    "result (the first hop: who opened the door). Relationships first used on the same day "
    "share it equally.",
    "last_touch": "All the credit goes to the relationship used last (who closed the deal). "
    "Relationships last used on the same day share it equally.",
    "shapley": "The fair split from game theory: add the relationships one by one in every "
    "possible order; each gets the share of orders in which it completes the first whole "
    "path to the result. A direct route is worth more than one that needs two relationships "
    "to hold; relationships playing the same part get the same.",
}


def _forbid() -> None:
    raise NotFoundError("Not found.")


def _require_login(viewer: User | None) -> None:
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        _forbid()


def _today() -> dt.date:
    return timezone.localdate()


def window(*, months: int = TREND_MONTHS, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """``(start, end)``: the first day of the month ``months - 1`` months back, and today."""
    today = today or _today()
    year, month = today.year, today.month - (months - 1)
    while month < 1:
        month += 12
        year -= 1
    return dt.date(year, month, 1), today


def strength_word(strength: float | None) -> str:
    """``strong``, ``regular``, ``occasional`` or ``none`` for a tie of the viewer's own."""
    from bridgework.interactions.selectors import strength_label

    if not strength or strength < TIE_THRESHOLD:
        return "none" if not strength else "dormant"
    return strength_label(strength)


# ---- objectives ----------------------------------------------------------------------


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


def _visible_to(person: Person | None) -> Q:
    """Objectives a person may read: their own, shared with them or their team, their
    team's objectives, and the objectives of the programs they take part in."""
    if person is None:
        return Q(pk__in=[])
    q = Q(owner_id=person.pk) | Q(shares__person_id=person.pk)
    if person.team_id is not None:
        q |= Q(shares__team_id=person.team_id) | Q(scope="team", team_id=person.team_id)
    q |= Q(
        scope="program",
        program__enrollments__person_id=person.pk,
        program__enrollments__status="active",
    )
    return q


def _viewer_person(viewer: User) -> Person | None:
    if viewer.person_id is None:
        return None
    return Person.objects.filter(pk=viewer.person_id).only("id", "team_id").first()


def objective_list(*, viewer: User) -> ObjectiveLists:
    """The viewer's own objectives, their team's, and the ones shared with them
    (a mentor sees what their mentees share), each newest plan first."""
    _require_login(viewer)
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
    _require_login(viewer)
    try:
        objective = _objectives().get(pk=int(objective_id))
    except (Objective.DoesNotExist, ValueError, TypeError):
        _forbid()
    own = viewer.person_id is not None and objective.owner_id == viewer.person_id
    if for_edit:
        if not own:
            _forbid()
        return objective
    if own:
        return objective
    person = _viewer_person(viewer)
    allowed = Objective.objects.filter(_visible_to(person), pk=objective.pk).exists()
    if not allowed and not policies.can_see_everyones_records(viewer):
        _forbid()
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
    _require_login(viewer)
    try:
        return ObjectiveShare.objects.select_related("objective").get(
            pk=int(share_id), objective__owner_id=viewer.person_id
        )
    except (ObjectiveShare.DoesNotExist, ValueError, TypeError):
        _forbid()


def access_stakeholder(*, viewer: User, stakeholder_id: int) -> Stakeholder:
    """A stakeholder in one of the viewer's own plans."""
    _require_login(viewer)
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


# ---- the relationship plan -----------------------------------------------------------


@dataclass
class PlanRow:
    """One stakeholder (in the plan) or proposal (not yet), as the plan page shows it.

    ``strength`` is the owner's own tie strength now; ``gap`` how far below
    the target it is; ``path`` the best warm path
    (:func:`~bridgework.interactions.selectors.introduction_paths`, owner
    only); ``progress`` the rules of ``docs/impact.md`` §6 (plan rows only).
    """

    person: Person
    kind: str  # "target", "influencer" or "added"
    reason: str
    strength: float
    target: float
    cadence_days: int
    next_step: str
    stakeholder: Stakeholder | None = None
    path: dict | None = None
    progress: StakeholderProgress | None = None
    suggested_cadence: bool = True
    suggested_step: bool = True

    @property
    def gap(self) -> float:
        return max(0.0, self.target - self.strength)

    @property
    def band(self) -> str:
        return strength_word(self.strength)

    @property
    def at_target(self) -> bool:
        return self.strength >= self.target

    @property
    def strength_percent(self) -> int:
        return round(100 * self.strength)

    @property
    def target_percent(self) -> int:
        return round(100 * self.target)


@dataclass
class ReachRow:
    """A group the objective needs, and whether the owner has a tie into it."""

    label: str
    kind: str  # "organization" or "skill"
    reached: bool
    through: list[Person] = field(default_factory=list)


@dataclass
class PlanView:
    """An objective's relationship plan, its progress from the events, and proposals."""

    objective: Objective
    is_owner: bool
    today: dt.date
    rows: list[PlanRow]
    proposals: list[PlanRow]
    removed: list[Stakeholder]
    progress: PlanProgress | None
    reach: list[ReachRow]
    started: bool

    @property
    def summary(self) -> str:
        if not self.started:
            day = self.objective.started_on
            return f"The plan starts on {day.day} {day:%B %Y}"
        if self.progress is None:
            return "No stakeholders in the plan yet: accept a proposal or add someone"
        text = self.progress.summary
        if self.reach:
            reached = sum(r.reached for r in self.reach)
            text += f"; reaching {reached} of {len(self.reach)} needed groups"
        return text

    @property
    def reach_reached(self) -> int:
        return sum(r.reached for r in self.reach)


def _suggested_cadence(strength: float, target: float) -> int:
    if strength >= target:
        return 60
    if strength >= TIE_THRESHOLD:
        return 21
    return 14


def _suggested_step(row: PlanRow, objective: Objective, *, is_owner: bool) -> str:
    name = row.person.full_name.split()[0] if row.person.full_name else "them"
    if row.at_target:
        return f"Keep in touch every {row.cadence_days} days; tell {name} how “{objective.title}” is going."
    if row.strength >= TIE_THRESHOLD:
        return f"Set up a conversation with {name} about “{objective.title}”."
    path = row.path
    if path and not path["direct"]:
        return f"Ask {path['via'].full_name} to introduce you to {name} (about {path['chance']}% chance)."
    if path and path["direct"]:
        return f"Get back in touch with {name}: your tie has gone quiet."
    if not is_owner:
        return f"Find a way to meet {name}."
    return (
        f"No warm path to {name} within three hops: reach out directly, or add someone "
        "who knows them to the plan."
    )


def _paths_for(viewer: User, people: Iterable[int]) -> dict[int, dict | None]:
    from bridgework.interactions.selectors import introduction_paths

    found: dict[int, dict | None] = {}
    for person_id in people:
        try:
            paths = introduction_paths(viewer=viewer, target_person_id=person_id, k=1)
        except NotFoundError:
            paths = []
        found[person_id] = paths[0] if paths else None
    return found


def _needed_skill_ids(objective: Objective) -> list[int]:
    """The needed skills and their sub-skills (a needed category brings its skills)."""
    needed = [s.pk for s in objective.needed_skills.all()]
    if not needed:
        return []
    children = Skill.objects.filter(parent_id__in=needed).values_list("id", flat=True)
    return sorted(set(needed) | set(children))


def _skill_holders(skill_ids: list[int]) -> dict[int, dict]:
    """person → best self-declared level, endorsements and skill names, for these skills."""
    holders: dict[int, dict] = {}
    for person_id, skill_name, level, endorser in PersonSkill.objects.filter(
        skill_id__in=skill_ids
    ).values_list("person_id", "skill__name", "level", "endorsed_by_id"):
        item = holders.setdefault(person_id, {"level": 0, "endorsements": 0, "skills": set()})
        item["skills"].add(skill_name)
        if endorser is None:
            item["level"] = max(item["level"], level)
        else:
            item["endorsements"] += 1
            item["level"] = max(item["level"], level - 1)
    return holders


def _influence_rank() -> dict[int, float]:
    """person → 0-1, higher is more central (betweenness rank, then PageRank) in the
    latest network analysis. Only ranks: never shown."""
    from bridgework.analysis.models import PersonMetric
    from bridgework.analysis.selectors import latest_run

    run = latest_run()
    if run is None:
        return {}
    rows = list(
        PersonMetric.objects.filter(run=run).values_list("person_id", "betweenness", "pagerank")
    )
    if not rows:
        return {}
    order = sorted(rows, key=lambda r: (r[1], r[2], -r[0]))
    n = len(order)
    return {row[0]: (i + 1) / n for i, row in enumerate(order)}


def plan_proposals(
    objective: Objective,
    *,
    strengths: dict[int, float],
    targets: int = PROPOSED_TARGETS,
    influencers: int = PROPOSED_INFLUENCERS,
) -> list[PlanRow]:
    """Stakeholders Bridgework proposes for ``objective`` (not yet in its plan,
    accepted or removed), best first.

    *Targets* are people with the needed skills (or their sub-skills; by
    self-declared level, endorsements counting a little) or at the needed
    organizations. *Influencers* are people tied to several targets and central
    in the latest network analysis. Relevance ranks first, centrality breaks
    ties; ``strengths`` (the owner's ties: person → strength) gives each row
    its current strength and the target tie strength (0.35, "regular").
    """
    from bridgework.network.selectors import tie_graph

    owner_id = objective.owner_id
    taken = set(objective.stakeholders.values_list("person_id", flat=True)) | {owner_id}
    holders = _skill_holders(_needed_skill_ids(objective))
    organizations = {o.pk: o.name for o in objective.needed_organizations.all()}
    members = dict(
        Person.objects.filter(organization_id__in=list(organizations)).values_list(
            "id", "organization_id"
        )
    )
    influence = _influence_rank()
    scored: dict[int, tuple[float, str]] = {}
    for person_id in set(holders) | set(members):
        if person_id in taken:
            continue
        score, why = 0.0, []
        if person_id in holders:
            item = holders[person_id]
            score += item["level"] / 5 + min(0.2, 0.05 * item["endorsements"])
            why.append(f"knows {', '.join(sorted(item['skills']))}")
        if person_id in members:
            score += 0.7
            why.append(f"works at {organizations[members[person_id]]}")
        score += 0.2 * influence.get(person_id, 0.0)
        text = "; ".join(why)
        scored[person_id] = (score, text[:1].upper() + text[1:])
    ranked = sorted(scored, key=lambda p: (-scored[p][0], p))
    chosen = ranked[:targets]
    # Influence over the targets by network position: people tied to several
    # of them, ranked by centrality. Counts and metrics only rank; the reason
    # names the groups, not the ties.
    graph = tie_graph()
    around: Counter = Counter()
    for person_id in ranked[:50]:
        if person_id in graph:
            for neighbor, strength in graph.neighbors(person_id).items():
                if strength >= TIE_THRESHOLD and neighbor not in taken and neighbor not in scored:
                    around[neighbor] += 1
    groups = (
        sorted(organizations.values())
        or sorted({s for h in holders.values() for s in h["skills"]})[:3]
    )
    where = ", ".join(groups) if groups else "the people this objective needs"
    brokers = sorted(
        (p for p, count in around.items() if count >= 2),
        key=lambda p: (-around[p] * (0.5 + influence.get(p, 0.0)), p),
    )[:influencers]
    people = Person.objects.select_related("organization", "team").in_bulk(chosen + brokers)
    rows = []
    for person_id, kind in [(p, "target") for p in chosen] + [(p, "influencer") for p in brokers]:
        if person_id not in people:
            continue
        strength = strengths.get(person_id, 0.0)
        reason = (
            scored[person_id][1]
            if kind == "target"
            else f"Well placed in the network around {where}: they can open doors there"
        )
        rows.append(
            PlanRow(
                person=people[person_id],
                kind=kind,
                reason=reason,
                strength=strength,
                target=DEFAULT_TARGET,
                cadence_days=_suggested_cadence(strength, DEFAULT_TARGET),
                next_step="",
            )
        )
    return rows


def _plan_interactions(owner_id: int) -> list[Interaction]:
    return measures.interactions_between(people=[owner_id])


def _reach(objective: Objective, strengths: dict[int, float]) -> list[ReachRow]:
    """Each needed organization and skill, and the owner's ties into it (their own ties)."""
    tied = [p for p, s in strengths.items() if s >= TIE_THRESHOLD]
    organizations = list(objective.needed_organizations.all())
    skills = list(objective.needed_skills.all())
    if not organizations and not skills:
        return []
    people = Person.objects.in_bulk(tied)
    rows = []
    org_of = {p: people[p].organization_id for p in tied if p in people}
    reach: GroupReach = group_reach(
        strengths, group_of=org_of, needed_groups=[o.pk for o in organizations]
    )
    for org in organizations:
        through = [people[p] for p in reach.through.get(org.pk, ())]
        rows.append(
            ReachRow(label=org.name, kind="organization", reached=bool(through), through=through)
        )
    for skill in skills:
        ids = [skill.pk, *Skill.objects.filter(parent=skill).values_list("id", flat=True)]
        holders = set(
            PersonSkill.objects.filter(skill_id__in=ids, person_id__in=tied).values_list(
                "person_id", flat=True
            )
        )
        skill_reach = group_reach(
            strengths, group_of=dict.fromkeys(holders, skill.pk), needed_groups=[skill.pk]
        )
        through = [people[p] for p in skill_reach.through.get(skill.pk, ()) if p in people]
        rows.append(
            ReachRow(label=skill.name, kind="skill", reached=bool(through), through=through)
        )
    return rows


def objective_plan(
    *, viewer: User, objective: Objective, with_paths: bool = True, today: dt.date | None = None
) -> PlanView:
    """The plan of an objective the viewer may read (see :func:`access_objective`).

    Every number comes from the events (``docs/impact.md`` §6): the owner's
    tie strengths at the end of the day before the plan started and now, and
    the owner's interactions with each stakeholder. Proposals and warm paths
    are for the owner only.
    """
    today = today or _today()
    is_owner = viewer.person_id == objective.owner_id
    owner_id = objective.owner_id
    strengths_now = measures.strengths_of(owner_id, today)
    stakeholders = list(
        objective.stakeholders.select_related("person__organization", "person__team").order_by("id")
    )
    accepted = [s for s in stakeholders if s.is_accepted]
    removed = [s for s in stakeholders if not s.is_accepted]
    proposals = plan_proposals(objective, strengths=strengths_now) if is_owner else []
    paths = (
        _paths_for(viewer, [s.person_id for s in accepted] + [p.person.pk for p in proposals])
        if is_owner and with_paths
        else {}
    )
    rows = []
    for s in accepted:
        strength = strengths_now.get(s.person_id, 0.0)
        target = s.target_strength or TIE_THRESHOLD
        row = PlanRow(
            person=s.person,
            kind="added" if s.origin == Stakeholder.Origin.ADDED else "target",
            reason=s.reason,
            strength=strength,
            target=target,
            cadence_days=s.cadence_days or _suggested_cadence(strength, target),
            next_step=s.next_step,
            stakeholder=s,
            path=paths.get(s.person_id),
            suggested_cadence=s.cadence_days is None,
            suggested_step=not s.next_step,
        )
        rows.append(row)
    for row in proposals:
        row.path = paths.get(row.person.pk)
    for row in rows + proposals:
        if not row.next_step:
            row.next_step = _suggested_step(row, objective, is_owner=is_owner)
    started = objective.started_on <= today
    progress = None
    if started and accepted:
        plan = RelationshipPlan(
            owner=owner_id,
            start=objective.started_on,
            stakeholders=tuple(
                PlanStakeholder(
                    person=row.person.pk,
                    target_strength=row.stakeholder.target_strength,
                    cadence_days=row.cadence_days,
                    group=row.person.organization.name if row.person.organization_id else None,
                )
                for row in rows
            ),
            objective=objective.pk,
        )
        before = measures.strengths_of(owner_id, objective.started_on - dt.timedelta(days=1))
        progress = plan_progress(
            plan,
            _plan_interactions(owner_id),
            strength_at_start=before,
            strength_now=strengths_now,
            today=today,
        )
        for row, item in zip(rows, progress.stakeholders, strict=True):
            row.progress = item
    return PlanView(
        objective=objective,
        is_owner=is_owner,
        today=today,
        rows=rows,
        proposals=proposals,
        removed=removed,
        progress=progress,
        reach=_reach(objective, strengths_now),
        started=started,
    )


# ---- outcomes -----------------------------------------------------------------------


def _outcomes() -> QuerySet[Outcome]:
    return Outcome.objects.select_related("owner", "objective").prefetch_related(*OUTCOME_PREFETCH)


def outcome_list(*, viewer: User, objective: Objective | None = None) -> list[Outcome]:
    """The viewer's own outcomes, newest first; with ``objective`` (one the viewer may
    read), that objective's outcomes, whoever logged them."""
    _require_login(viewer)
    if objective is not None:
        return list(_outcomes().filter(objective=objective))
    if viewer.person_id is None:
        return []
    return list(_outcomes().filter(owner_id=viewer.person_id))


def access_outcome(*, viewer: User, outcome_id: int, for_edit: bool = False) -> Outcome:
    """One outcome: its owner's; anyone who may read its objective; admins (audited)."""
    _require_login(viewer)
    try:
        outcome = (
            _outcomes().prefetch_related("introductions", "interactions").get(pk=int(outcome_id))
        )
    except (Outcome.DoesNotExist, ValueError, TypeError):
        _forbid()
    if viewer.person_id is not None and outcome.owner_id == viewer.person_id:
        return outcome
    if for_edit:
        _forbid()
    allowed = False
    if outcome.objective_id is not None:
        person = _viewer_person(viewer)
        allowed = Objective.objects.filter(_visible_to(person), pk=outcome.objective_id).exists()
    if not allowed and not policies.can_see_everyones_records(viewer):
        _forbid()
    audit_record(
        actor=viewer,
        action=AuditEntry.Action.VIEW,
        object_type="outcome",
        object_id=outcome.pk,
        subject_person_id=outcome.owner_id,
    )
    return outcome


@dataclass(frozen=True)
class MethodColumn:
    """One attribution method's result, ready to show: credit per person and
    relationship (rounded so the parts add up), its note, and its explanation."""

    method: str
    label: str
    explanation: str
    available: bool
    note: str
    people: dict[int, float]
    relationships: dict[Relationship, float]
    used_for_return: bool


@dataclass(frozen=True)
class AttributionView:
    """Every method side by side for one outcome."""

    outcome: Outcome
    columns: list[MethodColumn]
    people: list[Person]
    relationships: list[tuple[Relationship, Person, Person]]
    paths: list[list[Person]]
    used_method: str

    def person_rows(self) -> list[tuple[Person, list[float | None]]]:
        return [
            (p, [c.people.get(p.pk) if c.available else None for c in self.columns])
            for p in self.people
        ]

    def relationship_rows(self) -> list[tuple[Person, Person, list[float | None]]]:
        return [
            (
                a,
                b,
                [
                    c.relationships.get(r) if c.available and c.method != "declared" else None
                    for c in self.columns
                ],
            )
            for r, a, b in self.relationships
        ]


def _rounded(credit: dict) -> dict:
    return round_credit(credit, decimals=2) if credit else {}


def outcome_attribution(*, viewer: User, outcome: Outcome) -> AttributionView:
    """All four methods on an outcome the viewer may read (:func:`access_outcome`)."""
    computed = attributions(outcome)
    used = credited(outcome, computed=computed).method
    people_ids: list[int] = []
    relationship_keys: list[Relationship] = []
    for attribution in computed.values():
        if attribution is None:
            continue
        people_ids.extend(p for p in attribution.people if p not in people_ids)
        relationship_keys.extend(r for r in attribution.relationships if r not in relationship_keys)
    paths = [[s.person_id for s in path.steps.all()] for path in outcome.paths.all()]
    wanted = (
        set(people_ids)
        | {p for path in paths for p in path}
        | {p for r in relationship_keys for p in r.people}
    )
    people = Person.objects.select_related("organization").in_bulk(wanted)
    columns = []
    for method in METHODS:
        attribution: Attribution | None = computed[method]
        columns.append(
            MethodColumn(
                method=method,
                label=_METHOD_WORDS[method],
                explanation=_METHOD_EXPLANATIONS[method],
                available=attribution is not None,
                note=attribution.note if attribution is not None else _missing_note(method),
                people=_rounded(attribution.people) if attribution else {},
                relationships=_rounded(attribution.relationships) if attribution else {},
                used_for_return=method == used,
            )
        )
    owner_first = sorted(
        (p for p in people_ids if p in people),
        key=lambda p: (p != outcome.owner_id, people_ids.index(p)),
    )
    return AttributionView(
        outcome=outcome,
        columns=columns,
        people=[people[p] for p in owner_first],
        relationships=[
            (r, people[r.person_a], people[r.person_b])
            for r in relationship_keys
            if r.person_a in people and r.person_b in people
        ],
        paths=[[people[p] for p in path if p in people] for path in paths],
        used_method=used,
    )


def _missing_note(method: str) -> str:
    if method == "declared":
        return "Not available: no shares were declared for the contributors."
    return "Not available: no contribution path (link an introduction, an interaction or a contributor)."


#: The outcome form offers at most this many of the viewer's latest interactions.
LINKABLE_INTERACTIONS = 200


def outcome_link_choices(*, viewer: User, linked: Iterable[int] = ()) -> dict:
    """What the viewer may link to an outcome: their objectives, the introductions they
    asked for that were made, and their latest interactions (at most
    :data:`LINKABLE_INTERACTIONS`, plus those in ``linked``, already linked)."""
    from bridgework.interactions.models import Interaction as InteractionRow
    from bridgework.interactions.models import IntroductionRequest

    _require_login(viewer)
    me = viewer.person_id
    if me is None:
        return {"objectives": [], "introductions": [], "interactions": []}
    latest = list(
        InteractionRow.objects.filter(participations__person_id=me)
        .order_by("-occurred_at", "-id")
        .values_list("id", flat=True)[:LINKABLE_INTERACTIONS]
    )
    ids = set(latest) | set(
        InteractionRow.objects.filter(
            pk__in=list(linked), participations__person_id=me
        ).values_list("id", flat=True)
    )
    return {
        "objectives": objectives_for_outcomes(owner_id=me),
        "introductions": list(
            IntroductionRequest.objects.filter(
                requester_id=me, status__in=["accepted", "completed"]
            )
            .select_related("via", "target")
            .order_by("-created_at", "-id")
        ),
        "interactions": list(
            InteractionRow.objects.filter(pk__in=ids)
            .prefetch_related("participants")
            .order_by("-occurred_at", "-id")
        ),
    }


# ---- return on impact ----------------------------------------------------------------


def _involving(person_id: int) -> QuerySet[Outcome]:
    ids = (
        Outcome.objects.filter(
            Q(owner_id=person_id)
            | Q(contributors__person_id=person_id)
            | Q(paths__steps__person_id=person_id)
        )
        .values("pk")
        .distinct()
    )
    return _outcomes().filter(pk__in=ids)


@dataclass
class RelationshipReturn:
    """One of the viewer's relationships: credit to it, hours in it, and the give/get balance."""

    other: Person
    hours: float
    by_unit: dict
    balance: GiveGet | None

    @property
    def value_text(self) -> str:
        parts = []
        for unit in UNITS:
            item = self.by_unit.get(unit)
            if item is not None and item.value > 0:
                parts.append(_amount_text(item.value, unit))
        return ", ".join(parts) or "—"


def _amount_text(value: float, unit: str) -> str:
    if unit == "money":
        return f"{value:,.0f}"
    if unit == "hours":
        return f"{value:,.1f} h saved"
    return f"{value:,.1f} rating pts"


@dataclass
class PersonalReturn:
    """A person's return on impact over ``start``-``end`` (see ``docs/impact-app.md``)."""

    person: Person
    start: dt.date
    end: dt.date
    hours: float
    owned: ReturnOnImpact
    credited: ReturnOnImpact
    points: list[TrendPoint]
    relationships: list[RelationshipReturn]
    new_ties: int
    new_stakeholder_ties: int
    stakeholders: int
    reach: list[ReachRow]
    introductions_given: int
    introductions_received: int
    outcomes: list[Outcome]


def _empty_return(key) -> ReturnOnImpact:
    return return_on_impact([], {key: 0.0})[key]


def personal_return(
    *, viewer: User, start: dt.date | None = None, end: dt.date | None = None
) -> PersonalReturn | None:
    """The viewer's own return on impact (None without a person).

    * hours: the viewer's interaction hours (meetings, calls, other) in the window;
    * owned: the whole value of the viewer's own outcomes, per unit and per hour;
    * credited: the credit the viewer received (own and others' outcomes, by
      each outcome's attribution method), per unit and per hour;
    * the monthly trend of the credit and hours, the return per relationship
      with the give/get balance, and the leading indicators.
    """
    _require_login(viewer)
    me = viewer.person_id
    if me is None:
        return None
    default_start, default_end = window()
    start, end = start or default_start, end or default_end
    person = Person.objects.select_related("team", "organization").get(pk=me)
    outcomes = [o for o in _involving(me) if start <= o.occurred_on <= end]
    records = [credited(o).record for o in outcomes]
    mine = measures.interactions_between(start=start, end=end, people=[me])
    timed = [i for i in mine if i.kind in measures.HOURS_KINDS]
    hours = invested_hours(timed).get(me, 0.0)
    owned = return_on_impact([r for r in records if r.owner == me], {me: hours}, level="owner")
    received = return_on_impact(records, {me: hours}, level="person")
    points = trend(records, timed, key=me, level="person", start=start, end=end)
    pair_hours = {
        r: h for r, h in invested_hours(timed, by="relationship").items() if r.involves(me)
    }
    by_relationship = return_on_impact(records, pair_hours, level="relationship")
    balances = give_get_balance(me, outcomes=records, interactions=mine)
    others = {r.other(me) for r in by_relationship if r.involves(me)} | set(balances)
    ranked = sorted(
        others,
        key=lambda o: (
            -sum(
                u.value > 0
                for u in by_relationship.get(Relationship(me, o), _empty_return(0)).by_unit.values()
            ),
            -(balances[o].given + balances[o].received if o in balances else 0),
            -pair_hours.get(Relationship(me, o), 0.0),
            o,
        ),
    )[:RELATIONSHIPS_SHOWN]
    people = Person.objects.select_related("organization").in_bulk(ranked)
    relationships = [
        RelationshipReturn(
            other=people[o],
            hours=pair_hours.get(Relationship(me, o), 0.0),
            by_unit=by_relationship[Relationship(me, o)].by_unit
            if Relationship(me, o) in by_relationship
            else {},
            balance=balances.get(o),
        )
        for o in ranked
        if o in people
    ]
    before = measures.strengths_of(me, start - dt.timedelta(days=1))
    now = measures.strengths_of(me, end)
    active = Objective.objects.filter(owner_id=me, status=Objective.Status.ACTIVE)
    stakeholder_ids = set(
        Stakeholder.objects.filter(objective__in=active, status="accepted").values_list(
            "person_id", flat=True
        )
    )
    reach: list[ReachRow] = []
    for objective in active.prefetch_related("needed_skills", "needed_organizations"):
        for row in _reach(objective, now):
            if row.label not in {r.label for r in reach}:
                reach.append(row)
    counts = introduction_counts(me, mine, start=start, end=end)
    return PersonalReturn(
        person=person,
        start=start,
        end=end,
        hours=hours,
        owned=owned.get(me) or _empty_return(me),
        credited=received.get(me) or _empty_return(me),
        points=points,
        relationships=relationships,
        new_ties=len(new_ties(before=before, now=now)),
        new_stakeholder_ties=len(new_ties(before=before, now=now, stakeholders=stakeholder_ids)),
        stakeholders=len(stakeholder_ids),
        reach=reach,
        introductions_given=counts.given,
        introductions_received=counts.received,
        outcomes=outcomes,
    )


def objective_return(
    *, objective: Objective, today: dt.date | None = None
) -> tuple[ReturnOnImpact, list[TrendPoint]]:
    """An objective's return (of an objective the caller checked access to): the
    whole value of its outcomes against the owner's hours with its stakeholders
    since the plan started, and the monthly trend (cumulative)."""
    today = today or _today()
    outcomes = [credited(o).record for o in _outcomes().filter(objective=objective)]
    start = min([objective.started_on, *(o.occurred_on for o in outcomes)])
    start = min(start, today)
    stakeholder_ids = set(
        objective.stakeholders.filter(status="accepted").values_list("person_id", flat=True)
    )
    owner = objective.owner_id
    with_them = [
        i
        for i in measures.interactions_between(start=start, end=today, people=[owner])
        if i.kind in measures.HOURS_KINDS
        and owner in i.people
        and stakeholder_ids.intersection(i.people)
    ]
    hours = invested_hours(with_them).get(owner, 0.0)
    result = return_on_impact(outcomes, {objective.pk: hours}, level="objective")[objective.pk]
    points = trend(
        outcomes, with_them, key=owner, level="owner", start=start, end=today, cumulative=True
    )
    return result, points


# ---- return on impact by group ---------------------------------------------------------


@dataclass
class GroupRow:
    """One group shown on the dashboard, with its aggregate figures."""

    dimension: str  # "team" or "program"
    key: object
    label: str
    people: int
    result: ReturnOnImpact
    new_ties: int
    teams_reached_before: float
    teams_reached_now: float
    introductions_given: int
    introductions_received: int
    value_given: dict[str, float]
    value_received: dict[str, float]

    @property
    def new_ties_per_person(self) -> float:
        return self.new_ties / self.people if self.people else 0.0


@dataclass
class GroupDashboard:
    """Return on impact by team (and program): groups at or above the minimum size only."""

    start: dt.date
    end: dt.date
    minimum: int
    rows: list[GroupRow]
    hidden: int
    population: int
    total: ReturnOnImpact
    points: list[TrendPoint]
    safe: SafeGroups

    def rows_of(self, dimension: str) -> list[GroupRow]:
        return [r for r in self.rows if r.dimension == dimension]

    @property
    def rows_of_team(self) -> list[GroupRow]:
        return self.rows_of("team")

    @property
    def rows_of_program(self) -> list[GroupRow]:
        return self.rows_of("program")


def _team_members() -> dict[int, tuple[str, set[int]]]:
    """Team id → (name, ids of the consenting people who work in it)."""
    members: dict[int, tuple[str, set[int]]] = {}
    for person_id, team_id, team_name in (
        Person.objects.filter(
            team__isnull=False,
            engagement_type__in=list(WORKFORCE_ENGAGEMENTS),
            analytics_consent=True,
        )
        .order_by("team__name", "team_id", "id")
        .values_list("id", "team_id", "team__name")
    ):
        members.setdefault(team_id, (team_name, set()))[1].add(person_id)
    names = Counter(name for name, _ in members.values())
    return {
        team_id: (name if names[name] == 1 else f"{name} (#{team_id})", ids)
        for team_id, (name, ids) in members.items()
    }


def _program_members() -> dict[int, tuple[str, set[int]]]:
    """Program id → (name, participant ids), when the mentoring app has programs."""
    try:
        from bridgework.impact.programs import program_participants
    except ImportError:  # pragma: no cover - the mentoring app is optional here
        return {}
    return program_participants()


def group_dashboard(
    *, viewer: User, start: dt.date | None = None, end: dt.date | None = None
) -> GroupDashboard:
    """Return on impact by team and program, for
    :func:`~bridgework.accounts.policies.can_view_impact_by_group`.

    Every group is an aggregate of people who consented to analytics; teams
    and programs are passed together (with the population, since totals are
    shown) through ``disclosure_safe_groups``, and a hidden group shows
    nothing at all. Credit to a group is the credit its members received (an
    outcome counts once per group); hours are the members' person-hours.
    """
    _require_login(viewer)
    if not policies.can_view_impact_by_group(viewer):
        _forbid()
    return _group_dashboard(start=start, end=end)


def _group_dashboard(
    *,
    start: dt.date | None,
    end: dt.date | None,
    programs: dict[int, tuple[str, set[int]]] | None = None,
    dimensions: tuple[str, ...] = ("team", "program"),
) -> GroupDashboard:
    default_start, default_end = window()
    start, end = start or default_start, end or default_end
    minimum = settings.PRIVACY_MIN_GROUP_SIZE
    teams = _team_members() if "team" in dimensions else {}
    if programs is None:
        programs = _program_members() if "program" in dimensions else {}
    consenting = set(Person.objects.filter(analytics_consent=True).values_list("id", flat=True))
    programs = {key: (name, set(ids) & consenting) for key, (name, ids) in programs.items()}
    population = {p for _, members in teams.values() for p in members} | {
        p for _, ids in programs.values() for p in ids
    }
    safe = disclosure_safe_groups(
        {
            "team": {key: members for key, (_, members) in teams.items()},
            "program": {key: members for key, (_, members) in programs.items()},
        },
        minimum=minimum,
        population=population,
    )
    outcomes = [
        credited(o).record for o in _outcomes().filter(occurred_on__gte=start, occurred_on__lte=end)
    ]
    everything = measures.interactions_between(start=start, end=end)
    timed = [i for i in everything if i.kind in measures.HOURS_KINDS]
    person_hours = invested_hours(timed)
    before_pairs = measures.strengths_at(start - dt.timedelta(days=1))
    now_pairs = measures.strengths_at(end)
    team_of_person = dict(Person.objects.filter(pk__in=population).values_list("id", "team_id"))

    def ties_of(pairs: dict, members: set[int]) -> dict[int, dict[int, float]]:
        found: dict[int, dict[int, float]] = defaultdict(dict)
        for (a, b), strength in pairs.items():
            if a in members:
                found[a][b] = strength
            if b in members:
                found[b][a] = strength
        return found

    rows = []
    for dimension, groups in (("team", teams), ("program", programs)):
        for key, (name, members) in groups.items():
            if not safe.is_shown(dimension, key):
                continue
            ids = set(members)
            group_of = dict.fromkeys(ids, name)
            result = return_on_impact(
                outcomes,
                {p: h for p, h in person_hours.items() if p in ids},
                level="person",
                groups=group_of,
            ).get(name) or _empty_return(name)
            before, now = ties_of(before_pairs, ids), ties_of(now_pairs, ids)
            new = sum(len(new_ties(before=before[p], now=now[p])) for p in ids)

            def teams_reached(ties: dict[int, dict[int, float]], ids: set[int] = ids) -> float:
                reached = [
                    len(
                        {
                            team_of_person.get(q)
                            for q, s in ties[p].items()
                            if s >= TIE_THRESHOLD
                            and team_of_person.get(q) not in (None, team_of_person.get(p))
                        }
                    )
                    for p in ids
                ]
                return sum(reached) / len(reached) if reached else 0.0

            given = received = 0
            for interaction in everything:
                if interaction.kind != "introduction":
                    continue
                if interaction.initiator in ids:
                    given += 1
                if ids.intersection(p for p in interaction.people if p != interaction.initiator):
                    received += 1
            value_given = dict.fromkeys(UNITS, 0.0)
            value_received = dict.fromkeys(UNITS, 0.0)
            for record in outcomes:
                inside_owner = record.owner in ids
                for person, amount in record.people.items():
                    if inside_owner and person not in ids:
                        value_received[record.unit] += amount
                    elif not inside_owner and person in ids:
                        value_given[record.unit] += amount
            rows.append(
                GroupRow(
                    dimension=dimension,
                    key=key,
                    label=name,
                    people=len(ids),
                    result=result,
                    new_ties=new,
                    teams_reached_before=teams_reached(before),
                    teams_reached_now=teams_reached(now),
                    introductions_given=given,
                    introductions_received=received,
                    value_given=value_given,
                    value_received=value_received,
                )
            )
    everyone = dict.fromkeys(population, "all")
    total = return_on_impact(
        outcomes,
        {p: h for p, h in person_hours.items() if p in population},
        level="person",
        groups=everyone,
    ).get("all") or _empty_return("all")
    points = trend(
        outcomes, timed, key="all", level="person", start=start, end=end, groups=everyone
    )
    return GroupDashboard(
        start=start,
        end=end,
        minimum=minimum,
        rows=rows,
        hidden=len(safe.hidden),
        population=len(population),
        total=total,
        points=points,
        safe=safe,
    )


def share_candidates(*, viewer: User, objective: Objective):
    """People an objective can be shared with: anyone in the directory but its
    owner (public profile fields only), for the share form."""
    from bridgework.people.models import Person

    access_objective(viewer=viewer, objective_id=objective.pk, for_edit=True)
    return (
        Person.objects.exclude(pk=objective.owner_id)
        .select_related("organization")
        .order_by("full_name", "id")
    )
