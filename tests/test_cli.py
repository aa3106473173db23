"""The ``bridgework`` CLI through Typer's runner."""

import pytest
from django.contrib.auth import authenticate
from typer.testing import CliRunner

from bridgework import __version__
from bridgework.accounts.models import Role, User
from bridgework.cli.main import app
from bridgework.core.demo.phases import DEMO_PHASES

runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"bridgework {__version__}"


def test_help_lists_every_command():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "worker", "migrate", "demo", "createadmin", "version"):
        assert command in result.stdout


@pytest.mark.django_db
def test_createadmin_creates_an_admin():
    result = runner.invoke(
        app,
        [
            "createadmin",
            "--username",
            "root2",
            "--email",
            "r@example.org",
            "--password",
            "a-long-passphrase-9",
        ],
    )
    assert result.exit_code == 0, result.output
    user = User.objects.get(username="root2")
    assert user.is_staff and user.is_superuser and user.has_role(Role.ADMIN)
    assert authenticate(username="root2", password="a-long-passphrase-9") == user


@pytest.mark.django_db
def test_createadmin_rejects_a_weak_password_and_creates_nothing():
    result = runner.invoke(app, ["createadmin", "--username", "root3", "--password", "123"])
    assert result.exit_code == 1
    assert "password" in result.output.lower()
    assert not User.objects.filter(username="root3").exists()


@pytest.mark.django_db
def test_createadmin_rejects_a_taken_username():
    runner.invoke(app, ["createadmin", "--username", "dup", "--password", "a-long-passphrase-9"])
    result = runner.invoke(
        app, ["createadmin", "--username", "DUP", "--password", "a-long-passphrase-9"]
    )
    assert result.exit_code == 1
    assert "taken" in result.output
    assert User.objects.filter(username__iexact="dup").count() == 1


def test_demo_rejects_a_bad_date():
    result = runner.invoke(app, ["demo", "--today", "25/11/2026"])
    assert result.exit_code == 1
    assert "--today must be a date" in result.output


@pytest.mark.django_db
def test_demo_loads_once_and_prints_logins():
    first = runner.invoke(app, ["demo", "--today", "2026-11-25"])
    assert first.exit_code == 0, first.output
    assert "Demo logins" in first.output
    # Every step of the load is reported, in order, with its time.
    steps = [
        f"[{i + 2}/{len(DEMO_PHASES) + 1}] {phase}: done in" for i, phase in enumerate(DEMO_PHASES)
    ]
    positions = [first.output.find(step) for step in steps]
    assert -1 not in positions and positions == sorted(positions), first.output
    for username in ("member", "mentor", "manager", "leader", "analyst", "admin"):
        assert f" {username} " in first.output
    people = User.objects.count()
    again = runner.invoke(app, ["demo", "--if-empty", "--today", "2026-11-25"])
    assert again.exit_code == 0
    assert "already loaded" in again.output
    assert "Demo logins" in again.output
    quiet = runner.invoke(app, ["demo", "--if-empty", "--no-logins"])
    assert quiet.exit_code == 0 and "Demo logins" not in quiet.output
    refused = runner.invoke(app, ["demo", "--today", "2026-11-25"])
    assert refused.exit_code == 1
    assert "--reset" in refused.output
    assert User.objects.count() == people
