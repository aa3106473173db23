"""Matching the people a source names to people already in the directory.

Rules, in order:

1. **E-mail** — any of the identity's addresses belongs to a known person: a
   certain match.
2. **Source key** — the source's own id (Slack user, Viva Insights person,
   LinkedIn profile) was seen before: a certain match.
3. **Name and organization** — the normalized name (see
   :func:`~bridgework.core.identity.normalize.normalize_name`) matches exactly
   one known person of the same organization (from the identity's
   organization name or its e-mail domain): an *uncertain* match, listed for a
   person to confirm or undo.
4. Otherwise the identity is **new**. Known people with the same normalized
   name (in another or no organization) are returned as possible duplicates.

>>> index = IdentityIndex(
...     [KnownPerson(id=1, name="Jane Doe", emails=("jane@acme.example",), organization_id=10)],
...     organization_of_domain={"acme.example": 10},
... )
>>> index.match(Identity(email="JANE@acme.example")).method
'email'
>>> m = index.match(Identity(email="j.doe@acme.example", name="Doe, Jane"))
>>> (m.person_id, m.method, m.certain)
(1, 'name+organization', False)
>>> index.match(Identity(email="jane@gmail.com", name="Jane Doe")).candidates
(1,)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bridgework.core.identity.normalize import email_domain, normalize_email, normalize_name
from bridgework.core.identity.records import Identity

__all__ = ["KnownPerson", "Match", "IdentityIndex"]


@dataclass(frozen=True)
class KnownPerson:
    id: int
    name: str = ""
    emails: tuple[str, ...] = ()
    source_keys: tuple[str, ...] = ()
    organization_id: int | None = None


@dataclass(frozen=True)
class Match:
    """Where an identity landed: an existing person, or a new one (``person_id`` None)."""

    person_id: int | None
    method: str  #: ``email``, ``source_key``, ``name+organization`` or ``new``
    certain: bool
    candidates: tuple[int, ...] = ()  #: possible duplicates of a new person


class IdentityIndex:
    """In-memory index of known people for fast matching during an import."""

    def __init__(
        self,
        people: Iterable[KnownPerson] = (),
        *,
        organization_of_domain: Mapping[str, int] | None = None,
        organization_of_name: Mapping[str, int] | None = None,
    ):
        self._by_email: dict[str, int] = {}
        self._by_key: dict[str, int] = {}
        self._by_name: dict[str, list[tuple[int, int | None]]] = defaultdict(list)
        self.organization_of_domain = {
            k.lower(): v for k, v in (organization_of_domain or {}).items()
        }
        self.organization_of_name = {
            normalize_name(k): v for k, v in (organization_of_name or {}).items()
        }
        for person in people:
            self.add(person)

    def add(self, person: KnownPerson) -> None:
        for address in person.emails:
            self._by_email.setdefault(normalize_email(address), person.id)
        for key in person.source_keys:
            self._by_key.setdefault(key, person.id)
        name_key = normalize_name(person.name)
        if name_key:
            self._by_name[name_key].append((person.id, person.organization_id))

    def add_alias(self, person_id: int, identity: Identity) -> None:
        """Remember an identity's addresses and key as belonging to ``person_id``."""
        for address in identity.emails:
            self._by_email.setdefault(normalize_email(address), person_id)
        if identity.source_key:
            self._by_key.setdefault(identity.source_key, person_id)

    def organization_of(self, identity: Identity) -> int | None:
        if identity.organization:
            found = self.organization_of_name.get(normalize_name(identity.organization))
            if found is not None:
                return found
        for address in identity.emails:
            found = self.organization_of_domain.get(email_domain(address))
            if found is not None:
                return found
        return None

    def match(self, identity: Identity) -> Match:
        for address in identity.emails:
            person_id = self._by_email.get(normalize_email(address))
            if person_id is not None:
                return Match(person_id, "email", True)
        if identity.source_key:
            person_id = self._by_key.get(identity.source_key)
            if person_id is not None:
                return Match(person_id, "source_key", True)
        name_key = normalize_name(identity.name)
        if not name_key or " " not in name_key:
            # A single word ("jane", "admin") is too weak to match on.
            return Match(None, "new", True)
        namesakes = self._by_name.get(name_key, [])
        organization_id = self.organization_of(identity)
        if organization_id is not None:
            same_org = [pid for pid, org in namesakes if org == organization_id]
            if len(same_org) == 1:
                return Match(same_org[0], "name+organization", False)
        return Match(None, "new", True, candidates=tuple(sorted({pid for pid, _ in namesakes})))
