"""Two-step reach: how many people someone can reach through one introduction.

See ``docs/metrics/centrality.md``.
"""

from __future__ import annotations

import numpy as np

from bridgework.core.graph import engines
from bridgework.core.graph.network import Network

__all__ = ["two_step_reach", "two_step_reach_share"]


def _reach_counts(network: Network) -> np.ndarray:
    # A compiled walk over each person's contacts' contacts (engines.two_step_reach).
    return engines.two_step_reach(network)


def two_step_reach(network: Network) -> dict[int, int]:
    """Number of people within two ties of each person, not counting them.

    .. math:: R_2(v) = |\\{u \\ne v : d(u, v) \\le 2\\}|

    A count of who a person knows directly or through one introduction
    (Burt 1992, *Structural Holes*, on the reach of a network; Borgatti,
    Everett & Johnson 2013, *Analyzing Social Networks*, Ch. 10). Runs in
    :math:`O(\\sum_v \\sum_{u \\in N(v)} \\deg u)` time.

    Examples
    --------
    A path 1 - 2 - 3 - 4:

    >>> net = Network.from_ties([1, 2, 3], [2, 3, 4])
    >>> two_step_reach(net)
    {1: 2, 2: 3, 3: 3, 4: 2}
    """
    return network.to_dict(_reach_counts(network))


def two_step_reach_share(network: Network) -> dict[int, float]:
    """Two-step reach as a share of everyone else, :math:`R_2(v) / (n - 1)`.

    Examples
    --------
    >>> net = Network.from_ties([1, 2, 3], [2, 3, 4])
    >>> {p: round(v, 3) for p, v in two_step_reach_share(net).items()}
    {1: 0.667, 2: 1.0, 3: 1.0, 4: 0.667}
    """
    n = network.number_of_nodes()
    counts = _reach_counts(network)
    return network.to_dict(counts / (n - 1) if n > 1 else np.zeros(n))
