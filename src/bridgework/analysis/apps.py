from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "bridgework.analysis"
    label = "analysis"
    verbose_name = "Organizational network analysis"
