"""The whole organizational network analysis in one call, as DataFrames.

:func:`analyze` runs every person metric and every group view of
``core/graph`` on a :class:`~bridgework.core.graph.network.Network` and
returns a :class:`NetworkAnalysis` of pandas DataFrames an analyst can use
directly (in a notebook, or written to Parquet/CSV by ``bridgework
analyze``). The web app stores the same tables. Node attributes the
analysis reads: ``team``, ``organization``, ``engagement`` and ``internal``
(``"yes"``/``"no"``: inside the organization or not); any may be missing.

>>> from bridgework.core.graph.network import Network
>>> net = Network.from_ties([1, 1, 2, 3, 4], [2, 3, 3, 4, 5],
...     attributes={1: {"team": "a"}, 2: {"team": "a"}, 3: {"team": "a"},
...                 4: {"team": "b"}, 5: {"team": "b"}})
>>> result = analyze(net)
>>> result.brokers(top=1)["person"].tolist()
[3]
>>> result.summary["people"], result.summary["ties"]
(5, 5)
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bridgework.core.exports import safe_frame
from bridgework.core.graph import (
    centrality,
    communities,
    engines,
    groups,
    open_talent,
    risk,
)
from bridgework.core.graph.brokerage import ROLES, undirected_brokerage_roles
from bridgework.core.graph.diversity import diversity
from bridgework.core.graph.layout import group_layout
from bridgework.core.graph.network import Network
from bridgework.core.graph.structural_holes import burt_measures

__all__ = ["AnalysisOptions", "NetworkAnalysis", "analyze", "STEPS"]

#: The steps of :func:`analyze`, in order, as reported to ``progress``.
STEPS = (
    "centrality",
    "betweenness",
    "structural holes",
    "reach",
    "communities",
    "brokerage",
    "diversity",
    "groups",
    "key-person risk",
    "open talent",
    "layout",
)

#: Brokerage between groups: every role but coordinator (brokering inside one's own group).
BETWEEN_GROUP_ROLES = ("itinerant", "representative", "gatekeeper", "liaison")


@dataclass(frozen=True)
class AnalysisOptions:
    """Settings of :func:`analyze`; the defaults suit organizations up to ~100,000 people.

    ``group`` is the node attribute used for groups (team by default);
    betweenness is exact up to ``exact_betweenness_up_to`` people and
    estimated above it by path sampling, every value within
    ``betweenness_epsilon`` with probability ``1 - betweenness_delta``;
    ``resolution`` is Leiden's modularity resolution; ``silo_max_outside_share``
    the outside-tie share at or below which a group is a silo; ``layout``
    computes map positions (for networks the browser can draw).
    ``weighted_burt`` weights constraint, effective size and hierarchy by
    tie weight; ``False`` counts every tie as 1, the measures of the plain
    graph. A directed survey folded into undirected ties weighs a
    reciprocated tie 2: weighted, that is Burt's definition for directed
    ties; unweighted, the usual figures on the symmetrized graph (when to use
    which: ``docs/metrics/brokerage-and-structural-holes.md``).
    """

    group: str = "team"
    exact_betweenness_up_to: int = 5000
    betweenness_epsilon: float = 0.01
    betweenness_delta: float = 0.1
    resolution: float = 1.0
    silo_max_outside_share: float = 0.25
    layout: bool = True
    layout_up_to: int = 20_000
    seed: int = 0
    weighted_burt: bool = True

    def __post_init__(self) -> None:
        if not 0 < self.betweenness_epsilon < 1 or not 0 < self.betweenness_delta < 1:
            raise ValueError("betweenness_epsilon and betweenness_delta must be between 0 and 1")
        if not self.resolution > 0:
            raise ValueError("resolution must be > 0")
        if not 0 <= self.silo_max_outside_share <= 1:
            raise ValueError("silo_max_outside_share must be between 0 and 1")


@dataclass
class NetworkAnalysis:
    """Every result of :func:`analyze`.

    ``people``: one row per person with every metric (see
    ``docs/metrics/``); ``groups``: one row per group (size, ties in and out,
    E-I index, silo flag, internal/external reach); ``matrix``: ties between
    every pair of groups; ``communities``: each community and the teams it
    draws from; ``silos``: the silos with the people who bridge them;
    ``risk``: key-person risk, riskiest first; ``open_talent``: bridging by
    engagement type; ``summary``: network-wide figures (including community
    modularity and NMI/ARI against the groups); ``timings``: seconds per step.
    """

    people: pd.DataFrame
    groups: pd.DataFrame
    matrix: pd.DataFrame
    communities: pd.DataFrame
    silos: pd.DataFrame
    risk: pd.DataFrame
    open_talent: pd.DataFrame
    summary: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)

    def brokers(self, top: int = 10) -> pd.DataFrame:
        """The people with the highest betweenness (lowest constraint breaks ties)."""
        columns = ["person", "label", "team", "betweenness", "constraint", "brokerage"]
        ordered = self.people.sort_values(
            ["betweenness", "constraint", "person"],
            ascending=[False, True, True],
            kind="stable",
        )
        return ordered[[c for c in columns if c in ordered]].head(top).reset_index(drop=True)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The DataFrames by name, as ``bridgework analyze`` writes them."""
        matrix = self.matrix.copy()
        matrix.index.name = "group"
        return {
            "people": self.people,
            "groups": self.groups,
            "matrix": matrix.reset_index(),
            "communities": self.communities,
            "silos": self.silos,
            "risk": self.risk,
            "open_talent": self.open_talent,
        }

    def write(self, folder: Path | str, *, fmt: str = "parquet") -> list[Path]:
        """Write every table to ``folder`` as Parquet or CSV; returns the paths.

        CSV cells of text that a spreadsheet would run as a formula (a name
        starting with ``=``, say) get a single quote in front
        (:func:`bridgework.core.exports.safe_frame`); Parquet keeps the data as it is.
        """
        if fmt not in ("parquet", "csv"):
            raise ValueError("fmt must be 'parquet' or 'csv'")
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, frame in self.tables().items():
            path = folder / f"{name}.{fmt}"
            if fmt == "parquet":
                frame.to_parquet(path, index=False)
            else:
                # CSV is for people to open in a spreadsheet: no cell may run as a formula.
                safe_frame(frame).to_csv(path, index=False)
            paths.append(path)
        return paths

    @classmethod
    def read(cls, folder: Path | str, *, summary: dict[str, Any] | None = None) -> NetworkAnalysis:
        """Read the Parquet tables :meth:`write` wrote (``summary`` is not in them)."""
        folder = Path(folder)
        tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in _TABLES}
        matrix = tables["matrix"].set_index("group")
        matrix.index.name = None
        silos = tables["silos"]
        if "bridgers" in silos:
            silos["bridgers"] = [list(b) if b is not None else [] for b in silos["bridgers"]]
        return cls(
            people=tables["people"],
            groups=tables["groups"],
            matrix=matrix,
            communities=tables["communities"],
            silos=silos,
            risk=tables["risk"],
            open_talent=tables["open_talent"],
            summary=dict(summary or {}),
        )


_TABLES = ("people", "groups", "matrix", "communities", "silos", "risk", "open_talent")

Progress = Callable[[str, int, int], None]


def analyze(
    network: Network,
    *,
    options: AnalysisOptions | None = None,
    progress: Progress | None = None,
) -> NetworkAnalysis:
    """Run the organizational network analysis on ``network``.

    Parameters
    ----------
    network : Network
        Ties with node attributes ``team``, ``organization``, ``engagement``,
        ``internal`` and ``label`` (a display name); missing ones are blank.
    options : AnalysisOptions, keyword-only, optional
    progress : callable, keyword-only, optional
        Called as ``progress(step, done, total)`` before each step of
        :data:`STEPS` and once more with ``("done", total, total)``.

    Returns
    -------
    NetworkAnalysis
    """
    options = options or AnalysisOptions()
    total = len(STEPS)
    timings: dict[str, float] = {}
    current: list[Any] = [None, time.perf_counter()]

    def step(name: str) -> None:
        now = time.perf_counter()
        if current[0] is not None:
            timings[current[0]] = now - current[1]
        current[:] = [name, now]
        if progress is not None:
            progress(name, STEPS.index(name) if name in STEPS else total, total)

    n = network.number_of_nodes()
    attribute = {name: network.attribute(name) for name in _ATTRIBUTES}
    group_of = attribute.get(options.group) or network.attribute(options.group)
    people = pd.DataFrame({"person": network.ids})
    for name in ("label", "team", "organization", "engagement"):
        people[name] = [attribute[name].get(p) or "" for p in network.nodes]

    step("centrality")
    people["degree"] = engines.degree(network)
    people["weighted_degree"] = engines.strength(network)
    people["pagerank"] = _values(network, centrality.pagerank(network))
    people["eigenvector"] = _values(network, centrality.eigenvector(network))
    people["k_core"] = engines.coreness(network)

    step("betweenness")
    exact = n <= options.exact_betweenness_up_to
    if exact:
        raw = engines.betweenness(network)
        pairs_sampled = None
    else:
        raw, pairs_sampled = engines.betweenness_sampled_paths(
            network,
            epsilon=options.betweenness_epsilon,
            delta=options.betweenness_delta,
            seed=options.seed,
        )
    people["betweenness"] = raw / ((n - 1) * (n - 2) / 2) if n > 2 else np.zeros(n)

    step("structural holes")
    for name, values in burt_measures(network, weighted=options.weighted_burt).items():
        people[name] = _values(network, values, default=math.nan)

    step("reach")
    people["two_step_reach"] = engines.two_step_reach(network)

    step("communities")
    partition = communities.communities(network, resolution=options.resolution, seed=options.seed)
    people["community"] = _values(network, partition)
    modularity = communities.modularity(network, partition)
    grouped = [p for p in network.nodes if group_of.get(p)]
    comparison: dict[str, Any] = {"communities": len(set(partition.values()))}
    comparison["modularity"] = modularity
    if grouped:
        comparison["modularity_of_groups"] = communities.modularity(
            network, {p: group_of.get(p) or "" for p in network.nodes}
        )
        comparison["nmi"] = communities.normalized_mutual_information(
            [partition[p] for p in grouped], [group_of[p] for p in grouped]
        )
        comparison["ari"] = communities.adjusted_rand_index(
            [partition[p] for p in grouped], [group_of[p] for p in grouped]
        )
    overlap = communities.community_team_overlap(partition, group_of)

    step("brokerage")
    labels = {p: group_of.get(p) or "(none)" for p in network.nodes}
    roles = undirected_brokerage_roles(network, labels)
    for role in ROLES:
        people[role] = [roles[p][role] for p in network.nodes]
    people["brokerage"] = people[list(BETWEEN_GROUP_ROLES)].sum(axis=1)

    step("diversity")
    for name in ("team", "organization", "engagement"):
        people[f"diversity_{name}"] = diversity(
            network, [attribute[name].get(p) or "(none)" for p in network.nodes]
        )

    step("groups")
    summary = groups.group_summary(network, group_of)
    matrix = groups.group_matrix(network, group_of)
    silo_frame = groups.silos(network, group_of, max_outside_share=options.silo_max_outside_share)
    silo_frame["bridgers"] = pd.Series(
        [
            groups.silo_bridgers(network, group_of, g).to_dict("records")
            for g in silo_frame["group"]
        ],
        index=silo_frame.index,
        dtype=object,
    )
    summary["silo"] = summary["group"].isin(set(silo_frame["group"]))

    step("key-person risk")
    risk_frame = risk.key_person_risk(network, group_of)
    people = people.merge(risk_frame, on="person", how="left")

    step("open talent")
    internal = {p: (attribute["internal"].get(p) or "yes") != "no" for p in network.nodes}
    open_frame = open_talent.bridging_by_engagement(
        network,
        {p: attribute["engagement"].get(p) or "(none)" for p in network.nodes},
        group_of,
        betweenness=dict(zip(people["person"], people["betweenness"], strict=True)),
        brokerage=dict(zip(people["person"], people["brokerage"], strict=True)),
    )
    reach = open_talent.reach_by_team(network, group_of, internal)
    summary = summary.merge(reach.rename(columns={"team": "group"}), on="group", how="left")
    summary = summary.drop(columns=["members"])
    for column in ("internal_direct", "external_direct", "internal_two_step", "external_two_step"):
        summary[column] = summary[column].fillna(0).astype(int)
    summary["external_share"] = summary["external_share"].fillna(0.0)

    step("layout")
    if options.layout and n <= options.layout_up_to:
        xy = group_layout(network, partition, seed=options.seed)
        people["x"] = [xy[p][0] for p in network.nodes]
        people["y"] = [xy[p][1] for p in network.nodes]

    step("done")
    components = engines.components(network)
    overview = {
        "people": n,
        "ties": network.number_of_edges(),
        "density": 2 * network.number_of_edges() / (n * (n - 1)) if n > 1 else 0.0,
        "components": int(components.max() + 1) if n else 0,
        "largest_component": int(np.bincount(components).max()) if n else 0,
        "betweenness_exact": exact,
        "betweenness_samples": pairs_sampled,
        "betweenness_error_bound": 0.0
        if exact
        else options.betweenness_epsilon * n / max(n - 2, 1),
        "betweenness_confidence": 1.0 if exact else 1 - options.betweenness_delta,
        "group_attribute": options.group,
        "burt_weighted": options.weighted_burt,
        "groups": int(summary.shape[0]),
        "silos": int(silo_frame.shape[0]),
        **comparison,
    }
    return NetworkAnalysis(
        people=people,
        groups=summary,
        matrix=matrix,
        communities=overlap,
        silos=silo_frame,
        risk=risk_frame,
        open_talent=open_frame,
        summary=overview,
        timings=timings,
    )


_ATTRIBUTES = ("label", "team", "organization", "engagement", "internal")


def _values(
    network: Network,
    mapping: Mapping[int, float] | Mapping[Hashable, float],
    default: float = 0,
) -> list[float]:
    return [mapping.get(p, default) for p in network.nodes]
