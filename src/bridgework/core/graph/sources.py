"""Networks straight from files, for analysis without the web app.

:func:`network_from_viva` builds a :class:`~bridgework.core.graph.network.Network`
from a Microsoft Viva Insights person-to-person query (and, optionally, the
person query for HR attributes), reading them with the same readers as the
import (``core/ingest/viva.py``); :func:`network_from_frame` builds one from
any tie table an analyst has in pandas. ``bridgework analyze --viva`` uses
the first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from bridgework.core.graph.network import Network
from bridgework.core.ingest.records import ContactRecord, Issue, ReadOptions
from bridgework.core.ingest.viva import read_p2p_query, read_person_query

__all__ = ["VivaNetwork", "network_from_frame", "network_from_viva"]

#: Person-query attributes used as the team, in order of preference.
VIVA_GROUP_COLUMNS = ("Organization", "FunctionType")


class VivaNetwork:
    """A Viva network, with the Viva ``PersonId`` of each dense person id and the issues met."""

    def __init__(self, network: Network, person_ids: dict[int, str], issues: list[Issue]):
        self.network = network
        self.person_ids = person_ids
        self.issues = issues


def network_from_viva(
    p2p_path: Path | str,
    *,
    person_query: Path | str | None = None,
    weight: str = "Strong_tie_score",
    progress: Callable[[int], None] | None = None,
) -> VivaNetwork:
    """A network from a Viva Insights person-to-person query.

    Every row is one pair in one period; a pair's weight is the mean of its
    ``weight`` column over the periods it appears in (1 per row when the
    column is absent or every value is 0, so ties still count). People get
    the ids ``1, 2, ...`` in order of first appearance; their Viva
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
    totals: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0, 0])
    issues: list[Issue] = []

    def person(key: str) -> int:
        return ids.setdefault(key, len(ids) + 1)

    for record in read_p2p_query(Path(p2p_path), options=options, progress=progress):
        if isinstance(record, Issue):
            issues.append(record)
            continue
        a = person(record.a.source_key.removeprefix("viva:"))
        b = person(record.b.source_key.removeprefix("viva:"))
        pair = (min(a, b), max(a, b))
        value = dict(record.metrics).get(weight)
        totals[pair][0] += float(value) if value is not None and value > 0 else 0.0
        totals[pair][1] += 1
    if not totals:
        raise ValueError(f"{Path(p2p_path).name} holds no tie between two people")
    use_scores = any(total > 0 for total, _ in totals.values())
    pairs = list(totals)
    weights = [
        (totals[p][0] / totals[p][1] if totals[p][0] > 0 else 1e-3) if use_scores else 1.0
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
    return VivaNetwork(network, {number: key for key, number in ids.items()}, issues)


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

    ``columns`` maps attribute names the analysis reads (``team``,
    ``organization``, ``engagement``, ``internal``, ``label``) to columns of
    ``people``; by default the columns of the same names are used.

    Examples
    --------
    >>> ties = pd.DataFrame({"a": [1, 2], "b": [2, 3], "weight": [0.5, 1.0]})
    >>> people = pd.DataFrame({"person": [1, 2, 3], "team": ["x", "x", "y"]})
    >>> net = network_from_frame(ties, people=people)
    >>> net.number_of_edges(), net.attribute("team")
    (2, {1: 'x', 2: 'x', 3: 'y'})
    """
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
    return Network.from_ties(
        ties[a].to_numpy(), ties[b].to_numpy(), weights, nodes=nodes, attributes=attributes
    )
