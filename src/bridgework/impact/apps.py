from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "bridgework.impact"
    label = "impact"
    verbose_name = "Objectives and return on impact"

    def ready(self) -> None:
        from bridgework.impact.merge import IMPACT
        from bridgework.people.merge import merge_step_register

        # Merging two people moves objectives, outcomes, plans and credit too.
        merge_step_register(IMPACT)
        # Data rights: a person's objectives and outcomes in their export and erasure.
        from bridgework.impact.rights import IMPACT_RIGHTS
        from bridgework.people.rights import rights_part_register

        rights_part_register(IMPACT_RIGHTS)
