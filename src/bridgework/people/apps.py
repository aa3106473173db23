from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "bridgework.people"
    label = "people"
    verbose_name = "People, organizations and relationships"

    def ready(self) -> None:
        from bridgework.people import views
        from bridgework.people.panels import panel_register

        for panel in views.PANELS:
            panel_register(panel)
