from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "bridgework.mentoring"
    label = "mentoring"
    verbose_name = "Mentoring programs"
