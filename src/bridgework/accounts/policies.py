"""Who may do what: the permission rules every selector and service applies.

Kept in one place so pages, the API and the CLI cannot drift apart.

* Everyone signed in sees the directory: public profile fields of everybody.
* A person sees their own private profile fields, relationships and
  interactions, and the private notes they wrote themselves.
* People analysts and admins add and edit people.
* Admins may look at anyone's relationships and interactions (never someone
  else's private notes); each such look is written to the audit log.
"""

from __future__ import annotations

from bridgework.accounts.models import Role, User

__all__ = [
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
