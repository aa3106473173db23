"""Warm-introduction paths: the strongest chains of ties, at most a few hops.

Long on purpose: the graph type, the k-best search and its single-target and
all-targets forms share private helpers and invariants that are clearer in
one place than split across modules.

INTERFACE (implemented by the path-finding work; other code relies on it):

``TieGraph.from_edges(a, b, strength)`` — an undirected graph from three
equal-length sequences (Person ids, Person ids, strengths in (0, 1]).
``graph.neighbors(node) -> dict[int, float]``; ``graph.strength(a, b) -> float | None``;
``node in graph``; ``graph.number_of_nodes()``, ``graph.number_of_edges()``.

``Path`` — frozen dataclass: ``nodes`` (tuple of ids, source first),
``strengths`` (tuple, one per hop), ``score`` (their product), ``hops``.

``best_paths(graph, source, targets, *, max_hops=3, k=3, exclude=()) -> list[Path]``
— the ``k`` best simple paths from ``source`` to any node of ``targets`` (an
id or a collection of ids), maximizing the product of tie strengths, at most
``max_hops`` hops, best first; ``exclude`` are nodes a path may not use.

``best_path_to_each(graph, source, targets, *, max_hops=3, not_through=()) -> dict[int, Path]``
— the best path to every reachable target (for expertise ranking);
``not_through`` are nodes no path may pass through, though they may be targets.

The objective
-------------
A path :math:`P = (v_0, v_1, \\dots, v_h)` from the source :math:`v_0` scores

.. math::

   \\operatorname{score}(P) = \\prod_{i=1}^{h} s(v_{i-1}, v_i), \\qquad 0 < s \\le 1,

read as the chance that every hop passes the introduction on when each
person does so with a probability given by the tie strength. Maximizing it is
a shortest-path problem on the costs :math:`-\\log s \\ge 0`. Scores are
computed left to right from the source (``((s_1 s_2) s_3)``) everywhere, so
equal paths get bit-identical scores. Paths are *simple* (no node twice) and
have at most ``max_hops`` hops. Paths are ranked by score, then by fewer hops
(one fewer person to ask), then by their node ids read from the source, so
the order is deterministic even when scores tie.

With a target *set* (an organization's people) a path ends at the first
target it meets: no target is an intermediate of another target's path (that
path is never better than its prefix, and asking a colleague of the target to
introduce you to another colleague is a different request). The source is
never its own target in :func:`best_paths`; :func:`best_path_to_each`
reports a source that is also a target with a 0-hop path of score 1.

Algorithms
----------
``best_paths`` with ``max_hops <= 3`` meets in the middle, vectorized over
the CSR arrays of :class:`TieGraph`:

1. the backward side: every tie ``(b, t)`` of a target ``t`` gives
   ``best_back[b] = max_t s(b, t)`` in a dense per-thread array of size *n*;
   a tie of the source itself to a target is a 1-hop path;
2. the forward side: ``fwd[a] = s(source, a)`` for the source's ties;
3. 2-hop paths are the ``a`` with both ``fwd[a]`` and ``best_back[a]``; 3-hop
   paths ``source-a-b-t`` join the ties ``(a, b)`` read from the CSR rows of
   whichever side is cheaper (the sum of degrees of the ``a`` or of the
   ``b``), so two hubs cost ``O(min)`` and not ``O(d^2)``;
4. every ``(a, b)`` pair (and every 1-hop path and 2-hop ``a``) stands for a
   distinct path, its best one; the k-th largest of these *representative*
   scores is a threshold :math:`\\theta` below which no top-k path lies;
   every path scoring at least :math:`\\theta` is then listed (the ``t`` of
   each pair in strength order) and the k best are taken. This is exact,
   ties included.

The dense arrays are filled and reset around each query, so a query costs
about the degrees it touches, not *n*. For ``max_hops >= 4`` a best-first
search over partial simple paths is used (A*): a partial path ending at ``v``
with ``r`` hops left is ranked by its score times the best product of any walk
of at most ``r`` hops from ``v`` to a target, computed by a hop-layered
dynamic program backward from the targets. That bound is admissible, so
complete paths come off the queue best first; the search stops when the best
open bound falls below the k-th best complete path.

``best_path_to_each`` runs the hop-layered dynamic program forward from the
source: ``best[h][v]`` is the best product of a walk of exactly ``h`` hops
to ``v``,

.. math::

   \\operatorname{best}_h(v) = \\max_{u \\in N(v)} \\operatorname{best}_{h-1}(u)\\, s(u, v),
   \\qquad \\operatorname{best}_0 = [v = \\text{source}],

and each target takes the best over ``h <= max_hops`` with the fewest hops
among equal scores. Plain Dijkstra on :math:`-\\log s` is *not* exact under a
hop limit (the cheapest path to an intermediate node may use too many hops);
the layered program is. It optimizes over walks, which may repeat nodes, but
the walk it returns is a simple path: if it visited a node twice, cutting out
the cycle would give a walk with fewer hops and a product at least as large
(the cut factors are at most 1; in floating point too, since multiplying by
a factor at most 1 never increases a number and rounding is monotone), which
the tie rule (fewest hops among equal scores) would have preferred. Only the
last two layers are restricted to what can still reach a target (the
targets' neighbours, then the targets), and the last layer is read from the
targets' side.

Examples
--------
>>> graph = TieGraph.from_edges(
...     [1, 1, 2, 3, 4, 1], [2, 3, 4, 4, 5, 6], [0.9, 0.5, 0.8, 0.9, 0.7, 0.2]
... )
>>> graph.number_of_nodes(), graph.number_of_edges()
(6, 6)
>>> graph.neighbors(1)
{2: 0.9, 3: 0.5, 6: 0.2}
>>> for path in best_paths(graph, 1, 5):
...     print(path.nodes, round(path.score, 3))
(1, 2, 4, 5) 0.504
(1, 3, 4, 5) 0.315
>>> best_paths(graph, 1, 5, exclude=[2])[0].nodes
(1, 3, 4, 5)
>>> best_paths(graph, 1, 5, max_hops=2)
[]
>>> {t: p.hops for t, p in best_path_to_each(graph, 1, [1, 4, 6]).items()}
{1: 0, 4: 2, 6: 1}

References
----------
.. [1] M. S. Granovetter, "The strength of weak ties", American Journal of
   Sociology 78(6), 1973.
.. [2] J. Travers and S. Milgram, "An experimental study of the small world
   problem", Sociometry 32(4), 1969.
.. [3] P. S. Dodds, R. Muhamad and D. J. Watts, "An experimental study of
   search in global social networks", Science 301(5634), 2003.
"""

from __future__ import annotations

import heapq
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import DTypeLike

__all__ = ["TieGraph", "Path", "best_paths", "best_path_to_each"]

# The search's bound is computed from the target side, the scores from the
# source side: a relative slack far above rounding error keeps it admissible.
_BOUND_SLACK = 1.0 + 1e-9


@dataclass(frozen=True, slots=True)
class Path:
    """A chain of ties from the source (``nodes[0]``) to a target (``nodes[-1]``).

    ``strengths[i]`` is the strength of the tie ``nodes[i] - nodes[i + 1]``,
    ``score`` their product (computed left to right), ``hops`` their number.
    """

    nodes: tuple[int, ...]
    strengths: tuple[float, ...]
    score: float
    hops: int

    def __post_init__(self) -> None:
        if len(self.nodes) != len(self.strengths) + 1:
            raise ValueError("a path has one more node than strengths")
        if self.hops != len(self.strengths):
            raise ValueError(f"hops is {self.hops}, but the path has {len(self.strengths)}")

    @classmethod
    def from_strengths(cls, nodes: Iterable[int], strengths: Iterable[float]) -> Path:
        """The path through ``nodes`` with these tie ``strengths``, scored.

        >>> Path.from_strengths([7, 3, 9], [0.5, 0.8])
        Path(nodes=(7, 3, 9), strengths=(0.5, 0.8), score=0.4, hops=2)
        """
        strengths = tuple(float(value) for value in strengths)
        score = 1.0
        for value in strengths:
            score *= value
        return cls(tuple(int(node) for node in nodes), strengths, score, len(strengths))

    @property
    def source(self) -> int:
        return self.nodes[0]

    @property
    def target(self) -> int:
        return self.nodes[-1]

    @property
    def first_hop(self) -> int | None:
        """Whom the source asks first: ``nodes[1]``, or ``None`` for a 0-hop path."""
        return self.nodes[1] if self.hops else None


def _as_array(values: object, *, dtype: DTypeLike | None = None) -> np.ndarray:
    if not hasattr(values, "__len__") and not hasattr(values, "__array__"):
        if not isinstance(values, Iterable):
            raise TypeError(f"expected a sequence, not {type(values).__name__}")
        values = list(values)  # a generator or another one-pass iterable
    return np.asarray(values, dtype=dtype)


def _as_ids(values: object, name: str) -> np.ndarray:
    array = _as_array(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if array.size and array.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer ids, not {array.dtype}")
    return array.astype(np.int64, copy=False)


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


class _Scratch:
    """Dense per-thread work arrays, all zero (``slot`` all -1) between queries."""

    def __init__(self, n: int) -> None:
        self.forward = np.zeros(n)
        self.backward = np.zeros(n)
        self.slot = np.full(n, -1, dtype=np.int64)


class TieGraph:
    """An undirected graph of ties with strengths in (0, 1], stored as CSR arrays.

    Build it with :meth:`from_edges`. Node ids are arbitrary integers (Person
    ids); internally they map to dense indices in id order. Each node's ties
    are kept twice: strongest first (for :meth:`neighbors` and the searches)
    and by neighbour index (for :meth:`strength`, ``O(log d)``). The graph
    is immutable and safe to share between threads: queries use per-thread
    scratch arrays.
    """

    def __init__(
        self,
        a: Iterable[int] = (),
        b: Iterable[int] = (),
        strength: Iterable[float] = (),
    ) -> None:
        left, right = _as_ids(a, "a"), _as_ids(b, "b")
        weights = _as_array(strength, dtype=np.float64)
        if weights.ndim != 1 or not len(left) == len(right) == len(weights):
            raise ValueError(
                f"a, b and strength must have the same length "
                f"({len(left)}, {len(right)}, {len(weights)})"
            )
        bad = ~((weights > 0) & (weights <= 1))
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"tie strengths must be in (0, 1]; row {first} "
                f"({left[first]}, {right[first]}) has {weights[first]!r}"
            )
        ids = np.unique(np.concatenate([left, right]))
        n = len(ids)
        lo, hi = np.searchsorted(ids, left), np.searchsorted(ids, right)
        keep = lo != hi  # self-loops dropped
        lo, hi, weights = np.minimum(lo, hi)[keep], np.maximum(lo, hi)[keep], weights[keep]
        pair = lo * n + hi
        order = np.lexsort((-weights, pair))  # the strongest copy of a pair first
        pair, weights = pair[order], weights[order]
        is_first = np.ones(len(pair), dtype=bool)
        is_first[1:] = pair[1:] != pair[:-1]
        pair, weights = pair[is_first], weights[is_first]
        lo, hi = pair // n, pair % n

        tail = np.concatenate([lo, hi])
        head = np.concatenate([hi, lo])
        both = np.concatenate([weights, weights])
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(tail, minlength=n), out=indptr[1:])
        by_strength = np.lexsort((head, -both, tail))
        by_neighbor = np.lexsort((head, tail))

        self._ids = _frozen(ids)
        self._position: dict[int, int] = dict(zip(ids.tolist(), range(n), strict=True))
        self._indptr = _frozen(indptr)
        self._neighbor = _frozen(head[by_strength])
        self._weight = _frozen(both[by_strength])
        self._sorted_neighbor = _frozen(head[by_neighbor])
        self._sorted_weight = _frozen(both[by_neighbor])
        self._edges = len(pair)
        self._local = threading.local()

    @classmethod
    def from_edges(cls, a: Iterable[int], b: Iterable[int], strength: Iterable[float]) -> TieGraph:
        """The graph of ties ``a[i] - b[i]`` with strength ``strength[i]``.

        Order within a pair does not matter; for a pair given more than once
        the largest strength is kept; self-loops are dropped (their node is
        still a node). Raises ``ValueError`` for a strength outside (0, 1]
        (NaN included) or sequences of different lengths.

        >>> g = TieGraph.from_edges([1, 2, 2, 3], [2, 1, 3, 3], [0.4, 0.6, 1.0, 0.5])
        >>> g.strength(1, 2), g.strength(3, 2), g.strength(1, 3), 3 in g
        (0.6, 1.0, None, True)
        """
        return cls(a, b, strength)

    def __getstate__(self) -> dict[str, object]:
        state = {key: value for key, value in self.__dict__.items() if key != "_local"}
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._local = threading.local()

    def __contains__(self, node: object) -> bool:
        try:
            return node in self._position
        except TypeError:
            return False

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids.tolist())

    def __repr__(self) -> str:
        return f"<TieGraph: {self.number_of_nodes():,} nodes, {self.number_of_edges():,} ties>"

    def number_of_nodes(self) -> int:
        return len(self._ids)

    def number_of_edges(self) -> int:
        return self._edges

    def degree(self, node: int) -> int:
        index = self._index(node)
        return int(self._indptr[index + 1] - self._indptr[index])

    def neighbors(self, node: int) -> dict[int, float]:
        """``{neighbour id: strength}``, strongest first (then by id).

        Raises ``KeyError`` for a node not in the graph.
        """
        index = self._index(node)
        row = slice(self._indptr[index], self._indptr[index + 1])
        return dict(
            zip(self._ids[self._neighbor[row]].tolist(), self._weight[row].tolist(), strict=True)
        )

    def strength(self, a: int, b: int) -> float | None:
        """The strength of the tie ``a - b``, or ``None`` if there is none."""
        if a not in self or b not in self:
            return None
        index, other = self._position[a], self._position[b]
        start, end = self._indptr[index], self._indptr[index + 1]
        at = start + int(np.searchsorted(self._sorted_neighbor[start:end], other))
        if at < end and self._sorted_neighbor[at] == other:
            return float(self._sorted_weight[at])
        return None

    # -- internals shared by the searches -------------------------------------------

    def _index(self, node: int) -> int:
        try:
            return self._position[node]
        except (KeyError, TypeError):
            raise KeyError(f"node {node!r} is not in the graph") from None

    def _indices(self, nodes: Iterable[int]) -> np.ndarray:
        """Sorted unique dense indices of the ``nodes`` that are in the graph."""
        found = [self._position[node] for node in nodes if node in self]
        return np.unique(np.asarray(found, dtype=np.int64))

    def _scratch(self) -> _Scratch:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = _Scratch(len(self._ids))
        return scratch

    def _rows(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """CSR positions of the ties of ``rows`` and, for each, the index into ``rows``."""
        return _ranges(self._indptr[rows], self._indptr[rows + 1])

    def _row_cost(self, rows: np.ndarray) -> int:
        return int((self._indptr[rows + 1] - self._indptr[rows]).sum())


def _ranges(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Concatenated ``range(starts[i], ends[i])`` and, for each position, its ``i``."""
    lengths = ends - starts
    owner = np.repeat(np.arange(len(starts)), lengths)
    shift = starts - (np.cumsum(lengths) - lengths)
    return np.arange(len(owner)) + shift[owner], owner


def _check_limits(max_hops: int, k: int = 1) -> None:
    if isinstance(max_hops, bool) or not isinstance(max_hops, int | np.integer) or max_hops < 1:
        raise ValueError(f"max_hops must be a positive integer, not {max_hops!r}")
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise ValueError(f"k must be a positive integer, not {k!r}")


def _as_collection(targets: int | np.integer | Iterable[int]) -> list[int]:
    if isinstance(targets, int | np.integer):
        return [int(targets)]
    return list(targets)


def best_paths(
    graph: TieGraph,
    source: int,
    targets: int | Iterable[int],
    *,
    max_hops: int = 3,
    k: int = 3,
    exclude: Iterable[int] = (),
) -> list[Path]:
    """The ``k`` strongest simple paths from ``source`` to any of ``targets``.

    Parameters
    ----------
    graph : TieGraph
    source : int
        Who asks for the introduction. Not in the graph: no path.
    targets : int or collection of int
        One person, or a set (an organization's people): paths end at the
        first target they reach. Ids not in the graph, the source and
        excluded ids are ignored.
    max_hops : int, keyword-only
        At most this many ties per path (3: two introducers). 1-3 use the
        vectorized meet-in-the-middle join, 4 and more a best-first search.
    k : int, keyword-only
        How many distinct paths to return.
    exclude : collection of int, keyword-only
        People no path may go through or end at (e.g. who declined before).
        The source is never excluded.

    Returns
    -------
    list of Path
        At most ``k``, best first: by score (the product of strengths), then
        fewer hops, then node ids from the source.

    Examples
    --------
    The 3-hop chain of strong ties beats the 2-hop chain through a weak tie:

    >>> g = TieGraph.from_edges([1, 1, 2, 3, 9], [9, 2, 3, 4, 4], [0.3, 0.9, 0.9, 0.9, 0.9])
    >>> [(p.nodes, round(p.score, 3)) for p in best_paths(g, 1, 4)]
    [((1, 2, 3, 4), 0.729), ((1, 9, 4), 0.27)]
    """
    _check_limits(max_hops, k)
    if source not in graph:
        return []
    start = graph._position[source]
    excluded = graph._indices(exclude)
    excluded = excluded[excluded != start]
    goal = graph._indices(_as_collection(targets))
    goal = goal[(goal != start) & ~np.isin(goal, excluded)]
    if not len(goal):
        return []
    if max_hops <= 3:
        found = _meet_in_the_middle(graph, start, goal, excluded, max_hops=max_hops, k=k)
    else:
        found = _bounded_search(graph, start, goal, excluded, max_hops=max_hops, k=k)
    ids = graph._ids
    return [
        Path(tuple(ids[list(nodes)].tolist()), strengths, score, len(strengths))
        for score, nodes, strengths in found
    ]


def _meet_in_the_middle(
    graph: TieGraph,
    start: int,
    goal: np.ndarray,
    excluded: np.ndarray,
    *,
    max_hops: int,
    k: int,
) -> list[tuple[float, tuple[int, ...], tuple[float, ...]]]:
    """Exact k best paths of at most 3 hops; see the module docstring."""
    neighbor, weight = graph._neighbor, graph._weight
    # Backward side: every tie (b, t) of a target, grouped by b, strongest first.
    positions, owner = graph._rows(goal)
    back_b, back_t, back_w = neighbor[positions], goal[owner], weight[positions]
    order = np.lexsort((back_t, -back_w, back_b))
    back_b, back_t, back_w = back_b[order], back_t[order], back_w[order]

    # Columns of candidate paths: score, hops, then up to three nodes and strengths.
    columns: list[tuple[np.ndarray, ...]] = []
    representatives: list[np.ndarray] = []
    one = back_b == start
    direct = (back_w[one], back_t[one])
    representatives.append(direct[0])
    if max_hops == 1:
        theta = _threshold(representatives, k)
        keep = direct[0] >= theta
        columns.append(_hop_columns(direct[0][keep], [direct[1][keep]], [direct[0][keep]]))
        return _select(columns, start, k)

    group_b, group_start = np.unique(back_b, return_index=True)
    group_end = np.append(group_start[1:], len(back_b))
    scratch = graph._scratch()
    forward, backward = scratch.forward, scratch.backward
    row = slice(graph._indptr[start], graph._indptr[start + 1])
    first, first_w = neighbor[row], weight[row]
    try:
        backward[group_b] = back_w[group_start]
        backward[start] = 0.0
        backward[goal] = 0.0  # a target is never an intermediate
        backward[excluded] = 0.0
        forward[first] = first_w
        forward[goal] = 0.0
        forward[excluded] = 0.0

        # 2 hops: source - a - t.
        fa = forward[first]
        two = (fa > 0) & (backward[first] > 0)
        two_a, two_w = first[two], first_w[two]
        two_best = two_w * backward[two_a]
        representatives.append(two_best)

        # 3 hops: source - a - b - t, joined from the cheaper side.
        if max_hops >= 3:
            via_a = first[fa > 0]
            via_b = group_b[backward[group_b] > 0]
            if graph._row_cost(via_a) <= graph._row_cost(via_b):
                positions, owner = graph._rows(via_a)
                mid_b = neighbor[positions]
                keep = backward[mid_b] > 0
                mid_a, mid_b = via_a[owner[keep]], mid_b[keep]
            else:
                positions, owner = graph._rows(via_b)
                mid_a = neighbor[positions]
                keep = forward[mid_a] > 0
                mid_a, mid_b = mid_a[keep], via_b[owner[keep]]
            mid_w = weight[positions[keep]]
            mid_first = forward[mid_a]
            mid_prefix = mid_first * mid_w
            mid_best = mid_prefix * backward[mid_b]
            representatives.append(mid_best)
        theta = _threshold(representatives, k)
    finally:
        forward[first] = 0.0
        backward[group_b] = 0.0

    keep = direct[0] >= theta
    columns.append(_hop_columns(direct[0][keep], [direct[1][keep]], [direct[0][keep]]))

    def ends(prefix: np.ndarray, via: np.ndarray) -> tuple[np.ndarray, ...]:
        """Each target after ``via`` whose path still reaches ``theta``."""
        at = np.searchsorted(group_b, via)
        positions, owner = _ranges(group_start[at], group_end[at])
        score = prefix[owner] * back_w[positions]
        keep = score >= theta
        return owner[keep], back_t[positions[keep]], back_w[positions[keep]], score[keep]

    keep = two_best >= theta
    owner, target, last_w, score = ends(two_w[keep], two_a[keep])
    a, w = two_a[keep][owner], two_w[keep][owner]
    columns.append(_hop_columns(score, [a, target], [w, last_w]))
    if max_hops >= 3:
        keep = mid_best >= theta
        owner, target, last_w, score = ends(mid_prefix[keep], mid_b[keep])
        a, b = mid_a[keep][owner], mid_b[keep][owner]
        strengths = [mid_first[keep][owner], mid_w[keep][owner], last_w]
        columns.append(_hop_columns(score, [a, b, target], strengths))
    return _select(columns, start, k)


def _threshold(representatives: list[np.ndarray], k: int) -> float:
    """The k-th largest representative score (0 when there are fewer than k)."""
    scores = np.concatenate(representatives)
    if len(scores) < k:
        return 0.0
    return float(np.partition(scores, len(scores) - k)[len(scores) - k])


def _hop_columns(
    score: np.ndarray, nodes: list[np.ndarray], strengths: list[np.ndarray]
) -> tuple[np.ndarray, ...]:
    """Candidate paths as columns: score, hops, three node and three strength columns."""
    count, hops = len(score), len(nodes)
    pad_nodes = [np.full(count, -1, dtype=np.int64)] * (3 - hops)
    pad_strengths = [np.zeros(count)] * (3 - hops)
    return (
        score,
        np.full(count, hops, dtype=np.int64),
        *nodes,
        *pad_nodes,
        *strengths,
        *pad_strengths,
    )


def _select(
    columns: list[tuple[np.ndarray, ...]], start: int, k: int
) -> list[tuple[float, tuple[int, ...], tuple[float, ...]]]:
    score, hops, n1, n2, n3, w1, w2, w3 = (
        np.concatenate(part) for part in zip(*columns, strict=True)
    )
    order = np.lexsort((n3, n2, n1, hops, -score))[:k]
    found = []
    for i in order.tolist():
        h = int(hops[i])
        nodes = (start, int(n1[i]), int(n2[i]), int(n3[i]))[: h + 1]
        strengths = (float(w1[i]), float(w2[i]), float(w3[i]))[:h]
        found.append((float(score[i]), nodes, strengths))
    return found


def _completion_bounds(
    graph: TieGraph, goal: np.ndarray, passable: np.ndarray, depth: int
) -> list[np.ndarray]:
    """``bounds[r][v]``: the best product of a walk of at most ``r`` hops from ``v``
    to a target whose intermediate nodes are ``passable`` (index 0 unused)."""
    n = len(graph._ids)
    value = np.zeros(n)  # 1 on targets, the bound on passable nodes, 0 elsewhere
    value[goal] = 1.0
    bound = np.zeros(n)
    bounds = [bound]
    changed = goal
    for _ in range(depth):
        positions, owner = graph._rows(changed)
        bound = bound.copy()
        np.maximum.at(
            bound, graph._neighbor[positions], value[changed][owner] * graph._weight[positions]
        )
        bounds.append(bound)
        updated = np.where(passable, bound, value)
        changed = np.flatnonzero(updated > value)
        value = updated
    return bounds


def _bounded_search(
    graph: TieGraph,
    start: int,
    goal: np.ndarray,
    excluded: np.ndarray,
    *,
    max_hops: int,
    k: int,
) -> list[tuple[float, tuple[int, ...], tuple[float, ...]]]:
    """Exact k best paths for any hop limit, by A* over partial simple paths."""
    n = len(graph._ids)
    is_goal = np.zeros(n, dtype=bool)
    is_goal[goal] = True
    blocked = np.zeros(n, dtype=bool)
    blocked[excluded] = True
    blocked[start] = True
    bounds = _completion_bounds(graph, goal, ~(blocked | is_goal), max_hops - 1)
    indptr, neighbor, weight = graph._indptr, graph._neighbor, graph._weight

    # Entries: (-priority, hops, nodes, score, strengths); nodes make keys unique.
    queue: list[tuple[float, int, tuple[int, ...], float, tuple[float, ...]]] = [
        (-1.0, 0, (start,), 1.0, ())
    ]
    found: list[tuple[float, int, tuple[int, ...], tuple[float, ...]]] = []
    best_scores: list[float] = []  # a min-heap of the k best complete scores
    floor = 0.0
    while queue:
        negative, hops, nodes, score, strengths = heapq.heappop(queue)
        if len(best_scores) >= k and -negative < floor:
            break
        last = nodes[-1]
        if hops and is_goal[last]:
            found.append((score, hops, nodes, strengths))
            if len(best_scores) < k:
                heapq.heappush(best_scores, score)
            else:
                heapq.heappushpop(best_scores, score)
            if len(best_scores) >= k:
                floor = best_scores[0]
            continue
        left = max_hops - hops - 1  # hops left after the next one
        row = slice(indptr[last], indptr[last + 1])
        after, tie = neighbor[row], weight[row]
        reached = score * tie
        ends = is_goal[after]
        priority = (
            np.where(ends, reached, reached * bounds[left][after] * _BOUND_SLACK)
            if left
            else np.where(ends, reached, 0.0)
        )
        ok = (priority > 0) & ~blocked[after]
        if len(best_scores) >= k:
            ok &= priority >= floor
        on_path = set(nodes)
        for i in np.flatnonzero(ok).tolist():
            node = int(after[i])
            if node in on_path:
                continue
            heapq.heappush(
                queue,
                (
                    -float(priority[i]),
                    hops + 1,
                    (*nodes, node),
                    float(reached[i]),
                    (*strengths, float(tie[i])),
                ),
            )
    found.sort(key=lambda item: (-item[0], item[1], item[2]))
    return [(score, nodes, strengths) for score, _, nodes, strengths in found[:k]]


@dataclass(frozen=True, slots=True)
class _Layer:
    """Best walks of exactly ``h`` hops, sorted by their node ids read from the source."""

    nodes: np.ndarray
    score: np.ndarray
    parent: np.ndarray  # index into the previous layer
    weight: np.ndarray  # strength of the last hop


def best_path_to_each(
    graph: TieGraph,
    source: int,
    targets: int | Iterable[int],
    *,
    max_hops: int = 3,
    not_through: Iterable[int] = (),
) -> dict[int, Path]:
    """The best path (at most ``max_hops`` hops) from ``source`` to each target.

    Each target is reached independently (other targets may be intermediate
    nodes). Unreachable targets are left out; the source, if a target, gets
    the 0-hop path of score 1 (even when it has no ties). Among equal scores
    the path with fewer hops wins, then the smaller node ids. Keys follow
    the order of ``targets``.

    ``not_through`` are nodes no path may pass through (people who asked not
    to be go-betweens); unlike ``exclude`` of :func:`best_paths` they may
    still be reached as targets. The source is never held back.

    >>> g = TieGraph.from_edges([1, 2, 1, 3], [2, 3, 3, 4], [0.9, 0.9, 0.5, 0.5])
    >>> {t: (p.nodes, round(p.score, 3)) for t, p in best_path_to_each(g, 1, [3, 4, 8]).items()}
    {3: ((1, 2, 3), 0.81), 4: ((1, 2, 3, 4), 0.405)}
    >>> {t: p.nodes for t, p in best_path_to_each(g, 1, [2, 3], not_through=[2]).items()}
    {2: (1, 2), 3: (1, 3)}
    """
    _check_limits(max_hops)
    wanted = list(dict.fromkeys(_as_collection(targets)))
    result: dict[int, Path] = {}
    if source not in graph:
        return {source: Path((source,), (), 1.0, 0)} if source in wanted else {}
    start = graph._position[source]
    goal = graph._indices(wanted)
    goal = goal[goal != start]
    blocked = graph._indices(not_through)
    blocked = blocked[blocked != start]
    found: dict[int, Path] = {}
    if len(goal):
        found = _layered(graph, start, goal, max_hops=max_hops, blocked=blocked)
    for target in wanted:
        if target == source:
            result[target] = Path((source,), (), 1.0, 0)
        elif target in graph and graph._position[target] in found:
            result[target] = found[graph._position[target]]
    return result


def _layered(
    graph: TieGraph,
    start: int,
    goal: np.ndarray,
    *,
    max_hops: int,
    blocked: np.ndarray | None = None,
) -> dict[int, Path]:
    n = len(graph._ids)
    neighbor, weight = graph._neighbor, graph._weight
    is_goal = np.zeros(n, dtype=bool)
    is_goal[goal] = True
    # Blocked nodes may end a path (a layer records them) but never lead on:
    # they are not expanded into the next layer.
    is_blocked = np.zeros(n, dtype=bool)
    if blocked is not None:
        is_blocked[blocked] = True
    near = is_goal.copy()  # the targets and their neighbours: what the last hop needs
    near[neighbor[graph._rows(goal)[0]]] = True

    def wanted_at(hops: int) -> np.ndarray | None:
        return is_goal if hops == max_hops else near if hops == max_hops - 1 else None

    row = slice(graph._indptr[start], graph._indptr[start + 1])
    nodes, score = neighbor[row], weight[row]
    mask = wanted_at(1)
    keep = np.arange(len(nodes)) if mask is None else np.flatnonzero(mask[nodes])
    keep = keep[np.argsort(nodes[keep])]
    layers = [_Layer(nodes[keep], score[keep], np.full(len(keep), -1), score[keep])]
    for hops in range(2, max_hops + 1):
        previous = layers[-1]
        if hops == max_hops:
            # Read the last hop from the targets' side: their ties into the layer.
            slot = graph._scratch().slot
            onward = np.flatnonzero(~is_blocked[previous.nodes])
            slot[previous.nodes[onward]] = onward
            try:
                positions, owner = graph._rows(goal)
                parent = slot[neighbor[positions]]
            finally:
                slot[previous.nodes] = -1
            keep = parent >= 0
            node, parent, tie = goal[owner[keep]], parent[keep], weight[positions[keep]]
        else:
            positions, parent = graph._rows(previous.nodes)
            node, tie = neighbor[positions], weight[positions]
            keep = (node != start) & ~is_blocked[previous.nodes[parent]]
            mask = wanted_at(hops)
            if mask is not None:
                keep &= mask[node]
            node, parent, tie = node[keep], parent[keep], tie[keep]
        reached = previous.score[parent] * tie
        # Per node: the best score, then the parent earliest in id order.
        order = np.lexsort((parent, -reached, node))
        node, parent, tie, reached = node[order], parent[order], tie[order], reached[order]
        first = np.ones(len(node), dtype=bool)
        first[1:] = node[1:] != node[:-1]
        node, parent, tie, reached = node[first], parent[first], tie[first], reached[first]
        order = np.lexsort((node, parent))
        layers.append(_Layer(node[order], reached[order], parent[order], tie[order]))

    # Per target: the best score over the layers, then the fewest hops.
    hits = [np.flatnonzero(is_goal[layer.nodes]) for layer in layers]
    target = np.concatenate([layer.nodes[hit] for layer, hit in zip(layers, hits, strict=True)])
    scores = np.concatenate([layer.score[hit] for layer, hit in zip(layers, hits, strict=True)])
    depth = np.concatenate([np.full(len(hit), h + 1) for h, hit in enumerate(hits)])
    at = np.concatenate(hits)
    order = np.lexsort((depth, -scores, target))
    target, depth, at = target[order], depth[order], at[order]
    first = np.ones(len(target), dtype=bool)
    first[1:] = target[1:] != target[:-1]
    ids = graph._ids
    found: dict[int, Path] = {}
    for node, hops, index in zip(
        target[first].tolist(), depth[first].tolist(), at[first].tolist(), strict=True
    ):
        path_nodes: list[int] = []
        strengths: list[float] = []
        for layer in reversed(layers[:hops]):
            path_nodes.append(int(layer.nodes[index]))
            strengths.append(float(layer.weight[index]))
            index = int(layer.parent[index])
        path_nodes.append(start)
        path_ids = ids[path_nodes[::-1]].tolist()
        found[node] = Path.from_strengths(path_ids, strengths[::-1])
    return found
