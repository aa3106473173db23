"""Content-line parameters, shared by the iCalendar and vCard readers.

Both formats write a property as ``NAME *(";" param) ":" value`` (RFC 5545
section 3.1, RFC 6350 section 3.3), with parameter values that may be quoted
and comma-separated.

>>> read_parameters('DTSTART;TZID="Europe/Paris";X=a,b:2026', 7, bare=str)
({'TZID': ['Europe/Paris'], 'X': ['a', 'b']}, 33)
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["BadLine", "read_parameters"]

_PARAM_NAME = re.compile(r"[A-Za-z0-9-]*")
_PARAM_TEXT = re.compile(r'[^";:,]*')


def _match(pattern: re.Pattern[str], text: str, pos: int) -> re.Match[str]:
    """``pattern.match`` for the two patterns above, which accept the empty string."""
    match = pattern.match(text, pos)
    if match is None:  # cannot happen: an empty match always succeeds
        raise AssertionError(f"{pattern.pattern!r} did not match at {pos}")
    return match


class BadLine(ValueError):
    """A content line that cannot be split into name, parameters and value."""


def _identity(value: str) -> str:
    return value


def read_parameters(
    text: str,
    start: int,
    *,
    bare: Callable[[str], str],
    decode: Callable[[str], str] = _identity,
) -> tuple[dict[str, list[str]], int]:
    """Parameters from ``text[start:]`` up to the ``:``; returns them and where they end.

    Parameter names are upper-cased; empty parameters (``;;``) are skipped; a
    bare parameter without ``=`` (vCard 2.1 ``TEL;CELL``) is filed under the
    key ``bare(name)``. ``decode`` is applied to each value. The error message
    never quotes the line.
    """
    end = len(text)
    i = start
    params: dict[str, list[str]] = {}
    while i < end and text[i] == ";":
        match = _match(_PARAM_NAME, text, i + 1)
        param, i = match.group().upper(), match.end()
        if i < end and text[i] == "=":
            i += 1
            values: list[str] = []
            while True:
                if i < end and text[i] == '"':
                    close = text.find('"', i + 1)
                    if close < 0:
                        raise BadLine(f"the {param} parameter's quoted value is never closed")
                    values.append(text[i + 1 : close])
                    i = close + 1
                else:
                    match = _match(_PARAM_TEXT, text, i)
                    values.append(match.group())
                    i = match.end()
                if i < end and text[i] == ",":
                    i += 1
                    continue
                break
            params.setdefault(param, []).extend(decode(v) for v in values)
        elif param:
            params.setdefault(bare(param), []).append(param)
    return params, i
