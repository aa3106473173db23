"""The score of a mentor-mentee pair, its parts, and its explanation in words.

A pair's score is the weighted mean of four parts, each in [0, 1]:

**Behavior fit** :math:`B`: the mentor is strong where the mentee wants to
grow. For each behavior :math:`b` the mentee wants to grow, with priority
:math:`p_b > 0`, the mentee's self-rating :math:`e_b` and the mentor's level
:math:`m_b` (both on the 1-5 scale; a missing rating counts as 1),

.. math::

   f_b = \\frac{\\max(0,\\ m_b - e_b)}{\\max(1,\\ 5 - e_b)}, \\qquad
   B = \\frac{\\sum_b p_b f_b}{\\sum_b p_b},

the share of the mentee's headroom on :math:`b` that the mentor is ahead by:
a mentee at 2 and a mentor at 5 give 1, a mentor at 4 gives 2/3, a mentor at
or below the mentee 0. Dividing by the headroom lets every mentee reach a
fit of 1, so mentees who rate themselves higher are not worth less to the
total. :math:`B = 0` when the mentee names no behavior.

**Network complementarity** :math:`N`: the mentor bridges to the groups the
mentee lacks and their goals need. With :math:`G` the mentee's gaps (needed
groups they do not reach yet) and :math:`r_g \\in [0, 1]` how strongly the
mentor reaches into group :math:`g` (from the network analysis; 1 for the
mentor's own team and organization),

.. math::

   N = \\frac{1}{|G|} \\sum_{g \\in G} r_g,

and :math:`N = 0` without gaps. This is the "bridging" tie of Burt's
structural holes: the mentor's value is access to non-redundant groups.

**Skills** :math:`S`: the share of the mentee's wanted skills the mentor has,
:math:`S = |W \\cap K| / |W|` (0 when the mentee wants none).

**Preferences** :math:`P`: the share of the mentee's stated preferences the
pair meets: asked for this mentor by name, prefers another team (counted
only when the mentee's team is known; met when the mentor's team is known and
different), prefers an engagement type (met when the mentor's is one of
them). :math:`P = 0` when the mentee states none.

The **total** is :math:`(w_B B + w_N N + w_S S + w_P P) / (w_B + w_N + w_S + w_P)`
with the :class:`~bridgework.core.matching.profiles.Weights`, so it lies in
[0, 1]. A part the mentee gave no information for is 0 rather than left out,
so every pair of one mentee is scored on the same scale and an empty profile
simply scores lower.

:func:`pair_score` computes one pair and is the definition;
:func:`score_matrix` computes every pair of a pool at once with numpy and
sparse products (it is checked against :func:`pair_score` in the tests).
:func:`explain` says why a pair scores what it does.

Examples
--------
>>> from bridgework.core.matching.profiles import MenteeProfile, MentorProfile
>>> ana = MenteeProfile(
...     1, wants_to_grow=("presenting_yourself", "reaching_beyond_your_circle"),
...     behavior_levels={"presenting_yourself": 2, "reaching_beyond_your_circle": 1},
...     skills_wanted={"SQL", "negotiation", "Python"},
...     needed_groups={"Finance", "Acme Corp", "Legal"}, reached_groups={"Legal"})
>>> bo = MentorProfile(
...     2, behavior_levels={"presenting_yourself": 5, "reaching_beyond_your_circle": 4},
...     skills={"SQL", "negotiation"}, team="Finance", group_reach={"Acme Corp": 0.6})
>>> score = pair_score(ana, bo)
>>> round(score.behavior, 4), round(score.network, 4), round(score.skills, 4), score.preferences
(0.875, 0.8, 0.6667, 0.0)
>>> round(score.total, 4)  # (0.4 * 0.875 + 0.3 * 0.8 + 0.2 * 2/3 + 0.1 * 0) / 1
0.7233
>>> print(explain(ana, bo, names={1: "Ana", 2: "Bo"}))
Bo for Ana, score 0.72: strong where Ana wants to grow (presenting yourself 5 vs 2; reaching beyond your circle 4 vs 1); bridges to Finance and Acme Corp, which Ana's goals need; shares 2 of Ana's 3 wanted skills (negotiation, SQL).

References
----------
.. [1] R. S. Burt, *Structural Holes: The Social Structure of Competition*,
   Harvard University Press, 1992.
.. [2] K. E. Kram, *Mentoring at Work*, Scott Foresman, 1985 (career and
   psychosocial functions: what a mentor is strong at, and whom they open
   doors to).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from bridgework.core.matching.profiles import (
    DEFAULT_WEIGHTS,
    MAX_LEVEL,
    MIN_LEVEL,
    MenteeProfile,
    MentorProfile,
    Weights,
    check_pool,
)

__all__ = [
    "COMPONENTS",
    "PairScore",
    "pair_score",
    "explain",
    "component_matrices",
    "score_matrix",
]

COMPONENTS = ("behavior", "network", "skills", "preferences")
"""The parts of a pair's score, in the order of :class:`PairScore`."""
STRONG_REACH = 0.5
"""An explanation says "bridges to" a group from this reach, "some reach into" below it."""
LISTED = 3
"""At most this many behaviors or groups are named in an explanation."""


@dataclass(frozen=True, slots=True)
class PairScore:
    """A pair's score: the weighted ``total`` and its four parts, each in [0, 1]."""

    total: float
    behavior: float
    network: float
    skills: float
    preferences: float


def _behavior_fits(
    mentee: MenteeProfile, mentor: MentorProfile
) -> list[tuple[str, float, float, float, float]]:
    """``(key, priority, mentee level, mentor level, fit)`` for each behavior the mentee wants to grow."""
    fits = []
    for key, priority in mentee.wants_to_grow.items():
        own = mentee.behavior_levels.get(key, MIN_LEVEL)
        theirs = mentor.behavior_levels.get(key, MIN_LEVEL)
        fit = max(0.0, theirs - own) / max(1.0, MAX_LEVEL - own)
        fits.append((key, priority, own, theirs, fit))
    return fits


def _met_preferences(mentee: MenteeProfile, mentor: MentorProfile) -> tuple[int, list[str]]:
    """How many preferences the mentee stated, and the ones this mentor meets, in words."""
    stated, met = 0, []
    if mentee.preferred_mentors:
        stated += 1
        if mentor.person_id in mentee.preferred_mentors:
            met.append("asked for by name")
    if mentee.prefer_other_team and mentee.team is not None:
        stated += 1
        if mentor.team is not None and mentor.team != mentee.team:
            met.append("from another team")
    if mentee.preferred_engagement:
        stated += 1
        if mentor.engagement_type in mentee.preferred_engagement:
            met.append(f"{mentor.engagement_type} engagement")
    return stated, met


def _total(parts: Sequence[float], weights: Weights) -> float:
    behavior, network, skills, preferences = parts
    weighted = (
        weights.behavior * behavior
        + weights.network * network
        + weights.skills * skills
        + weights.preferences * preferences
    )
    return weighted / weights.total


def pair_score(
    mentee: MenteeProfile, mentor: MentorProfile, *, weights: Weights = DEFAULT_WEIGHTS
) -> PairScore:
    """Score one mentor for one mentee (the formula of the module docstring).

    Parameters
    ----------
    mentee : MenteeProfile
    mentor : MentorProfile
    weights : Weights, optional
        The weights of the four parts.

    Returns
    -------
    PairScore
        The total and the four parts, each in [0, 1]. Hard constraints are
        not checked here: see :func:`bridgework.core.matching.constraints.violations`.

    Examples
    --------
    >>> from bridgework.core.matching.profiles import MenteeProfile, MentorProfile
    >>> mentee = MenteeProfile(1, wants_to_grow={"listening": 3, "storytelling": 1},
    ...                        behavior_levels={"listening": 3})
    >>> mentor = MentorProfile(2, behavior_levels={"listening": 4, "storytelling": 5})
    >>> pair_score(mentee, mentor, weights=Weights(1, 0, 0, 0)).behavior  # (3 * 1/2 + 1 * 4/4) / 4
    0.625
    """
    fits = _behavior_fits(mentee, mentor)
    priorities = sum(priority for _, priority, _, _, _ in fits)
    behavior = sum(priority * fit for _, priority, _, _, fit in fits) / priorities if fits else 0.0
    gaps = mentee.growth_gaps
    network = sum(mentor.reach(group) for group in gaps) / len(gaps) if gaps else 0.0
    wanted = mentee.skills_wanted
    skills = len(wanted & mentor.skills) / len(wanted) if wanted else 0.0
    stated, met = _met_preferences(mentee, mentor)
    preferences = len(met) / stated if stated else 0.0
    parts = (behavior, network, skills, preferences)
    return PairScore(_total(parts, weights), *parts)


def _join(items: Sequence[str]) -> str:
    if len(items) > LISTED:
        items = [*items[:LISTED], f"{len(items) - LISTED} more"]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def explain(
    mentee: MenteeProfile,
    mentor: MentorProfile,
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    score: PairScore | None = None,
    names: Mapping[int, str] | None = None,
    behavior_labels: Mapping[str, str] | None = None,
) -> str:
    """Say in plain English why ``mentor`` suits ``mentee``.

    One sentence: the mentor's name, the mentee's name and the score, then a
    clause for each part with a positive weight and a positive value:

    * the behaviors the mentor is ahead on, with both levels ("presenting
      yourself 5 vs 2": mentor first), largest contribution first;
    * the mentee's group gaps the mentor reaches ("bridges to" from a reach of
      0.5, "some reach into" below), strongest first;
    * the wanted skills the mentor has;
    * the stated preferences the pair meets.

    At most three behaviors or groups are named, then "and N more".

    Parameters
    ----------
    mentee, mentor : MenteeProfile, MentorProfile
    weights : Weights, optional
    score : PairScore, optional
        The pair's score if already computed (else it is computed).
    names : mapping of int to str, optional
        Display names by person id; a missing one reads "person <id>".
    behavior_labels : mapping of str to str, optional
        Display labels by behavior key; a missing one is the key with
        underscores as spaces.

    Returns
    -------
    str

    Examples
    --------
    >>> from bridgework.core.matching.profiles import MenteeProfile, MentorProfile
    >>> mentee = MenteeProfile(3, wants_to_grow=("influence",), preferred_engagement={"video"})
    >>> print(explain(mentee, MentorProfile(4, engagement_type="video")))
    person 4 for person 3, score 0.10: meets 1 of person 3's 1 stated preferences (video engagement).
    >>> print(explain(mentee, MentorProfile(5)))
    person 5 for person 3, score 0.00: passes every hard constraint but offers nothing person 3 asked for on the weighted criteria.
    """
    names = names or {}
    labels = behavior_labels or {}
    mentee_name = names.get(mentee.person_id, f"person {mentee.person_id}")
    mentor_name = names.get(mentor.person_id, f"person {mentor.person_id}")
    score = score or pair_score(mentee, mentor, weights=weights)
    clauses = []
    if weights.behavior > 0:
        ahead = sorted(
            (fit for fit in _behavior_fits(mentee, mentor) if fit[4] > 0),
            key=lambda fit: (-fit[1] * fit[4], fit[0]),
        )
        if ahead:
            shown = [
                f"{labels.get(key, key.replace('_', ' '))} {theirs:g} vs {own:g}"
                for key, _, own, theirs, _ in ahead
            ]
            if len(shown) > LISTED:
                shown = [*shown[:LISTED], f"{len(shown) - LISTED} more"]
            clauses.append(f"strong where {mentee_name} wants to grow ({'; '.join(shown)})")
    if weights.network > 0:
        reached = sorted(
            (
                (mentor.reach(group), group)
                for group in mentee.growth_gaps
                if mentor.reach(group) > 0
            ),
            key=lambda item: (-item[0], item[1]),
        )
        strong = [group for reach, group in reached if reach >= STRONG_REACH]
        some = [group for reach, group in reached if reach < STRONG_REACH]
        if strong:
            clauses.append(
                f"bridges to {_join(strong)}, which {_possessive(mentee_name)} goals need"
            )
        if some:
            clauses.append(f"has some reach into {_join(some)}")
    if weights.skills > 0:
        shared = sorted(
            mentee.skills_wanted & mentor.skills, key=lambda skill: (skill.casefold(), skill)
        )
        if shared:
            clauses.append(
                f"shares {len(shared)} of {_possessive(mentee_name)} {len(mentee.skills_wanted)} "
                f"wanted skills ({', '.join(shared)})"
            )
    if weights.preferences > 0:
        stated, met = _met_preferences(mentee, mentor)
        if met:
            clauses.append(
                f"meets {len(met)} of {_possessive(mentee_name)} {stated} stated preferences "
                f"({', '.join(met)})"
            )
    if not clauses:
        clauses.append(
            f"passes every hard constraint but offers nothing {mentee_name} asked for "
            "on the weighted criteria"
        )
    return f"{mentor_name} for {mentee_name}, score {score.total:.2f}: {'; '.join(clauses)}."


def _codes(values: Sequence[str | None], index: dict[str, int]) -> np.ndarray:
    """Integer codes of ``values`` in ``index`` (growing it); -1 for None."""
    return np.array(
        [-1 if value is None else index.setdefault(value, len(index)) for value in values],
        dtype=np.int64,
    )


def _indicator(
    rows: Sequence[Sequence[str]], index: dict[str, int], *, normalize: bool
) -> sp.csr_matrix:
    """A sparse row-per-item indicator of string sets over ``index`` (growing it);
    each row scaled to sum 1 when ``normalize``."""
    indptr, indices, data = [0], [], []
    for items in rows:
        columns = [index.setdefault(item, len(index)) for item in items]
        indices.extend(columns)
        if columns:
            data.extend([1.0 / len(columns) if normalize else 1.0] * len(columns))
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.asarray(data, dtype=float), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
        shape=(len(rows), max(len(index), 1)),
    )


def component_matrices(
    mentees: Sequence[MenteeProfile], mentors: Sequence[MentorProfile]
) -> dict[str, np.ndarray]:
    """The four parts of the score for every pair, as ``len(mentees) x len(mentors)`` arrays.

    The same numbers as :func:`pair_score` (to rounding), computed with numpy
    broadcasting per behavior and sparse-times-dense products for groups,
    skills and engagement types: about a second for 5,000 x 1,000 pairs.

    Returns
    -------
    dict of str to numpy.ndarray
        Keys ``"behavior"``, ``"network"``, ``"skills"``, ``"preferences"``;
        float64 arrays, row ``i`` for ``mentees[i]``, column ``j`` for ``mentors[j]``.

    Examples
    --------
    >>> from bridgework.core.matching.profiles import MenteeProfile, MentorProfile
    >>> parts = component_matrices(
    ...     [MenteeProfile(1, skills_wanted={"SQL", "R"})],
    ...     [MentorProfile(2, skills={"SQL"}), MentorProfile(3, skills={"SQL", "R"})])
    >>> parts["skills"].tolist()
    [[0.5, 1.0]]
    """
    check_pool(mentees, mentors)
    n, m = len(mentees), len(mentors)

    behavior = np.zeros((n, m))
    keys = sorted({key for mentee in mentees for key in mentee.wants_to_grow})
    priority_sum = np.array([sum(mentee.wants_to_grow.values()) for mentee in mentees], dtype=float)
    for key in keys:
        wanting = np.array([i for i, mentee in enumerate(mentees) if key in mentee.wants_to_grow])
        priority = np.array([mentees[i].wants_to_grow[key] for i in wanting], dtype=float)
        own = np.array(
            [mentees[i].behavior_levels.get(key, MIN_LEVEL) for i in wanting], dtype=float
        )
        theirs = np.array(
            [mentor.behavior_levels.get(key, MIN_LEVEL) for mentor in mentors], dtype=float
        )
        fit = (
            np.maximum(theirs[None, :] - own[:, None], 0.0)
            / np.maximum(MAX_LEVEL - own, 1.0)[:, None]
        )
        behavior[wanting] += priority[:, None] * fit
    wants = priority_sum > 0
    behavior[wants] /= priority_sum[wants, None]

    groups: dict[str, int] = {}
    gaps = _indicator([sorted(mentee.growth_gaps) for mentee in mentees], groups, normalize=True)
    reach = np.zeros((len(groups), m))
    for j, mentor in enumerate(mentors):
        for group in (*mentor.group_reach, mentor.team, mentor.organization):
            if group in groups:
                reach[groups[group], j] = mentor.reach(group)
    network = np.asarray(gaps @ reach) if groups else np.zeros((n, m))

    skill_index: dict[str, int] = {}
    wanted = _indicator(
        [sorted(mentee.skills_wanted) for mentee in mentees], skill_index, normalize=True
    )
    has = np.zeros((len(skill_index), m))
    for j, mentor in enumerate(mentors):
        rows = [skill_index[skill] for skill in mentor.skills if skill in skill_index]
        has[rows, j] = 1.0
    skills = np.asarray(wanted @ has) if skill_index else np.zeros((n, m))

    met = np.zeros((n, m))
    stated = np.zeros(n)
    mentor_column = {mentor.person_id: j for j, mentor in enumerate(mentors)}
    for i, mentee in enumerate(mentees):
        if mentee.preferred_mentors:
            stated[i] += 1
            columns = [mentor_column[p] for p in mentee.preferred_mentors if p in mentor_column]
            met[i, columns] += 1
    teams: dict[str, int] = {}
    mentee_team = _codes([mentee.team for mentee in mentees], teams)
    mentor_team = _codes([mentor.team for mentor in mentors], teams)
    other = np.array([mentee.prefer_other_team for mentee in mentees], dtype=bool) & (
        mentee_team >= 0
    )
    stated += other
    met[other] += (mentor_team[None, :] != mentee_team[other, None]) & (mentor_team[None, :] >= 0)
    engagement: dict[str, int] = {}
    mentor_engagement = _codes([mentor.engagement_type for mentor in mentors], engagement)
    preferred = _indicator(
        [sorted(mentee.preferred_engagement) for mentee in mentees], engagement, normalize=False
    )
    offers = np.zeros((preferred.shape[1], m))
    offered = mentor_engagement >= 0
    offers[mentor_engagement[offered], np.flatnonzero(offered)] = 1.0
    if engagement:
        stated += np.asarray(preferred.sum(axis=1)).ravel() > 0
        met += np.asarray(preferred @ offers)
    preferences = np.divide(met, stated[:, None], out=np.zeros((n, m)), where=stated[:, None] > 0)

    return {"behavior": behavior, "network": network, "skills": skills, "preferences": preferences}


def score_matrix(
    mentees: Sequence[MenteeProfile],
    mentors: Sequence[MentorProfile],
    *,
    weights: Weights = DEFAULT_WEIGHTS,
) -> np.ndarray:
    """The total score of every pair, a ``len(mentees) x len(mentors)`` float64 array.

    The weighted mean of :func:`component_matrices`; entry ``[i, j]`` equals
    ``pair_score(mentees[i], mentors[j], weights=weights).total`` to rounding.
    Hard constraints are not applied (see
    :func:`bridgework.core.matching.constraints.allowed_matrix`).

    Examples
    --------
    >>> from bridgework.core.matching.profiles import MenteeProfile, MentorProfile
    >>> mentee = MenteeProfile(1, wants_to_grow=("listening",), skills_wanted={"SQL"})
    >>> mentors = [MentorProfile(2, behavior_levels={"listening": 5}), MentorProfile(3, skills={"SQL"})]
    >>> score_matrix([mentee], mentors, weights=Weights(behavior=3, network=0, skills=1, preferences=0))
    array([[0.75, 0.25]])
    """
    parts = component_matrices(mentees, mentors)
    total = np.zeros((len(mentees), len(mentors)))
    for name in COMPONENTS:
        weight = getattr(weights, name)
        if weight:
            total += weight * parts[name]
    total /= weights.total
    return total
