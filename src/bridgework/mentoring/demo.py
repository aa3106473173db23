"""The mentoring part of the demo: a running program with matched pairs, sessions,
assessments, feedback, a pair at risk and a mentor-made introduction.

:func:`demo_mentoring_load` runs after the demo organization and its network
(ties) exist. It creates, through the services where a login can act and
directly (backdated) where the demo's people have no login:

* **"Relationship Builders 2026"**, a cohort run by the program manager
  ("manager"), started about four months before ``today``, matched with the
  optimal assignment and published: the demo "member" is the mentee of the
  demo "mentor" (they already meet every other week in the demo events; the
  program manager fixed that pair before running the matching);
* fortnightly sessions (the member's are the demo's own meetings with their
  mentor), with behaviors practised, private and shared notes, feedback and
  fit checks; action items, some overdue; a conversation practice plan with
  its reflection; self, mentor and peer assessments at the start and the
  midpoint showing growth; one pair at risk (no session for two months, a
  re-match request, overdue action items);
* an introduction the mentor made from their own network for the member,
  recorded through the introduction workflow;
* **"Open Talent Mentoring"**, an ongoing self-matching program with
  enrollment open, where the member can choose a mentor from ranked
  suggestions.

Idempotent: a second call finds the program and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from bridgework.accounts.models import User
from bridgework.interactions.models import Channel, Interaction, IntroductionRequest
from bridgework.mentoring import services
from bridgework.mentoring.models import (
    ActionItem,
    Agreement,
    Assessment,
    AssessmentRating,
    Enrollment,
    FitCheck,
    MatchingRun,
    MentoringRelationship,
    MentoringSession,
    PracticePlan,
    Program,
    RelationshipIntroduction,
    SessionFeedback,
    SessionNote,
)
from bridgework.network.selectors import consented_ties
from bridgework.people.models import INTERNAL_ENGAGEMENTS, Organization, Person, PersonSkill, Team

__all__ = ["DEMO_PROGRAM_NAME", "DEMO_SELF_PROGRAM_NAME", "demo_mentoring_load"]

logger = logging.getLogger(__name__)

DEMO_PROGRAM_NAME = "Relationship Builders 2026"
DEMO_SELF_PROGRAM_NAME = "Open Talent Mentoring"
#: Mentees and mentors of the running program, besides the member and the mentor.
OTHER_MENTEES = 17
OTHER_MENTORS = 7
SEED = 2026
CADENCE = 14

_MEMBER_BEHAVIORS = ["presenting_yourself", "real_time_conversations", "mapping_relationships"]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def _login(username: str) -> User | None:
    return User.objects.select_related("person__team").filter(username=username).first()


def _candidates(exclude: set[int]) -> list[Person]:
    """Employees in a team who consented to analytics, by id (deterministic)."""
    return list(
        Person.objects.filter(
            engagement_type__in=INTERNAL_ENGAGEMENTS, team__isnull=False, analytics_consent=True
        )
        .exclude(pk__in=exclude)
        .select_related("team")
        .order_by("id")
    )


def _behavior_keys(program: Program) -> list[str]:
    return program.framework_version.behavior_keys


def _choose_people(rng: random.Random, member: Person, mentor: Person, logins: set[int]):
    pool = _candidates(logins | {member.pk, mentor.pk})
    seniors = [p for p in pool if (p.level or 1) >= 2]
    juniors = [p for p in pool if (p.level or 1) == 1]
    mentors = sorted(rng.sample(seniors, min(OTHER_MENTORS, len(seniors))), key=lambda p: p.pk)
    taken = {p.pk for p in mentors}
    # No mentee reports directly to one of the chosen mentors.
    juniors = [p for p in juniors if p.manager_id not in taken and p.manager_id != mentor.pk]
    mentees = sorted(rng.sample(juniors, min(OTHER_MENTEES, len(juniors))), key=lambda p: p.pk)
    return mentees, mentors


def _enroll(pm: User, program: Program, rng: random.Random, member, mentor, mentees, mentors):
    keys = _behavior_keys(program)
    teams = list(Team.objects.order_by("id"))
    clients = list(
        Organization.objects.filter(
            kind__in=[Organization.Kind.CLIENT, Organization.Kind.PARTNER]
        ).order_by("id")[:12]
    )
    mentor_skills = sorted(
        set(
            PersonSkill.objects.filter(person__in=[mentor, *mentors]).values_list(
                "skill_id", flat=True
            )
        )
    )
    formats = ["any", "video", "in_person", "any"]
    enrollments = {}
    for person in [member, *mentees]:
        if person.pk == member.pk:
            wants = list(_MEMBER_BEHAVIORS)
            goals = (
                "Get known beyond my team: present my work to the business side and build "
                "the relationships our next launch depends on."
            )
        else:
            wants = rng.sample(keys, 2)
            goals = rng.choice(
                [
                    "Build a network outside my own team.",
                    "Get better at presenting my work to senior people.",
                    "Learn to keep in touch with the people who matter for my projects.",
                    "Prepare for a role that works across teams and with clients.",
                ]
            )
        other_teams = [t for t in teams if t.pk != person.team_id]
        enrollments[person.pk] = services.enrollment_create(
            actor=pm,
            program=program,
            role="mentee",
            person=person,
            goals=goals,
            behaviors_to_develop=wants,
            self_levels={k: rng.choice([1, 2, 2, 3]) for k in wants},
            needed_teams=rng.sample(other_teams, min(2, len(other_teams))),
            needed_organizations=rng.sample(clients, 1) if clients else [],
            skills_wanted=rng.sample(mentor_skills, min(2, len(mentor_skills))),
            meeting_format=rng.choice(formats),
            prefer_other_team=rng.random() < 0.5,
        )
    for person in [mentor, *mentors]:
        enrollments[person.pk] = services.enrollment_create(
            actor=pm,
            program=program,
            role="mentor",
            person=person,
            goals="Happy to share how I built my network across the business.",
            self_levels={k: rng.choice([3, 4, 4, 5]) for k in keys},
            capacity=2 if person.pk == mentor.pk else 3,
            meeting_format=rng.choice(formats),
            availability=rng.choice(["Tuesday mornings", "Thursday afternoons", "Flexible"]),
        )
    return enrollments


def _shift(model, pk, **fields) -> None:
    model.objects.filter(pk=pk).update(**fields)


def _sessions_for(
    relationship: MentoringRelationship,
    *,
    rng: random.Random,
    start: dt.date,
    today: dt.date,
    stop: dt.date | None,
    keys: list[str],
    times: list[dt.datetime] | None = None,
) -> list[MentoringSession]:
    """Held sessions every ~two weeks from ``start`` (or at ``times``) until ``stop``/today."""
    if times is None:
        times, day = [], start + dt.timedelta(days=rng.randint(2, 6))
        while day < (stop or today):
            if rng.random() > 0.12:
                times.append(_at(day, rng.choice([9, 11, 14, 16])))
            day += dt.timedelta(days=CADENCE + rng.randint(-2, 3))
    sessions = MentoringSession.objects.bulk_create(
        [
            MentoringSession(
                relationship=relationship,
                scheduled_at=when,
                duration_minutes=rng.choice([30, 45, 45, 60]),
                status=MentoringSession.Status.HELD,
                agenda=rng.choice(
                    [
                        "Review the last action items; plan the next stakeholder conversation.",
                        "Who does the current objective depend on? Map it together.",
                        "Rehearse the update for the steering group.",
                        "How did the practice conversation go? What next?",
                    ]
                ),
                behaviors_practiced=rng.sample(keys, min(len(keys), rng.choice([1, 2]))),
                logged_at=when + dt.timedelta(hours=2),
            )
            for when in times
        ]
    )
    return sessions


def _assess(
    *,
    relationship: MentoringRelationship,
    enrollment: Enrollment,
    version,
    kind: str,
    round: str,  # noqa: A002 - an assessment round, the domain's word
    assessor_id: int,
    levels: dict[str, int],
    when: dt.datetime,
    comment: str = "",
) -> Assessment:
    assessment = Assessment.objects.create(
        enrollment=enrollment,
        relationship=relationship,
        subject_id=relationship.mentee_id,
        assessor_id=assessor_id,
        kind=kind,
        round=round,
        framework_version=version,
        status=Assessment.Status.SUBMITTED,
        submitted_at=when,
        comment=comment,
    )
    AssessmentRating.objects.bulk_create(
        [
            AssessmentRating(assessment=assessment, behavior_key=key, level=level)
            for key, level in levels.items()
        ]
    )
    _shift(Assessment, assessment.pk, created_at=when - dt.timedelta(days=3))
    return assessment


def _start_levels(rng: random.Random, keys: list[str], wants: list[str]) -> dict[str, int]:
    return {k: (rng.choice([1, 2, 2]) if k in wants else rng.choice([2, 3, 3])) for k in keys}


def _grown(rng: random.Random, start: dict[str, int], wants: list[str]) -> dict[str, int]:
    return {
        k: min(5, v + (rng.choice([1, 1, 2]) if k in wants else rng.choice([0, 0, 1])))
        for k, v in start.items()
    }


def _peer_of(person: Person, exclude: set[int]) -> Person | None:
    return (
        Person.objects.filter(team=person.team_id, engagement_type__in=INTERNAL_ENGAGEMENTS)
        .exclude(pk__in=exclude | {person.pk})
        .order_by("id")
        .first()
    )


def _is_ours(person: Person) -> bool:
    return person.organization is not None and person.organization.is_ours


def _introduction(mentor_user: User, relationship: MentoringRelationship, today: dt.date):
    """The mentor introduces the member to a strong contact of the mentor's that the
    member has no tie with, preferably outside our organization."""
    mentor_id, member_id = relationship.mentor_id, relationship.mentee_id
    mine = {
        t.other_id(member_id)
        for t in consented_ties().filter(Q(person_a_id=member_id) | Q(person_b_id=member_id))
    } | set(
        IntroductionRequest.objects.filter(requester_id=member_id).values_list(
            "target_id", flat=True
        )
    )
    ties = [
        t
        for t in consented_ties()
        .filter(Q(person_a_id=mentor_id) | Q(person_b_id=mentor_id))
        .order_by("-strength", "id")
        if t.other_id(mentor_id) not in mine | {member_id}
    ]
    if not ties:
        return None
    people = Person.objects.select_related("organization").in_bulk(
        [t.other_id(mentor_id) for t in ties]
    )
    ranked = sorted(
        ties,
        key=lambda t: (
            _is_ours(people[t.other_id(mentor_id)]),
            -t.strength,
            t.pk,
        ),
    )
    target = people[ranked[0].other_id(mentor_id)]
    first = relationship.mentee.full_name.split()[0]
    link = services.mentor_introduction_make(
        actor=mentor_user,
        relationship=relationship,
        target=target,
        message=(
            f"{first} is working on getting our data work in front of the business. You two "
            f"should talk: {target.full_name.split()[0]} has done exactly that and can tell "
            f"{first} who to win over first."
        ),
    )
    when = _at(today - dt.timedelta(days=24), 15)
    intro = link.introduction
    IntroductionRequest.objects.filter(pk=intro.pk).update(
        created_at=when, updated_at=when, responded_at=when
    )
    if intro.interaction_id:
        Interaction.objects.filter(pk=intro.interaction_id).update(occurred_at=when)
    _shift(RelationshipIntroduction, link.pk, created_at=when)
    return link


def _self_matching_program(pm: User, today: dt.date, rng: random.Random, mentors: list[Person]):
    program = services.program_create(
        actor=pm,
        name=DEMO_SELF_PROGRAM_NAME,
        goal=(
            "Mentoring open to everyone, all year round: choose a mentor from the suggestions "
            "that fit you, and work on the behaviors you pick."
        ),
        start_date=today - dt.timedelta(days=30),
        kind=Program.Kind.ONGOING,
        matching_mode=Program.MatchingMode.SELF,
        session_cadence_days=21,
        assessment_cadence_days=90,
    )
    services.program_set_enrollment(actor=pm, program=program, open=True)
    keys = _behavior_keys(program)
    for person in mentors:
        services.enrollment_create(
            actor=pm,
            program=program,
            role="mentor",
            person=person,
            goals="Open to mentees from any team.",
            self_levels={k: rng.choice([3, 4, 5]) for k in keys},
            capacity=2,
        )
    return program


@transaction.atomic
def demo_mentoring_load(*, today: dt.date) -> dict:
    """Load the demo's mentoring programs (see the module docstring); returns counts.

    Needs the demo logins ("member", "mentor", "manager") and, for matching
    by network reach and the mentor's introduction, the demo's computed ties.
    Does nothing when the demo program exists already (returns its counts with
    ``"created": False``) or when the demo logins are missing; demo programs a
    reset left without people are replaced.

    Returns ``{"created", "program", "mentees", "mentors", "pairs", "sessions",
    "assessments", "action_items", "introductions", "self_matching_program"}``
    (program ids and counts), plus ``"at_risk_pair"`` and ``"network_snapshots"``
    (what storing the network snapshots did) when it created them.
    """
    existing = Program.objects.filter(name=DEMO_PROGRAM_NAME).first()
    if existing is not None and existing.enrollments.exists():
        return _summary(existing, created=False)
    # Left empty by a demo reset (which deletes the people): start the programs again.
    Program.objects.filter(name__in=[DEMO_PROGRAM_NAME, DEMO_SELF_PROGRAM_NAME]).delete()
    pm, member_user, mentor_user = _login("manager"), _login("member"), _login("mentor")
    member = member_user.person if member_user is not None else None
    mentor = mentor_user.person if mentor_user is not None else None
    if (
        pm is None
        or pm.person_id is None
        or member_user is None
        or mentor_user is None
        or member is None
        or mentor is None
    ):
        return {"created": False, "skipped": "the demo logins are missing"}
    rng = random.Random(SEED)  # noqa: S311 - a seeded generator for reproducible demo data
    logins = set(User.objects.filter(person__isnull=False).values_list("person_id", flat=True))
    start = today - dt.timedelta(days=122)
    program = services.program_create(
        actor=pm,
        name=DEMO_PROGRAM_NAME,
        goal=(
            "Eight months of mentoring on the behaviors that build strategic relationships: "
            "mapping who our goals depend on, reaching beyond our own teams, holding the "
            "conversations that matter, and showing what relationships return."
        ),
        start_date=start,
        end_date=start + dt.timedelta(days=240),
        session_cadence_days=CADENCE,
    )
    services.program_set_enrollment(actor=pm, program=program, open=True)
    mentees, mentors = _choose_people(rng, member, mentor, logins)
    enrollments = _enroll(pm, program, rng, member, mentor, mentees, mentors)
    # The member and the mentor already meet: the program manager keeps that pair.
    try:
        with transaction.atomic():
            services.match_override_set(
                actor=pm,
                program=program,
                mentee=enrollments[member.pk],
                mentor=enrollments[mentor.pk],
                kind="fix",
            )
    except ValidationError:  # a hard constraint the demo data breaks: let the optimum decide
        logger.warning("The demo could not fix the member with the mentor", exc_info=True)
    run = services.matching_run(actor=pm, program=program)
    relationships = services.matching_publish(actor=pm, run=run)
    services.program_set_enrollment(actor=pm, program=program, open=False)
    matched_on = start + dt.timedelta(days=6)
    MatchingRun.objects.filter(pk=run.pk).update(
        created_at=_at(matched_on - dt.timedelta(days=1)), published_at=_at(matched_on)
    )
    Program.objects.filter(pk=program.pk).update(created_at=_at(start - dt.timedelta(days=21)))
    MentoringRelationship.objects.filter(program=program).update(started_on=matched_on)
    version = program.framework_version
    keys = _behavior_keys(program)
    member_pair = next((r for r in relationships if r.mentee_id == member.pk), None)
    others = [r for r in relationships if r.pk != getattr(member_pair, "pk", None)]
    at_risk = others[len(others) // 2] if others else None
    midpoint = today - dt.timedelta(days=12)
    for relationship in relationships:
        relationship.refresh_from_db()
        enrollment = relationship.mentee_enrollment
        wants = list(enrollment.behaviors_to_develop)
        Agreement.objects.filter(relationship=relationship).update(
            goals=enrollment.goals,
            mentee_agreed_at=_at(matched_on + dt.timedelta(days=3)),
            mentor_agreed_at=_at(matched_on + dt.timedelta(days=3)),
            share_network_with_mentor=relationship.pk == getattr(member_pair, "pk", None),
        )
        is_member = relationship.pk == getattr(member_pair, "pk", None)
        risky = at_risk is not None and relationship.pk == at_risk.pk
        times = None
        if is_member:
            times = _member_meetings(member, mentor, matched_on, today)
        sessions = _sessions_for(
            relationship,
            rng=rng,
            start=matched_on,
            today=today,
            stop=today - dt.timedelta(days=65) if risky else None,
            keys=wants or keys[:2],
            times=times,
        )
        _notes_and_feedback(rng, relationship, sessions, is_member=is_member, risky=risky)
        _action_items(rng, relationship, today, is_member=is_member, risky=risky)
        # Assessments: start (self + mentor) and midpoint (self + mentor), growing.
        start_levels = _start_levels(rng, keys, wants)
        mid_levels = _grown(rng, start_levels, wants) if not risky else dict(start_levels)
        mentor_start = {k: max(1, v - rng.choice([0, 0, 1])) for k, v in start_levels.items()}
        mentor_mid = _grown(rng, mentor_start, wants) if not risky else dict(mentor_start)
        rounds = [("start", matched_on + dt.timedelta(days=8), start_levels, mentor_start)]
        rounds.append(("midpoint", midpoint, mid_levels, mentor_mid))
        for round_key, day, self_levels, by_mentor in rounds:
            _assess(
                relationship=relationship,
                enrollment=enrollment,
                version=version,
                kind="self",
                round=round_key,
                assessor_id=relationship.mentee_id,
                levels=self_levels,
                when=_at(day, 17),
            )
            _assess(
                relationship=relationship,
                enrollment=enrollment,
                version=version,
                kind="mentor",
                round=round_key,
                assessor_id=relationship.mentor_id,
                levels=by_mentor,
                when=_at(day + dt.timedelta(days=2), 12),
            )
        if is_member:
            peer = _peer_of(member, {mentor.pk})
            if peer is not None:
                peer_start = {
                    k: max(1, v - 1) if k in wants else v for k, v in start_levels.items()
                }
                for round_key, day, levels in (
                    ("start", matched_on + dt.timedelta(days=10), peer_start),
                    ("midpoint", midpoint + dt.timedelta(days=3), _grown(rng, peer_start, wants)),
                ):
                    _assess(
                        relationship=relationship,
                        enrollment=enrollment,
                        version=version,
                        kind="peer",
                        round=round_key,
                        assessor_id=peer.pk,
                        levels=levels,
                        when=_at(day, 15),
                        comment="Noticeably more present in cross-team meetings lately."
                        if round_key == "midpoint"
                        else "",
                    )
    if member_pair is not None:
        _member_extras(rng, member_pair, member_user, mentor_user, today)
        try:
            with transaction.atomic():
                _introduction(mentor_user, member_pair, today)
        except ValidationError:  # no contact of the mentor's to introduce: the rest stands
            logger.warning("The demo mentor had nobody to introduce", exc_info=True)
    _self_matching_program(pm, today, rng, [mentor, *rng.sample(mentors, min(3, len(mentors)))])
    summary = _summary(program, created=True)
    summary["at_risk_pair"] = at_risk.pk if at_risk else None
    # Pages only read the network snapshots, which are stored nightly: store the demo's
    # now, so its network change shows at once (a failed day is in the summary).
    summary["network_snapshots"] = services.network_snapshots_refresh(today=today).as_dict()
    return summary


def _member_meetings(member: Person, mentor: Person, since: dt.date, today: dt.date):
    """The demo's own meetings of the member with the mentor since ``since`` (the
    events the network is computed from), so sessions and ties tell one story."""
    times = list(
        Interaction.objects.filter(
            channel=Channel.MEETING,
            occurred_at__date__gte=since,
            occurred_at__date__lt=today,
            participations__person=member,
        )
        .filter(participations__person=mentor)
        .order_by("occurred_at")
        .values_list("occurred_at", flat=True)
        .distinct()
    )
    if len(times) < 3:  # no demo events: every other week
        times, day = [], since + dt.timedelta(days=3)
        while day < today:
            times.append(_at(day, 11))
            day += dt.timedelta(days=14)
    return times


def _notes_and_feedback(rng, relationship, sessions, *, is_member: bool, risky: bool) -> None:
    notes, feedback = [], []
    for i, session in enumerate(sessions):
        if is_member or rng.random() < 0.3:
            notes.append(
                SessionNote(
                    session=session,
                    author_id=relationship.mentee_id,
                    visibility=SessionNote.Visibility.SHARED,
                    text=rng.choice(
                        [
                            "We mapped who the launch depends on: three people in Sales I barely know.",
                            "Agreed to ask for 20 minutes with the head of Customer Success.",
                            "Practised my opening for the steering group: shorter, lead with the ask.",
                            "Talked about keeping in touch without it feeling forced: a Friday slot.",
                        ]
                    ),
                )
            )
        if is_member and i % 3 == 0:
            notes.append(
                SessionNote(
                    session=session,
                    author_id=relationship.mentee_id,
                    visibility=SessionNote.Visibility.PRIVATE,
                    text="Nervous about presenting to senior people; want to work on that.",
                )
            )
        if is_member and i % 2 == 1:
            notes.append(
                SessionNote(
                    session=session,
                    author_id=relationship.mentor_id,
                    visibility=SessionNote.Visibility.PRIVATE,
                    text="Strong ideas, undersells them. Push for one visible presentation this month.",
                )
            )
        if rng.random() < 0.7:
            feedback.append(
                SessionFeedback(
                    session=session,
                    author_id=relationship.mentee_id,
                    rating=2 if risky else rng.choice([4, 4, 5, 5, 3]),
                )
            )
    SessionNote.objects.bulk_create(notes)
    SessionFeedback.objects.bulk_create(feedback)
    if len(sessions) >= 2:
        FitCheck.objects.create(
            relationship=relationship,
            author_id=relationship.mentee_id,
            fit=2 if risky else rng.choice([4, 4, 5]),
            wants_rematch=risky,
            comment="We struggle to find time; a mentor closer to my work would help."
            if risky
            else "",
        )
        if is_member:
            FitCheck.objects.create(
                relationship=relationship, author_id=relationship.mentor_id, fit=4
            )


def _action_items(rng, relationship, today: dt.date, *, is_member: bool, risky: bool) -> int:
    if is_member:
        rows = [
            ("List the ten people the launch depends on", -70, True),
            ("Ask the head of Customer Success for 20 minutes", -40, True),
            ("Send the Sales team the one-page summary of the data platform", -5, False),
            ("Present the roadmap at the all-hands", 12, False),
        ]
    elif risky:
        rows = [
            ("Map the stakeholders of the current project", -50, False),
            ("Book a coffee with someone in another team", -30, False),
        ]
    else:
        rows = [
            (
                rng.choice(
                    [
                        "Reconnect with a former colleague",
                        "Book a call with someone in another team",
                        "Draft a three-sentence summary of my work",
                        "Put my ten key contacts into tiers",
                    ]
                ),
                rng.randint(-60, 20),
                rng.random() < 0.6,
            )
            for _ in range(rng.randint(1, 3))
        ]
    items = ActionItem.objects.bulk_create(
        [
            ActionItem(
                relationship=relationship,
                title=title,
                owner_id=relationship.mentee_id,
                due_on=today + dt.timedelta(days=due),
                done_at=_at(today + dt.timedelta(days=due - 2)) if done and due < 0 else None,
            )
            for title, due, done in rows
        ]
    )
    return len(items)


def _member_extras(rng, relationship, member_user: User, mentor_user: User, today: dt.date) -> None:
    """A practice conversation with its reflection, another planned, and the next
    session scheduled (plus one held last week that nobody logged yet)."""
    plan = PracticePlan.objects.create(
        relationship=relationship,
        behavior_key="presenting_yourself",
        conversation="Present the data platform roadmap to the Sales leadership team",
        planned_for=today - dt.timedelta(days=20),
        preparation=(
            "Lead with what it changes for Sales, not with the architecture. Three slides. "
            "Open with the question I want them to answer; leave ten minutes for questions."
        ),
        status=PracticePlan.Status.REFLECTED,
        reflection=(
            "It went better than I feared: opening with their problem kept them with me. I ran "
            "over time on the second slide and lost the room for a minute. Next time: rehearse "
            "the timing, and follow up with the two people who asked questions."
        ),
        confidence_after=4,
        reflected_at=_at(today - dt.timedelta(days=19), 18),
        created_by=member_user,
    )
    _shift(PracticePlan, plan.pk, created_at=_at(today - dt.timedelta(days=33)))
    PracticePlan.objects.create(
        relationship=relationship,
        behavior_key="real_time_conversations",
        conversation="Ask the Customer Success lead what they need from our data team",
        planned_for=today + dt.timedelta(days=6),
        preparation="Three open questions before saying anything about our plans.",
        created_by=member_user,
    )
    MentoringSession.objects.create(
        relationship=relationship,
        scheduled_at=_at(today + dt.timedelta(days=5), 11),
        duration_minutes=45,
        agenda="Debrief the all-hands preparation; plan the Customer Success conversation.",
        created_by=mentor_user,
    )


def _summary(program: Program, *, created: bool) -> dict:
    relationships = program.relationships.all()
    return {
        "created": created,
        "program": program.pk,
        "mentees": program.enrollments.filter(role="mentee").count(),
        "mentors": program.enrollments.filter(role="mentor").count(),
        "pairs": relationships.filter(status=MentoringRelationship.Status.ACTIVE).count(),
        "sessions": MentoringSession.objects.filter(relationship__program=program).count(),
        "assessments": Assessment.objects.filter(enrollment__program=program).count(),
        "action_items": ActionItem.objects.filter(relationship__program=program).count(),
        "introductions": RelationshipIntroduction.objects.filter(
            relationship__program=program
        ).count(),
        "self_matching_program": Program.objects.filter(name=DEMO_SELF_PROGRAM_NAME)
        .values_list("pk", flat=True)
        .first(),
    }
