"""The layering rules of docs/architecture.md, enforced.

import-linter checks the layers, each app's inner order and the absence of
cycles between siblings (``pyproject.toml``, run here and by ``make lint``).
The tests below are a second, independent look at the same rules, plus the
ones import-linter cannot see: cycles between any two modules, funnels that
every read must go through, pages and API that do not query models,
templates that only reach down, and background jobs that exist.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx

SRC = Path(__file__).resolve().parent.parent / "src" / "bridgework"

#: Top to bottom; a part may import only parts after it (docs/architecture.md).
LAYERS = [
    {"cli"},
    {"config"},
    {"demo"},
    {"impact"},
    {"mentoring"},
    {"analysis", "interactions"},
    {"network"},
    {"people"},
    {"accounts"},
    {"web", "eventstore", "jobs"},
    {"core"},
]
RANK = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}
APPS = ["accounts", "people", "network", "interactions", "analysis", "mentoring", "impact"]


def _is_test(module: str) -> bool:
    return ".tests" in module or module.endswith("conftest") or ".conftest" in module


def test_import_contracts_hold():
    """import-linter's contracts (pyproject.toml): core framework-free, layers, cycles."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=SRC.parent.parent,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for contract in ("core is framework-free", "layers:", "inside every app", "no import cycles"):
        assert contract in result.stdout


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("bridgework")


def test_no_import_cycles_at_all():
    """No module reaches itself through imports, lazy (inside a function) or not."""
    graph = _graph()
    edges = [
        (module, imported)
        for module in graph.modules
        if not _is_test(module)
        for imported in graph.find_modules_directly_imported_by(module)
        if not _is_test(imported)
    ]
    cycles = [sorted(c) for c in nx.strongly_connected_components(nx.DiGraph(edges)) if len(c) > 1]
    assert cycles == []


def test_every_import_points_down_the_layers():
    """Each import, lazy ones included, goes to the same part or a lower layer."""
    graph = _graph()
    upward = []
    for module in sorted(graph.modules):
        parts = module.split(".")
        if len(parts) < 2 or parts[1] not in RANK or _is_test(module):
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            other = imported.split(".")
            if len(other) < 2 or other[0] != "bridgework" or other[1] not in RANK:
                continue
            if parts[1] != other[1] and RANK[other[1]] <= RANK[parts[1]]:
                upward.append(f"{module} -> {imported}")
    assert upward == []


def test_the_layer_list_matches_the_contract():
    import tomllib

    config = tomllib.loads((SRC.parent.parent / "pyproject.toml").read_text())
    contract = next(
        c
        for c in config["tool"]["importlinter"]["contracts"]
        if c["type"] == "layers" and "containers" not in c
    )
    written = [
        {m.strip().removeprefix("bridgework.") for m in layer.split("|")}
        for layer in contract["layers"]
    ]
    assert written == LAYERS


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_has_no_framework_import_even_lazily():
    """A second, independent check: no import of django anywhere under core/, even inside functions."""
    offenders = {
        str(path.relative_to(SRC)): sorted(
            m for m in _imported_modules(path) if m.split(".")[0] == "django"
        )
        for path in (SRC / "core").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def _interface_modules() -> list[Path]:
    """Every module that answers a request: views and API, as files or packages."""
    found = []
    for app in APPS:
        for name in ("views", "api"):
            module = SRC / app / f"{name}.py"
            package = SRC / app / name
            found += [module] if module.exists() else sorted(package.rglob("*.py"))
    return found


def _model_names() -> set[str]:
    names = set()
    for app in APPS:
        for path in [SRC / app / "models.py", *sorted((SRC / app / "models").rglob("*.py"))]:
            if path.exists():
                tree = ast.parse(path.read_text())
                names |= {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    return names


def test_pages_and_api_do_not_query_models_directly():
    """Views and API read through selectors (which take the viewer) and write through services."""
    models = _model_names()
    offenders = []
    for path in _interface_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and (
                    (node.attr == "objects" and node.value.id in models)
                    # a model held in a variable: ``model._default_manager``
                    or node.attr in {"_default_manager", "_base_manager"}
                )
            ):
                offenders.append(
                    f"{path.relative_to(SRC)}:{node.lineno}: {node.value.id}.{node.attr}"
                )
    assert offenders == []


def test_interface_module_list_covers_views_and_api():
    names = {p.relative_to(SRC).as_posix() for p in _interface_modules()}
    assert {"people/views.py", "people/api.py", "impact/api.py", "network/views.py"} <= names


#: The only modules that touch ``Tie.objects``: the funnel itself and the
#: network app's writers (the recomputation, the demo). Everything else reads
#: ``network.selectors.consented_ties``.
TIE_FUNNEL = {"network/selectors.py", "network/services.py", "network/models.py", "network/demo.py"}


def test_every_read_of_ties_goes_through_the_consent_funnel():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative in TIE_FUNNEL or "/tests/" in relative or "/migrations/" in relative:
            continue
        text = path.read_text()
        for pattern in (
            r"\bTie\.objects\b",
            r"\bties_as_[ab]\b",
            r"\bTie\._(base|default)_manager\b",
        ):
            offenders += [f"{relative}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert offenders == []


def test_inside_the_network_app_only_the_funnel_reads_ties_without_consent():
    """In network/selectors.py ``Tie.objects`` appears only in ``consented_ties`` (and a count)."""
    tree = ast.parse((SRC / "network" / "selectors.py").read_text())
    users = set()
    for function in (n for n in tree.body if isinstance(n, ast.FunctionDef)):
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Attribute)
                and node.attr == "objects"
                and isinstance(node.value, ast.Name)
                and node.value.id == "Tie"
            ):
                users.add(function.name)
    assert users <= {"consented_ties", "_graph_key"}, users


TEMPLATE_REFERENCE = re.compile(r"""\{%\s*(?:include|extends)\s+["'](\w+)/""")


def test_templates_include_only_their_own_app_lower_apps_or_shared_parts():
    """A template relies on another app's template only downwards (links by URL name are free)."""
    offenders = []
    for app in APPS:
        for path in sorted((SRC / app / "templates").rglob("*.html")):
            for match in TEMPLATE_REFERENCE.finditer(path.read_text()):
                other = match.group(1)
                if other in RANK and other != app and RANK[other] <= RANK[app]:
                    offenders.append(f"{path.relative_to(SRC)}: {match.group(0)}")
    assert offenders == []


def test_every_queued_job_has_a_task():
    """Each ``jobs.enqueue("name", ...)`` in the code names a job a task handles."""
    from bridgework import jobs

    queued = set()
    for path in SRC.rglob("*.py"):
        if "/tests/" in path.as_posix():
            continue
        queued |= set(re.findall(r"jobs\.enqueue\(\s*[\"']([\w.]+)[\"']", path.read_text()))
    assert queued, "services queue their work through bridgework.jobs"
    assert queued <= jobs.registered(), sorted(queued - jobs.registered())


def test_models_take_their_timestamps_from_the_shared_abstract_models():
    """``created_at`` (and ``updated_at`` beside it) come from ``web.models``; a
    model only redeclares one to add an index."""
    from django.apps import apps

    from bridgework.web.models import CreatedAtModel, TimestampedModel

    plain = []
    for model in apps.get_models():
        if not model.__module__.startswith("bridgework."):
            continue
        names = {f.name for f in model._meta.get_fields()}
        if "created_at" in names and not issubclass(model, CreatedAtModel):
            plain.append(f"{model.__name__}.created_at")
        if {"created_at", "updated_at"} <= names and not issubclass(model, TimestampedModel):
            plain.append(f"{model.__name__}.updated_at")
    assert plain == []


#: Above this many lines a module is split into a package by topic, or says
#: in its docstring why not (with these words).
LONG_MODULE_LINES = 800
LONG_ON_PURPOSE = "Long on purpose:"


def test_long_modules_are_split_or_say_why():
    long = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if "/migrations/" in relative or "/tests/" in relative:
            continue
        text = path.read_text()
        if text.count("\n") > LONG_MODULE_LINES:
            docstring = ast.get_docstring(ast.parse(text)) or ""
            if LONG_ON_PURPOSE not in docstring:
                long.append(f"{relative}: {text.count(chr(10))} lines")
    assert long == []
