from django.contrib import admin

from bridgework.people.models import (
    MatchReview,
    Organization,
    Person,
    PersonEmail,
    PersonIdentity,
    PersonMerge,
    PersonSkill,
    Relationship,
    Skill,
    Team,
)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "email_domains")
    list_filter = ("kind",)
    search_fields = ("name", "email_domains")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "parent", "lead")
    list_select_related = ("organization", "parent", "lead")
    search_fields = ("name",)
    autocomplete_fields = ("parent", "lead")


class PersonEmailInline(admin.TabularInline):
    model = PersonEmail
    extra = 1


class PersonIdentityInline(admin.TabularInline):
    model = PersonIdentity
    extra = 0
    fields = ("key", "import_run_id", "created_at")
    readonly_fields = ("import_run_id", "created_at")


class PersonSkillInline(admin.TabularInline):
    model = PersonSkill
    fk_name = "person"
    extra = 0
    autocomplete_fields = ("skill", "endorsed_by")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = (
        "full_name",
        "title",
        "engagement_type",
        "organization",
        "team",
        "level",
        "introduced_by",
    )
    list_filter = ("engagement_type", "level", "organization")
    list_select_related = ("organization", "team")
    search_fields = ("full_name", "title", "emails__address", "identities__key")
    autocomplete_fields = ("organization", "team", "manager")
    readonly_fields = ("introduced_by", "introduced_by_import")
    inlines = [PersonEmailInline, PersonIdentityInline, PersonSkillInline]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "parent")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    """Private notes are deliberately left out: only their author reads them."""

    list_display = ("person", "other", "context", "closeness", "since", "declared_by")
    list_select_related = ("person", "other", "declared_by")
    exclude = ("private_note",)
    autocomplete_fields = ("person", "other")


@admin.register(MatchReview)
class MatchReviewAdmin(admin.ModelAdmin):
    """Decide reviews on the "Possible duplicates" page, which merges through the services."""

    list_display = ("new_person", "candidate", "reason", "status", "created_at", "decided_by")
    list_filter = ("status", "reason")
    list_select_related = ("new_person", "candidate", "decided_by")
    readonly_fields = [f.name for f in MatchReview._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(PersonMerge)
class PersonMergeAdmin(admin.ModelAdmin):
    """Read only: merges are made and undone on the merge history page or the CLI."""

    list_display = ("id", "dropped_person_id", "keep", "merged_by", "merged_at", "undone_at")
    list_select_related = ("keep", "merged_by")
    readonly_fields = [f.name for f in PersonMerge._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
