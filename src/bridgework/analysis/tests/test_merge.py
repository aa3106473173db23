"""Merging two people: the dropped person's metrics go, a fresh run comes, undo restores.

In this app's organization (``conftest``) Beta is six people all tied to each
other. Beta Person 5 is merged into Beta Person 4: their tie goes, and Beta
Person 4 keeps ties to Beta Persons 0 to 3, so the fresh run gives them
degree 4 (worked out from the fixture, not from the code).
"""

from __future__ import annotations

import csv
import io

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from bridgework.analysis.models import AnalysisRun, PersonMetric
from bridgework.network import services as network_services
from bridgework.people.merge import person_merge, person_merge_undo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_tie_worker(monkeypatch):
    # The hand-made ties have no events behind them: a recomputation would delete them.
    monkeypatch.setattr(network_services, "_enqueue", lambda recompute_id: None)


def test_merge_deletes_the_dropped_persons_metrics_and_runs_the_analysis_again(
    org, ran, analyst, client, django_capture_on_commit_callbacks
):
    keep, drop = org.b[4], org.b[5]
    with django_capture_on_commit_callbacks(execute=True):
        person_merge(actor=analyst, keep=keep, drop=drop)
    assert not PersonMetric.objects.filter(person_id=drop.pk).exists()
    fresh = AnalysisRun.objects.order_by("-id").first()
    assert fresh.pk != ran.pk and fresh.status == "succeeded", fresh.error
    assert fresh.person_metrics.count() == 13
    assert fresh.person_metrics.get(person=keep).degree == 4


def test_until_the_fresh_run_the_person_merged_away_is_on_no_individual_read(
    org, ran, analyst, client
):
    keep, drop = org.b[4], org.b[5]
    person_merge(actor=analyst, keep=keep, drop=drop)  # no commit: no fresh run yet
    client.force_login(analyst)
    nodes = client.get(reverse("analysis:map", args=["people"])).json()["nodes"]["id"]
    assert str(drop.pk) not in nodes and str(keep.pk) in nodes and len(nodes) == 13
    rows = csv.DictReader(io.StringIO(client.get(reverse("analysis:people_csv")).text))
    assert str(drop.pk) not in {row["person"] for row in rows}


def test_undo_puts_the_dropped_persons_metrics_back(
    org, ran, analyst, django_capture_on_commit_callbacks
):
    keep, drop = org.b[4], org.b[5]
    before = [model_to_dict(m) for m in PersonMetric.objects.filter(person=drop).order_by("id")]
    merge = person_merge(actor=analyst, keep=keep, drop=drop)
    with django_capture_on_commit_callbacks(execute=True):
        person_merge_undo(actor=analyst, merge=merge)
    restored = PersonMetric.objects.filter(person=drop, run=ran).order_by("id")
    assert [model_to_dict(m) for m in restored] == before
    # And a fresh run was queued and ran with the two people apart again.
    assert AnalysisRun.objects.order_by("-id").first().person_metrics.filter(person=drop).exists()
