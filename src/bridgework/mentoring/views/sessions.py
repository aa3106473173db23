"""Sessions: planning or recording one, its page, logging it, notes and feedback."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from bridgework.accounts.requests import PageRequest
from bridgework.mentoring import selectors, services
from bridgework.mentoring.forms import FeedbackForm, NoteForm, SessionForm, SessionLogForm
from bridgework.mentoring.models import MentoringSession
from bridgework.mentoring.views._common import call_service, pair_relationship

__all__ = ["session_create", "session_detail", "session_log", "session_note", "session_feedback"]


@login_required
def session_create(request: PageRequest, pk: int) -> HttpResponse:
    """Plan a session, or record one already held (with a note)."""
    relationship = pair_relationship(request, pk)
    form = SessionForm(request.POST or None, program=relationship.program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = call_service(
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


def _session_page(
    request: PageRequest, session: MentoringSession, status: int = 200, **forms: Form
) -> HttpResponse:
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
def session_detail(request: PageRequest, pk: int) -> HttpResponse:
    session = selectors.access_session(viewer=request.user, session_id=pk)
    return _session_page(request, session)


@require_POST
@login_required
def session_log(request: PageRequest, pk: int) -> HttpResponse:
    session = selectors.access_session(viewer=request.user, session_id=pk)
    form = SessionLogForm(request.POST, program=session.relationship.program)
    if (
        form.is_valid()
        and call_service(
            form, services.session_log, actor=request.user, session=session, **form.cleaned_data
        )
        is not None
    ):
        messages.success(request, "Session logged.")
        return redirect("mentoring:session_detail", pk=session.pk)
    return _session_page(request, session, status=422, log_form=form)


@require_POST
@login_required
def session_note(request: PageRequest, pk: int) -> HttpResponse:
    session = selectors.access_session(viewer=request.user, session_id=pk)
    form = NoteForm(request.POST)
    if (
        form.is_valid()
        and call_service(
            form,
            services.session_note_add,
            actor=request.user,
            session=session,
            **form.cleaned_data,
        )
        is not None
    ):
        messages.success(request, "Note saved.")
        return redirect("mentoring:session_detail", pk=session.pk)
    return _session_page(request, session, status=422, note_form=form)


@require_POST
@login_required
def session_feedback(request: PageRequest, pk: int) -> HttpResponse:
    session = selectors.access_session(viewer=request.user, session_id=pk)
    form = FeedbackForm(request.POST)
    if (
        form.is_valid()
        and call_service(
            form,
            services.session_feedback_submit,
            actor=request.user,
            session=session,
            **form.cleaned_data,
        )
        is not None
    ):
        messages.success(request, "Thank you for the feedback.")
        return redirect("mentoring:session_detail", pk=session.pk)
    return _session_page(request, session, status=422, feedback_form=form)
