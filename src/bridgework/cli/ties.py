"""``bridgework ties ...``: recompute ties from the event store, send nudge digests."""

from __future__ import annotations

import time

import typer

from bridgework.cli.base import fail, setup_django

ties_app = typer.Typer(
    name="ties",
    help="Ties between people: recompute them from the event store, e-mail nudge digests.",
    no_args_is_help=True,
)

_STAGES = {
    "aggregating": "Aggregating events",
    "scoring": "Scoring ties",
    "writing": "Writing ties",
    "nudges": "Refreshing nudges",
    "done": "Done",
}


def _people_ids(value: str | None) -> list[int] | None:
    if value is None:
        return None
    try:
        ids = [int(part) for part in value.replace(" ", "").split(",") if part]
    except ValueError:
        raise fail(
            f"--people takes person ids separated by commas, e.g. 1,2,3 (not {value!r})."
        ) from None
    if not ids:
        raise fail("--people needs at least one person id.")
    return ids


@ties_app.command("recompute")
def recompute(
    full: bool = typer.Option(
        False, "--full", help="Recompute every tie (the default when --people is not given)."
    ),
    people: str = typer.Option(
        None, "--people", metavar="ID,ID,...", help="Recompute only the ties of these people."
    ),
) -> None:
    """Recompute ties from the event store, in this process, with a progress bar."""
    people_ids = _people_ids(people)
    if full and people_ids:
        raise fail("Give --full or --people, not both.")
    setup_django()
    from django.core.management import call_command

    from bridgework.network.models import TieRecompute
    from bridgework.network.services import ties_recompute

    call_command("migrate", interactive=False, verbosity=0)
    started = time.monotonic()
    run = _with_progress_bar(
        lambda on_progress: ties_recompute(
            full=people_ids is None,
            people=people_ids,
            on_progress=on_progress,
            reason="command line",
        )
    )
    if run.status != TieRecompute.Status.SUCCEEDED:
        raise fail(run.error or "The recomputation did not finish.")
    _print_summary(run, seconds=time.monotonic() - started)


def _with_progress_bar(work):
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        TextColumn("{task.description:<20}"),
        BarColumn(),
        TaskProgressColumn(),
        MofNCompleteColumn(),
        TextColumn("pairs"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    ) as bar:
        task = bar.add_task(_STAGES["aggregating"], total=None)

        def show(progress) -> None:
            bar.update(
                task,
                description=_STAGES.get(progress.stage, progress.stage),
                completed=progress.done,
                total=progress.total or None,
            )

        return work(show)


def _print_summary(run, *, seconds: float) -> None:
    from rich.console import Console
    from rich.table import Table

    from bridgework.network.models import Band

    table = Table()
    table.add_column("what")
    table.add_column("count", justify="right")
    if run.people:
        table.add_row("People", f"{len(run.people):,}")
    table.add_row("Pairs scored", f"{run.pairs_total:,}")
    table.add_row("Ties written", f"{run.ties_written:,}")
    table.add_row("Ties replaced", f"{run.ties_deleted:,}")
    for band in Band:
        table.add_row(f"  {band.label}", f"{run.bands.get(band.value, 0):,}")
    table.add_row("Active nudges", f"{run.nudges:,}")
    table.add_row("Time", f"{seconds:.1f} s")
    console = Console()
    console.print(table)
    console.print(
        f"Tie recomputation #{run.pk} ({run.get_kind_display().lower()}): "
        f"{run.ties_written:,} ties in {seconds:.1f} s."
    )
    if run.error:
        console.print(f"Warning: {run.error}")


@ties_app.command("digest")
def digest(
    dry_run: bool = typer.Option(
        False, "--dry-run", help="List who would get a digest and how many nudges; send nothing."
    ),
) -> None:
    """E-mail everyone with a login their active nudges now (the worker does it every Monday)."""
    setup_django()
    from django.core.management import call_command
    from rich.console import Console
    from rich.table import Table

    from bridgework.network.services import nudge_digests_send_all
    from bridgework.people.models import Person

    call_command("migrate", interactive=False, verbosity=0)
    sent = nudge_digests_send_all(dry_run=dry_run)
    if not sent:
        typer.echo("Nobody has active nudges: no digest to send.")
        return
    people = Person.objects.in_bulk(list(sent))
    table = Table(title="Digests that would be sent" if dry_run else "Digests sent")
    table.add_column("Person")
    table.add_column("E-mail")
    table.add_column("Nudges", justify="right")
    for person_id, count in sorted(sent.items(), key=lambda item: people[item[0]].full_name):
        person = people[person_id]
        table.add_row(person.full_name, person.primary_email, str(count))
    Console().print(table)
    verb = "Would send" if dry_run else "Sent"
    typer.echo(f"{verb} {len(sent)} digest{'s' if len(sent) != 1 else ''}.")


def register(app: typer.Typer) -> None:
    app.add_typer(ties_app, name="ties")
