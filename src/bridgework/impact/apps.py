from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "bridgework.impact"
    label = "impact"
    verbose_name = "Objectives and return on impact"
