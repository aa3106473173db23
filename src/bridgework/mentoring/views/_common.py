"""Helpers the page modules share: htmx detection, running a service for a form,
flashing a service's errors, today's date in the viewer's time zone, and the
relationship pages' "pair only" access and redirect back to the relationship.

Internal to :mod:`bridgework.mentoring.views`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import ParamSpec, Protocol, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone

from bridgework.accounts.requests import PageRequest
from bridgework.core.errors import NotFoundError
from bridgework.mentoring import selectors
from bridgework.mentoring.models import MentoringRelationship
from bridgework.web.htmx import is_htmx

P = ParamSpec("P")
T = TypeVar("T")

__all__ = [
    "ServiceForm",
    "is_htmx",
    "call_service",
    "flash_errors",
    "local_today",
    "pair_relationship",
    "back_to",
]


class ServiceForm(Protocol):
    """A form that shows a service's ``ValidationError`` beside its fields
    (:class:`~bridgework.accounts.forms.ServiceErrorsMixin`)."""

    def add_service_error(self, exc: ValidationError) -> None: ...


def call_service(
    form: ServiceForm, service: Callable[P, T], *args: P.args, **kwargs: P.kwargs
) -> T | None:
    """Run a service; a ``ValidationError`` goes onto the form and None comes back."""
    try:
        return service(*args, **kwargs)
    except ValidationError as exc:
        form.add_service_error(exc)
        return None


def flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def local_today() -> dt.date:
    return timezone.localdate()


def pair_relationship(request: PageRequest, pk: int) -> MentoringRelationship:
    relationship = selectors.access_relationship(viewer=request.user, relationship_id=pk)
    if relationship.viewer_side not in ("mentee", "mentor"):
        raise NotFoundError("Not found.")
    return relationship


def back_to(relationship: MentoringRelationship, anchor: str = "") -> HttpResponseRedirect:
    response = redirect("mentoring:relationship_detail", pk=relationship.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response
