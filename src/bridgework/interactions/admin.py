from django.contrib import admin

from bridgework.interactions.models import (
    ImportRun,
    Interaction,
    InteractionParticipant,
    IntroductionRequest,
)


class ParticipantInline(admin.TabularInline):
    model = InteractionParticipant
    extra = 2
    autocomplete_fields = ("person",)


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    """Private notes are deliberately left out: only their author reads them."""

    list_display = ("occurred_at", "channel", "duration_minutes", "logged_by", "source")
    list_filter = ("channel", "source")
    date_hierarchy = "occurred_at"
    exclude = ("private_note",)
    inlines = [ParticipantInline]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Imports are started from the import page, the API or the CLI; here they are read only."""

    list_display = ("id", "format", "status", "origin", "started_by", "events", "created_at")
    list_filter = ("status", "format", "origin")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IntroductionRequest)
class IntroductionRequestAdmin(admin.ModelAdmin):
    """Requests are made and answered on the introductions pages; here they are read only."""

    list_display = ("id", "requester", "via", "target", "status", "created_at")
    list_filter = ("status",)
    date_hierarchy = "created_at"
    raw_id_fields = ("requester", "via", "target", "target_organization", "interaction")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
