"""Ranking experts by expertise match and by how reachable they are.

INTERFACE (implemented by the path-finding work; other code relies on it):

``ExpertCandidate`` — frozen dataclass: ``person_id``, ``expertise`` (0-1
match score computed by the caller from skills, levels, endorsements, titles),
``matched`` (tuple of str: what matched, e.g. "Python 4/5, 2 endorsements").

``RankedExpert`` — frozen dataclass: ``person_id``, ``score`` (0-1),
``expertise``, ``reach`` (0-1: 1 for me, the tie strength for a direct tie,
the path score otherwise, 0 unreachable), ``hops`` (0 me, 1 direct, 2 one
introduction away, ..., None unreachable), ``path`` (Path | None), ``matched``.

``rank_experts(candidates, *, graph, source, max_hops=3, expertise_weight=0.6) -> list[RankedExpert]``
— best first; unreachable experts are kept (reach 0) after reachable ones of
similar expertise.

``expertise_score(levels: Sequence[int], endorsements: int, text_hits: int) -> float``
— a documented 0-1 score the caller uses to build candidates.
"""

from __future__ import annotations

__all__ = ["ExpertCandidate", "RankedExpert", "rank_experts", "expertise_score"]
