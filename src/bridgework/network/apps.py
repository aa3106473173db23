from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "bridgework.network"
    label = "network"
    verbose_name = "Ties, portfolio and nudges"
