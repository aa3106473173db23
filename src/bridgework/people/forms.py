"""Forms for the people pages.

Choices come from the selectors, so a form offers only what the viewer may
see; the services still check every write.
"""

from __future__ import annotations

import zoneinfo
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from bridgework.accounts.forms import ServiceErrorsMixin
from bridgework.people import selectors
from bridgework.people.models import EngagementType, Person, Relationship
from bridgework.people.services import PERSON_FIELDS

__all__ = [
    "person_label",
    "PersonChoiceField",
    "PersonMultipleChoiceField",
    "DirectoryFilterForm",
    "PersonForm",
    "RelationshipDeclareForm",
    "RelationshipEditForm",
    "SkillLevelForm",
    "PersonMergeForm",
]

CLOSENESS_CHOICES = [
    (1, "1 — acquaintance"),
    (2, "2 — occasional contact"),
    (3, "3 — regular contact"),
    (4, "4 — close"),
    (5, "5 — very close"),
]
SKILL_LEVEL_CHOICES = [
    (1, "1 — beginner"),
    (2, "2 — working knowledge"),
    (3, "3 — practitioner"),
    (4, "4 — expert"),
    (5, "5 — authority"),
]


def person_label(person: Person) -> str:
    """``Full Name — Team / Organization``: enough to tell namesakes apart."""
    where = " / ".join(str(part) for part in (person.team, person.organization) if part)
    return f"{person.full_name} — {where}" if where else person.full_name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return person_label(obj)


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return person_label(obj)


def people_to_pick(viewer):
    """Everyone in the directory, for a person picker (no e-mails needed)."""
    return selectors.person_directory(viewer=viewer).prefetch_related(None)


def _paths(nodes) -> dict[int, str]:
    """``Parent › Child`` labels for a tree of teams or skills, without a query per node."""
    by_id = {node.pk: node for node in nodes}
    labels = {}
    for node in nodes:
        names, seen, current = [], set(), node
        while current is not None and current.pk not in seen:
            names.append(current.name)
            seen.add(current.pk)
            current = by_id.get(current.parent_id)
        labels[node.pk] = " › ".join(reversed(names))
    return labels


def team_choices(teams) -> list:
    """Teams grouped by organization, each labelled with its path."""
    teams = list(teams)
    labels = _paths(teams)
    groups: dict[str, list] = {}
    for team in teams:
        groups.setdefault(team.organization.name, []).append((team.pk, labels[team.pk]))
    return [
        (org, sorted(options, key=lambda option: option[1].lower()))
        for org, options in sorted(groups.items(), key=lambda item: item[0].lower())
    ]


def skill_choices(skills) -> list:
    labels = _paths(list(skills))
    return sorted(labels.items(), key=lambda item: item[1].lower())


class DirectoryFilterForm(forms.Form):
    """Search and filters of the directory (a GET form)."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": "Name, title, e-mail, team, skill…"}),
    )
    engagement_type = forms.ChoiceField(
        label="Engagement",
        required=False,
        choices=[("", "Any engagement"), *EngagementType.choices],
    )
    organization = forms.TypedChoiceField(
        label="Organization", required=False, coerce=int, empty_value=None
    )
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    skill = forms.TypedChoiceField(label="Skill", required=False, coerce=int, empty_value=None)
    private = forms.BooleanField(
        label="Private contacts only",
        required=False,
        help_text="People an import of someone's own mailbox, calendar or contacts brought "
        "in: not in the shared directory until a people manager approves them.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [
            ("", "Any organization"),
            *((org.pk, org.name) for org in selectors.organization_list()),
        ]
        self.fields["team"].choices = [("", "Any team"), *team_choices(selectors.team_list())]
        self.fields["skill"].choices = [("", "Any skill"), *skill_choices(selectors.skill_list())]

    def filters(self) -> dict:
        """Keyword arguments for ``person_directory``; an invalid filter is left out."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "engagement_type": data.get("engagement_type") or None,
            "organization_id": data.get("organization"),
            "team_id": data.get("team"),
            "skill_id": data.get("skill"),
            "listed": False if data.get("private") else None,
        }


def _time_zone_choices() -> list[tuple[str, str]]:
    return [("", "—"), *((name, name) for name in sorted(zoneinfo.available_timezones()))]


class PersonForm(ServiceErrorsMixin, forms.Form):
    """A profile. Built with all fields, then cut down to what the viewer may edit."""

    full_name = forms.CharField(label="Full name", max_length=200)
    title = forms.CharField(label="Title", max_length=200, required=False)
    phone = forms.CharField(
        label="Phone",
        max_length=50,
        required=False,
        widget=forms.TelInput(attrs={"autocomplete": "tel"}),
    )
    organization = forms.ModelChoiceField(
        label="Organization",
        queryset=selectors.organization_list(),
        required=False,
        empty_label="—",
    )
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    manager = PersonChoiceField(label="Manager", queryset=None, required=False, empty_label="—")
    level = forms.TypedChoiceField(
        label="Level",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *Person.Level.choices],
    )
    location = forms.CharField(label="Location", max_length=200, required=False)
    time_zone = forms.ChoiceField(
        label="Time zone",
        required=False,
        help_text="Times you see and log in Bridgework use this zone.",
    )
    engagement_type = forms.ChoiceField(label="Engagement", choices=EngagementType.choices)
    engagement_start = forms.DateField(
        label="Engagement start", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    engagement_end = forms.DateField(
        label="Engagement end",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Required for alumni.",
    )
    bio = forms.CharField(label="About", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    analytics_consent = forms.BooleanField(
        label="Include this person’s ties in network analytics",
        required=False,
        help_text="Aggregates never show groups smaller than the privacy threshold.",
    )
    emails = forms.CharField(
        label="E-mail addresses",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off", "spellcheck": "false"}),
        help_text="One per line; the first one is the primary address.",
    )

    def __init__(
        self, *args, viewer, editable: tuple[str, ...], person: Person | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in editable:
                del self.fields[name]
        self._teams = {}
        if "team" in self.fields:
            teams = list(selectors.team_list())
            self._teams = {team.pk: team for team in teams}
            cast(forms.ChoiceField, self.fields["team"]).choices = [("", "—"), *team_choices(teams)]
        if "manager" in self.fields:
            managers = people_to_pick(viewer)
            if person is not None:
                managers = managers.exclude(pk=person.pk)
            cast(forms.ModelChoiceField, self.fields["manager"]).queryset = managers
        if "time_zone" in self.fields:
            cast(forms.ChoiceField, self.fields["time_zone"]).choices = _time_zone_choices()
        if (
            "analytics_consent" in self.fields
            and person is not None
            and person.pk == viewer.person_id
        ):
            self.fields["analytics_consent"].label = "Include my ties in network analytics"

    @staticmethod
    def initial_for(person: Person) -> dict:
        initial = {name: getattr(person, name) for name in PERSON_FIELDS}
        initial["team"] = person.team_id
        initial["emails"] = "\n".join(email.address for email in person.emails.all())
        return initial

    def clean_emails(self) -> str:
        # The service checks addresses too; checking here as well lets every
        # problem on the page show at once.
        bad = []
        for line in self.cleaned_data["emails"].splitlines():
            try:
                validate_email(line.strip()) if line.strip() else None
            except ValidationError:
                bad.append(line.strip())
        if bad:
            raise ValidationError(
                f"Not valid e-mail address{'es' if len(bad) > 1 else ''}: {', '.join(bad)}."
            )
        return self.cleaned_data["emails"]

    def clean_team(self):
        team_id = self.cleaned_data.get("team")
        return self._teams.get(team_id) if team_id is not None else None

    def service_kwargs(self) -> dict:
        """Arguments for ``person_create`` / ``person_update``."""
        data = self.cleaned_data
        kwargs = {name: data[name] for name in PERSON_FIELDS if name in data}
        if "emails" in data:
            kwargs["emails"] = [
                line.strip() for line in data["emails"].splitlines() if line.strip()
            ]
        return kwargs


class RelationshipEditForm(ServiceErrorsMixin, forms.Form):
    context = forms.ChoiceField(
        label="How you know each other", choices=Relationship.Context.choices
    )
    closeness = forms.TypedChoiceField(
        label="Closeness",
        coerce=int,
        choices=CLOSENESS_CHOICES,
        error_messages={
            "invalid_choice": "Choose a closeness from 1 (acquaintance) to 5 (very close)."
        },
    )
    since = forms.DateField(
        label="Known since", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    private_note = forms.CharField(
        label="Private note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only you can read this note.",
    )

    def __init__(self, *args, allow_note: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_note:
            del self.fields["private_note"]


class RelationshipDeclareForm(RelationshipEditForm):
    """A new tie. ``person`` is asked only of viewers who are not in the directory."""

    person = PersonChoiceField(label="Person", queryset=None)
    other = PersonChoiceField(label="With", queryset=None)

    field_order = ["person", "other", "context", "closeness", "since", "private_note"]

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        people = people_to_pick(viewer)
        if viewer.person_id is not None:
            del self.fields["person"]
            self.fields["other"].queryset = people.exclude(pk=viewer.person_id)
        else:
            self.fields["person"].queryset = people
            self.fields["other"].queryset = people


class SkillLevelForm(ServiceErrorsMixin, forms.Form):
    """A skill and a level: declaring one's own, or endorsing someone else's."""

    skill = forms.ModelChoiceField(label="Skill", queryset=selectors.skill_list())
    level = forms.TypedChoiceField(
        label="Level",
        coerce=int,
        choices=SKILL_LEVEL_CHOICES,
        error_messages={"invalid_choice": "A skill level is a whole number from 1 to 5."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = [
            ("", "Choose a skill…"),
            *skill_choices(selectors.skill_list()),
        ]


class PersonMergeForm(forms.Form):
    """The confirmation of a merge: who stays and who is folded in."""

    keep = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    drop = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean(self):
        data = super().clean()
        if data.get("keep") is not None and data.get("keep") == data.get("drop"):
            raise ValidationError("Choose two different people.")
        return data
