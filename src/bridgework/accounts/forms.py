"""Forms for the account pages, and the helper every page form uses to show
a service's validation errors beside the fields they concern.

The password forms are Django's, saving through
``services.user_set_password`` so that every way of changing a password
(the change page, a reset link, Django admin) revokes the login's API
tokens and is audited with who did it and how."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from django import forms
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from bridgework.accounts import lockout, services
from bridgework.accounts.audit import AuditFilter
from bridgework.accounts.models import AuditEntry

__all__ = [
    "ServiceErrorsMixin",
    "ApiTokenCreateForm",
    "PasswordChangeForm",
    "PasswordResetSetForm",
    "AdminPasswordChangeForm",
    "AuditFilterForm",
]


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


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """The signed-in user changes their own password (old one required)."""

    def save(self, commit: bool = True):
        return services.user_set_password(
            actor=self.user,
            user=self.user,
            password=self.cleaned_data["new_password1"],
            via="change",
            check_password=False,  # the form ran the validators
        )


class PasswordResetSetForm(auth_forms.SetPasswordForm):
    """A new password from an e-mailed reset link: its holder acts as the user,
    and, having proved who they are, may sign in again at once (the failed
    sign-ins counted against their username are forgotten)."""

    def save(self, commit: bool = True):
        user = services.user_set_password(
            actor=self.user,
            user=self.user,
            password=self.cleaned_data["new_password1"],
            via="reset",
            check_password=False,  # the form ran the validators
        )
        lockout.lockout_lift(username=user.get_username())
        return user


class AdminPasswordChangeForm(auth_forms.AdminPasswordChangeForm):
    """Django admin's "change password" (or "no usable password") for any user.

    Django admin builds this form without the request, so the audit entry
    cannot name the admin; Django's own admin history (``LogEntry``) does.
    """

    def save(self, commit: bool = True):
        usable = self.cleaned_data.get("set_usable_password", True)
        return services.user_set_password(
            actor=None,
            user=self.user,
            password=self.cleaned_data["password1"] if usable else None,
            via="admin",
            check_password=False,  # the form ran the validators
        )


class AuditFilterForm(forms.Form):
    """The filters of the audit log page (``accounts.audit.AuditFilter``), from the query string."""

    actor = forms.CharField(
        required=False,
        max_length=150,
        help_text='A username, or "none" for the command line, the system and erased logins.',
    )
    # action and object_type: choices made in __init__ (the object kinds the log holds).
    object_id = forms.CharField(required=False, max_length=64, label="Object id")
    subject = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, label="About person (id)"
    )
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, object_types: Sequence[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"] = forms.ChoiceField(
            required=False, choices=[("", "Any action"), *AuditEntry.Action.choices]
        )
        self.fields["object_type"] = forms.ChoiceField(
            required=False,
            label="Object",
            choices=[("", "Any object"), *((kind, kind) for kind in object_types)],
        )
        self.order_fields(
            ["actor", "action", "object_type", "object_id", "subject", "since", "until"]
        )

    def filters(self) -> AuditFilter:
        """The valid filters (an invalid one is left out, and shown as an error)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return AuditFilter(
            actor=data.get("actor") or "",
            action=data.get("action") or "",
            object_type=data.get("object_type") or "",
            object_id=data.get("object_id") or "",
            subject_person_id=data.get("subject"),
            since=data.get("since"),
            until=data.get("until"),
        )

    def clean(self):
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", "The end of the range is before its start.")
        return cleaned
