from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from bridgework.accounts.models import ApiToken, AuditEntry, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*(DjangoUserAdmin.fieldsets or ()), ("Bridgework", {"fields": ("person",)}))
    list_display = ("username", "email", "person", "is_active", "is_staff", "last_login")
    list_select_related = ("person",)
    autocomplete_fields = ("person",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "created_at", "last_used_at")
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")
    list_select_related = ("user",)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is written by services, never edited."""

    list_display = ("at", "actor", "action", "object_type", "object_id", "subject_person_id")
    list_filter = ("action", "object_type")
    list_select_related = ("actor",)
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
