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

    # Level 1: where each group sits. Groups tied to other groups are placed
    # by a force-directed layout of the ties between groups; groups with no
    # outside tie (separate islands, often pairs or lone people) are packed
    # in rows below them, largest first.
    ga, gb = codes[network.sources], codes[network.targets]
    across = ga != gb
    linked = np.zeros(k, dtype=bool)
    linked[ga[across]] = True
    linked[gb[across]] = True
    centres = np.zeros((k, 2))
    if linked.sum() > 1:
        keep = np.flatnonzero(linked)
        linked_index = {g: i for i, g in enumerate(keep.tolist())}
        group_net = Network.from_ties(
            [linked_index[g] for g in ga[across].tolist()],
            [linked_index[g] for g in gb[across].tolist()],
            network.weights[across],
            nodes=range(len(keep)),
        )
        centres[keep] = _spread(engines.force_layout(group_net, seed=seed), radius[keep], seed=seed)
    islands = np.flatnonzero(~linked) if linked.sum() > 1 else np.arange(k)
    if len(islands):
        _pack(centres, islands[np.argsort(-sizes[islands], kind="stable")], radius, below=linked)

    # Level 2: each group's members inside its disc.
    xy = np.zeros((n, 2))
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(k + 1))
    for g in range(k):
        members = order[bounds[g] : bounds[g + 1]]
        if len(members) == 1:
            xy[members] = centres[g]
            continue
        if len(members) == 2:
            xy[members] = centres[g] + np.array([[-0.5, 0.0], [0.5, 0.0]]) * radius[g]
            continue
        local = engines.force_layout(network, nodes=members, seed=seed + g)
        local = local - local.mean(axis=0)
        extent = np.abs(local).max()
        if extent > 0:
            local = local / extent * radius[g]
        xy[members] = centres[g] + local
    return {
        person: (round(float(x), 3), round(float(y), 3))
        for person, (x, y) in zip(network.nodes, xy, strict=True)
    }


def _pack(
    centres: np.ndarray, groups: np.ndarray, radius: np.ndarray, *, below: np.ndarray
) -> None:
    """Place ``groups`` (largest first) in rows under the groups already placed."""
    placed = np.flatnonzero(below)
    if len(placed):
        low = (centres[placed, 1] - radius[placed]).min()
        left = (centres[placed, 0] - radius[placed]).min()
        right = (centres[placed, 0] + radius[placed]).max()
    else:
        low, left = 0.0, 0.0
        right = max(np.sqrt(radius[groups] ** 2).sum() * 2, 1.0) ** 0.5 * 4
    width = max(right - left, 4 * radius[groups].max())
    gap = 0.5
    x, y = left, low - gap - radius[groups[0]]
    row_height = radius[groups[0]]
    for g in groups.tolist():
        r = radius[g]
        if x + 2 * r > left + width:
            x = left
            y -= 2 * row_height + gap
            row_height = r
        centres[g] = (x + r, y)
        x += 2 * r + gap


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
