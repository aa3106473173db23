"""Forms for the portfolio page: filters, a relationship's tier, snoozing a nudge."""

from __future__ import annotations

from django import forms

from bridgework.accounts.forms import ServiceErrorsMixin
from bridgework.network.models import MAX_CADENCE_DAYS, Band, Tier
from bridgework.network.selectors import SORTS

__all__ = ["PortfolioFilterForm", "PortfolioTierForm", "NudgeSnoozeForm"]


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
