"""Networks straight from files, for analysis without the web app.

:func:`network_from_viva` builds a :class:`~bridgework.core.graph.network.Network`
from a Microsoft Viva Insights person-to-person query (and, optionally, the
person query for HR attributes), reading them with the same readers as the
import (``core/ingest/viva.py``); :func:`network_from_frame` builds one from
any tie table an analyst has in pandas. ``bridgework analyze --viva`` uses
the first.

Both fold a tie table into undirected ties the same way: a pair listed more
than once, in either order (both directions of a directed edge list or
survey), gets the **sum** of its weights, so a reciprocated tie weighs twice a
one-way one (Burt's measures can ignore the weights:
``AnalysisOptions(weighted_burt=False)``). Rows tying a person to themselves
are dropped, and both say how many with a :class:`DroppedRowsWarning`.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections import defaultdict
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from bridgework.core.graph.network import Network
from bridgework.core.ingest.records import ContactRecord, Issue, ReadOptions
from bridgework.core.ingest.viva import SELF_TIE, read_p2p_query, read_person_query

__all__ = ["DroppedRowsWarning", "VivaNetwork", "network_from_frame", "network_from_viva"]

#: Person-query attributes used as the team, in order of preference.
VIVA_GROUP_COLUMNS = ("Organization", "FunctionType")

#: The weight of a scored Viva pair whose scores are all 0: small, but still a tie.
_UNSCORED_PAIR_WEIGHT = 1e-3


class DroppedRowsWarning(UserWarning):
    """Rows of a tie table left out of the network (self-loops, repeated rows), with a count."""


class VivaNetwork:
    """A Viva network, with the Viva ``PersonId`` of each dense person id and the rows left out.

    ``issues`` are the rows the reader could not read; ``self_loops`` and
    ``duplicates`` count the rows dropped for tying a person to themselves
    and for repeating an earlier row.
    """

    def __init__(
        self,
        network: Network,
        person_ids: dict[int, str],
        issues: list[Issue],
        *,
        self_loops: int = 0,
        duplicates: int = 0,
    ):
        self.network = network
        self.person_ids = person_ids
        self.issues = issues
        self.self_loops = self_loops
        self.duplicates = duplicates


def network_from_viva(
    p2p_path: Path | str,
    *,
    person_query: Path | str | None = None,
    weight: str = "Strong_tie_score",
    progress: Callable[[int], None] | None = None,
) -> VivaNetwork:
    r"""A network from a Viva Insights person-to-person query.

    Every row is one ordered pair (primary, secondary) in one period
    (``MetricDate``). A pair's weight is the **mean over the periods** it
    appears in (either way round) of its weight in each period, and its
    weight in a period is the **sum** of its two directions' ``weight``
    scores, as :func:`network_from_frame` folds directions:

    .. math::

       w_{ab} = \frac{1}{|T_{ab}|} \sum_{t \in T_{ab}} (s_{ab,t} + s_{ba,t})

    with :math:`T_{ab}` the periods with a row for the pair and :math:`s`
    the score (0 when a direction has no row, an empty or a non-positive
    score). A row repeating an earlier row's primary, secondary and date is
    a duplicate and is dropped (the first one counts; the import, too,
    keeps one record per primary, secondary and date, its record id);
    a row tying a person to themselves is dropped. Both are counted in a
    :class:`DroppedRowsWarning` and in ``VivaNetwork.duplicates`` /
    ``self_loops``. A pair whose scores are all 0 gets 0.001 so the tie still
    counts; a file with no positive score at all weighs each row 1 (so a pair
    seen both ways in every period weighs 2).

    People get the ids ``1, 2, ...`` in order of first appearance; their Viva
    ``PersonId`` is the ``label``. With ``person_query``, HR attributes
    come from it: ``team`` from ``Organization`` (else ``FunctionType``),
    ``level`` from ``LevelDesignation``; everyone counts as internal.

    Raises
    ------
    FormatError
        When a file is not the query it should be (from the reader).
    ValueError
        When the file holds no usable tie.
    """
    options = ReadOptions()
    ids: dict[str, int] = {}
    # Per unordered pair: the sum of the scores, the rows kept, and for each
    # period the directions seen (bit 1: low id first, bit 2: high id first).
    scores: dict[tuple[int, int], float] = defaultdict(float)
    rows: dict[tuple[int, int], int] = defaultdict(int)
    periods: dict[tuple[int, int], dict[dt.date | None, int]] = defaultdict(dict)
    issues: list[Issue] = []
    self_loops = duplicates = 0

    def person(key: str) -> int:
        return ids.setdefault(key, len(ids) + 1)

    for record in read_p2p_query(Path(p2p_path), options=options, progress=progress):
        if isinstance(record, Issue):
            if record.reason == SELF_TIE:
                self_loops += 1
            else:
                issues.append(record)
            continue
        a = person(record.a.source_key.removeprefix("viva:"))
        b = person(record.b.source_key.removeprefix("viva:"))
        pair = (min(a, b), max(a, b))
        direction = 1 if a < b else 2
        seen = periods[pair].get(record.observed_on, 0)
        if seen & direction:
            duplicates += 1
            continue
        periods[pair][record.observed_on] = seen | direction
        value = dict(record.metrics).get(weight)
        scores[pair] += float(value) if value is not None and value > 0 else 0.0
        rows[pair] += 1
    if not periods:
        raise ValueError(f"{Path(p2p_path).name} holds no tie between two people")
    name = Path(p2p_path).name
    if self_loops:
        warnings.warn(
            f"{name}: {self_loops:,} self-loop row(s) dropped (a person tied to themselves)",
            DroppedRowsWarning,
            stacklevel=2,
        )
    if duplicates:
        warnings.warn(
            f"{name}: {duplicates:,} duplicate row(s) dropped (same primary, secondary "
            "and MetricDate as an earlier row; the first one counts)",
            DroppedRowsWarning,
            stacklevel=2,
        )
    use_scores = any(total > 0 for total in scores.values())
    pairs = list(periods)
    weights = [
        (
            (scores[p] / len(periods[p]) if scores[p] > 0 else _UNSCORED_PAIR_WEIGHT)
            if use_scores
            else rows[p] / len(periods[p])
        )
        for p in pairs
    ]
    hr: dict[str, dict[str, str]] = {}
    if person_query is not None:
        for contact in read_person_query(Path(person_query), options=options):
            if isinstance(contact, Issue):
                issues.append(contact)
            elif isinstance(contact, ContactRecord):
                hr[contact.identity.source_key.removeprefix("viva:")] = dict(
                    contact.identity.attributes
                )
    attributes: dict[int, dict[str, str]] = {}
    for key, number in ids.items():
        fields = hr.get(key, {})
        team = next((fields[c] for c in VIVA_GROUP_COLUMNS if fields.get(c)), "")
        attributes[number] = {
            "label": key,
            "team": team,
            "level": fields.get("LevelDesignation", ""),
            "internal": "yes",
            "engagement": "employee_ft",
        }
    network = Network.from_ties(
        [a for a, _ in pairs], [b for _, b in pairs], weights, attributes=attributes
    )
    return VivaNetwork(
        network,
        {number: key for key, number in ids.items()},
        issues,
        self_loops=self_loops,
        duplicates=duplicates,
    )


def network_from_frame(
    ties: pd.DataFrame,
    *,
    a: str = "a",
    b: str = "b",
    weight: str | None = "weight",
    people: pd.DataFrame | None = None,
    person: str = "person",
    columns: Mapping[str, str] | None = None,
) -> Network:
    """A network from a tie table in pandas, with node attributes from a people table.

    One row per tie: ``a``, ``b`` and, when the table has it, ``weight``
    (every row weighs 1 without it). Ties are undirected: a pair listed more
    than once, in either order, gets the **sum** of its weights, so in a
    directed edge list or survey a reciprocated tie weighs 2 and a one-way
    tie 1 (the same rule as :func:`network_from_viva`; for Burt's usual
    unweighted measures, analyze with ``AnalysisOptions(weighted_burt=False)``).
    Rows with ``a == b`` (a person tied to themselves, common in e-mail edge
    lists) are dropped with a :class:`DroppedRowsWarning` giving their
    number; someone who appears only in such rows stays a person, without ties.

    ``columns`` maps attribute names the analysis reads (``team``,
    ``organization``, ``engagement``, ``internal``, ``label``) to columns of
    ``people``; by default the columns of the same names are used. Every
    person in ``people`` is a node, tied or not.

    Examples
    --------
    >>> ties = pd.DataFrame({"a": [1, 2], "b": [2, 3], "weight": [0.5, 1.0]})
    >>> people = pd.DataFrame({"person": [1, 2, 3], "team": ["x", "x", "y"]})
    >>> net = network_from_frame(ties, people=people)
    >>> net.number_of_edges(), net.attribute("team")
    (2, {1: 'x', 2: 'x', 3: 'y'})

    A survey, one row per answer "who do you go to for advice?":

    >>> survey = pd.DataFrame({"a": [1, 2, 1, 3], "b": [2, 1, 3, 3]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     net = network_from_frame(survey)
    >>> net.weight(1, 2), net.weight(1, 3), str(caught[0].message)
    (2.0, 1.0, '1 self-loop row(s) dropped (a == b: a person tied to themselves)')
    """
    a_ids = ties[a].to_numpy()
    b_ids = ties[b].to_numpy()
    weights = ties[weight].to_numpy() if weight and weight in ties else None
    attributes: dict[int, dict[str, str]] = {}
    nodes: list[int] = []
    if people is not None:
        mapping = dict(columns or {})
        for name in ("team", "organization", "engagement", "internal", "label"):
            if name not in mapping and name in people:
                mapping[name] = name
        nodes = [int(p) for p in people[person]]
        for row in people.to_dict("records"):
            attributes[int(row[person])] = {
                name: "" if pd.isna(row[column]) else str(row[column])
                for name, column in mapping.items()
            }
    loops = np.asarray(a_ids == b_ids, dtype=bool)
    if loops.any():
        warnings.warn(
            f"{int(loops.sum()):,} self-loop row(s) dropped (a == b: a person tied to themselves)",
            DroppedRowsWarning,
            stacklevel=2,
        )
        nodes += [int(p) for p in pd.unique(a_ids[loops])]
        a_ids, b_ids = a_ids[~loops], b_ids[~loops]
        weights = weights[~loops] if weights is not None else None
    return Network.from_ties(a_ids, b_ids, weights, nodes=nodes, attributes=attributes)
