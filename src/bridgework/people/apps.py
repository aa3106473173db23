from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "bridgework.people"
    label = "people"
    verbose_name = "People, organizations and relationships"

    def ready(self) -> None:
        from bridgework.people import views
        from bridgework.people.merge import merge_step_register
        from bridgework.people.panels import panel_register
        from bridgework.people.private_contacts import PRIVATE_CONTACTS

        for panel in views.PANELS:
            panel_register(panel)
        merge_step_register(PRIVATE_CONTACTS)
        # Data rights: the people, accounts and event-store parts of export and erasure.
        from bridgework.people.rights import register_own_parts

        register_own_parts()
        for panel in views.RIGHTS_PANELS:
            panel_register(panel)
