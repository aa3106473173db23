"""Types every app's REST API shares: bounded ids, bounded pages, the error bodies.

An id in a payload or a query parameter names a row, and every primary key
is a positive 64-bit integer. A larger number names nothing and overflows the
database's integers (SQLite raises ``OverflowError``, PostgreSQL
``bigint out of range``), so :data:`Id` refuses it as invalid input (422)
before any query runs. Page numbers are bounded the same way, so that
``(page - 1) * page_size`` stays a valid ``OFFSET``.

>>> from pydantic import TypeAdapter, ValidationError
>>> TypeAdapter(Id).validate_python(42)
42
>>> for hostile in (0, -1, MAX_ID + 1):
...     try:
...         TypeAdapter(Id).validate_python(hostile)
...     except ValidationError:
...         print("refused", hostile)
refused 0
refused -1
refused 9223372036854775808
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from ninja.pagination import PageNumberPagination
from pydantic import Field

__all__ = [
    "MAX_ID",
    "MAX_PAGE",
    "MAX_PAGE_SIZE",
    "PAGE_SIZE",
    "BoundedPageNumberPagination",
    "ErrorOut",
    "Id",
    "InvalidInputOut",
    "PageQuery",
    "ProblemOut",
]

#: The largest primary key the database can hold (a signed 64-bit integer).
MAX_ID = 2**63 - 1

#: The id of a row: 1 to :data:`MAX_ID`; anything else is a 422, not a query.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

#: Every list answers ``{"items": [...], "count": <total>}`` for ``?page=N&page_size=M``.
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
#: No list is anywhere near this long; the bound keeps the offset a valid integer.
MAX_PAGE = 1_000_000


class PageQuery(PageNumberPagination.Input):
    """The query parameters of every list (named, so the OpenAPI schema has no bare "Input")."""

    page: int = Field(1, ge=1, le=MAX_PAGE, description=f"From 1 to {MAX_PAGE}.")
    page_size: int | None = Field(
        None, ge=1, description=f"Default {PAGE_SIZE}; more than {MAX_PAGE_SIZE} gives that."
    )


class BoundedPageNumberPagination(PageNumberPagination):
    """ninja's page-number pagination with ``page`` bounded by :data:`MAX_PAGE`.

    ``page_size`` above :data:`MAX_PAGE_SIZE` is still lowered to it, as before.
    """

    Input = PageQuery

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("page_size", PAGE_SIZE)
        kwargs.setdefault("max_page_size", MAX_PAGE_SIZE)
        super().__init__(**kwargs)


# ---- error bodies --------------------------------------------------------------------


class ErrorOut(Schema):
    """Every error but invalid input: 401, 403, 404 (missing and forbidden alike), 5xx."""

    detail: str


class ProblemOut(Schema):
    """One problem with the input, as pydantic and django-ninja describe it."""

    type: str
    loc: list[str | int] = Field(description='Where: e.g. ["body", "payload", "closeness"].')
    msg: str


class InvalidInputOut(Schema):
    """422: the request does not fit the schema, or a service refused it."""

    detail: list[ProblemOut]
    errors: dict[str, list[str]] = Field(
        description="Field name (``__all__`` for the whole input) → its messages."
    )
