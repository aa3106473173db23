"""Pages of the mentoring app: thin views over the selectors and services.

Every page works without JavaScript; with htmx, ticking off an action item
swaps the list in place.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from bridgework.accounts import policies
from bridgework.accounts.views import in_viewer_time_zone
from bridgework.core.errors import NotFoundError
from bridgework.mentoring import selectors, services
from bridgework.mentoring.forms import (
    ActionItemForm,
    AgreementForm,
    AssessmentForm,
    AssessmentRequestForm,
    EndForm,
    EnrollmentForm,
    FeedbackForm,
    FitCheckForm,
    FrameworkYamlForm,
    IntroductionForm,
    NoteForm,
    OverrideForm,
    PracticePlanForm,
    PracticeReflectForm,
    ProgramForm,
    RequestMentorForm,
    RoundOpenForm,
    SessionForm,
    SessionLogForm,
)
from bridgework.mentoring.frameworks import dump_framework
from bridgework.mentoring.models import Enrollment, Program


def _is_htmx(request) -> bool:
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _call(form, service, **kwargs):
    """Run a service; a ``ValidationError`` goes onto the form and None comes back."""
    try:
        return service(**kwargs)
    except ValidationError as exc:
        form.add_service_error(exc)
        return None


def _flash_errors(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _today():
    return timezone.localdate()


# ---- Home ------------------------------------------------------------------------------


@login_required
@in_viewer_time_zone
def home(request):
    """My programs, my mentoring relationships, what is overdue, enrollment open."""
    return render(
        request,
        "mentoring/home.html",
        {
            "home": selectors.mentoring_home(viewer=request.user, today=_today()),
            "can_manage": policies.can_manage_mentoring(request.user),
        },
    )


# ---- Frameworks ------------------------------------------------------------------------------


@login_required
def framework_list(request):
    return render(
        request,
        "mentoring/framework_list.html",
        {
            "frameworks": selectors.framework_list(viewer=request.user),
            "can_manage": policies.can_manage_mentoring(request.user),
        },
    )


@login_required
def framework_detail(request, pk: int):
    """A framework's behaviors, rubrics and exercises; ``?version=N`` for an older one."""
    framework = selectors.access_framework(viewer=request.user, framework_id=pk)
    versions = list(framework.versions.order_by("-number"))
    wanted = request.GET.get("version", "")
    version = next(
        (v for v in versions if str(v.number) == wanted), versions[0] if versions else None
    )
    if version is None:
        raise NotFoundError("Not found.")
    return render(
        request,
        "mentoring/framework_detail.html",
        {
            "framework": framework,
            "version": version,
            "versions": versions,
            "can_manage": policies.can_manage_mentoring(request.user),
        },
    )


@login_required
def framework_import(request):
    """Load a framework of a program's own from a YAML file (or pasted YAML)."""
    if not policies.can_manage_mentoring(request.user):
        raise NotFoundError("Not found.")
    form = FrameworkYamlForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        version = _call(
            form,
            services.framework_version_create,
            actor=request.user,
            text=form.text(),
            note=form.cleaned_data["note"],
        )
        if version is not None:
            messages.success(request, f"Framework “{version.framework.name}” loaded.")
            return redirect("mentoring:framework_detail", pk=version.framework_id)
    return render(request, "mentoring/framework_form.html", {"form": form, "framework": None})


@login_required
def framework_edit(request, pk: int):
    """Edit a framework as YAML: saving adds a version (old assessments keep theirs).
    ``?program=<id>`` moves that program to the new version."""
    if not policies.can_manage_mentoring(request.user):
        raise NotFoundError("Not found.")
    framework = selectors.access_framework(viewer=request.user, framework_id=pk)
    latest = framework.latest_version
    program_id = request.POST.get("program") or request.GET.get("program")
    program = (
        selectors.access_program(viewer=request.user, program_id=int(program_id), manage=True)
        if program_id and str(program_id).isdigit()
        else None
    )
    form = FrameworkYamlForm(
        request.POST or None,
        request.FILES or None,
        initial={"content": dump_framework(latest.content) if latest else ""},
    )
    if request.method == "POST" and form.is_valid():
        version = _call(
            form,
            services.framework_version_create,
            actor=request.user,
            text=form.text(),
            framework=framework,
            note=form.cleaned_data["note"],
            program=program,
        )
        if version is not None:
            messages.success(request, f"Saved as version {version.number}.")
            if program is not None:
                return redirect("mentoring:program_detail", pk=program.pk)
            return redirect("mentoring:framework_detail", pk=framework.pk)
    return render(
        request,
        "mentoring/framework_form.html",
        {"form": form, "framework": framework, "latest": latest, "program": program},
    )


# ---- Programs -------------------------------------------------------------------------------


@login_required
def program_list(request):
    return render(
        request,
        "mentoring/program_list.html",
        {
            "programs": selectors.program_list(viewer=request.user),
            "can_manage": policies.can_manage_mentoring(request.user),
        },
    )


@login_required
def program_create(request):
    if not policies.can_manage_mentoring(request.user):
        raise NotFoundError("Not found.")
    form = ProgramForm(request.POST or None, initial={"start_date": _today()})
    if request.method == "POST" and form.is_valid():
        data = form.service_kwargs()
        program = _call(
            form,
            services.program_create,
            actor=request.user,
            name=data.pop("name"),
            goal=data.pop("goal"),
            start_date=data.pop("start_date"),
            **data,
        )
        if program is not None:
            messages.success(request, f"Program “{program.name}” created as a draft.")
            return redirect("mentoring:program_detail", pk=program.pk)
    return render(request, "mentoring/program_form.html", {"form": form, "program": None})


@login_required
def program_edit(request, pk: int):
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    form = ProgramForm(request.POST or None, program=program)
    if (
        request.method == "POST"
        and form.is_valid()
        and _call(
            form,
            services.program_update,
            actor=request.user,
            program=program,
            **form.service_kwargs(),
        )
    ):
        messages.success(request, "Program saved.")
        return redirect("mentoring:program_detail", pk=program.pk)
    return render(request, "mentoring/program_form.html", {"form": form, "program": program})


@login_required
@in_viewer_time_zone
def program_detail(request, pk: int):
    """The program, how to join it, and (program managers) who is enrolled."""
    viewer = request.user
    program = selectors.access_program(viewer=viewer, program_id=pk)
    manager = policies.can_manage_mentoring(viewer)
    mine = selectors.my_enrollment(viewer=viewer, program=program)
    active_roles = {e.role for e in mine if e.is_active}
    context = {
        "program": program,
        "can_manage": manager,
        "mine": mine,
        "active_roles": active_roles,
        "my_relationships": selectors.relationship_list(viewer=viewer, program=program)
        if not manager
        else [],
        "can_mentor": viewer.has_role("mentor") or manager,
        "behaviors": program.framework_version.behaviors,
    }
    if manager:
        context.update(
            enrollments=selectors.program_enrollments(viewer=viewer, program=program),
            relationships=selectors.relationships_for_program(viewer=viewer, program=program),
            round_form=RoundOpenForm(),
        )
    return render(request, "mentoring/program_detail.html", context)


@require_POST
@login_required
def program_enrollment(request, pk: int):
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    opening = request.POST.get("open") == "1"
    try:
        services.program_set_enrollment(actor=request.user, program=program, open=opening)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, "Enrollment is open." if opening else "Enrollment is closed.")
    return redirect("mentoring:program_detail", pk=program.pk)


@require_POST
@login_required
def program_finish(request, pk: int):
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    services.program_finish(actor=request.user, program=program)
    messages.success(request, "The program has finished: its final report is ready.")
    return redirect("mentoring:program_report", pk=program.pk)


@require_POST
@login_required
def program_round_open(request, pk: int):
    """Ask every active pair for their self and mentor assessments of a round."""
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    form = RoundOpenForm(request.POST)
    if form.is_valid():
        try:
            count = services.assessment_round_open(
                actor=request.user, program=program, **form.cleaned_data
            )
        except ValidationError as exc:
            _flash_errors(request, exc)
        else:
            messages.success(request, f"{count} assessment{'s' if count != 1 else ''} requested.")
    else:
        messages.error(request, "Choose a round.")
    return redirect("mentoring:program_detail", pk=program.pk)


# ---- Enrollment -------------------------------------------------------------------------------


@login_required
@in_viewer_time_zone
def enroll(request, pk: int):
    """Join a program as a mentee or mentor (``?role=``), with a profile."""
    program = selectors.access_program(viewer=request.user, program_id=pk)
    role = request.POST.get("role") or request.GET.get("role") or Enrollment.Role.MENTEE
    if role not in Enrollment.Role.values:
        role = Enrollment.Role.MENTEE
    form = EnrollmentForm(request.POST or None, program=program, role=role)
    if request.method == "POST" and form.is_valid():
        enrollment = _call(
            form,
            services.enrollment_create,
            actor=request.user,
            program=program,
            role=role,
            **form.service_kwargs(),
        )
        if enrollment is not None:
            messages.success(request, f"You joined {program.name} as a {role}.")
            if (
                role == Enrollment.Role.MENTEE
                and program.matching_mode == Program.MatchingMode.SELF
            ):
                return redirect("mentoring:suggestions", pk=program.pk)
            return redirect("mentoring:program_detail", pk=program.pk)
    return render(
        request,
        "mentoring/enrollment_form.html",
        {"form": form, "program": program, "role": role, "enrollment": None},
    )


@login_required
@in_viewer_time_zone
def enrollment_edit(request, pk: int):
    enrollment = selectors.access_enrollment(viewer=request.user, enrollment_id=pk)
    program = enrollment.program
    form = EnrollmentForm(request.POST or None, program=program, enrollment=enrollment)
    if (
        request.method == "POST"
        and form.is_valid()
        and _call(
            form,
            services.enrollment_update,
            actor=request.user,
            enrollment=enrollment,
            **form.service_kwargs(),
        )
    ):
        messages.success(request, "Profile saved.")
        return redirect("mentoring:program_detail", pk=program.pk)
    return render(
        request,
        "mentoring/enrollment_form.html",
        {"form": form, "program": program, "role": enrollment.role, "enrollment": enrollment},
    )


@require_POST
@login_required
def enrollment_withdraw(request, pk: int):
    enrollment = selectors.access_enrollment(viewer=request.user, enrollment_id=pk)
    try:
        services.enrollment_withdraw(actor=request.user, enrollment=enrollment)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, f"{enrollment.person} withdrew from {enrollment.program.name}.")
    return redirect("mentoring:program_detail", pk=enrollment.program_id)


# ---- Matching ------------------------------------------------------------------------------------


@login_required
@in_viewer_time_zone
def matching(request, pk: int, override_form=None):
    """Review the proposed matches with their explanations and score parts, fix or
    veto pairs, re-run, publish."""
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    review = selectors.matching_review(viewer=request.user, program=program)
    return render(
        request,
        "mentoring/matching.html",
        {
            "program": program,
            "review": review,
            "override_form": override_form or OverrideForm(program=program),
        },
    )


@require_POST
@login_required
def matching_run(request, pk: int):
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    try:
        run = services.matching_run(actor=request.user, program=program)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(
            request,
            f"Proposed {run.matches.count()} match{'es' if run.matches.count() != 1 else ''} "
            f"(total score {run.total_score:.2f}); {len(run.unmatched)} mentee"
            f"{'s' if len(run.unmatched) != 1 else ''} unmatched.",
        )
    return redirect("mentoring:matching", pk=program.pk)


@require_POST
@login_required
@in_viewer_time_zone
def matching_override(request, pk: int):
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    form = OverrideForm(request.POST, program=program)
    if form.is_valid():
        override = _call(
            form,
            services.match_override_set,
            actor=request.user,
            program=program,
            **form.cleaned_data,
        )
        if override is not None:
            messages.success(request, f"{override}. Run matching again to see the effect.")
            return redirect("mentoring:matching", pk=program.pk)
    return matching(request, pk, override_form=form)


@require_POST
@login_required
def override_remove(request, pk: int, override_id: int):
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    override = program.overrides.filter(pk=override_id).select_related("mentee__person").first()
    if override is None:
        raise NotFoundError("Not found.")
    services.match_override_remove(actor=request.user, override=override)
    messages.success(request, "Override removed.")
    return redirect("mentoring:matching", pk=program.pk)


@require_POST
@login_required
def matching_publish(request, pk: int):
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    run = program.matching_runs.filter(pk=request.POST.get("run") or 0).first()
    if run is None:
        raise NotFoundError("Not found.")
    try:
        created = services.matching_publish(actor=request.user, run=run)
    except ValidationError as exc:
        _flash_errors(request, exc)
        return redirect("mentoring:matching", pk=program.pk)
    messages.success(
        request, f"Published: {len(created)} pair{'s' if len(created) != 1 else ''} told by e-mail."
    )
    return redirect("mentoring:program_dashboard", pk=program.pk)


@login_required
@in_viewer_time_zone
def suggestions(request, pk: int, form=None):
    """Self-matching: my ranked mentor suggestions, each explained; ask one."""
    program = selectors.access_program(viewer=request.user, program_id=pk)
    mine = selectors.my_enrollment(
        viewer=request.user, program=program, role=Enrollment.Role.MENTEE
    )
    current = [
        r
        for r in selectors.relationship_list(viewer=request.user, program=program, side="mentee")
        if r.is_live
    ]
    return render(
        request,
        "mentoring/suggestions.html",
        {
            "program": program,
            "enrolled": any(e.is_active for e in mine),
            "current": current,
            "suggestions": []
            if current
            else selectors.mentor_suggestions(viewer=request.user, program=program),
            "form": form,
        },
    )


@require_POST
@login_required
@in_viewer_time_zone
def suggestion_request(request, pk: int):
    program = selectors.access_program(viewer=request.user, program_id=pk)
    form = RequestMentorForm(request.POST)
    if form.is_valid():
        from bridgework.people.selectors import access_person

        mentor = access_person(viewer=request.user, person_id=form.cleaned_data["mentor"])
        relationship = _call(
            form,
            services.relationship_request,
            actor=request.user,
            program=program,
            mentor=mentor,
            message=form.cleaned_data["message"],
        )
        if relationship is not None:
            messages.success(request, f"Your request is with {mentor}.")
            return redirect("mentoring:relationship_detail", pk=relationship.pk)
    return suggestions(request, pk, form=form)


# ---- Dashboard and report ---------------------------------------------------------------------------


@login_required
@in_viewer_time_zone
def program_dashboard(request, pk: int):
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    return render(
        request,
        "mentoring/dashboard.html",
        {
            "board": selectors.program_dashboard(
                viewer=request.user, program=program, today=_today()
            )
        },
    )


@login_required
@in_viewer_time_zone
def program_report(request, pk: int):
    """The program's report, printable: participation, cadence, growth, feedback, pairs."""
    program = selectors.access_program(viewer=request.user, program_id=pk, manage=True)
    board = selectors.program_dashboard(viewer=request.user, program=program, today=_today())
    runs = list(program.matching_runs.exclude(status="superseded").order_by("created_at", "id"))
    return render(
        request,
        "mentoring/report.html",
        {"board": board, "program": program, "runs": runs, "generated_at": timezone.now()},
    )


# ---- The relationship ---------------------------------------------------------------------------------


def _relationship_context(request, relationship, **forms):
    page = selectors.relationship_page(
        viewer=request.user, relationship=relationship, today=_today()
    )
    program = relationship.program
    context = {"page": page, "relationship": relationship, "program": program}
    if page.is_pair and relationship.is_live:
        agreement = page.agreement
        context.update(
            agreement_form=forms.get("agreement_form")
            or AgreementForm(
                initial={
                    "goals": agreement.goals,
                    "cadence_days": agreement.cadence_days,
                    "meeting_format": agreement.meeting_format,
                    "confidentiality": agreement.confidentiality,
                }
            ),
            action_form=forms.get("action_form") or ActionItemForm(),
            assessment_form=forms.get("assessment_form")
            or AssessmentRequestForm(exclude=(relationship.mentee_id, relationship.mentor_id)),
            fit_form=forms.get("fit_form")
            or FitCheckForm(
                initial={
                    "fit": page.my_fit_check.fit if page.my_fit_check else None,
                    "wants_rematch": page.my_fit_check.wants_rematch
                    if page.my_fit_check
                    else False,
                }
            ),
        )
    context["end_form"] = EndForm()
    return context


@login_required
@in_viewer_time_zone
def relationship_detail(request, pk: int):
    relationship = selectors.access_relationship(viewer=request.user, relationship_id=pk)
    return render(
        request, "mentoring/relationship_detail.html", _relationship_context(request, relationship)
    )


def _pair_relationship(request, pk: int):
    relationship = selectors.access_relationship(viewer=request.user, relationship_id=pk)
    if relationship.viewer_side not in ("mentee", "mentor"):
        raise NotFoundError("Not found.")
    return relationship


def _back_to(relationship, anchor: str = ""):
    response = redirect("mentoring:relationship_detail", pk=relationship.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _render_with(request, relationship, status=200, **forms):
    return render(
        request,
        "mentoring/relationship_detail.html",
        _relationship_context(request, relationship, **forms),
        status=status,
    )


@require_POST
@login_required
def relationship_respond(request, pk: int):
    relationship = _pair_relationship(request, pk)
    accept = request.POST.get("accept") == "1"
    try:
        services.relationship_respond(actor=request.user, relationship=relationship, accept=accept)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(
            request, "You accepted: welcome to the pair." if accept else "You declined."
        )
    return _back_to(relationship)


@require_POST
@login_required
def relationship_end(request, pk: int):
    relationship = selectors.access_relationship(viewer=request.user, relationship_id=pk)
    form = EndForm(request.POST)
    form.is_valid()
    try:
        services.relationship_end(
            actor=request.user,
            relationship=relationship,
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, "The relationship has ended.")
    return _back_to(relationship)


@require_POST
@login_required
@in_viewer_time_zone
def agreement_edit(request, pk: int):
    relationship = _pair_relationship(request, pk)
    form = AgreementForm(request.POST)
    if form.is_valid() and _call(
        form,
        services.agreement_update,
        actor=request.user,
        relationship=relationship,
        **form.cleaned_data,
    ):
        messages.success(request, "Agreement saved; the other side is asked to agree to it.")
        return _back_to(relationship, "agreement")
    return _render_with(request, relationship, status=422, agreement_form=form)


@require_POST
@login_required
def agreement_confirm(request, pk: int):
    relationship = _pair_relationship(request, pk)
    services.agreement_confirm(actor=request.user, relationship=relationship)
    messages.success(request, "You agreed to the agreement.")
    return _back_to(relationship, "agreement")


@require_POST
@login_required
def agreement_sharing(request, pk: int):
    relationship = _pair_relationship(request, pk)
    share = request.POST.get("share") == "1"
    try:
        services.agreement_set_network_sharing(
            actor=request.user, relationship=relationship, share=share
        )
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(
            request,
            "Your mentor now sees how your network changes."
            if share
            else "Your network is no longer shared with your mentor.",
        )
    return _back_to(relationship, "network")


@require_POST
@login_required
@in_viewer_time_zone
def fit_check(request, pk: int):
    relationship = _pair_relationship(request, pk)
    form = FitCheckForm(request.POST)
    if form.is_valid() and _call(
        form,
        services.fit_check_submit,
        actor=request.user,
        relationship=relationship,
        **form.cleaned_data,
    ):
        messages.success(request, "Thank you: the program manager sees your answer.")
        return _back_to(relationship, "fit")
    return _render_with(request, relationship, status=422, fit_form=form)


def _action_items_response(request, relationship, form=None, status=200):
    page = selectors.relationship_page(
        viewer=request.user, relationship=relationship, today=_today()
    )
    return render(
        request,
        "mentoring/_action_items.html",
        {"page": page, "relationship": relationship, "action_form": form or ActionItemForm()},
        status=status,
    )


@require_POST
@login_required
@in_viewer_time_zone
def action_item_create(request, pk: int):
    relationship = _pair_relationship(request, pk)
    form = ActionItemForm(request.POST)
    created = None
    if form.is_valid():
        data = form.cleaned_data
        owner = relationship.mentee if data["owner"] == "mentee" else relationship.mentor
        created = _call(
            form,
            services.action_item_create,
            actor=request.user,
            relationship=relationship,
            title=data["title"],
            owner=owner,
            due_on=data["due_on"],
        )
    if _is_htmx(request):
        response = _action_items_response(
            request, relationship, form=None if created else form, status=200 if created else 422
        )
        patch_vary_headers(response, ["HX-Request"])
        return response
    if created:
        messages.success(request, "Action item added.")
        return _back_to(relationship, "actions")
    return _render_with(request, relationship, status=422, action_form=form)


@require_POST
@login_required
@in_viewer_time_zone
def action_item_toggle(request, pk: int):
    item = selectors.access_action_item(viewer=request.user, item_id=pk)
    services.action_item_set_done(
        actor=request.user, item=item, done=request.POST.get("done") == "1"
    )
    relationship = selectors.access_relationship(
        viewer=request.user, relationship_id=item.relationship_id
    )
    if _is_htmx(request):
        response = _action_items_response(request, relationship)
        patch_vary_headers(response, ["HX-Request"])
        return response
    return _back_to(relationship, "actions")


@require_POST
@login_required
@in_viewer_time_zone
def assessment_request(request, pk: int):
    relationship = _pair_relationship(request, pk)
    form = AssessmentRequestForm(
        request.POST, exclude=(relationship.mentee_id, relationship.mentor_id)
    )
    if form.is_valid():
        assessment = _call(
            form,
            services.assessment_request,
            actor=request.user,
            relationship=relationship,
            **form.cleaned_data,
        )
        if assessment is not None:
            if assessment.assessor_id == request.user.person_id:
                return redirect("mentoring:assessment_detail", pk=assessment.pk)
            messages.success(request, f"{assessment.assessor} is asked for the assessment.")
            return _back_to(relationship, "assessments")
    return _render_with(request, relationship, status=422, assessment_form=form)


# ---- Sessions ------------------------------------------------------------------------------------


@login_required
@in_viewer_time_zone
def session_create(request, pk: int):
    """Plan a session, or record one already held (with a note)."""
    relationship = _pair_relationship(request, pk)
    form = SessionForm(request.POST or None, program=relationship.program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = _call(
            form,
            services.session_create,
            actor=request.user,
            relationship=relationship,
            scheduled_at=data["scheduled_at"],
            duration_minutes=data["duration_minutes"],
            agenda=data["agenda"],
            held=data["held"],
            behaviors_practiced=data["behaviors_practiced"],
        )
        if session is not None:
            if data["note"].strip():
                services.session_note_add(
                    actor=request.user,
                    session=session,
                    text=data["note"],
                    visibility=data["note_visibility"],
                )
            messages.success(request, "Session logged." if data["held"] else "Session planned.")
            return redirect("mentoring:session_detail", pk=session.pk)
    return render(
        request, "mentoring/session_form.html", {"form": form, "relationship": relationship}
    )


def _session_page(request, session, status=200, **forms):
    relationship = session.relationship
    me = request.user.person_id
    mine = next((f for f in session.feedback.all() if f.author_id == me), None)
    return render(
        request,
        "mentoring/session_detail.html",
        {
            "session": session,
            "relationship": relationship,
            "notes": selectors.visible_notes(viewer=request.user, session=session),
            "behavior_names": [
                relationship.program.framework_version.labels.get(k, k)
                for k in session.behaviors_practiced
            ],
            "log_form": forms.get("log_form")
            or SessionLogForm(
                program=relationship.program,
                initial={
                    "status": "held",
                    "duration_minutes": session.duration_minutes,
                    "behaviors_practiced": session.behaviors_practiced,
                },
            ),
            "note_form": forms.get("note_form") or NoteForm(),
            "feedback_form": forms.get("feedback_form")
            or FeedbackForm(
                initial={
                    "rating": mine.rating if mine else None,
                    "comment": mine.comment if mine else "",
                }
            ),
            "my_feedback": mine,
        },
        status=status,
    )


@login_required
@in_viewer_time_zone
def session_detail(request, pk: int):
    session = selectors.access_session(viewer=request.user, session_id=pk)
    return _session_page(request, session)


@require_POST
@login_required
@in_viewer_time_zone
def session_log(request, pk: int):
    session = selectors.access_session(viewer=request.user, session_id=pk)
    form = SessionLogForm(request.POST, program=session.relationship.program)
    if form.is_valid() and _call(
        form, services.session_log, actor=request.user, session=session, **form.cleaned_data
    ):
        messages.success(request, "Session logged.")
        return redirect("mentoring:session_detail", pk=session.pk)
    return _session_page(request, session, status=422, log_form=form)


@require_POST
@login_required
@in_viewer_time_zone
def session_note(request, pk: int):
    session = selectors.access_session(viewer=request.user, session_id=pk)
    form = NoteForm(request.POST)
    if form.is_valid() and _call(
        form, services.session_note_add, actor=request.user, session=session, **form.cleaned_data
    ):
        messages.success(request, "Note saved.")
        return redirect("mentoring:session_detail", pk=session.pk)
    return _session_page(request, session, status=422, note_form=form)


@require_POST
@login_required
@in_viewer_time_zone
def session_feedback(request, pk: int):
    session = selectors.access_session(viewer=request.user, session_id=pk)
    form = FeedbackForm(request.POST)
    if form.is_valid() and _call(
        form,
        services.session_feedback_submit,
        actor=request.user,
        session=session,
        **form.cleaned_data,
    ):
        messages.success(request, "Thank you for the feedback.")
        return redirect("mentoring:session_detail", pk=session.pk)
    return _session_page(request, session, status=422, feedback_form=form)


# ---- Practice plans --------------------------------------------------------------------------------


@login_required
@in_viewer_time_zone
def practice_create(request, pk: int):
    relationship = _pair_relationship(request, pk)
    form = PracticePlanForm(request.POST or None, program=relationship.program)
    if request.method == "POST" and form.is_valid():
        plan = _call(
            form,
            services.practice_plan_create,
            actor=request.user,
            relationship=relationship,
            **form.cleaned_data,
        )
        if plan is not None:
            messages.success(
                request, "Practice plan saved. Come back after the conversation to reflect."
            )
            return redirect("mentoring:practice_detail", pk=plan.pk)
    return render(
        request, "mentoring/practice_form.html", {"form": form, "relationship": relationship}
    )


@login_required
@in_viewer_time_zone
def practice_detail(request, pk: int):
    """A practice plan: the conversation, its preparation, and the reflection afterwards."""
    plan = selectors.access_practice_plan(viewer=request.user, plan_id=pk)
    form = PracticeReflectForm(
        request.POST or None,
        initial={
            "preparation": plan.preparation,
            "status": plan.status,
            "reflection": plan.reflection,
            "confidence_after": plan.confidence_after,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _call(
            form,
            services.practice_plan_update,
            actor=request.user,
            plan=plan,
            preparation=data["preparation"],
            status=data["status"],
            reflection=data["reflection"],
            confidence_after=data["confidence_after"],
        ):
            messages.success(request, "Practice plan saved.")
            return redirect("mentoring:practice_detail", pk=plan.pk)
    behavior = plan.relationship.program.framework_version.behavior(plan.behavior_key)
    return render(
        request,
        "mentoring/practice_detail.html",
        {"plan": plan, "form": form, "behavior": behavior, "relationship": plan.relationship},
    )


# ---- Introductions ------------------------------------------------------------------------------------


def _mentor_contacts(request, relationship) -> list[tuple[int, str]]:
    """The mentor's own active ties (their portfolio), except the mentee."""
    from bridgework.network import selectors as network_selectors

    rows = network_selectors.portfolio(viewer=request.user, sort="strength")
    contacts = []
    for row in rows:
        if row.tie is None or not row.is_active or row.other.pk == relationship.mentee_id:
            continue
        where = row.other.organization.name if row.other.organization_id else ""
        label = f"{row.other.full_name}" + (f" — {row.other.title}" if row.other.title else "")
        label += f", {where}" if where else ""
        contacts.append((row.other.pk, label))
    return contacts


@login_required
@in_viewer_time_zone
def introduction_create(request, pk: int):
    """The mentor introduces the mentee to someone from the mentor's own network."""
    relationship = _pair_relationship(request, pk)
    if relationship.viewer_side != "mentor":
        raise NotFoundError("Not found.")
    contacts = _mentor_contacts(request, relationship)
    form = IntroductionForm(request.POST or None, contacts=contacts)
    if request.method == "POST" and form.is_valid():
        from bridgework.people.selectors import access_person

        target = access_person(viewer=request.user, person_id=form.cleaned_data["target"])
        link = _call(
            form,
            services.mentor_introduction_make,
            actor=request.user,
            relationship=relationship,
            target=target,
            message=form.cleaned_data["message"],
        )
        if link is not None:
            messages.success(request, f"You introduced {relationship.mentee} to {target}.")
            return _back_to(relationship, "introductions")
    return render(
        request,
        "mentoring/introduction_form.html",
        {"form": form, "relationship": relationship, "has_contacts": bool(contacts)},
    )


# ---- Assessments ----------------------------------------------------------------------------------------


@login_required
@in_viewer_time_zone
def assessment_detail(request, pk: int):
    """An assessment: the form with the rubric for its assessor; the ratings for the pair
    and program managers (without the assessor's notes for the latter)."""
    assessment = selectors.access_assessment(viewer=request.user, assessment_id=pk)
    form = None
    if assessment.viewer_can_fill:
        form = AssessmentForm(request.POST or None, version=assessment.framework_version)
        if (
            request.method == "POST"
            and form.is_valid()
            and _call(
                form,
                services.assessment_submit,
                actor=request.user,
                assessment=assessment,
                **form.service_kwargs(),
            )
        ):
            messages.success(request, "Assessment submitted. Thank you.")
            if assessment.relationship_id and assessment.relationship.side_of(
                request.user.person_id
            ):
                return redirect("mentoring:relationship_detail", pk=assessment.relationship_id)
            return redirect("mentoring:home")
    elif request.method == "POST":
        raise NotFoundError("Not found.")
    ratings = (
        {r.behavior_key: r for r in assessment.ratings.all()} if assessment.is_submitted else {}
    )
    rows = [
        {
            "behavior": behavior,
            "rating": ratings.get(behavior["key"]),
            "rubric_text": next(
                (
                    row["description"]
                    for row in behavior["rubric"]
                    if ratings.get(behavior["key"])
                    and row["level"] == ratings[behavior["key"]].level
                ),
                "",
            ),
        }
        for behavior in assessment.framework_version.behaviors
    ]
    latest = assessment.framework_version.framework.latest_version
    return render(
        request,
        "mentoring/assessment_detail.html",
        {
            "assessment": assessment,
            "form": form,
            "rows": rows,
            "newer_version": latest
            if latest and latest.pk != assessment.framework_version_id
            else None,
        },
        status=422 if form is not None and form.errors else 200,
    )
