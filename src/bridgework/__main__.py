"""``python -m bridgework`` runs the CLI."""

from bridgework.cli.main import run

run()
