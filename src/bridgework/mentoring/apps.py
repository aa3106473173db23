from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "bridgework.mentoring"
    label = "mentoring"
    verbose_name = "Mentoring programs"

    def ready(self) -> None:
        from bridgework.accounts import policies
        from bridgework.mentoring.access import mentor_sees_shared_metrics
        from bridgework.mentoring.merge import MENTORING
        from bridgework.people.merge import merge_step_register

        # A mentor sees a mentee's network metrics while the mentee shares them.
        policies.grant_metric_view(mentor_sees_shared_metrics)
        # Merging two people moves enrollments, pairs, sessions and assessments too.
        merge_step_register(MENTORING)
        # Data rights: a person's mentoring in their export and erasure.
        from bridgework.mentoring.rights import MENTORING_RIGHTS
        from bridgework.people.rights import rights_part_register

        rights_part_register(MENTORING_RIGHTS)
