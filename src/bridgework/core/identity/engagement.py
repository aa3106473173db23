"""Guessing how a newly seen person is engaged with us, from their e-mail domain.

>>> infer_engagement("ana@northwind.example", internal_domains={"northwind.example"},
...                  organization_kinds={})
'employee_ft'
>>> infer_engagement("bo@altamira.example", internal_domains=set(),
...                  organization_kinds={"altamira.example": "client"})
'client'
>>> infer_engagement("cy@gmail.com", internal_domains=set(), organization_kinds={})
'external'
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from bridgework.core.identity.normalize import email_domain

__all__ = ["infer_engagement"]

_KIND_TO_ENGAGEMENT = {"ours": "employee_ft", "client": "client", "partner": "partner"}


def infer_engagement(
    address: str, *, internal_domains: Collection[str], organization_kinds: Mapping[str, str]
) -> str:
    """Engagement type for a new person: internal domain → employee; a known
    client or partner organization's domain → client or partner; else external.

    A sub-domain counts as its parent (``mail.northwind.example``).
    """
    domain = email_domain(address)
    if not domain:
        return "external"
    internal = {d.lower() for d in internal_domains}
    candidates = [domain]
    parts = domain.split(".")
    candidates += [".".join(parts[i:]) for i in range(1, len(parts) - 1)]
    for candidate in candidates:
        if candidate in internal:
            return "employee_ft"
        kind = organization_kinds.get(candidate)
        if kind is not None:
            return _KIND_TO_ENGAGEMENT.get(kind, "external")
    return "external"
