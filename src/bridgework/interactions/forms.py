"""The form for logging and editing an interaction."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.forms import ServiceErrorsMixin
from bridgework.interactions.models import Channel
from bridgework.people.forms import PersonMultipleChoiceField, people_to_pick

__all__ = ["InteractionForm"]

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class InteractionForm(ServiceErrorsMixin, forms.Form):
    """A touchpoint. Times are read in the current (the viewer's) time zone."""

    channel = forms.ChoiceField(label="Channel", choices=Channel.choices)
    occurred_at = forms.DateTimeField(
        label="When",
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    duration_minutes = forms.IntegerField(
        label="Duration (minutes)",
        required=False,
        min_value=1,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    participants = PersonMultipleChoiceField(
        label="Who took part",
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    private_note = forms.CharField(
        label="Private note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only you can read this note.",
    )

    def __init__(self, *args, viewer, allow_note: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        #: Members are added to their own interactions by the service.
        self.adds_viewer = not policies.can_manage_people(viewer)
        people = people_to_pick(viewer)
        participants = self.fields["participants"]
        if self.adds_viewer and viewer.person_id is not None:
            people = people.exclude(pk=viewer.person_id)
            participants.help_text = (
                "You are added automatically. Pick the others who took part: type in the "
                "box to narrow the list, and hold Ctrl (⌘ on a Mac) to pick several."
            )
        elif self.adds_viewer:
            participants.help_text = (
                "Your login is not linked to a person in the directory, so you cannot log "
                "interactions; ask an admin to link it."
            )
        else:
            participants.help_text = (
                "Pick everyone who took part, yourself included: type in the box to narrow "
                "the list, and hold Ctrl (⌘ on a Mac) to pick several."
            )
        participants.queryset = people
        if not allow_note:
            del self.fields["private_note"]

    @staticmethod
    def now() -> dt.datetime:
        """The default time: now, to the minute."""
        return timezone.now().replace(second=0, microsecond=0)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["participants"] = list(data["participants"])
        return data
