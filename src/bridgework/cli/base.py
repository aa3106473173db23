"""What every command module shares: Django setup and error exits."""

from __future__ import annotations

import os

import typer


def setup_django() -> None:
    """Configure Django once, for commands that need the app database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bridgework.config.settings")
    import django

    django.setup()


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print an error to stderr and return the exit to raise."""
    typer.secho(f"Error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code)
