"""Normalizing e-mail addresses and names so that the same person matches.

>>> normalize_email(" Mailto:Jane.Doe@Example.COM ")
'jane.doe@example.com'
>>> normalize_name("Doe, Jane M.")
'doe jane'
>>> normalize_name("Dr. José  Álvarez") == normalize_name("alvarez jose")
True
>>> email_domain("a@Sub.Example.org")
'sub.example.org'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize_email", "normalize_name", "email_domain", "FREE_MAIL_DOMAINS"]

_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mx", "jr", "sr"})
_NON_WORD = re.compile(r"[^\w\s]+", re.UNICODE)

#: Personal mailbox providers: their domain says nothing about an organization.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
        "yahoo.com", "yahoo.co.uk", "icloud.com", "me.com", "mac.com", "aol.com",
        "proton.me", "protonmail.com", "gmx.com", "gmx.de", "web.de", "mail.com",
        "fastmail.com", "zoho.com", "yandex.com", "qq.com", "163.com",
    }
)  # fmt: skip


def normalize_email(address: str) -> str:
    """Lower-case, trimmed, without a ``mailto:`` prefix or angle brackets."""
    address = (address or "").strip().strip("<>").strip()
    if address.lower().startswith("mailto:"):
        address = address[7:]
    return address.strip().lower()


def email_domain(address: str) -> str:
    address = normalize_email(address)
    return address.rsplit("@", 1)[1] if "@" in address else ""


def normalize_name(name: str) -> str:
    """Case-, accent- and order-insensitive form of a person's name.

    Honorifics and single-letter initials are dropped and the remaining words
    sorted, so "Doe, Jane M." and "Jane Doe" give the same key.
    """
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    words = [w for w in _NON_WORD.sub(" ", text).split() if len(w) > 1 and w not in _HONORIFICS]
    return " ".join(sorted(words))
