"""Behavior frameworks and their versions (no personal data: anyone signed in)."""

from __future__ import annotations

from django.db.models import Prefetch

from bridgework.accounts.guards import require_login
from bridgework.accounts.models import User
from bridgework.core.errors import NotFoundError
from bridgework.mentoring.models import BehaviorFramework, FrameworkVersion
from bridgework.mentoring.selectors._common import get_or_not_found

__all__ = [
    "framework_list",
    "access_framework",
    "access_framework_version",
    "access_framework_version_number",
]


def framework_list(*, viewer: User) -> list[BehaviorFramework]:
    """Every framework with its versions, newest first (no personal data)."""
    require_login(viewer)
    return list(
        BehaviorFramework.objects.prefetch_related(
            Prefetch("versions", queryset=FrameworkVersion.objects.order_by("-number"))
        )
    )


def access_framework(*, viewer: User, framework_id: int) -> BehaviorFramework:
    require_login(viewer)
    return get_or_not_found(BehaviorFramework.objects.all(), framework_id)


def access_framework_version_number(
    *, viewer: User, framework_id: int, number: int
) -> FrameworkVersion:
    """Version ``number`` of a framework; "not found" when either does not exist."""
    framework = access_framework(viewer=viewer, framework_id=framework_id)
    version = (
        FrameworkVersion.objects.filter(framework=framework, number=number)
        .select_related("framework")
        .first()
    )
    if version is None:
        raise NotFoundError("Not found.")
    return version


def access_framework_version(*, viewer: User, version_id: int) -> FrameworkVersion:
    require_login(viewer)
    return get_or_not_found(FrameworkVersion.objects.select_related("framework"), version_id)
