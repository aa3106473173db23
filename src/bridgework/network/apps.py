from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "bridgework.network"
    label = "network"
    verbose_name = "Ties, portfolio and nudges"

    def ready(self) -> None:
        from bridgework.network import tasks  # noqa: F401 - registers the app's jobs
        from bridgework.network.panels import PANELS
        from bridgework.people.panels import panel_register

        for panel in PANELS:
            panel_register(panel)
