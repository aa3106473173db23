"""Forms: logging and editing an interaction; starting an import."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.utils import timezone

from bridgework.accounts import policies
from bridgework.accounts.forms import ServiceErrorsMixin
from bridgework.interactions.models import Channel
from bridgework.people import selectors as people_selectors
from bridgework.people.forms import PersonChoiceField, PersonMultipleChoiceField, people_to_pick

__all__ = [
    "InteractionForm",
    "ImportForm",
    "FORMAT_HELP",
    "IntroductionTargetForm",
    "IntroductionAskForm",
    "IntroductionResponseForm",
    "IntroductionOutcomeForm",
]

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
        participants = cast(forms.ModelMultipleChoiceField, self.fields["participants"])
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


#: Where each format's file comes from, for the import page.
FORMAT_HELP = {
    "mbox": "An mbox file of a mail folder: Gmail via Google Takeout (Mail), Thunderbird "
    "with ImportExportTools NG (Export folder), Apple Mail (Mailbox > Export Mailbox).",
    "maildir": "A Maildir folder (the one holding cur/ and new/, e.g. ~/Maildir from mutt, "
    "Dovecot or offlineimap), zipped: upload the .zip.",
    "ics": "A calendar file: Google Calendar (Settings > Import & export > Export), Outlook "
    "(File > Save Calendar), Apple Calendar (File > Export).",
    "vcard": "An address book as .vcf: Google Contacts (Export > vCard), Apple Contacts "
    "(File > Export > Export vCard), Outlook (save contacts as vCard).",
    "linkedin": "Connections.csv from LinkedIn: Settings & Privacy > Data privacy > Get a copy "
    "of your data > Connections.",
    "csv": "Any spreadsheet saved as CSV. Map its columns below, one field=column per line "
    "(contacts: name, email, organization, title, phone; interactions: occurred_at, "
    "sender_email, recipient_emails, channel, duration_minutes).",
    "slack": "A Slack workspace export (Workspace settings > Import/Export Data > Export), as "
    "the .zip Slack gives you.",
    "viva-person": "The person query of Viva Insights (analyst workbench > Analysis > Person "
    "query), downloaded as CSV.",
    "viva-p2p": "The person-to-person network query of Viva Insights (analyst workbench > "
    "Analysis > Person-to-person query), downloaded as CSV.",
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(item, initial) for item in data]
        cleaned = single(data or None, initial)  # "required" when nothing was chosen
        return [cleaned] if cleaned else []


class ImportForm(ServiceErrorsMixin, forms.Form):
    """Files to import and how to read them; the service checks everything again."""

    format = forms.ChoiceField(label="Format")
    # Declared fields move to ``base_fields``, so this never hides ``BaseForm.files``
    # (the uploaded files) on an instance; "files" is the page's input name.
    files = MultipleFileField(  # type: ignore[assignment]
        label="Files",
        help_text="One or more files of the chosen format. Folders (Maildir) go in a .zip.",
    )
    since = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave out what happened before this day.",
    )
    until = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave out what happened after this day.",
    )
    internal_domains = forms.CharField(
        label="Internal e-mail domains",
        required=False,
        help_text="People first seen with these domains are employees; separate them with "
        "commas, e.g. ourco.example, ourco-labs.example.",
    )
    column_mapping = forms.CharField(
        label="Column mapping (CSV)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text="For CSV files: one field=column per line, e.g. email=E-mail Address.",
    )
    owner_email = forms.EmailField(
        label="Whose data is it",
        required=False,
        help_text="The e-mail address of the mailbox, calendar or address book owner, if any.",
    )
    include_automated = forms.BooleanField(
        label="Include mailing lists and automated senders",
        required=False,
    )

    def __init__(self, *args, formats: dict, all_options: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.formats = formats
        cast(forms.ChoiceField, self.fields["format"]).choices = [
            (name, r.label) for name, r in formats.items()
        ]
        # The help is a list of formats beside the field, not a help_text.
        self.fields["format"].widget.attrs["aria-describedby"] = "id_format_helptext format-help"
        self.format_help = [
            (name, r.label, FORMAT_HELP.get(name) or r.description) for name, r in formats.items()
        ]
        if "csv" not in formats:
            del self.fields["column_mapping"]
        if not all_options:
            del self.fields["owner_email"]
            del self.fields["internal_domains"]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The end must come on or after the start.")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        options = {
            "since": data.get("since"),
            "until": data.get("until"),
            "include_automated": data.get("include_automated", False),
        }
        for name in ("internal_domains", "column_mapping", "owner_email"):
            if data.get(name):
                options[name] = data[name]
        return {"format": data["format"], "uploaded_files": data["files"], "options": options}


# -- warm introductions ---------------------------------------------------------------


class IntroductionTargetForm(forms.Form):
    """Whom to be introduced to: a person, or anyone at an organization (a GET form;
    the view reads ``person`` first, then ``organization``, and checks both)."""

    person = PersonChoiceField(
        label="A person",
        queryset=None,
        required=False,
        empty_label="—",
        help_text="Type in the box to narrow the list.",
    )
    organization = forms.ModelChoiceField(
        label="or anyone at an organization",
        queryset=people_selectors.organization_list(),
        required=False,
        empty_label="—",
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        people = people_to_pick(viewer)
        if viewer.person_id is not None:
            people = people.exclude(pk=viewer.person_id)
        self.fields["person"].queryset = people


class IntroductionAskForm(ServiceErrorsMixin, forms.Form):
    """Ask the first person on one of the suggested paths; the path travels as ids."""

    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    organization = forms.IntegerField(required=False, widget=forms.HiddenInput)
    path = forms.CharField(widget=forms.HiddenInput)
    message = forms.CharField(
        label="Your message",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who you are, why you would like to meet them, and what you would ask. "
        "It goes to the person you ask, not further down the path.",
    )

    def clean_path(self) -> list[int]:
        parts = [part.strip() for part in self.cleaned_data["path"].split(",") if part.strip()]
        if not parts or not all(part.isdigit() for part in parts):
            raise forms.ValidationError("Choose one of the suggested paths.")
        return [int(part) for part in parts]

    def clean(self):
        data = super().clean()
        if not data.get("person") and not data.get("organization"):
            raise forms.ValidationError("Choose a person or an organization first.")
        return data


class IntroductionResponseForm(ServiceErrorsMixin, forms.Form):
    """The via person's answer: which button they pressed, and a note."""

    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("decline", "Decline")], widget=forms.HiddenInput
    )
    note = forms.CharField(
        label="A note for them",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="E.g. how you will introduce them, or why now is not a good time.",
    )

    def service_kwargs(self) -> dict:
        return {
            "accept": self.cleaned_data["decision"] == "accept",
            "note": self.cleaned_data["note"],
        }


class IntroductionOutcomeForm(ServiceErrorsMixin, forms.Form):
    outcome = forms.CharField(
        label="What came of it",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A meeting, a deal, advice, a hire — or nothing yet.",
    )
