"""Key-person risk: what the network loses if one person leaves.

For every person :func:`key_person_risk` answers three questions about the
network without them:

* does it fall apart? -- ``components_split`` (extra pieces their part of the
  network breaks into) and ``people_cut_off`` (people no longer connected to
  the largest remaining piece);
* who loses their only way to a group? -- ``people_losing_a_group`` (people
  whose every path to some group ran through them) and
  ``group_access_lost`` (such person-group pairs);
* which links between groups go? -- ``cross_group_ties`` (their own ties to
  other groups) and ``group_links_lost`` (pairs of groups whose every direct
  tie involves them).

Only *articulation points* (people whose removal disconnects the network,
Hopcroft & Tarjan 1973) split components or strand people. Instead of
removing each person and recounting (time :math:`O(n(n+m))`), the
block-cut tree of the biconnected components gives every answer at once:
removing an articulation point leaves exactly its subtrees in that tree as
pieces, and the people and groups in each subtree are summed bottom-up, so
the whole table takes :math:`O((n + m) + a \\cdot b \\cdot G)` for ``a``
articulation points in ``b`` blocks each and ``G`` groups. See
``docs/metrics/key-person-risk.md``.

References
----------
.. [1] Hopcroft, J., and Tarjan, R. "Algorithm 447: efficient algorithms for
   graph manipulation." *Communications of the ACM* 16(6), 372-378 (1973).
.. [2] Borgatti, S. P. "Identifying sets of key players in a social network."
   *Computational and Mathematical Organization Theory* 12, 21-34 (2006).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import numpy as np
import pandas as pd

from bridgework.core.graph import engines
from bridgework.core.graph.network import Network

__all__ = ["RISK_COLUMNS", "key_person_risk"]

RISK_COLUMNS = (
    "components_split",
    "people_cut_off",
    "people_losing_a_group",
    "group_access_lost",
    "cross_group_ties",
    "group_links_lost",
)


def key_person_risk(network: Network, groups: Mapping[int, Hashable | None]) -> pd.DataFrame:
    """What removing each person does to connectivity, group access and group links.

    Parameters
    ----------
    network : Network
    groups : mapping
        ``{person_id: group}`` (team by default in the app); people without
        a group count as one group ``"(none)"``.

    Returns
    -------
    pandas.DataFrame
        One row per person (``person`` and the :data:`RISK_COLUMNS`), the
        riskiest first: by people cut off, then people losing a group, then
        group links lost, then person id.

    Examples
    --------
    A star: 1 holds 2, 3 and 4 together, and is the only link from team
    ``a`` to team ``b``.

    >>> net = Network.from_ties([1, 1, 1], [2, 3, 4])
    >>> risk = key_person_risk(net, {1: "a", 2: "a", 3: "b", 4: "b"})
    >>> risk.iloc[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'person': 1, 'components_split': 2, 'people_cut_off': 2, 'people_losing_a_group': 3,
     'group_access_lost': 3, 'cross_group_ties': 2, 'group_links_lost': 1}
    """
    n = network.number_of_nodes()
    labels = np.asarray([str(groups.get(p) or "(none)") for p in network.nodes])
    names, codes = np.unique(labels, return_inverse=True) if n else (np.array([]), np.array([]))
    codes = codes.ravel().astype(np.int64)
    columns = {name: np.zeros(n, dtype=np.int64) for name in RISK_COLUMNS}
    if n:
        _connectivity(network, codes, len(names), columns)
        _group_links(network, codes, columns)
    frame = pd.DataFrame({"person": network.ids, **columns})
    return frame.sort_values(
        ["people_cut_off", "people_losing_a_group", "group_links_lost", "person"],
        ascending=[False, False, False, True],
        kind="stable",
    ).reset_index(drop=True)


def _connectivity(network: Network, codes: np.ndarray, k: int, out: dict[str, np.ndarray]) -> None:
    blocks, points = engines.biconnected(network)
    if not points:
        return
    n = network.number_of_nodes()
    ap_node = np.full(n, -1, dtype=np.int64)  # tree node of each articulation point
    ap_node[points] = len(blocks) + np.arange(len(points))
    size = len(blocks) + len(points)
    weight = np.zeros((size, k), dtype=np.int64)  # group counts held by each tree node
    adjacency: list[list[int]] = [[] for _ in range(size)]
    for b, block in enumerate(blocks):
        members = np.asarray(block, dtype=np.int64)
        cut = ap_node[members] >= 0
        np.add.at(weight[b], codes[members[~cut]], 1)
        for t in ap_node[members[cut]].tolist():
            adjacency[b].append(t)
            adjacency[t].append(b)
    weight[ap_node[points], codes[points]] = 1

    parent = np.full(size, -1, dtype=np.int64)
    root_of = np.full(size, -1, dtype=np.int64)
    order: list[int] = []
    for root in range(size):
        if root_of[root] >= 0:
            continue
        root_of[root] = root
        stack = [root]
        while stack:
            node = stack.pop()
            order.append(node)
            for nxt in adjacency[node]:
                if root_of[nxt] < 0:
                    root_of[nxt] = root
                    parent[nxt] = node
                    stack.append(nxt)
    subtree = weight.copy()
    for node in reversed(order):
        if parent[node] >= 0:
            subtree[parent[node]] += subtree[node]

    for v in points:
        t = int(ap_node[v])
        own = np.zeros(k, dtype=np.int64)
        own[codes[v]] = 1
        whole = subtree[root_of[t]] - own  # the component without v
        pieces = [subtree[c] for c in adjacency[t] if parent[c] == t]
        if parent[t] >= 0:
            pieces.append(subtree[root_of[t]] - subtree[t])
        sizes = np.asarray([int(piece.sum()) for piece in pieces])
        out["components_split"][v] = len(pieces) - 1
        out["people_cut_off"][v] = int(sizes.sum() - sizes.max())
        present = whole > 0
        for piece, piece_size in zip(pieces, sizes.tolist(), strict=True):
            lost = int((present & (piece == 0)).sum())
            if lost:
                out["people_losing_a_group"][v] += piece_size
                out["group_access_lost"][v] += piece_size * lost


def _group_links(network: Network, codes: np.ndarray, out: dict[str, np.ndarray]) -> None:
    ga, gb = codes[network.sources], codes[network.targets]
    across = ga != gb
    if not across.any():
        return
    lo, hi = np.minimum(ga, gb)[across], np.maximum(ga, gb)[across]
    pair = lo * (codes.max() + 1) + hi
    ends_a, ends_b = network.sources[across], network.targets[across]
    n = network.number_of_nodes()
    out["cross_group_ties"][:] = np.bincount(ends_a, minlength=n) + np.bincount(ends_b, minlength=n)
    pair_codes, pair_index, pair_total = np.unique(pair, return_inverse=True, return_counts=True)
    pair_index = pair_index.ravel()
    people = np.concatenate([ends_a, ends_b])
    both = np.concatenate([pair_index, pair_index])
    keys, counts = np.unique(people * len(pair_codes) + both, return_counts=True)
    person, which = keys // len(pair_codes), keys % len(pair_codes)
    sole = counts == pair_total[which]  # every tie between the two groups involves this person
    np.add.at(out["group_links_lost"], person[sole], 1)
