"""Django admin for the network app: read only, since ties, nudges and portfolios
are computed or belong to one person. Private portfolio notes are left out."""

from django.contrib import admin

from bridgework.network.models import Nudge, PortfolioEntry, Tie, TieRecompute


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Tie)
class TieAdmin(_ReadOnly):
    """Computed by ``bridgework ties recompute``; changing a row here would be overwritten."""

    list_display = ("person_a", "person_b", "strength", "band", "trend", "last_contact")
    list_filter = ("band", "trend")
    raw_id_fields = ("person_a", "person_b")


@admin.register(PortfolioEntry)
class PortfolioEntryAdmin(_ReadOnly):
    list_display = ("owner", "other", "tier", "cadence_days", "updated_at")
    list_filter = ("tier",)
    exclude = ("note",)
    raw_id_fields = ("owner", "other")


@admin.register(Nudge)
class NudgeAdmin(_ReadOnly):
    list_display = ("owner", "other", "kind", "priority", "dismissed_at", "snoozed_until")
    list_filter = ("kind",)
    raw_id_fields = ("owner", "other")


@admin.register(TieRecompute)
class TieRecomputeAdmin(_ReadOnly):
    list_display = ("id", "kind", "status", "reason", "ties_written", "created_at", "finished_at")
    list_filter = ("kind", "status")
    date_hierarchy = "created_at"
