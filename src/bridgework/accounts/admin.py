from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from bridgework.accounts import services
from bridgework.accounts.forms import AdminPasswordChangeForm
from bridgework.accounts.models import ApiToken, AuditEntry, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (*(DjangoUserAdmin.fieldsets or ()), ("Bridgework", {"fields": ("person",)}))
    list_display = ("username", "email", "person", "is_active", "is_staff", "last_login")
    list_select_related = ("person",)
    autocomplete_fields = ("person",)
    # Saves through services.user_set_password: the user's API tokens are revoked.
    change_password_form = AdminPasswordChangeForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data:
            # (De)activation revokes the user's API tokens, audited in the admin's name.
            services.user_set_active(actor=request.user, user=obj, is_active=obj.is_active)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their owners (the API tokens page or the API); an
    admin may look at them and delete (revoke) them, never change one."""

    list_display = ("name", "prefix", "user", "created_at", "expires_at", "last_used_at")
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "digest",
        "created_at",
        "expires_at",
        "last_used_at",
    )
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False


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
