from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "bridgework.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from bridgework.accounts.lockout import audit_lockout

        # Each sign-in lockout goes to Bridgework's audit log as well as django-axes' tables.
        user_locked_out.connect(audit_lockout, dispatch_uid="bridgework.accounts.audit_lockout")
