from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "bridgework.mentoring"
    label = "mentoring"
    verbose_name = "Mentoring programs"

    def ready(self) -> None:
        from bridgework.accounts import policies
        from bridgework.mentoring.access import mentor_sees_shared_metrics

        # A mentor sees a mentee's network metrics while the mentee shares them.
        policies.grant_metric_view(mentor_sees_shared_metrics)
