from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    name = "bridgework.interactions"
    label = "interactions"
    verbose_name = "Interactions"

    def ready(self) -> None:
        from bridgework.interactions import tasks  # noqa: F401 - registers the app's jobs
        from bridgework.interactions.merge import PARTICIPATIONS
        from bridgework.interactions.panels import PANELS
        from bridgework.people.merge import merge_step_register
        from bridgework.people.panels import panel_register

        for panel in PANELS:
            panel_register(panel)
        # Merging two people moves their interaction participations too.
        merge_step_register(PARTICIPATIONS)
        # Data rights: interactions, introductions and imports in export and erasure.
        from bridgework.interactions.rights import INTERACTIONS_RIGHTS
        from bridgework.people.rights import rights_part_register

        rights_part_register(INTERACTIONS_RIGHTS)
