from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "bridgework.analysis"
    label = "analysis"
    verbose_name = "Organizational network analysis"

    def ready(self) -> None:
        from bridgework.analysis import tasks  # noqa: F401 - registers the app's jobs
        from bridgework.analysis.panels import PANELS
        from bridgework.people.panels import panel_register

        for panel in PANELS:
            panel_register(panel)
