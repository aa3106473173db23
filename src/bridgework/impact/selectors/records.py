"""The rows an API payload names by id (skills, organizations, people, teams,
programs, introductions, interactions), before a service checks what the actor
may link: a missing id is a ``ValidationError`` naming the field."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model

__all__ = ["records_by_id"]

_M = TypeVar("_M", bound=Model)


def records_by_id(model: type[_M], ids: Iterable[int] | None, *, field: str) -> list[_M]:
    """The rows of ``model`` with these ids, in order and without repeats.

    Only existence is checked here; whether the actor may use each row (an
    introduction they asked for, an interaction they took part in) is the
    service's rule.
    """
    wanted = list(dict.fromkeys(ids or ()))
    found = model._default_manager.in_bulk(wanted)
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        raise ValidationError(
            {field: f"No {model._meta.verbose_name} with id {', '.join(missing)}."}
        )
    return [found[pk] for pk in wanted]
