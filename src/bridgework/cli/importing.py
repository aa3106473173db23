"""``bridgework import``: import source files into the event store, in-process."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from bridgework.cli.base import fail, setup_django

#: Issues printed after the summary; the web page and the API list up to 1000.
ISSUES_SHOWN = 10


#: The service's field names (the web form's) as this command spells them; a
#: field with no option here (files, paths, format) is left unnamed: its message
#: says what is wrong on its own.
OPTION_OF_FIELD = {
    "since": "--since",
    "until": "--until",
    "internal_domains": "--internal-domain",
    "column_mapping": "--map",
    "owner_email": "--owner",
}


def _validation_message(exc) -> str:
    """A service's refusal in this command's words: ``--since: Give a date like ...``,
    never a web form's field name."""
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    parts = []
    for field, messages in exc.message_dict.items():
        text = " ".join(messages)
        option = OPTION_OF_FIELD.get(field)
        parts.append(f"{option}: {text}" if option else text)
    return "; ".join(parts)


def import_files(
    format_name: Annotated[
        str,
        typer.Argument(
            metavar="FORMAT",
            help="mbox, maildir, ics, vcard, linkedin, csv, slack, viva-person or viva-p2p.",
        ),
    ],
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH...", help="Files (or folders, for maildir and slack) to import."
        ),
    ],
    since: str = typer.Option(None, help="Leave out what happened before this day (YYYY-MM-DD)."),
    until: str = typer.Option(
        None, help="Leave out what happened after this day (YYYY-MM-DD, inclusive)."
    ),
    internal_domain: Annotated[
        list[str] | None,
        typer.Option(
            "--internal-domain",
            help="An e-mail domain of our organization (repeat for several); added to "
            "BRIDGEWORK_INTERNAL_DOMAINS.",
        ),
    ] = None,
    column_map: Annotated[
        list[str] | None,
        typer.Option(
            "--map", help="CSV: field=column, e.g. --map email='E-mail Address' (repeat)."
        ),
    ] = None,
    owner: str = typer.Option(
        None, help="E-mail address of the mailbox, calendar or address-book owner."
    ),
    include_automated: bool = typer.Option(
        False, "--include-automated", help="Keep mailing lists, no-reply and robot senders."
    ),
) -> None:
    """Import e-mail, calendars, contacts, chat or Viva Insights files into the event store."""
    setup_django()
    from django.core.exceptions import ValidationError
    from django.core.management import call_command

    from bridgework.core.errors import BridgeworkError
    from bridgework.core.ingest import readers
    from bridgework.interactions.models import ImportRun
    from bridgework.interactions.services import import_run_execute, import_start

    known = readers()
    if format_name not in known:
        raise fail(f"Unknown format {format_name!r}; choose one of: {', '.join(known)}.")
    missing = [str(path) for path in paths if not path.exists()]
    if missing:
        raise fail(f"No such file or folder: {', '.join(missing)}")
    call_command("migrate", interactive=False, verbosity=0)
    options = {
        "since": since,
        "until": until,
        "internal_domains": list(internal_domain or ()),
        "column_mapping": list(column_map or ()),
        "owner_email": owner or "",
        "include_automated": include_automated,
    }
    try:
        run = import_start(
            actor=None,
            format=format_name,
            paths=paths,
            options=options,
            origin=ImportRun.Origin.CLI,
            enqueue=False,
        )
    except ValidationError as exc:
        raise fail(_validation_message(exc)) from None
    except BridgeworkError as exc:
        raise fail(str(exc)) from None

    run = _run_with_progress_bar(run, import_run_execute, label=known[format_name].label)
    if run.status != ImportRun.Status.SUCCEEDED:
        raise fail(run.error or "The import did not finish.")
    _print_summary(run)


def _run_with_progress_bar(run, execute, *, label: str):
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TransferSpeedColumn,
    )

    started = time.monotonic()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TextColumn("{task.fields[records]:,} records ({task.fields[rate]:,.0f}/s)"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    ) as bar:
        task = bar.add_task(label, total=run.bytes_total or None, records=0, rate=0.0)

        def show(progress) -> None:
            elapsed = max(time.monotonic() - started, 1e-6)
            bar.update(
                task,
                completed=progress.bytes_done,
                total=progress.bytes_total or None,
                records=progress.records,
                rate=progress.records / elapsed,
            )

        run = execute(run_id=run.pk, on_progress=show)
        if run.status == run.Status.SUCCEEDED:
            bar.update(
                task,
                completed=run.bytes_total,
                total=run.bytes_total or 1,
                records=run.records,
                rate=run.records / max(time.monotonic() - started, 1e-6),
            )
    return run


def _print_summary(run) -> None:
    from rich.console import Console
    from rich.table import Table

    from bridgework.core.ingest.pipeline import accounting

    report = run.report
    account = accounting(report)
    console = Console()
    summary = Table(title=f"Import #{run.pk}: {run.format}", show_header=False)
    summary.add_column("what")
    summary.add_column("count", justify="right")
    rows = [
        ("Files", len(report.get("files", []))),
        ("Records read", account.read),
        ("Stored", account.stored_total),
        *((f"  {label}", count) for label, count in account.stored),
        ("Skipped", account.skipped_total),
        *((f"  {label}", count) for label, count in account.skipped),
        ("Errors", account.errors),
        ("People created", report.get("people_created", 0)),
        ("People matched", report.get("people_matched", 0)),
        ("Uncertain matches", report.get("people_uncertain", 0)),
    ]
    for label, value in rows:
        summary.add_row(label, f"{value:,}")
    console.print(summary)
    console.print(
        f"Records read = stored + skipped + errors: {account.read:,} = "
        f"{account.stored_total:,} + {account.skipped_total:,} + {account.errors:,}",
        soft_wrap=True,
    )
    issues = report.get("issues", [])
    if issues:
        table = Table(
            title=f"First problems ({min(len(issues), ISSUES_SHOWN)} of {report.get('issue_count', len(issues)):,})"
        )
        table.add_column("File")
        table.add_column("Position")
        table.add_column("Reason")
        for issue in issues[:ISSUES_SHOWN]:
            table.add_row(issue["file"], issue["position"], issue["reason"])
        console.print(table)
    console.print(f"Recorded as import #{run.pk} (web: /interactions/import/{run.pk}/).")


def register(app: typer.Typer) -> None:
    app.command("import")(import_files)
