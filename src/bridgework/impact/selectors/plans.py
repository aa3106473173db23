"""The relationship plan of an objective: its stakeholders, their progress, and proposals.

Warm paths come from
:func:`~bridgework.interactions.selectors.introduction_paths`, so they obey
its rule: of every hop after the first, only the next person's name and a
coarse word for the tie. Only the owner sees them (paths start at the viewer).
Other people's network metrics (betweenness, PageRank of the latest analysis)
only *rank* proposed stakeholders; no value is ever shown.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bridgework.accounts.models import User
from bridgework.analysis.models import PersonMetric
from bridgework.analysis.selectors import latest_run
from bridgework.core.errors import NotFoundError
from bridgework.core.impact.indicators import TIE_THRESHOLD
from bridgework.core.impact.progress import (
    PlanProgress,
    RelationshipPlan,
    StakeholderProgress,
    plan_progress,
)
from bridgework.core.impact.progress import Stakeholder as PlanStakeholder
from bridgework.core.impact.records import Interaction
from bridgework.impact import measures
from bridgework.impact.models import Objective, Stakeholder
from bridgework.impact.selectors._common import ReachRow, _reach, _today
from bridgework.interactions.selectors import introduction_paths
from bridgework.network.selectors import strength_label, tie_graph
from bridgework.people.models import Person, PersonSkill, Skill

__all__ = [
    "PROPOSED_TARGETS",
    "PROPOSED_INFLUENCERS",
    "DEFAULT_TARGET",
    "PlanRow",
    "ReachRow",
    "PlanView",
    "plan_proposals",
    "objective_plan",
    "strength_word",
]

#: At most this many stakeholders are proposed at once (targets, then influencers).
PROPOSED_TARGETS = 6
PROPOSED_INFLUENCERS = 3
#: Default target tie strength for a proposed stakeholder: the floor of the "regular" band.
DEFAULT_TARGET = 0.35


def strength_word(strength: float | None) -> str:
    """``strong``, ``regular``, ``occasional`` or ``none`` for a tie of the viewer's own."""
    if not strength or strength < TIE_THRESHOLD:
        return "none" if not strength else "dormant"
    return strength_label(strength)


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
        return f"Ask {path['via'].full_name} to introduce you to {name}."
    if path and path["direct"]:
        return f"Get back in touch with {name}: your tie has gone quiet."
    if not is_owner:
        return f"Find a way to meet {name}."
    return (
        f"No warm path to {name} within three hops: reach out directly, or add someone "
        "who knows them to the plan."
    )


def _paths_for(viewer: User, people: Iterable[int]) -> dict[int, dict | None]:
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
    latest network analysis, among the people who consent now. Only ranks: never shown."""
    run = latest_run()
    if run is None:
        return {}
    rows = list(
        PersonMetric.objects.filter(run=run, person__analytics_consent=True).values_list(
            "person_id", "betweenness", "pagerank"
        )
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
                    target_strength=s.target_strength,
                    cadence_days=row.cadence_days,
                    group=row.person.organization.name
                    if row.person.organization is not None
                    else None,
                )
                for s, row in zip(accepted, rows, strict=True)
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
