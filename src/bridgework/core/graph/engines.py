"""The one adapter to the fast graph engine: igraph.

Only this module imports igraph (STYLE.md habit 4). Metric modules call the
thin wrappers below with a :class:`~bridgework.core.graph.network.Network` and
get plain numpy arrays indexed like ``network.ids``; they turn them into
``{person_id: value}`` themselves. igraph was chosen after measuring
(docs: ``PERFORMANCE.md``): it builds a 3.6M-tie graph in 1.3 s with
``Graph(n).add_edges(array)``, and its PageRank solver (PRPACK) is exact,
unlike NetworkX's default tolerance.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import igraph
import numpy as np

if TYPE_CHECKING:
    from bridgework.core.graph.network import Network

__all__ = [
    "betweenness",
    "betweenness_error_bound",
    "coreness",
    "degree",
    "eigenvector_centrality",
    "pagerank",
    "strength",
    "to_igraph",
]


def to_igraph(network: Network) -> igraph.Graph:
    """An undirected ``igraph.Graph`` with vertex ``i`` = ``network.ids[i]``.

    Tie weights are the edge attribute ``"weight"``; the person id is the
    vertex attribute ``"person"``. Built with ``Graph(n).add_edges(array)``,
    the fastest construction measured.
    """
    graph = igraph.Graph(network.number_of_nodes(), directed=False)
    graph.add_edges(np.column_stack([network.sources, network.targets]))
    graph.es["weight"] = network.weights.tolist()
    graph.vs["person"] = network.ids.tolist()
    return graph


def _graph(network: Network) -> igraph.Graph:
    # A Network never changes, so its igraph copy is built once and reused.
    if network._engine_graph is None:
        network._engine_graph = to_igraph(network)
    return network._engine_graph


def degree(network: Network) -> np.ndarray:
    """Number of ties of each person."""
    return np.bincount(
        np.concatenate([network.sources, network.targets]), minlength=network.number_of_nodes()
    ).astype(np.int64)


def strength(network: Network) -> np.ndarray:
    """Sum of tie weights of each person."""
    n = network.number_of_nodes()
    return np.bincount(network.sources, weights=network.weights, minlength=n) + np.bincount(
        network.targets, weights=network.weights, minlength=n
    )


def betweenness_error_bound(n: int, samples: int, *, delta: float = 0.01) -> float:
    """Hoeffding bound for source-sampled normalized betweenness.

    With ``k = samples`` sources drawn uniformly without replacement, the
    estimate of every normalized betweenness lies within ``epsilon`` of the
    exact value with probability at least ``1 - delta``, where

    .. math:: \\epsilon = \\frac{n}{n-1}\\sqrt{\\frac{\\ln(2n/\\delta)}{2k}}

    (each source's dependency :math:`\\delta_{s\\bullet}(v) \\le n-2` scales to a
    term in :math:`[0, n/(n-1)]`; Hoeffding 1963, Thm. 1 and, without
    replacement, Sect. 6; a union bound over the ``n`` people). Brandes & Pich
    (2007) describe the estimator.
    """
    if samples >= n:
        return 0.0
    return n / (n - 1) * math.sqrt(math.log(2 * n / delta) / (2 * samples))


def betweenness(
    network: Network,
    *,
    distance: np.ndarray | None = None,
    samples: int | None = None,
    seed: int = 0,
) -> np.ndarray:
    """Raw (unnormalized, undirected: each pair once) betweenness.

    ``distance`` gives each tie a length for weighted shortest paths (hop
    count when None). With ``samples`` smaller than ``n``, the betweenness is
    estimated from ``samples`` sources drawn without replacement with
    ``numpy.random.default_rng(seed)`` and scaled by ``n / samples``
    (Brandes & Pich 2007); see :func:`betweenness_error_bound`.
    """
    graph = _graph(network)
    n = graph.vcount()
    weights = None if distance is None else np.asarray(distance, dtype=float).tolist()
    if samples is None or samples >= n:
        return np.asarray(graph.betweenness(directed=False, weights=weights), dtype=float)
    rng = np.random.default_rng(seed)
    chosen = np.sort(rng.choice(n, size=samples, replace=False)).tolist()
    partial = np.asarray(
        graph.betweenness(directed=False, weights=weights, sources=chosen), dtype=float
    )
    return partial * (n / samples)


def pagerank(network: Network, *, damping: float = 0.85, weighted: bool = True) -> np.ndarray:
    """PageRank by igraph's exact PRPACK solver; sums to 1."""
    graph = _graph(network)
    weights = network.weights.tolist() if weighted else None
    return np.asarray(graph.pagerank(directed=False, damping=damping, weights=weights), dtype=float)


def eigenvector_centrality(network: Network, *, weighted: bool = True) -> np.ndarray:
    """Leading eigenvector of the (weighted) adjacency matrix, max scaled to 1.

    Eigenvector centrality is only defined on a connected graph, so it is
    computed on the largest connected component (ties in size go to the one
    holding the lowest index); everyone outside it gets 0.
    """
    graph = _graph(network)
    values = np.zeros(graph.vcount())
    if graph.ecount() == 0:
        return values
    components = graph.connected_components()
    sizes = components.sizes()
    giant = sorted(
        components[max(range(len(sizes)), key=lambda c: (sizes[c], -min(components[c])))]
    )
    sub = graph.induced_subgraph(giant, implementation="create_from_scratch")
    weights = sub.es["weight"] if weighted else None
    values[np.asarray(giant)] = sub.eigenvector_centrality(scale=True, weights=weights)
    return values


def coreness(network: Network) -> np.ndarray:
    """k-core number of each person (Batagelj-Zaversnik algorithm)."""
    return np.asarray(_graph(network).coreness(), dtype=np.int64)
