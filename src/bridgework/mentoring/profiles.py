"""Matching profiles built from the database, for :mod:`bridgework.core.matching`.

:func:`matching_pool` reads a program's enrollments and turns them into
:class:`~bridgework.core.matching.MenteeProfile` and
:class:`~bridgework.core.matching.MentorProfile`:

* **behavior levels**: the person's own 1-5 ratings in their enrollment
  profile, replaced behavior by behavior by the latest submitted assessment
  about them;
* **skills**: a mentor's skills from their profile (``people.PersonSkill``);
  the skills a mentee wants, from their enrollment;
* **groups**: teams (of people who work in one of our teams) and
  organizations, by name. A mentee *needs* the teams and organizations they
  chose in their profile and already *reaches* the groups where they have a
  tie of strength 0.3 or more; a mentor's reach into a group is
  ``min(1, sum of their tie strengths to its members / 2)`` (ties adding up to
  a strength of 2, say three strong ones, reach a group fully). Only ties between people
  who consented to analytics count;
* **reporting line**: the chain of managers, walked up ``Person.manager``;
* **time zone**: the enrollment's time zone (else the profile's) as its UTC
  offset today;
* **previous mentors**: mentors of the person's earlier (active or ended)
  mentoring relationships, in any program;
* **capacity**: a mentor's places minus their live relationships in the program.

Internal and not viewer-scoped: callers are the matching services and the
self-matching selector, which show each person only what the rules allow
(an explanation names groups, never anyone's ties).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from bridgework.core.matching import MenteeProfile, MentorProfile
from bridgework.mentoring.models import (
    Assessment,
    AssessmentRating,
    Enrollment,
    MeetingFormat,
    MentoringRelationship,
    Program,
)
from bridgework.network.selectors import consented_ties
from bridgework.people.models import WORKFORCE_ENGAGEMENTS, Person, PersonSkill

__all__ = [
    "REACHED_TIE",
    "REACH_SATURATION",
    "MatchingPool",
    "matching_pool",
    "utc_offset_hours",
    "reporting_lines",
    "person_groups",
    "latest_levels",
    "remaining_capacity",
]

#: A tie at least this strong means the mentee already reaches the other person's groups.
REACHED_TIE = 0.3
#: Summed tie strength into a group at which a mentor's reach into it is full.
REACH_SATURATION = 2.0
_LIVE = (MentoringRelationship.Status.REQUESTED, MentoringRelationship.Status.ACTIVE)


@dataclass
class MatchingPool:
    """Profiles for the engine, and what the app needs to turn its answer back into rows."""

    mentees: list[MenteeProfile] = field(default_factory=list)
    mentors: list[MentorProfile] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    mentee_enrollments: dict[int, Enrollment] = field(default_factory=dict)
    mentor_enrollments: dict[int, Enrollment] = field(default_factory=dict)
    places_left: dict[int, int] = field(default_factory=dict)


def utc_offset_hours(time_zone: str | None, *, at: dt.datetime | None = None) -> float:
    """The UTC offset of an IANA time zone now (or ``at``), in hours; 0 if unknown.

    >>> utc_offset_hours("Asia/Kolkata")
    5.5
    >>> utc_offset_hours("Not/AZone")
    0.0
    """
    try:
        zone = zoneinfo.ZoneInfo(time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return 0.0
    offset = (at or timezone.now()).astimezone(zone).utcoffset() or dt.timedelta()
    return max(-12.0, min(14.0, offset.total_seconds() / 3600))


def reporting_lines(person_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """Each person's managers up the chain (one query per level of the hierarchy)."""
    manager_of: dict[int, int | None] = {}
    frontier = set(person_ids)
    while frontier:
        rows = Person.objects.filter(pk__in=frontier).values_list("id", "manager_id")
        manager_of.update(dict(rows))
        frontier = {m for _, m in rows if m is not None and m not in manager_of}
    lines = {}
    for person_id in person_ids:
        chain, seen, node = [], {person_id}, manager_of.get(person_id)
        while node is not None and node not in seen:
            chain.append(node)
            seen.add(node)
            node = manager_of.get(node)
        lines[person_id] = frozenset(chain)
    return lines


def person_groups(
    *, engagement_type: str, team: str | None, organization: str | None
) -> tuple[str | None, str | None]:
    """``(team, organization)`` names of a person: the team only for people who work
    in one of our teams (an alumnus keeps their old team on the profile)."""
    return (
        team if engagement_type in WORKFORCE_ENGAGEMENTS else None
    ) or None, organization or None


def _ties_into_groups(
    person_ids: list[int],
) -> dict[int, list[tuple[float, str | None, str | None]]]:
    """For each person: (strength, team, organization) of every consenting tie."""
    if not person_ids:
        return {}
    wanted = set(person_ids)
    ties = list(
        consented_ties()
        .filter(Q(person_a_id__in=wanted) | Q(person_b_id__in=wanted))
        .values_list("person_a_id", "person_b_id", "strength")
        .order_by()
    )
    others = {end for a, b, _ in ties for end in (a, b)}
    groups = {
        row["id"]: person_groups(
            engagement_type=row["engagement_type"],
            team=row["team__name"],
            organization=row["organization__name"],
        )
        for row in Person.objects.filter(pk__in=others).values(
            "id", "engagement_type", "team__name", "organization__name"
        )
    }
    result: dict[int, list] = defaultdict(list)
    for a, b, strength in ties:
        for me, other in ((a, b), (b, a)):
            if me in wanted and other in groups:
                result[me].append((strength, *groups[other]))
    return result


def latest_levels(person_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Per person, the latest submitted assessment level of each behavior (any kind)."""
    levels: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        AssessmentRating.objects.filter(
            assessment__subject_id__in=list(person_ids),
            assessment__status=Assessment.Status.SUBMITTED,
        )
        .order_by("assessment__submitted_at", "assessment_id", "id")
        .values_list("assessment__subject_id", "behavior_key", "level")
    )
    for subject, key, level in rows:
        levels[subject][key] = level
    return levels


def remaining_capacity(
    program: Program, mentor_enrollments: Iterable[Enrollment]
) -> dict[int, int]:
    """Mentor person id → places left in the program (capacity minus live relationships)."""
    enrollments = list(mentor_enrollments)
    taken = dict(
        MentoringRelationship.objects.filter(program=program, status__in=_LIVE)
        .values("mentor_id")
        .annotate(n=Count("id"))
        .values_list("mentor_id", "n")
    )
    return {e.person_id: max(0, e.capacity - taken.get(e.person_id, 0)) for e in enrollments}


def _enrollments(program: Program, role: str):
    return (
        Enrollment.objects.filter(program=program, role=role, status=Enrollment.Status.ACTIVE)
        .select_related("person__team", "person__organization")
        .prefetch_related(
            "skills_wanted",
            "needed_teams",
            "needed_organizations",
            "preferred_mentors",
            "excluded_people",
        )
        .order_by("person_id")
    )


def matching_pool(
    program: Program,
    *,
    mentee_person_ids: Iterable[int] | None = None,
    unmatched_only: bool = True,
) -> MatchingPool:
    """The program's pool as engine profiles.

    Mentees: active mentee enrollments (``unmatched_only``: without a live
    relationship in the program; ``mentee_person_ids``: only these). Mentors:
    active mentor enrollments, with their places left as capacity.
    """
    mentees = list(_enrollments(program, Enrollment.Role.MENTEE))
    if mentee_person_ids is not None:
        wanted = set(mentee_person_ids)
        mentees = [e for e in mentees if e.person_id in wanted]
    if unmatched_only:
        matched = set(
            MentoringRelationship.objects.filter(program=program, status__in=_LIVE).values_list(
                "mentee_id", flat=True
            )
        )
        mentees = [e for e in mentees if e.person_id not in matched]
    mentors = list(_enrollments(program, Enrollment.Role.MENTOR))
    pool = MatchingPool(
        labels=program.framework_version.labels,
        mentee_enrollments={e.person_id: e for e in mentees},
        mentor_enrollments={e.person_id: e for e in mentors},
    )
    if not mentees and not mentors:
        return pool
    everyone = sorted({e.person_id for e in mentees} | {e.person_id for e in mentors})
    lines = reporting_lines(everyone)
    levels = latest_levels(everyone)
    ties = _ties_into_groups(everyone)
    skills: dict[int, set[str]] = defaultdict(set)
    for person_id, name in PersonSkill.objects.filter(
        person_id__in=[e.person_id for e in mentors]
    ).values_list("person_id", "skill__name"):
        skills[person_id].add(name)
    previous: dict[int, set[int]] = defaultdict(set)
    for mentee_id, mentor_id in MentoringRelationship.objects.filter(
        mentee_id__in=[e.person_id for e in mentees],
        status__in=[MentoringRelationship.Status.ACTIVE, MentoringRelationship.Status.ENDED],
    ).values_list("mentee_id", "mentor_id"):
        previous[mentee_id].add(mentor_id)
    pool.places_left = remaining_capacity(program, mentors)
    now = timezone.now()

    def own_groups(enrollment: Enrollment) -> tuple[str | None, str | None]:
        person = enrollment.person
        return person_groups(
            engagement_type=person.engagement_type,
            team=person.team.name if person.team is not None else None,
            organization=person.organization.name if person.organization is not None else None,
        )

    def behavior_levels(enrollment: Enrollment) -> dict[str, int]:
        merged = {k: int(v) for k, v in (enrollment.self_levels or {}).items()}
        merged.update(levels.get(enrollment.person_id, {}))
        return merged

    for enrollment in mentees:
        person = enrollment.person
        team, organization = own_groups(enrollment)
        pool.names[person.pk] = person.full_name
        reached = {
            group
            for strength, *groups in ties.get(person.pk, [])
            if strength >= REACHED_TIE
            for group in groups
            if group
        }
        fmt = enrollment.meeting_format
        pool.mentees.append(
            MenteeProfile(
                person.pk,
                # Every behavior the mentee chose, with the same priority.
                wants_to_grow=dict.fromkeys(
                    sorted(set(enrollment.behaviors_to_develop or [])), 1.0
                ),
                behavior_levels=behavior_levels(enrollment),
                skills_wanted={s.name for s in enrollment.skills_wanted.all()},
                needed_groups={t.name for t in enrollment.needed_teams.all()}
                | {o.name for o in enrollment.needed_organizations.all()},
                reached_groups=reached,
                team=team,
                organization=organization,
                utc_offset_hours=utc_offset_hours(enrollment.effective_time_zone, at=now),
                reporting_line=lines.get(person.pk, frozenset()),
                excluded={p.pk for p in enrollment.excluded_people.all()},
                previous_mentors=previous.get(person.pk, set()),
                preferred_mentors={p.pk for p in enrollment.preferred_mentors.all()},
                prefer_other_team=enrollment.prefer_other_team,
                preferred_engagement=set() if fmt == MeetingFormat.ANY else {fmt},
            )
        )
    for enrollment in mentors:
        person = enrollment.person
        team, organization = own_groups(enrollment)
        pool.names[person.pk] = person.full_name
        summed: dict[str, float] = defaultdict(float)
        for strength, *groups in ties.get(person.pk, []):
            for group in groups:
                if group:
                    summed[group] += strength
        fmt = enrollment.meeting_format
        pool.mentors.append(
            MentorProfile(
                person.pk,
                behavior_levels=behavior_levels(enrollment),
                skills=skills.get(person.pk, set()),
                group_reach={g: min(1.0, total / REACH_SATURATION) for g, total in summed.items()},
                team=team,
                organization=organization,
                engagement_type=None if fmt == MeetingFormat.ANY else fmt,
                utc_offset_hours=utc_offset_hours(enrollment.effective_time_zone, at=now),
                capacity=pool.places_left.get(person.pk, 0),
                reporting_line=lines.get(person.pk, frozenset()),
                excluded={p.pk for p in enrollment.excluded_people.all()},
            )
        )
    return pool
