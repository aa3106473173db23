"""``bridgework analyze`` and ``bridgework report network``: the network analysis from the shell.

``analyze`` runs the whole pipeline from the event store (tie recomputation,
then every metric) and stores the run for the web app -- or, with ``--viva``,
runs straight on a Viva Insights person-to-person export without touching
the app. Either way ``--out`` writes the tables as Parquet or CSV for a
notebook. ``report network`` renders the latest stored run (or a Viva
export) as HTML or PDF.
"""

from __future__ import annotations

import time
import warnings
from pathlib import Path
from typing import Annotated

import typer

from bridgework.cli.base import fail, setup_django

report_app = typer.Typer(
    name="report",
    help="Reports: the organizational network report as HTML or PDF.",
    no_args_is_help=True,
)


def _progress_bar():
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description:<20}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("steps"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    )


def _viva_network(viva: Path, person_query: Path | None):
    from bridgework.core.graph.sources import DroppedRowsWarning, network_from_viva
    from bridgework.core.ingest.records import FormatError

    for path in (viva, person_query):
        if path is not None and not path.is_file():
            raise fail(f"{path} does not exist or is not a file.")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", DroppedRowsWarning)
        try:
            loaded = network_from_viva(viva, person_query=person_query)
        except FormatError as exc:
            raise fail(f"{viva.name}: {exc}") from None
        except ValueError as exc:
            raise fail(str(exc)) from None
    for warning in caught:
        if issubclass(warning.category, DroppedRowsWarning):
            typer.secho(f"Warning: {warning.message}", fg=typer.colors.YELLOW, err=True)
        else:  # not ours to word: pass it on as Python would have shown it
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    if loaded.issues:
        typer.secho(
            f"{len(loaded.issues)} row(s) skipped, e.g. {loaded.issues[0].position}: "
            f"{loaded.issues[0].reason}",
            fg=typer.colors.YELLOW,
            err=True,
        )
    return loaded.network


def _analyze_network(network, options):
    from bridgework.core.graph.analysis import analyze

    with _progress_bar() as bar:
        task = bar.add_task("Starting", total=None)

        def show(step: str, done: int, total: int) -> None:
            bar.update(task, description=step.capitalize(), completed=done, total=total)

        return analyze(network, options=options, progress=show)


def _summary_table(summary: dict, seconds: float) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Network analysis")
    table.add_column("what")
    table.add_column("value", justify="right")
    for key, label, fmt in (
        ("people", "People", "{:,}"),
        ("ties", "Ties", "{:,}"),
        ("components", "Components", "{:,}"),
        ("communities", "Communities", "{:,}"),
        ("modularity", "Modularity", "{:.3f}"),
        ("nmi", "Communities vs teams (NMI)", "{:.3f}"),
        ("ari", "Communities vs teams (ARI)", "{:.3f}"),
        ("silos", "Silos", "{:,}"),
    ):
        value = summary.get(key)
        if value is not None:
            table.add_row(label, fmt.format(value))
    if not summary.get("betweenness_exact", True):
        table.add_row(
            "Betweenness",
            f"estimated from {summary['betweenness_samples']:,} sampled paths, "
            f"±{summary['betweenness_error_bound']:.3f} "
            f"({summary.get('betweenness_confidence', 0.9):.0%})",
        )
    if summary.get("burt_weighted") is False:
        table.add_row("Burt's measures", "unweighted (every tie counts 1)")
    table.add_row("Time", f"{seconds:.1f} s")
    Console().print(table)


def analyze_command(
    viva: Annotated[
        Path | None,
        typer.Option(
            "--viva",
            help="Analyze a Viva Insights person-to-person query (.csv) directly, without the app.",
        ),
    ] = None,
    person_query: Annotated[
        Path | None,
        typer.Option(
            "--person-query", help="With --viva: a Viva person query for HR attributes (team)."
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write the result tables (people, groups, matrix, ...) to this folder."
        ),
    ] = None,
    fmt: str = typer.Option("parquet", "--format", help="Table format for --out: parquet or csv."),
    skip_ties: bool = typer.Option(
        False, "--skip-ties", help="Use the stored ties as they are (no recomputation first)."
    ),
    unweighted_burt: bool = typer.Option(
        False,
        "--unweighted-burt",
        help=(
            "With --viva: compute constraint, effective size and hierarchy on the plain "
            "graph (every tie counts 1), Burt's standard measures."
        ),
    ),
) -> None:
    """Run the organizational network analysis with a progress bar.

    Without --viva: recompute ties from the event store, analyze them and
    store the run (the web app's Organization page shows it). With --viva:
    analyze the export only; nothing is stored unless --out is given.
    """
    if fmt not in ("parquet", "csv"):
        raise fail(f"--format must be parquet or csv, not {fmt!r}.")
    if person_query is not None and viva is None:
        raise fail("--person-query goes with --viva.")
    if unweighted_burt and viva is None:
        raise fail(
            "--unweighted-burt goes with --viva: a stored run weights Burt's measures "
            "by tie strength."
        )
    started = time.monotonic()
    if viva is not None:
        from bridgework.core.graph.analysis import AnalysisOptions

        network = _viva_network(viva, person_query)
        result = _analyze_network(network, AnalysisOptions(weighted_burt=not unweighted_burt))
        summary = result.summary
    else:
        setup_django()
        from django.core.management import call_command

        from bridgework.analysis.models import AnalysisRun
        from bridgework.analysis.services import analysis_run_folder, analysis_start

        call_command("migrate", interactive=False, verbosity=0)
        if not skip_ties:
            from bridgework.cli.ties import _with_progress_bar
            from bridgework.network.models import TieRecompute
            from bridgework.network.services import ties_recompute

            recompute = _with_progress_bar(
                lambda on_progress: ties_recompute(
                    full=True, on_progress=on_progress, reason="bridgework analyze"
                )
            )
            if recompute.status != TieRecompute.Status.SUCCEEDED:
                raise fail(recompute.error or "The tie recomputation did not finish.")
        with _progress_bar() as bar:
            task = bar.add_task("Starting", total=None)

            def show(step: str, done: int, total: int) -> None:
                bar.update(task, description=step.capitalize(), completed=done, total=total)

            run = analysis_start(run_now=True, on_progress=show)
        if run.status != AnalysisRun.Status.SUCCEEDED:
            raise fail(run.error or "The analysis did not finish.")
        summary = run.summary
        result = None
        if out is not None:
            from bridgework.core.graph.analysis import NetworkAnalysis

            result = NetworkAnalysis.read(analysis_run_folder(run.pk), summary=summary)
    _summary_table(summary, time.monotonic() - started)
    if out is not None and result is not None:
        paths = result.write(out, fmt=fmt)
        typer.echo(f"Wrote {len(paths)} tables to {out}: {', '.join(p.name for p in paths)}")


@report_app.command("network")
def report_network(
    out: Annotated[
        Path, typer.Option("--out", help="Where to write the report: a .pdf or .html file.")
    ],
    audience: str = typer.Option(
        "leader",
        "--audience",
        help="leader: groups only, none under the minimum size; analyst: names included.",
    ),
    viva: Annotated[
        Path | None,
        typer.Option("--viva", help="Report on a Viva Insights person-to-person query instead."),
    ] = None,
    person_query: Annotated[
        Path | None,
        typer.Option("--person-query", help="With --viva: a Viva person query for HR attributes."),
    ] = None,
    minimum: int = typer.Option(
        None, "--min-group", help="Smallest group shown (default: the deployment's setting, 5)."
    ),
) -> None:
    """Write the organizational network report (key findings and plots) as PDF or HTML."""
    if out.suffix.lower() not in (".pdf", ".html"):
        raise fail(f"--out must end in .pdf or .html (got {out.name!r}).")
    if audience not in ("leader", "analyst"):
        raise fail(f"--audience must be leader or analyst, not {audience!r}.")
    if minimum is not None and minimum < 3:
        raise fail("--min-group cannot be below 3.")
    setup_django()
    from django.conf import settings

    from bridgework.analysis.report import write_network_report

    computed_at = None
    if viva is not None:
        from bridgework.core.graph.analysis import AnalysisOptions

        result = _analyze_network(_viva_network(viva, person_query), AnalysisOptions(layout=False))
        organization = viva.stem
    else:
        from django.core.management import call_command

        from bridgework.analysis.selectors import latest_run
        from bridgework.analysis.services import analysis_run_folder
        from bridgework.core.graph.analysis import NetworkAnalysis

        call_command("migrate", interactive=False, verbosity=0)
        run = latest_run()
        if run is None:
            raise fail("No network analysis has been run yet: run `bridgework analyze` first.")
        result = NetworkAnalysis.read(analysis_run_folder(run.pk), summary=run.summary)
        computed_at = run.finished_at
        organization = ""
    try:
        path = write_network_report(
            result,
            out,
            audience=audience,
            minimum_group_size=minimum or settings.PRIVACY_MIN_GROUP_SIZE,
            organization=organization,
            computed_at=computed_at,
        )
    except RuntimeError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"Wrote the {audience} network report to {path}")


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze_command)
    app.add_typer(report_app, name="report")
