"""Template helpers for pages about people, relationships and interactions."""

from __future__ import annotations

from django import template

from bridgework.people import forms, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def note_for(context, obj) -> str | None:
    """The private note on a relationship or interaction, only for its author.

    Usage: ``{% note_for rel as note %}{% if note %}…{% endif %}``.
    """
    return selectors.visible_note(viewer=context["request"].user, obj=obj)


@register.filter
def counterpart(relationship, person_id):
    """The other person in a relationship, seen from ``person_id``."""
    return relationship.counterpart_of(person_id)


@register.filter
def others_than(people, person_id):
    """The people in ``people`` except ``person_id`` (e.g. the viewer)."""
    return [p for p in people if p.pk != person_id]


register.filter("person_label", forms.person_label)
