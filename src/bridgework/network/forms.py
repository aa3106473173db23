"""Forms of the network pages: portfolio filters, a relationship's tier, snoozing a
nudge, the expertise search, my network preferences."""

from __future__ import annotations

from django import forms

from bridgework.accounts.forms import ServiceErrorsMixin
from bridgework.network.models import MAX_CADENCE_DAYS, Band, Tier
from bridgework.network.selectors import SORTS
from bridgework.people.forms import skill_choices
from bridgework.people.selectors import skill_list

__all__ = [
    "ExpertiseSearchForm",
    "NetworkPreferenceForm",
    "PortfolioFilterForm",
    "PortfolioTierForm",
    "NudgeSnoozeForm",
]


class PortfolioFilterForm(forms.Form):
    band = forms.ChoiceField(
        label="Band",
        required=False,
        choices=[("", "All bands"), *Band.choices, ("none", "No contact yet")],
    )
    tier = forms.ChoiceField(
        label="Tier",
        required=False,
        choices=[("", "All tiers"), *Tier.choices, ("none", "No tier")],
    )
    sort = forms.ChoiceField(label="Order", required=False, choices=list(SORTS.items()))

    def filters(self) -> dict:
        """Keyword arguments for :func:`~bridgework.network.selectors.portfolio`."""
        if not self.is_bound or not self.is_valid():
            return {"band": None, "tier": None, "sort": "strength"}
        data = self.cleaned_data
        return {
            "band": data["band"] or None,
            "tier": data["tier"] or None,
            "sort": data["sort"] or "strength",
        }


class PortfolioTierForm(ServiceErrorsMixin, forms.Form):
    """One relationship's tier and cadence; ids are made unique per row."""

    tier = forms.ChoiceField(label="Tier", required=False, choices=[("", "No tier"), *Tier.choices])
    cadence_days = forms.IntegerField(
        label="Cadence (days)",
        required=False,
        min_value=1,
        max_value=MAX_CADENCE_DAYS,
        help_text="Empty: the tier's default (core 30, strategic 91, wider 182).",
    )

    def __init__(self, *args, other_id: int | None = None, **kwargs):
        if other_id is not None:
            kwargs.setdefault("auto_id", f"id_%s_{other_id}")
        super().__init__(*args, **kwargs)
        self.fields["cadence_days"].widget.attrs.update(placeholder="default", size=5)

    def service_kwargs(self) -> dict:
        return {
            "tier": self.cleaned_data["tier"] or None,
            "cadence_days": self.cleaned_data["cadence_days"],
        }


class NudgeSnoozeForm(forms.Form):
    days = forms.IntegerField(required=False, min_value=1, max_value=365)
    limit = forms.IntegerField(required=False, min_value=1, max_value=100)


class ExpertiseSearchForm(forms.Form):
    """The expertise search (a GET form)."""

    q = forms.CharField(
        label="Expertise",
        required=False,
        max_length=200,
        widget=forms.SearchInput(
            attrs={"placeholder": "A skill, a title, words from a bio… e.g. pricing strategy"}
        ),
    )
    skill = forms.TypedChoiceField(label="Skill", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = [
            ("", "Any skill"),
            *skill_choices(skill_list()),
        ]

    def search(self) -> dict:
        """Keyword arguments for ``expertise_search``; an invalid field is left out."""
        if not self.is_bound:
            return {"query": "", "skill_id": None}
        self.is_valid()
        data = self.cleaned_data
        return {"query": data.get("q") or "", "skill_id": data.get("skill")}


class NetworkPreferenceForm(forms.Form):
    """My network preferences (the page at ``/network/preferences/``)."""

    introducer_opt_out = forms.BooleanField(
        label="Do not suggest me as an introducer",
        required=False,
        help_text=(
            "Nobody will see you on a path to someone else, in introductions or in expertise "
            "search, and nobody can ask you to introduce them. People can still find a way to "
            "meet you, and requests already waiting for your answer stay yours to answer."
        ),
    )
