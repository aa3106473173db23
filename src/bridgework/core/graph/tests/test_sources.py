"""Networks from tie tables: self-loops, duplicates and the folding of directions.

Expected weights are computed by hand in the comments from the rows of each
table; both loaders must fold a pair's two directions by summing them.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from bridgework.core.graph.sources import DroppedRowsWarning, network_from_frame, network_from_viva

P2P_HEADER = (
    "PrimaryCollaborator_PersonId,SecondaryCollaborator_PersonId,MetricDate,Strong_tie_score"
)


def _viva(tmp_path, rows: list[str]):
    path = tmp_path / "p2p.csv"
    path.write_text("\n".join([P2P_HEADER, *rows]) + "\n")
    return path


def _weights(loaded) -> dict[tuple[str, str], float]:
    """``{(PersonId, PersonId): weight}``, each pair in sorted order."""
    net, names = loaded.network, loaded.person_ids
    return {
        tuple(sorted((names[int(net.ids[s])], names[int(net.ids[t])]))): float(w)
        for s, t, w in zip(net.sources, net.targets, net.weights, strict=True)
    }


def test_frame_self_loops_are_dropped_with_their_count():
    # An e-mail edge list: people writing to themselves (drafts, notes to self).
    ties = pd.DataFrame(
        {"a": [1, 1, 2, 2, 3, 7, 7], "b": [2, 1, 3, 2, 1, 7, 7], "weight": [4, 9, 1, 9, 2, 5, 5]}
    )
    with pytest.warns(DroppedRowsWarning, match=r"^4 self-loop row\(s\) dropped"):
        net = network_from_frame(ties)
    assert net.number_of_edges() == 3
    assert (net.weight(1, 2), net.weight(2, 3), net.weight(1, 3)) == (4.0, 1.0, 2.0)
    # 7 only wrote to themselves: still a person, without ties.
    assert net.nodes == [1, 2, 3, 7] and net.neighbors(7) == []


def test_frame_self_loops_keep_the_people_table():
    ties = pd.DataFrame({"a": [1, 2], "b": [2, 2]})
    people = pd.DataFrame({"person": [1, 2, 3], "team": ["x", "y", "y"]})
    with pytest.warns(DroppedRowsWarning, match="1 self-loop"):
        net = network_from_frame(ties, people=people)
    assert net.nodes == [1, 2, 3] and net.number_of_edges() == 1
    assert net.attribute("team") == {1: "x", 2: "y", 3: "y"}


def test_frame_without_self_loops_warns_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        net = network_from_frame(pd.DataFrame({"a": [1], "b": [2]}))
    assert net.number_of_edges() == 1


def test_frame_folds_the_two_directions_by_sum():
    # A survey: 1 and 2 name each other, 1 names 3, 4 names 3 twice with weights.
    survey = pd.DataFrame({"a": [1, 2, 1, 4, 3], "b": [2, 1, 3, 3, 4], "weight": [1, 1, 1, 0.5, 2]})
    net = network_from_frame(survey)
    assert (net.weight(1, 2), net.weight(1, 3), net.weight(3, 4)) == (2.0, 1.0, 2.5)
    unweighted = network_from_frame(survey, weight=None)
    assert (unweighted.weight(1, 2), unweighted.weight(3, 4)) == (2.0, 2.0)


def test_viva_weights_are_means_over_periods_of_both_directions_summed(tmp_path):
    path = _viva(
        tmp_path,
        [
            # April: p1 -> p2 0.4, p2 -> p1 0.2, then p1 -> p2 again (a duplicate).
            "p1,p2,01/04/2023,0.4",
            "p2,p1,01/04/2023,0.2",
            "p1,p2,01/04/2023,0.9",
            "p2,p3,01/04/2023,0.3",
            "p3,p3,01/04/2023,0.8",
            # May: p1 -> p2 only; p3 -> p2 (the other direction of April's p2 -> p3).
            "p1,p2,01/05/2023,0.5",
            "p3,p2,01/05/2023,0.1",
            "p3,p2,01/05/2023,0.1",
            "p1,p4,01/05/2023,0.5",
        ],
    )
    with pytest.warns(DroppedRowsWarning) as caught:
        loaded = network_from_viva(path)
    messages = [str(w.message) for w in caught]
    assert messages == [
        "p2p.csv: 1 self-loop row(s) dropped (a person tied to themselves)",
        "p2p.csv: 2 duplicate row(s) dropped (same primary, secondary and MetricDate "
        "as an earlier row; the first one counts)",
    ]
    assert (loaded.self_loops, loaded.duplicates, loaded.issues) == (1, 2, [])
    # p1-p2: April 0.4 + 0.2 = 0.6, May 0.5: mean over the 2 periods 0.55
    #        (a mean over its 4 rows, duplicate included, would give 2.0 / 4 = 0.5).
    # p2-p3: April 0.3, May 0.1: 0.2 (over rows: 0.5 / 3).  p1-p4: May only, 0.5.
    assert _weights(loaded) == pytest.approx(
        {("p1", "p2"): 0.55, ("p2", "p3"): 0.2, ("p1", "p4"): 0.5}, abs=1e-15
    )


def test_viva_mean_is_over_periods_not_rows(tmp_path):
    # One period, both directions: the sum 0.5, where a mean over rows gives 0.25.
    # A second pair in two periods: (0.2 + 0.4) / 2 = 0.3.
    path = _viva(
        tmp_path,
        [
            "a,b,2023-04-01,0.2",
            "b,a,2023-04-01,0.3",
            "a,c,2023-04-01,0.2",
            "a,c,2023-05-01,0.4",
        ],
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = network_from_viva(path)
    assert _weights(loaded) == pytest.approx({("a", "b"): 0.5, ("a", "c"): 0.3}, abs=1e-15)


def test_viva_without_scores_counts_rows_like_a_frame_without_weights(tmp_path):
    # No positive score: each row weighs 1; x-y both ways in April, one way in
    # May: (2 + 1) / 2 = 1.5. x-z one way once: 1.
    path = _viva(
        tmp_path,
        ["x,y,2023-04-01,0", "y,x,2023-04-01,", "x,y,2023-05-01,0", "z,x,2023-05-01,0"],
    )
    loaded = network_from_viva(path)
    assert _weights(loaded) == {("x", "y"): 1.5, ("x", "z"): 1.0}


def test_viva_pair_with_only_zero_scores_still_counts(tmp_path):
    path = _viva(tmp_path, ["a,b,2023-04-01,0.6", "a,c,2023-04-01,0", "c,a,2023-05-01,0"])
    assert _weights(network_from_viva(path)) == {("a", "b"): 0.6, ("a", "c"): 1e-3}


def test_viva_and_frame_fold_one_period_the_same_way(tmp_path):
    rows = [("a", "b", 0.25), ("b", "a", 0.5), ("b", "c", 0.75), ("c", "a", 0.5)]
    path = _viva(tmp_path, [f"{a},{b},2023-04-01,{w}" for a, b, w in rows])
    loaded = network_from_viva(path)
    number = {name: key for key, name in loaded.person_ids.items()}
    frame = pd.DataFrame(
        {
            "a": [number[a] for a, _, _ in rows],
            "b": [number[b] for _, b, _ in rows],
            "weight": [w for _, _, w in rows],
        }
    )
    from_frame = network_from_frame(frame)
    assert from_frame.nodes == loaded.network.nodes
    assert from_frame.sources.tolist() == loaded.network.sources.tolist()
    assert from_frame.targets.tolist() == loaded.network.targets.tolist()
    assert from_frame.weights.tolist() == loaded.network.weights.tolist() == [0.75, 0.5, 0.75]
