"""Ranking experts by expertise match and by how reachable they are.

INTERFACE (implemented by the path-finding work; other code relies on it):

``ExpertCandidate`` — frozen dataclass: ``person_id``, ``expertise`` (0-1
match score computed by the caller from skills, levels, endorsements, titles),
``matched`` (tuple of str: what matched, e.g. "Python 4/5, 2 endorsements").

``RankedExpert`` — frozen dataclass: ``person_id``, ``score`` (0-1),
``expertise``, ``reach`` (0-1: 1 for me, the tie strength for a direct tie,
the path score otherwise, 0 unreachable), ``hops`` (0 me, 1 direct, 2 one
introduction away, ..., None unreachable), ``path`` (Path | None), ``matched``.

``rank_experts(candidates, *, graph, source, max_hops=3, expertise_weight=0.6, not_through=()) -> list[RankedExpert]``
— best first; unreachable experts are kept (reach 0) after reachable ones of
similar expertise; no path passes through ``not_through``.

``expertise_score(levels: Sequence[int], endorsements: int, text_hits: int) -> float``
— a documented 0-1 score the caller uses to build candidates.

The expertise score
-------------------
For the skills that matched a search (their levels :math:`\\ell_i` on the
1-5 scale), the number of endorsements :math:`e` of those skills and the
number of free-text hits :math:`x` (titles, declared expertise, bio):

.. math::

   \\operatorname{expertise} = 0.6\\,\\frac{\\max_i \\ell_i}{5}
   + 0.2\\,\\min\\Bigl(1, \\frac{\\ln(1 + e)}{\\ln(1 + 10)}\\Bigr)
   + 0.2\\,\\bigl(1 - 2^{-x}\\bigr)

(a term is 0 when its input is empty). The declared level carries most of
the weight; endorsements count with diminishing returns (the first few say
much more than the tenth; ten or more saturate); each text hit halves the
distance to full marks for that part. The weights are keyword-only options.

The reach and the ranking
-------------------------
``reach`` is the score of the best warm-introduction path (the product of
tie strengths, at most ``max_hops`` hops, see
:mod:`bridgework.core.graph.paths`): 1 for the searcher, the tie strength
for a direct tie, 0 when no path exists. An expert is then ranked by

.. math::

   \\operatorname{score} = w\\,\\operatorname{expertise} + (1 - w)\\,\\operatorname{reach},
   \\qquad w = \\text{expertise\\_weight} = 0.6,

best first; equal scores go to the better expertise, then fewer hops, then
the smaller id. An unreachable expert keeps ``w * expertise``, so it ranks
below reachable experts of similar expertise but above reachable people
whose match is much weaker. Borgatti and Cross (2003) found that people seek
information from those they *know* to have it, *value*, and can *access* at
acceptable cost: the expertise score is the first two, the reach the third.

Examples
--------
>>> from bridgework.core.graph.paths import TieGraph
>>> graph = TieGraph.from_edges([1, 2, 1], [2, 3, 4], [0.8, 0.5, 0.3])
>>> candidates = [
...     ExpertCandidate(3, expertise_score([5], 4, 1), ("Python 5/5",)),
...     ExpertCandidate(4, expertise_score([3], 0, 0), ("Python 3/5",)),
...     ExpertCandidate(9, expertise_score([5], 10, 2), ("Python 5/5",)),
... ]
>>> for expert in rank_experts(candidates, graph=graph, source=1):
...     print(expert.person_id, round(expert.score, 3), round(expert.reach, 2), expert.hops)
3 0.661 0.4 2
9 0.57 0.0 None
4 0.336 0.3 1

References
----------
.. [1] S. P. Borgatti and R. Cross, "A relational view of information seeking
   and learning in social networks", Management Science 49(4), 2003.
.. [2] P. S. Dodds, R. Muhamad and D. J. Watts, "An experimental study of
   search in global social networks", Science 301(5634), 2003.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bridgework.core.graph.paths import Path, TieGraph, best_path_to_each

__all__ = ["ExpertCandidate", "RankedExpert", "rank_experts", "expertise_score"]

MAX_LEVEL = 5
ENDORSEMENTS_TO_SATURATE = 10


@dataclass(frozen=True, slots=True)
class ExpertCandidate:
    """A person who matched an expertise search, with a 0-1 ``expertise`` score."""

    person_id: int
    expertise: float
    matched: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not 0.0 <= self.expertise <= 1.0:
            raise ValueError(f"expertise must be in [0, 1], not {self.expertise!r}")


@dataclass(frozen=True, slots=True)
class RankedExpert:
    """A candidate with its reach from the searcher and its combined 0-1 ``score``."""

    person_id: int
    score: float
    expertise: float
    reach: float
    hops: int | None
    path: Path | None
    matched: tuple[str, ...]


def expertise_score(
    levels: Sequence[int],
    endorsements: int,
    text_hits: int,
    *,
    level_weight: float = 0.6,
    endorsement_weight: float = 0.2,
    text_weight: float = 0.2,
) -> float:
    """A 0-1 expertise match: best level, saturating endorsements, text hits.

    See the module docstring for the formula. ``levels`` are the 1-5 levels
    of the skills that matched (empty if none), ``endorsements`` their
    endorsements, ``text_hits`` how many free-text fields matched. The
    weights must be non-negative and sum to 1.

    >>> expertise_score([4], 0, 0)
    0.48
    >>> round(expertise_score([2, 5], 3, 1), 3)
    0.816
    >>> expertise_score([5], 10, 50) <= 1.0
    True
    >>> expertise_score([], 0, 0)
    0.0
    """
    weights = (level_weight, endorsement_weight, text_weight)
    if min(weights) < 0 or not math.isclose(sum(weights), 1.0):
        raise ValueError(f"the weights must be non-negative and sum to 1, not {weights}")
    levels = list(levels)
    if any(not 1 <= level <= MAX_LEVEL for level in levels):
        raise ValueError(f"skill levels must be 1-{MAX_LEVEL}, not {levels}")
    if endorsements < 0 or text_hits < 0:
        raise ValueError("endorsements and text_hits cannot be negative")
    level_part = max(levels, default=0) / MAX_LEVEL
    endorsement_part = min(1.0, math.log1p(endorsements) / math.log1p(ENDORSEMENTS_TO_SATURATE))
    text_part = 1.0 - 0.5**text_hits
    score = (
        level_weight * level_part + endorsement_weight * endorsement_part + text_weight * text_part
    )
    return min(1.0, max(0.0, score))


def rank_experts(
    candidates: Iterable[ExpertCandidate],
    *,
    graph: TieGraph,
    source: int,
    max_hops: int = 3,
    expertise_weight: float = 0.6,
    not_through: Iterable[int] = (),
) -> list[RankedExpert]:
    """Candidates ranked by ``w * expertise + (1 - w) * reach``, best first.

    Parameters
    ----------
    candidates : iterable of ExpertCandidate
        A person listed twice keeps the entry with the higher expertise.
    graph : TieGraph, keyword-only
    source : int, keyword-only
        The searcher. As a candidate: reach 1, 0 hops.
    max_hops : int, keyword-only
        Longest introduction chain that counts as reachable (3: two
        introducers).
    expertise_weight : float, keyword-only
        ``w`` in [0, 1].
    not_through : collection of int, keyword-only
        People no path may pass through (who asked not to be go-betweens);
        they are still reached as experts themselves.

    Returns
    -------
    list of RankedExpert
        Every candidate, unreachable ones included (reach 0, ``hops`` and
        ``path`` None); ordered by score, then expertise, then fewer hops,
        then person id.
    """
    if not 0.0 <= expertise_weight <= 1.0:
        raise ValueError(f"expertise_weight must be in [0, 1], not {expertise_weight!r}")
    best: dict[int, ExpertCandidate] = {}
    for candidate in candidates:
        known = best.get(candidate.person_id)
        if known is None or candidate.expertise > known.expertise:
            best[candidate.person_id] = candidate
    paths = best_path_to_each(graph, source, list(best), max_hops=max_hops, not_through=not_through)
    ranked = []
    for person_id, candidate in best.items():
        path = paths.get(person_id)
        reach = path.score if path is not None else 0.0
        ranked.append(
            RankedExpert(
                person_id=person_id,
                score=expertise_weight * candidate.expertise + (1 - expertise_weight) * reach,
                expertise=candidate.expertise,
                reach=reach,
                hops=path.hops if path is not None else None,
                path=path,
                matched=candidate.matched,
            )
        )
    ranked.sort(
        key=lambda expert: (
            -expert.score,
            -expert.expertise,
            math.inf if expert.hops is None else expert.hops,
            expert.person_id,
        )
    )
    return ranked
