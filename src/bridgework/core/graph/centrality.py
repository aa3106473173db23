"""Person centrality: degree, betweenness, PageRank, eigenvector and k-core.

Every function takes a :class:`~bridgework.core.graph.network.Network` and
returns ``{person_id: value}``. The heavy lifting runs in igraph through
``core/graph/engines.py``; see ``docs/metrics/centrality.md`` for how to read
each number.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from bridgework.core.graph import engines
from bridgework.core.graph.network import Network

__all__ = [
    "betweenness",
    "degree",
    "eigenvector",
    "k_core",
    "pagerank",
    "weighted_degree",
]


def degree(network: Network) -> dict[int, int]:
    """Number of ties of each person.

    .. math:: C_D(v) = |N(v)|

    Freeman, L. C. (1979). Centrality in social networks: conceptual
    clarification. *Social Networks* 1(3), 215-239.

    Examples
    --------
    >>> net = Network.from_ties([1, 1, 2], [2, 3, 3], nodes=[4])
    >>> degree(net)
    {1: 2, 2: 2, 3: 2, 4: 0}
    """
    return network.to_dict(engines.degree(network))


def weighted_degree(network: Network) -> dict[int, float]:
    """Sum of the weights of each person's ties (node *strength*).

    .. math:: s(v) = \\sum_{u \\in N(v)} w_{uv}

    Barrat, A. et al. (2004). The architecture of complex weighted networks.
    *PNAS* 101(11), 3747-3752.

    Examples
    --------
    >>> net = Network.from_ties([1, 1], [2, 3], [0.5, 0.25])
    >>> weighted_degree(net)
    {1: 0.75, 2: 0.5, 3: 0.25}
    """
    return network.to_dict(engines.strength(network))


def betweenness(
    network: Network,
    *,
    normalized: bool = True,
    weight: Literal["distance"] | None = None,
    exact_up_to: int = 5000,
    epsilon: float = 0.01,
    delta: float = 0.1,
    samples: int = 1000,
    seed: int = 0,
) -> dict[int, float]:
    """Shortest-path betweenness: how often a person lies between two others.

    .. math::

       C_B(v) = \\sum_{s < t,\\; s, t \\ne v} \\frac{\\sigma_{st}(v)}{\\sigma_{st}}

    where :math:`\\sigma_{st}` is the number of shortest paths between ``s``
    and ``t`` and :math:`\\sigma_{st}(v)` those passing through ``v``
    (Freeman 1977), computed with Brandes' algorithm (2001). Normalized, it
    is divided by the :math:`(n-1)(n-2)/2` pairs that could pass through
    ``v``, giving a share in ``[0, 1]`` (NetworkX's convention).

    Parameters
    ----------
    network : Network
    normalized : bool, default True
        Divide by :math:`(n-1)(n-2)/2`.
    weight : {None, "distance"}, default None
        ``None`` counts hops. ``"distance"`` makes a tie's length
        ``1 / weight``, so paths prefer strong ties (a tie twice as strong
        is half as long).
    exact_up_to : int, default 5000
        Exact for networks with at most this many people; above, estimated.
    epsilon, delta : float, default 0.01 and 0.1
        Hop counts, above ``exact_up_to``: every estimate is within
        ``epsilon`` (of betweenness normalized by :math:`n(n-1)`, i.e.
        :math:`\\epsilon\\, n/(n-2)` in the normalized units returned here)
        with probability at least ``1 - delta``.
    samples : int, default 1000
        ``weight="distance"``, above ``exact_up_to``: sources sampled.
    seed : int, default 0
        The same seed gives the same estimate.

    Notes
    -----
    Hop counts, above ``exact_up_to`` people: Riondato-Kornaropoulos path
    sampling. :math:`r` pairs of people are drawn at random; for each, one of
    its shortest paths is drawn uniformly (balanced bidirectional
    breadth-first search, which meets in the middle after touching a few
    thousand ties) and each person inside it gets :math:`1/r`. With

    .. math:: r = \\frac{0.5}{\\epsilon^2}\\left(\\lfloor\\log_2(VD-2)\\rfloor + 1
              + \\ln\\frac{1}{\\delta}\\right)

    (``engines.rk_sample_size``; :math:`VD` bounds the people on a shortest
    path, from one breadth-first search), the bound holds for everyone at
    once. For 100,000 people, :math:`\\epsilon = 0.01`, :math:`\\delta = 0.1`:
    about 32,000 pairs, seconds.

    With ``weight="distance"``, above ``exact_up_to``: ``samples = k`` sources
    are drawn without replacement and their dependencies scaled by ``n / k``
    (Brandes & Pich 2007); each estimate is within
    :math:`\\frac{n}{n-1}\\sqrt{\\ln(2n/\\delta)/(2k)}` with probability
    :math:`1 - \\delta` (``engines.betweenness_error_bound``, Hoeffding).

    References
    ----------
    Freeman, L. C. (1977). A set of measures of centrality based on
    betweenness. *Sociometry* 40(1), 35-41.
    Brandes, U. (2001). A faster algorithm for betweenness centrality.
    *J. Mathematical Sociology* 25(2), 163-177.
    Riondato, M. & Kornaropoulos, E. M. (2016). Fast approximation of
    betweenness centrality through sampling. *Data Mining and Knowledge
    Discovery* 30(2), 438-475.
    Brandes, U. & Pich, C. (2007). Centrality estimation in large networks.
    *Int. J. Bifurcation and Chaos* 17(7), 2303-2318.

    Examples
    --------
    A path 1 - 2 - 3: person 2 is on the only path between 1 and 3.

    >>> net = Network.from_ties([1, 2], [2, 3])
    >>> betweenness(net)
    {1: 0.0, 2: 1.0, 3: 0.0}
    """
    if weight not in (None, "distance"):
        raise ValueError(f"weight must be None or 'distance', not {weight!r}")
    n = network.number_of_nodes()
    if n > exact_up_to and weight is None:
        raw, _ = engines.betweenness_sampled_paths(network, epsilon=epsilon, delta=delta, seed=seed)
    else:
        distance = None if weight is None else 1.0 / network.weights
        sampled = samples if n > exact_up_to else None
        raw = engines.betweenness(network, distance=distance, samples=sampled, seed=seed)
    if normalized:
        raw = raw / ((n - 1) * (n - 2) / 2) if n > 2 else np.zeros(n)
    return network.to_dict(raw)


def pagerank(network: Network, *, damping: float = 0.85, weighted: bool = True) -> dict[int, float]:
    """PageRank: the share of time a random walk along ties spends at a person.

    .. math::

       PR(v) = \\frac{1 - d}{n} + d \\sum_{u \\in N(v)} \\frac{w_{uv}}{s(u)} PR(u)

    with damping ``d`` and strength :math:`s(u)`; a person without ties
    spreads their share evenly. Values sum to 1. Solved exactly (PRPACK),
    not by a tolerance-limited power iteration.

    Page, L., Brin, S., Motwani, R. & Winograd, T. (1999). The PageRank
    citation ranking: bringing order to the web. Stanford InfoLab 1999-66.

    Examples
    --------
    >>> net = Network.from_ties([1, 1], [2, 3])
    >>> {p: round(v, 4) for p, v in pagerank(net).items()}
    {1: 0.4865, 2: 0.2568, 3: 0.2568}
    """
    if not 0 <= damping < 1:
        raise ValueError("damping must be in [0, 1)")
    return network.to_dict(engines.pagerank(network, damping=damping, weighted=weighted))


def eigenvector(network: Network, *, weighted: bool = True) -> dict[int, float]:
    """Eigenvector centrality: being tied to people who are themselves central.

    .. math:: \\lambda\\, x_v = \\sum_{u} w_{uv}\\, x_u

    ``x`` is the leading eigenvector of the (weighted) adjacency matrix,
    scaled to unit Euclidean norm like NetworkX's ``eigenvector_centrality``.
    It is defined on a connected network only: on a disconnected one it is
    computed on the largest connected component and everyone else gets 0
    (what the leading eigenvector of the whole matrix gives when that
    component has the largest eigenvalue, as it almost always does).

    Bonacich, P. (1987). Power and centrality: a family of measures.
    *American Journal of Sociology* 92(5), 1170-1182.

    Examples
    --------
    >>> net = Network.from_ties([1, 1], [2, 3])
    >>> {p: round(v, 4) for p, v in eigenvector(net).items()}
    {1: 0.7071, 2: 0.5, 3: 0.5}
    """
    values = engines.eigenvector_centrality(network, weighted=weighted)
    norm = float(np.linalg.norm(values))
    return network.to_dict(values / norm if norm > 0 else values)


def k_core(network: Network) -> dict[int, int]:
    """Core number: the largest ``k`` such that the person is in the k-core.

    The k-core is the largest subnetwork in which everyone has at least ``k``
    ties inside it (Seidman 1983); computed by repeatedly peeling the people
    of lowest degree (Batagelj & Zaversnik 2003).

    Seidman, S. B. (1983). Network structure and minimum degree. *Social
    Networks* 5(3), 269-287.

    Examples
    --------
    A triangle with a pendant person 4:

    >>> net = Network.from_ties([1, 1, 2, 3], [2, 3, 3, 4])
    >>> k_core(net)
    {1: 2, 2: 2, 3: 2, 4: 1}
    """
    return network.to_dict(engines.coreness(network))
