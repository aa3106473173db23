"""The Content-Security-Policy of documents that are not app pages.

Every page has the policy of ``settings.CONTENT_SECURITY_POLICY`` (scripts and
styles from the app's own static files only). The network report and the
impact report are different: each is one self-contained HTML file, made to be
saved, mailed and printed, so its styles are inline (a ``<style>`` block and
the ``style`` attributes of matplotlib's SVG charts). Served by the app they
get :data:`STANDALONE_DOCUMENT_POLICY`: inline styles, images only as ``data:``
URLs, and nothing else at all (no script, no fetch, no form, no framing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp
from django.http import HttpResponseBase

__all__ = ["STANDALONE_DOCUMENT_POLICY", "standalone_document"]

STANDALONE_DOCUMENT_POLICY: dict[str, list[str]] = {
    "default-src": [NONE],
    "style-src": [UNSAFE_INLINE],
    "img-src": ["data:"],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [NONE],
}

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def standalone_document(view: View) -> View:
    """View decorator: answer with :data:`STANDALONE_DOCUMENT_POLICY`, not the pages' policy."""
    # django-csp types its decorator for views of a plain request only; ours take more.
    return cast(View, csp(STANDALONE_DOCUMENT_POLICY)(view))
