"""Bridgework's own graph type: the tie table as an undirected weighted graph.

Metric modules take a :class:`Network` and never a library graph, so the
engine behind them (``core/graph/engines.py``) can change without touching
them. A ``Network`` maps person ids to dense indices ``0..n-1`` (in ascending
id order), keeps each tie once with its weight, and carries node attributes
such as team, organization and engagement type for group metrics.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np

__all__ = ["Network"]


_NO_ATTRIBUTES: Mapping[str, str] = MappingProxyType({})


class Network:
    """An undirected, weighted graph of people, built from the tie table.

    Use :meth:`from_ties`; the constructor takes already-validated arrays.

    Attributes
    ----------
    ids : numpy.ndarray
        Person ids, ascending; ``ids[i]`` is the person at dense index ``i``.
    sources, targets : numpy.ndarray
        Dense endpoints of each tie, ``sources[e] < targets[e]``.
    weights : numpy.ndarray
        Weight (tie strength) of each tie, ``> 0``.
    """

    __slots__ = (
        "_attributes",
        "_engine_graph",
        "_index",
        "_indptr",
        "_neighbor_index",
        "_neighbor_weight",
        "ids",
        "sources",
        "targets",
        "weights",
    )

    def __init__(
        self,
        ids: np.ndarray,
        sources: np.ndarray,
        targets: np.ndarray,
        weights: np.ndarray,
        attributes: Mapping[int, Mapping[str, str]],
    ) -> None:
        self.ids = ids
        self.sources = sources
        self.targets = targets
        self.weights = weights
        self._engine_graph = None  # built once by engines.py, on first use
        self._index = {int(person): i for i, person in enumerate(ids.tolist())}
        self._attributes = MappingProxyType(
            {k: MappingProxyType(dict(v)) for k, v in attributes.items()}
        )
        # CSR adjacency (both directions) for neighbor queries.
        both_from = np.concatenate([sources, targets])
        both_to = np.concatenate([targets, sources])
        order = np.argsort(both_from * max(len(ids), 1) + both_to, kind="stable")
        self._neighbor_index = both_to[order]
        self._neighbor_weight = np.concatenate([weights, weights])[order]
        self._indptr = np.searchsorted(both_from[order], np.arange(len(ids) + 1))

    @classmethod
    def from_ties(
        cls,
        a: Sequence[int] | np.ndarray,
        b: Sequence[int] | np.ndarray,
        weight: Sequence[float] | np.ndarray | None = None,
        *,
        nodes: Iterable[int] = (),
        attributes: Mapping[int, Mapping[str, str]] | None = None,
    ) -> Network:
        """Build a network from three equal-length columns of the tie table.

        Parameters
        ----------
        a, b : sequence of int
            Person ids at the two ends of each tie; order does not matter.
        weight : sequence of float, optional
            Tie weights, ``> 0``; all 1 when omitted. A pair listed more than
            once gets the sum of its weights.
        nodes : iterable of int, optional
            Extra people to include even without ties (isolates).
        attributes : mapping, optional
            ``{person_id: {"team": ..., "organization": ..., ...}}``; entries
            for people not in the network are ignored.

        Raises
        ------
        ValueError
            On columns of different lengths, a self-tie or a weight ``<= 0``.

        Examples
        --------
        >>> net = Network.from_ties([10, 20, 20], [20, 30, 10], [1.0, 2.0, 0.5])
        >>> net.nodes, net.number_of_edges(), net.weight(10, 20)
        ([10, 20, 30], 2, 1.5)
        """
        a_arr = np.asarray(a, dtype=np.int64).ravel()
        b_arr = np.asarray(b, dtype=np.int64).ravel()
        w_arr = (
            np.ones(len(a_arr)) if weight is None else np.asarray(weight, dtype=np.float64).ravel()
        )
        if not len(a_arr) == len(b_arr) == len(w_arr):
            raise ValueError("a, b and weight must have the same length")
        if np.any(a_arr == b_arr):
            raise ValueError("a tie must join two different people")
        if np.any(~(w_arr > 0)):
            raise ValueError("tie weights must be > 0")
        extra = np.fromiter((int(v) for v in nodes), dtype=np.int64)
        everyone = np.sort(np.concatenate([a_arr, b_arr, extra]))
        ids = (
            everyone[np.concatenate([[True], everyone[1:] != everyone[:-1]])]
            if len(everyone)
            else everyone
        )
        lo = np.searchsorted(ids, np.minimum(a_arr, b_arr))
        hi = np.searchsorted(ids, np.maximum(a_arr, b_arr))
        n = len(ids)
        key = lo * max(n, 1) + hi
        # Sort-based unique: numpy's hash-based np.unique is slow on millions of
        # mostly distinct keys.
        order = np.argsort(key, kind="stable")
        sorted_keys = key[order]
        if len(key):
            starts = np.flatnonzero(np.concatenate([[True], sorted_keys[1:] != sorted_keys[:-1]]))
            unique_keys = sorted_keys[starts]
            summed = np.add.reduceat(w_arr[order], starts)
        else:
            unique_keys = np.zeros(0, dtype=np.int64)
            summed = np.zeros(0)
        sources = unique_keys // max(n, 1)
        targets = unique_keys % max(n, 1)
        known = set(ids.tolist())
        attrs = {int(k): v for k, v in (attributes or {}).items() if int(k) in known}
        return cls(ids, sources.astype(np.int64), targets.astype(np.int64), summed, attrs)

    @property
    def nodes(self) -> list[int]:
        """Person ids in dense-index order (ascending)."""
        nodes: list[int] = self.ids.tolist()
        return nodes

    @property
    def attributes(self) -> Mapping[int, Mapping[str, str]]:
        """Read-only node attributes, ``{person_id: {name: value}}``."""
        return self._attributes

    def attribute(self, name: str) -> dict[int, str | None]:
        """``{person_id: value of attribute name}`` for every node (None if unknown)."""
        return {p: self._attributes.get(p, _NO_ATTRIBUTES).get(name) for p in self.nodes}

    def number_of_nodes(self) -> int:
        return len(self.ids)

    def number_of_edges(self) -> int:
        return len(self.sources)

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, person: object) -> bool:
        return person in self._index

    def index(self, person: int) -> int:
        """Dense index of a person id (KeyError if absent)."""
        return self._index[person]

    def neighbors(self, person: int) -> list[int]:
        """Ids of the people tied to ``person``, ascending."""
        i = self._index[person]
        neighbors: list[int] = self.ids[
            self._neighbor_index[self._indptr[i] : self._indptr[i + 1]]
        ].tolist()
        return neighbors

    def neighbor_indices(self, i: int) -> np.ndarray:
        """Dense indices of the neighbors of dense index ``i``."""
        return self._neighbor_index[self._indptr[i] : self._indptr[i + 1]]

    def csr(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Symmetric CSR adjacency ``(indptr, neighbor indices, weights)``, rows sorted."""
        return self._indptr, self._neighbor_index, self._neighbor_weight

    def weight(self, a: int, b: int) -> float | None:
        """Weight of the tie between two people, or None without a tie."""
        i, j = sorted((self._index[a], self._index[b]))
        hits = np.flatnonzero((self.sources == i) & (self.targets == j))
        return float(self.weights[hits[0]]) if len(hits) else None

    def to_dict(self, values: Sequence[Any] | np.ndarray) -> dict[int, Any]:
        """``{person_id: values[i]}`` for a per-index sequence."""
        return dict(
            zip(self.nodes, (v.item() if hasattr(v, "item") else v for v in values), strict=True)
        )

    def __repr__(self) -> str:
        return f"<Network: {self.number_of_nodes()} people, {self.number_of_edges()} ties>"
