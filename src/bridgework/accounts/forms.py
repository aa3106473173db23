"""Forms for the account pages, and the helper every page form uses to show
a service's validation errors beside the fields they concern."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

__all__ = ["ServiceErrorsMixin", "ApiTokenCreateForm"]


class _Form(Protocol):
    """What :class:`ServiceErrorsMixin` needs of the Django form it is mixed into."""

    fields: dict[str, forms.Field]

    def add_error(
        self, field: str | None, error: ValidationError | str | Sequence[ValidationError | str]
    ) -> None: ...


class ServiceErrorsMixin:
    """Lets a form show the ``ValidationError`` a service raised.

    Services raise errors keyed by model field names. A key the form has a
    field for goes beside that field; any other key (a field this viewer may
    not edit, or a whole-object rule) goes at the top of the form, named, so
    no message is ever lost.
    """

    def add_service_error(self: _Form, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for name, errors in exc.error_dict.items():
            if name in self.fields:
                self.add_error(name, errors)
            elif name == NON_FIELD_ERRORS:
                self.add_error(None, errors)
            else:
                label = name.replace("_", " ").capitalize()
                self.add_error(
                    None, [f"{label}: {message}" for message in ValidationError(errors).messages]
                )


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What the token is for, e.g. “laptop notebook” or “CI export”.",
    )
