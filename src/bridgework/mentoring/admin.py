"""Django admin for the mentoring app: programs and frameworks, read only.

Relationships, sessions, notes, feedback and assessments are left out on
purpose: notes are private to their author (admins included) and the rest is
read through the program pages, which apply the privacy rules and audit looks.
"""

from django.contrib import admin

from bridgework.mentoring.models import BehaviorFramework, FrameworkVersion, Program


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Program)
class ProgramAdmin(_ReadOnly):
    list_display = ("name", "kind", "status", "enrollment_open", "start_date", "end_date")
    list_filter = ("status", "kind", "matching_mode")


@admin.register(BehaviorFramework)
class BehaviorFrameworkAdmin(_ReadOnly):
    list_display = ("name", "slug", "is_default", "created_at")


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(_ReadOnly):
    list_display = ("framework", "number", "note", "created_at")
    list_filter = ("framework",)
