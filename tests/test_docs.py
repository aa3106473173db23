"""Docs ship with the code: every CLI command is documented."""

from pathlib import Path

from bridgework.cli.main import app

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _command_names() -> list[str]:
    return sorted(command.name for command in app.registered_commands)


def test_every_cli_command_is_documented():
    text = (DOCS / "cli.md").read_text()
    missing = [name for name in _command_names() if f"## `bridgework {name}`" not in text]
    assert missing == []


def test_every_cli_command_has_help_text():
    assert all(command.help or command.callback.__doc__ for command in app.registered_commands)


def _sub_commands() -> list[tuple[str, object]]:
    """``("events export", command)`` for every command of a sub-app (``app.add_typer``)."""
    return sorted(
        (
            (f"{group.name or group.typer_instance.info.name} {command.name}", command)
            for group in app.registered_groups
            for command in group.typer_instance.registered_commands
        ),
        key=lambda item: item[0],
    )


def test_every_cli_sub_command_is_documented():
    text = (DOCS / "cli.md").read_text()
    missing = [name for name, _ in _sub_commands() if f"## `bridgework {name}`" not in text]
    assert missing == []


def test_every_cli_sub_command_has_help_text():
    assert all(command.help or command.callback.__doc__ for _, command in _sub_commands())


def test_architecture_doc_names_every_app():
    text = (DOCS / "architecture.md").read_text()
    apps = [
        p.name
        for p in (Path(__file__).resolve().parent.parent / "src/bridgework").iterdir()
        if (p / "apps.py").exists()
    ]
    assert apps and all(f"`{name}`" in text for name in apps)


def test_every_metric_module_is_documented():
    """Each metric module under core/relationships, core/graph and core/events/ties
    is named, with its path, in a page of docs/metrics/."""
    src = Path(__file__).resolve().parent.parent / "src" / "bridgework" / "core"
    modules = [
        p
        for folder in ("relationships", "graph")
        for p in (src / folder).glob("*.py")
        if p.name not in ("__init__.py", "engines.py")
    ] + [src / "events" / "ties.py"]
    pages = "\n".join(p.read_text() for p in (DOCS / "metrics").glob("*.md"))
    missing = [
        str(m.relative_to(src.parent))
        for m in modules
        if f"core/{m.parent.name}/{m.name}" not in pages
        and f"core.{m.parent.name}.{m.stem}" not in pages
    ]
    assert missing == []
