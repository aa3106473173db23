"""Identity resolution against the directory: the app's side of an import.

Long on purpose: one class, whose parts (identifying, matching, creating,
privacy, writing in bulk) share its index of the directory and its batch of
writes, and are only ever used together.

:class:`DirectoryResolver` implements :class:`bridgework.core.ingest.pipeline.Resolver`.
It loads what the directory knows (names, e-mail addresses, source keys,
organizations) into a :class:`~bridgework.core.identity.resolve.IdentityIndex`
once, then turns each identity an importer names into a Person id:

* an empty identity, a distribution list, a no-reply or robot sender → ``None``;
* a certain match (one of its e-mail addresses, or its source key) → that
  person, who also learns the identity's other addresses and source key;
* an uncertain match (same normalized name and organization) → a **new**
  person plus a :class:`~bridgework.people.models.MatchReview` ("same name and
  organization") for a people manager to confirm or dismiss;
* otherwise a new person; namesakes are listed for review too, with what
  their organizations say: "same name, different organization", "same name,
  neither has an organization", or "same name and organization" (when several
  people of that organization share the name, so none is a certain match).

New people are written in bulk at the end of each call (a few queries per
batch, however many identities), marked with the source that introduced them,
and added to the index at once, so the next identity with the same address in
the same import lands on the same new person.

Who may add people to the shared directory: a member's import of their own
mailbox, calendar or address book (``private_owner_id``) adds only **private
contacts** of that member (``Person.listed`` false, a
:class:`~bridgework.people.models.PrivateContact` row), creates no
organizations and changes nobody already there; someone else's private contact
it names becomes the member's private contact too. An organization import
(people analysts, admins, the command line) lists every person it names in the
directory, private contacts included: the organization's own data knows them.

Identities known only by a name (no address, no source key) are remembered
under a ``name:`` key of their normalized name and organization, so importing
the same address book twice finds the same people instead of creating them
again; one-word names are too weak to identify anybody and are left out.
See ``docs/identity.md``.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from bridgework.accounts.models import AuditEntry, User
from bridgework.accounts.services import audit_record
from bridgework.core.identity.automated import is_automated_address
from bridgework.core.identity.engagement import infer_engagement
from bridgework.core.identity.normalize import (
    FREE_MAIL_DOMAINS,
    email_domain,
    normalize_email,
    normalize_name,
)
from bridgework.core.identity.resolve import IdentityIndex, KnownPerson
from bridgework.core.ingest.names import display_name
from bridgework.core.ingest.records import ContactRecord, Identity
from bridgework.people.models import (
    EngagementType,
    MatchReview,
    Organization,
    Person,
    PersonEmail,
    PersonIdentity,
    PrivateContact,
)

__all__ = [
    "DirectoryResolver",
    "people_introduced_by_import_delete",
    "LEVEL_OF_DESIGNATION",
    "MAX_CANDIDATES_REVIEWED",
    "name_from_address",
]

#: At most this many namesakes elsewhere are listed for review per new person;
#: a very common name would otherwise flood the review list.
MAX_CANDIDATES_REVIEWED = 3

#: Viva Insights ``LevelDesignation`` values that clearly map to a level.
LEVEL_OF_DESIGNATION = {
    "executive": Person.Level.EXECUTIVE,
    "senior manager": Person.Level.MANAGER,
    "manager": Person.Level.MANAGER,
    "senior ic": Person.Level.INDIVIDUAL,
    "junior ic": Person.Level.INDIVIDUAL,
    "ic": Person.Level.INDIVIDUAL,
    "individual contributor": Person.Level.INDIVIDUAL,
}

_KIND_ENGAGEMENT: dict[str, str] = {
    Organization.Kind.CLIENT: EngagementType.CLIENT,
    Organization.Kind.PARTNER: EngagementType.PARTNER,
}
_SEPARATORS = re.compile(r"[._\-]+")
_SPACES = re.compile(r"\s+")
_MAX_EMAIL = PersonEmail._meta.get_field("address").max_length
_MAX_KEY = PersonIdentity._meta.get_field("key").max_length
_MAX_NAME = Person._meta.get_field("full_name").max_length


def name_from_address(address: str) -> str:
    """A readable name from an address's local part.

    >>> name_from_address("jane.doe@example.com")
    'Jane Doe'
    >>> name_from_address("j_smith+news@example.com")
    'J Smith'
    """
    local = address.split("@", 1)[0].split("+", 1)[0]
    words = [w for w in _SEPARATORS.split(local) if w]
    return " ".join(w[:1].upper() + w[1:] for w in words) or address


def _display_name(identity: Identity) -> str:
    """The name to give a new person: the source's, else one made from the address."""
    name = _SPACES.sub(" ", identity.name.strip().strip("\"'").strip())
    if "@" in name:
        name = ""
    name = display_name(name)  # "Doe, Jane" → "Jane Doe"; "Jane Doe, PhD" stays
    if not name and identity.email:
        name = name_from_address(identity.email)
    if not name and identity.source_key:
        source, _, value = identity.source_key.partition(":")
        name = f"{source.capitalize()} person {value[:12]}".strip()
    return name[:_MAX_NAME]


def _usable_address(raw: str) -> str:
    address = normalize_email(raw)
    if (
        address.count("@") != 1
        or address.startswith("@")
        or address.endswith("@")
        or (_MAX_EMAIL is not None and len(address) > _MAX_EMAIL)
        or any(ch.isspace() for ch in address)
    ):
        return ""
    return address


def _level(identity: Identity) -> int | None:
    for name, value in identity.attributes:
        if name.lower() == "leveldesignation":
            return LEVEL_OF_DESIGNATION.get(value.strip().lower())
    return None


def _domain_and_parents(domain: str) -> list[str]:
    parts = domain.split(".")
    return [".".join(parts[i:]) for i in range(len(parts) - 1)] if domain else []


@dataclass
class _NewPerson:
    temp_id: int
    person: Person
    organization_ref: int | None
    emails: list[str]
    keys: list[str]


@dataclass
class _Batch:
    """What one ``resolve`` or ``add_contacts`` call writes, in bulk, at its end."""

    new_people: dict[int, _NewPerson] = field(default_factory=dict)
    new_organizations: dict[int, str] = field(default_factory=dict)
    emails: list[tuple[int, str]] = field(default_factory=list)
    keys: list[tuple[int, str]] = field(default_factory=list)
    reviews: list[tuple[int, int, str]] = field(default_factory=list)
    enrich: list[tuple[int, Identity]] = field(default_factory=list)
    #: people who become the private owner's contacts (new ones by temporary id)
    private: set[int] = field(default_factory=set)
    #: private contacts an organization import names: listed from now on
    listed: set[int] = field(default_factory=set)


class DirectoryResolver:
    """Resolves identities to people in the directory, creating people as needed.

    Parameters
    ----------
    actor
        Who runs the import (for the audit log); ``None`` for the command line.
    source_label
        What introduced new people, shown on their profile: ``"mbox import #12"``.
    import_run_id
        The import run's id: stored on what this import creates, so
        :func:`people_introduced_by_import_delete` can take it back if it fails.
    internal_domains
        Our e-mail domains, in addition to ``settings.INTERNAL_DOMAINS`` and the
        domains of organizations of kind "ours".
    create
        ``False``: only match; identities nobody matches resolve to ``None``.
    owner_person_id
        Set when a member imports their own mailbox, calendar or address book:
        people already in the directory are then matched but never changed
        (a member's address book does not edit other people's profiles).
    private_owner_id
        The member whose private contacts the people this import brings in
        become (their own person); ``None`` for an organization import, whose
        people are listed in the shared directory.

    After the import, ``created``, ``matched`` (distinct people who were already
    in the directory) and ``uncertain`` (new people listed for review) say what
    happened. For a member, someone else's private contact counts as created:
    whether another member knows them is none of their business.
    """

    def __init__(
        self,
        *,
        actor: User | None = None,
        source_label: str,
        import_run_id: int | None = None,
        internal_domains: Sequence[str] = (),
        create: bool = True,
        owner_person_id: int | None = None,
        private_owner_id: int | None = None,
    ):
        self.actor = actor if actor is not None and actor.is_authenticated else None
        self.source_label = source_label[: Person._meta.get_field("introduced_by").max_length]
        self.import_run_id = import_run_id
        self.extra_internal_domains = tuple(d.strip().lower() for d in internal_domains)
        self.create = create
        self.owner_person_id = owner_person_id
        self.private_owner_id = private_owner_id
        self._index: IdentityIndex | None = None
        self._next_temp = -1
        self._real: dict[int, int] = {}  # temporary id → database id
        self._created: set[int] = set()
        self._claimed: set[int] = set()  # others' private contacts, now the member's too
        self._matched: set[int] = set()
        self._uncertain: set[int] = set()
        self._unlisted: set[int] = set()
        self._mine: set[int] = set()  # the private owner's contacts
        #: person → organization (either may be a temporary id), to name why namesakes match
        self._organization_of_person: dict[int, int | None] = {}

    # -- counters ---------------------------------------------------------------

    @property
    def created(self) -> int:
        """People this resolver added (for a member: added to their private contacts)."""
        return len(self._created) + len(self._claimed)

    @property
    def matched(self) -> int:
        """Distinct people already in the directory that identities matched."""
        return len(self._matched)

    @property
    def uncertain(self) -> int:
        """New people listed for a people manager to review as possible duplicates."""
        return len(self._uncertain)

    # -- loading ----------------------------------------------------------------

    def _load(self) -> IdentityIndex:
        if self._index is not None:
            return self._index
        organizations = list(
            Organization.objects.values_list("id", "name", "kind", "email_domains")
        )
        self._org_kind: dict[int, str] = {}
        self._kind_of_domain: dict[str, str] = {}
        org_of_domain: dict[str, int] = {}
        internal = set(self.extra_internal_domains) | {d.lower() for d in settings.INTERNAL_DOMAINS}
        ours = []
        for org_id, _name, kind, domains in organizations:
            self._org_kind[org_id] = kind
            if kind == Organization.Kind.OURS:
                ours.append(org_id)
            for domain in (d.strip().lower() for d in domains.split(",")):
                if not domain or domain in FREE_MAIL_DOMAINS:
                    continue
                org_of_domain.setdefault(domain, org_id)
                self._kind_of_domain.setdefault(domain, kind)
                if kind == Organization.Kind.OURS:
                    internal.add(domain)
        self._internal = internal
        #: our organization, when there is exactly one to choose
        self._ours = ours[0] if len(ours) == 1 else None
        if self._ours is not None:
            # Internal domains name our organization, for matching as for creating.
            for domain in internal:
                org_of_domain.setdefault(domain, self._ours)
        self._org_of_domain = org_of_domain

        emails: dict[int, list[str]] = {}
        for person_id, address in PersonEmail.objects.values_list("person_id", "address"):
            emails.setdefault(person_id, []).append(address)
        keys: dict[int, list[str]] = {}
        for person_id, key in PersonIdentity.objects.values_list("person_id", "key"):
            keys.setdefault(person_id, []).append(key)
        self._emails = {normalize_email(a) for addresses in emails.values() for a in addresses}
        self._keys = {k for ks in keys.values() for k in ks}
        self._unlisted = set(Person.objects.filter(listed=False).values_list("id", flat=True))
        if self.private_owner_id is not None:
            self._mine = set(
                PrivateContact.objects.filter(owner_id=self.private_owner_id).values_list(
                    "person_id", flat=True
                )
            )
        people = list(
            Person.objects.values_list("id", "full_name", "organization_id").order_by("id")
        )
        self._organization_of_person = {person_id: org_id for person_id, _, org_id in people}
        self._index = IdentityIndex(
            (
                KnownPerson(
                    id=person_id,
                    name=name,
                    emails=tuple(emails.get(person_id, ())),
                    source_keys=tuple(keys.get(person_id, ())),
                    organization_id=org_id,
                )
                for person_id, name, org_id in people
            ),
            organization_of_domain=org_of_domain,
            organization_of_name={name: org_id for org_id, name, _k, _d in organizations},
        )
        return self._index

    # -- the Resolver protocol --------------------------------------------------

    def identify(self, identities: Sequence[Identity]) -> list[Hashable | None]:
        """Who each identity is, creating and changing nobody.

        The person's id when one matches for certain; for someone :meth:`resolve`
        would create, a key standing for them (the same for identities with the
        same first address or source key); ``None`` for those it leaves out. The
        import asks this first, to decide what it stores before anyone is created.
        """
        index = self._load()
        found: list[Hashable | None] = []
        for identity in identities:
            clean = self._clean(identity)
            if clean is None:
                found.append(None)
                continue
            match = index.match(clean)
            if match.certain and match.person_id is not None:
                found.append(self._real.get(match.person_id, match.person_id))
            else:
                found.append(("new", clean.email or clean.source_key) if self.create else None)
        return found

    def resolve(self, identities: Sequence[Identity]) -> list[int | None]:
        """One Person id per identity, ``None`` for those left out."""
        index = self._load()
        batch = _Batch()
        with transaction.atomic():
            found = [
                self._resolve_one(index, identity, batch, contact=False) for identity in identities
            ]
            self._write(batch)
        return [self._final(person_id) for person_id in found]

    def add_contacts(self, contacts: Sequence[ContactRecord]) -> int:
        """Create or enrich people from contact records; returns how many were stored.

        A contact matching someone already in the directory fills that person's
        *empty* title, phone, organization and level, and adds addresses and a
        source key nobody else has; nothing already filled is overwritten.
        """
        index = self._load()
        batch = _Batch()
        stored = 0
        with transaction.atomic():
            for contact in contacts:
                if self._resolve_one(index, contact.identity, batch, contact=True) is not None:
                    stored += 1
            self._write(batch)
            self._enrich(batch.enrich)
        return stored

    # -- matching -----------------------------------------------------------------

    def _clean(self, identity: Identity) -> Identity | None:
        """The identity with usable addresses only, or ``None`` when it names nobody."""
        if identity.is_empty or identity.automated:
            return None
        if identity.email and is_automated_address(identity.email):
            return None
        addresses: list[str] = []
        for raw in identity.emails:
            address = _usable_address(raw)
            if address and address not in addresses and not is_automated_address(address):
                addresses.append(address)
        key = identity.source_key.strip()[:_MAX_KEY]
        if not addresses and not key:
            name_key = normalize_name(identity.name)
            if " " not in name_key:
                return None  # a single word names nobody in particular
            organization_key = normalize_name(identity.organization)
            key = f"name:{name_key}|{organization_key}" if organization_key else f"name:{name_key}"
            key = key[:_MAX_KEY]
        cleaned = replace(
            identity,
            email=addresses[0] if addresses else "",
            extra_emails=tuple(addresses[1:]),
            source_key=key,
        )
        if not identity.name.strip() and addresses:
            # "jane.doe@…" is matched, and named, as "Jane Doe": the same name a
            # new person gets, so namesakes are found in either order.
            cleaned = replace(cleaned, name=name_from_address(addresses[0]))
        return cleaned

    def _resolve_one(
        self, index: IdentityIndex, identity: Identity, batch: _Batch, *, contact: bool
    ) -> int | None:
        clean = self._clean(identity)
        if clean is None:
            return None
        match = index.match(clean)
        if match.certain and match.person_id is not None:
            person_id = self._real.get(match.person_id, match.person_id)
            # Someone else's private contact counts as created for this member.
            claimed = self._settle_privacy(person_id, batch)
            if not claimed and person_id >= 0 and person_id not in self._created:
                self._matched.add(person_id)
            if self.owner_person_id is None:
                self._attach(index, person_id, clean, batch)
                if contact:
                    batch.enrich.append((person_id, clean))
            return person_id
        if not self.create:
            return None
        new_id = self._new_person(index, clean, batch, contact=contact)
        if match.method == "name+organization" and match.person_id is not None:
            reviews = [(match.person_id, MatchReview.SAME_NAME_AND_ORGANIZATION)]
        else:
            reviews = [
                (candidate, self._namesake_reason(new_id, candidate))
                for candidate in match.candidates[:MAX_CANDIDATES_REVIEWED]
            ]
        for candidate, reason in reviews:
            batch.reviews.append((new_id, self._real.get(candidate, candidate), reason))
        if reviews:
            self._uncertain.add(new_id)
        return new_id

    def _organization(self, person_id: int) -> int | None:
        ref = self._organization_of_person.get(person_id)
        return self._real.get(ref, ref) if ref is not None else None

    def _namesake_reason(self, new_id: int, candidate: int) -> str:
        """Why a namesake is listed for review, from the two people's organizations."""
        mine, theirs = self._organization(new_id), self._organization(candidate)
        if mine is None and theirs is None:
            return MatchReview.SAME_NAME_NO_ORGANIZATION
        if mine == theirs:
            return MatchReview.SAME_NAME_AND_ORGANIZATION
        return MatchReview.SAME_NAME_OTHER_ORGANIZATION

    def _settle_privacy(self, person_id: int, batch: _Batch) -> bool:
        """Who may see a person an identity matched; ``True`` when the match made
        someone else's private contact the member's own as well.

        A member's import makes a private contact its member's too (never the
        member themselves, never a listed person); an organization import lists
        a private contact it names in the directory.
        """
        if person_id < 0 or person_id not in self._unlisted:
            return False  # new in this import, or listed: nothing to settle
        if self.private_owner_id is None:
            batch.listed.add(person_id)
            self._unlisted.discard(person_id)
            return False
        if person_id == self.private_owner_id or person_id in self._mine:
            return False
        batch.private.add(person_id)
        self._mine.add(person_id)
        self._claimed.add(person_id)
        return True

    def _attach(self, index: IdentityIndex, person_id: int, identity: Identity, batch: _Batch):
        """Give a matched person the identity's addresses and key nobody has yet."""
        for address in identity.emails:
            if address not in self._emails:
                self._emails.add(address)
                batch.emails.append((person_id, address))
        key = identity.source_key
        if key and key not in self._keys:
            self._keys.add(key)
            batch.keys.append((person_id, key))
        index.add_alias(person_id, identity)

    def _organization_of(self, identity: Identity, batch: _Batch, *, contact: bool) -> int | None:
        """A known organization by name, then by e-mail domain (or a parent domain),
        then ours for internal addresses; for contacts, a new one named by the source."""
        index = self._load()
        name_key = normalize_name(identity.organization)
        if name_key and name_key in index.organization_of_name:
            return index.organization_of_name[name_key]
        for address in identity.emails:
            for domain in _domain_and_parents(email_domain(address)):
                if domain in self._org_of_domain:
                    return self._org_of_domain[domain]
        for address in identity.emails:
            if any(d in self._internal for d in _domain_and_parents(email_domain(address))):
                return self._ours
        if identity.source_key.startswith("viva:"):
            return self._ours
        if contact and name_key and self.private_owner_id is None:
            # A member's address book does not add organizations everyone sees.
            temp = self._temp_id()
            batch.new_organizations[temp] = identity.organization.strip()[:200]
            index.organization_of_name[name_key] = temp
            self._org_kind[temp] = Organization.Kind.OTHER
            return temp
        return None

    def _engagement(self, identity: Identity, organization_id: int | None) -> str:
        engagement = EngagementType.EXTERNAL.value
        if identity.email:
            engagement = infer_engagement(
                identity.email,
                internal_domains=self._internal,
                organization_kinds=self._kind_of_domain,
            )
        if engagement == EngagementType.EXTERNAL and organization_id is not None:
            kind = self._org_kind.get(organization_id, "")
            engagement = _KIND_ENGAGEMENT.get(kind, engagement)
        if engagement == EngagementType.EXTERNAL and identity.source_key.startswith("viva:"):
            # Viva Insights measures the organization's own licensed employees.
            engagement = EngagementType.EMPLOYEE_FULL_TIME.value
        return engagement

    def _new_person(
        self, index: IdentityIndex, identity: Identity, batch: _Batch, *, contact: bool
    ) -> int:
        temp = self._temp_id()
        organization_id = self._organization_of(identity, batch, contact=contact)
        person = Person(
            full_name=_display_name(identity),
            title=identity.title.strip()[:200],
            phone=(identity.phones[0].strip() if identity.phones else "")[:50],
            engagement_type=self._engagement(identity, organization_id),
            level=_level(identity),
            introduced_by=self.source_label,
            introduced_by_import=self.import_run_id,
            listed=self.private_owner_id is None,
        )
        if self.private_owner_id is not None:
            batch.private.add(temp)
        keys = [identity.source_key] if identity.source_key else []
        batch.new_people[temp] = _NewPerson(
            temp, person, organization_id, list(identity.emails), keys
        )
        self._organization_of_person[temp] = organization_id
        self._emails.update(identity.emails)
        self._keys.update(keys)
        index.add(
            KnownPerson(
                id=temp,
                name=person.full_name,
                emails=identity.emails,
                source_keys=tuple(keys),
                organization_id=organization_id,
            )
        )
        return temp

    def _temp_id(self) -> int:
        self._next_temp -= 1
        return self._next_temp

    def _final(self, person_id: int | None) -> int | None:
        if person_id is None:
            return None
        return self._real.get(person_id, person_id)

    # -- writing ------------------------------------------------------------------

    def _write(self, batch: _Batch) -> None:
        """Store a batch in bulk: organizations, people, addresses, keys, reviews."""
        run = self.import_run_id
        if batch.new_organizations:
            names = list(dict.fromkeys(batch.new_organizations.values()))
            Organization.objects.bulk_create(
                [Organization(name=name, kind=Organization.Kind.OTHER) for name in names],
                ignore_conflicts=True,
            )
            ids = dict(Organization.objects.filter(name__in=names).values_list("name", "id"))
            for temp, name in batch.new_organizations.items():
                self._real[temp] = ids[name]
                self._org_kind[ids[name]] = Organization.Kind.OTHER
        if batch.new_people:
            pending = list(batch.new_people.values())
            for new in pending:
                ref = new.organization_ref
                new.person.organization_id = self._real.get(ref, ref) if ref is not None else None
            Person.objects.bulk_create([new.person for new in pending])
            for new in pending:
                self._real[new.temp_id] = new.person.pk
                self._created.add(new.person.pk)
            self._uncertain = {self._real.get(pid, pid) for pid in self._uncertain}
            PersonEmail.objects.bulk_create(
                [
                    PersonEmail(person=new.person, address=address, is_primary=position == 0)
                    for new in pending
                    for position, address in enumerate(new.emails)
                ],
                ignore_conflicts=True,
            )
            PersonIdentity.objects.bulk_create(
                [
                    PersonIdentity(person=new.person, key=key, import_run_id=run)
                    for new in pending
                    for key in new.keys
                ],
                ignore_conflicts=True,
            )
            AuditEntry.objects.bulk_create(
                [
                    AuditEntry(
                        actor=self.actor,
                        action=AuditEntry.Action.IMPORT,
                        object_type="person",
                        object_id=str(new.person.pk),
                        subject_person_id=new.person.pk,
                        detail={"source": self.source_label, "import_run": run},
                    )
                    for new in pending
                ]
            )
        if batch.emails:
            PersonEmail.objects.bulk_create(
                [
                    PersonEmail(
                        person_id=self._real.get(pid, pid), address=address, added_by_import=run
                    )
                    for pid, address in batch.emails
                ],
                ignore_conflicts=True,
            )
        if batch.keys:
            PersonIdentity.objects.bulk_create(
                [
                    PersonIdentity(person_id=self._real.get(pid, pid), key=key, import_run_id=run)
                    for pid, key in batch.keys
                ],
                ignore_conflicts=True,
            )
        self._write_privacy(batch)
        reviews: dict[tuple[int, int], str] = {}
        for new_id, candidate, reason in batch.reviews:
            pair = (self._real.get(new_id, new_id), self._real.get(candidate, candidate))
            if pair[0] != pair[1]:
                reviews.setdefault(pair, reason)
        if reviews:
            MatchReview.objects.bulk_create(
                [
                    MatchReview(
                        new_person_id=new_id,
                        candidate_id=candidate,
                        reason=reason,
                        import_run_id=run,
                    )
                    for (new_id, candidate), reason in reviews.items()
                ],
                ignore_conflicts=True,
            )

    def _write_privacy(self, batch: _Batch) -> None:
        """The private owner's new private contacts; private contacts now listed."""
        run = self.import_run_id
        if batch.private and self.private_owner_id is not None:
            PrivateContact.objects.bulk_create(
                [
                    PrivateContact(
                        owner_id=self.private_owner_id,
                        person_id=self._real.get(pid, pid),
                        import_run_id=run,
                    )
                    for pid in sorted(batch.private)
                ],
                ignore_conflicts=True,
            )
        if batch.listed:
            ids = sorted(batch.listed)
            Person.objects.filter(pk__in=ids, listed=False).update(
                listed=True, updated_at=timezone.now()
            )
            AuditEntry.objects.bulk_create(
                [
                    AuditEntry(
                        actor=self.actor,
                        action=AuditEntry.Action.UPDATE,
                        object_type="person",
                        object_id=str(pid),
                        subject_person_id=pid,
                        detail={"source": self.source_label, "import_run": run, "listed": True},
                    )
                    for pid in ids
                ]
            )

    def _enrich(self, matches: Iterable[tuple[int, Identity]]) -> None:
        """Fill matched people's empty title, phone, organization and level."""
        matches = [(self._real.get(pid, pid), identity) for pid, identity in matches]
        if not matches:
            return
        people = Person.objects.in_bulk({pid for pid, _ in matches})
        changed: dict[int, set[str]] = {}
        new_orgs = _Batch()
        for person_id, identity in matches:
            person = people.get(person_id)
            if person is None:
                continue
            filled = changed.setdefault(person_id, set())
            phone = identity.phones[0].strip()[:50] if identity.phones else ""
            level = _level(identity)
            if not person.title and identity.title.strip():
                person.title = identity.title.strip()[:200]
                filled.add("title")
            if not person.phone and phone:
                person.phone = phone
                filled.add("phone")
            if person.level is None and level is not None:
                person.level = level
                filled.add("level")
            if person.organization_id is None:
                ref = self._organization_of(identity, new_orgs, contact=True)
                if ref is not None:
                    person.organization_id = ref
                    filled.add("organization")
        if new_orgs.new_organizations:
            self._write(new_orgs)
        for person_id, fields in changed.items():
            ref = people[person_id].organization_id
            if "organization" in fields and ref is not None and ref < 0:
                people[person_id].organization_id = self._real[ref]
            if "organization" in fields:
                self._organization_of_person[person_id] = people[person_id].organization_id
        touched = [people[pid] for pid, fields in changed.items() if fields]
        if not touched:
            return
        now = timezone.now()
        for person in touched:
            person.updated_at = now
        Person.objects.bulk_update(
            touched, ["title", "phone", "level", "organization", "updated_at"], batch_size=500
        )
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    actor=self.actor,
                    action=AuditEntry.Action.UPDATE,
                    object_type="person",
                    object_id=str(person.pk),
                    subject_person_id=person.pk,
                    detail={
                        "source": self.source_label,
                        "import_run": self.import_run_id,
                        "filled": sorted(changed[person.pk]),
                    },
                )
                for person in touched
            ]
        )


@transaction.atomic
def people_introduced_by_import_delete(import_run_id: int) -> int:
    """Take back what a failed import added to the directory; returns people deleted.

    Deletes the people the import created that nothing else refers to yet
    (no login, relationship, interaction, skill, report, team, merge, another
    member's private contact...), the addresses and source keys it attached to
    people already there, the private contacts it made, and its pending
    reviews. The event store rolled its own part back already. Filled-in empty
    fields (title, phone, organization, level) of people already in the
    directory stay, and so do private contacts it listed in the directory.
    """
    PersonEmail.objects.filter(added_by_import=import_run_id).exclude(
        person__introduced_by_import=import_run_id
    ).delete()
    PersonIdentity.objects.filter(import_run_id=import_run_id).exclude(
        person__introduced_by_import=import_run_id
    ).delete()
    MatchReview.objects.filter(
        import_run_id=import_run_id, status=MatchReview.Status.PENDING
    ).delete()
    PrivateContact.objects.filter(import_run_id=import_run_id).delete()
    owned = {PersonEmail, PersonIdentity, MatchReview}
    created = Person.objects.filter(introduced_by_import=import_run_id)
    for relation in Person._meta.related_objects:
        model = relation.field.model  # the model that refers to Person (its related_model)
        if model in owned:
            continue
        created = created.exclude(
            Exists(model._base_manager.filter(**{relation.field.name: OuterRef("pk")}))
        )
    ids = list(created.values_list("id", flat=True))
    MatchReview.objects.filter(new_person_id__in=ids).delete()
    MatchReview.objects.filter(candidate_id__in=ids).delete()
    Person.objects.filter(pk__in=ids).delete()
    if ids:
        audit_record(
            actor=None,
            action=AuditEntry.Action.DELETE,
            object_type="person",
            detail={"import_run": import_run_id, "deleted": len(ids), "reason": "import failed"},
        )
    return len(ids)
