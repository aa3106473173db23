"""What the mentoring app lets people see of each other outside mentoring pages."""

from __future__ import annotations

from bridgework.accounts.models import User
from bridgework.mentoring.selectors.network import mentor_can_see_network

__all__ = ["mentor_sees_shared_metrics"]


def mentor_sees_shared_metrics(user: User, person_id: int) -> bool:
    """The user mentors the person and the mentee shares their network with them
    (:func:`~bridgework.mentoring.selectors.network.mentor_can_see_network`).
    Registered with :func:`bridgework.accounts.policies.grant_metric_view`."""
    if user.person_id is None:
        return False
    return mentor_can_see_network(mentor_person_id=user.person_id, mentee_person_id=person_id)
