"""``bridgework demo``: load or reset the demo organization."""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING

import typer

from bridgework.cli.base import fail, setup_django
from bridgework.core.demo.phases import DEMO_PHASES

if TYPE_CHECKING:
    from rich.status import Status


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
    logins: bool = typer.Option(
        True, "--logins/--no-logins", help="Print the demo logins at the end."
    ),
) -> None:
    """Load the demo organization (about 400 people, a year of interactions) and demo logins."""
    try:
        end = dt.date.fromisoformat(today) if today else None
    except ValueError:
        raise fail(f"--today must be a date like 2026-11-25, not {today!r}.") from None
    phases = _PhaseLines(1 + len(DEMO_PHASES))
    phases.start(0, "the database (created or brought up to date)")
    setup_django()
    from django.core.management import call_command

    from bridgework.core.errors import BridgeworkError
    from bridgework.demo import demo_is_loaded, demo_load

    call_command("migrate", interactive=False, verbosity=0)
    if if_empty and demo_is_loaded():
        phases.stop()
        typer.echo("The demo organization is already loaded (use --reset to reload it).")
    else:
        try:
            summary = demo_load(
                seed=seed,
                today=end,
                reset=reset,
                progress=lambda index, phase: phases.start(index + 1, phase),
            )
        except BridgeworkError as exc:
            phases.stop()
            raise fail(str(exc)) from None
        phases.stop()
        typer.echo(
            f"Loaded the demo organization Northwind Labs: {summary.people} people, "
            f"{summary.teams} teams, {summary.organizations} organizations, "
            f"{summary.interactions:,} interactions and {summary.relationships} relationships "
            f"in {summary.seconds:.0f} s."
        )
    if logins:
        print_demo_logins()


class _PhaseLines:
    """One line per phase with its time; a spinner on the phase that is running."""

    def __init__(self, total: int) -> None:
        from rich.console import Console

        self.console = Console(highlight=False)
        self.total = total
        self.current: tuple[str, float] | None = None
        self.status: Status | None = None

    def start(self, index: int, phase: str) -> None:
        self._finish_current()
        label = f"  [{index + 1}/{self.total}] {phase}"
        self.current = (label, time.perf_counter())
        if self.console.is_terminal:
            self.status = self.console.status(label + " …")
            self.status.start()
        else:
            self.console.print(label + " …")

    def stop(self) -> None:
        self._finish_current()

    def _finish_current(self) -> None:
        if self.status is not None:
            self.status.stop()
            self.status = None
        if self.current is not None:
            label, started = self.current
            self.console.print(f"{label}: done in {time.perf_counter() - started:.1f} s")
            self.current = None


def print_demo_logins() -> None:
    """The six demo logins and their shared password."""
    from bridgework.core.demo.generator import DEMO_PASSWORD
    from bridgework.demo import demo_logins

    typer.echo("")
    typer.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for role, username, name in demo_logins():
        typer.echo(f"  {role:<16} {username:<10} {name}")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
