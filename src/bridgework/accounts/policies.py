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

from bridgework.accounts.models import Role, User

__all__ = [
    "can_run_analysis",
    "can_view_group_network",
    "can_view_individual_metrics",
    "can_manage_people",
    "can_edit_person",
    "can_see_everyones_records",
    "can_see_private_profile",
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
