"""Recognising distribution lists, no-reply and automated senders.

They would otherwise look like the best-connected "people" in any network.

>>> is_automated_address("no-reply@github.com")
True
>>> is_automated_address("all-staff@northwind.example")
True
>>> is_automated_address("jane.doe@northwind.example")
False
"""

from __future__ import annotations

import re

__all__ = ["is_automated_address"]

_LOCAL_PART = re.compile(
    r"""^(
        no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply|
        mailer[-_.]?daemon|postmaster|bounces?|bounce[-+].*|
        notifications?|notify|alerts?|automated|auto[-_.]?reply|
        newsletters?|news|marketing|mailing[-_.]?list|list[-_.].*|.*[-_.]list|
        listserv|majordomo|announce(ments)?|digest|
        all[-_.]?staff|all|everyone|all[-_.].*|staff|
        calendar[-_.]?notification|calendar|invitations?|
        support|help[-_.]?desk|helpdesk|ticket(s|ing)?|jira|confluence|
        root|admin|administrator|webmaster|system|daemon|robot|bot
    )$""",
    re.VERBOSE,
)
_PLUS_BOUNCE = re.compile(r"(^|[-_.+])(bounce|bounces|noreply|unsubscribe)([-_.+]|$)")


def is_automated_address(address: str) -> bool:
    """Whether an address belongs to a list, a robot or a no-reply sender."""
    address = (address or "").strip().lower()
    if "@" not in address:
        return False
    local = address.rsplit("@", 1)[0]
    return bool(_LOCAL_PART.match(local) or _PLUS_BOUNCE.search(local))
