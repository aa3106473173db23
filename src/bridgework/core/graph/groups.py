"""Groups: how teams (or communities, organizations) tie to each other.

:func:`group_matrix` counts ties between every pair of groups;
:func:`group_summary` gives each group its size, inside and outside ties and
E-I index; :func:`silos` flags the groups that keep to themselves and
:func:`silo_bridgers` names the people who still connect them. See
``docs/metrics/communities-and-groups.md``.

References
----------
.. [1] Krackhardt, D., and Stern, R. N. "Informal Networks and
   Organizational Crises: An Experimental Simulation." *Social Psychology
   Quarterly* 51(2), 123-140 (1988).
.. [2] Cross, R., and Parker, A. *The Hidden Power of Social Networks*.
   Harvard Business School Press (2004), ch. 1-2 (silos and the people who
   span them).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import numpy as np
import pandas as pd

from bridgework.core.graph.network import Network

__all__ = ["group_matrix", "group_summary", "silo_bridgers", "silos"]

NO_GROUP = "(none)"


def _codes(network: Network, groups: Mapping[int, Hashable | None]) -> tuple[np.ndarray, list[str]]:
    labels = [str(groups.get(p) or NO_GROUP) for p in network.nodes]
    codes, names = pd.factorize(pd.Series(labels, dtype=object), sort=True)
    return np.asarray(codes, dtype=np.int64), [str(n) for n in names]


def group_matrix(
    network: Network, groups: Mapping[int, Hashable | None], *, weighted: bool = False
) -> pd.DataFrame:
    """Ties between every pair of groups, as a symmetric square table.

    Cell ``(g, h)`` counts the ties between a member of ``g`` and a member of
    ``h`` (the sum of their strengths when ``weighted``); the diagonal counts
    ties inside a group, each tie once. People without a group are pooled in
    ``"(none)"``.

    Examples
    --------
    >>> net = Network.from_ties([1, 1, 2, 3], [2, 3, 3, 4])
    >>> group_matrix(net, {1: "a", 2: "a", 3: "b", 4: "b"}).values.tolist()
    [[1.0, 2.0], [2.0, 1.0]]
    """
    codes, names = _codes(network, groups)
    k = len(names)
    ga, gb = codes[network.sources], codes[network.targets]
    values = network.weights if weighted else np.ones(len(ga))
    matrix = np.zeros((k, k))
    np.add.at(matrix, (ga, gb), values)
    matrix = matrix + matrix.T - np.diag(np.diag(matrix))
    return pd.DataFrame(matrix, index=names, columns=names)


def group_summary(network: Network, groups: Mapping[int, Hashable | None]) -> pd.DataFrame:
    """Size, inside and outside ties, E-I index and outside share of every group.

    .. math::

       EI_g = \\frac{E_g - I_g}{E_g + I_g}, \\qquad
       \\text{outside share}_g = \\frac{E_g}{E_g + I_g}

    :math:`I_g` counts ties between two members, :math:`E_g` ties from a
    member to a non-member (Krackhardt & Stern 1988). ``expected_ei`` is
    the E-I index the group would have if its members tied to everyone at
    random, :math:`(s(n-s) - \\binom{s}{2}) / (s(n-s) + \\binom{s}{2})` for
    a group of ``s`` among ``n``: large groups lean inward by size alone.
    ``partner_groups`` counts the other groups the members have ties to.

    Examples
    --------
    >>> net = Network.from_ties([1, 1, 2, 3], [2, 3, 3, 4])
    >>> s = group_summary(net, {1: "a", 2: "a", 3: "b", 4: "b"})
    >>> s[["group", "size", "internal_ties", "external_ties", "ei_index"]].values.tolist()
    [['a', 2, 1, 2, 0.3333333333333333], ['b', 2, 1, 2, 0.3333333333333333]]
    """
    codes, names = _codes(network, groups)
    k, n = len(names), network.number_of_nodes()
    size = np.bincount(codes, minlength=k)
    ga, gb = codes[network.sources], codes[network.targets]
    inside = ga == gb
    internal = np.bincount(ga[inside], minlength=k)
    external = np.bincount(ga[~inside], minlength=k) + np.bincount(gb[~inside], minlength=k)
    total = internal + external
    with np.errstate(invalid="ignore", divide="ignore"):
        ei = np.where(total > 0, (external - internal) / total, np.nan)
        share = np.where(total > 0, external / total, np.nan)
        possible_out = size * (n - size)
        possible_in = size * (size - 1) / 2
        expected = (possible_out - possible_in) / (possible_out + possible_in)
    # Distinct (group, other group) pairs joined by at least one tie.
    linked = np.zeros((k, k), dtype=bool)
    linked[ga[~inside], gb[~inside]] = True
    linked[gb[~inside], ga[~inside]] = True
    partners = linked.sum(axis=1).astype(np.int64)
    return pd.DataFrame(
        {
            "group": names,
            "size": size,
            "internal_ties": internal,
            "external_ties": external,
            "ei_index": ei,
            "expected_ei": expected,
            "outside_share": share,
            "partner_groups": partners,
        }
    )


def silos(
    network: Network,
    groups: Mapping[int, Hashable | None],
    *,
    max_outside_share: float = 0.25,
    min_size: int = 2,
) -> pd.DataFrame:
    """Groups that keep to themselves: few of their ties leave the group.

    A group of at least ``min_size`` people is a silo when at most
    ``max_outside_share`` of its members' ties go to people outside it (an
    E-I index at most :math:`2 \\cdot share - 1`, -0.5 by default). Groups
    with no outside ties at all come first, then by outside share.

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`group_summary` for the silos, most closed first.

    Examples
    --------
    >>> net = Network.from_ties([1, 1, 2, 3, 4, 4, 5], [2, 3, 3, 4, 5, 6, 6])
    >>> silos(net, {1: "a", 2: "a", 3: "a", 4: "b", 5: "b", 6: "b"}, max_outside_share=0.3)["group"].tolist()
    ['a', 'b']
    """
    if not 0 <= max_outside_share <= 1:
        raise ValueError("max_outside_share must be between 0 and 1")
    summary = group_summary(network, groups)
    closed = summary[
        (summary["size"] >= min_size)
        & (summary["group"] != NO_GROUP)
        & (summary["outside_share"].fillna(0) <= max_outside_share)
    ]
    return closed.sort_values(["outside_share", "group"], kind="stable").reset_index(drop=True)


def silo_bridgers(
    network: Network, groups: Mapping[int, Hashable | None], group: Hashable, *, top: int = 5
) -> pd.DataFrame:
    """The people who connect ``group`` to everyone else, most ties across first.

    Members with ties outside the group and outsiders with ties into it:
    ``person``, ``member`` (inside the group or not), ``across`` (ties
    crossing the group boundary) and ``share`` (their part of all the
    group's crossing ties: a share near 1 means the group hangs on them).

    Examples
    --------
    >>> net = Network.from_ties([1, 1, 2, 3], [2, 3, 3, 4])
    >>> silo_bridgers(net, {1: "a", 2: "a", 3: "b", 4: "b"}, "a").values.tolist()
    [[3, False, 2, 1.0], [1, True, 1, 0.5], [2, True, 1, 0.5]]
    """
    label = str(group)
    inside = np.asarray([str(groups.get(p) or NO_GROUP) == label for p in network.nodes])
    if not inside.any():
        raise ValueError(f"nobody is in group {group!r}")
    crossing = inside[network.sources] != inside[network.targets]
    ends = np.concatenate([network.sources[crossing], network.targets[crossing]])
    counts = np.bincount(ends, minlength=network.number_of_nodes())
    total = int(crossing.sum())
    people = np.flatnonzero(counts)
    order = people[np.lexsort((network.ids[people], ~inside[people], -counts[people]))][:top]
    return pd.DataFrame(
        {
            "person": network.ids[order],
            "member": inside[order],
            "across": counts[order],
            "share": counts[order] / total if total else np.zeros(len(order)),
        }
    )
