"""The network models' invariants hold in the database, not just in forms."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bridgework import factories
from bridgework.network.models import Nudge, PortfolioEntry, Tie, TieRecompute

from .conftest import make_tie

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    a, b = factories.PersonFactory(), factories.PersonFactory()
    return (a, b) if a.pk < b.pk else (b, a)


def _integrity_error(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Tie.objects.create(computed_at=timezone.now(), **fields)


def test_a_tie_is_stored_once_with_the_smaller_id_first(pair):
    low, high = pair
    make_tie(low, high, 0.5)
    _integrity_error(person_a=high, person_b=low, strength=0.5, band="regular")
    _integrity_error(person_a=low, person_b=high, strength=0.4, band="regular")
    _integrity_error(person_a=low, person_b=low, strength=0.4, band="regular")


@pytest.mark.parametrize("strength", [-0.1, 1.01])
def test_strength_lies_between_0_and_1(pair, strength):
    low, high = pair
    _integrity_error(person_a=low, person_b=high, strength=strength, band="regular")


def test_band_must_be_known(pair):
    low, high = pair
    _integrity_error(person_a=low, person_b=high, strength=0.3, band="legendary")


def test_tie_clean_and_str(pair):
    low, high = pair
    tie = Tie(person_a=high, person_b=low, strength=0.5, band="regular")
    with pytest.raises(ValidationError) as error:
        tie.clean()
    assert "person_b" in error.value.message_dict
    tie = make_tie(low, high, 0.72, band="strong")
    assert str(tie) == f"{low.pk} – {high.pk}: 0.72 (strong)"
    assert tie.other_id(low.pk) == high.pk and tie.other_id(high.pk) == low.pk
    assert tie.is_active


def test_portfolio_entry_constraints(pair):
    owner, other = pair
    PortfolioEntry.objects.create(owner=owner, other=other, tier="core")
    for fields in (
        {"owner": owner, "other": other, "tier": "wider"},  # one entry per pair
        {"owner": owner, "other": owner, "tier": "core"},  # not yourself
        {"owner": other, "other": owner, "tier": "vip"},  # unknown tier
        {"owner": other, "other": owner, "tier": "core", "cadence_days": 0},
        {"owner": other, "other": owner, "tier": "core", "cadence_days": 731},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            PortfolioEntry.objects.create(**fields)
    entry = PortfolioEntry(owner=owner, other=owner, tier="core")
    with pytest.raises(ValidationError):
        entry.clean()


def test_one_nudge_per_owner_other_and_kind(pair):
    owner, other = pair
    Nudge.objects.create(owner=owner, other=other, kind="overdue", reason="r")
    Nudge.objects.create(owner=owner, other=other, kind="cooling", reason="r")
    for fields in (
        {"owner": owner, "other": other, "kind": "overdue"},
        {"owner": owner, "other": owner, "kind": "cooling"},
        {"owner": other, "other": owner, "kind": "gossip"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Nudge.objects.create(reason="r", **fields)


def test_nudge_is_active_unless_dismissed_or_snoozed(pair):
    owner, other = pair
    now = timezone.now()
    nudge = Nudge(owner=owner, other=other, kind="overdue", reason="r")
    assert nudge.is_active(now=now)
    nudge.snoozed_until = now + timezone.timedelta(days=1)
    assert not nudge.is_active(now=now)
    nudge.snoozed_until = now - timezone.timedelta(days=1)
    assert nudge.is_active(now=now)
    nudge.dismissed_at = now
    assert not nudge.is_active(now=now)


def test_a_recompute_finishes_only_when_done():
    with pytest.raises(IntegrityError), transaction.atomic():
        TieRecompute.objects.create(kind="full", status="running", finished_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        TieRecompute.objects.create(kind="full", pairs_done=3, pairs_total=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        TieRecompute.objects.create(kind="partial")
    run = TieRecompute.objects.create(kind="incremental", pairs_done=1, pairs_total=4)
    assert run.progress_percent == 25 and not run.is_finished
    assert str(run) == f"Incremental tie recomputation #{run.pk} (queued)"
