"""REST API of the mentoring app under ``/api/mentoring/``."""

from ninja import Router

__all__ = ["router"]

router = Router(tags=["mentoring"])
