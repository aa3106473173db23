"""``bridgework serve``'s own limit on request bodies matches the largest upload
any role may make (issue 13, item 4), so Waitress refuses a larger body before
reading it, and never one a people analyst may send."""

from __future__ import annotations

import waitress
from waitress.adjustments import Adjustments
from waitress.parser import HTTPRequestParser
from waitress.utilities import RequestEntityTooLarge

from bridgework.cli import server
from bridgework.interactions.uploads import FORM_ALLOWANCE

MB = 2**20


def test_the_body_limit_is_the_largest_upload_plus_the_form(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 7 * MB
    assert server.max_request_body_size() == 7 * MB + FORM_ALLOWANCE + 1


def test_serve_hands_the_limit_to_waitress(settings, monkeypatch):
    settings.IMPORT_MAX_UPLOAD_BYTES = 7 * MB
    handed = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: handed.update(kwargs))
    monkeypatch.setattr("django.core.management.call_command", lambda *a, **k: None)
    monkeypatch.setattr(server, "_log_info_to_file", lambda path: None)
    monkeypatch.setattr(server, "_print_demo_logins", lambda: None)
    monkeypatch.setattr(server.signal, "signal", lambda *a: None)
    monkeypatch.setenv("BRIDGEWORK_SITE_URL", "http://127.0.0.1:8765")  # serve sets it otherwise
    server.serve(host="127.0.0.1", port=8765, threads=1, with_worker=False)
    assert handed["max_request_body_size"] == server.max_request_body_size()


def _parsed(*, declared: int, body: bytes) -> HTTPRequestParser:
    """Waitress's own request parser, set up as ``serve`` sets it, fed a POST
    declaring ``declared`` bytes and carrying ``body``."""
    parser = HTTPRequestParser(Adjustments(max_request_body_size=server.max_request_body_size()))
    data = (
        f"POST /interactions/import/ HTTP/1.1\r\nHost: localhost\r\n"
        f"Content-Length: {declared}\r\n\r\n"
    ).encode() + body
    while data and not parser.completed:
        data = data[parser.received(data) :]
    return parser


def test_waitress_refuses_a_body_over_the_limit_before_reading_it(settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1 * MB
    largest = MB + FORM_ALLOWANCE
    accepted = _parsed(declared=largest, body=b"x" * largest)
    assert accepted.completed and accepted.error is None
    # Declared one byte more, and not one byte of it sent: refused on the headers.
    refused = _parsed(declared=largest + 1, body=b"")
    assert refused.completed and isinstance(refused.error, RequestEntityTooLarge)
    assert refused.error.code == 413
