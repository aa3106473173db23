"""The demo organization in every app: what ``make demo`` and ``bridgework demo`` load.

:mod:`bridgework.core.demo` generates "Northwind Labs" as plain data; each app
writes its own part (``interactions.demo``, ``network.demo``,
``mentoring.demo``, ``impact.demo``); :func:`demo_load` here runs them in
order. This package sits above every app and is imported by none of them.
"""

from bridgework.demo.load import (
    DEMO_PASSWORD,
    DEMO_PHASES,
    DemoSummary,
    demo_is_loaded,
    demo_load,
    demo_logins,
)

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_PHASES",
    "DemoSummary",
    "demo_is_loaded",
    "demo_load",
    "demo_logins",
]
