"""Reads of the mentoring app, always on behalf of a viewer.

The rules (:mod:`bridgework.accounts.policies`):

* programs: everyone signed in sees active and finished programs; drafts,
  enrollments lists, matching and dashboards are for program managers;
* a mentoring relationship: its mentee and mentor see it (each side's
  private notes stay with their author; session feedback and fit checks with
  their author); program managers see its *progress* (sessions held, cadence,
  ratings, counts of action items and practice plans), never notes, agendas
  or goals, and each look is audited;
* a mentee's individual network metrics: the mentee, and the mentor only
  while the mentee shares them in the agreement (:func:`mentor_can_see_network`);
  program managers see network growth only as an average over at least
  ``PRIVACY_MIN_GROUP_SIZE`` mentees;
* an assessment: its assessor (a peer sees nothing but the form), the pair,
  and program managers (ratings only, not the assessor's notes).

A missing object and a forbidden one raise the same
:class:`~bridgework.core.errors.NotFoundError`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.errors import NotFoundError
from bridgework.mentoring import charts
from bridgework.mentoring.models import (
    AT_RISK_CADENCE_FACTOR,
    AT_RISK_OVERDUE_ITEMS,
    FIT_CHECK_AFTER_SESSIONS,
    LOW_FIT,
    ActionItem,
    Assessment,
    AssessmentRating,
    BehaviorFramework,
    Enrollment,
    FitCheck,
    FrameworkVersion,
    MatchingRun,
    MatchOverride,
    MentoringRelationship,
    MentoringSession,
    PracticePlan,
    Program,
    RelationshipIntroduction,
    SessionFeedback,
    SessionNote,
)

__all__ = [
    "MEASURE_LABELS",
    "OverdueItem",
    "RoundColumn",
    "BehaviorProgress",
    "ProgressData",
    "NetworkRow",
    "NetworkChange",
    "RelationshipPage",
    "AtRisk",
    "PairRow",
    "GrowthRow",
    "NetworkGrowthRow",
    "ProgramDashboard",
    "MatchingReview",
    "SuggestionRow",
    "MentoringHome",
    "framework_list",
    "access_framework",
    "access_framework_version",
    "program_list",
    "access_program",
    "program_enrollments",
    "my_enrollment",
    "access_enrollment",
    "matching_review",
    "mentor_suggestions",
    "relationship_list",
    "access_relationship",
    "relationship_page",
    "access_session",
    "visible_notes",
    "access_action_item",
    "access_practice_plan",
    "access_assessment",
    "assessments_to_fill",
    "behavior_progress",
    "network_change",
    "mentor_can_see_network",
    "overdue_items",
    "mentoring_home",
    "fit_check_due",
    "program_dashboard",
    "relationships_for_program",
    "sessions_of",
]

#: The network measures shown (``analysis.snapshots.MEASURES``), with their labels.
MEASURE_LABELS = {
    "ties": "Ties",
    "ties_outside_team": "Ties outside their own team",
    "two_step_reach": "Reach: people within two steps",
    "teams_reached": "Other teams reached",
    "organizations_reached": "Other organizations reached",
    "brokerage": "Brokerage between teams",
}
_LIVE = (MentoringRelationship.Status.REQUESTED, MentoringRelationship.Status.ACTIVE)
_PROFILE_RELATIONS = (
    "skills_wanted",
    "needed_teams",
    "needed_organizations",
    "preferred_mentors",
    "excluded_people",
)
_ROUND_ORDER = {"start": 0, "midpoint": 1, "checkin": 1, "end": 2}


def _require_login(viewer: User | None) -> None:
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        raise NotFoundError("Not found.")


def _get(queryset: QuerySet, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise NotFoundError("Not found.") from None


# ---- Frameworks ------------------------------------------------------------------------


def framework_list(*, viewer: User) -> list[BehaviorFramework]:
    """Every framework with its versions, newest first (no personal data)."""
    _require_login(viewer)
    return list(
        BehaviorFramework.objects.prefetch_related(
            Prefetch("versions", queryset=FrameworkVersion.objects.order_by("-number"))
        )
    )


def access_framework(*, viewer: User, framework_id: int) -> BehaviorFramework:
    _require_login(viewer)
    return _get(BehaviorFramework.objects.all(), framework_id)


def access_framework_version(*, viewer: User, version_id: int) -> FrameworkVersion:
    _require_login(viewer)
    return _get(FrameworkVersion.objects.select_related("framework"), version_id)


# ---- Programs and enrollment ---------------------------------------------------------------


def _programs() -> QuerySet[Program]:
    return Program.objects.select_related("framework_version__framework", "created_by")


def program_list(*, viewer: User) -> list[Program]:
    """Programs the viewer may see: all for program managers, else active and finished."""
    _require_login(viewer)
    programs = _programs()
    if not policies.can_manage_mentoring(viewer):
        programs = programs.exclude(status=Program.Status.DRAFT)
    return list(programs)


def access_program(*, viewer: User, program_id: int, manage: bool = False) -> Program:
    """One program (``manage``: only for program managers; a draft is theirs only)."""
    _require_login(viewer)
    program = _get(_programs(), program_id)
    manager = policies.can_manage_mentoring(viewer)
    if (manage or program.status == Program.Status.DRAFT) and not manager:
        raise NotFoundError("Not found.")
    return program


def program_enrollments(*, viewer: User, program: Program) -> list[Enrollment]:
    """Everyone enrolled, with their live relationship (program managers only)."""
    if not policies.can_manage_mentoring(viewer):
        raise NotFoundError("Not found.")
    return list(
        program.enrollments.select_related("person__team", "person__organization")
        .prefetch_related(*_PROFILE_RELATIONS)
        .order_by("role", "person__full_name", "id")
    )


def my_enrollment(*, viewer: User, program: Program, role: str | None = None) -> list[Enrollment]:
    """The viewer's own enrollments in a program (active ones first)."""
    _require_login(viewer)
    if viewer.person_id is None:
        return []
    enrollments = program.enrollments.filter(person_id=viewer.person_id)
    if role:
        enrollments = enrollments.filter(role=role)
    return list(enrollments.order_by("status", "role"))


def access_enrollment(*, viewer: User, enrollment_id: int) -> Enrollment:
    """An enrollment: the person's own, or any for a program manager."""
    _require_login(viewer)
    enrollment = _get(
        Enrollment.objects.select_related("program__framework_version", "person").prefetch_related(
            *_PROFILE_RELATIONS
        ),
        enrollment_id,
    )
    if enrollment.person_id != viewer.person_id and not policies.can_manage_mentoring(viewer):
        raise NotFoundError("Not found.")
    return enrollment


# ---- Matching --------------------------------------------------------------------------------


@dataclass
class MatchingReview:
    """What the program manager reviews: the proposal, overrides and the pool."""

    program: Program
    run: MatchingRun | None
    matches: list
    unmatched: list[tuple[Enrollment, str]]
    overrides: list[MatchOverride]
    mentees_waiting: list[Enrollment]
    mentors: list[Enrollment]
    places_left: dict[int, int]
    published: int

    @property
    def places_total(self) -> int:
        return sum(self.places_left.values())


def matching_review(*, viewer: User, program: Program) -> MatchingReview:
    """The newest proposal with every match's score parts and explanation, the
    unmatched mentees with the reason, the overrides, and who is in the pool."""
    from bridgework.mentoring.profiles import remaining_capacity

    if not policies.can_manage_mentoring(viewer):
        raise NotFoundError("Not found.")
    run = program.matching_runs.exclude(status=MatchingRun.Status.SUPERSEDED).first()
    matches = (
        list(
            run.matches.select_related("mentee__person__team", "mentor__person__team").order_by(
                "-total", "id"
            )
        )
        if run
        else []
    )
    enrollments = list(
        program.enrollments.filter(status=Enrollment.Status.ACTIVE).select_related(
            "person__team", "person__organization"
        )
    )
    live = set(program.relationships.filter(status__in=_LIVE).values_list("mentee_id", flat=True))
    mentees = [e for e in enrollments if e.role == Enrollment.Role.MENTEE]
    mentors = [e for e in enrollments if e.role == Enrollment.Role.MENTOR]
    by_person = {e.person_id: e for e in mentees}
    unmatched = []
    if run is not None and run.status == MatchingRun.Status.PROPOSED:
        unmatched = [
            (by_person[int(pk)], reason)
            for pk, reason in run.unmatched.items()
            if int(pk) in by_person
        ]
    return MatchingReview(
        program=program,
        run=run,
        matches=matches,
        unmatched=unmatched,
        overrides=list(
            program.overrides.select_related("mentee__person", "mentor__person").order_by(
                "kind", "mentee__person__full_name", "id"
            )
        ),
        mentees_waiting=[e for e in mentees if e.person_id not in live],
        mentors=mentors,
        places_left=remaining_capacity(program, mentors),
        published=program.relationships.filter(origin=MentoringRelationship.Origin.MATCHED).count(),
    )


@dataclass
class SuggestionRow:
    rank: int
    mentor: object
    enrollment: Enrollment
    score: object
    places_left: int
    explanation: str


def mentor_suggestions(*, viewer: User, program: Program, limit: int = 5) -> list[SuggestionRow]:
    """Self-matching: the viewer's ranked, explained mentor suggestions in a program
    (empty when they are not an unmatched mentee there)."""
    from bridgework.core.matching import ranked_suggestions
    from bridgework.mentoring.profiles import matching_pool

    _require_login(viewer)
    if viewer.person_id is None:
        return []
    pool = matching_pool(program, mentee_person_ids=[viewer.person_id])
    if not pool.mentees:
        return []
    suggestions = ranked_suggestions(
        pool.mentees[0],
        pool.mentors,
        weights=program.matching_weights(),
        constraints=program.matching_constraints(),
        remaining_capacity=pool.places_left,
        limit=limit,
        names=pool.names,
        behavior_labels=pool.labels,
    )
    return [
        SuggestionRow(
            rank=s.rank,
            mentor=pool.mentor_enrollments[s.mentor_id].person,
            enrollment=pool.mentor_enrollments[s.mentor_id],
            score=s.score,
            places_left=s.places_left,
            explanation=s.explanation,
        )
        for s in suggestions
    ]


# ---- Relationships -------------------------------------------------------------------------


def _relationships() -> QuerySet[MentoringRelationship]:
    return MentoringRelationship.objects.select_related(
        "program__framework_version",
        "mentee__team",
        "mentor__team",
        "mentee_enrollment",
        "agreement",
    )


def relationship_list(
    *, viewer: User, program: Program | None = None, side: str | None = None
) -> list[MentoringRelationship]:
    """The viewer's own relationships (``side``: ``mentee`` or ``mentor`` only);
    with ``program``, a program manager gets every relationship of the program."""
    _require_login(viewer)
    relationships = _relationships()
    if program is not None and policies.can_manage_mentoring(viewer):
        return list(relationships.filter(program=program))
    if viewer.person_id is None:
        return []
    mine = Q()
    if side in (None, "mentee"):
        mine |= Q(mentee_id=viewer.person_id)
    if side in (None, "mentor"):
        mine |= Q(mentor_id=viewer.person_id)
    relationships = relationships.filter(mine)
    if program is not None:
        relationships = relationships.filter(program=program)
    return list(relationships.order_by("-status", "-started_on", "-id"))


def access_relationship(*, viewer: User, relationship_id: int) -> MentoringRelationship:
    """A relationship for its mentee or mentor, or (progress only, audited) for a
    program manager; ``viewer_side`` says which: ``mentee``, ``mentor`` or ``manager``."""
    _require_login(viewer)
    relationship = _get(_relationships(), relationship_id)
    side = relationship.side_of(viewer.person_id)
    if side is None:
        if not policies.can_see_mentoring_pair(
            viewer, mentee_id=relationship.mentee_id, mentor_id=relationship.mentor_id
        ):
            raise NotFoundError("Not found.")
        side = "manager"
        audit_record(
            actor=viewer,
            action=AuditEntry.Action.VIEW,
            object_type="mentoring_progress",
            object_id=relationship.pk,
            subject_person_id=relationship.mentee_id,
        )
    relationship.viewer_side = side
    return relationship


def _pair_only(viewer: User, relationship: MentoringRelationship) -> str:
    side = relationship.side_of(viewer.person_id)
    if side is None:
        raise NotFoundError("Not found.")
    return side


def access_session(*, viewer: User, session_id: int) -> MentoringSession:
    """A session, for the pair only (program managers see sessions as progress)."""
    _require_login(viewer)
    session = _get(
        MentoringSession.objects.select_related(
            "relationship__program__framework_version",
            "relationship__mentee",
            "relationship__mentor",
        ),
        session_id,
    )
    session.viewer_side = _pair_only(viewer, session.relationship)
    return session


def visible_notes(*, viewer: User, session: MentoringSession) -> list[SessionNote]:
    """The session's notes the viewer may read: their own, and the other side's shared ones."""
    relationship = session.relationship
    return [
        note
        for note in session.notes.select_related("author")
        if policies.can_read_mentoring_note(
            viewer,
            author_id=note.author_id,
            shared=note.visibility == SessionNote.Visibility.SHARED,
            mentee_id=relationship.mentee_id,
            mentor_id=relationship.mentor_id,
        )
    ]


def access_action_item(*, viewer: User, item_id: int) -> ActionItem:
    _require_login(viewer)
    item = _get(ActionItem.objects.select_related("relationship", "owner"), item_id)
    _pair_only(viewer, item.relationship)
    return item


def access_practice_plan(*, viewer: User, plan_id: int) -> PracticePlan:
    _require_login(viewer)
    plan = _get(
        PracticePlan.objects.select_related(
            "relationship__program__framework_version", "relationship__mentee", "counterpart"
        ),
        plan_id,
    )
    plan.viewer_side = _pair_only(viewer, plan.relationship)
    return plan


def access_assessment(*, viewer: User, assessment_id: int) -> Assessment:
    """An assessment for its assessor (who fills it in), the pair, or a program
    manager. ``viewer_can_fill`` and ``viewer_sees_notes`` (the assessor's
    observations and comment: not for program managers) say what the page shows."""
    _require_login(viewer)
    assessment = _get(
        Assessment.objects.select_related(
            "framework_version__framework",
            "subject",
            "assessor",
            "relationship",
            "enrollment__program",
        ),
        assessment_id,
    )
    me = viewer.person_id
    relationship = assessment.relationship
    in_pair = relationship is not None and relationship.side_of(me) is not None
    is_assessor = me is not None and me == assessment.assessor_id
    is_subject = me is not None and me == assessment.subject_id
    if not (is_assessor or in_pair or is_subject):
        if not policies.can_manage_mentoring(viewer):
            raise NotFoundError("Not found.")
        audit_record(
            actor=viewer,
            action=AuditEntry.Action.VIEW,
            object_type="mentoring_assessment",
            object_id=assessment.pk,
            subject_person_id=assessment.subject_id,
        )
    assessment.viewer_can_fill = is_assessor and not assessment.is_submitted
    assessment.viewer_sees_notes = is_assessor or in_pair or is_subject
    return assessment


def assessments_to_fill(*, viewer: User) -> list[Assessment]:
    """Assessments waiting for the viewer as assessor (self, mentor or peer)."""
    _require_login(viewer)
    if viewer.person_id is None:
        return []
    return list(
        Assessment.objects.filter(assessor_id=viewer.person_id, status=Assessment.Status.REQUESTED)
        .select_related("subject", "enrollment__program")
        .order_by("due_on", "created_at", "id")
    )


# ---- Progress: behaviors -------------------------------------------------------------------


@dataclass
class RoundColumn:
    key: str
    label: str
    day: dt.date


@dataclass
class BehaviorProgress:
    """One behavior's levels per round: by kind of assessor and all together."""

    key: str
    name: str
    series: dict[str, list[float | None]]
    combined: list[float | None]
    rounds: list[RoundColumn] = field(default_factory=list)

    @property
    def first(self) -> float | None:
        return next((v for v in self.combined if v is not None), None)

    @property
    def latest(self) -> float | None:
        return next((v for v in reversed(self.combined) if v is not None), None)

    @property
    def change(self) -> float | None:
        rated = [v for v in self.combined if v is not None]
        return round(rated[-1] - rated[0], 2) if len(rated) > 1 else None

    @property
    def chart(self):
        return charts.behavior_chart(
            uid=f"behavior-{self.key}",
            name=self.name,
            rounds=[r.label for r in self.rounds],
            series={k: v for k, v in self.series.items() if any(x is not None for x in v)},
        )

    @property
    def table_rows(self) -> list[tuple[str, list[float | None]]]:
        labels = {k: v[0] for k, v in charts.SERIES.items()}
        return [
            (labels[k], values)
            for k, values in self.series.items()
            if any(v is not None for v in values)
        ]


@dataclass
class ProgressData:
    rounds: list[RoundColumn]
    behaviors: list[BehaviorProgress]
    submitted: int

    @property
    def has_data(self) -> bool:
        return self.submitted > 0


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return round(sum(values) / len(values), 2) if values else None


def _round_key(assessment: Assessment) -> tuple[str, str, dt.date]:
    day = (assessment.submitted_at or assessment.created_at).date()
    if assessment.round == Assessment.Round.CHECKIN:
        requested = assessment.due_on or assessment.created_at.date()
        return f"checkin:{requested.isoformat()}", f"Check-in {requested:%d %b}", day
    return assessment.round, assessment.get_round_display(), day


def _progress(assessments: list[Assessment], labels: dict[str, str]) -> ProgressData:
    """Behavior progress from submitted assessments (their ratings prefetched)."""
    columns: dict[str, RoundColumn] = {}
    for a in assessments:
        key, label, day = _round_key(a)
        column = columns.get(key)
        if column is None or day < column.day:
            columns[key] = RoundColumn(key=key, label=label, day=day)
    rounds = sorted(
        columns.values(), key=lambda r: (_ROUND_ORDER[r.key.split(":")[0]], r.day, r.key)
    )
    index = {r.key: i for i, r in enumerate(rounds)}
    levels: dict[str, dict[str, list[list[int]]]] = defaultdict(
        lambda: {k: [[] for _ in rounds] for k in charts.SERIES}
    )
    names: dict[str, str] = {}
    for a in sorted(assessments, key=lambda a: (a.framework_version.number, a.pk)):
        column = index[_round_key(a)[0]]
        version_labels = a.framework_version.labels
        for rating in a.ratings.all():
            levels[rating.behavior_key][a.kind][column].append(rating.level)
            names[rating.behavior_key] = version_labels.get(
                rating.behavior_key, rating.behavior_key
            )
    order = [k for k in labels if k in levels] + sorted(k for k in levels if k not in labels)
    behaviors = []
    for key in order or list(labels):
        by_kind = levels[key] if key in levels else {k: [[] for _ in rounds] for k in charts.SERIES}
        series = {kind: [_mean(cell) for cell in cells] for kind, cells in by_kind.items()}
        combined = [
            _mean([lvl for kind in by_kind for lvl in by_kind[kind][i]]) for i in range(len(rounds))
        ]
        behaviors.append(
            BehaviorProgress(
                key=key,
                name=labels.get(key) or names.get(key, key),
                series=series,
                combined=combined,
                rounds=rounds,
            )
        )
    return ProgressData(rounds=rounds, behaviors=behaviors, submitted=len(assessments))


def _submitted(enrollment_ids: Iterable[int]) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(
            enrollment_id__in=list(enrollment_ids), status=Assessment.Status.SUBMITTED
        )
        .select_related("framework_version")
        .prefetch_related(Prefetch("ratings", queryset=AssessmentRating.objects.order_by("id")))
        .order_by("submitted_at", "id")
    )


def behavior_progress(*, enrollment: Enrollment) -> ProgressData:
    """A mentee's levels per behavior over the rounds, by self, mentor and peers.

    Internal: callers check the viewer may see the mentee's progress (the pair,
    program managers) first.
    """
    return _progress(list(_submitted([enrollment.pk])), enrollment.program.framework_version.labels)


# ---- Progress: network ------------------------------------------------------------------------


@dataclass
class NetworkRow:
    key: str
    label: str
    before: int | None
    after: int | None

    @property
    def change(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass
class NetworkChange:
    """A person's network measures at the start and now (or at the end)."""

    start: dt.date
    end: dt.date
    rows: list[NetworkRow]

    @property
    def available(self) -> bool:
        return any(r.before is not None and r.after is not None for r in self.rows)


def _network_days(relationship: MentoringRelationship, today: dt.date) -> tuple[dt.date, dt.date]:
    program = relationship.program
    start = relationship.started_on or program.start_date
    end = today
    for limit in (relationship.ended_on, program.end_date):
        if limit is not None:
            end = min(end, limit)
    return min(start, end), end


def mentor_can_see_network(*, mentor_person_id: int, mentee_person_id: int) -> bool:
    """Whether a mentor may see a mentee's individual network metrics: they are in an
    active mentoring relationship (the first the mentor of the second) and the
    mentee switched on sharing their network with the mentor in its agreement.

    Off by default, and only the mentee can switch it on. The analysis pages call
    this for the rule "individual network metrics are shown to the person, and
    to their mentor if the person shares them".
    """
    if mentor_person_id is None or mentee_person_id is None or mentor_person_id == mentee_person_id:
        return False
    return MentoringRelationship.objects.filter(
        mentor_id=mentor_person_id,
        mentee_id=mentee_person_id,
        status=MentoringRelationship.Status.ACTIVE,
        agreement__share_network_with_mentor=True,
    ).exists()


def network_change(
    *, viewer: User, relationship: MentoringRelationship, today: dt.date | None = None
) -> NetworkChange | None:
    """The mentee's network at the start of the relationship and now, or ``None`` when
    the viewer may not see it (only the mentee, and the mentor while the mentee
    shares it). A mentor's look is audited."""
    from bridgework.mentoring.services import network_snapshots_fill

    shared = bool(
        getattr(getattr(relationship, "agreement", None), "share_network_with_mentor", False)
    )
    if not policies.can_see_mentee_network(
        viewer,
        mentee_id=relationship.mentee_id,
        mentor_id=relationship.mentor_id,
        shared=shared and relationship.is_active,
    ):
        return None
    if viewer.person_id != relationship.mentee_id:
        audit_record(
            actor=viewer,
            action=AuditEntry.Action.VIEW,
            object_type="network_metrics",
            object_id=relationship.pk,
            subject_person_id=relationship.mentee_id,
            detail={"via": "mentoring"},
        )
    start, end = _network_days(relationship, today or timezone.now().date())
    found = network_snapshots_fill(person_ids=[relationship.mentee_id], days=[start, end])
    before = found.get((relationship.mentee_id, start), {})
    after = found.get((relationship.mentee_id, end), {})
    return NetworkChange(
        start=start,
        end=end,
        rows=[
            NetworkRow(key=key, label=label, before=before.get(key), after=after.get(key))
            for key, label in MEASURE_LABELS.items()
        ],
    )


# ---- Overdue items ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueItem:
    """Something overdue for one person: ``kind`` is ``action_item``, ``session``
    (to log), ``cadence`` (no session within the agreed cadence) or ``assessment``."""

    kind: str
    object_id: int
    relationship_id: int | None
    text: str
    url: str
    since: dt.date
    reminded_at: dt.datetime | None = None


def _cadence(relationship: MentoringRelationship) -> int:
    """The agreed cadence in days (the program's when there is no agreement)."""
    agreement = getattr(relationship, "agreement", None)
    return agreement.cadence_days if agreement else relationship.program.session_cadence_days


def _url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(f"mentoring:{name}", args=args)


def overdue_items(*, person_ids: Iterable[int], today: dt.date) -> dict[int, list[OverdueItem]]:
    """Overdue mentoring items of these people, by person (internal: the reminder
    task e-mails them, the home page shows the viewer's own)."""
    ids = set(person_ids)
    result: dict[int, list[OverdueItem]] = defaultdict(list)
    if not ids:
        return result
    start_of_today = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
    for item in ActionItem.objects.filter(
        owner_id__in=ids,
        done_at__isnull=True,
        due_on__lt=today,
        relationship__status=MentoringRelationship.Status.ACTIVE,
    ).order_by("due_on", "id"):
        result[item.owner_id].append(
            OverdueItem(
                kind="action_item",
                object_id=item.pk,
                relationship_id=item.relationship_id,
                text=f"Action item “{item.title}” was due on {item.due_on:%d %B}",
                url=_url("relationship_detail", item.relationship_id) + "#actions",
                since=item.due_on,
                reminded_at=item.reminded_at,
            )
        )
    mine = Q(relationship__mentee_id__in=ids) | Q(relationship__mentor_id__in=ids)
    for session in (
        MentoringSession.objects.filter(mine)
        .filter(
            status=MentoringSession.Status.SCHEDULED,
            scheduled_at__lt=start_of_today,
            relationship__status=MentoringRelationship.Status.ACTIVE,
        )
        .select_related("relationship__mentee", "relationship__mentor")
        .order_by("scheduled_at", "id")
    ):
        relationship = session.relationship
        for me, other in (
            (relationship.mentee_id, relationship.mentor),
            (relationship.mentor_id, relationship.mentee),
        ):
            if me in ids:
                result[me].append(
                    OverdueItem(
                        kind="session",
                        object_id=session.pk,
                        relationship_id=relationship.pk,
                        text=f"Log the session of {session.scheduled_at:%d %B} with {other}",
                        url=_url("session_detail", session.pk),
                        since=session.scheduled_at.date(),
                        reminded_at=session.reminded_at,
                    )
                )
    relationships = (
        MentoringRelationship.objects.filter(Q(mentee_id__in=ids) | Q(mentor_id__in=ids))
        .filter(status=MentoringRelationship.Status.ACTIVE)
        .select_related("agreement", "mentee", "mentor", "program")
        .annotate(
            last_held=Max("sessions__scheduled_at", filter=Q(sessions__status="held")),
            upcoming=Count(
                "sessions",
                filter=Q(sessions__status="scheduled", sessions__scheduled_at__gte=start_of_today),
            ),
        )
        .order_by("id")
    )
    for relationship in relationships:
        if relationship.upcoming:
            continue
        last = relationship.last_held.date() if relationship.last_held else relationship.started_on
        if last is None:
            continue
        cadence = _cadence(relationship)
        if (today - last).days <= cadence:
            continue
        days = (today - last).days
        what = (
            f"No session for {days} days"
            if relationship.last_held
            else f"No session yet ({days} days)"
        )
        for me, other in (
            (relationship.mentee_id, relationship.mentor),
            (relationship.mentor_id, relationship.mentee),
        ):
            if me in ids:
                result[me].append(
                    OverdueItem(
                        kind="cadence",
                        object_id=relationship.pk,
                        relationship_id=relationship.pk,
                        text=f"{what} with {other}, who you agreed to meet every {cadence} days: "
                        "schedule one",
                        url=_url("session_create", relationship.pk),
                        since=last + dt.timedelta(days=cadence),
                        reminded_at=relationship.cadence_reminded_at,
                    )
                )
    for assessment in (
        Assessment.objects.filter(
            assessor_id__in=ids, status=Assessment.Status.REQUESTED, due_on__lt=today
        )
        .select_related("subject")
        .order_by("due_on", "id")
    ):
        # No reminder timestamp on assessments: the reminder goes out on the first day
        # after the due date and then weekly (the "reminded" time says so to the task).
        late = (today - assessment.due_on).days
        reminded = None if late % 7 == 1 else timezone.now()
        about = "yourself" if assessment.kind == Assessment.Kind.SELF else str(assessment.subject)
        result[assessment.assessor_id].append(
            OverdueItem(
                kind="assessment",
                object_id=assessment.pk,
                relationship_id=assessment.relationship_id,
                text=f"Assessment of {about} was due on {assessment.due_on:%d %B}",
                url=_url("assessment_detail", assessment.pk),
                since=assessment.due_on,
                reminded_at=reminded,
            )
        )
    return result


# ---- The relationship page -------------------------------------------------------------------


def fit_check_due(relationship: MentoringRelationship, held_sessions: int) -> bool:
    """The fit check is open once the pair has held its first sessions."""
    return relationship.is_active and held_sessions >= FIT_CHECK_AFTER_SESSIONS


@dataclass
class RelationshipPage:
    """Everything the relationship page shows the viewer, already filtered by their side."""

    relationship: MentoringRelationship
    side: str
    agreement: object
    sessions: list[MentoringSession]
    action_items: list[ActionItem]
    practice_plans: list[PracticePlan]
    introductions: list[RelationshipIntroduction]
    assessments: list[Assessment]
    progress: ProgressData
    network: NetworkChange | None
    fit_checks: list[FitCheck]
    my_fit_check: FitCheck | None
    held_sessions: int
    overdue_items: int
    open_items: int
    at_risk: list[str]
    today: dt.date

    @property
    def is_pair(self) -> bool:
        return self.side in ("mentee", "mentor")

    @property
    def fit_check_open(self) -> bool:
        return self.is_pair and fit_check_due(self.relationship, self.held_sessions)

    @property
    def fit_after(self) -> int:
        return FIT_CHECK_AFTER_SESSIONS

    @property
    def network_shared(self) -> bool:
        return bool(self.agreement and self.agreement.share_network_with_mentor)


def relationship_page(
    *, viewer: User, relationship: MentoringRelationship, today: dt.date | None = None
) -> RelationshipPage:
    """The relationship page's data for the viewer's side (from :func:`access_relationship`).

    The pair sees sessions with the notes each may read, action items,
    practice plans, introductions, assessments (with the assessors' notes),
    progress and their own feedback. A program manager sees sessions without
    agendas or notes, counts of action items and plans, ratings, and the fit
    checks; not the mentee's network (only program-wide averages).
    """
    today = today or timezone.now().date()
    side = getattr(relationship, "viewer_side", None) or relationship.side_of(viewer.person_id)
    if side is None:
        raise NotFoundError("Not found.")
    pair = side in ("mentee", "mentor")
    notes = Prefetch(
        "notes", queryset=SessionNote.objects.select_related("author").order_by("created_at", "id")
    )
    feedback = Prefetch("feedback", queryset=SessionFeedback.objects.order_by("id"))
    sessions = list(
        relationship.sessions.prefetch_related(notes, feedback).order_by("-scheduled_at", "-id")
    )
    labels = relationship.program.framework_version.labels
    for session in sessions:
        session.behavior_names = [labels.get(k, k) for k in session.behaviors_practiced]
        if pair:
            session.visible_notes = [
                n
                for n in session.notes.all()
                if policies.can_read_mentoring_note(
                    viewer,
                    author_id=n.author_id,
                    shared=n.visibility == SessionNote.Visibility.SHARED,
                    mentee_id=relationship.mentee_id,
                    mentor_id=relationship.mentor_id,
                )
            ]
        else:
            session.visible_notes = []
        session.visible_feedback = [
            f
            for f in session.feedback.all()
            if policies.can_read_mentoring_feedback(viewer, author_id=f.author_id)
        ]
    held = sum(1 for s in sessions if s.is_held)
    items = list(relationship.action_items.select_related("owner"))
    overdue = sum(1 for i in items if i.is_overdue(today))
    fit_checks = [
        f
        for f in relationship.fit_checks.select_related("author")
        if policies.can_read_mentoring_feedback(viewer, author_id=f.author_id)
    ]
    assessments = list(
        relationship.mentee_enrollment.assessments.select_related(
            "assessor", "framework_version"
        ).order_by("created_at", "id")
    )
    agreement = getattr(relationship, "agreement", None)
    return RelationshipPage(
        relationship=relationship,
        side=side,
        agreement=agreement,
        sessions=sessions,
        action_items=items if pair else [],
        practice_plans=list(relationship.practice_plans.select_related("counterpart"))
        if pair
        else [],
        introductions=list(
            relationship.introductions.select_related(
                "introduction__target", "introduction__target__organization"
            )
        )
        if pair
        else [],
        assessments=assessments,
        progress=behavior_progress(enrollment=relationship.mentee_enrollment),
        network=network_change(viewer=viewer, relationship=relationship, today=today)
        if pair
        else None,
        fit_checks=fit_checks,
        my_fit_check=next((f for f in fit_checks if f.author_id == viewer.person_id), None),
        held_sessions=held,
        overdue_items=overdue,
        open_items=sum(1 for i in items if not i.is_done),
        at_risk=_risk_reasons(
            relationship,
            last_held=max((s.scheduled_at for s in sessions if s.is_held), default=None),
            overdue=overdue,
            fit_checks=list(relationship.fit_checks.all()),
            ratings=[f.rating for s in sessions for f in s.feedback.all()],
            today=today,
        ),
        today=today,
    )


def _risk_reasons(
    relationship: MentoringRelationship,
    *,
    last_held: dt.datetime | None,
    overdue: int,
    fit_checks: list[FitCheck],
    ratings: list[int],
    today: dt.date,
) -> list[str]:
    """Why an active pair is at risk (empty: it is not)."""
    if not relationship.is_active:
        return []
    reasons = []
    cadence = _cadence(relationship)
    since = last_held.date() if last_held else relationship.started_on
    if since is not None and (today - since).days > AT_RISK_CADENCE_FACTOR * cadence:
        what = "no session" if last_held is None else "no session held"
        reasons.append(
            f"{what} for {(today - since).days} days (agreed every {cadence}; "
            f"at risk after {AT_RISK_CADENCE_FACTOR * cadence})"
        )
    low = [f for f in fit_checks if f.is_low]
    if any(f.wants_rematch for f in low):
        reasons.append("a re-match is requested")
    elif low:
        reasons.append(f"low fit ({min(f.fit for f in low)}/5)")
    if len(ratings) >= 2 and sum(ratings) / len(ratings) <= LOW_FIT:
        reasons.append(f"sessions rated {sum(ratings) / len(ratings):.1f}/5 on average")
    if overdue >= AT_RISK_OVERDUE_ITEMS:
        reasons.append(f"{overdue} overdue action items")
    return reasons


# ---- Home -------------------------------------------------------------------------------


@dataclass
class MentoringHome:
    as_mentee: list[MentoringRelationship]
    as_mentor: list[MentoringRelationship]
    enrollments: list[Enrollment]
    open_programs: list[Program]
    overdue: list[OverdueItem]
    to_fill: list[Assessment]
    managed: list[Program]
    upcoming: list[MentoringSession]


def mentoring_home(*, viewer: User, today: dt.date | None = None) -> MentoringHome:
    """My mentoring: relationships, enrollments, what is overdue, assessments to fill,
    sessions coming up, programs open for enrollment (and, for program managers,
    every program)."""
    _require_login(viewer)
    today = today or timezone.now().date()
    me = viewer.person_id
    relationships = relationship_list(viewer=viewer) if me else []
    enrollments = (
        list(
            Enrollment.objects.filter(person_id=me, status=Enrollment.Status.ACTIVE)
            .select_related("program")
            .order_by("program__name", "role")
        )
        if me
        else []
    )
    enrolled = {e.program_id for e in enrollments}
    open_programs = [
        p
        for p in Program.objects.filter(status=Program.Status.ACTIVE, enrollment_open=True)
        if p.pk not in enrolled
    ]
    upcoming = (
        list(
            MentoringSession.objects.filter(
                Q(relationship__mentee_id=me) | Q(relationship__mentor_id=me),
                status=MentoringSession.Status.SCHEDULED,
                scheduled_at__gte=timezone.now(),
                relationship__status=MentoringRelationship.Status.ACTIVE,
            )
            .select_related("relationship__mentee", "relationship__mentor")
            .order_by("scheduled_at", "id")[:5]
        )
        if me
        else []
    )
    return MentoringHome(
        as_mentee=[r for r in relationships if r.mentee_id == me and r.status in _LIVE],
        as_mentor=[r for r in relationships if r.mentor_id == me and r.status in _LIVE],
        enrollments=enrollments,
        open_programs=open_programs,
        overdue=overdue_items(person_ids=[me], today=today).get(me, []) if me else [],
        to_fill=assessments_to_fill(viewer=viewer),
        managed=list(_programs()) if policies.can_manage_mentoring(viewer) else [],
        upcoming=upcoming,
    )


# ---- The program dashboard and report ------------------------------------------------------------


@dataclass
class AtRisk:
    relationship: MentoringRelationship
    reasons: list[str]


@dataclass
class PairRow:
    """One pair in the dashboard and report: progress only, never content."""

    relationship: MentoringRelationship
    held: int
    last_held: dt.datetime | None
    overdue: int
    behavior_change: float | None
    fit: float | None
    reasons: list[str]


@dataclass
class GrowthRow:
    key: str
    name: str
    first: float | None
    latest: float | None
    mentees: int

    @property
    def change(self) -> float | None:
        if self.first is None or self.latest is None:
            return None
        return round(self.latest - self.first, 2)


@dataclass
class NetworkGrowthRow:
    key: str
    label: str
    before: float
    after: float

    @property
    def change(self) -> float:
        return round(self.after - self.before, 2)


@dataclass
class ProgramDashboard:
    """Participation, session cadence, behavior growth, network growth and pairs at risk."""

    program: Program
    today: dt.date
    participation: dict[str, int]
    cadence: dict[str, float | int | None]
    sessions_by_month: list[tuple[str, int]]
    behavior_growth: list[GrowthRow]
    network_growth: list[NetworkGrowthRow]
    network_mentees: int
    network_hidden_reason: str
    network_start: dt.date
    network_end: dt.date
    feedback: dict[str, float | int | None]
    assessments: list[dict]
    pairs: list[PairRow]
    at_risk: list[AtRisk]

    @property
    def growth_chart(self):
        return charts.growth_chart(
            uid="program-growth",
            rows=[(row.name, row.first, row.latest) for row in self.behavior_growth],
        )


def _month_label(day: dt.date) -> str:
    return day.strftime("%b %Y")


def program_dashboard(
    *, viewer: User, program: Program, today: dt.date | None = None
) -> ProgramDashboard:
    """The program manager's dashboard (and the final report's numbers).

    Progress only: counts, cadence, ratings, fit and feedback scores, network
    growth averaged over the mentees (hidden below the privacy minimum group
    size); never notes, agendas, goals or anyone's individual network.
    """
    from bridgework.mentoring.services import network_snapshots_fill

    if not policies.can_manage_mentoring(viewer):
        raise NotFoundError("Not found.")
    today = today or timezone.now().date()
    enrollment_counts = dict(
        program.enrollments.filter(status=Enrollment.Status.ACTIVE)
        .values("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
    places = sum(
        program.enrollments.filter(
            status=Enrollment.Status.ACTIVE, role=Enrollment.Role.MENTOR
        ).values_list("capacity", flat=True)
    )
    relationships = list(
        program.relationships.exclude(status=MentoringRelationship.Status.DECLINED)
        .select_related("mentee__team", "mentor__team", "agreement", "mentee_enrollment")
        .order_by("mentee__full_name", "id")
    )
    sessions = list(
        MentoringSession.objects.filter(relationship__program=program)
        .values_list("relationship_id", "status", "scheduled_at")
        .order_by("scheduled_at", "id")
    )
    held_by: dict[int, list[dt.datetime]] = defaultdict(list)
    for relationship_id, status, when in sessions:
        if status == MentoringSession.Status.HELD:
            held_by[relationship_id].append(when)
    overdue_by = dict(
        ActionItem.objects.filter(
            relationship__program=program, done_at__isnull=True, due_on__lt=today
        )
        .values("relationship_id")
        .annotate(n=Count("id"))
        .values_list("relationship_id", "n")
    )
    fits_by: dict[int, list[FitCheck]] = defaultdict(list)
    for check in FitCheck.objects.filter(relationship__program=program).order_by("id"):
        fits_by[check.relationship_id].append(check)
    ratings_by: dict[int, list[int]] = defaultdict(list)
    for relationship_id, rating in SessionFeedback.objects.filter(
        session__relationship__program=program
    ).values_list("session__relationship_id", "rating"):
        ratings_by[relationship_id].append(rating)
    assessments = list(
        _submitted(
            program.enrollments.filter(role=Enrollment.Role.MENTEE).values_list("pk", flat=True)
        )
    )
    by_enrollment: dict[int, list[Assessment]] = defaultdict(list)
    for a in assessments:
        by_enrollment[a.enrollment_id].append(a)
    labels = program.framework_version.labels
    progress_by = {
        enrollment_id: _progress(items, labels) for enrollment_id, items in by_enrollment.items()
    }
    active = [r for r in relationships if r.is_active]
    pairs, at_risk = [], []
    for r in relationships:
        held = held_by.get(r.pk, [])
        reasons = _risk_reasons(
            r,
            last_held=held[-1] if held else None,
            overdue=overdue_by.get(r.pk, 0),
            fit_checks=fits_by.get(r.pk, []),
            ratings=ratings_by.get(r.pk, []),
            today=today,
        )
        progress = progress_by.get(r.mentee_enrollment_id)
        changes = [b.change for b in progress.behaviors if b.change is not None] if progress else []
        fits = [f.fit for f in fits_by.get(r.pk, [])]
        pairs.append(
            PairRow(
                relationship=r,
                held=len(held),
                last_held=held[-1] if held else None,
                overdue=overdue_by.get(r.pk, 0) if r.is_active else 0,
                behavior_change=round(sum(changes) / len(changes), 2) if changes else None,
                fit=round(sum(fits) / len(fits), 1) if fits else None,
                reasons=reasons,
            )
        )
        if reasons:
            at_risk.append(AtRisk(relationship=r, reasons=reasons))
    mentees_in_pairs = {r.mentee_id for r in relationships}
    participation = {
        "mentees": enrollment_counts.get(Enrollment.Role.MENTEE, 0),
        "mentors": enrollment_counts.get(Enrollment.Role.MENTOR, 0),
        "places": places,
        "active_pairs": len(active),
        "requested": sum(
            1 for r in relationships if r.status == MentoringRelationship.Status.REQUESTED
        ),
        "ended_pairs": sum(
            1 for r in relationships if r.status == MentoringRelationship.Status.ENDED
        ),
        "matched_mentees": len({r.mentee_id for r in active}),
        "waiting_mentees": max(
            0,
            enrollment_counts.get(Enrollment.Role.MENTEE, 0)
            - len({r.mentee_id for r in relationships if r.status in _LIVE}),
        ),
        "pairs_meeting": sum(1 for r in active if held_by.get(r.pk)),
        "mentees_ever_matched": len(mentees_in_pairs),
    }
    # Cadence: gaps between consecutive held sessions of a pair; pairs on cadence now.
    gaps = [
        (b - a).days
        for times in held_by.values()
        for a, b in zip(times, times[1:], strict=False)
        if (b - a).days >= 0
    ]
    recent_start = today - dt.timedelta(days=90)
    recent = sum(1 for times in held_by.values() for t in times if t.date() >= recent_start)
    on_cadence = 0
    for r in active:
        held = held_by.get(r.pk, [])
        last = held[-1].date() if held else None
        if last is not None and (today - last).days <= _cadence(r):
            on_cadence += 1
    cadence = {
        "sessions_held": sum(len(v) for v in held_by.values()),
        "sessions_scheduled": sum(
            1 for _, status, when in sessions if status == MentoringSession.Status.SCHEDULED
        ),
        "sessions_missed": sum(
            1 for _, status, _ in sessions if status == MentoringSession.Status.MISSED
        ),
        "median_gap_days": statistics.median(gaps) if gaps else None,
        "per_pair_per_month": round(recent / len(active) / 3, 1) if active else None,
        "on_cadence": on_cadence,
        "on_cadence_percent": round(100 * on_cadence / len(active)) if active else None,
        "agreed_cadence_days": program.session_cadence_days,
    }
    months: dict[tuple[int, int], int] = defaultdict(int)
    for times in held_by.values():
        for t in times:
            months[(t.year, t.month)] += 1
    sessions_by_month = [
        (_month_label(dt.date(year, month, 1)), count)
        for (year, month), count in sorted(months.items())
    ]
    # Behavior growth: per mentee with two or more rated rounds, first vs latest.
    firsts: dict[str, list[float]] = defaultdict(list)
    latests: dict[str, list[float]] = defaultdict(list)
    for progress in progress_by.values():
        for behavior in progress.behaviors:
            if behavior.change is not None:
                firsts[behavior.key].append(behavior.first)
                latests[behavior.key].append(behavior.latest)
    behavior_growth = [
        GrowthRow(
            key=key,
            name=name,
            first=_mean(firsts.get(key, [])),
            latest=_mean(latests.get(key, [])),
            mentees=len(firsts.get(key, [])),
        )
        for key, name in labels.items()
    ]
    # Network growth: averages over the mentees, never below the privacy minimum.
    network_start = program.start_date
    network_end = min(today, program.end_date) if program.end_date else today
    network_end = max(network_end, network_start)
    mentee_ids = sorted(mentees_in_pairs)
    minimum = settings.PRIVACY_MIN_GROUP_SIZE
    network_growth: list[NetworkGrowthRow] = []
    hidden = ""
    measured = 0
    if len(mentee_ids) < minimum:
        hidden = (
            f"Shown for at least {minimum} mentees; this program has {len(mentee_ids)} "
            "with a mentor so far."
        )
    else:
        found = network_snapshots_fill(person_ids=mentee_ids, days=[network_start, network_end])
        both = [
            (found[(m, network_start)], found[(m, network_end)])
            for m in mentee_ids
            if (m, network_start) in found and (m, network_end) in found
        ]
        measured = len(both)
        if measured < minimum:
            hidden = (
                f"Shown for at least {minimum} mentees with network data; {measured} have it "
                "(the others declined analytics)."
            )
        else:
            network_growth = [
                NetworkGrowthRow(
                    key=key,
                    label=label,
                    before=round(sum(b.get(key, 0) for b, _ in both) / measured, 1),
                    after=round(sum(a.get(key, 0) for _, a in both) / measured, 1),
                )
                for key, label in MEASURE_LABELS.items()
            ]
    all_ratings = [x for v in ratings_by.values() for x in v]
    all_fits = [f for v in fits_by.values() for f in v]
    feedback = {
        "session_ratings": len(all_ratings),
        "average_rating": round(sum(all_ratings) / len(all_ratings), 1) if all_ratings else None,
        "fit_checks": len(all_fits),
        "average_fit": round(sum(f.fit for f in all_fits) / len(all_fits), 1) if all_fits else None,
        "rematch_requests": sum(1 for f in all_fits if f.wants_rematch),
    }
    round_counts = defaultdict(lambda: {"requested": 0, "submitted": 0})
    for round_key, status, n in (
        Assessment.objects.filter(enrollment__program=program)
        .values("round", "status")
        .annotate(n=Count("id"))
        .values_list("round", "status", "n")
    ):
        round_counts[round_key][status] += n
    assessment_rows = [
        {
            "round": label,
            "requested": round_counts[key]["requested"] + round_counts[key]["submitted"],
            "submitted": round_counts[key]["submitted"],
        }
        for key, label in Assessment.Round.choices
        if key in round_counts
    ]
    return ProgramDashboard(
        program=program,
        today=today,
        participation=participation,
        cadence=cadence,
        sessions_by_month=sessions_by_month,
        behavior_growth=behavior_growth,
        network_growth=network_growth,
        network_mentees=measured,
        network_hidden_reason=hidden,
        network_start=network_start,
        network_end=network_end,
        feedback=feedback,
        assessments=assessment_rows,
        pairs=pairs,
        at_risk=at_risk,
    )


def relationships_for_program(*, viewer: User, program: Program) -> list[MentoringRelationship]:
    """Every relationship of a program (program managers)."""
    if not policies.can_manage_mentoring(viewer):
        raise NotFoundError("Not found.")
    return list(_relationships().filter(program=program))


def sessions_of(*, viewer: User, relationship: MentoringRelationship) -> list[MentoringSession]:
    """The relationship's sessions (pair only)."""
    _pair_only(viewer, relationship)
    return list(relationship.sessions.order_by("-scheduled_at", "-id"))
