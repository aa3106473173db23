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
import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import igraph
import numba
import numpy as np

from bridgework.core.graph import _kernels

if TYPE_CHECKING:
    from bridgework.core.graph.network import Network

__all__ = [
    "betweenness",
    "betweenness_error_bound",
    "betweenness_sampled_paths",
    "rk_sample_size",
    "biconnected",
    "brokerage_counts",
    "closed_two_path_sums",
    "components",
    "coreness",
    "degree",
    "eigenvector_centrality",
    "force_layout",
    "group_reach",
    "leiden",
    "modularity",
    "pagerank",
    "strength",
    "to_igraph",
    "two_step_reach",
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
    n = network.number_of_nodes()
    rng = np.random.default_rng(seed)
    # None: every source (no sampling needed when asked for n or more).
    drawn = samples if samples is not None and samples < n else None
    if distance is None:
        # Hop counts: Brandes' algorithm compiled, the sources split over the cores.
        indptr, indices, _ = network.csr()
        sources = (
            np.sort(rng.choice(n, size=drawn, replace=False)) if drawn is not None else np.arange(n)
        ).astype(np.int64)
        chunks = max(1, min(len(sources), numba.get_num_threads() * 2))
        summed = _kernels.brandes_unweighted(
            np.ascontiguousarray(indptr, dtype=np.int64),
            np.ascontiguousarray(indices, dtype=np.int64),
            sources,
            chunks,
        )
        raw = summed / 2  # each unordered pair was counted from both ends
        return raw * (n / drawn) if drawn is not None else raw
    graph = _graph(network)
    weights = np.asarray(distance, dtype=float).tolist()
    if drawn is None:
        return np.asarray(graph.betweenness(directed=False, weights=weights), dtype=float)
    chosen = np.sort(rng.choice(n, size=drawn, replace=False)).tolist()
    partial = np.asarray(
        graph.betweenness(directed=False, weights=weights, sources=chosen), dtype=float
    )
    return partial * (n / drawn)


def pagerank(network: Network, *, damping: float = 0.85, weighted: bool = True) -> np.ndarray:
    """PageRank by igraph's exact PRPACK solver; sums to 1."""
    graph = _graph(network)
    weights = network.weights.tolist() if weighted else None
    return np.asarray(graph.pagerank(directed=False, damping=damping, weights=weights), dtype=float)


def eigenvector_centrality(network: Network, *, weighted: bool = True) -> np.ndarray:
    """Leading eigenvector of the (weighted) adjacency matrix, max scaled to 1.

    Eigenvector centrality is only defined on a connected graph, so it is
    computed on the largest connected component (ties in size go to the one
    holding the lowest index); everyone outside it gets 0. Solved with
    ARPACK's Lanczos iteration on the sparse matrix (SciPy's ``eigsh``), to
    machine precision.
    """
    import scipy.sparse as sparse
    from scipy.sparse.linalg import eigsh

    n = network.number_of_nodes()
    values = np.zeros(n)
    if network.number_of_edges() == 0:
        return values
    membership = components(network)
    sizes = np.bincount(membership)
    largest = sizes.max()
    giant_label = min(
        (int(np.flatnonzero(membership == c)[0]), c) for c in np.flatnonzero(sizes == largest)
    )[1]
    giant = np.flatnonzero(membership == giant_label)
    if len(giant) == 1:
        values[giant] = 1.0
        return values
    indptr, indices, weights = network.csr()
    matrix = sparse.csr_matrix(
        (weights if weighted else np.ones(len(indices)), indices, indptr), shape=(n, n)
    )
    if len(giant) < n:
        matrix = matrix[giant][:, giant]
    if len(giant) <= 3:
        eigvals, eigvecs = np.linalg.eigh(matrix.toarray())
    else:
        start = np.ones(len(giant))
        eigvals, eigvecs = eigsh(matrix.astype(float), k=1, which="LA", v0=start, tol=1e-10)
    vector = np.abs(eigvecs[:, int(np.argmax(eigvals))])
    values[giant] = vector / vector.max()
    return values


def coreness(network: Network) -> np.ndarray:
    """k-core number of each person (Batagelj-Zaversnik algorithm)."""
    return np.asarray(_graph(network).coreness(), dtype=np.int64)


@contextmanager
def _seeded(seed: int) -> Iterator[None]:
    # igraph draws from Python's ``random`` module by default; give it a
    # private generator so a fixed seed gives the same result without
    # touching the caller's global random state.
    igraph.set_random_number_generator(random.Random(seed))  # noqa: S311 - a seeded generator for a reproducible layout
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)


def leiden(
    network: Network,
    *,
    resolution: float = 1.0,
    weighted: bool = True,
    seed: int = 0,
    iterations: int = -1,
) -> np.ndarray:
    """Community of each person by the Leiden algorithm on modularity.

    ``iterations = -1`` repeats until the partition is stable. Returns
    igraph's raw membership (0-based, in no particular order).
    """
    graph = _graph(network)
    weights = network.weights.tolist() if weighted else None
    with _seeded(seed):
        partition = graph.community_leiden(
            objective_function="modularity",
            weights=weights,
            resolution=resolution,
            n_iterations=iterations,
        )
    return np.asarray(partition.membership, dtype=np.int64)


def modularity(
    network: Network, membership: np.ndarray, *, resolution: float = 1.0, weighted: bool = True
) -> float:
    """Newman's modularity of a partition (membership by dense index)."""
    graph = _graph(network)
    if graph.ecount() == 0:
        return math.nan
    weights = network.weights.tolist() if weighted else None
    return float(
        graph.modularity(
            np.asarray(membership).tolist(), weights=weights, resolution=resolution, directed=False
        )
    )


def components(network: Network) -> np.ndarray:
    """Connected component of each person (0-based labels)."""
    return np.asarray(_graph(network).connected_components().membership, dtype=np.int64)


def biconnected(network: Network) -> tuple[list[list[int]], list[int]]:
    """Biconnected components (blocks, as lists of dense indices) and articulation points."""
    blocks, points = _graph(network).biconnected_components(return_articulation_points=True)
    return [list(block) for block in blocks], sorted(points)


def two_step_reach(network: Network) -> np.ndarray:
    """Number of people within two ties of each person, not counting them (compiled, parallel)."""
    indptr, indices, _ = network.csr()
    return _kernels.two_step_counts(
        np.ascontiguousarray(indptr, dtype=np.int64),
        np.ascontiguousarray(indices, dtype=np.int64),
        numba.get_num_threads() * 4,
    )


def force_layout(network: Network, *, nodes: np.ndarray | None = None, seed: int = 0) -> np.ndarray:
    """Fruchterman-Reingold positions (len x 2) of ``nodes`` (dense indices; all when None).

    Only the ties among ``nodes`` count; stronger ties pull harder. Meant for
    groups of up to a few thousand people (``core/graph/layout.py`` lays out
    a large network group by group). The same seed gives the same picture.
    """
    graph = _graph(network)
    if nodes is not None:
        graph = graph.induced_subgraph(
            np.asarray(nodes).tolist(), implementation="create_from_scratch"
        )
    n = graph.vcount()
    if n == 0:
        return np.zeros((0, 2))
    if n == 1:
        return np.zeros((1, 2))
    start = np.random.default_rng(seed).uniform(-1, 1, size=(n, 2)).tolist()
    weights = graph.es["weight"] if graph.ecount() else None
    coords = graph.layout_fruchterman_reingold(
        weights=weights, seed=start, niter=300, grid="grid" if n > 1000 else "nogrid"
    )
    return np.asarray(coords.coords, dtype=float)


def _chunks(n: int) -> int:
    """How many slices a compiled loop over ``n`` people runs in parallel:
    a few per core, so uneven slices even out, and one for small networks."""
    return 1 if n < 2000 else numba.get_num_threads() * 4


def closed_two_path_sums(
    indptr: np.ndarray, indices: np.ndarray, p: np.ndarray, scaled: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Burt's indirect investments per CSR slot and redundancy per person (compiled loop).

    For slot ``i -> j``: :math:`\\sum_q p_{iq} p_{qj}` over the common
    neighbors ``q``; for person ``i``: :math:`\\sum_{q, j} p_{iq}\\,
    scaled_{qj}` over the ties ``q - j`` among ``i``'s contacts.
    """
    return _kernels.closed_two_path_sums(
        np.ascontiguousarray(indptr, dtype=np.int64),
        np.ascontiguousarray(indices, dtype=np.int64),
        np.ascontiguousarray(p, dtype=np.float64),
        np.ascontiguousarray(scaled, dtype=np.float64),
        _chunks(len(indptr) - 1),
    )


def brokerage_counts(indptr: np.ndarray, indices: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Gould-Fernandez role counts per person (n x 5) on an undirected CSR (compiled loop)."""
    group = np.ascontiguousarray(group, dtype=np.int64)
    return _kernels.brokerage_counts(
        np.ascontiguousarray(indptr, dtype=np.int64),
        np.ascontiguousarray(indices, dtype=np.int64),
        group,
        int(group.max()) + 1 if len(group) else 1,
        _chunks(len(indptr) - 1),
    )


def group_reach(network: Network, codes: np.ndarray, internal: np.ndarray) -> np.ndarray:
    """Per group code ``0..k-1`` (``-1`` = no group): people reached outside the group
    directly and within two steps, internal and external (k x 4, compiled loop)."""
    indptr, indices, _ = network.csr()
    codes = np.asarray(codes, dtype=np.int64)
    k = int(codes.max()) + 1 if len(codes) and codes.max() >= 0 else 0
    order = np.argsort(codes, kind="stable")
    order = order[codes[order] >= 0]
    bounds = np.searchsorted(codes[order], np.arange(k + 1))
    return _kernels.group_reach(
        np.ascontiguousarray(indptr, dtype=np.int64),
        np.ascontiguousarray(indices, dtype=np.int64),
        order.astype(np.int64),
        bounds.astype(np.int64),
        np.ascontiguousarray(internal, dtype=np.bool_),
        max(1, min(k, numba.get_num_threads() * 4)),
    )


def rk_sample_size(vertex_diameter: int, *, epsilon: float, delta: float) -> int:
    """Pairs to sample so every betweenness estimate is within ``epsilon`` w.p. ``1 - delta``.

    .. math:: r = \\left\\lceil \\frac{c}{\\epsilon^2}\\left(\\lfloor \\log_2(VD - 2)
       \\rfloor + 1 + \\ln\\frac{1}{\\delta}\\right)\\right\\rceil, \\quad c = 0.5

    (Riondato & Kornaropoulos 2016, Thm. 2, with the VC dimension bounded by
    the vertex diameter ``VD``: the most people on any shortest path).
    """
    if not 0 < epsilon < 1 or not 0 < delta < 1:
        raise ValueError("epsilon and delta must be between 0 and 1")
    vc = math.floor(math.log2(vertex_diameter - 2)) + 1 if vertex_diameter > 2 else 1
    return math.ceil(0.5 / epsilon**2 * (vc + math.log(1 / delta)))


def _vertex_diameter_bound(network: Network) -> int:
    graph = _graph(network)
    if graph.vcount() == 0:
        return 1
    membership = components(network)
    sizes = np.bincount(membership)
    giant = int(np.argmax(sizes))
    degrees = degree(network)
    start = int(np.argmax(np.where(membership == giant, degrees, -1)))
    eccentricity = int(graph.eccentricity(vertices=[start])[0])
    # Any shortest path of the giant component has at most 2 ecc + 1 people; one
    # in another component has at most that component's size.
    other = int(np.sort(sizes)[-2]) if len(sizes) > 1 else 1
    return max(2 * eccentricity + 1, other)


def betweenness_sampled_paths(
    network: Network, *, epsilon: float, delta: float, seed: int = 0
) -> tuple[np.ndarray, int]:
    """Raw (each pair once) hop-count betweenness estimated by Riondato-Kornaropoulos
    path sampling, and the number of pairs sampled.

    For ``r`` = :func:`rk_sample_size` pairs ``(u, v)`` drawn uniformly, one
    shortest ``u``-``v`` path is drawn uniformly (balanced bidirectional BFS,
    compiled, the pairs split over the cores) and each person inside it gets
    ``1/r``; that estimates the betweenness normalized by ``n(n-1)`` within
    ``epsilon`` for everyone at once, with probability ``1 - delta``.
    """
    n = network.number_of_nodes()
    if n < 3:
        return np.zeros(n), 0
    r = rk_sample_size(_vertex_diameter_bound(network), epsilon=epsilon, delta=delta)
    rng = np.random.default_rng(seed)
    u = rng.integers(0, n, r)
    v = rng.integers(0, n - 1, r)
    v = v + (v >= u)
    pairs = np.column_stack([u, v]).astype(np.int64)
    draws = rng.random((r, 2 * _vertex_diameter_bound(network) + 2))
    indptr, indices, _ = network.csr()
    counts = _kernels.rk_betweenness(
        np.ascontiguousarray(indptr, dtype=np.int64),
        np.ascontiguousarray(indices, dtype=np.int64),
        pairs,
        draws,
        max(1, numba.get_num_threads() * 2),
    )
    return counts / r * (n * (n - 1) / 2), r
