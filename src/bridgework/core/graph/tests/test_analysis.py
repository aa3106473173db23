"""The whole pipeline: every column equals the metric module it comes from
(each of which is checked against NetworkX or published values in its own
tests), the fast paths equal the reference functions, and the tables are
usable as DataFrames and files."""

from __future__ import annotations

import csv
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from bridgework.core.graph import centrality
from bridgework.core.graph.analysis import STEPS, AnalysisOptions, analyze
from bridgework.core.graph.diversity import diversity, network_diversity
from bridgework.core.graph.network import Network
from bridgework.core.graph.sources import network_from_frame
from bridgework.core.graph.structural_holes import (
    burt_measures,
    constraint,
    effective_size,
    hierarchy,
)
from bridgework.testsupport import sample_path

DATA = sample_path()


def _rows(relative: str) -> list[dict[str, str]]:
    with open(DATA / relative, newline="") as f:
        return list(csv.DictReader(f))


def _padgett() -> Network:
    names = {int(r["id"]): r["name"] for r in _rows("padgett-florentine/nodes.csv")}
    rows = _rows("padgett-florentine/marriage_edges.csv")
    return Network.from_ties(
        [int(r["from"]) for r in rows],
        [int(r["to"]) for r in rows],
        nodes=names,
        attributes={p: {"label": name} for p, name in names.items()},
    )


def _random(seed: int) -> Network:
    g = nx.gnm_random_graph(60, 200, seed=seed)
    rng = np.random.default_rng(seed)
    a, b = zip(*g.edges, strict=True)
    attributes = {
        v: {
            "team": "t" + str(int(rng.integers(5))),
            "engagement": str(rng.choice(["employee_ft", "contractor", "alumni"])),
            "internal": "yes" if rng.random() < 0.8 else "no",
        }
        for v in g
    }
    return Network.from_ties(
        list(a), list(b), rng.uniform(0.1, 1.0, len(a)), nodes=list(g), attributes=attributes
    )


@pytest.mark.parametrize("seed", range(4))
def test_vectorized_diversity_equals_network_diversity(seed):
    net = _random(seed)
    teams = {p: team for p, team in net.attribute("team").items() if team is not None}
    assert len(teams) == len(net)  # everyone has a team
    edges = list(zip(net.ids[net.sources].tolist(), net.ids[net.targets].tolist(), strict=True))
    reference = network_diversity([(a, b, 1.0) for a, b in edges], teams)
    fast = diversity(net, [teams[p] for p in net.nodes])
    assert fast.tolist() == pytest.approx([reference.get(p, 0.0) for p in net.nodes])


@pytest.mark.parametrize("seed", range(4))
def test_burt_measures_on_a_network_equal_the_edge_list_functions(seed):
    net = _random(seed)
    edges = list(
        zip(
            net.ids[net.sources].tolist(),
            net.ids[net.targets].tolist(),
            net.weights.tolist(),
            strict=True,
        )
    )
    together = burt_measures(net)
    for name, function in (
        ("constraint", constraint),
        ("effective_size", effective_size),
        ("hierarchy", hierarchy),
    ):
        reference = function(edges, nodes=net.nodes)
        for p in net.nodes:
            if math.isnan(reference[p]):
                assert math.isnan(together[name][p])
            else:
                assert together[name][p] == pytest.approx(reference[p], abs=1e-12)


def test_medici_lead_the_brokers_of_the_marriage_network():
    # Padgett & Ansell (1993): the Medici sat at the centre of Florence's
    # marriage network. Their published betweenness, 0.522 over the 15
    # connected families, is 47.5 of the 91 pairs; with the isolated Pucci
    # family in the network (16 families, 105 pairs) it is 47.5 / 105.
    result = analyze(_padgett(), options=AnalysisOptions(group="label"))
    top = result.brokers(top=1)
    assert top["label"].tolist() == ["Medici"]
    assert top["betweenness"].iloc[0] == pytest.approx(47.5 / 105)


def test_every_column_comes_from_its_metric_module():
    net = _random(1)
    steps = []
    result = analyze(net, progress=lambda step, done, total: steps.append((step, done, total)))
    assert [s for s, _, _ in steps] == [*STEPS, "done"]
    people = result.people.set_index("person")
    between = centrality.betweenness(net)
    rank = centrality.pagerank(net)
    for p in net.nodes:
        assert people.loc[p, "betweenness"] == pytest.approx(between[p])
        assert people.loc[p, "pagerank"] == pytest.approx(rank[p])
    assert (
        people["brokerage"]
        == people[["itinerant", "representative", "gatekeeper", "liaison"]].sum(axis=1)
    ).all()
    assert result.summary["people"] == 60
    assert result.summary["ties"] == net.number_of_edges()
    assert 0 <= result.summary["nmi"] <= 1
    assert result.groups["size"].sum() == 60
    assert set(result.matrix.index) == set(result.groups["group"])
    assert {"x", "y"} <= set(result.people.columns)
    assert result.open_talent["people"].sum() == 60


def _hierarchy_from_networkx(g: nx.Graph) -> dict[int, float]:
    """Burt's hierarchy (1992, p. 71) from NetworkX's dyadic constraints c_ij."""
    values = {}
    for i in g:
        c = [nx.local_constraint(g, i, j) for j in set(nx.all_neighbors(g, i))]
        n, total = len(c), sum(c)
        r = [c_ij * n / total for c_ij in c]
        values[i] = sum(x * math.log(x) for x in r) / (n * math.log(n)) if n > 1 else 0.0
    return values


def _krackhardt_survey(relation: str) -> pd.DataFrame:
    # Krackhardt (1987): 21 managers each named whom they ask for advice (or
    # count as friends): one row per answer, directed.
    rows = _rows(f"krackhardt-hightech/{relation}_edges.csv")
    return pd.DataFrame({"a": [int(r["from"]) for r in rows], "b": [int(r["to"]) for r in rows]})


def _assert_burt_columns(people: pd.DataFrame, expected: dict[str, dict[int, float]]) -> None:
    for name, values in expected.items():
        ours = people.set_index("person")[name].to_dict()
        assert ours.keys() == values.keys()
        for p, value in values.items():
            assert ours[p] == pytest.approx(value, rel=1e-13, abs=1e-13), (name, p)


@pytest.mark.parametrize("relation", ["advice", "friendship"])
def test_unweighted_burt_on_a_directed_survey_equals_networkx_undirected(relation):
    # Folded into undirected ties a reciprocated answer weighs 2; with
    # weighted_burt=False the measures are those of the plain symmetrized
    # graph, NetworkX's on an undirected Graph with weight=None.
    survey = _krackhardt_survey(relation)
    net = network_from_frame(survey)
    assert set(net.weights.tolist()) == {1.0, 2.0}
    g = nx.Graph(zip(survey["a"], survey["b"], strict=True))
    result = analyze(net, options=AnalysisOptions(weighted_burt=False, layout=False))
    assert result.summary["burt_weighted"] is False
    expected = {
        "constraint": nx.constraint(g),
        "effective_size": nx.effective_size(g),
        "hierarchy": _hierarchy_from_networkx(g),
    }
    _assert_burt_columns(result.people, expected)


@pytest.mark.parametrize("relation", ["advice", "friendship"])
def test_weighted_burt_on_a_folded_survey_is_burts_directed_definition(relation):
    # Burt's p_ij for directed data adds both directions, (z_ij + z_ji) /
    # sum_q (z_iq + z_qi): NetworkX's "mutual weight" on a DiGraph. Summing
    # the directions when folding (network_from_frame) gives the same numbers.
    survey = _krackhardt_survey(relation)
    directed = nx.DiGraph(zip(survey["a"], survey["b"], strict=True))
    result = analyze(network_from_frame(survey), options=AnalysisOptions(layout=False))
    assert result.summary["burt_weighted"] is True
    # NetworkX's effective size tests "no ties" on the successors only, so it
    # gives nan to a manager who named no one though others named them (two
    # in the friendship survey); compare on everyone else.
    named_someone = [v for v in directed if directed.out_degree(v) > 0]
    expected = {
        "constraint": nx.constraint(directed, nodes=named_someone),
        "effective_size": nx.effective_size(directed, nodes=named_someone),
        "hierarchy": _hierarchy_from_networkx(directed),
    }
    expected["hierarchy"] = {v: expected["hierarchy"][v] for v in named_someone}
    answered = result.people[result.people["person"].isin(named_someone)]
    assert len(answered) >= 19
    _assert_burt_columns(answered, expected)
    # ... and it is not the symmetrized graph's: hierarchy ranks people differently.
    plain = analyze(
        network_from_frame(survey), options=AnalysisOptions(weighted_burt=False, layout=False)
    )
    assert not np.allclose(result.people["hierarchy"], plain.people["hierarchy"])


def test_unweighted_burt_hand_computed_on_a_small_survey():
    # Answers: 0 <-> 1, 0 -> 2, 0 <-> 3, 1 <-> 2. Unweighted it is the graph of
    # test_structural_holes' hand example: ego 0 tied to 1, 2, 3, and 1 - 2.
    # c_01 = c_02 = (1/3 + 1/3 * 1/2)^2 = 1/4, c_03 = 1/9: constraint 11/18;
    # effective size 3 - 2 * 1 / 3 = 7/3 (Borgatti 1997);
    # r = 27/22, 27/22, 6/11: H_0 = sum r ln r / (3 ln 3).
    survey = pd.DataFrame({"a": [0, 1, 0, 0, 3, 1, 2], "b": [1, 0, 2, 3, 0, 2, 1]})
    net = network_from_frame(survey)
    people = (
        analyze(net, options=AnalysisOptions(weighted_burt=False, layout=False))
        .people.set_index("person")
        .loc[0]
    )
    hierarchy_0 = (2 * 27 / 22 * math.log(27 / 22) + 6 / 11 * math.log(6 / 11)) / (3 * math.log(3))
    assert people["constraint"] == pytest.approx(11 / 18, rel=1e-13)
    assert people["effective_size"] == pytest.approx(7 / 3, rel=1e-13)
    assert people["hierarchy"] == pytest.approx(hierarchy_0, rel=1e-13)
    # Weighted (0-1, 0-3 and 1-2 weigh 2; 0-2 weighs 1) the figures move:
    # p_01 = p_03 = 2/5, p_02 = 1/5, so constraint is no longer 11/18.
    weighted = analyze(net, options=AnalysisOptions(layout=False)).people.set_index("person")
    assert weighted.loc[0, "constraint"] != pytest.approx(11 / 18, rel=1e-3)


def test_tables_write_to_parquet_and_csv(tmp_path):
    result = analyze(_random(2), options=AnalysisOptions(layout=False))
    written = result.write(tmp_path / "out")
    assert {p.name for p in written} == {f"{n}.parquet" for n in result.tables()}
    people = pd.read_parquet(tmp_path / "out" / "people.parquet")
    assert len(people) == 60 and "constraint" in people
    result.write(tmp_path / "csv", fmt="csv")
    assert pd.read_csv(tmp_path / "csv" / "groups.csv")["size"].sum() == 60
    with pytest.raises(ValueError, match="parquet"):
        result.write(tmp_path, fmt="xlsx")


def test_large_networks_estimate_betweenness_and_say_so():
    result = analyze(
        _random(3),
        options=AnalysisOptions(exact_betweenness_up_to=10, betweenness_epsilon=0.05, layout=False),
    )
    assert result.summary["betweenness_exact"] is False
    assert 0 < result.summary["betweenness_error_bound"] < 1


def test_bad_options_are_refused():
    with pytest.raises(ValueError, match="epsilon"):
        AnalysisOptions(betweenness_epsilon=0)
    with pytest.raises(ValueError, match="resolution"):
        AnalysisOptions(resolution=0)


def test_tables_read_back_equal(tmp_path):
    from bridgework.core.graph.analysis import NetworkAnalysis

    result = analyze(_random(0))
    result.write(tmp_path)
    again = NetworkAnalysis.read(tmp_path, summary=result.summary)
    pd.testing.assert_frame_equal(again.people, result.people)
    pd.testing.assert_frame_equal(again.groups, result.groups)
    assert again.matrix.values.tolist() == result.matrix.values.tolist()
    assert list(again.matrix.index) == list(result.matrix.index)
    assert again.brokers(3)["person"].tolist() == result.brokers(3)["person"].tolist()
