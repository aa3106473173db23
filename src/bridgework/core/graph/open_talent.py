"""The open talent network: who does the bridging, and how far teams reach outside.

:func:`bridging_by_engagement` shows how much of the organization's bridging
(ties across groups, betweenness, brokerage) is done by each engagement
type -- employees, part-timers, contractors, freelancers, alumni, partners,
clients, outsiders -- against their share of the people.
:func:`reach_by_team` shows how many people inside and outside the
organization each team reaches directly and through one introduction. See
``docs/metrics/open-talent.md``.

References
----------
.. [1] Burt, R. S. *Brokerage and Closure*. Oxford University Press (2005),
   ch. 1 (the value of bridging ties).
.. [2] Cross, R., Borgatti, S. P., and Parker, A. "Making invisible work
   visible: using social network analysis to support strategic
   collaboration." *California Management Review* 44(2), 25-46 (2002).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import numpy as np
import pandas as pd

from bridgework.core.graph import engines
from bridgework.core.graph.network import Network

__all__ = ["bridging_by_engagement", "reach_by_team"]


def _labels(network: Network, mapping: Mapping[int, Hashable | None]) -> np.ndarray:
    return np.asarray([str(mapping.get(p) or "(none)") for p in network.nodes])


def bridging_by_engagement(
    network: Network,
    engagement: Mapping[int, Hashable | None],
    groups: Mapping[int, Hashable | None],
    *,
    betweenness: Mapping[int, float] | None = None,
    brokerage: Mapping[int, float] | None = None,
) -> pd.DataFrame:
    """Each engagement type's share of the people and of the bridging.

    For engagement type :math:`e` with members :math:`P_e`:

    .. math::

       \\text{cross-group share}_e = \\frac{\\sum_{(u,v):\\, g_u \\ne g_v}
       \\tfrac12([u \\in P_e] + [v \\in P_e])}{|\\{(u,v): g_u \\ne g_v\\}|}

    each tie between two groups credited half to each end;
    ``betweenness_share`` and ``brokerage_share`` are the type's part of the
    network's total betweenness and brokerage (e.g. the count of open
    two-paths a person brokers between groups). ``bridging_ratio`` =
    cross-group share / people share: above 1, the type bridges more than its
    numbers suggest.

    Returns
    -------
    pandas.DataFrame
        One row per engagement type: ``engagement``, ``people``,
        ``people_share``, ``cross_group_ties``, ``cross_group_share``,
        ``bridging_ratio`` and, when given, ``betweenness_share`` and
        ``brokerage_share``; largest cross-group share first.

    Examples
    --------
    The contractor (3) holds the only tie between teams a and b:

    >>> net = Network.from_ties([1, 3, 4], [2, 4, 5])
    >>> frame = bridging_by_engagement(
    ...     net,
    ...     {1: "employee", 2: "employee", 3: "contractor", 4: "employee", 5: "employee"},
    ...     {1: "a", 2: "a", 3: "a", 4: "b", 5: "b"})
    >>> frame[["engagement", "people", "cross_group_share"]].values.tolist()
    [['contractor', 1, 0.5], ['employee', 4, 0.5]]
    """
    kinds = _labels(network, engagement)
    group = _labels(network, groups)
    names, codes = np.unique(kinds, return_inverse=True)
    codes = codes.ravel()
    k, n = len(names), network.number_of_nodes()
    people = np.bincount(codes, minlength=k)
    across = group[network.sources] != group[network.targets]
    credit = (
        np.bincount(codes[network.sources[across]], minlength=k)
        + np.bincount(codes[network.targets[across]], minlength=k)
    ) / 2
    total_across = int(across.sum())
    frame = pd.DataFrame(
        {
            "engagement": names,
            "people": people,
            "people_share": people / n if n else np.zeros(k),
            "cross_group_ties": credit,
            "cross_group_share": credit / total_across if total_across else np.zeros(k),
        }
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        frame["bridging_ratio"] = frame["cross_group_share"] / frame["people_share"]
    for column, values in (("betweenness_share", betweenness), ("brokerage_share", brokerage)):
        if values is None:
            continue
        per_person = np.asarray([float(values.get(p, 0.0)) for p in network.nodes])
        sums = np.bincount(codes, weights=per_person, minlength=k)
        frame[column] = sums / per_person.sum() if per_person.sum() > 0 else 0.0
    return frame.sort_values(
        ["cross_group_share", "engagement"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def reach_by_team(
    network: Network,
    teams: Mapping[int, Hashable | None],
    internal: Mapping[int, bool],
) -> pd.DataFrame:
    """How many people inside and outside the organization each team reaches.

    For team :math:`T`, ``internal_direct`` counts the distinct internal
    people outside :math:`T` tied to a member, ``external_direct`` the
    distinct external people (alumni, partners, clients, freelancers,
    outsiders: everyone ``internal`` marks False) tied to a member;
    ``internal_two_step`` and ``external_two_step`` also count those one
    introduction further away (Burt's reach, over the team's members
    together). ``external_share`` = external / all people reached directly.

    Returns
    -------
    pandas.DataFrame
        One row per team: ``team``, ``members``, ``internal_direct``,
        ``external_direct``, ``internal_two_step``, ``external_two_step``,
        ``external_share``. People without a team are left out as a team
        (they still count as people reached).

    Examples
    --------
    >>> net = Network.from_ties([1, 1, 2, 3], [2, 3, 9, 4])
    >>> reach = reach_by_team(net, {1: "a", 2: "a", 3: "b", 4: "b"},
    ...                       {1: True, 2: True, 3: True, 4: True, 9: False})
    >>> reach[["team", "internal_direct", "external_direct", "internal_two_step"]].values.tolist()
    [['a', 1, 1, 2], ['b', 1, 0, 2]]
    """
    labels = [teams.get(p) for p in network.nodes]
    names = sorted({str(t) for t in labels if t})
    code_of = {name: i for i, name in enumerate(names)}
    codes = np.asarray([code_of[str(t)] if t else -1 for t in labels], dtype=np.int64)
    is_internal = np.asarray([bool(internal.get(p, True)) for p in network.nodes])
    counts = engines.group_reach(network, codes, is_internal) if names else np.zeros((0, 4))
    members = np.bincount(codes[codes >= 0], minlength=len(names))
    direct = counts[:, 0] + counts[:, 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(direct > 0, counts[:, 1] / np.maximum(direct, 1), 0.0)
    return pd.DataFrame(
        {
            "team": names,
            "members": members,
            "internal_direct": counts[:, 0].astype(np.int64),
            "external_direct": counts[:, 1].astype(np.int64),
            "internal_two_step": counts[:, 2].astype(np.int64),
            "external_two_step": counts[:, 3].astype(np.int64),
            "external_share": share,
        }
    )
