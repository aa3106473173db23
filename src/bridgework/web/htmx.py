"""Pages that htmx updates in part: is this request for a part or the whole page?"""

from __future__ import annotations

from django.http import HttpRequest

__all__ = ["is_htmx"]


def is_htmx(request: HttpRequest) -> bool:
    """htmx asks for a part of the page; a history restore wants the whole page
    even though htmx sent it.

    >>> from django.test import RequestFactory
    >>> is_htmx(RequestFactory().get("/", headers={"HX-Request": "true"}))
    True
    >>> is_htmx(RequestFactory().get("/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}))
    False
    """
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )
