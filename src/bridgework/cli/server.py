"""``bridgework serve``, ``worker`` and ``migrate``."""

from __future__ import annotations

import signal
import subprocess
import sys

import typer

from bridgework.cli.base import setup_django


def migrate(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show each migration."),
) -> None:
    """Create or upgrade the app database to the current schema."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if verbose else 0)
    typer.echo("Database is up to date.")


def worker() -> None:
    """Run the background task worker (imports, recomputations, e-mail)."""
    setup_django()
    from django.core.management import call_command

    call_command("run_huey")


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    threads: int = typer.Option(8, help="Request threads."),
    with_worker: bool = typer.Option(
        True, "--with-worker/--no-worker", help="Also start the background task worker."
    ),
) -> None:
    """Serve the web app (and, by default, its task worker) until Ctrl-C."""
    setup_django()
    from django.core.management import call_command
    from waitress import serve as waitress_serve

    from bridgework.config.wsgi import application

    call_command("migrate", interactive=False, verbosity=0)
    worker_process = None
    if with_worker:
        from bridgework.interactions.services import import_runs_mark_interrupted

        # The embedded worker starts fresh: imports it was running are over.
        if interrupted := import_runs_mark_interrupted():
            typer.echo(f"Marked {interrupted} interrupted import(s) as failed.")
        worker_process = subprocess.Popen([sys.executable, "-m", "bridgework", "worker"])
        typer.echo(f"Task worker started (pid {worker_process.pid}).")

    def stop(*_args):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    typer.echo(f"Bridgework is running on http://{host}:{port}/  (Ctrl-C to stop)")
    try:
        waitress_serve(application, host=host, port=port, threads=threads, ident="bridgework")
    except KeyboardInterrupt:
        pass
    finally:
        if worker_process is not None:
            worker_process.terminate()
            try:
                worker_process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker_process.kill()
        typer.echo("Stopped.")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("worker")(worker)
    app.command("migrate")(migrate)
