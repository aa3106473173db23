"""Hard constraints: which mentor-mentee pairs may be matched at all.

A pair is *allowed* when none of these holds (each is named in words by
:func:`violations`):

1. the mentor is the mentee themself;
2. the mentor has no capacity (``capacity == 0``);
3. the mentor is in the mentee's reporting line, or the mentee in the
   mentor's (a manager up the chain is not a mentor: the relationship needs
   room to talk about the job without the boss listening);
4. the mentee excluded the mentor, or the mentor the mentee;
5. they were paired before (unless ``Constraints.allow_repeat_pairing``);
6. their local times differ by more than
   ``Constraints.max_time_zone_difference_hours`` (6 by default).

The time-zone difference is measured on the 24-hour clock,

.. math::

   d(a, b) = \\min(|a - b| \\bmod 24,\\ 24 - |a - b| \\bmod 24),

so UTC-10 and UTC+12 are 2 hours apart (their working days overlap, a
calendar day apart), and the largest difference is 12 hours.

A mentor's capacity beyond zero is not a pair constraint: the assignment
(:mod:`bridgework.core.matching.assignment`) keeps every mentor within it.

:func:`violations` checks one pair and is the definition;
:func:`allowed_matrix` checks every pair of a pool at once (and is checked
against :func:`violations` in the tests).

Examples
--------
>>> from bridgework.core.matching.profiles import Constraints, MenteeProfile, MentorProfile
>>> mentee = MenteeProfile(1, reporting_line={5}, previous_mentors={6}, utc_offset_hours=-5)
>>> violations(mentee, MentorProfile(5, utc_offset_hours=-5))
["the mentor is in the mentee's reporting line"]
>>> violations(mentee, MentorProfile(6, utc_offset_hours=5.5))
['they were paired before', 'their time zones are 10.5 hours apart, more than the 6-hour window']
>>> violations(mentee, MentorProfile(6, utc_offset_hours=5.5),
...            constraints=Constraints(max_time_zone_difference_hours=None, allow_repeat_pairing=True))
[]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bridgework.core.matching.profiles import (
    DEFAULT_CONSTRAINTS,
    Constraints,
    MenteeProfile,
    MentorProfile,
    check_pool,
)

__all__ = ["violations", "time_zone_difference", "time_zone_differences", "allowed_matrix"]

HOURS_PER_DAY = 24.0
_TOLERANCE = 1e-9  # offsets like 5.75 are exact in binary, but sums of them may not be


def time_zone_difference(a: float, b: float) -> float:
    """Hours between two UTC offsets on the 24-hour clock, 0 to 12.

    >>> time_zone_difference(-10, 12), time_zone_difference(-5, 5.5)
    (2.0, 10.5)
    """
    difference = abs(a - b) % HOURS_PER_DAY
    return min(difference, HOURS_PER_DAY - difference)


def violations(
    mentee: MenteeProfile,
    mentor: MentorProfile,
    *,
    constraints: Constraints = DEFAULT_CONSTRAINTS,
) -> list[str]:
    """The hard constraints the pair breaks, in words; empty when the pair is allowed.

    Parameters
    ----------
    mentee : MenteeProfile
    mentor : MentorProfile
    constraints : Constraints, optional
        The time-zone window and whether earlier pairings may repeat.

    Returns
    -------
    list of str
        One phrase per broken constraint, in the order of the module docstring.
    """
    broken = []
    if mentor.person_id == mentee.person_id:
        broken.append("the mentor is the mentee themself")
    if mentor.capacity == 0:
        broken.append("the mentor has no capacity")
    if mentor.person_id in mentee.reporting_line:
        broken.append("the mentor is in the mentee's reporting line")
    if mentee.person_id in mentor.reporting_line:
        broken.append("the mentee is in the mentor's reporting line")
    if mentor.person_id in mentee.excluded:
        broken.append("the mentee excluded this mentor")
    if mentee.person_id in mentor.excluded:
        broken.append("the mentor excluded this mentee")
    if not constraints.allow_repeat_pairing and mentor.person_id in mentee.previous_mentors:
        broken.append("they were paired before")
    window = constraints.max_time_zone_difference_hours
    if window is not None:
        difference = time_zone_difference(mentee.utc_offset_hours, mentor.utc_offset_hours)
        if difference > window + _TOLERANCE:
            broken.append(
                f"their time zones are {difference:g} hours apart, more than the {window:g}-hour window"
            )
    return broken


def time_zone_differences(
    mentees: Sequence[MenteeProfile], mentors: Sequence[MentorProfile]
) -> np.ndarray:
    """:func:`time_zone_difference` of every pair, a ``len(mentees) x len(mentors)`` array.

    >>> from bridgework.core.matching.profiles import MenteeProfile, MentorProfile
    >>> time_zone_differences([MenteeProfile(1, utc_offset_hours=-8)],
    ...                       [MentorProfile(2, utc_offset_hours=9), MentorProfile(3)])
    array([[7., 8.]])
    """
    a = np.array([mentee.utc_offset_hours for mentee in mentees], dtype=float)
    b = np.array([mentor.utc_offset_hours for mentor in mentors], dtype=float)
    difference = np.abs(a[:, None] - b[None, :]) % HOURS_PER_DAY
    shortest: np.ndarray = np.minimum(difference, HOURS_PER_DAY - difference)
    return shortest


def allowed_matrix(
    mentees: Sequence[MenteeProfile],
    mentors: Sequence[MentorProfile],
    *,
    constraints: Constraints = DEFAULT_CONSTRAINTS,
) -> np.ndarray:
    """Which pairs break no hard constraint, a boolean ``len(mentees) x len(mentors)`` array.

    Entry ``[i, j]`` is ``not violations(mentees[i], mentors[j], constraints=constraints)``.
    The time-zone window and zero capacity are vectorized; the relational
    constraints (self, reporting lines, exclusions, earlier pairings) touch only
    the few pairs they name.

    Examples
    --------
    >>> from bridgework.core.matching.profiles import MenteeProfile, MentorProfile
    >>> mentees = [MenteeProfile(1, excluded={3}), MenteeProfile(2, utc_offset_hours=9)]
    >>> mentors = [MentorProfile(2), MentorProfile(3), MentorProfile(4, capacity=0)]
    >>> allowed_matrix(mentees, mentors).astype(int)
    array([[1, 0, 0],
           [0, 0, 0]])
    """
    check_pool(mentees, mentors)
    n, m = len(mentees), len(mentors)
    allowed = np.ones((n, m), dtype=bool)
    window = constraints.max_time_zone_difference_hours
    if window is not None and n and m:
        allowed &= time_zone_differences(mentees, mentors) <= window + _TOLERANCE
    allowed[:, [j for j, mentor in enumerate(mentors) if mentor.capacity == 0]] = False
    column = {mentor.person_id: j for j, mentor in enumerate(mentors)}
    row = {mentee.person_id: i for i, mentee in enumerate(mentees)}
    for i, mentee in enumerate(mentees):
        blocked = {mentee.person_id} | mentee.reporting_line | mentee.excluded
        if not constraints.allow_repeat_pairing:
            blocked |= mentee.previous_mentors
        allowed[i, [column[p] for p in blocked if p in column]] = False
    for j, mentor in enumerate(mentors):
        blocking = mentor.reporting_line | mentor.excluded
        allowed[[row[p] for p in blocking if p in row], j] = False
    return allowed
