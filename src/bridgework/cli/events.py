"""``bridgework events ...``: the event store: export, import, sync and count."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bridgework.cli.base import fail, setup_django

events_app = typer.Typer(
    name="events",
    help="The event store: export to and import from Parquet, rewrite logged interactions, count.",
    no_args_is_help=True,
)


def _store():
    setup_django()
    from bridgework.eventstore import get_event_store

    return get_event_store()


@events_app.command("export")
def export(
    path: Annotated[
        Path, typer.Argument(metavar="PATH.parquet", help="The Parquet file to write.")
    ],
    ties: bool = typer.Option(
        False, "--ties", help="Export the source-scored ties (Viva Insights) instead of events."
    ),
) -> None:
    """Write every event (or, with --ties, every source tie) to a Parquet file."""
    store = _store()
    rows = store.export_parquet(path, table="source_ties" if ties else "events")
    typer.echo(f"Wrote {rows:,} {'ties' if ties else 'events'} to {path}.")


@events_app.command("import-parquet")
def import_parquet(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="A Parquet file of events.")],
) -> None:
    """Add the events of a Parquet file (as written by `events export`); duplicates are skipped."""
    if not path.exists():
        raise fail(f"No such file: {path}")
    store = _store()
    try:
        result = store.import_parquet(path)
    except ValueError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"Added {result.inserted:,} events; {result.duplicates:,} were already stored.")


@events_app.command("sync")
def sync() -> None:
    """Rewrite every interaction logged in Bridgework into the event store (a repair)."""
    setup_django()
    from django.core.management import call_command

    from bridgework.interactions.services import events_sync_from_app

    call_command("migrate", interactive=False, verbosity=0)
    written = events_sync_from_app()
    typer.echo(f"Wrote {written:,} logged interactions to the event store.")


@events_app.command("count")
def count(
    source: str = typer.Option(None, help="Only events of this source, e.g. mbox or app."),
) -> None:
    """Print how many events (and source ties) the store holds."""
    store = _store()
    events = store.count(source=source)
    ties = store.count(source=source, table="source_ties")
    where = f" from {source}" if source else ""
    typer.echo(f"{events:,} events and {ties:,} source ties{where} in {store.path}.")


def register(app: typer.Typer) -> None:
    app.add_typer(events_app, name="events")
