"""The ``bridgework`` command line: thin commands over services and ``core``.

Each command parses its options, calls a service, and turns domain errors into
a clear message with a non-zero exit code.
"""

from __future__ import annotations

import typer

from bridgework import __version__

app = typer.Typer(
    name="bridgework",
    help="Bridgework: map the open talent network, find bridges, mentor relationship "
    "behaviors and measure the return on impact.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    from bridgework.cli import accounts, demo, events, importing, server
    from bridgework.cli import analysis as analysis_cli
    from bridgework.cli import people as people_cli
    from bridgework.cli import ties as ties_cli

    app.command("version", help="Print the Bridgework version.")(version)
    server.register(app)
    demo.register(app)
    accounts.register(app)
    people_cli.register(app)
    importing.register(app)
    events.register(app)
    ties_cli.register(app)
    analysis_cli.register(app)


def version() -> None:
    typer.echo(f"bridgework {__version__}")


_register()


def run() -> None:
    """Console-script entry point."""
    app(prog_name="bridgework")
