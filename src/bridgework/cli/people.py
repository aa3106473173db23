"""``bridgework people ...``: possible duplicates, merging people and undoing merges,
downloading everything held about a person and erasing them.

The commands act as the command line itself (``actor=None`` in the services):
whoever can run them can reach the database anyway. The audit log records
their changes as made "via the command line".
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bridgework.cli.base import fail, setup_django

people_app = typer.Typer(
    name="people",
    help="People in the directory: possible duplicates, merges and undoing them, "
    "a person's data download and erasure.",
    no_args_is_help=True,
)


def _console():
    from rich.console import Console

    return Console()


def _error(exc: Exception) -> str:
    from django.core.exceptions import ValidationError

    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


@people_app.command("merge")
def merge(
    keep_id: int = typer.Argument(..., help="Id of the person who stays."),
    drop_id: int = typer.Argument(..., help="Id of the person merged into KEEP_ID and removed."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Merge without asking to confirm."),
) -> None:
    """Merge person DROP_ID into person KEEP_ID; `bridgework people unmerge` undoes it."""
    setup_django()
    from django.core.exceptions import ValidationError
    from rich.table import Table

    from bridgework.core.errors import NotFoundError
    from bridgework.core.events.store import StoreBusyError
    from bridgework.people import selectors, services

    for person_id in (keep_id, drop_id):
        try:
            selectors.access_person_to_merge(viewer=None, person_id=person_id)
        except NotFoundError:
            raise fail(f"No person with id {person_id}.") from None
    if keep_id == drop_id:
        raise fail("KEEP_ID and DROP_ID are the same person.")
    preview = selectors.merge_preview(viewer=None, keep_id=keep_id, drop_id=drop_id)
    table = Table(
        title=f"#{drop_id} {preview.drop.full_name} → #{keep_id} {preview.keep.full_name}",
        show_header=False,
    )
    for label, value in preview.rows():
        table.add_row(label, value)
    _console().print(table)
    if not yes:
        typer.confirm(
            f"Merge {preview.drop.full_name} (#{drop_id}) into {preview.keep.full_name} (#{keep_id})?",
            abort=True,
        )
    try:
        result = services.person_merge(actor=None, keep=preview.keep, drop=preview.drop)
    except (ValidationError, StoreBusyError) as exc:
        raise fail(_error(exc)) from None
    typer.echo(
        f"Merged #{drop_id} {result.dropped_name} into #{keep_id} {preview.keep.full_name} "
        f"(merge #{result.pk}; {result.events_changed} events and ties re-pointed). "
        f"Undo with: bridgework people unmerge {result.pk}"
    )


@people_app.command("unmerge")
def unmerge(merge_id: int = typer.Argument(..., help="Id of the merge to undo.")) -> None:
    """Undo a merge: the merged-in person comes back under their old id with all that moved."""
    setup_django()
    from django.core.exceptions import ValidationError

    from bridgework.core.errors import NotFoundError
    from bridgework.core.events.store import StoreBusyError
    from bridgework.people import selectors, services

    try:
        found = selectors.access_person_merge(viewer=None, merge_id=merge_id)
    except NotFoundError:
        raise fail(f"No merge #{merge_id}.") from None
    try:
        person = services.person_merge_undo(actor=None, merge=found)
    except (ValidationError, StoreBusyError) as exc:
        raise fail(_error(exc)) from None
    typer.echo(f"Merge #{merge_id} undone: #{person.pk} {person.full_name} is back.")


@people_app.command("matches")
def matches(
    limit: int = typer.Option(50, min=1, help="Show at most this many, newest first."),
) -> None:
    """List possible duplicates that imports found, waiting for review."""
    setup_django()
    from rich.table import Table

    from bridgework.people import selectors

    reviews = selectors.match_review_list(viewer=None)
    total = reviews.count()
    if not total:
        typer.echo("No possible duplicates to review.")
        return
    table = Table(title=f"Possible duplicates ({total})")
    for column in ("Review", "New person", "Already in the directory", "Reason"):
        table.add_column(column)

    def who(person) -> str:
        email = person.primary_email
        where = person.organization.name if person.organization else ""
        return " · ".join(
            part for part in (f"#{person.pk} {person.full_name}", email, where) if part
        )

    for review in reviews[:limit]:
        table.add_row(str(review.pk), who(review.new_person), who(review.candidate), review.reason)
    _console().print(table)
    typer.echo(
        "Merge one with: bridgework people merge <existing id> <new id>; "
        "keep them apart with: bridgework people dismiss <review>"
    )


@people_app.command("dismiss")
def dismiss(review_id: int = typer.Argument(..., help="Id of the review (see `matches`).")) -> None:
    """Mark a possible duplicate as two different people; it is not listed again."""
    setup_django()
    from django.core.exceptions import ValidationError

    from bridgework.core.errors import NotFoundError
    from bridgework.people import selectors, services

    try:
        review = selectors.access_match_review(viewer=None, review_id=review_id)
    except NotFoundError:
        raise fail(f"No review #{review_id}.") from None
    try:
        services.match_review_dismiss(actor=None, review=review)
    except ValidationError as exc:
        raise fail(_error(exc)) from None
    typer.echo(f"Review #{review_id}: {review.new_person} and {review.candidate} stay apart.")


@people_app.command("export")
def export(
    person_id: Annotated[int, typer.Argument(help="Id of the person whose data to download.")],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="The zip file to write (README.txt, JSON and CSV inside)."
        ),
    ],
    force: bool = typer.Option(False, "--force", help="Overwrite OUT if it exists."),
) -> None:
    """Write everything Bridgework holds about a person to a zip (audited)."""
    setup_django()
    from bridgework.core.errors import NotFoundError
    from bridgework.people import rights

    if out.exists() and not force:
        raise fail(f"{out} exists; pass --force to overwrite it.")
    try:
        person = rights.access_person_for_export(viewer=None, person_id=person_id)
    except NotFoundError:
        raise fail(f"No person with id {person_id}.") from None
    content = rights.person_data_export(actor=None, person=person)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    typer.echo(
        f"Wrote the data of #{person_id} {person.full_name} to {out} ({len(content)} bytes)."
    )


@people_app.command("erase")
def erase(
    person_id: int = typer.Argument(..., help="Id of the person to erase."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Erase without asking to confirm."),
) -> None:
    """Erase a person and everything Bridgework holds about them, for good (audited)."""
    setup_django()
    from django.core.exceptions import ValidationError
    from rich.table import Table

    from bridgework.core.errors import NotFoundError
    from bridgework.core.events.store import StoreBusyError
    from bridgework.people import rights

    try:
        person = rights.access_person_for_erasure(viewer=None, person_id=person_id)
    except NotFoundError:
        raise fail(f"No person with id {person_id}.") from None
    table = Table(title=f"What goes with #{person_id} {person.full_name}")
    for column in ("Part", "What", "Rows"):
        table.add_column(column)
    for part, what, rows in rights.person_erase_preview(viewer=None, person=person):
        table.add_row(part, what, str(rows))
    _console().print(table)
    if not yes:
        typer.confirm(
            f"Erase {person.full_name} (#{person_id}) for good? This cannot be undone.",
            abort=True,
        )
    try:
        result = rights.person_erase(actor=None, person=person)
    except (ValidationError, StoreBusyError) as exc:
        raise fail(_error(exc)) from None
    events = result.counts.get("events", {})
    typer.echo(
        f"Erased person #{person_id}: {result.total} rows removed or anonymised "
        f"({events.get('events_deleted', 0)} events deleted, "
        f"{events.get('events_anonymised', 0)} anonymised). "
        f"Audit entry #{result.audit_entry.pk if result.audit_entry else '?'}."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(people_app, name="people")
