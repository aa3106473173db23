from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    name = "bridgework.interactions"
    label = "interactions"
    verbose_name = "Interactions"
