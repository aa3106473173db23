from django.contrib import admin

from bridgework.interactions.models import Interaction, InteractionParticipant


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
