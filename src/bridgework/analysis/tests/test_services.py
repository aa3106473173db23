"""Running the analysis over stored ties: consent, storage, failures, pruning."""

from __future__ import annotations

import networkx as nx
import pytest

from bridgework.analysis import services
from bridgework.analysis.models import AnalysisRun, PersonMetric
from bridgework.analysis.selectors import latest_run
from bridgework.network.models import Tie

pytestmark = pytest.mark.django_db


def _graph():
    g = nx.Graph()
    for t in Tie.objects.filter(person_a__analytics_consent=True, person_b__analytics_consent=True):
        g.add_edge(t.person_a_id, t.person_b_id)
    return g


def test_a_run_stores_every_consenting_persons_metrics(org, ran):
    assert ran.steps_done == ran.steps_total == len(services.STEPS)
    metrics = {m.person_id: m for m in PersonMetric.objects.filter(run=ran)}
    assert len(metrics) == 14
    # Betweenness against NetworkX on the same ties: Ada and Bo hold A and B together.
    expected = nx.betweenness_centrality(_graph())
    for person, value in expected.items():
        assert metrics[person].betweenness == pytest.approx(value)
    top = max(metrics.values(), key=lambda m: m.betweenness)
    assert top.person_id in (org.bo.pk, org.b[2].pk)
    # Ada-Bo and Carl-B1 both link A and B, so nobody alone cuts A off;
    # team Gamma's only way in is B2.
    assert metrics[org.ada.pk].people_cut_off == 0
    assert metrics[org.b[2].pk].people_cut_off == 2
    assert ran.summary["people"] == 14 and ran.summary["ties"] == Tie.objects.count()
    assert (services.analysis_run_folder(ran.pk) / "people.parquet").exists()


def test_withdrawn_consent_drops_the_person_and_their_ties_from_the_next_run(org, ran):
    gamma = org.c[0]
    gamma.analytics_consent = False
    gamma.save(update_fields=["analytics_consent"])
    run = services.analysis_start(run_now=True)
    people = set(PersonMetric.objects.filter(run=run).values_list("person_id", flat=True))
    assert gamma.pk not in people
    assert PersonMetric.objects.get(run=run, person=org.b[2]).people_cut_off == 0
    assert run.summary["ties"] == Tie.objects.count() - 2


def test_a_failed_run_keeps_the_last_good_run_readable(org, ran, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "analyze", broken)
    failed = services.analysis_start(run_now=True)
    assert failed.status == AnalysisRun.Status.FAILED
    assert "disk full" in failed.error
    assert latest_run() == ran
    assert (services.analysis_run_folder(ran.pk) / "people.parquet").exists()


def test_only_the_latest_runs_are_kept(org):
    runs = [services.analysis_start(run_now=True) for _ in range(services.KEEP_RUNS + 1)]
    assert not AnalysisRun.objects.filter(pk=runs[0].pk).exists()
    assert not services.analysis_run_folder(runs[0].pk).exists()
    assert PersonMetric.objects.filter(run_id=runs[0].pk).count() == 0
    assert latest_run() == runs[-1]


def test_queued_start_returns_the_active_run(org):
    queued = AnalysisRun.objects.create(steps_total=11)
    assert services.analysis_start() == queued
