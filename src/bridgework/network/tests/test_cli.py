"""``bridgework ties recompute`` and ``bridgework ties digest`` through Typer's runner."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from typer.testing import CliRunner

from bridgework import factories
from bridgework.cli.main import app
from bridgework.eventstore import get_event_store
from bridgework.network.models import Nudge, Tie, TieRecompute

runner = CliRunner()
pytestmark = pytest.mark.django_db


@pytest.fixture
def trio(db):
    a, b, c = (factories.PersonFactory() for _ in range(3))
    now = timezone.now()
    get_event_store().write_events(
        [
            {
                "source": "test",
                "external_id": f"m{day}",
                "occurred_at": now - dt.timedelta(days=day),
                "channel": "meeting",
                "sender_id": a.pk,
                "recipient_ids": [b.pk, c.pk] if day % 2 else [b.pk],
                "direction": "two_way",
                "duration_minutes": 30,
            }
            for day in range(1, 30, 3)
        ]
    )
    return a, b, c


def test_recompute_everything_and_print_a_summary(trio):
    result = runner.invoke(app, ["ties", "recompute"])
    assert result.exit_code == 0, result.output
    run = TieRecompute.objects.get()
    assert (run.kind, run.status, run.reason) == ("full", "succeeded", "command line")
    assert Tie.objects.count() == 3
    assert f"Tie recomputation #{run.pk} (full)" in result.output
    assert "Ties written" in result.output and "Strong" in result.output and " s" in result.output


def test_recompute_some_people(trio):
    a, b, c = trio
    result = runner.invoke(app, ["ties", "recompute", "--people", f"{c.pk}"])
    assert result.exit_code == 0, result.output
    run = TieRecompute.objects.get()
    assert (run.kind, run.people) == ("incremental", [c.pk])
    assert Tie.objects.count() == 2  # a–c and b–c, not a–b


@pytest.mark.parametrize(
    "args, message",
    [
        (["--people", "1,x"], "person ids separated by commas"),
        (["--people", ","], "at least one person id"),
        (["--full", "--people", "1"], "not both"),
    ],
)
def test_bad_options_give_a_clear_error(args, message):
    result = runner.invoke(app, ["ties", "recompute", *args])
    assert result.exit_code == 1 and message in result.output


def test_a_failed_recompute_exits_with_its_error(trio, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("store unreadable")

    monkeypatch.setattr("bridgework.network.services.aggregate_ties", broken)
    result = runner.invoke(app, ["ties", "recompute", "--full"])
    assert result.exit_code == 1 and "store unreadable" in result.output


def test_digest_dry_run_then_send(member, trio):
    Nudge.objects.create(owner=member.person, other=trio[0], kind="overdue", reason="Long time.")
    dry = runner.invoke(app, ["ties", "digest", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would send 1 digest." in dry.output and member.person.full_name in dry.output
    assert mail.outbox == []

    sent = runner.invoke(app, ["ties", "digest"])
    assert sent.exit_code == 0 and "Sent 1 digest." in sent.output
    assert len(mail.outbox) == 1 and "Long time." in mail.outbox[0].body


def test_digest_with_nothing_to_send(db):
    result = runner.invoke(app, ["ties", "digest"])
    assert result.exit_code == 0 and "no digest to send" in result.output


def test_the_commands_have_help():
    result = runner.invoke(app, ["ties", "--help"])
    assert result.exit_code == 0 and "recompute" in result.output and "digest" in result.output
