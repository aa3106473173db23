"""Behavior frameworks: the default one, and new frameworks and versions from YAML."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.mentoring.frameworks import FrameworkError, default_framework, parse_framework
from bridgework.mentoring.models import BehaviorFramework, FrameworkVersion, Program
from bridgework.mentoring.services._common import require_manager

__all__ = ["framework_default_ensure", "framework_version_create"]


def _framework_error(exc: FrameworkError) -> ValidationError:
    return ValidationError({"content": exc.errors})


@transaction.atomic
def framework_default_ensure() -> FrameworkVersion:
    """The latest version of the default framework, loading ``default.yaml`` if no
    framework is marked default (the data migration normally has)."""
    framework = BehaviorFramework.objects.filter(is_default=True).first()
    if framework is None:
        content = default_framework()
        framework = BehaviorFramework.objects.filter(slug=content["slug"]).first()
        if framework is None:
            framework = BehaviorFramework.objects.create(
                name=content["name"],
                slug=content["slug"],
                description=content["description"],
                is_default=True,
            )
        else:
            framework.is_default = True
            framework.save(update_fields=["is_default"])
    version = framework.latest_version
    if version is None:
        version = FrameworkVersion.objects.create(
            framework=framework,
            number=1,
            content=default_framework(),
            note="The default framework.",
        )
    return version


@transaction.atomic
def framework_version_create(
    *,
    actor: User,
    text: str | bytes,
    framework: BehaviorFramework | None = None,
    note: str = "",
    program: Program | None = None,
) -> FrameworkVersion:
    """Store a framework from YAML (see :mod:`bridgework.mentoring.frameworks`).

    With ``framework``, the YAML becomes its next version (an edit: earlier
    versions, and the assessments made against them, stay as they were).
    Without, it is a new framework, whose ``slug`` must not be taken. With
    ``program``, the program moves to the new version. Invalid YAML raises a
    ``ValidationError`` on ``content`` listing every problem with its line,
    and nothing is stored. Program managers and admins only.
    """
    require_manager(actor)
    try:
        content = parse_framework(text)
    except FrameworkError as exc:
        raise _framework_error(exc) from None
    if program is not None and program.status == Program.Status.FINISHED:
        raise ValidationError({"program": "A finished program keeps its framework."})
    if framework is None:
        if BehaviorFramework.objects.filter(slug=content["slug"]).exists():
            raise ValidationError(
                {
                    "content": [
                        f"slug: a framework called {content['slug']!r} exists already; edit that "
                        "framework to give it a new version, or choose another slug."
                    ]
                }
            )
        framework = BehaviorFramework.objects.create(
            name=content["name"],
            slug=content["slug"],
            description=content["description"],
            created_by=actor,
        )
        number = 1
    else:
        framework = BehaviorFramework.objects.select_for_update().get(pk=framework.pk)
        content["slug"] = framework.slug
        number = (framework.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        framework.name = content["name"]
        framework.description = content["description"]
        framework.save(update_fields=["name", "description"])
    version = FrameworkVersion.objects.create(
        framework=framework,
        number=number,
        content=content,
        note=(note or "").strip()[:300],
        created_by=actor,
    )
    if program is not None:
        program.framework_version = version
        program.save(update_fields=["framework_version", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="framework_version",
        object_id=version.pk,
        detail={
            "framework": framework.slug,
            "number": number,
            "program": getattr(program, "pk", None),
        },
    )
    return version
