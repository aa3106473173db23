"""``bridgework demo``: load or reset the demo organization."""

from __future__ import annotations

import datetime as dt

import typer

from bridgework.cli.base import fail, setup_django


def demo(
    reset: bool = typer.Option(
        False, "--reset", help="Delete all people and interactions, then reload the demo."
    ),
    if_empty: bool = typer.Option(
        False, "--if-empty", help="Load only when no demo is loaded yet; otherwise do nothing."
    ),
    seed: int = typer.Option(7, help="Random seed: the same seed gives the same organization."),
    today: str = typer.Option(
        None, help="Date the twelve months of interactions end on (YYYY-MM-DD; default today)."
    ),
) -> None:
    """Load the demo organization (about 400 people, a year of interactions) and demo logins."""
    setup_django()
    from django.core.management import call_command

    from bridgework.core.demo.generator import DEMO_PASSWORD
    from bridgework.core.errors import BridgeworkError
    from bridgework.people.demo import demo_is_loaded, demo_load

    try:
        end = dt.date.fromisoformat(today) if today else None
    except ValueError:
        raise fail(f"--today must be a date like 2026-11-25, not {today!r}.") from None
    call_command("migrate", interactive=False, verbosity=0)
    if if_empty and demo_is_loaded():
        typer.echo("The demo organization is already loaded (use --reset to reload it).")
        summary = None
    else:
        typer.echo("Loading the demo organization…")
        try:
            summary = demo_load(seed=seed, today=end, reset=reset)
        except BridgeworkError as exc:
            raise fail(str(exc)) from None
        typer.echo(
            f"Loaded {summary.people} people, {summary.teams} teams, {summary.organizations} organizations, "
            f"{summary.interactions} interactions and {summary.relationships} relationships."
        )
    _print_logins(DEMO_PASSWORD)


def _print_logins(password: str) -> None:
    from bridgework.people.demo import demo_logins

    typer.echo("")
    typer.echo(f"Demo logins (password for all: {password}):")
    for role, username, name in demo_logins():
        typer.echo(f"  {role:<16} {username:<10} {name}")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
