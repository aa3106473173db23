"""Network diversity and the E-I index: how far ties reach across categories.

:func:`network_diversity` scores each person by how evenly their contacts
spread over a category (team, organization, engagement type); :func:`ei_index`
scores each group by how outward-looking its ties are.

References
----------
.. [1] Eagle, Nathan, Michael Macy, and Rob Claxton. "Network Diversity and
   Economic Development." *Science* 328 (2010): 1029-1031 (normalized
   Shannon entropy of a person's ties).
.. [2] Krackhardt, David, and Robert N. Stern. "Informal Networks and
   Organizational Crises: An Experimental Simulation." *Social Psychology
   Quarterly* 51(2) (1988): 123-140.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import SupportsFloat, TypeVar

import numpy as np

from bridgework.core.graph.network import Network

__all__ = ["diversity", "ei_index", "network_diversity"]


N = TypeVar("N", bound=Hashable)  # a person: any hashable id


def _unique_ties(
    edges: Iterable[tuple[N, N] | tuple[N, N, float]], weighted: bool
) -> dict[tuple[N, N], float]:
    """``{(a, b): weight}`` per unordered pair; weights of repeats add up."""
    ties: dict[tuple[N, N], float] = defaultdict(float)
    for edge in edges:
        a, b = edge[0], edge[1]
        if a == b:
            continue
        pair = (b, a) if (b, a) in ties else (a, b)
        if weighted:
            if len(edge) < 3:
                raise ValueError(f"a weighted tie needs a weight: {edge!r}")
            ties[pair] += _weight(edge[2])
        else:
            ties[pair] = 1.0
    return ties


def _weight(value: object) -> float:
    if not isinstance(value, SupportsFloat | str):
        raise TypeError(f"a tie weight must be a number, not {value!r}")
    return float(value)


def network_diversity(
    edges: Iterable[tuple[N, N, float]],
    attributes: Mapping[N, str],
    *,
    weighted: bool = False,
) -> dict[N, float]:
    r"""Normalized Shannon entropy of each person's contacts over a category.

    .. math::

       D_i = \frac{-\sum_{k} p_{ik} \ln p_{ik}}{\ln K},
       \qquad p_{ik} = \frac{\sum_{j \in N(i),\, g_j = k} w_{ij}}{\sum_{j \in N(i)} w_{ij}}

    where *K* is the number of distinct categories in ``attributes`` (the
    whole population, not just the person's contacts), so a person's score
    is comparable with everyone else's: 0 when all contacts share one
    category, 1 when they spread evenly over every category of the network.
    The person's own category counts like any other (a person whose contacts
    are all in their own team scores 0). Unweighted (default), each contact
    counts once; weighted, by tie weight.

    People in ``attributes`` without ties get ``nan``; if the network has a
    single category (:math:`\ln K = 0`) everyone with ties gets 0.

    Parameters
    ----------
    edges : iterable of (a, b, weight)
        Undirected ties (the weight is read only when ``weighted``).
    attributes : mapping
        The category of every person; a person in a tie but not in it
        raises ``ValueError``.
    weighted : bool, keyword-only
        Weigh contacts by tie weight.

    Returns
    -------
    dict
        ``{person: diversity}`` for every person of ``attributes``.

    Examples
    --------
    >>> d = network_diversity([(1, 2, 1), (1, 3, 1)], {1: "a", 2: "a", 3: "b"})
    >>> d[1], d[2]
    (1.0, 0.0)

    References
    ----------
    Eagle, N., Macy, M., and Claxton, R. "Network Diversity and Economic
    Development." *Science* 328 (2010).
    """
    mix: dict[N, dict[str, float]] = {v: defaultdict(float) for v in attributes}
    for (a, b), w in _unique_ties(edges, weighted).items():
        for v in (a, b):
            if v not in attributes:
                raise ValueError(f"person {v!r} has a tie but no category")
        mix[a][attributes[b]] += w
        mix[b][attributes[a]] += w
    log_k = math.log(len(set(attributes.values()))) if attributes else 0.0
    result: dict[N, float] = {}
    for v, shares in mix.items():
        total = sum(shares.values())
        if total == 0:
            result[v] = math.nan
        elif log_k == 0:
            result[v] = 0.0
        else:
            entropy = sum(s / total * math.log(total / s) for s in shares.values() if s > 0)
            result[v] = entropy / log_k
    return result


def diversity(network: Network, categories: Sequence[Hashable]) -> np.ndarray:
    """:func:`network_diversity` (unweighted) of every person of a Network, vectorized.

    ``categories[i]`` is the category of ``network.ids[i]``; returns an
    array in the same order. Equal to ``network_diversity`` on the
    network's ties; meant for whole organizations.

    Examples
    --------
    >>> net = Network.from_ties([1, 1, 2], [2, 3, 3])
    >>> diversity(net, ["a", "b", "b"]).round(3).tolist()
    [0.0, 1.0, 1.0]
    """
    n = network.number_of_nodes()
    if len(categories) != n:
        raise ValueError("one category per person is needed")
    _, codes = np.unique(np.asarray([str(c) for c in categories]), return_inverse=True)
    codes = codes.ravel()
    k = int(codes.max()) + 1 if n else 0
    if k < 2:
        return np.zeros(n)
    owner = np.concatenate([network.sources, network.targets])
    other = np.concatenate([network.targets, network.sources])
    # Count (person, category) pairs sparsely: a dense n x k table would not fit
    # for 100,000 people in 500 teams.
    keys, counts = np.unique(owner * k + codes[other], return_counts=True)
    person = keys // k
    totals = np.bincount(person, weights=counts, minlength=n)
    share = counts / totals[person]
    entropy = np.bincount(person, weights=-share * np.log(share), minlength=n)
    return entropy / math.log(k)


def ei_index(
    edges: Iterable[tuple[N, N] | tuple[N, N, float]],
    groups: Mapping[N, str],
) -> dict[str, float]:
    r"""Krackhardt and Stern's E-I index of every group.

    .. math::

       EI_g = \frac{E_g - I_g}{E_g + I_g}

    where :math:`E_g` counts the ties between a member of *g* and a
    non-member, and :math:`I_g` the ties between two members, each tie once
    (repeats of a pair count once; weights are ignored). +1: every tie leaves
    the group; -1: a silo, every tie stays inside. A group without ties gets
    ``nan``. Large groups lean towards -1 simply by having more people to
    talk to inside; compare with the value expected from group sizes.

    Parameters
    ----------
    edges : iterable of (a, b) or (a, b, weight)
        Undirected ties.
    groups : mapping
        The group of every person; a person in a tie but not in it raises
        ``ValueError``.

    Returns
    -------
    dict
        ``{group: E-I index}`` for every group of ``groups``.

    Examples
    --------
    >>> ei_index([(1, 2), (2, 3)], {1: "a", 2: "a", 3: "b"})
    {'a': 0.0, 'b': 1.0}

    References
    ----------
    Krackhardt, D., and Stern, R. N. "Informal Networks and Organizational
    Crises." *Social Psychology Quarterly* 51(2), 1988.
    """
    external: dict[str, int] = dict.fromkeys(groups.values(), 0)
    internal: dict[str, int] = dict.fromkeys(groups.values(), 0)
    for a, b in _unique_ties(edges, weighted=False):
        for v in (a, b):
            if v not in groups:
                raise ValueError(f"person {v!r} has a tie but no group")
        if groups[a] == groups[b]:
            internal[groups[a]] += 1
        else:
            external[groups[a]] += 1
            external[groups[b]] += 1
    result: dict[str, float] = {}
    for g in external:
        total = external[g] + internal[g]
        result[g] = (external[g] - internal[g]) / total if total else math.nan
    return result
