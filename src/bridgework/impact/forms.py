"""Forms of the impact pages: objectives, sharing, the plan's stakeholders, outcomes.

Forms only parse and offer choices; the rules live in
:mod:`bridgework.impact.services`, whose ``ValidationError`` the views show
beside the fields (:class:`~bridgework.accounts.forms.ServiceErrorsMixin`).
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from bridgework.accounts.forms import ServiceErrorsMixin
from bridgework.impact.models import (
    MAX_CADENCE_DAYS,
    MAX_TEXT,
    CreditMethod,
    Objective,
    OutcomeKind,
    Unit,
)
from bridgework.impact.services import ContributorIn
from bridgework.interactions.models import Interaction, IntroductionRequest
from bridgework.mentoring.models import Program
from bridgework.people.models import Organization, Person, Skill, Team

__all__ = [
    "ObjectiveForm",
    "ShareForm",
    "StakeholderAddForm",
    "StakeholderEditForm",
    "OutcomeForm",
    "ContributorForm",
    "BaseContributorFormSet",
    "ContributorFormSet",
    "PeriodForm",
]

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _people() -> QuerySet[Person]:
    return Person.objects.select_related("organization").order_by("full_name", "id")


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        where = obj.organization.name if obj.organization is not None else ""
        return f"{obj.full_name} ({where})" if where else obj.full_name


class _IntroductionChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: IntroductionRequest) -> str:
        return f"{obj.via} introduced you to {obj.target} ({obj.created_at:%d %b %Y})"


class _InteractionChoice(forms.ModelMultipleChoiceField):
    """Interactions by day and channel, with who took part (``participant_names``:
    interaction id → names, set by the form that offers them)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participant_names: dict[int, str] = {}

    def label_from_instance(self, obj: Interaction) -> str:
        names = self.participant_names.get(obj.pk, "")
        return f"{obj.occurred_at:%d %b %Y} {obj.get_channel_display()}: {names}"[:140]


class ObjectiveForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label="What do you want to achieve?", max_length=200)
    why = forms.CharField(
        label="Why it matters",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    success_measure = forms.CharField(
        label="Measure of success",
        required=False,
        max_length=500,
        help_text="How you will know it worked, e.g. “signed integration agreement”.",
    )
    target_date = forms.DateField(label="Target date", required=False, widget=_DATE)
    started_on = forms.DateField(
        label="Plan starts on",
        required=False,
        widget=_DATE,
        help_text="Progress is counted from this day (empty: today).",
    )
    scope = forms.ChoiceField(
        label="Whose objective", choices=Objective.Scope.choices, initial="person"
    )
    needed_skills = forms.ModelMultipleChoiceField(
        label="Skills it needs",
        required=False,
        queryset=Skill.objects.order_by("name", "id"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Bridgework proposes people with these skills.",
    )
    needed_organizations = forms.ModelMultipleChoiceField(
        label="Organizations it needs",
        required=False,
        queryset=Organization.objects.order_by("name", "id"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="Bridgework proposes people at these organizations.",
    )
    program = forms.ModelChoiceField(
        label="Program",
        required=False,
        queryset=Program.objects.none(),
        help_text="For a program's objective: the mentoring program.",
    )
    status = forms.ChoiceField(label="Status", choices=Objective.Status.choices, required=False)

    def __init__(
        self,
        *args,
        editing: bool = False,
        team: Team | None = None,
        programs: QuerySet | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["status"]
        choices = [("person", "Mine")]
        if team is not None:
            choices.append(("team", f"{team.name}'s"))
        if programs is not None:
            choices.append(("program", "A mentoring program's"))
            cast(forms.ModelChoiceField, self.fields["program"]).queryset = programs
        else:
            del self.fields["program"]
        cast(forms.ChoiceField, self.fields["scope"]).choices = choices
        self.team = team

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = dict(
            title=data["title"],
            why=data["why"],
            success_measure=data["success_measure"],
            target_date=data["target_date"],
            started_on=data["started_on"],
            scope=data["scope"],
            team=self.team if data["scope"] == "team" else None,
            program=data.get("program") if data["scope"] == "program" else None,
            needed_skills=list(data["needed_skills"]),
            needed_organizations=list(data["needed_organizations"]),
        )
        if "status" in self.fields:
            kwargs["status"] = data.get("status") or Objective.Status.ACTIVE
        return kwargs


class ShareForm(ServiceErrorsMixin, forms.Form):
    """Share with one person (a mentor) or with the owner's team."""

    person = _PersonChoice(
        label="Share with a person", required=False, queryset=Person.objects.none()
    )
    team = forms.ModelChoiceField(
        label="Or with a team", required=False, queryset=Team.objects.none()
    )

    def __init__(self, *args, mentors: QuerySet | None = None, teams: QuerySet | None = None, **kw):
        super().__init__(*args, **kw)
        cast(_PersonChoice, self.fields["person"]).queryset = (
            mentors if mentors is not None else _people()
        )
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = (
            teams if teams is not None else Team.objects.none()
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if bool(data.get("person")) == bool(data.get("team")):
            raise forms.ValidationError("Choose one person or one team.")
        return data


class StakeholderAddForm(ServiceErrorsMixin, forms.Form):
    """Accept a proposal (``origin=proposed`` and its ``reason``) or add someone by hand."""

    person = _PersonChoice(label="Person", queryset=_people())
    origin = forms.ChoiceField(
        choices=[("added", "added"), ("proposed", "proposed")],
        required=False,
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label="Why they matter", required=False, max_length=300, help_text="Only you see this."
    )
    target_strength = forms.FloatField(
        label="Target tie strength",
        required=False,
        min_value=0.01,
        max_value=1,
        help_text="0-1; empty: some tie (0.15). Regular is 0.35, strong 0.60.",
    )
    cadence_days = forms.IntegerField(
        label="Keep in touch every (days)", required=False, min_value=1, max_value=MAX_CADENCE_DAYS
    )
    next_step = forms.CharField(label="Next step", required=False, max_length=300)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return dict(
            person=data["person"],
            origin=data.get("origin") or "added",
            reason=data["reason"],
            target_strength=data["target_strength"],
            cadence_days=data["cadence_days"],
            next_step=data["next_step"],
        )


class StakeholderEditForm(ServiceErrorsMixin, forms.Form):
    target_strength = forms.FloatField(
        label="Target strength", required=False, min_value=0.01, max_value=1
    )
    cadence_days = forms.IntegerField(
        label="Every (days)", required=False, min_value=1, max_value=MAX_CADENCE_DAYS
    )
    next_step = forms.CharField(label="Next step", required=False, max_length=300)

    def __init__(self, *args, stakeholder_id: int | None = None, **kwargs):
        if stakeholder_id is not None:
            kwargs.setdefault("auto_id", f"id_%s_{stakeholder_id}")
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class OutcomeForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label="Kind of result", choices=OutcomeKind.choices)
    title = forms.CharField(label="The result, in a few words", max_length=200)
    value = forms.DecimalField(
        label="Value",
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text="Money in the company currency, hours saved, or an impact rating from 1 to 5.",
    )
    unit = forms.ChoiceField(label="Unit", choices=Unit.choices)
    occurred_on = forms.DateField(label="When it happened", widget=_DATE)
    evidence = forms.CharField(
        label="Evidence",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What shows it happened: a link, a document, a number.",
    )
    objective = forms.ModelChoiceField(
        label="Objective", required=False, queryset=Objective.objects.none()
    )
    introductions = _IntroductionChoice(
        label="Introductions that helped",
        required=False,
        queryset=IntroductionRequest.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    interactions = _InteractionChoice(
        label="Interactions that helped",
        required=False,
        queryset=Interaction.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Everyone else who took part counts as a contributor.",
    )
    credit_method = forms.ChoiceField(
        label="Attribution used for return on impact",
        choices=CreditMethod.choices,
        initial="shapley",
        help_text="Every method is shown on the outcome's page; this one counts in your return.",
    )

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["objective"]).queryset = Objective.objects.filter(
            pk__in=[o.pk for o in choices["objectives"]]
        ).order_by("-started_on", "-id")
        requests = choices["introductions"]
        cast(
            _IntroductionChoice, self.fields["introductions"]
        ).queryset = IntroductionRequest.objects.filter(
            pk__in=[r.pk for r in requests]
        ).select_related("via", "target")
        interactions = cast(_InteractionChoice, self.fields["interactions"])
        interactions.queryset = Interaction.objects.filter(
            pk__in=[i.pk for i in choices["interactions"]]
        ).order_by("-occurred_at", "-id")
        interactions.participant_names = {
            interaction.pk: ", ".join(p.full_name for p in interaction.participants.all())
            for interaction in choices["interactions"]
        }

    def service_kwargs(self, contributors: list[ContributorIn]) -> dict:
        data = self.cleaned_data
        return dict(
            kind=data["kind"],
            title=data["title"],
            value=data["value"],
            unit=data["unit"],
            occurred_on=data["occurred_on"],
            evidence=data["evidence"],
            objective=data["objective"],
            credit_method=data["credit_method"],
            introductions=list(data["introductions"]),
            interactions=list(data["interactions"]),
            contributors=contributors,
        )


class ContributorForm(forms.Form):
    person = _PersonChoice(label="Who contributed", required=False, queryset=_people())
    via = _PersonChoice(
        label="Through whom",
        required=False,
        queryset=_people(),
        help_text="Who connected you, if anyone.",
    )
    share = forms.FloatField(
        label="Declared share",
        required=False,
        min_value=0,
        help_text="Any scale, e.g. percent.",
    )


class BaseContributorFormSet(forms.BaseFormSet):
    """The outcome's contributors, one form each."""

    def contributors(self) -> list[ContributorIn]:
        found = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("person") is not None:
                found.append(
                    ContributorIn(
                        person=data["person"], via=data.get("via"), share=data.get("share")
                    )
                )
        return found


# formset_factory returns a subclass of the formset it is given; its stubs say only BaseFormSet.
ContributorFormSet = cast(
    type[BaseContributorFormSet],
    forms.formset_factory(
        ContributorForm, formset=BaseContributorFormSet, extra=3, max_num=30, validate_max=True
    ),
)


class PeriodForm(forms.Form):
    """The period a return-on-impact page covers."""

    months = forms.TypedChoiceField(
        label="Period",
        coerce=int,
        required=False,
        initial=12,
        choices=[
            (3, "Last 3 months"),
            (6, "Last 6 months"),
            (12, "Last 12 months"),
            (24, "Last 24 months"),
        ],
    )

    def months_or(self, default: int) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("months"):
            return self.cleaned_data["months"]
        return default
