"""Absolute links for e-mails and other messages read outside a request."""

from __future__ import annotations

from django.conf import settings

__all__ = ["absolute_url", "site_url"]


def site_url() -> str:
    """The address people reach Bridgework at, without a trailing slash.

    ``BRIDGEWORK_SITE_URL`` when set; ``bridgework serve`` sets it to the host
    and port it listens on, for itself and its worker, so links in e-mails work.
    """
    return str(settings.SITE_URL or "http://localhost:8000").rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse``, starting with ``/``) on :func:`site_url`."""
    return site_url() + path
