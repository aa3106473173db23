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


def test_architecture_doc_names_every_app():
    text = (DOCS / "architecture.md").read_text()
    apps = [
        p.name
        for p in (Path(__file__).resolve().parent.parent / "src/bridgework").iterdir()
        if (p / "apps.py").exists()
    ]
    assert apps and all(f"`{name}`" in text for name in apps)
