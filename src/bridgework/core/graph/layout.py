"""Positions for drawing the network map: communities as islands.

A force-directed layout of a whole organization either takes minutes
(10,000 people) or draws a hairball. :func:`group_layout` lays the network
out in two levels, as organization maps are usually read: the groups
(communities by default) are placed by a force-directed layout of the
group-to-group ties, each in a disc whose area grows with its size, and
each group's members by a force-directed layout of the ties among them.
Groups that trade many ties sit close together; people who bridge pull
toward the edge of their disc only through the drawing of their ties. See
``docs/network-map.md``.

References
----------
.. [1] Fruchterman, T. M. J., and Reingold, E. M. "Graph drawing by
   force-directed placement." *Software: Practice and Experience* 21(11),
   1129-1164 (1991).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import numpy as np

from bridgework.core.graph import engines
from bridgework.core.graph.network import Network

__all__ = ["group_layout"]


def group_layout(
    network: Network, groups: Mapping[int, Hashable], *, seed: int = 0
) -> dict[int, tuple[float, float]]:
    """``{person_id: (x, y)}`` with each group drawn as its own island.

    Parameters
    ----------
    network : Network
    groups : mapping
        ``{person_id: group}``, usually the communities; people without a
        group form one group.
    seed : int, keyword-only
        The same seed gives the same picture.

    Examples
    --------
    >>> net = Network.from_ties([1, 1, 2, 4, 4, 5, 3], [2, 3, 3, 5, 6, 6, 4])
    >>> xy = group_layout(net, {1: "a", 2: "a", 3: "a", 4: "b", 5: "b", 6: "b"})
    >>> sorted(xy) == [1, 2, 3, 4, 5, 6] and all(len(p) == 2 for p in xy.values())
    True
    """
    n = network.number_of_nodes()
    if n == 0:
        return {}
    labels = np.asarray([str(groups.get(p, "")) for p in network.nodes])
    names, codes = np.unique(labels, return_inverse=True)
    codes = codes.ravel()
    k = len(names)
    sizes = np.bincount(codes, minlength=k)
    radius = np.sqrt(sizes)

    # Level 1: where each group sits.
    ga, gb = codes[network.sources], codes[network.targets]
    across = ga != gb
    if k > 1 and across.any():
        group_net = Network.from_ties(
            ga[across], gb[across], network.weights[across], nodes=range(k)
        )
        centres = engines.force_layout(group_net, seed=seed)
    else:
        angle = np.linspace(0, 2 * np.pi, k, endpoint=False)
        centres = np.column_stack([np.cos(angle), np.sin(angle)])
    centres = _spread(centres, radius, seed=seed)

    # Level 2: each group's members inside its disc.
    xy = np.zeros((n, 2))
    for g in range(k):
        members = np.flatnonzero(codes == g)
        local = engines.force_layout(network, nodes=members, seed=seed + g)
        local = local - local.mean(axis=0)
        extent = np.abs(local).max() if len(local) > 1 else 0.0
        if extent > 0:
            local = local / extent * radius[g]
        xy[members] = centres[g] + local
    return {
        person: (round(float(x), 3), round(float(y), 3))
        for person, (x, y) in zip(network.nodes, xy, strict=True)
    }


def _spread(centres: np.ndarray, radius: np.ndarray, *, seed: int, rounds: int = 200) -> np.ndarray:
    """Scale the group centres to disc sizes, then push overlapping discs apart."""
    k = len(centres)
    if k == 1:
        return np.zeros((1, 2))
    centres = centres - centres.mean(axis=0)
    distance = np.linalg.norm(centres[:, None] - centres[None, :], axis=2)
    needed = radius[:, None] + radius[None, :]
    np.fill_diagonal(distance, np.inf)
    scale = np.max(needed / np.maximum(distance, 1e-9)) if k > 1 else 1.0
    centres = centres * min(scale, 1e6) * 0.6
    jitter = np.random.default_rng(seed).normal(scale=1e-3, size=centres.shape)
    centres = centres + jitter
    gap = 1.15
    for _ in range(rounds):
        delta = centres[:, None] - centres[None, :]
        dist = np.linalg.norm(delta, axis=2)
        np.fill_diagonal(dist, np.inf)
        overlap = np.clip(needed * gap - dist, 0, None)
        if not overlap.any():
            break
        push = (delta / dist[..., None]) * (overlap / 2)[..., None]
        centres = centres + np.nansum(push, axis=1)
    return centres
