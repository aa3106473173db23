"""REST API of the impact app under ``/api/impact/``."""

from ninja import Router

__all__ = ["router"]

router = Router(tags=["impact"])
