"""Burt's structural-hole measures: constraint, effective size and hierarchy.

A person *spans a structural hole* when their contacts are not tied to each
other: they hear different things and can broker between them. Burt (1992)
measures how far a person's network is closed around them (constraint), how
many non-redundant contacts they have (effective size) and how much of the
closure comes from a single contact (hierarchy).

All three functions take undirected weighted ties ``(a, b, weight)`` -- or a
:class:`~bridgework.core.graph.network.Network` -- and return
``{person: value}``; :func:`burt_measures` gives all three in one pass. Pairs listed more than once have their weights added (the
order ``(a, b)`` or ``(b, a)`` does not matter); self-loops are ignored. A
person with no ties (only in ``nodes``, or only tied to themself) gets ``nan``,
as in NetworkX. ``weighted=False`` counts every tie as weight 1.

The contributions of third parties come from the closed two-paths
``i - q - j`` (with ``i - j`` tied too), walked by a compiled loop over a CSR
adjacency (``engines.closed_two_path_sums``): :math:`O(\\sum_q d_q^2)` steps,
about a second for 10,000 people with mean degree 70.

References
----------
.. [1] Burt, Ronald S. *Structural Holes: The Social Structure of
   Competition.* Cambridge: Harvard University Press, 1992.
.. [2] Borgatti, Stephen P. "Structural Holes: Unpacking Burt's Redundancy
   Measures." *Connections* 20(1), 35-38, 1997.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from bridgework.core.graph import engines
from bridgework.core.graph.network import Network

__all__ = ["burt_measures", "constraint", "effective_size", "hierarchy"]


@dataclass(frozen=True)
class _Adjacency:
    """Symmetric CSR adjacency; edge ``e`` is the directed copy ``row[e] -> col[e]``."""

    ids: Sequence[Hashable]
    indptr: np.ndarray
    row: np.ndarray
    col: np.ndarray
    weight: np.ndarray
    keys: np.ndarray  # row * n + col, sorted (the CSR order)

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def degree(self) -> np.ndarray:
        return np.diff(self.indptr)


def _adjacency(
    edges: Iterable[tuple[Hashable, Hashable, float]] | Network,
    nodes: Iterable[Hashable] | None,
    weighted: bool,
) -> _Adjacency:
    if isinstance(edges, Network):
        indptr, col, weight = edges.csr()
        row = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))
        n = len(indptr) - 1
        weight = weight if weighted else np.ones(len(col))
        return _Adjacency(edges.nodes, indptr, row, col, weight, row * n + col)
    index: dict[Hashable, int] = {}
    src: list[int] = []
    dst: list[int] = []
    wts: list[float] = []
    for a, b, tie_weight in edges:
        ia = index.setdefault(a, len(index))
        ib = index.setdefault(b, len(index))
        if ia != ib:
            src.append(ia)
            dst.append(ib)
            wts.append(float(tie_weight) if weighted else 1.0)
    for v in nodes or ():
        index.setdefault(v, len(index))
    n = len(index)
    s = np.asarray(src, dtype=np.int64)
    d = np.asarray(dst, dtype=np.int64)
    w = np.asarray(wts, dtype=np.float64)
    if weighted and len(w) and np.any(w <= 0):
        raise ValueError("tie weights must be positive")
    if not weighted:
        # Unweighted: a pair listed twice is still one tie.
        lo, hi = np.minimum(s, d), np.maximum(s, d)
        pair = np.unique(lo * n + hi)
        s, d = pair // n, pair % n
        w = np.ones(len(pair))
    keys_all = np.concatenate([s * n + d, d * n + s])
    w_all = np.concatenate([w, w])
    keys, inverse = np.unique(keys_all, return_inverse=True)
    weight = np.bincount(inverse, weights=w_all, minlength=len(keys)).astype(np.float64)
    row, col = keys // n, keys % n
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=n), out=indptr[1:])
    return _Adjacency(list(index), indptr, row, col, weight, keys)


def _proportions(adj: _Adjacency) -> np.ndarray:
    """:math:`p_{ij} = w_{ij} / \\sum_k w_{ik}` for each edge ``i -> j``."""
    strength = np.bincount(adj.row, weights=adj.weight, minlength=adj.n)
    proportions: np.ndarray = adj.weight / strength[adj.row]
    return proportions


def _two_path_sums(adj: _Adjacency) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Proportions :math:`p_{ij}`, indirect investments per edge and redundancy per person."""
    p = _proportions(adj)
    max_weight = np.zeros(adj.n)
    np.maximum.at(max_weight, adj.row, adj.weight)
    # m_jq = w_jq / max_k w_jk for the slot q -> j: scaled by j's strongest tie.
    scaled = adj.weight / max_weight[adj.col] if len(adj.col) else adj.weight
    indirect, redundancy = engines.closed_two_path_sums(adj.indptr, adj.col, p, scaled)
    return p, indirect, redundancy


def _dyadic_constraint(adj: _Adjacency) -> np.ndarray:
    """:math:`c_{ij} = (p_{ij} + \\sum_q p_{iq} p_{qj})^2` for each edge ``i -> j``."""
    p, indirect, _ = _two_path_sums(adj)
    constraints: np.ndarray = (p + indirect) ** 2
    return constraints


def _hierarchy(adj: _Adjacency, c: np.ndarray) -> np.ndarray:
    deg = adj.degree.astype(np.float64)
    total = np.bincount(adj.row, weights=c, minlength=adj.n)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = c * deg[adj.row] / total[adj.row]
        terms = np.where(r > 0, r * np.log(r), 0.0)
        numerator = np.bincount(adj.row, weights=terms, minlength=adj.n)
        values = np.where(deg > 1, numerator / (deg * np.log(deg)), 0.0)
    # Rounding can leave -1e-17 where all r are 1; hierarchy is never negative.
    return np.maximum(values, 0.0)


def burt_measures(
    edges: Iterable[tuple[Hashable, Hashable, float]] | Network,
    *,
    weighted: bool = True,
    nodes: Iterable[Hashable] | None = None,
) -> dict[str, dict[Hashable, float]]:
    """Constraint, effective size and hierarchy together, from one walk of the two-paths.

    Returns ``{"constraint": {...}, "effective_size": {...}, "hierarchy": {...}}``,
    each equal to the function of the same name.

    Examples
    --------
    >>> m = burt_measures([(1, 2, 1.0), (1, 3, 1.0), (2, 3, 1.0), (3, 4, 1.0)])
    >>> round(m["constraint"][3], 3), round(m["effective_size"][3], 3)
    (0.611, 2.333)
    """
    adj = _adjacency(edges, nodes, weighted)
    p, indirect, redundancy = _two_path_sums(adj)
    c = (p + indirect) ** 2
    return {
        "constraint": _per_node(adj, np.bincount(adj.row, weights=c, minlength=adj.n)),
        "effective_size": _per_node(adj, adj.degree - redundancy),
        "hierarchy": _per_node(adj, _hierarchy(adj, c)),
    }


def _per_node(adj: _Adjacency, values: np.ndarray) -> dict[Hashable, float]:
    values = np.where(adj.degree > 0, values, np.nan)
    return dict(zip(adj.ids, values.tolist(), strict=True))


def constraint(
    edges: Iterable[tuple[Hashable, Hashable, float]],
    *,
    weighted: bool = True,
    nodes: Iterable[Hashable] | None = None,
) -> dict[Hashable, float]:
    r"""Burt's constraint of every person.

    .. math::

       c_i = \sum_{j \in N(i)} \Bigl(p_{ij} + \sum_{q \in N(i),\, q \ne j}
       p_{iq}\, p_{qj}\Bigr)^2,
       \qquad p_{ij} = \frac{w_{ij}}{\sum_{k \in N(i)} w_{ik}}

    where :math:`p_{ij}` is the share of *i*'s time and energy invested in *j*
    (Burt 1992, p. 54-55). High constraint (up to about 1, more for small
    dense networks) means the contacts are tied to each other or few; low
    constraint means many disconnected contacts: a broker.

    Parameters
    ----------
    edges : iterable of (a, b, weight)
        Undirected ties; weights must be positive.
    weighted : bool, keyword-only
        Use the weights (default) or count every tie as 1.
    nodes : iterable, keyword-only, optional
        Extra people without ties (they get ``nan``).

    Returns
    -------
    dict
        ``{person: constraint}``.

    Examples
    --------
    >>> c = constraint([(1, 2, 1.0), (1, 3, 1.0), (2, 3, 1.0), (3, 4, 1.0)])
    >>> round(c[4], 3), round(c[3], 3)
    (1.0, 0.611)

    References
    ----------
    Burt, R. S. *Structural Holes*. Harvard University Press, 1992.
    """
    adj = _adjacency(edges, nodes, weighted)
    values = np.bincount(adj.row, weights=_dyadic_constraint(adj), minlength=adj.n)
    return _per_node(adj, values)


def effective_size(
    edges: Iterable[tuple[Hashable, Hashable, float]],
    *,
    weighted: bool = True,
    nodes: Iterable[Hashable] | None = None,
) -> dict[Hashable, float]:
    r"""Burt's effective size: the number of contacts, less their redundancy.

    .. math::

       E_i = \sum_{j \in N(i)} \Bigl(1 - \sum_{q \in N(i),\, q \ne j}
       p_{iq}\, m_{jq}\Bigr),
       \qquad m_{jq} = \frac{w_{jq}}{\max_k w_{jk}}

    with :math:`p` as in :func:`constraint` (Burt 1992, p. 52). Unweighted,
    this simplifies to :math:`E_i = n - 2t/n` with *n* contacts and *t* ties
    among them (Borgatti 1997). It ranges from 1 (all contacts tied to each
    other) to *n* (none tied): the non-redundant contacts a person brokers.

    Parameters
    ----------
    edges : iterable of (a, b, weight)
        Undirected ties; weights must be positive.
    weighted : bool, keyword-only
        Use the weights (default) or count every tie as 1.
    nodes : iterable, keyword-only, optional
        Extra people without ties (they get ``nan``).

    Returns
    -------
    dict
        ``{person: effective size}``.

    Examples
    --------
    >>> e = effective_size([(1, 2, 1.0), (1, 3, 1.0), (2, 3, 1.0), (3, 4, 1.0)])
    >>> round(e[3], 3), e[4]
    (2.333, 1.0)

    References
    ----------
    Burt, R. S. *Structural Holes*. Harvard University Press, 1992.
    Borgatti, S. P. "Structural Holes: Unpacking Burt's Redundancy Measures."
    *Connections* 20(1), 1997.
    """
    adj = _adjacency(edges, nodes, weighted)
    _, _, redundancy = _two_path_sums(adj)
    return _per_node(adj, adj.degree - redundancy)


def hierarchy(
    edges: Iterable[tuple[Hashable, Hashable, float]],
    *,
    weighted: bool = True,
    nodes: Iterable[Hashable] | None = None,
) -> dict[Hashable, float]:
    r"""Burt's hierarchy: how much of a person's constraint comes from one contact.

    The Coleman-Theil disorder index of the dyadic constraints
    :math:`c_{ij}` (the terms of :func:`constraint`):

    .. math::

       H_i = \frac{\sum_{j \in N(i)} r_{ij} \ln r_{ij}}{N \ln N},
       \qquad r_{ij} = \frac{c_{ij}}{C / N},\quad C = \sum_j c_{ij},\ N = |N(i)|

    (Burt 1992, p. 71). 0 when every contact constrains equally; it tends to
    1 when one contact concentrates the constraint (e.g. a boss everyone
    else also reports to). A person with a single contact gets 0 (that one
    contact holds all of the constraint equally with itself, and
    :math:`N \ln N = 0`); a person without ties gets ``nan``.

    Parameters
    ----------
    edges : iterable of (a, b, weight)
        Undirected ties; weights must be positive.
    weighted : bool, keyword-only
        Use the weights (default) or count every tie as 1.
    nodes : iterable, keyword-only, optional
        Extra people without ties (they get ``nan``).

    Returns
    -------
    dict
        ``{person: hierarchy}``.

    Examples
    --------
    >>> h = hierarchy([(0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0)])
    >>> h[0], h[1]
    (0.0, 0.0)

    References
    ----------
    Burt, R. S. *Structural Holes*. Harvard University Press, 1992.
    """
    adj = _adjacency(edges, nodes, weighted)
    return _per_node(adj, _hierarchy(adj, _dyadic_constraint(adj)))
