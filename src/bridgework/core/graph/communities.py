"""Communities: the groups people actually work in, compared with the org chart.

:func:`communities` finds densely tied groups with the Leiden algorithm;
:func:`modularity` scores a partition; :func:`normalized_mutual_information`
and :func:`adjusted_rand_index` say how closely the communities follow the
formal teams; :func:`community_team_overlap` lists, for each community,
which teams it draws from. See ``docs/metrics/communities-and-groups.md``.

References
----------
.. [1] Traag, V. A., Waltman, L., and van Eck, N. J. "From Louvain to Leiden:
   guaranteeing well-connected communities." *Scientific Reports* 9, 5233
   (2019).
.. [2] Newman, M. E. J. "Modularity and community structure in networks."
   *PNAS* 103(23), 8577-8582 (2006).
.. [3] Danon, L., Diaz-Guilera, A., Duch, J., and Arenas, A. "Comparing
   community structure identification." *J. Stat. Mech.* P09008 (2005).
.. [4] Hubert, L., and Arabie, P. "Comparing partitions." *Journal of
   Classification* 2, 193-218 (1985).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

from bridgework.core.graph import engines
from bridgework.core.graph.network import Network

__all__ = [
    "adjusted_rand_index",
    "communities",
    "community_team_overlap",
    "modularity",
    "normalized_mutual_information",
]


def communities(
    network: Network,
    *,
    resolution: float = 1.0,
    weighted: bool = True,
    seed: int = 0,
) -> dict[int, int]:
    """Community of each person, found by the Leiden algorithm on modularity.

    Leiden (Traag et al. 2019) refines Louvain so that every community is
    internally connected; it is run until the partition stops improving.
    Communities are numbered ``1, 2, ...`` from the largest down (ties in
    size by the smallest person id they hold), so the labels do not depend
    on the engine's internal order. A fixed ``seed`` gives the same
    partition every run. People without ties are each their own community.

    Parameters
    ----------
    network : Network
    resolution : float, keyword-only
        Modularity's resolution :math:`\\gamma`: above 1 gives more, smaller
        communities (team-sized in large organizations, where 1 tends to
        merge teams into departments).
    weighted : bool, keyword-only
        Use tie strengths (default) or count every tie as 1.
    seed : int, keyword-only

    Returns
    -------
    dict
        ``{person_id: community number}``.

    Examples
    --------
    Two triangles joined by one tie:

    >>> net = Network.from_ties([1, 1, 2, 4, 4, 5, 3], [2, 3, 3, 5, 6, 6, 4])
    >>> communities(net)
    {1: 1, 2: 1, 3: 1, 4: 2, 5: 2, 6: 2}
    """
    if not resolution > 0:
        raise ValueError("resolution must be > 0")
    membership = engines.leiden(network, resolution=resolution, weighted=weighted, seed=seed)
    return network.to_dict(_renumber_by_size(membership))


def _renumber_by_size(membership: np.ndarray) -> np.ndarray:
    if len(membership) == 0:
        return membership
    labels, inverse, counts = np.unique(membership, return_inverse=True, return_counts=True)
    first = np.full(len(labels), len(membership))
    np.minimum.at(first, inverse.ravel(), np.arange(len(membership)))
    order = np.lexsort((first, -counts))  # largest first, then lowest first member
    rank = np.empty(len(labels), dtype=np.int64)
    rank[order] = np.arange(1, len(labels) + 1)
    return rank[inverse.ravel()]


def modularity(
    network: Network,
    partition: Mapping[int, Hashable],
    *,
    resolution: float = 1.0,
    weighted: bool = True,
) -> float:
    """Newman's modularity of a partition of the network.

    .. math::

       Q = \\frac{1}{2m} \\sum_{ij} \\Bigl(A_{ij} - \\gamma \\frac{k_i k_j}{2m}\\Bigr)
       \\delta(c_i, c_j)

    the share of tie weight inside groups, less what random ties with the
    same strengths would put there. Around 0.3 and above means clear
    communities. ``nan`` for a network without ties.

    Examples
    --------
    >>> net = Network.from_ties([1, 1, 2, 4, 4, 5, 3], [2, 3, 3, 5, 6, 6, 4])
    >>> round(modularity(net, {1: "a", 2: "a", 3: "a", 4: "b", 5: "b", 6: "b"}), 4)
    0.3571
    """
    labels = [partition[p] for p in network.nodes]
    _, codes = np.unique(np.asarray([str(v) for v in labels]), return_inverse=True)
    return engines.modularity(network, codes.ravel(), resolution=resolution, weighted=weighted)


def _contingency(a: Sequence[Hashable], b: Sequence[Hashable]) -> np.ndarray:
    if len(a) != len(b):
        raise ValueError("the two labelings must cover the same people")
    if len(a) == 0:
        raise ValueError("cannot compare empty labelings")
    _, ia = np.unique(np.asarray([str(v) for v in a]), return_inverse=True)
    _, ib = np.unique(np.asarray([str(v) for v in b]), return_inverse=True)
    table = np.zeros((ia.max() + 1, ib.max() + 1), dtype=np.int64)
    np.add.at(table, (ia.ravel(), ib.ravel()), 1)
    return table


def _entropy(counts: np.ndarray) -> float:
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log(p)).sum())


def normalized_mutual_information(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Normalized mutual information of two labelings of the same people.

    .. math::

       NMI(A, B) = \\frac{2\\, I(A; B)}{H(A) + H(B)}

    (Danon et al. 2005; the "arithmetic" normalization). 1 when the two
    partitions are the same up to renaming, 0 when they are independent.
    Two labelings that each put everyone in one group score 1.

    Examples
    --------
    >>> normalized_mutual_information([1, 1, 2, 2], ["x", "x", "y", "y"])
    1.0
    >>> normalized_mutual_information([1, 1, 2, 2], ["x", "y", "x", "y"])
    0.0
    """
    table = _contingency(a, b)
    n = table.sum()
    h_a, h_b = _entropy(table.sum(axis=1)), _entropy(table.sum(axis=0))
    if h_a + h_b == 0:
        return 1.0
    nz = table > 0
    outer = np.outer(table.sum(axis=1), table.sum(axis=0))
    mutual = float((table[nz] / n * np.log(table[nz] * n / outer[nz])).sum())
    return max(0.0, min(1.0, 2 * mutual / (h_a + h_b)))


def adjusted_rand_index(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Adjusted Rand index of two labelings (Hubert & Arabie 1985).

    .. math::

       ARI = \\frac{\\sum_{ij} \\binom{n_{ij}}{2} - E}
                  {\\tfrac12 \\bigl[\\sum_i \\binom{a_i}{2} + \\sum_j \\binom{b_j}{2}\\bigr] - E},
       \\qquad E = \\frac{\\sum_i \\binom{a_i}{2} \\sum_j \\binom{b_j}{2}}{\\binom{n}{2}}

    The share of pairs of people both labelings agree on (together or
    apart), corrected for chance: 1 for identical partitions, about 0 for
    unrelated ones, negative when worse than chance.

    Examples
    --------
    >>> adjusted_rand_index([1, 1, 2, 2], ["x", "x", "y", "y"])
    1.0
    >>> round(adjusted_rand_index([1, 1, 1, 2, 2, 2], [1, 1, 2, 2, 3, 3]), 4)
    0.2424
    """
    table = _contingency(a, b)
    n = int(table.sum())

    def pairs(x: np.ndarray) -> float:
        return float((x * (x - 1) / 2).sum())

    together = pairs(table)
    rows, cols = pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    total = n * (n - 1) / 2
    expected = rows * cols / total if total else 0.0
    best = (rows + cols) / 2
    if math.isclose(best, expected):
        return 1.0
    return (together - expected) / (best - expected)


def community_team_overlap(
    partition: Mapping[int, Hashable], teams: Mapping[int, Hashable | None], *, top: int = 3
) -> pd.DataFrame:
    """For each community: its size and the teams it draws from, largest first.

    Returns
    -------
    pandas.DataFrame
        One row per community: ``community``, ``size``, ``main_team``,
        ``main_team_share`` (share of the community from its largest team),
        ``teams`` (number of distinct teams) and ``top_teams`` (a
        ``"Team (n), ..."`` summary of the ``top`` largest).

    Examples
    --------
    >>> overlap = community_team_overlap({1: 1, 2: 1, 3: 1, 4: 2}, {1: "A", 2: "A", 3: "B", 4: "B"})
    >>> overlap[["community", "size", "main_team", "top_teams"]].values.tolist()
    [[1, 3, 'A', 'A (2), B (1)'], [2, 1, 'B', 'B (1)']]
    """
    frame = pd.DataFrame(
        {
            "community": [partition[p] for p in partition],
            "team": [teams.get(p) or "(no team)" for p in partition],
        }
    )
    rows = []
    for community, members in frame.groupby("community", sort=True):
        counts = members["team"].value_counts()
        counts = counts.sort_index().sort_values(ascending=False, kind="stable")
        rows.append(
            {
                "community": community,
                "size": len(members),
                "main_team": counts.index[0],
                "main_team_share": counts.iloc[0] / len(members),
                "teams": len(counts),
                "top_teams": ", ".join(f"{t} ({c})" for t, c in counts.head(top).items()),
            }
        )
    return pd.DataFrame(
        rows, columns=["community", "size", "main_team", "main_team_share", "teams", "top_teams"]
    )
