"""The people forms on their own: how service errors land, and the labels of choices."""

import pytest
from django.core.exceptions import ValidationError

from bridgework import factories
from bridgework.people.forms import (
    RelationshipEditForm,
    person_label,
    skill_choices,
    team_choices,
)
from bridgework.people.models import Skill, Team


def test_service_errors_go_beside_known_fields_and_on_top_otherwise():
    form = RelationshipEditForm(data={"context": "friend", "closeness": "3"})
    assert form.is_valid()
    form.add_service_error(
        ValidationError(
            {
                "closeness": "Too close.",
                "person": "Not yours.",
                "__all__": "Something about the whole tie.",
            }
        )
    )
    assert form.errors["closeness"] == ["Too close."]
    assert form.non_field_errors() == ["Person: Not yours.", "Something about the whole tie."]


def test_a_service_error_without_fields_goes_on_top():
    form = RelationshipEditForm(data={"context": "friend", "closeness": "3"})
    form.is_valid()
    form.add_service_error(ValidationError("Your login is not linked to a person."))
    assert form.non_field_errors() == ["Your login is not linked to a person."]


def test_private_note_field_can_be_left_out():
    assert "private_note" not in RelationshipEditForm(allow_note=False).fields


@pytest.mark.django_db
def test_team_choices_are_grouped_by_organization_with_paths():
    engineering = factories.TeamFactory(name="Engineering")
    factories.TeamFactory(
        name="Platform", parent=engineering, organization=engineering.organization
    )
    partner = factories.OrganizationFactory(name="Acme")
    factories.TeamFactory(name="Sales", organization=partner)
    teams = Team.objects.select_related("organization")
    assert [(org, [label for _, label in options]) for org, options in team_choices(teams)] == [
        ("Acme", ["Sales"]),
        ("Ourco", ["Engineering", "Engineering › Platform"]),
    ]


@pytest.mark.django_db
def test_skill_choices_show_the_path():
    python = factories.SkillFactory(name="Python")
    factories.SkillFactory(name="Django", parent=python)
    assert [label for _, label in skill_choices(Skill.objects.all())] == [
        "Python",
        "Python › Django",
    ]


@pytest.mark.django_db
def test_person_label_names_team_and_organization():
    assert person_label(factories.PersonFactory(full_name="Ann")) == "Ann — Ourco"
    team = factories.TeamFactory(name="Platform")
    assert (
        person_label(factories.PersonFactory(full_name="Bo", team=team)) == "Bo — Platform / Ourco"
    )
    assert person_label(factories.PersonFactory(full_name="Cy", organization=None)) == "Cy"
