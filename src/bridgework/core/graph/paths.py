"""Warm-introduction paths: the strongest chains of ties, at most a few hops.

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

``best_path_to_each(graph, source, targets, *, max_hops=3) -> dict[int, Path]``
— the best path to every reachable target (for expertise ranking).
"""

from __future__ import annotations

__all__ = ["TieGraph", "Path", "best_paths", "best_path_to_each"]
