"""``bridgework createadmin``."""

from __future__ import annotations

import os

import typer

from bridgework.cli.base import fail, setup_django


def createadmin(
    username: str = typer.Option(..., prompt=True, help="Login name of the new admin."),
    email: str = typer.Option("", help="E-mail address for password resets."),
    password: str | None = typer.Option(
        None,
        help="Password (default: read BRIDGEWORK_ADMIN_PASSWORD, else ask twice).",
        show_default=False,
    ),
) -> None:
    """Create an admin login (Django admin, accounts, roles, consent)."""
    setup_django()
    from django.core.exceptions import ValidationError
    from django.core.management import call_command

    from bridgework.accounts.models import Role
    from bridgework.accounts.services import user_create

    call_command("migrate", interactive=False, verbosity=0)
    password = password or os.environ.get("BRIDGEWORK_ADMIN_PASSWORD")
    if not password:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = user_create(username=username, password=password, email=email, roles=[Role.ADMIN])
    except ValidationError as exc:
        messages = (
            "; ".join(f"{field}: {' '.join(errs)}" for field, errs in exc.message_dict.items())
            if hasattr(exc, "error_dict")
            else " ".join(exc.messages)
        )
        raise fail(messages) from None
    typer.echo(
        f"Admin {user.username!r} created. Sign in at /accounts/login/ (Django admin at /admin/)."
    )


def register(app: typer.Typer) -> None:
    app.command("createadmin")(createadmin)
