from django.contrib import admin

from bridgework.people.models import (
    Organization,
    Person,
    PersonEmail,
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


class PersonSkillInline(admin.TabularInline):
    model = PersonSkill
    fk_name = "person"
    extra = 0
    autocomplete_fields = ("skill", "endorsed_by")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "title", "engagement_type", "organization", "team", "level")
    list_filter = ("engagement_type", "level", "organization")
    list_select_related = ("organization", "team")
    search_fields = ("full_name", "title", "emails__address")
    autocomplete_fields = ("organization", "team", "manager")
    inlines = [PersonEmailInline, PersonSkillInline]


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
