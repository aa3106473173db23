"""Pages about people: my network, the directory, profiles, and declared ties.

Views stay thin: reads go through selectors (always with the viewer), writes
through services; a service's ``ValidationError`` is shown beside the field it
names, and ``NotFoundError`` becomes a 404 (see ``config/middleware.py``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from bridgework.accounts import policies
from bridgework.core.errors import NotFoundError
from bridgework.core.events.store import StoreBusyError
from bridgework.people import rights, selectors, services
from bridgework.people.forms import (
    DirectoryFilterForm,
    PersonForm,
    PersonMergeForm,
    RelationshipDeclareForm,
    RelationshipEditForm,
    SkillLevelForm,
)
from bridgework.people.pages import viewer_person
from bridgework.people.panels import Panel, panels_render
from bridgework.web.htmx import is_htmx

DIRECTORY_PAGE_SIZE = 50
REVIEW_PAGE_SIZE = 20
MERGE_PAGE_SIZE = 50
MERGE_SEARCH_RESULTS = 20


def _id_param(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


@login_required
def home(request):
    """My network: the cards of every app about me (see ``people/panels.py``)."""
    me = viewer_person(request)
    if me is None:
        return render(request, "people/home.html", {"me": None})
    return render(
        request,
        "people/home.html",
        {
            "me": me,
            "panels": {
                "actions": panels_render("home.actions", request=request, person=me, is_me=True),
                "sections": panels_render("home.sections", request=request, person=me, is_me=True),
            },
        },
    )


def home_relationships_panel(request, person, is_me: bool) -> dict:
    """The relationships I declared, closest first (a card of "My network")."""
    relationships = sorted(
        selectors.relationship_list(viewer=request.user, person_id=person.pk),
        key=lambda rel: (-rel.closeness, rel.counterpart_of(person.pk).full_name.lower()),
    )
    return {"relationships": relationships}


def profile_relationships_panel(request, person, is_me: bool) -> dict:
    """The relationships of a profile the viewer may see."""
    return {"relationships": selectors.relationship_list(viewer=request.user, person_id=person.pk)}


#: The people app's own cards on its pages (registered by ``PeopleConfig.ready``).
PANELS = (
    Panel(
        slot="home.sections",
        order=90,
        template="people/panels/home_relationships.html",
        context=home_relationships_panel,
    ),
    Panel(
        slot="profile.sections",
        order=50,
        template="people/panels/profile_relationships.html",
        context=profile_relationships_panel,
    ),
)


@login_required
def directory(request):
    """Everyone's public profile; htmx asks for the results part only."""
    form = DirectoryFilterForm(request.GET or None)
    filters = form.filters()
    people = selectors.person_directory(viewer=request.user, **filters)
    page = Paginator(people, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    manages = policies.can_manage_people(request.user)
    context = {
        "form": form,
        "page": page,
        "filtered": any(filters.values()),
        "can_add": manages,
        "pending_reviews": (
            selectors.match_review_pending_count(viewer=request.user)
            if manages and not is_htmx(request)
            else None
        ),
    }
    template = "people/_directory_results.html" if is_htmx(request) else "people/directory.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _profile(request, pk: int, *, declare_form=None, endorse_form=None, status: int = 200):
    viewer = request.user
    person = selectors.access_person(viewer=viewer, person_id=pk)
    is_me = viewer.person_id == person.pk
    can_declare = policies.can_edit_person(viewer, person.pk)
    can_endorse = viewer.person_id is not None and not is_me
    context = {
        "person": person,
        "is_me": is_me,
        "manages": policies.can_manage_people(viewer),
        "can_see_private": policies.can_see_private_profile(viewer, person.pk),
        "can_edit": policies.can_edit_person(viewer, person.pk),
        "skills": selectors.person_skills(viewer=viewer, person_id=person.pk),
        "private_owners": selectors.private_contact_owners(viewer=viewer, person=person),
        "declare_form": (declare_form or SkillLevelForm(prefix="declare")) if can_declare else None,
        "endorse_form": (endorse_form or SkillLevelForm(prefix="endorse")) if can_endorse else None,
        "panels": {
            slot: panels_render(f"profile.{slot}", request=request, person=person, is_me=is_me)
            for slot in ("actions", "sections")
        },
    }
    return render(request, "people/person_detail.html", context, status=status)


@login_required
def person_detail(request, pk: int):
    return _profile(request, pk)


@require_POST
@login_required
def skill_declare(request, pk: int):
    """Set the person's own level in a skill (themselves, or a people manager)."""
    person = selectors.access_person_for_edit(viewer=request.user, person_id=pk)
    form = SkillLevelForm(request.POST, prefix="declare")
    if form.is_valid():
        try:
            services.person_skill_declare(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"{form.cleaned_data['skill']} saved.")
            return redirect("people:detail", pk=person.pk)
    return _profile(request, pk, declare_form=form)


@require_POST
@login_required
def skill_endorse(request, pk: int):
    """Endorse someone else's skill, as the viewer's own person."""
    person = selectors.access_person(viewer=request.user, person_id=pk)
    form = SkillLevelForm(request.POST, prefix="endorse")
    if form.is_valid():
        try:
            services.person_skill_endorse(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"You endorsed {person} for {form.cleaned_data['skill']}.")
            return redirect("people:detail", pk=person.pk)
    return _profile(request, pk, endorse_form=form)


@require_POST
@login_required
def person_approve(request, pk: int):
    """List a private contact in the shared directory (people managers only)."""
    if not policies.can_manage_people(request.user):
        raise NotFoundError("Not found.")
    person = selectors.access_person(viewer=request.user, person_id=pk)
    services.person_approve(actor=request.user, person=person)
    messages.success(request, f"{person} is in the directory now: everyone signed in sees them.")
    return redirect("people:detail", pk=person.pk)


@login_required
def person_create(request):
    """Add someone to the network (admins and people analysts only)."""
    if not policies.can_manage_people(request.user):
        raise NotFoundError("Not found.")
    editable = (*services.PERSON_FIELDS, "emails")
    form = PersonForm(
        request.POST or None,
        viewer=request.user,
        editable=editable,
        initial={"analytics_consent": True, "time_zone": "UTC"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"{person} is in the directory.")
            return redirect("people:detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@login_required
def person_edit(request, pk: int):
    """Edit a profile: members their own public details, people managers everything."""
    person = selectors.access_person_for_edit(viewer=request.user, person_id=pk)
    manages = policies.can_manage_people(request.user)
    editable = (*services.PERSON_FIELDS, "emails") if manages else services.SELF_EDITABLE_FIELDS
    form = PersonForm(
        request.POST or None,
        viewer=request.user,
        editable=editable,
        person=person,
        initial=PersonForm.initial_for(person),
    )
    name = person.full_name
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.service_kwargs())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, "Profile saved.")
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "name": name, "manages": manages},
    )


@login_required
def relationship_create(request):
    """Declare a tie with someone (``?with=<person id>`` picks them)."""
    viewer = request.user
    if viewer.person_id is None and not policies.can_manage_people(viewer):
        return render(request, "people/relationship_form.html", {"no_person": True})
    form = RelationshipDeclareForm(
        request.POST or None, viewer=viewer, initial={"other": _id_param(request, "with")}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = data.pop("person", None) or viewer_person(request)
        try:
            rel = services.relationship_declare(actor=viewer, person=person, **data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"Relationship with {rel.other} saved.")
            return redirect("people:detail", pk=rel.other_id)
    return render(request, "people/relationship_form.html", {"form": form})


@login_required
def relationship_edit(request, pk: int):
    viewer = request.user
    rel = selectors.access_relationship(viewer=viewer, relationship_id=pk, for_edit=True)
    initial = {
        "context": rel.context,
        "closeness": rel.closeness,
        "since": rel.since,
        "private_note": selectors.visible_note(viewer=viewer, obj=rel) or "",
    }
    form = RelationshipEditForm(
        request.POST or None, initial=initial, allow_note=rel.declared_by_id == viewer.pk
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.relationship_update(actor=viewer, relationship=rel, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, "Relationship saved.")
            return redirect("people:detail", pk=_counterpart_id(rel, viewer))
    return render(request, "people/relationship_form.html", {"form": form, "relationship": rel})


def _counterpart_id(rel, viewer) -> int:
    return rel.person_id if rel.other_id == viewer.person_id else rel.other_id


@require_POST
@login_required
def relationship_delete(request, pk: int):
    rel = selectors.access_relationship(viewer=request.user, relationship_id=pk, for_edit=True)
    services.relationship_delete(actor=request.user, relationship=rel)
    messages.success(request, "Relationship deleted.")
    return redirect("people:home")


# ---- Possible duplicates and merges (people managers only) ---------------------------


#: What a merge or undo says while an import or recomputation holds the event store.
STORE_BUSY = (
    "The event store is busy (an import or a recomputation holds it); nothing was "
    "changed. Try again in a few minutes."
)


def _error_text(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else STORE_BUSY


def _refusal_status(exc: Exception) -> int:
    """A refused merge or undo answers 422 with the reason; a busy store 503."""
    return 422 if isinstance(exc, ValidationError) else 503


@login_required
def match_review_list(request, *, status: int = 200):
    """Possible duplicates from imports, side by side, to merge or tell apart."""
    reviews = selectors.match_review_list(viewer=request.user)
    page = Paginator(reviews, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/match_reviews.html", {"page": page}, status=status)


@require_POST
@login_required
def match_review_merge(request, pk: int):
    review = selectors.access_match_review(viewer=request.user, review_id=pk)
    try:
        merge = services.match_review_confirm(actor=request.user, review=review)
    except (ValidationError, StoreBusyError) as exc:
        # The list again, with why: nothing was merged.
        messages.error(request, _error_text(exc))
        return match_review_list(request, status=_refusal_status(exc))
    else:
        messages.success(
            request,
            f"{merge.dropped_name} is merged into {merge.keep}. "
            f"If that was a mistake, undo it from the merge history.",
        )
    return redirect("people:match_reviews")


@require_POST
@login_required
def match_review_dismiss(request, pk: int):
    review = selectors.access_match_review(viewer=request.user, review_id=pk)
    try:
        services.match_review_dismiss(actor=request.user, review=review)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request, f"{review.new_person} and {review.candidate} stay two different people."
        )
    return redirect("people:match_reviews")


@login_required
def person_merge(request, pk: int):
    """Merge someone with another person: find them, preview what moves, confirm.

    ``?other=<id>`` previews; ``&keep=<id>`` chooses who stays (default: ``pk``).
    """
    viewer = request.user
    person = selectors.access_person_to_merge(viewer=viewer, person_id=pk)
    if request.method == "POST":
        form = PersonMergeForm(request.POST)
        if not form.is_valid() or pk not in (form.cleaned_data["keep"], form.cleaned_data["drop"]):
            raise NotFoundError("Not found.")
        keep_id, drop_id = form.cleaned_data["keep"], form.cleaned_data["drop"]
        preview = selectors.merge_preview(viewer=viewer, keep_id=keep_id, drop_id=drop_id)
        try:
            merge = services.person_merge(actor=viewer, keep=preview.keep, drop=preview.drop)
        except (ValidationError, StoreBusyError) as exc:
            # The preview again, with why: nothing was merged.
            messages.error(request, _error_text(exc))
            return render(
                request,
                "people/person_merge.html",
                {
                    "person": person,
                    "preview": preview,
                    "form": PersonMergeForm(initial={"keep": keep_id, "drop": drop_id}),
                    "other_id": drop_id if keep_id == pk else keep_id,
                },
                status=_refusal_status(exc),
            )
        messages.success(
            request,
            f"{merge.dropped_name} is merged into {merge.keep}. "
            f"If that was a mistake, undo it from the merge history.",
        )
        return redirect("people:detail", pk=preview.keep.pk)

    other_id = _id_param(request, "other")
    if other_id is not None and other_id != pk:
        keep_id = _id_param(request, "keep")
        keep_id = keep_id if keep_id in (pk, other_id) else pk
        drop_id = other_id if keep_id == pk else pk
        preview = selectors.merge_preview(viewer=viewer, keep_id=keep_id, drop_id=drop_id)
        form = PersonMergeForm(initial={"keep": keep_id, "drop": drop_id})
        return render(
            request,
            "people/person_merge.html",
            {"person": person, "preview": preview, "form": form, "other_id": other_id},
        )
    query = request.GET.get("q", "").strip()
    results = []
    if query:
        results = list(
            selectors.person_directory(viewer=viewer, query=query).exclude(pk=pk)[
                :MERGE_SEARCH_RESULTS
            ]
        )
    return render(
        request,
        "people/person_merge.html",
        {"person": person, "query": query, "results": results},
    )


@login_required
def merge_history(request, *, status: int = 200):
    """Every merge, with an undo button for those that stand."""
    merges = selectors.person_merge_list(viewer=request.user)
    page = Paginator(merges, MERGE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "people/merge_history.html", {"page": page}, status=status)


@require_POST
@login_required
def merge_undo(request, pk: int):
    merge = selectors.access_person_merge(viewer=request.user, merge_id=pk)
    try:
        person = services.person_merge_undo(actor=request.user, merge=merge)
    except (ValidationError, StoreBusyError) as exc:
        messages.error(request, _error_text(exc))
        return merge_history(request, status=_refusal_status(exc))
    else:
        messages.success(request, f"Merge undone: {person} is back as a person of their own.")
    return redirect("people:merges")


# ---- Personal data rights: download everything held about a person; erase them ---------


def profile_rights_panel(request, person, is_me: bool) -> dict | None:
    """A profile's "Download data" button (the person, admins) and "Erase" (admins)."""
    viewer = request.user
    can_export = policies.can_export_person_data(viewer, person.pk)
    can_erase = policies.can_erase_person(viewer) and not is_me
    if not (can_export or can_erase):
        return None
    return {"can_export": can_export, "can_erase": can_erase}


#: The data-rights buttons of a profile (registered by ``PeopleConfig.ready``).
RIGHTS_PANELS = (
    Panel(
        slot="profile.actions",
        order=90,
        template="people/panels/profile_rights.html",
        context=profile_rights_panel,
        name="people.rights",
    ),
)


@never_cache
@login_required
def person_export(request, pk: int):
    """A zip of everything Bridgework holds about the person (``people/rights.py``):
    for the person themselves, and for admins (audited, without the text of the
    person's private notes). Anyone else: 404."""
    person = rights.access_person_for_export(viewer=request.user, person_id=pk)
    content = rights.person_data_export(actor=request.user, person=person)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="{rights.person_data_export_name(person)}"'
    )
    return response


@never_cache
@login_required
def person_erase(request, pk: int):
    """Erase a person (admins): a page naming what will go, then, confirmed, the erasure."""
    viewer = request.user
    person = rights.access_person_for_erasure(viewer=viewer, person_id=pk)
    error, status = "", 200
    if request.method == "POST":
        if request.POST.get("confirm") != str(person.pk):
            error, status = "Tick the box to confirm: an erasure cannot be undone.", 422
        else:
            name = person.full_name
            try:
                result = rights.person_erase(actor=viewer, person=person)
            except (ValidationError, StoreBusyError) as exc:
                error, status = _error_text(exc), _refusal_status(exc)
            else:
                messages.success(
                    request,
                    f"{name} (#{result.person_id}) is erased, with everything Bridgework held "
                    f"about them. The audit log keeps that you erased person "
                    f"#{result.person_id}, and when.",
                )
                return redirect("people:directory")
    preview = rights.person_erase_preview(viewer=viewer, person=person)
    return render(
        request,
        "people/person_erase.html",
        {
            "person": person,
            "preview": preview,
            "total": sum(rows for _, _, rows in preview),
            "is_me": viewer.person_id == person.pk,
            "error": error,
        },
        status=status,
    )
