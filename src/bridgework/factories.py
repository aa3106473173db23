"""factory_boy factories for tests (a dev dependency; never imported by the app)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from bridgework.accounts.models import Role, User
from bridgework.accounts.services import role_groups
from bridgework.interactions.models import Channel, Interaction, InteractionParticipant
from bridgework.people.models import (
    EngagementType,
    Organization,
    Person,
    PersonEmail,
    PersonSkill,
    Relationship,
    Skill,
    Team,
)

PASSWORD = "correct-horse-battery"  # noqa: S105 - the test users' password


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = Organization.Kind.CLIENT


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    organization = factory.SubFactory(
        OrganizationFactory, name="Ourco", kind=Organization.Kind.OURS
    )


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    full_name = factory.Sequence(lambda n: f"Person {n:03d}")
    title = "Analyst"
    engagement_type = EngagementType.EMPLOYEE_FULL_TIME
    organization = factory.SubFactory(
        OrganizationFactory, name="Ourco", kind=Organization.Kind.OURS
    )
    time_zone = "Europe/London"

    @factory.post_generation
    def email(self, create, extracted, **kwargs):
        if create:
            address = (
                extracted or f"{self.full_name.lower().replace(' ', '.')}.{self.pk}@ourco.example"
            )
            PersonEmail.objects.create(person=self, address=address, is_primary=True)


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.Sequence(lambda n: f"skill-{n}")


class PersonSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonSkill

    person = factory.SubFactory(PersonFactory)
    skill = factory.SubFactory(SkillFactory)
    level = 3


class UserFactory(factory.django.DjangoModelFactory):
    """A login with a person; pass ``roles=[...]`` (default: member)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    person = factory.SubFactory(PersonFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        roles = list(extracted) if extracted is not None else [Role.MEMBER]
        if Role.ADMIN in roles:
            self.is_staff = self.is_superuser = True
        self.save()
        if create:
            self.groups.set(role_groups(roles))
        self._roles_cache = None


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    person = factory.SubFactory(PersonFactory)
    other = factory.SubFactory(PersonFactory)
    closeness = 3
    context = Relationship.Context.COLLEAGUE
    private_note = "note"


class InteractionFactory(factory.django.DjangoModelFactory):
    """An interaction; pass ``people=[p1, p2, ...]`` for its participants."""

    class Meta:
        model = Interaction
        skip_postgeneration_save = True

    channel = Channel.MEETING
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3))
    duration_minutes = 30

    @factory.post_generation
    def people(self, create, extracted, **kwargs):
        if create and extracted:
            InteractionParticipant.objects.bulk_create(
                [InteractionParticipant(interaction=self, person=p) for p in extracted]
            )
