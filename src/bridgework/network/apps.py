from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "bridgework.network"
    label = "network"
    verbose_name = "Ties, portfolio and nudges"

    def ready(self) -> None:
        from bridgework.network import tasks  # noqa: F401 - registers the app's jobs
        from bridgework.network.consent import ties_recompute_for_consent
        from bridgework.network.merge import NETWORK
        from bridgework.network.panels import PANELS
        from bridgework.network.preferences import PREFERENCES
        from bridgework.people.consent import consent_listener_register
        from bridgework.people.merge import merge_step_register
        from bridgework.people.panels import panel_register

        for panel in PANELS:
            panel_register(panel)
        # A change of consent recomputes the person's ties; a merge, the kept person's.
        consent_listener_register("network.ties", ties_recompute_for_consent)
        merge_step_register(NETWORK)
        # A merge keeps the stricter network preference of the two people.
        merge_step_register(PREFERENCES)
        # Data rights: a person's ties, portfolio and nudges in their export and erasure.
        from bridgework.network.rights import NETWORK_RIGHTS
        from bridgework.people.rights import rights_part_register

        rights_part_register(NETWORK_RIGHTS)
