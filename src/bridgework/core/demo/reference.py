"""The demo organization's reference data, read from the YAML files in ``data/``.

Names, places, divisions and teams, the organizations around the company, the
skills taxonomy and the notes demo logins keep on their ties are data, not
logic: they live in ``data/*.yaml`` beside this module, where they can be read
and edited without touching the generator. :func:`reference_data` reads them
once per process, checks their shape and their cross-references (a team's
offices, skills and division must exist), and returns them as frozen, typed
values.

Order matters everywhere: the generator draws from these sequences by
position, so reordering a list changes the demo organization.

Examples
--------
>>> data = reference_data()
>>> data.offices["london"]
Place(city='London', time_zone='Europe/London')
>>> data.teams[0].key, data.teams[0].offices[0]
('platform-engineering', ('london', 3))
>>> len(data.first_names), data.organizations[0].owner_teams
(110, ('sales', 'customer-success', '@leader'))
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import NamedTuple

import yaml

__all__ = [
    "LOGIN_OWNERS",
    "Division",
    "OrgSpec",
    "Place",
    "ReferenceData",
    "SkillCategory",
    "TeamSpec",
    "reference_data",
]

#: Account owners that are demo logins rather than someone drawn from a team.
LOGIN_OWNERS = ("@leader", "@member")


class Place(NamedTuple):
    """A city and its IANA time zone."""

    city: str
    time_zone: str


class Division(NamedTuple):
    """A division of the company and the title of its head."""

    key: str
    name: str
    head_title: str


@dataclass(frozen=True, slots=True)
class TeamSpec:
    """A team: its size before a random +/-2, skill categories (most important
    first), titles, and the offices its people sit in as ``(office, weight)``."""

    key: str
    name: str
    division: str
    size: int
    skills: tuple[str, ...]
    ic_titles: tuple[str, ...]
    manager_title: str
    lead_title: str
    offices: tuple[tuple[str, int], ...]
    description: str


@dataclass(frozen=True, slots=True)
class OrgSpec:
    """An organization around the company and its demo contacts.

    ``owner_teams`` has one entry per account owner: the team the owner is
    drawn from, or one of :data:`LOGIN_OWNERS` for a demo login.
    """

    key: str
    name: str
    kind: str
    domain: str
    location: Place
    externals: int
    owner_teams: tuple[str, ...]
    skill_category: str
    titles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SkillCategory:
    """A skill category and its skills as ``(key, name)`` pairs."""

    key: str
    name: str
    skills: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class ReferenceData:
    """Everything in ``data/*.yaml``, in file order."""

    offices: Mapping[str, Place]
    remote_locations: tuple[Place, ...]
    personal_domains: tuple[str, ...]
    divisions: tuple[Division, ...]
    teams: tuple[TeamSpec, ...]
    adjacent_teams: tuple[tuple[str, str], ...]
    organizations: tuple[OrgSpec, ...]
    contractor_supplier: OrgSpec
    skill_categories: tuple[SkillCategory, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    relationship_notes: Mapping[str, tuple[str, ...]]


@functools.cache
def reference_data() -> ReferenceData:
    """Read and check ``data/*.yaml`` (once per process).

    Raises
    ------
    ValueError
        A file is not shaped as expected or refers to something undefined;
        the message names the file and the place in it.
    """
    places = _File("places.yaml")
    company = _File("company.yaml")
    organizations = _File("organizations.yaml")
    skills = _File("skills.yaml")
    names = _File("names.yaml")
    notes = _File("relationship_notes.yaml")
    offices = places.mapping(places.root, "offices")
    notes_by_context = notes.mapping(notes.root, "notes")
    data = ReferenceData(
        offices=MappingProxyType(
            {key: places.place(value, f"offices.{key}") for key, value in offices.items()}
        ),
        remote_locations=tuple(
            places.place(record, where) for where, record in places.records("remote_locations")
        ),
        personal_domains=places.texts(places.root, "personal_domains"),
        divisions=tuple(
            Division(*(company.text(record, field, where) for field in Division._fields))
            for where, record in company.records("divisions")
        ),
        teams=tuple(company.team(record, where) for where, record in company.records("teams")),
        adjacent_teams=tuple(
            company.pair(value, f"adjacent_teams[{i}]")
            for i, value in enumerate(company.sequence(company.root, "adjacent_teams"))
        ),
        organizations=tuple(
            organizations.organization(record, where)
            for where, record in organizations.records("organizations")
        ),
        contractor_supplier=organizations.organization(
            organizations.mapping(organizations.root, "contractor_supplier"), "contractor_supplier"
        ),
        skill_categories=tuple(
            skills.skill_category(record, where) for where, record in skills.records("categories")
        ),
        first_names=names.texts(names.root, "first_names"),
        last_names=names.texts(names.root, "last_names"),
        relationship_notes=MappingProxyType(
            {key: notes.texts(notes_by_context, key, "notes") for key in notes_by_context}
        ),
    )
    _check_references(data)
    return data


def _check_references(data: ReferenceData) -> None:
    """Every key a record refers to is defined elsewhere in the data."""
    categories = {c.key for c in data.skill_categories}
    divisions = {d.key for d in data.divisions}
    teams = {t.key for t in data.teams}
    missing: list[str] = []
    for team in data.teams:
        if team.division not in divisions:
            missing.append(f"team {team.key}: division {team.division}")
        missing += [
            f"team {team.key}: skill category {c}" for c in team.skills if c not in categories
        ]
        missing += [
            f"team {team.key}: office {o}" for o, _ in team.offices if o not in data.offices
        ]
    for pair in data.adjacent_teams:
        missing += [f"adjacent_teams: team {t}" for t in pair if t not in teams]
    for org in (*data.organizations, data.contractor_supplier):
        owners = [t for t in org.owner_teams if t not in teams and t not in LOGIN_OWNERS]
        missing += [f"organization {org.key}: owner team {t}" for t in owners]
        if org.skill_category not in categories:
            missing.append(f"organization {org.key}: skill category {org.skill_category}")
    if missing:
        raise ValueError("demo reference data refers to undefined keys: " + "; ".join(missing))


def _read(name: str) -> str:
    """The text of ``data/<name>``, from the installed package (a folder or a zip)."""
    return resources.files("bridgework.core.demo").joinpath("data", name).read_text("utf-8")


_Record = dict[str, object]


class _File:
    """One YAML file of reference data; its accessors check types and name the place in errors.

    Each accessor takes the record (a mapping) and the key of the value it
    reads, so that an error can say ``teams[2].size``.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.root = self._as_record(yaml.safe_load(_read(name)), "the top")

    def _error(self, where: str, expected: str, value: object) -> ValueError:
        return ValueError(
            f"demo reference data {self.name}, {where}: expected {expected}, got {value!r}"
        )

    def _as_record(self, value: object, where: str) -> _Record:
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            raise self._error(where, "a mapping with text keys", value)
        return value

    def _value(self, record: _Record, key: str, where: str) -> object:
        if key not in record:
            raise self._error(f"{where}.{key}" if where else key, "an entry", "nothing")
        return record[key]

    def mapping(self, record: _Record, key: str, where: str = "") -> _Record:
        return self._as_record(self._value(record, key, where), f"{where}.{key}" if where else key)

    def sequence(self, record: _Record, key: str) -> list[object]:
        value = self._value(record, key, "")
        if not isinstance(value, list):
            raise self._error(key, "a list", value)
        return value

    def records(self, key: str) -> list[tuple[str, _Record]]:
        """``(where, record)`` for each mapping in the top-level list ``key``."""
        return [
            (f"{key}[{i}]", self._as_record(value, f"{key}[{i}]"))
            for i, value in enumerate(self.sequence(self.root, key))
        ]

    def text(self, record: _Record, key: str, where: str) -> str:
        value = self._value(record, key, where)
        if not isinstance(value, str):
            raise self._error(f"{where}.{key}", "text", value)
        return value

    def number(self, record: _Record, key: str, where: str) -> int:
        value = self._value(record, key, where)
        if not isinstance(value, int) or isinstance(value, bool):
            raise self._error(f"{where}.{key}", "a whole number", value)
        return value

    def texts(self, record: _Record, key: str, where: str = "") -> tuple[str, ...]:
        value = self._value(record, key, where)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._error(f"{where}.{key}" if where else key, "a list of text", value)
        return tuple(value)

    def pair(self, value: object, where: str) -> tuple[str, str]:
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, str) for v in value)
        ):
            raise self._error(where, "a list of two texts", value)
        return value[0], value[1]

    def place(self, value: object, where: str) -> Place:
        record = self._as_record(value, where)
        return Place(self.text(record, "city", where), self.text(record, "time_zone", where))

    def team(self, record: _Record, where: str) -> TeamSpec:
        offices = self.mapping(record, "offices", where)
        return TeamSpec(
            key=self.text(record, "key", where),
            name=self.text(record, "name", where),
            division=self.text(record, "division", where),
            size=self.number(record, "size", where),
            skills=self.texts(record, "skills", where),
            ic_titles=self.texts(record, "ic_titles", where),
            manager_title=self.text(record, "manager_title", where),
            lead_title=self.text(record, "lead_title", where),
            offices=tuple(
                (office, self.number(offices, office, f"{where}.offices")) for office in offices
            ),
            description=self.text(record, "description", where),
        )

    def organization(self, record: _Record, where: str) -> OrgSpec:
        return OrgSpec(
            key=self.text(record, "key", where),
            name=self.text(record, "name", where),
            kind=self.text(record, "kind", where),
            domain=self.text(record, "domain", where),
            location=self.place(self._value(record, "location", where), f"{where}.location"),
            externals=self.number(record, "externals", where),
            owner_teams=self.texts(record, "owner_teams", where),
            skill_category=self.text(record, "skill_category", where),
            titles=self.texts(record, "titles", where),
        )

    def skill_category(self, record: _Record, where: str) -> SkillCategory:
        skills = self.mapping(record, "skills", where)
        return SkillCategory(
            key=self.text(record, "key", where),
            name=self.text(record, "name", where),
            skills=tuple((key, self.text(skills, key, f"{where}.skills")) for key in skills),
        )
