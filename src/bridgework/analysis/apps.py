from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "bridgework.analysis"
    label = "analysis"
    verbose_name = "Organizational network analysis"

    def ready(self) -> None:
        from bridgework.analysis import tasks  # noqa: F401 - registers the app's jobs
        from bridgework.analysis.merge import ANALYSIS
        from bridgework.analysis.panels import PANELS
        from bridgework.people.merge import merge_step_register
        from bridgework.people.panels import panel_register

        for panel in PANELS:
            panel_register(panel)
        # Merging two people deletes the dropped person's metrics and queues a fresh run.
        merge_step_register(ANALYSIS)
        # Data rights: a person's network metrics in their export and erasure.
        from bridgework.analysis.rights import ANALYSIS_RIGHTS
        from bridgework.people.rights import rights_part_register

        rights_part_register(ANALYSIS_RIGHTS)
