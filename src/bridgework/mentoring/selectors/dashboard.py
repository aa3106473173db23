"""The program dashboard and report: participation, session cadence, behavior growth,
network growth, feedback, assessments and the pairs at risk.

Progress only: counts, cadence, ratings, fit and feedback scores, network growth
averaged over at least ``PRIVACY_MIN_GROUP_SIZE`` mentees; never notes, agendas,
goals or anyone's individual network. The rules themselves are plain functions
in :mod:`bridgework.core.mentoring` (at risk, cadence, the network window); this
module gathers their numbers. Reads only: network growth comes from the
snapshots the nightly update stored, and says when some are still to come.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.guards import require
from bridgework.accounts.models import User
from bridgework.core.mentoring.cadence import cadence_summary, sessions_per_month
from bridgework.core.mentoring.risk import pairs_at_risk
from bridgework.core.mentoring.windows import program_window
from bridgework.core.privacy.groups import people_besides
from bridgework.mentoring.models import (
    ActionItem,
    Assessment,
    Enrollment,
    FitCheck,
    MentoringRelationship,
    MentoringSession,
    Program,
    SessionFeedback,
)
from bridgework.mentoring.selectors._common import (
    LIVE,
    agreed_cadence,
    mean_or_none,
    pair_activity,
)
from bridgework.mentoring.selectors.network import MEASURE_LABELS, stored_networks
from bridgework.mentoring.selectors.progress import (
    ProgressData,
    progress_of,
    submitted_assessments,
)
from bridgework.web import charts

__all__ = [
    "AtRisk",
    "GrowthRow",
    "NetworkGrowthRow",
    "PairRow",
    "ProgramDashboard",
    "program_dashboard",
]


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
    """Participation, session cadence, behavior growth, network growth and pairs at risk.

    ``network_hidden_reason`` says why network growth is not shown (too few
    mentees, too few with network data, or data still to come with the nightly
    update); ``network_note`` why it is shown for fewer mentees than have a mentor.
    """

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
    network_note: str = ""

    @property
    def growth_chart(self):
        return charts.growth_chart(
            uid="program-growth",
            rows=[(row.name, row.first, row.latest) for row in self.behavior_growth],
        )


@dataclass
class _Activity:
    """What the pairs of a program did, gathered in a few queries."""

    relationships: list[MentoringRelationship]
    sessions: list[tuple[int, str, dt.datetime]]
    held_by: dict[int, list[dt.datetime]]
    overdue_by: dict[int, int]
    fits_by: dict[int, list[FitCheck]]
    ratings_by: dict[int, list[int]]


@dataclass
class _NetworkGrowth:
    start: dt.date
    end: dt.date
    rows: list[NetworkGrowthRow] = field(default_factory=list)
    measured: int = 0
    hidden: str = ""
    note: str = ""


def _month_label(day: dt.date) -> str:
    return day.strftime("%b %Y")


def _activity(program: Program, today: dt.date) -> _Activity:
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
    return _Activity(
        relationships=relationships,
        sessions=sessions,
        held_by=held_by,
        overdue_by=overdue_by,
        fits_by=fits_by,
        ratings_by=ratings_by,
    )


def _pairs(
    activity: _Activity, progress_by: dict[int, ProgressData], today: dt.date
) -> tuple[list[PairRow], list[AtRisk]]:
    """Every pair's row, and the pairs at risk with their reasons (both in pair order)."""
    relationships = activity.relationships
    reasons_by = pairs_at_risk(
        {
            r.pk: pair_activity(
                r,
                last_held=activity.held_by[r.pk][-1] if activity.held_by.get(r.pk) else None,
                overdue=activity.overdue_by.get(r.pk, 0),
                fit_checks=activity.fits_by.get(r.pk, []),
                ratings=activity.ratings_by.get(r.pk, []),
            )
            for r in relationships
        },
        today=today,
    )
    pairs = []
    for r in relationships:
        held = activity.held_by.get(r.pk, [])
        progress = progress_by.get(r.mentee_enrollment_id)
        changes = [b.change for b in progress.behaviors if b.change is not None] if progress else []
        fits = [f.fit for f in activity.fits_by.get(r.pk, [])]
        pairs.append(
            PairRow(
                relationship=r,
                held=len(held),
                last_held=held[-1] if held else None,
                overdue=activity.overdue_by.get(r.pk, 0) if r.is_active else 0,
                behavior_change=round(sum(changes) / len(changes), 2) if changes else None,
                fit=round(sum(fits) / len(fits), 1) if fits else None,
                reasons=reasons_by.get(r.pk, []),
            )
        )
    at_risk = [
        AtRisk(relationship=r, reasons=reasons_by[r.pk])
        for r in relationships
        if r.pk in reasons_by
    ]
    return pairs, at_risk


def _participation(program: Program, activity: _Activity) -> dict[str, int]:
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
    relationships = activity.relationships
    active = [r for r in relationships if r.is_active]
    return {
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
            - len({r.mentee_id for r in relationships if r.status in LIVE}),
        ),
        "pairs_meeting": sum(1 for r in active if activity.held_by.get(r.pk)),
        "mentees_ever_matched": len({r.mentee_id for r in relationships}),
    }


def _cadence(
    program: Program, activity: _Activity, today: dt.date
) -> dict[str, float | int | None]:
    summary = cadence_summary(
        activity.held_by,
        cadences={r.pk: agreed_cadence(r) for r in activity.relationships if r.is_active},
        today=today,
    )
    statuses = [status for _, status, _ in activity.sessions]
    return {
        "sessions_held": summary.sessions_held,
        "sessions_scheduled": statuses.count(MentoringSession.Status.SCHEDULED),
        "sessions_missed": statuses.count(MentoringSession.Status.MISSED),
        "median_gap_days": summary.median_gap_days,
        "per_pair_per_month": summary.per_pair_per_month,
        "on_cadence": summary.on_cadence,
        "on_cadence_percent": summary.on_cadence_percent,
        "agreed_cadence_days": program.session_cadence_days,
    }


def _behavior_growth(
    progress_by: dict[int, ProgressData], labels: dict[str, str]
) -> list[GrowthRow]:
    """Per behavior, the mean level at the first and the latest round, over the mentees
    with two or more rated rounds."""
    firsts: dict[str, list[float]] = defaultdict(list)
    latests: dict[str, list[float]] = defaultdict(list)
    for progress in progress_by.values():
        for behavior in progress.behaviors:
            first, latest = behavior.first, behavior.latest
            # Two or more rated rounds: a change, so a first and a latest level.
            if behavior.change is not None and first is not None and latest is not None:
                firsts[behavior.key].append(first)
                latests[behavior.key].append(latest)
    return [
        GrowthRow(
            key=key,
            name=name,
            first=mean_or_none(firsts.get(key, [])),
            latest=mean_or_none(latests.get(key, [])),
            mentees=len(firsts.get(key, [])),
        )
        for key, name in labels.items()
    ]


def _pending(count: int) -> str:
    return f"for {count} more it will show after tonight's update"


def _network_growth(
    program: Program,
    relationships: list[MentoringRelationship],
    today: dt.date,
    viewer_person_id: int | None = None,
) -> _NetworkGrowth:
    """The mentees' mean network measures at the program start and now (the latest
    stored day), never over fewer than the privacy minimum of mentees other than
    the viewer (a manager who is also a mentee knows their own figures, so they
    do not count towards the minimum)."""
    start, end = program_window(
        program_start=program.start_date, today=today, program_end=program.end_date
    )
    mentees = {r.mentee_id: r.mentee for r in relationships}
    minimum = settings.PRIVACY_MIN_GROUP_SIZE
    if people_besides(mentees, viewer_person_id) < minimum:
        return _NetworkGrowth(
            start=start,
            end=end,
            hidden=(
                f"Shown for at least {minimum} mentees; this program has {len(mentees)} "
                "with a mentor so far."
            ),
        )
    stored = stored_networks(person_ids=mentees, start=start, end=end)
    measured_ids = [m for m in sorted(mentees) if m in stored.before and m in stored.after]
    both = [(stored.before[m], stored.after[m]) for m in measured_ids]
    measured = len(both)
    consenting = sum(1 for person in mentees.values() if person.analytics_consent)
    pending = max(0, consenting - measured)
    declined = len(mentees) - consenting
    growth = _NetworkGrowth(start=start, end=stored.end or end, measured=measured)
    if people_besides(measured_ids, viewer_person_id) < minimum:
        growth.hidden = (
            f"Shown for at least {minimum} mentees with network data; {measured} have it"
        )
        if pending and declined:
            growth.hidden += f" ({declined} declined analytics; {_pending(pending)})."
        elif pending:
            growth.hidden += f" so far; {_pending(pending)}."
        else:
            growth.hidden += " (the others declined analytics)."
        return growth
    growth.rows = [
        NetworkGrowthRow(
            key=key,
            label=label,
            before=round(sum(b.get(key, 0) for b, _ in both) / measured, 1),
            after=round(sum(a.get(key, 0) for _, a in both) / measured, 1),
        )
        for key, label in MEASURE_LABELS.items()
    ]
    if pending:
        who = "mentee" if pending == 1 else "mentees"
        growth.note = f"For {pending} more {who} it will show after tonight's update."
    return growth


def _feedback(activity: _Activity) -> dict[str, float | int | None]:
    all_ratings = [x for v in activity.ratings_by.values() for x in v]
    all_fits = [f for v in activity.fits_by.values() for f in v]
    return {
        "session_ratings": len(all_ratings),
        "average_rating": round(sum(all_ratings) / len(all_ratings), 1) if all_ratings else None,
        "fit_checks": len(all_fits),
        "average_fit": round(sum(f.fit for f in all_fits) / len(all_fits), 1) if all_fits else None,
        "rematch_requests": sum(1 for f in all_fits if f.wants_rematch),
    }


def _assessment_rows(program: Program) -> list[dict]:
    """Assessments asked for and submitted, per round."""
    round_counts: defaultdict[str, dict[str, int]] = defaultdict(
        lambda: {"requested": 0, "submitted": 0}
    )
    for round_key, status, n in (
        Assessment.objects.filter(enrollment__program=program)
        .values("round", "status")
        .annotate(n=Count("id"))
        .values_list("round", "status", "n")
    ):
        round_counts[round_key][status] += n
    return [
        {
            "round": label,
            "requested": round_counts[key]["requested"] + round_counts[key]["submitted"],
            "submitted": round_counts[key]["submitted"],
        }
        for key, label in Assessment.Round.choices
        if key in round_counts
    ]


def program_dashboard(
    *, viewer: User, program: Program, today: dt.date | None = None
) -> ProgramDashboard:
    """The program manager's dashboard (and the final report's numbers).

    Progress only: counts, cadence, ratings, fit and feedback scores, network
    growth averaged over the mentees (hidden below the privacy minimum group
    size); never notes, agendas, goals or anyone's individual network.
    """
    require(policies.can_manage_mentoring(viewer))
    today = today or timezone.now().date()
    activity = _activity(program, today)
    by_enrollment: dict[int, list[Assessment]] = defaultdict(list)
    for a in submitted_assessments(
        program.enrollments.filter(role=Enrollment.Role.MENTEE).values_list("pk", flat=True)
    ):
        by_enrollment[a.enrollment_id].append(a)
    labels = program.framework_version.labels
    progress_by = {
        enrollment_id: progress_of(items, labels) for enrollment_id, items in by_enrollment.items()
    }
    pairs, at_risk = _pairs(activity, progress_by, today)
    network = _network_growth(program, activity.relationships, today, viewer.person_id)
    return ProgramDashboard(
        program=program,
        today=today,
        participation=_participation(program, activity),
        cadence=_cadence(program, activity, today),
        sessions_by_month=[
            (_month_label(month), count)
            for month, count in sessions_per_month(
                t for times in activity.held_by.values() for t in times
            )
        ],
        behavior_growth=_behavior_growth(progress_by, labels),
        network_growth=network.rows,
        network_mentees=network.measured,
        network_hidden_reason=network.hidden,
        network_start=network.start,
        network_end=network.end,
        network_note=network.note,
        feedback=_feedback(activity),
        assessments=_assessment_rows(program),
        pairs=pairs,
        at_risk=at_risk,
    )
