"""Importers: one module per source format, all yielding the records of
:mod:`bridgework.core.ingest.records`.

>>> list(readers())
['csv', 'ics', 'linkedin', 'maildir', 'mbox', 'slack', 'vcard', 'viva-p2p', 'viva-person']
>>> reader("mbox").label
'E-mail (mbox file)'
"""

from __future__ import annotations

import importlib

from bridgework.core.ingest.base import Reader

__all__ = ["readers", "reader"]

#: Modules that define ``READER`` or ``READERS``.
_MODULES = (
    "mbox",
    "maildir",
    "ics",
    "vcard",
    "linkedin",
    "generic_csv",
    "slack",
    "viva",
)


def readers() -> dict[str, Reader]:
    """Every available format by name."""
    found: dict[str, Reader] = {}
    for module_name in _MODULES:
        try:
            module = importlib.import_module(f"bridgework.core.ingest.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"bridgework.core.ingest.{module_name}":
                continue
            raise
        for item in getattr(module, "READERS", ()) or (getattr(module, "READER", None),):
            if item is not None:
                found[item.name] = item
    return dict(sorted(found.items()))


def reader(name: str) -> Reader:
    """The reader for a format name; ``KeyError`` names the known formats."""
    available = readers()
    try:
        return available[name]
    except KeyError:
        raise KeyError(f"Unknown format {name!r}; choose one of: {', '.join(available)}") from None
