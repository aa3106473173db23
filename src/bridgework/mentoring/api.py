"""REST API of the mentoring app under ``/api/mentoring/``.

The same selectors and services as the pages, with ``request.auth`` as the
viewer, so the same rules hold: a pair sees its own relationship (private
notes only for their author), program managers see progress and run programs
and matching, a peer sees only the assessment they were asked for. Anything
else, like anything missing, is a 404.
"""

from __future__ import annotations

from ninja import Router

from bridgework.accounts import policies
from bridgework.accounts.requests import ApiRequest
from bridgework.core.errors import NotFoundError
from bridgework.mentoring import selectors, services
from bridgework.mentoring.models import (
    ActionItem,
    Enrollment,
    FitCheck,
    MentoringRelationship,
    PracticePlan,
    SessionFeedback,
)
from bridgework.mentoring.schemas import (
    ActionItemIn,
    ActionItemOut,
    ActionItemPatch,
    AgreementPatch,
    AssessmentOut,
    AssessmentRequestIn,
    AssessmentSubmitIn,
    CountOut,
    DashboardOut,
    EndIn,
    EnrollmentIn,
    EnrollmentOut,
    EnrollmentPatch,
    EnrollmentSwitchIn,
    FeedbackIn,
    FeedbackOut,
    FitCheckIn,
    FitCheckOut,
    FrameworkIn,
    FrameworkOut,
    FrameworkVersionOut,
    IntroductionIn,
    MatchingReviewOut,
    MatchingRunOut,
    MentoringRelationshipOut,
    MentorIntroductionOut,
    MentorRequestIn,
    NoteIn,
    NoteOut,
    OverrideIn,
    OverrideOut,
    PracticePlanIn,
    PracticePlanOut,
    PracticePlanPatch,
    ProgramIn,
    ProgramOut,
    ProgramPatch,
    ProgressOut,
    PublishIn,
    RespondIn,
    RoundIn,
    SessionIn,
    SessionOut,
    SessionPatch,
    SuggestionOut,
)
from bridgework.people import selectors as people_selectors
from bridgework.people.models import Person
from bridgework.web.apitypes import Id

__all__ = ["router"]

router = Router(tags=["mentoring"])


def _person(person_id: int) -> Person:
    person = people_selectors.people_by_id([person_id]).get(person_id)
    if person is None:
        raise NotFoundError("Not found.")
    return person


def _optional_person(person_id: int | None) -> Person | None:
    return None if person_id is None else _person(person_id)


def _pair(request: ApiRequest, relationship_id: int) -> MentoringRelationship:
    relationship = selectors.access_relationship(
        viewer=request.auth, relationship_id=relationship_id
    )
    if relationship.viewer_side not in ("mentee", "mentor"):
        raise NotFoundError("Not found.")
    return relationship


# ---- Frameworks ------------------------------------------------------------------------


@router.get("/frameworks", response=list[FrameworkOut], summary="Behavior frameworks")
def framework_list(request: ApiRequest):
    return selectors.framework_list(viewer=request.auth)


@router.post("/frameworks", response={201: FrameworkVersionOut}, summary="Load a framework")
def framework_create(request: ApiRequest, payload: FrameworkIn):
    """A new framework from YAML (program managers). Invalid YAML: 422 with every
    problem, each naming its line and field; nothing is stored."""
    return services.framework_version_create(
        actor=request.auth, text=payload.yaml, note=payload.note
    )


@router.get("/frameworks/{framework_id}", response=FrameworkOut, summary="A framework")
def framework_detail(request: ApiRequest, framework_id: int):
    return selectors.access_framework(viewer=request.auth, framework_id=framework_id)


@router.get(
    "/frameworks/{framework_id}/versions/{number}",
    response=FrameworkVersionOut,
    summary="One version of a framework",
)
def framework_version(request: ApiRequest, framework_id: int, number: int):
    return selectors.access_framework_version_number(
        viewer=request.auth, framework_id=framework_id, number=number
    )


@router.post(
    "/frameworks/{framework_id}/versions",
    response={201: FrameworkVersionOut},
    summary="Edit a framework (adds a version)",
)
def framework_edit(request: ApiRequest, framework_id: int, payload: FrameworkIn):
    framework = selectors.access_framework(viewer=request.auth, framework_id=framework_id)
    return services.framework_version_create(
        actor=request.auth, text=payload.yaml, framework=framework, note=payload.note
    )


# ---- Programs -----------------------------------------------------------------------------


@router.get("/programs", response=list[ProgramOut], summary="Mentoring programs")
def program_list(request: ApiRequest):
    return selectors.program_list(viewer=request.auth)


@router.post("/programs", response={201: ProgramOut}, summary="Create a program")
def program_create(request: ApiRequest, payload: ProgramIn):
    """A draft program (program managers); the default framework unless given."""
    data = payload.dict(exclude_unset=True)
    version_id = data.pop("framework_version_id", None)
    if version_id is not None:
        data["framework_version"] = selectors.access_framework_version(
            viewer=request.auth, version_id=version_id
        )
    return services.program_create(
        actor=request.auth,
        name=data.pop("name"),
        goal=data.pop("goal"),
        start_date=data.pop("start_date"),
        **data,
    )


@router.get("/programs/{program_id}", response=ProgramOut, summary="A program")
def program_detail(request: ApiRequest, program_id: int):
    return selectors.access_program(viewer=request.auth, program_id=program_id)


@router.patch("/programs/{program_id}", response=ProgramOut, summary="Change a program")
def program_update(request: ApiRequest, program_id: int, payload: ProgramPatch):
    program = selectors.access_program(viewer=request.auth, program_id=program_id, manage=True)
    data = payload.dict(exclude_unset=True)
    version_id = data.pop("framework_version_id", None)
    if version_id is not None:
        data["framework_version"] = selectors.access_framework_version(
            viewer=request.auth, version_id=version_id
        )
    return services.program_update(actor=request.auth, program=program, **data)


@router.post(
    "/programs/{program_id}/enrollment", response=ProgramOut, summary="Open or close enrollment"
)
def program_enrollment(request: ApiRequest, program_id: int, payload: EnrollmentSwitchIn):
    program = selectors.access_program(viewer=request.auth, program_id=program_id, manage=True)
    return services.program_set_enrollment(actor=request.auth, program=program, open=payload.open)


@router.post("/programs/{program_id}/finish", response=ProgramOut, summary="Finish a program")
def program_finish(request: ApiRequest, program_id: int):
    program = selectors.access_program(viewer=request.auth, program_id=program_id, manage=True)
    return services.program_finish(actor=request.auth, program=program)


@router.post(
    "/programs/{program_id}/assessment-rounds",
    response=CountOut,
    summary="Ask every pair for a round of assessments",
)
def program_round(request: ApiRequest, program_id: int, payload: RoundIn):
    program = selectors.access_program(viewer=request.auth, program_id=program_id, manage=True)
    count = services.assessment_round_open(
        actor=request.auth, program=program, round=payload.round, due_on=payload.due_on
    )
    return {"count": count}


@router.get("/programs/{program_id}/dashboard", response=DashboardOut, summary="Program dashboard")
def program_dashboard(request: ApiRequest, program_id: int):
    """Participation, cadence, behavior and network growth, pairs at risk (program
    managers; progress only)."""
    program = selectors.access_program(viewer=request.auth, program_id=program_id, manage=True)
    return selectors.program_dashboard(viewer=request.auth, program=program)


# ---- Enrollment ----------------------------------------------------------------------------------


@router.get(
    "/programs/{program_id}/enrollments", response=list[EnrollmentOut], summary="Who is enrolled"
)
def enrollment_list(request: ApiRequest, program_id: int):
    """Program managers: everyone; anyone else: their own enrollments."""
    program = selectors.access_program(viewer=request.auth, program_id=program_id)
    if policies.can_manage_mentoring(request.auth):
        return selectors.program_enrollments(viewer=request.auth, program=program)
    return selectors.my_enrollment(viewer=request.auth, program=program)


@router.post(
    "/programs/{program_id}/enrollments", response={201: EnrollmentOut}, summary="Join a program"
)
def enrollment_create(request: ApiRequest, program_id: int, payload: EnrollmentIn):
    program = selectors.access_program(viewer=request.auth, program_id=program_id)
    data = payload.dict(exclude_unset=True)
    role = data.pop("role")
    person = _optional_person(data.pop("person_id", None))
    return services.enrollment_create(
        actor=request.auth, program=program, role=role, person=person, **data
    )


@router.get("/enrollments/{enrollment_id}", response=EnrollmentOut, summary="An enrollment")
def enrollment_detail(request: ApiRequest, enrollment_id: int):
    return selectors.access_enrollment(viewer=request.auth, enrollment_id=enrollment_id)


@router.patch("/enrollments/{enrollment_id}", response=EnrollmentOut, summary="Change a profile")
def enrollment_update(request: ApiRequest, enrollment_id: int, payload: EnrollmentPatch):
    enrollment = selectors.access_enrollment(viewer=request.auth, enrollment_id=enrollment_id)
    return services.enrollment_update(
        actor=request.auth, enrollment=enrollment, **payload.dict(exclude_unset=True)
    )


@router.delete("/enrollments/{enrollment_id}", response=EnrollmentOut, summary="Withdraw")
def enrollment_withdraw(request: ApiRequest, enrollment_id: int):
    enrollment = selectors.access_enrollment(viewer=request.auth, enrollment_id=enrollment_id)
    return services.enrollment_withdraw(actor=request.auth, enrollment=enrollment)


# ---- Matching ------------------------------------------------------------------------------------------


@router.get(
    "/programs/{program_id}/matching", response=MatchingReviewOut, summary="Review matching"
)
def matching_review(request: ApiRequest, program_id: int):
    """The proposal under review (or the last published one), its matches with score
    parts and explanations, the unmatched mentees with reasons, and the overrides."""
    program = selectors.access_program(viewer=request.auth, program_id=program_id, manage=True)
    return selectors.matching_review(viewer=request.auth, program=program)


@router.post(
    "/programs/{program_id}/matching/run", response={201: MatchingRunOut}, summary="Run matching"
)
def matching_run(request: ApiRequest, program_id: int):
    program = selectors.access_program(viewer=request.auth, program_id=program_id, manage=True)
    return services.matching_run(actor=request.auth, program=program)


def _enrollment_of(program, enrollment_id: int) -> Enrollment:
    enrollment = program.enrollments.filter(pk=enrollment_id).select_related("person").first()
    if enrollment is None:
        raise NotFoundError("Not found.")
    return enrollment


@router.post(
    "/programs/{program_id}/matching/overrides",
    response={201: OverrideOut},
    summary="Fix or veto a pair",
)
def override_create(request: ApiRequest, program_id: int, payload: OverrideIn):
    program = selectors.access_program(viewer=request.auth, program_id=program_id, manage=True)
    override = services.match_override_set(
        actor=request.auth,
        program=program,
        mentee=_enrollment_of(program, payload.mentee_enrollment_id),
        mentor=_enrollment_of(program, payload.mentor_enrollment_id),
        kind=payload.kind,
    )
    return override


@router.delete(
    "/programs/{program_id}/matching/overrides/{override_id}",
    response={204: None},
    summary="Remove an override",
)
def override_delete(request: ApiRequest, program_id: int, override_id: int):
    program = selectors.access_program(viewer=request.auth, program_id=program_id, manage=True)
    override = program.overrides.filter(pk=override_id).select_related("mentee").first()
    if override is None:
        raise NotFoundError("Not found.")
    services.match_override_remove(actor=request.auth, override=override)
    return None


@router.post(
    "/programs/{program_id}/matching/publish",
    response=list[MentoringRelationshipOut],
    summary="Publish the proposal",
)
def matching_publish(request: ApiRequest, program_id: int, payload: PublishIn):
    """Turn the proposal under review into mentoring relationships; each pair is e-mailed."""
    program = selectors.access_program(viewer=request.auth, program_id=program_id, manage=True)
    run = program.matching_runs.filter(pk=payload.run_id).first()
    if run is None:
        raise NotFoundError("Not found.")
    created = services.matching_publish(actor=request.auth, run=run)
    for relationship in created:
        relationship.viewer_side = "manager"
    return created


@router.get(
    "/programs/{program_id}/suggestions",
    response=list[SuggestionOut],
    summary="My ranked mentor suggestions",
)
def suggestions(request: ApiRequest, program_id: int, limit: int = 5):
    """Self-matching: the mentors who fit the caller best, each explained."""
    program = selectors.access_program(viewer=request.auth, program_id=program_id)
    return selectors.mentor_suggestions(
        viewer=request.auth, program=program, limit=max(1, min(limit, 50))
    )


@router.post(
    "/programs/{program_id}/suggestions/request",
    response={201: MentoringRelationshipOut},
    summary="Ask a suggested mentor",
)
def suggestion_request(request: ApiRequest, program_id: int, payload: MentorRequestIn):
    program = selectors.access_program(viewer=request.auth, program_id=program_id)
    relationship = services.relationship_request(
        actor=request.auth,
        program=program,
        mentor=_person(payload.mentor_id),
        message=payload.message,
    )
    relationship.viewer_side = "mentee"
    return relationship


# ---- Relationships ---------------------------------------------------------------------------------------


@router.get(
    "/relationships", response=list[MentoringRelationshipOut], summary="My mentoring relationships"
)
def relationship_list(request: ApiRequest, program: Id | None = None):
    """Mine as mentee or mentor; ``program``: a program manager gets all of its pairs."""
    program_obj = (
        selectors.access_program(viewer=request.auth, program_id=program) if program else None
    )
    relationships = selectors.relationship_list(viewer=request.auth, program=program_obj)
    for r in relationships:
        r.viewer_side = r.side_of(request.auth.person_id) or "manager"
    return relationships


@router.get(
    "/relationships/{relationship_id}", response=MentoringRelationshipOut, summary="A relationship"
)
def relationship_detail(request: ApiRequest, relationship_id: int):
    return selectors.access_relationship(viewer=request.auth, relationship_id=relationship_id)


@router.post(
    "/relationships/{relationship_id}/respond",
    response=MentoringRelationshipOut,
    summary="Accept or decline a request",
)
def relationship_respond(request: ApiRequest, relationship_id: int, payload: RespondIn):
    relationship = _pair(request, relationship_id)
    relationship = services.relationship_respond(
        actor=request.auth, relationship=relationship, accept=payload.accept
    )
    relationship.viewer_side = "mentor"
    return relationship


@router.post(
    "/relationships/{relationship_id}/end",
    response=MentoringRelationshipOut,
    summary="End a relationship",
)
def relationship_end(request: ApiRequest, relationship_id: int, payload: EndIn):
    relationship = selectors.access_relationship(
        viewer=request.auth, relationship_id=relationship_id
    )
    side = relationship.viewer_side
    relationship = services.relationship_end(
        actor=request.auth, relationship=relationship, reason=payload.reason
    )
    relationship.viewer_side = side
    return relationship


@router.patch(
    "/relationships/{relationship_id}/agreement",
    response=MentoringRelationshipOut,
    summary="Change, agree to or share in the agreement",
)
def agreement_update(request: ApiRequest, relationship_id: int, payload: AgreementPatch):
    """Either side changes the goals, cadence, format or confidentiality (both then
    agree again) or agrees (``agree: true``); only the mentee sets
    ``share_network_with_mentor``."""
    relationship = _pair(request, relationship_id)
    data = payload.dict(exclude_unset=True)
    share = data.pop("share_network_with_mentor", None)
    agree = data.pop("agree", None)
    if data:
        services.agreement_update(actor=request.auth, relationship=relationship, **data)
    if agree:
        services.agreement_confirm(actor=request.auth, relationship=relationship)
    if share is not None:
        services.agreement_set_network_sharing(
            actor=request.auth, relationship=relationship, share=share
        )
    return selectors.access_relationship(viewer=request.auth, relationship_id=relationship_id)


@router.get(
    "/relationships/{relationship_id}/progress",
    response=ProgressOut,
    summary="Behavior progress and network change",
)
def relationship_progress(request: ApiRequest, relationship_id: int):
    """Levels per behavior and round (self, mentor, peer); the mentee's network change
    for the mentee, and for the mentor only when the mentee shares it."""
    relationship = selectors.access_relationship(
        viewer=request.auth, relationship_id=relationship_id
    )
    progress = selectors.behavior_progress(enrollment=relationship.mentee_enrollment)
    network = (
        selectors.network_change(viewer=request.auth, relationship=relationship)
        if relationship.viewer_side in ("mentee", "mentor")
        else None
    )
    return {
        "rounds": progress.rounds,
        "behaviors": progress.behaviors,
        "network": network,
    }


# ---- Sessions ---------------------------------------------------------------------------------------------


@router.get(
    "/relationships/{relationship_id}/sessions", response=list[SessionOut], summary="Sessions"
)
def session_list(request: ApiRequest, relationship_id: int):
    relationship = _pair(request, relationship_id)
    return selectors.sessions_of(viewer=request.auth, relationship=relationship)


@router.post(
    "/relationships/{relationship_id}/sessions",
    response={201: SessionOut},
    summary="Plan or record a session",
)
def session_create(request: ApiRequest, relationship_id: int, payload: SessionIn):
    relationship = _pair(request, relationship_id)
    return services.session_create(actor=request.auth, relationship=relationship, **payload.dict())


@router.patch("/sessions/{session_id}", response=SessionOut, summary="Log a session")
def session_log(request: ApiRequest, session_id: int, payload: SessionPatch):
    session = selectors.access_session(viewer=request.auth, session_id=session_id)
    return services.session_log(
        actor=request.auth, session=session, **payload.dict(exclude_unset=True)
    )


@router.get("/sessions/{session_id}/notes", response=list[NoteOut], summary="Notes I may read")
def note_list(request: ApiRequest, session_id: int):
    """My own notes and the other side's shared ones."""
    session = selectors.access_session(viewer=request.auth, session_id=session_id)
    return selectors.visible_notes(viewer=request.auth, session=session)


@router.post("/sessions/{session_id}/notes", response={201: NoteOut}, summary="Add a note")
def note_create(request: ApiRequest, session_id: int, payload: NoteIn):
    session = selectors.access_session(viewer=request.auth, session_id=session_id)
    return services.session_note_add(
        actor=request.auth, session=session, text=payload.text, visibility=payload.visibility
    )


@router.post(
    "/sessions/{session_id}/feedback", response={201: FeedbackOut}, summary="Session feedback"
)
def feedback_create(request: ApiRequest, session_id: int, payload: FeedbackIn):
    session = selectors.access_session(viewer=request.auth, session_id=session_id)
    feedback: SessionFeedback = services.session_feedback_submit(
        actor=request.auth, session=session, rating=payload.rating, comment=payload.comment
    )
    return feedback


@router.post(
    "/relationships/{relationship_id}/fit-check",
    response={201: FitCheckOut},
    summary="How well the pairing fits",
)
def fit_check(request: ApiRequest, relationship_id: int, payload: FitCheckIn):
    relationship = _pair(request, relationship_id)
    check: FitCheck = services.fit_check_submit(
        actor=request.auth, relationship=relationship, **payload.dict()
    )
    return check


# ---- Action items, practice plans, introductions ------------------------------------------------------------


@router.get(
    "/relationships/{relationship_id}/action-items",
    response=list[ActionItemOut],
    summary="Action items",
)
def action_item_list(request: ApiRequest, relationship_id: int):
    relationship = _pair(request, relationship_id)
    return list(relationship.action_items.select_related("owner"))


@router.post(
    "/relationships/{relationship_id}/action-items",
    response={201: ActionItemOut},
    summary="Add an action item",
)
def action_item_create(request: ApiRequest, relationship_id: int, payload: ActionItemIn):
    relationship = _pair(request, relationship_id)
    return services.action_item_create(
        actor=request.auth,
        relationship=relationship,
        title=payload.title,
        owner=payload.owner_id,
        due_on=payload.due_on,
        notes=payload.notes,
    )


@router.patch("/action-items/{item_id}", response=ActionItemOut, summary="Change or tick off")
def action_item_update(request: ApiRequest, item_id: int, payload: ActionItemPatch):
    item: ActionItem = selectors.access_action_item(viewer=request.auth, item_id=item_id)
    data = payload.dict(exclude_unset=True)
    if "owner_id" in data:
        data["owner"] = data.pop("owner_id")
    return services.action_item_update(actor=request.auth, item=item, **data)


@router.get(
    "/relationships/{relationship_id}/practice-plans",
    response=list[PracticePlanOut],
    summary="Practice conversations",
)
def practice_list(request: ApiRequest, relationship_id: int):
    relationship = _pair(request, relationship_id)
    return list(relationship.practice_plans.all())


@router.post(
    "/relationships/{relationship_id}/practice-plans",
    response={201: PracticePlanOut},
    summary="Plan a practice conversation",
)
def practice_create(request: ApiRequest, relationship_id: int, payload: PracticePlanIn):
    relationship = _pair(request, relationship_id)
    return services.practice_plan_create(
        actor=request.auth, relationship=relationship, **payload.dict()
    )


@router.patch(
    "/practice-plans/{plan_id}", response=PracticePlanOut, summary="Prepare, hold, reflect"
)
def practice_update(request: ApiRequest, plan_id: int, payload: PracticePlanPatch):
    plan: PracticePlan = selectors.access_practice_plan(viewer=request.auth, plan_id=plan_id)
    return services.practice_plan_update(
        actor=request.auth, plan=plan, **payload.dict(exclude_unset=True)
    )


@router.post(
    "/relationships/{relationship_id}/introductions",
    response={201: MentorIntroductionOut},
    summary="The mentor introduces the mentee",
)
def introduction_create(request: ApiRequest, relationship_id: int, payload: IntroductionIn):
    """The mentor introduces the mentee to one of the mentor's contacts, recorded as an
    accepted introduction (``/api/introductions/{id}``) and an interaction."""
    relationship = _pair(request, relationship_id)
    target = _person(payload.target_id)
    return services.mentor_introduction_make(
        actor=request.auth, relationship=relationship, target=target, message=payload.message
    )


# ---- Assessments ------------------------------------------------------------------------------------------------


@router.get("/assessments", response=list[AssessmentOut], summary="Assessments waiting for me")
def assessment_inbox(request: ApiRequest):
    return selectors.assessments_to_fill(viewer=request.auth)


@router.get(
    "/relationships/{relationship_id}/assessments",
    response=list[AssessmentOut],
    summary="The mentee's assessments",
)
def assessment_list(request: ApiRequest, relationship_id: int):
    relationship = selectors.access_relationship(
        viewer=request.auth, relationship_id=relationship_id
    )
    assessments = list(
        relationship.mentee_enrollment.assessments.select_related("subject", "assessor")
        .prefetch_related("ratings")
        .order_by("created_at", "id")
    )
    for a in assessments:
        a.viewer_sees_notes = relationship.viewer_side != "manager"
    return assessments


@router.post(
    "/relationships/{relationship_id}/assessments",
    response={201: AssessmentOut},
    summary="Ask for an assessment",
)
def assessment_request(request: ApiRequest, relationship_id: int, payload: AssessmentRequestIn):
    relationship = selectors.access_relationship(
        viewer=request.auth, relationship_id=relationship_id
    )
    assessment = services.assessment_request(
        actor=request.auth,
        relationship=relationship,
        kind=payload.kind,
        round=payload.round,
        assessor=_optional_person(payload.assessor_id),
        due_on=payload.due_on,
    )
    assessment.viewer_sees_notes = relationship.viewer_side != "manager"
    return assessment


@router.get("/assessments/{assessment_id}", response=AssessmentOut, summary="An assessment")
def assessment_detail(request: ApiRequest, assessment_id: int):
    return selectors.access_assessment(viewer=request.auth, assessment_id=assessment_id)


@router.post(
    "/assessments/{assessment_id}/submit", response=AssessmentOut, summary="Submit an assessment"
)
def assessment_submit(request: ApiRequest, assessment_id: int, payload: AssessmentSubmitIn):
    """The assessor rates every behavior of the assessment's framework version, 1-5."""
    assessment = selectors.access_assessment(viewer=request.auth, assessment_id=assessment_id)
    services.assessment_submit(actor=request.auth, assessment=assessment, **payload.dict())
    return selectors.access_assessment(viewer=request.auth, assessment_id=assessment_id)
