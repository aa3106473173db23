"""Gould-Fernandez brokerage roles with respect to a group attribute.

A person *b* brokers on the directed two-path :math:`a \\to b \\to c` when
:math:`a \\ne c` and *a* has no direct tie to *c* (:math:`a \\to c` absent:
the flow has to go through *b*). Gould and Fernandez (1989) classify each
such *open* two-path by the groups (team, organization, engagement type,
community) of the three people:

================  ==========================  ===================================
role              groups of a, b, c           reading
================  ==========================  ===================================
coordinator       a = b = c                   brokers inside their own group
itinerant         a = c, b different          an outsider brokering for a group
                                              (also called *consultant*)
representative    a = b, c different          speaks for their group to another
gatekeeper        b = c, a different          lets another group into theirs
liaison           a, b, c all different       links two groups, belongs to neither
================  ==========================  ===================================

Every open two-path has exactly one role, so the five counts of a person add
up to the number of open two-paths through them. These are raw counts (as
``brokerage()`` in R's ``sna`` returns in its ``raw.nli`` table); they grow
with degree, so compare people of similar degree or normalize.

Undirected ties
---------------
:func:`undirected_brokerage_roles` reads each tie as both directions. Then
every unordered open two-path :math:`a - b - c` is seen twice, as
:math:`a \\to b \\to c` and :math:`c \\to b \\to a`, and the roles collapse:

* coordinator, itinerant and liaison counts are twice the number of
  unordered open two-paths of that kind (even numbers);
* representative and gatekeeper are always equal: a path where *b* shares a
  group with exactly one end is representative one way and gatekeeper the
  other, so each is the number of such unordered paths. Without a direction
  the two roles cannot be told apart; read them together.

References
----------
.. [1] Gould, Roger V., and Roberto M. Fernandez. "Structures of Mediation:
   A Formal Approach to Brokerage in Transaction Networks." *Sociological
   Methodology* 19 (1989): 89-126.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

import numpy as np

from bridgework.core.graph import engines
from bridgework.core.graph.network import Network

__all__ = [
    "ROLES",
    "brokerage_roles",
    "brokerage_totals",
    "undirected_brokerage_roles",
]

ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")

_CHUNK = 4_000_000  # two-paths expanded at once (bounds peak memory)

N = TypeVar("N", bound=Hashable)  # a person: any hashable id


def _role_codes(ga: np.ndarray, gb: np.ndarray, gc: np.ndarray) -> np.ndarray:
    """Index into :data:`ROLES` of each two-path from the group codes of its people."""
    ab, bc, ac = ga == gb, gb == gc, ga == gc
    codes = np.full(len(ga), 4)  # liaison
    codes[ab & bc] = 0
    codes[ac & ~ab] = 1
    codes[ab & ~bc] = 2
    codes[bc & ~ab] = 3
    return codes


def brokerage_roles(
    directed_edges: Iterable[tuple[N, N]],
    groups: Mapping[N, str],
) -> dict[N, dict[str, int]]:
    r"""Count each person's Gould-Fernandez brokerage roles.

    For every person *b*, over the open two-paths
    :math:`a \to b \to c` (:math:`a \ne c`, no tie :math:`a \to c`):

    .. math::

       \text{role}_b(r) = \bigl|\{(a, c) : a \to b \to c \text{ open},\
       \text{type}(g_a, g_b, g_c) = r\}\bigr|

    with the types of the module docstring.

    Parameters
    ----------
    directed_edges : iterable of (a, b)
        Directed ties *a -> b* (e.g. *a* asks *b* for advice, or passes
        information to *b*); extra items such as a weight are ignored,
        duplicates and self-loops are dropped.
    groups : mapping
        The group of every person; everyone in it appears in the result
        (with zeros if they broker nothing). A person in a tie but not in
        ``groups`` raises ``ValueError``.

    Returns
    -------
    dict
        ``{person: {role: count}}`` with the roles of :data:`ROLES`.

    Examples
    --------
    >>> roles = brokerage_roles([(1, 2), (2, 3)], {1: "sales", 2: "sales", 3: "ops"})
    >>> roles[2]["representative"], sum(roles[1].values())
    (1, 0)

    References
    ----------
    Gould, R. V., and Fernandez, R. M. "Structures of Mediation."
    *Sociological Methodology* 19 (1989): 89-126.
    """
    ids = list(groups)
    index = {v: i for i, v in enumerate(ids)}
    labels = {g: k for k, g in enumerate(dict.fromkeys(groups.values()))}
    group = np.array([labels[groups[v]] for v in ids], dtype=np.int64)
    n = len(ids)
    src: list[int] = []
    dst: list[int] = []
    for edge in directed_edges:
        sender, receiver = edge[0], edge[1]
        if sender not in index or receiver not in index:
            missing = sender if sender not in index else receiver
            raise ValueError(f"person {missing!r} has a tie but no group")
        if sender != receiver:
            src.append(index[sender])
            dst.append(index[receiver])
    keys = np.unique(np.asarray(src, dtype=np.int64) * n + np.asarray(dst, dtype=np.int64))
    tail, head = keys // n, keys % n  # sorted by tail: a CSR of out-ties
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(tail, minlength=n), out=indptr[1:])
    out_degree = np.diff(indptr)

    counts = np.zeros(n * len(ROLES), dtype=np.int64)
    expand = out_degree[head]  # two-paths a -> b -> c that start with edge e = (a -> b)
    bounds = np.cumsum(expand)
    start = 0
    while start < len(keys):
        base = bounds[start - 1] if start else 0
        stop = max(int(np.searchsorted(bounds, base + _CHUNK, side="right")), start + 1)
        reps = expand[start:stop]
        e_ab = np.repeat(np.arange(start, stop), reps)
        first = np.repeat(np.cumsum(reps) - reps, reps)
        a, b = tail[e_ab], head[e_ab]
        c = head[indptr[b] + (np.arange(len(e_ab)) - first)]
        key = a * n + c
        pos = np.searchsorted(keys, key)
        pos[pos == len(keys)] = 0
        open_path = (a != c) & (keys[pos] != key)
        a, b, c = a[open_path], b[open_path], c[open_path]
        role = _role_codes(group[a], group[b], group[c])
        counts += np.bincount(b * len(ROLES) + role, minlength=len(counts))
        start = stop

    table = counts.reshape(n, len(ROLES)).tolist()
    return {v: dict(zip(ROLES, row, strict=True)) for v, row in zip(ids, table, strict=True)}


def undirected_brokerage_roles(
    edges: Iterable[tuple[N, N]] | Network,
    groups: Mapping[N, str],
) -> dict[N, dict[str, int]]:
    """Brokerage roles on undirected ties, each read as both directions.

    Equal to :func:`brokerage_roles` on the symmetrized ties; see the module
    docstring for how the roles collapse (representative == gatekeeper,
    the other three counts even). Computed without listing the open
    two-paths: for broker *b* with :math:`S` contacts in its own group,
    :math:`D` in others and :math:`Q = \\sum_{g \\ne g_b} n_g^2` (contacts
    per other group, squared), the ordered pairs of contacts number
    :math:`S(S-1)` coordinator, :math:`SD` representative and gatekeeper,
    :math:`Q - D` itinerant and :math:`D^2 - Q` liaison; the pairs that are
    tied to each other (closed, found by a compiled walk over the
    triangles) are then subtracted.

    Parameters
    ----------
    edges : iterable of (a, b), or Network
        Undirected ties; extra items such as a weight are ignored.
    groups : mapping
        The group of every person.

    Returns
    -------
    dict
        ``{person: {role: count}}``.

    Examples
    --------
    >>> roles = undirected_brokerage_roles([(1, 2), (2, 3)], {1: "a", 2: "a", 3: "b"})
    >>> roles[2]["representative"], roles[2]["gatekeeper"]
    (1, 1)
    """
    ids = list(groups)
    index: dict[Hashable, int] = {v: i for i, v in enumerate(ids)}  # a Network's ids too
    labels = {g: k for k, g in enumerate(dict.fromkeys(groups.values()))}
    group = np.array([labels[groups[v]] for v in ids], dtype=np.int64)
    n = len(ids)
    if isinstance(edges, Network) and ids == edges.nodes:
        # The network's own symmetric adjacency, in the same order as the groups.
        indptr, head, _ = edges.csr()
        table = engines.brokerage_counts(indptr, head, group).tolist() if n else []
        return {v: dict(zip(ROLES, row, strict=True)) for v, row in zip(ids, table, strict=True)}
    if isinstance(edges, Network):
        missing = [p for p in edges.nodes if p not in index]
        if missing:
            raise ValueError(f"person {missing[0]!r} has a tie but no group")
        position = np.asarray([index[p] for p in edges.nodes], dtype=np.int64)
        src, dst = position[edges.sources], position[edges.targets]
    else:
        pairs: list[tuple[int, int]] = []
        for edge in edges:
            a, b = edge[0], edge[1]
            if a not in index or b not in index:
                missing_one = a if a not in index else b
                raise ValueError(f"person {missing_one!r} has a tie but no group")
            if a != b:
                pairs.append((index[a], index[b]))
        both = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
        src, dst = both[:, 0], both[:, 1]
    keys = np.unique(np.concatenate([src * n + dst, dst * n + src]))
    tail, head = keys // max(n, 1), keys % max(n, 1)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(tail, minlength=n), out=indptr[1:])
    table = engines.brokerage_counts(indptr, head, group).tolist() if n else []
    return {v: dict(zip(ROLES, row, strict=True)) for v, row in zip(ids, table, strict=True)}


def brokerage_totals(roles: Mapping[N, Mapping[str, int]]) -> dict[str, int]:
    """Network-wide count of each role, plus ``"total"`` (all open two-paths).

    Parameters
    ----------
    roles : mapping
        The result of :func:`brokerage_roles` or :func:`undirected_brokerage_roles`.

    Returns
    -------
    dict
        ``{role: count}`` for each role of :data:`ROLES`, and ``"total"``.

    Examples
    --------
    >>> brokerage_totals({1: {"coordinator": 2, "itinerant": 0, "representative": 1,
    ...                       "gatekeeper": 0, "liaison": 0}})["total"]
    3
    """
    totals = {role: sum(person[role] for person in roles.values()) for role in ROLES}
    totals["total"] = sum(totals.values())
    return totals
