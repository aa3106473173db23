"""Objectives, plans, outcomes and program evaluations for the demo organization.

:func:`demo_impact_load` runs after the demo's people, interactions, ties,
network analysis (and, when there is one, the mentoring demo) exist. It
gives the demo member three objectives with relationship plans whose
progress shows in the existing events, logs outcomes for the member and for
people across the organization over the last year (linked to real
interactions and introductions of the demo, so attribution, trends and the
team dashboards have something to say), sets an objective for the first
mentoring program and evaluates every program that has started.

Choices are deterministic (a seeded random stream over people in id order),
so the same demo gives the same impact data. Running it again changes
nothing: it stops when the member's first objective is already there.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from decimal import Decimal

from django.db import transaction

from bridgework.accounts.models import User
from bridgework.impact import measures, programs, selectors, services
from bridgework.impact.models import EvaluationRun, Objective
from bridgework.interactions.models import Interaction, InteractionParticipant, IntroductionRequest
from bridgework.mentoring.models import Program
from bridgework.people.models import WORKFORCE_ENGAGEMENTS, Organization, Person, Skill, Team

__all__ = ["DEMO_MEMBER", "DEMO_EVIDENCE", "demo_impact_load"]

#: The demo logins used (see ``core.demo.DEMO_LOGINS``).
DEMO_MEMBER, DEMO_MENTOR, DEMO_MANAGER = "member", "mentor", "manager"
#: Evidence of demo outcomes starts with this, so they are recognisable.
DEMO_EVIDENCE = "Demo: "
#: Outcomes logged per team member picked (most teams get several).
OWNERS_PER_TEAM = 5
_SEED = 11

# (kind, unit, low, high, titles) by the team's line of work.
_WORK = {
    "sales": (
        (
            "deal",
            "money",
            8_000,
            90_000,
            ("Closed a renewal", "Won a new account", "Expanded a contract"),
        ),
        ("partnership", "money", 5_000, 40_000, ("Co-selling agreement",)),
    ),
    "customer": (
        (
            "deal",
            "money",
            4_000,
            40_000,
            ("Saved an at-risk renewal", "Upsold an onboarding package"),
        ),
        ("solved_problem", "hours", 4, 40, ("Unblocked a customer escalation",)),
    ),
    "marketing": (
        ("partnership", "money", 3_000, 30_000, ("Joint webinar series with a partner",)),
        ("knowledge", "rating", 2, 5, ("Learned what buyers ask analysts",)),
    ),
    "engineering": (
        (
            "solved_problem",
            "hours",
            6,
            60,
            ("Fixed a flaky deploy pipeline", "Cut build times", "Solved a data-sync bug"),
        ),
        ("knowledge", "rating", 2, 5, ("Learned the new platform APIs",)),
    ),
    "data": (
        (
            "solved_problem",
            "hours",
            5,
            50,
            ("Automated a weekly report", "Fixed a broken dashboard"),
        ),
        ("knowledge", "rating", 3, 5, ("Picked up a forecasting method",)),
    ),
    "design": (
        ("knowledge", "rating", 2, 5, ("Learned from a research guild session",)),
        ("solved_problem", "hours", 4, 30, ("Reused another team's design system",)),
    ),
    "people": (
        ("hire", "rating", 3, 5, ("Hired through a referral", "Filled a hard-to-fill role")),
        ("solved_problem", "hours", 4, 25, ("Streamlined onboarding paperwork",)),
    ),
    "finance": (
        ("solved_problem", "hours", 4, 30, ("Closed the books faster",)),
        ("deal", "money", 2_000, 20_000, ("Renegotiated a supplier contract",)),
    ),
    "other": (("knowledge", "rating", 2, 5, ("Learned from a peer",)),),
}
_WORK_OF = (
    ("sales", "sales"),
    ("customer", "customer"),
    ("marketing", "marketing"),
    ("engineering", "engineering"),
    ("platform", "engineering"),
    ("data", "data"),
    ("analytics", "data"),
    ("design", "design"),
    ("people", "people"),
    ("finance", "finance"),
    ("legal", "finance"),
)


def _work(team_name: str) -> tuple:
    lowered = team_name.lower()
    for word, work in _WORK_OF:
        if word in lowered:
            return _WORK[work]
    return _WORK["other"]


def demo_impact_load(*, today: dt.date) -> dict:
    """Write the demo's objectives, plans, outcomes and evaluations; returns counts.

    Needs the demo logins ``member`` (and, when present, ``mentor`` and
    ``manager``) and the demo's interactions in the event store. Returns
    ``{"objectives", "stakeholders", "shares", "outcomes", "evaluations",
    "skipped"}``; ``skipped`` is true (and nothing is written) when it ran before.
    """
    member = User.objects.filter(username=DEMO_MEMBER).select_related("person").first()
    counts = {
        "objectives": 0,
        "stakeholders": 0,
        "shares": 0,
        "outcomes": 0,
        "evaluations": 0,
        "skipped": False,
    }
    if member is None or member.person_id is None:
        counts["skipped"] = True
        return counts
    if Objective.objects.filter(owner_id=member.person_id, created_by=member).exists():
        counts["skipped"] = True
        return counts
    rng = random.Random(_SEED)  # noqa: S311 - a seeded generator for reproducible demo data
    with transaction.atomic():
        objectives = _member_objectives(member, today, counts)
        _member_outcomes(member, objectives, today, counts)
        _organization_outcomes(rng, today, counts, objectives)
    _programs(today, counts)
    return counts


# ---- the member ---------------------------------------------------------------------------


def _own_person(member: User) -> Person:
    person = member.person
    if person is None:  # never: demo_impact_load checks that the member has a person
        raise ValueError("The demo member has no person.")
    return person


def _skills(*slugs: str) -> list[Skill]:
    return list(Skill.objects.filter(slug__in=slugs).order_by("name"))


def _organizations(*names: str) -> list[Organization]:
    return list(Organization.objects.filter(name__in=names).order_by("name"))


def _partner(preferred: str) -> Organization | None:
    found = Organization.objects.filter(name=preferred).first()
    return (
        found
        or Organization.objects.filter(kind=Organization.Kind.PARTNER).order_by("name").first()
    )


def _client(preferred: str) -> Organization | None:
    found = Organization.objects.filter(name=preferred).first()
    return (
        found or Organization.objects.filter(kind=Organization.Kind.CLIENT).order_by("name").first()
    )


def _grown_ties(person_id: int, since: dt.date, today: dt.date, *, among=None) -> list[int]:
    """People whose tie with ``person_id`` rose from below 0.35 to 0.35 or more."""
    before = measures.strengths_of(person_id, since - dt.timedelta(days=1))
    now = measures.strengths_of(person_id, today)
    grown = [
        p
        for p, s in now.items()
        if before.get(p, 0.0) < 0.35 <= s and (among is None or p in among)
    ]
    return sorted(grown, key=lambda p: (-(now[p] - before.get(p, 0.0)), p))


def _accept(member: User, objective: Objective, rows, *, count: int, counts: dict) -> list[int]:
    accepted = []
    for row in rows[:count]:
        services.stakeholder_add(
            actor=member,
            objective=objective,
            person=row.person,
            origin="proposed",
            reason=row.reason[:300],
            target_strength=0.6 if row.strength >= 0.35 else 0.35,
            cadence_days=row.cadence_days,
        )
        accepted.append(row.person.pk)
        counts["stakeholders"] += 1
    return accepted


def _member_objectives(member: User, today: dt.date, counts: dict) -> dict[str, Objective]:
    me = _own_person(member)
    partner = _partner("Lumen Cloud")
    client = _client("Altamira Bank")
    found: dict[str, Objective] = {}

    integration = services.objective_create(
        actor=member,
        title=f"Land the first partner integration with {partner.name if partner else 'a partner'}",
        why="A live integration opens the partner's enterprise accounts to us and makes the "
        "platform stickier for the customers we share.",
        success_measure="Signed integration agreement and a pilot customer live",
        started_on=today - dt.timedelta(days=120),
        target_date=today + dt.timedelta(days=90),
        needed_skills=_skills("api-design", "cloud-infrastructure"),
        needed_organizations=[partner] if partner else [],
    )
    found["integration"] = integration
    plan = selectors.plan_proposals(integration, strengths=measures.strengths_of(me.pk, today))
    # People at the partner first: the plan is about them.
    targets = sorted(
        (r for r in plan if r.kind == "target"),
        key=lambda r: partner is None or r.person.organization_id != partner.pk,
    )
    influencers = [r for r in plan if r.kind == "influencer"]
    _accept(member, integration, targets, count=3, counts=counts)
    _accept(member, integration, influencers, count=1, counts=counts)
    taken = set(integration.stakeholders.values_list("person_id", flat=True)) | {me.pk}
    colleagues = set(
        Person.objects.filter(organization__kind=Organization.Kind.OURS).values_list(
            "id", flat=True
        )
    )
    grown = [
        p
        for p in _grown_ties(me.pk, integration.started_on, today, among=colleagues)
        if p not in taken
    ]
    if grown:
        services.stakeholder_add(
            actor=member,
            objective=integration,
            person=Person.objects.get(pk=grown[0]),
            origin="added",
            reason="Has shipped partner integrations before; knows the platform's API gateway",
            target_strength=0.35,
            cadence_days=21,
            next_step="Walk through the integration design together before the partner review",
        )
        counts["stakeholders"] += 1
    mentor = User.objects.filter(username=DEMO_MENTOR).select_related("person").first()
    if mentor is not None and mentor.person_id:
        services.objective_share(actor=member, objective=integration, person=mentor.person)
        counts["shares"] += 1

    expansion = services.objective_create(
        actor=member,
        title=f"Win the {client.name if client else 'key client'} platform expansion",
        why="The account's next phase needs our team's engineers trusted by the client's IT "
        "and procurement, not only by our account team.",
        success_measure="Phase one of the expansion signed",
        started_on=today - dt.timedelta(days=150),
        target_date=today + dt.timedelta(days=60),
        scope=Objective.Scope.TEAM if me.team_id else Objective.Scope.PERSON,
        team=me.team if me.team_id else None,
        needed_skills=_skills("enterprise-sales", "account-management"),
        needed_organizations=[client] if client else [],
    )
    found["expansion"] = expansion
    at_client = set(
        Person.objects.filter(organization=client).values_list("id", flat=True) if client else []
    )
    built, names = [], set()
    for person_id, name in Person.objects.filter(
        pk__in=_grown_ties(me.pk, expansion.started_on, today, among=at_client)
    ).values_list("id", "full_name"):
        if name not in names:  # the demo keeps one possible duplicate for review
            names.add(name)
            built.append(person_id)
    order = _grown_ties(me.pk, expansion.started_on, today, among=at_client)
    built.sort(key=order.index)
    for person_id in built[:3]:
        services.stakeholder_add(
            actor=member,
            objective=expansion,
            person=Person.objects.get(pk=person_id),
            origin="added",
            reason="Decision maker on the client side",
            target_strength=0.35,
            cadence_days=30,
        )
        counts["stakeholders"] += 1
    plan = selectors.plan_proposals(expansion, strengths=measures.strengths_of(me.pk, today))
    _accept(member, expansion, [r for r in plan if r.kind == "target"], count=2, counts=counts)
    if me.team_id:
        services.objective_share(actor=member, objective=expansion, team=me.team)
        counts["shares"] += 1

    learning = services.objective_create(
        actor=member,
        title="Bring machine learning into the product's recommendations",
        why="I want to grow into ML engineering; the recommendations feature is the place.",
        success_measure="A recommendations experiment shipped with a data scientist",
        started_on=today - dt.timedelta(days=45),
        target_date=today + dt.timedelta(days=180),
        needed_skills=_skills("machine-learning", "experimentation"),
        needed_organizations=_organizations("Quarry Analytics"),
    )
    found["learning"] = learning
    plan = selectors.plan_proposals(learning, strengths=measures.strengths_of(me.pk, today))
    _accept(member, learning, plan, count=2, counts=counts)
    introduced = (
        IntroductionRequest.objects.filter(
            requester=me,
            status__in=["accepted", "completed"],
            created_at__date__gte=learning.started_on,
        )
        .select_related("target", "via")
        .order_by("created_at", "id")
        .first()
    )
    if (
        introduced is not None
        and not learning.stakeholders.filter(person=introduced.target).exists()
    ):
        services.stakeholder_add(
            actor=member,
            objective=learning,
            person=introduced.target,
            origin="added",
            reason=f"Data engineer {introduced.via.full_name} introduced me to",
            target_strength=0.35,
            cadence_days=14,
            next_step="Pair on the feature pipeline for the first experiment",
        )
        counts["stakeholders"] += 1
    counts["objectives"] += 3
    return found


def _shared_interactions(owner_id: int, other_ids, *, before: dt.date, limit: int = 2) -> list:
    """The owner's latest interactions with any of ``other_ids`` before a day."""
    return list(
        Interaction.objects.filter(participations__person_id=owner_id, occurred_at__date__lt=before)
        .filter(participations__person_id__in=list(other_ids))
        .distinct()
        .order_by("-occurred_at", "-id")[:limit]
    )


def _member_outcomes(member: User, objectives: dict, today: dt.date, counts: dict) -> None:
    me = _own_person(member)
    integration, expansion, learning = (
        objectives["integration"],
        objectives["expansion"],
        objectives["learning"],
    )

    def plan_people(objective: Objective) -> list[Person]:
        return [
            s.person
            for s in objective.stakeholders.filter(status="accepted")
            .select_related("person")
            .order_by("id")
        ]

    def log(**kwargs) -> None:
        kwargs["evidence"] = DEMO_EVIDENCE + kwargs.get("evidence", "")
        services.outcome_log(actor=member, **kwargs)
        counts["outcomes"] += 1

    people = plan_people(integration)
    if people:
        day = today - dt.timedelta(days=12)
        log(
            kind="deal",
            title="Integration pilot signed with the partner",
            value=Decimal("48000"),
            unit="money",
            occurred_on=day,
            evidence="Pilot order form, first-year value.",
            objective=integration,
            contributors=[
                services.ContributorIn(person=people[0], share=50),
                *(
                    [services.ContributorIn(person=people[1], via=people[-1], share=30)]
                    if len(people) > 2
                    else []
                ),
            ],
            interactions=_shared_interactions(me.pk, [p.pk for p in people], before=day),
        )
        log(
            kind="knowledge",
            title="Learned the partner's certification process",
            value=Decimal("4"),
            unit="rating",
            occurred_on=today - dt.timedelta(days=70),
            evidence="Internal write-up shared with the platform team.",
            objective=integration,
            credit_method="last_touch",
            contributors=[services.ContributorIn(person=people[-1])],
            interactions=_shared_interactions(
                me.pk, [people[-1].pk], before=today - dt.timedelta(days=70)
            ),
        )
    introduction = (
        IntroductionRequest.objects.filter(requester=me, status__in=["accepted", "completed"])
        .order_by("created_at", "id")
        .first()
    )
    if introduction is not None:
        day = max(
            introduction.created_at.date() + dt.timedelta(days=7), today - dt.timedelta(days=3)
        )
        log(
            kind="hire",
            title=f"Brought in a contractor through {introduction.via.full_name}'s introduction",
            value=Decimal("4"),
            unit="rating",
            occurred_on=min(day, today),
            evidence="Contract signed; started on the data pipeline work.",
            introductions=[introduction],
        )
    people = plan_people(expansion)
    if people:
        day = today - dt.timedelta(days=20)
        log(
            kind="deal",
            title="Expansion phase one signed",
            value=Decimal("120000"),
            unit="money",
            occurred_on=day,
            evidence="Order form for phase one.",
            objective=expansion,
            contributors=[
                services.ContributorIn(person=p, share=share)
                for p, share in zip(people[:3], (40, 35, 25), strict=False)
            ],
            interactions=_shared_interactions(me.pk, [p.pk for p in people[:3]], before=day),
        )
    people = plan_people(learning)
    if people:
        log(
            kind="solved_problem",
            title="Reused a data scientist's experiment framework",
            value=Decimal("16"),
            unit="hours",
            occurred_on=today - dt.timedelta(days=9),
            evidence="Skipped building our own A/B harness.",
            objective=learning,
            contributors=[services.ContributorIn(person=people[0])],
        )


# ---- across the organization ----------------------------------------------------------------


def _organization_outcomes(rng: random.Random, today: dt.date, counts: dict, objectives) -> None:
    """Outcomes of people in every team over the last year, each crediting people the
    owner really worked with and linked to one of their shared interactions."""
    start = today - dt.timedelta(days=360)
    excluded = set(User.objects.filter(person__isnull=False).values_list("person_id", flat=True))
    teams = [
        t
        for t in Team.objects.order_by("name", "id")
        if t.members.filter(engagement_type__in=list(WORKFORCE_ENGAGEMENTS)).count() >= 6
    ]
    owners: list[tuple[Person, Team]] = []
    for team in teams:
        members = list(
            team.members.filter(
                engagement_type__in=list(WORKFORCE_ENGAGEMENTS), analytics_consent=True
            )
            .exclude(pk__in=excluded)
            .order_by("id")
        )
        owners += [(p, team) for p in rng.sample(members, min(OWNERS_PER_TEAM, len(members)))]
    owner_ids = [p.pk for p, _ in owners]
    shared: dict[tuple[int, int], list[tuple[dt.date, int]]] = defaultdict(list)
    partners: dict[int, Counter] = defaultdict(Counter)
    mine = InteractionParticipant.objects.filter(
        person_id__in=owner_ids, interaction__occurred_at__date__gte=start
    ).values("interaction_id")
    rows = (
        InteractionParticipant.objects.filter(interaction_id__in=mine)
        .order_by("interaction_id", "person_id")
        .values_list("interaction_id", "person_id", "interaction__occurred_at")
    )
    by_interaction: dict[int, tuple[dt.date, list[int]]] = {}
    for interaction_id, person_id, occurred_at in rows:
        by_interaction.setdefault(interaction_id, (occurred_at.date(), []))[1].append(person_id)
    owner_set = set(owner_ids)
    for interaction_id, (day, people) in by_interaction.items():
        for owner_id in owner_set.intersection(people):
            for other in people:
                if other != owner_id:
                    partners[owner_id][other] += 1
                    shared[(owner_id, other)].append((day, interaction_id))
    team_objective = objectives.get("expansion")
    for index, (owner, team) in enumerate(owners):
        contacts = [p for p, _ in partners[owner.pk].most_common(12)]
        if not contacts:
            continue
        for round_ in range(rng.choice((1, 2, 2, 3))):
            kind, unit, low, high, titles = rng.choice(_work(team.name))
            helpers = rng.sample(contacts, min(len(contacts), rng.choice((1, 2, 2, 3))))
            meetings = sorted(d for h in helpers for d in shared[(owner.pk, h)])
            if not meetings:
                continue
            # Later months get more results: the network work of the year pays off.
            position = max(rng.random(), rng.random())
            day_met, interaction_id = meetings[
                min(len(meetings) - 1, int(position * len(meetings)))
            ]
            day = min(today - dt.timedelta(days=1), day_met + dt.timedelta(days=rng.randint(3, 40)))
            value = (
                Decimal(rng.randint(low, high))
                if unit != "money"
                else Decimal(rng.randint(low // 500, high // 500) * 500)
            )
            via = None
            if len(helpers) == 1 and len(contacts) > 3 and rng.random() < 0.4:
                candidates = [c for c in contacts if c != helpers[0]]
                via = Person.objects.get(pk=rng.choice(candidates))
            declared = rng.random() < 0.5
            contributors = [
                services.ContributorIn(
                    person=Person.objects.get(pk=h),
                    via=via if i == 0 else None,
                    share=rng.choice((20, 30, 50)) if declared else None,
                )
                for i, h in enumerate(helpers)
            ]
            linked = Interaction.objects.filter(pk=interaction_id)
            services.outcome_log(
                actor=None,
                owner=owner,
                kind=kind,
                title=rng.choice(titles),
                value=value,
                unit=unit,
                occurred_on=day,
                evidence=DEMO_EVIDENCE + f"logged by {owner.full_name.split()[0]}",
                objective=team_objective
                if team_objective is not None
                and team_objective.team_id == team.pk
                and round_ == 0
                and index % 2 == 0
                else None,
                credit_method=rng.choice(
                    ("shapley", "shapley", "shapley", "declared", "last_touch")
                )
                if declared
                else rng.choice(("shapley", "shapley", "first_touch", "last_touch")),
                contributors=contributors,
                interactions=list(linked),
            )
            counts["outcomes"] += 1


# ---- mentoring programs ---------------------------------------------------------------------


def _programs(today: dt.date, counts: dict) -> None:
    """An objective for the first running program, and an evaluation of every program
    that has started (nothing when the mentoring demo made no program)."""
    started = list(
        Program.objects.filter(
            status__in=[Program.Status.ACTIVE, Program.Status.FINISHED], start_date__lt=today
        ).order_by("start_date", "id")
    )
    manager = User.objects.filter(username=DEMO_MANAGER).select_related("person").first()
    if (
        started
        and manager is not None
        and manager.person_id
        and programs.manages_programs(manager)
        and not Objective.objects.filter(program=started[0]).exists()
    ):
        services.objective_create(
            actor=manager,
            title="Every mentee builds two ties outside their own team",
            why="The program exists to widen networks; this is how we will know it did.",
            success_measure="Mentees' ties outside their team, against similar colleagues",
            started_on=started[0].start_date,
            target_date=started[0].end_date,
            scope=Objective.Scope.PROGRAM,
            program=started[0],
        )
        counts["objectives"] += 1
    for program in started:
        mentees = program.enrollments.filter(role="mentee", status="active")
        if not mentees.exists() or EvaluationRun.objects.filter(program=program).exists():
            continue
        services.program_evaluate(actor=None, program=program, today=today)
        counts["evaluations"] += 1
