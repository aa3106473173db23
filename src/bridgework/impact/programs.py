"""Mentoring programs seen from the impact app: who takes part, the program's
return on impact, and its evaluation against a comparison group.

Reads the mentoring app's ``Program``, ``Enrollment`` and
``MentoringRelationship``. A program's *participants* are its active
enrollments (mentees and mentors); its evaluation is about its **mentees**.

**Evaluation** (:func:`evaluate_cohort`, the minimal interface: participant
person ids and the period): each mentee's change in network measures
(``analysis.snapshots.network_measures_at`` on the day before the start and
on the last day) and in outcomes credited to them, against similar people
who did not take part — people working in our teams (employees, contractors,
freelancers) who consented to analytics and are not enrolled in the program,
matched on team, level, tenure and starting network (their number of ties).
:func:`~bridgework.core.impact.evaluation.evaluate_program` gives the matched
difference in differences, its interval and an honest verdict
(``docs/impact.md`` §7). :func:`~bridgework.impact.services.program_evaluate`
stores a run; pages read the stored run.

Access: :func:`~bridgework.accounts.policies.can_view_program_impact` (program
managers run every program in this deployment, as in the mentoring app).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.models import Role, User
from bridgework.analysis.snapshots import network_measures_at
from bridgework.core.errors import NotFoundError
from bridgework.core.impact.evaluation import ProgramEvaluation, Subject, evaluate_program
from bridgework.core.impact.records import UNITS
from bridgework.core.impact.roi import ReturnOnImpact, invested_hours, return_on_impact
from bridgework.core.privacy.groups import disclosure_safe_groups, figure_shown
from bridgework.impact import measures
from bridgework.impact.credit import OUTCOME_PREFETCH, credited
from bridgework.impact.models import EvaluationRun, Outcome
from bridgework.mentoring.models import Enrollment, MentoringRelationship, Program
from bridgework.people.models import WORKFORCE_ENGAGEMENTS, Person

__all__ = [
    "EVALUATED_MEASURES",
    "PRIMARY_MEASURE",
    "CohortResult",
    "program_participants",
    "mentors_of",
    "manages_programs",
    "programs_for",
    "access_program",
    "can_evaluate",
    "latest_evaluation",
    "evaluation_withheld",
    "program_return",
    "comparison_pool",
    "evaluate_cohort",
]

#: Measures evaluated, in the order the page shows them: (key, words).
EVALUATED_MEASURES = (
    ("ties_outside_team", "ties outside own team"),
    ("teams_reached", "other teams reached"),
    ("organizations_reached", "other organizations reached"),
    ("two_step_reach", "two-step reach"),
    ("brokerage", "brokerage between teams"),
    ("ties", "ties"),
    ("outcomes", "outcomes credited"),
)
#: The measure the page leads with (wide networks are the point of the programs).
PRIMARY_MEASURE = "ties_outside_team"


def manages_programs(user: User) -> bool:
    """Program managers run every program in this deployment (as in the mentoring app)."""
    return user.is_authenticated and user.has_role(Role.PROGRAM_MANAGER)


def program_participants(*, roles: Collection[str] = ("mentee", "mentor")) -> dict:
    """Program id → (name, person ids of its active enrollments in ``roles``), for
    programs that are running or finished."""
    found: dict[int, tuple[str, set[int]]] = {}
    for program_id, name, person_id in (
        Enrollment.objects.filter(
            status=Enrollment.Status.ACTIVE,
            role__in=list(roles),
            program__status__in=[Program.Status.ACTIVE, Program.Status.FINISHED],
        )
        .order_by("program__name", "program_id", "person_id")
        .values_list("program_id", "program__name", "person_id")
    ):
        found.setdefault(program_id, (name, set()))[1].add(person_id)
    return found


def mentors_of(person_id: int | None) -> list[Person]:
    """The active mentors of a mentee (to share an objective with)."""
    if person_id is None:
        return []
    mentor_ids = MentoringRelationship.objects.filter(
        mentee_id=person_id, status=MentoringRelationship.Status.ACTIVE
    ).values("mentor_id")
    return list(Person.objects.filter(pk__in=mentor_ids).order_by("full_name", "id"))


def _visible_programs() -> QuerySet:
    return Program.objects.filter(
        status__in=[Program.Status.ACTIVE, Program.Status.FINISHED]
    ).order_by("-start_date", "name", "id")


def programs_for(*, viewer: User) -> list | None:
    """Programs whose impact the viewer may see (None: none at all, for this viewer)."""
    if viewer is None or not viewer.is_authenticated:
        return None
    if not policies.can_view_program_impact(viewer, manages_program=manages_programs(viewer)):
        return None
    return list(_visible_programs())


def access_program(*, viewer: User, program_id: int):
    """One running or finished program whose impact the viewer may see."""
    if programs_for(viewer=viewer) is None:
        raise NotFoundError("Not found.")
    try:
        return _visible_programs().get(pk=int(program_id))
    except (ValueError, TypeError, Program.DoesNotExist):
        raise NotFoundError("Not found.") from None


def can_evaluate(*, viewer: User, program) -> bool:
    return policies.can_evaluate_program(viewer, manages_program=manages_programs(viewer))


def latest_evaluation(*, program):
    """The newest stored evaluation run of the program (with its results), or None."""
    return (
        EvaluationRun.objects.filter(program=program)
        .prefetch_related("results")
        .order_by("-created_at", "-id")
        .first()
    )


def evaluation_withheld(*, run, program, viewer: User) -> bool:
    """Whether the numbers of an evaluation run must be withheld from ``viewer``.

    A finding's numbers are means over the mentees evaluated and over the
    people they were compared with; a viewer who is (or was) one of the mentees,
    or could be one of the comparison people, knows their own part. The numbers
    are shown only when each mean rests on at least ``PRIVACY_MIN_GROUP_SIZE``
    people other than the viewer (``core/privacy/groups.py``); results that are
    not findings show no numbers anyway.
    """
    if run is None:
        return False
    findings = [r for r in run.results.all() if r.is_finding]
    if not findings:
        return False
    minimum = settings.PRIVACY_MIN_GROUP_SIZE
    person = viewer.person_id if viewer.is_authenticated else None
    mentee = (
        person is not None
        and Enrollment.objects.filter(
            program=program, person_id=person, role=Enrollment.Role.MENTEE
        ).exists()
    )
    own_mentees = 1 if mentee else 0
    own_comparison = 1 if person is not None and not mentee else 0
    return any(
        r.participants - own_mentees < minimum or r.comparison_people - own_comparison < minimum
        for r in findings
    )


def program_return(
    *, program, today: dt.date | None = None, viewer: User | None = None
) -> ReturnOnImpact | None:
    """The participants' return on impact since the program started (credit to them
    against their interaction hours); None when fewer than the minimum group size
    other than the viewer take part in analytics (nothing is shown for a small
    group), or when fewer than that many invested the hours. A unit credited to
    fewer than that many people other than the viewer is left out of
    ``by_unit`` (it would be theirs alone)."""
    today = today or timezone.localdate()
    _, members = program_participants().get(program.pk, (program.name, set()))
    members = set(
        Person.objects.filter(pk__in=members, analytics_consent=True).values_list("id", flat=True)
    )
    minimum = settings.PRIVACY_MIN_GROUP_SIZE
    person = viewer.person_id if viewer is not None and viewer.is_authenticated else None
    safe = disclosure_safe_groups(
        {"program": {program.pk: members}}, minimum=minimum, viewer=person
    )
    if not safe.is_shown("program", program.pk):
        return None
    start = min(program.start_date, today)
    end = min(program.end_date or today, today)
    outcomes = [
        credited(o).record
        for o in Outcome.objects.filter(occurred_on__gte=start, occurred_on__lte=end)
        .select_related("owner")
        .prefetch_related(*OUTCOME_PREFETCH)
    ]
    timed = [
        i
        for i in measures.interactions_between(start=start, end=end, people=members)
        if i.kind in measures.HOURS_KINDS
    ]
    hours = {p: h for p, h in invested_hours(timed).items() if p in members}
    investors = {p for p, h in hours.items() if h > 0 and isinstance(p, int)}
    if not figure_shown(investors, minimum=minimum, viewer=person):
        return None
    credited_people = {
        unit: {
            p
            for o in outcomes
            if o.unit == unit
            for p, amount in o.people.items()
            if p in members and amount > 0
        }
        for unit in UNITS
    }
    hidden = {
        unit
        for unit, made_by in credited_people.items()
        if not figure_shown(made_by, minimum=minimum, viewer=person)
    }
    group = dict.fromkeys(members, "program")
    kept = [o for o in outcomes if o.unit not in hidden]
    result = return_on_impact(kept, hours, level="person", groups=group)
    found = result.get("program") or return_on_impact([], {"program": 0.0})["program"]
    if not hidden:
        return found
    return replace(
        found,
        by_unit={unit: item for unit, item in found.by_unit.items() if unit not in hidden},
        reading=f"{found.reading}; not shown: "
        + ", ".join(sorted(hidden))
        + f" (credited to fewer than {minimum} people other than you)",
    )


# ---- evaluation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CohortResult:
    """One measure's evaluation of a cohort."""

    measure: str
    label: str
    evaluation: ProgramEvaluation


def comparison_pool(*, exclude: Iterable[int]) -> list[int]:
    """People who could be compared with the participants: working in one of our
    teams (employees, contractors, freelancers), consenting to analytics, not in
    ``exclude``."""
    excluded = set(exclude)
    return [
        p
        for p in Person.objects.filter(
            team__isnull=False,
            engagement_type__in=list(WORKFORCE_ENGAGEMENTS),
            analytics_consent=True,
        )
        .order_by("id")
        .values_list("id", flat=True)
        if p not in excluded
    ]


def _credited_counts(people: set[int], start: dt.date, end: dt.date) -> dict[int, int]:
    """Per person: outcomes from ``start`` to ``end`` that credit them (by each
    outcome's attribution method)."""
    counts = dict.fromkeys(people, 0)
    for outcome in Outcome.objects.filter(
        occurred_on__gte=start, occurred_on__lte=end
    ).prefetch_related(*OUTCOME_PREFETCH):
        for person, amount in credited(outcome).record.people.items():
            if person in counts and amount > 0:
                counts[person] += 1
    return counts


def evaluate_cohort(
    participant_ids: Iterable[int],
    *,
    start: dt.date,
    end: dt.date,
    exclude: Iterable[int] = (),
    measures: Iterable[tuple[str, str]] = EVALUATED_MEASURES,
) -> tuple[list[CohortResult], int, int]:
    """Evaluate a cohort that started on ``start``, as of ``end``.

    Returns the results per measure, the number of participants evaluated
    (those who consent to analytics) and the size of the comparison pool.
    ``exclude`` keeps other people out of the pool (the program's mentors).
    Measures come from the event store as of the end of the day before
    ``start`` and of ``end``; outcomes are counted over the same number of
    days before and after ``start``.
    """
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    before_day = start - dt.timedelta(days=1)
    participants = sorted({int(p) for p in participant_ids})
    pool = comparison_pool(exclude={*participants, *(int(p) for p in exclude)})
    everyone = [*participants, *pool]
    # Person id → measure → value, as plain Python numbers.
    before = network_measures_at(before_day, people=everyone).set_index("person").to_dict("index")
    after = network_measures_at(end, people=everyone).set_index("person").to_dict("index")
    known = set(before) & set(after)
    participants = [p for p in participants if p in known]
    pool = [p for p in pool if p in known]
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in=participants + pool).only(
            "id", "team_id", "level", "engagement_start"
        )
    }
    days = (end - start).days + 1
    outcomes_before = _credited_counts(set(people), start - dt.timedelta(days=days), before_day)
    outcomes_after = _credited_counts(set(people), start, end)

    def tenure(person: Person) -> float:
        if person.engagement_start is None or person.engagement_start > start:
            return 0.0
        return (start - person.engagement_start).days / 365.25

    results = []
    for key, label in measures:
        subjects = {}
        for p in participants + pool:
            person = people[p]
            if key == "outcomes":
                value_before, value_after = outcomes_before[p], outcomes_after[p]
            else:
                value_before, value_after = before[p][key], after[p][key]
            subjects[p] = Subject(
                person=p,
                team=person.team_id or f"none-{p}",
                level=person.level or 1,
                tenure_years=tenure(person),
                start_network=float(before[p]["ties"]),
                before=float(value_before),
                after=float(value_after),
            )
        evaluation = evaluate_program(
            [subjects[p] for p in participants], [subjects[p] for p in pool], measure=label
        )
        results.append(CohortResult(measure=key, label=label, evaluation=evaluation))
    return results, len(participants), len(pool)
