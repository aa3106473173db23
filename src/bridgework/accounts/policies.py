"""Who may do what: the permission rules every selector and service applies.

Kept in one place so pages, the API and the CLI cannot drift apart.

* Everyone signed in sees the directory: public profile fields of everybody.
* A person sees their own private profile fields, relationships and
  interactions, and the private notes they wrote themselves.
* People analysts and admins add and edit people.
* Admins may look at anyone's relationships and interactions (never someone
  else's private notes); each such look is written to the audit log.
* Network analysis: a person sees their own network metrics; leaders, people
  analysts and admins see group-level results (never a group under the
  minimum size); only the people-analyst role, admins (superusers hold every
  permission), or a user given the ``analysis.view_individual_metrics``
  permission in the admin see other people's individual metrics, and every
  such look is audited.
"""

from __future__ import annotations

from collections.abc import Callable

from bridgework.accounts.models import Role, User

__all__ = [
    "MetricGrant",
    "can_see_person_metrics",
    "grant_metric_view",
    "can_run_analysis",
    "can_view_impact_by_group",
    "can_view_program_impact",
    "can_evaluate_program",
    "can_view_group_network",
    "can_view_individual_metrics",
    "can_manage_people",
    "can_edit_person",
    "can_see_everyones_records",
    "can_see_private_profile",
    "can_manage_mentoring",
    "can_see_mentoring_pair",
    "can_read_mentoring_note",
    "can_read_mentoring_feedback",
    "can_see_mentee_network",
    "can_export_person_data",
    "can_erase_person",
    "can_view_audit_log",
]


def can_manage_people(user: User) -> bool:
    """Add people, edit any profile, manage organizations, teams and skills."""
    return user.is_authenticated and (
        user.has_role(Role.ADMIN) or user.has_role(Role.PEOPLE_ANALYST)
    )


def can_see_everyones_records(user: User) -> bool:
    """Read relationships and interactions of people other than oneself (audited)."""
    return user.is_authenticated and user.has_role(Role.ADMIN)


def can_see_private_profile(user: User, person_id: int) -> bool:
    """Phone, engagement dates, consent: the person themselves and people managers."""
    return user.is_authenticated and (user.person_id == person_id or can_manage_people(user))


def can_edit_person(user: User, person_id: int) -> bool:
    return user.is_authenticated and (user.person_id == person_id or can_manage_people(user))


def can_view_group_network(user: User) -> bool:
    """Group-level network analysis: brokers, silos, risk and reach by group."""
    return user.is_authenticated and (
        user.has_role(Role.LEADER)
        or user.has_role(Role.PEOPLE_ANALYST)
        or user.has_role(Role.ADMIN)
        or can_view_individual_metrics(user)
    )


def can_view_individual_metrics(user: User) -> bool:
    """Other people's individual network metrics (every look is audited)."""
    return user.is_authenticated and (
        user.has_role(Role.PEOPLE_ANALYST) or user.has_perm("analysis.view_individual_metrics")
    )


def can_run_analysis(user: User) -> bool:
    """Start a network analysis run."""
    return user.is_authenticated and (
        user.has_role(Role.PEOPLE_ANALYST) or user.has_role(Role.ADMIN)
    )


# ---- Mentoring ---------------------------------------------------------------------
# A pair sees its own relationship; each side's private notes stay with their
# author and shared notes go to the other side only. Program managers see
# progress (counts, cadence, ratings, network growth in aggregate), never
# notes. A mentee's individual network metrics go to their mentor only when
# the mentee shares them. A peer asked for an assessment sees only its form.


def can_manage_mentoring(user: User) -> bool:
    """Create and run mentoring programs: enrollment, matching, dashboards, reports."""
    return user.is_authenticated and (
        user.has_role(Role.PROGRAM_MANAGER) or user.has_role(Role.ADMIN)
    )


def can_see_mentoring_pair(user: User, *, mentee_id: int, mentor_id: int) -> bool:
    """A mentoring relationship: its mentee and mentor; program managers see its
    progress (never notes)."""
    return user.is_authenticated and (
        user.person_id in (mentee_id, mentor_id) or can_manage_mentoring(user)
    )


def can_read_mentoring_note(
    user: User, *, author_id: int, shared: bool, mentee_id: int, mentor_id: int
) -> bool:
    """A session note: its author; the other side of the pair when it is shared.
    Nobody else, program managers and admins included."""
    if not user.is_authenticated or user.person_id is None:
        return False
    if user.person_id == author_id:
        return True
    return shared and user.person_id in (mentee_id, mentor_id)


def can_read_mentoring_feedback(user: User, *, author_id: int) -> bool:
    """Session feedback and fit checks: their author and program managers (not the
    other side of the pair, so feedback can be candid)."""
    return user.is_authenticated and (
        (user.person_id is not None and user.person_id == author_id) or can_manage_mentoring(user)
    )


def can_see_mentee_network(user: User, *, mentee_id: int, mentor_id: int, shared: bool) -> bool:
    """A mentee's individual network metrics in mentoring: the mentee; their mentor
    when the mentee shares them with the mentor."""
    if not user.is_authenticated or user.person_id is None:
        return False
    return user.person_id == mentee_id or (shared and user.person_id == mentor_id)


# ---- Objectives and return on impact -------------------------------------------------
# A person's objectives, plans and outcomes are theirs: seen by them, by whom
# they share an objective with (a mentor, a team), and by admins (audited).
# Return on impact by team and program is aggregate only, never for a group
# under the minimum size and never with a name.


def can_view_impact_by_group(user: User) -> bool:
    """Return on impact by team and program: aggregates only, never a group under
    the minimum size, never a name (leaders, people analysts, admins)."""
    return user.is_authenticated and (
        user.has_role(Role.LEADER)
        or user.has_role(Role.PEOPLE_ANALYST)
        or user.has_role(Role.ADMIN)
    )


def can_view_program_impact(user: User, *, manages_program: bool = False) -> bool:
    """A mentoring program's evaluation and return on impact (aggregates only): the
    program managers who run it, and whoever sees return on impact by group."""
    return user.is_authenticated and (
        can_view_impact_by_group(user) or (manages_program and user.has_role(Role.PROGRAM_MANAGER))
    )


def can_evaluate_program(user: User, *, manages_program: bool = False) -> bool:
    """Run (or re-run) a program's evaluation: its program managers, people analysts, admins."""
    return user.is_authenticated and (
        user.has_role(Role.PEOPLE_ANALYST)
        or user.has_role(Role.ADMIN)
        or (manages_program and user.has_role(Role.PROGRAM_MANAGER))
    )


#: A further reason someone may see a person's individual network metrics:
#: ``grant(user, person_id) -> bool``.
MetricGrant = Callable[[User, int], bool]

_METRIC_GRANTS: list[MetricGrant] = []


def grant_metric_view(grant: MetricGrant) -> MetricGrant:
    """Register a further reason to see someone's individual network metrics.

    Apps built on top of accounts add their own rules here at start-up (the
    mentoring app: a mentor the person shares their network with), so this
    module stays the one place that answers :func:`can_see_person_metrics`
    without importing them.
    """
    if grant not in _METRIC_GRANTS:
        _METRIC_GRANTS.append(grant)
    return grant


def can_see_person_metrics(user: User, person_id: int) -> bool:
    """A person's individual network metrics: the person themselves, a holder
    of the individual-metrics permission, or anyone a registered grant admits
    (e.g. their mentor while they share their network)."""
    if not user.is_authenticated:
        return False
    if user.person_id == person_id or can_view_individual_metrics(user):
        return True
    return any(grant(user, person_id) for grant in _METRIC_GRANTS)


# ---- Personal data rights and the audit log (people/rights.py, accounts/audit.py) -----
# Everyone may download what Bridgework holds about them; admins may download
# anyone's (audited, without the text of the person's private notes) and erase
# a person. The audit log is for admins.


def can_export_person_data(user: User, person_id: int) -> bool:
    """Download everything held about a person: the person themselves; admins (audited)."""
    return user.is_authenticated and (user.person_id == person_id or user.has_role(Role.ADMIN))


def can_erase_person(user: User) -> bool:
    """Erase a person and everything held about them: admins only."""
    return user.is_authenticated and user.has_role(Role.ADMIN)


def can_view_audit_log(user: User) -> bool:
    """Read (and download) the audit log: admins only."""
    return user.is_authenticated and user.has_role(Role.ADMIN)
