"""``bridgework serve``, ``worker`` and ``migrate``."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

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
    """Serve the web app (and, by default, its task worker) until Ctrl-C.

    Links in e-mails point at the address served on (unless
    ``BRIDGEWORK_SITE_URL`` says otherwise). Informational logs and the
    worker's output (e-mails included, with the console e-mail backend) go to
    ``logs/`` in the data folder; the terminal shows warnings and errors.
    """
    os.environ.setdefault("BRIDGEWORK_SITE_URL", f"http://{_public_host(host)}:{port}")
    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from waitress import serve as waitress_serve

    from bridgework.config.wsgi import application

    call_command("migrate", interactive=False, verbosity=0)
    logs = Path(settings.DATA_DIR) / "logs"
    _log_info_to_file(logs / "web.log")
    worker_process = None
    if with_worker:
        from bridgework.interactions.services import import_runs_mark_interrupted

        # The embedded worker starts fresh: imports it was running are over.
        if interrupted := import_runs_mark_interrupted():
            typer.echo(f"Marked {interrupted} interrupted import(s) as failed.")
        with open(logs / "worker.log", "ab") as worker_log:
            worker_process = subprocess.Popen(
                [sys.executable, "-m", "bridgework", "worker"],
                stdout=worker_log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        typer.echo(
            f"Task worker started (pid {worker_process.pid}); its log: {logs / 'worker.log'}"
        )

    def stop(*_args):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    _print_demo_logins()
    typer.echo("")
    typer.secho(
        f"Bridgework is running on {settings.SITE_URL}/  (Ctrl-C to stop)",
        bold=True,
    )
    try:
        waitress_serve(
            application,
            host=host,
            port=port,
            threads=threads,
            ident="bridgework",
            max_request_body_size=max_request_body_size(),
            **proxy_options(),
        )
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


def max_request_body_size() -> int:
    """The largest request body the server accepts: the largest upload any role
    may make (``IMPORT_MAX_UPLOAD_BYTES``) plus the form around it. Waitress
    answers 413 to anything declaring more before reading it; each role's own
    limit is enforced by the app while the body streams in. (Waitress refuses
    a body of its ``max_request_body_size`` itself, hence the one byte more.)"""
    from django.conf import settings

    from bridgework.interactions.uploads import FORM_ALLOWANCE

    return int(settings.IMPORT_MAX_UPLOAD_BYTES) + FORM_ALLOWANCE + 1


def proxy_options() -> dict[str, object]:
    """Waitress's options for the reverse proxy of ``BRIDGEWORK_TRUSTED_PROXY``.

    Waitress drops X-Forwarded-Proto unless it comes from a trusted proxy, so
    behind one that terminates TLS every request would look like plain HTTP
    and ``BRIDGEWORK_HTTPS``'s redirect would loop. From the trusted proxy
    (and only from it) the header is believed; from anyone else it is removed.
    """
    from django.conf import settings

    if not settings.TRUSTED_PROXY:
        return {}
    return {
        "trusted_proxy": settings.TRUSTED_PROXY,
        "trusted_proxy_headers": {"x-forwarded-proto"},
    }


def _public_host(host: str) -> str:
    """The host name for links: the machine's name when listening on every address."""
    if host in ("0.0.0.0", "::", ""):  # noqa: S104 - recognising the wildcard address, not binding to it
        return socket.getfqdn()
    if ":" in host and not host.startswith("["):
        return f"[{host}]"  # an IPv6 address in a URL
    return host


def _log_info_to_file(path: Path) -> None:
    """Informational logs to ``path``; the terminal keeps warnings and errors."""
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, logging.StreamHandler) and not isinstance(
            handler, logging.FileHandler
        ):
            handler.setLevel(logging.WARNING)
    to_file = logging.FileHandler(path)
    to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    to_file.setLevel(logging.INFO)
    root.addHandler(to_file)


def _print_demo_logins() -> None:
    from bridgework.demo import demo_is_loaded

    if demo_is_loaded():
        from bridgework.cli.demo import print_demo_logins

        print_demo_logins()


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("worker")(worker)
    app.command("migrate")(migrate)
