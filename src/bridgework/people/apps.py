from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "bridgework.people"
    label = "people"
    verbose_name = "People, organizations and relationships"
