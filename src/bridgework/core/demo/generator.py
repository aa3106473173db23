"""Generate the "Northwind Labs" demo organization, deterministically.

The demo has the shape the product is about: dense teams, a few people who
bridge them, an open talent network around the company (contractors,
freelancers, alumni, clients, partners) reached through few people, ties that
cool off over the year, and the six demo logins with relationships of their own.

Everything comes from ``random.Random`` streams seeded from ``seed``, and dates
count back from ``today``: the same ``(seed, today)`` always gives the same
organization, down to the minute of every interaction. The module is pure
Python: it returns plain dataclasses that refer to each other by string keys
(``"p0001"`` for people, slugs for organizations, teams and skills), never
model objects, so it is usable from a notebook or a benchmark.

The generator holds the logic only: names, places, teams, organizations,
skills and notes are data in ``data/*.yaml`` (read by
:mod:`~bridgework.core.demo.reference`), the returned types are in
:mod:`~bridgework.core.demo.model` and the interaction stages in
:mod:`~bridgework.core.demo.interactions`.

Interactions cover the 52 weeks before ``today`` (weekdays, 08:00-17:00 UTC);
``today`` itself is excluded so that nothing is dated later than the moment the
demo is loaded.

Examples
--------
>>> import datetime
>>> org = generate_demo_org(seed=7, today=datetime.date(2025, 6, 2))
>>> ours = org.organizations[0]
>>> (ours.name, ours.kind, ours.email_domains)
('Northwind Labs', 'ours', ('northwind.example',))
>>> member = org.people_by_key()[org.login("member").person_key]
>>> (member.engagement_type, member.level, member.email.endswith("@northwind.example"))
('employee_ft', 1, True)
>>> max(i.occurred_at for i in org.interactions).date() < org.today
True
"""

from __future__ import annotations

import datetime as dt
import math
import random
import unicodedata
from dataclasses import replace
from typing import TypedDict, Unpack

from bridgework.core.demo.interactions import InteractionStages, TeamState
from bridgework.core.demo.model import (
    ALUMNI,
    CLIENT,
    CONTRACTOR,
    EMPLOYEE_FT,
    EMPLOYEE_PT,
    EMPLOYEES,
    EXTERNAL,
    FREELANCER,
    PARTNER,
    DemoInteraction,
    DemoLogin,
    DemoOrg,
    DemoOrganization,
    DemoPerson,
    DemoPersonSkill,
    DemoRelationship,
    DemoSkill,
    DemoTeam,
)
from bridgework.core.demo.reference import LOGIN_OWNERS, TeamSpec, reference_data

__all__ = [
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "OUR_ORGANIZATION_NAME",
    "DemoInteraction",
    "DemoLogin",
    "DemoOrg",
    "DemoOrganization",
    "DemoPerson",
    "DemoPersonSkill",
    "DemoRelationship",
    "DemoSkill",
    "DemoTeam",
    "generate_demo_org",
]

#: The password every demo login shares. Demo data only: never use it elsewhere.
DEMO_PASSWORD = "bridgework-demo"  # noqa: S105 - the published demo password

#: The name of the demo company; its presence in a database means demo data is loaded.
OUR_ORGANIZATION_NAME = "Northwind Labs"
OUR_ORGANIZATION_KEY = "northwind"
OUR_DOMAIN = "northwind.example"

#: ``(role, username)`` of the demo logins, one per role, in this order.
DEMO_LOGINS: tuple[tuple[str, str], ...] = (
    ("member", "member"),
    ("mentor", "mentor"),
    ("program_manager", "manager"),
    ("leader", "leader"),
    ("people_analyst", "analyst"),
    ("admin", "admin"),
)

# ---------------------------------------------------------------- reference data

# Names, places, teams, organizations, skills and notes: data/*.yaml (see reference.py).
_DATA = reference_data()
OFFICES = _DATA.offices
REMOTE_LOCATIONS = _DATA.remote_locations
PERSONAL_DOMAINS = _DATA.personal_domains
DIVISIONS = _DATA.divisions
TEAM_SPECS = _DATA.teams
TEAM_BY_KEY = {spec.key: spec for spec in TEAM_SPECS}
ORG_SPECS = _DATA.organizations
CONTRACTOR_SUPPLIER = _DATA.contractor_supplier
SKILL_TAXONOMY = _DATA.skill_categories
SKILLS_IN: dict[str, tuple[str, ...]] = {
    category.key: tuple(key for key, _ in category.skills) for category in SKILL_TAXONOMY
}
FIRST_NAMES = _DATA.first_names
LAST_NAMES = _DATA.last_names
RELATIONSHIP_NOTES = _DATA.relationship_notes

# How many declared relationships each demo login has (about 300 in all).
RELATIONSHIP_QUOTAS = {
    "member": 65,
    "mentor": 55,
    "leader": 55,
    "program_manager": 45,
    "people_analyst": 40,
    "admin": 40,
}


class _PersonChanges(TypedDict, total=False):
    """What the builder changes on a person after adding them."""

    title: str
    bio: str
    is_bridge: bool


def _ascii(name: str) -> str:
    """Lower-case ASCII letters and digits of ``name``, for e-mail local parts.

    >>> _ascii("Zieliński"), _ascii("Søren"), _ascii("O'Brien"), _ascii("Van Dijk")
    ('zielinski', 'soren', 'obrien', 'vandijk')
    """
    folded = name.translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


_FOLD = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "Ae"})


# ------------------------------------------------------------------- generation


def generate_demo_org(*, seed: int = 7, today: dt.date) -> DemoOrg:
    """Build the demo organization for ``seed``, with a year of history up to ``today``.

    Parameters
    ----------
    seed : int
        Seeds every random choice; the same seed and date give identical output.
    today : datetime.date
        The demo's "now": interactions fill the 52 weeks before it, alumni left
        before it, and nothing is dated after it.

    Returns
    -------
    DemoOrg
        About 400 people (about 250 employees, 40 contractors and freelancers,
        30 alumni, 80 external contacts at 10 organizations), 14 teams on three
        levels, a skills taxonomy, 20,000-35,000 interactions and about 300
        relationships declared by the six demo logins.
    """
    return _Builder(seed=seed, today=today).build()


class _Builder(InteractionStages):
    """Holds the state of one generation; each stage draws from its own random stream.

    The people stages are here; the interaction stages, which run after them,
    are in :mod:`bridgework.core.demo.interactions`.
    """

    def __init__(self, *, seed: int, today: dt.date) -> None:
        self.seed = seed
        self.today = today
        self.window_start = today - dt.timedelta(weeks=52)
        self.workdays = [
            self.window_start + dt.timedelta(days=i)
            for i in range((today - self.window_start).days)
            if (self.window_start + dt.timedelta(days=i)).weekday() < 5
        ]
        self.people = []
        self.index = {}
        self.used_emails: set[str] = set()
        self.teams = {}
        self.team_employees = {}
        self.team_workforce: dict[str, list[str]] = {}  # employees, contractors, freelancers
        self.squads = []
        self.squad_guests = {}
        self.ceo = ""
        self.chief_of_staff = ""
        self.division_heads = {}
        self.logins = {}
        self.bridges = []
        self.account_owners = {}
        self.externals_by_org = {}
        self.alumni = []
        self.contractors = []
        self.freelancers = []
        self.raw_interactions = []

    # ........................................................................ build

    def build(self) -> DemoOrg:
        self._employees()
        self._choose_logins()
        self._choose_bridges()
        self._contractors_and_freelancers()
        self._alumni()
        self._externals()
        self._interactions()
        interactions = self._finish_interactions()
        relationships = self._relationships(interactions)
        person_skills = self._person_skills()
        return DemoOrg(
            seed=self.seed,
            today=self.today,
            window_start=self.window_start,
            organizations=self._organizations(),
            teams=tuple(
                DemoTeam(
                    key=key,
                    name=team.name,
                    organization_key=OUR_ORGANIZATION_KEY,
                    parent_key=team.parent,
                    lead_key=team.lead,
                    depth=team.depth,
                    description=team.description,
                )
                for key, team in self.teams.items()
            ),
            skills=self._skills(),
            people=tuple(self.people),
            person_skills=person_skills,
            interactions=interactions,
            relationships=relationships,
            logins=tuple(
                DemoLogin(role=role, username=username, person_key=self.logins[role])
                for role, username in DEMO_LOGINS
            ),
        )

    # ....................................................................... people

    def _update(self, key: str, **changes: Unpack[_PersonChanges]) -> None:
        self.people[self.index[key]] = replace(self._person(key), **changes)

    def _email(self, first: str, last: str, domain: str, *, tag: str = "") -> str:
        local = f"{_ascii(first)}.{_ascii(last)}{tag}"
        address, n = f"{local}@{domain}", 1
        while address in self.used_emails:
            n += 1
            address = f"{local}{n}@{domain}"
        self.used_emails.add(address)
        return address

    def _add(
        self,
        rng: random.Random,
        *,
        engagement_type: str,
        title: str,
        domains: tuple[str, ...],
        organization: str | None,
        tags: tuple[str, ...] = ("", ""),
        team: str | None,
        location: tuple[str, str],
        start: dt.date,
        end: dt.date | None = None,
        manager: str | None = None,
        level: int | None = None,
        bio: str = "",
    ) -> str:
        key = f"p{len(self.people) + 1:04d}"
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        emails = tuple(
            self._email(first, last, d, tag=t) for d, t in zip(domains, tags, strict=False)
        )
        self.index[key] = len(self.people)
        self.people.append(
            DemoPerson(
                key=key,
                first_name=first,
                last_name=last,
                full_name=f"{first} {last}",
                emails=emails,
                title=title,
                engagement_type=engagement_type,
                organization_key=organization,
                team_key=team,
                manager_key=manager,
                level=level,
                location=location[0],
                time_zone=location[1],
                engagement_start=start,
                engagement_end=end,
                bio=bio,
            )
        )
        return key

    def _add_team(
        self, key: str, name: str, parent: str | None, depth: int, description: str
    ) -> None:
        self.teams[key] = TeamState(name=name, parent=parent, depth=depth, description=description)
        self.team_employees[key] = []
        self.team_workforce[key] = []

    def _add_employee(
        self,
        rng: random.Random,
        *,
        team: str,
        level: int,
        title: str,
        manager: str | None,
        office: str,
        tenure_days: tuple[int, int],
        part_time: bool = False,
    ) -> str:
        start = self.today - dt.timedelta(days=rng.randint(*tenure_days))
        location = OFFICES[office]
        key = self._add(
            rng,
            engagement_type=EMPLOYEE_PT if part_time else EMPLOYEE_FT,
            title=title,
            domains=(OUR_DOMAIN,),
            organization=OUR_ORGANIZATION_KEY,
            team=team,
            location=location,
            start=start,
            manager=manager,
            level=level,
            bio=f"{title}, {self.teams[team].name}, {location[0]} office.",
        )
        self.team_employees[team].append(key)
        self.team_workforce[team].append(key)
        return key

    def _employees(self) -> None:
        rng = self.rng("employees")
        exec_tenure, manager_tenure = (1500, 4500), (500, 3600)
        self._add_team("northwind-labs", OUR_ORGANIZATION_NAME, None, 0, "The whole company.")
        self.ceo = self._add_employee(
            rng,
            team="northwind-labs",
            level=3,
            title="Chief Executive Officer",
            manager=None,
            office="london",
            tenure_days=exec_tenure,
        )
        self.teams["northwind-labs"].lead = self.ceo
        self.chief_of_staff = self._add_employee(
            rng,
            team="northwind-labs",
            level=2,
            title="Chief of Staff",
            manager=self.ceo,
            office="london",
            tenure_days=manager_tenure,
        )
        self._add_employee(
            rng,
            team="northwind-labs",
            level=1,
            title="Executive Assistant",
            manager=self.ceo,
            office="london",
            tenure_days=(200, 2500),
        )
        for division_key, division_name, head_title in DIVISIONS:
            self._add_team(
                division_key, division_name, "northwind-labs", 1, f"The {division_name} division."
            )
            head = self._add_employee(
                rng,
                team=division_key,
                level=3,
                title=head_title,
                manager=self.ceo,
                office="new-york" if division_key == "go-to-market" else "london",
                tenure_days=exec_tenure,
            )
            self.division_heads[division_key] = head
            self.teams[division_key].lead = head
            for spec in TEAM_SPECS:
                if spec.division == division_key:
                    self._team(rng, spec, head)

    def _office(self, rng: random.Random, spec: TeamSpec) -> str:
        offices = [office for office, _ in spec.offices]
        weights = [weight for _, weight in spec.offices]
        return rng.choices(offices, weights)[0]

    def _team(self, rng: random.Random, spec: TeamSpec, division_head: str) -> None:
        self._add_team(spec.key, spec.name, spec.division, 2, spec.description)
        size = max(6, spec.size + rng.randint(-2, 2))
        lead = self._add_employee(
            rng,
            team=spec.key,
            level=2,
            title=spec.lead_title,
            manager=division_head,
            office=self._office(rng, spec),
            tenure_days=(700, 3600),
        )
        self.teams[spec.key].lead = lead
        # Squads of at most eight: the lead manages managers when the team is big.
        sub_count = math.ceil((size - 1) / 8) if size - 1 > 8 else 0
        managers = [
            self._add_employee(
                rng,
                team=spec.key,
                level=2,
                title=spec.manager_title,
                manager=lead,
                office=self._office(rng, spec),
                tenure_days=(500, 3600),
            )
            for _ in range(sub_count)
        ] or [lead]
        squads: dict[str, list[str]] = {m: [m] for m in managers}
        for i in range(size - 1 - sub_count):
            manager = managers[i % len(managers)]
            new_joiner = rng.random() < 0.1
            squads[manager].append(
                self._add_employee(
                    rng,
                    team=spec.key,
                    level=1,
                    title=rng.choice(spec.ic_titles),
                    manager=manager,
                    office=self._office(rng, spec),
                    tenure_days=(20, 330) if new_joiner else (330, 3300),
                    part_time=rng.random() < 0.08,
                )
            )
        if sub_count:
            self.squads.append((spec.key, [lead, *managers]))
        self.squads.extend((spec.key, members) for members in squads.values())

    def _pick(self, rng: random.Random, candidates: list[str], what: str) -> str:
        if not candidates:
            raise RuntimeError(f"demo generator: no candidate for {what}")  # a bug in the specs
        return rng.choice(candidates)

    def _long_serving(self, team: str, level: int) -> list[str]:
        """Full-time non-lead employees of ``team`` at ``level`` who were here all year."""
        lead = self.teams[team].lead
        return [
            key
            for key in self.team_employees[team]
            if key != lead
            and self._person(key).level == level
            and self._person(key).engagement_type == EMPLOYEE_FT
            and self._person(key).engagement_start <= self.window_start - dt.timedelta(days=60)
            and key not in self.logins.values()
        ]

    def _choose_logins(self) -> None:
        rng = self.rng("logins")
        self.logins["member"] = self._pick(
            rng, self._long_serving("product-engineering", 1), "the member"
        )
        self.logins["mentor"] = self._pick(
            rng, self._long_serving("data-analytics", 2), "the mentor"
        )
        program_manager = self._pick(
            rng, self._long_serving("people-operations", 1), "the program manager"
        )
        self.logins["program_manager"] = program_manager
        self._update(program_manager, title="Mentoring Program Manager")
        self.logins["leader"] = self.ceo
        analyst = self._pick(rng, self._long_serving("people-operations", 1), "the people analyst")
        self.logins["people_analyst"] = analyst
        self._update(analyst, title="People Analyst")
        admin = self._pick(rng, self._long_serving("platform-engineering", 1), "the admin")
        self.logins["admin"] = admin
        self._update(admin, title="IT Systems Administrator")
        for key in (program_manager, analyst, admin):
            person = self._person(key)
            self._update(key, bio=f"{person.title}, {self.teams[self._team_of(key)].name}.")

    def _choose_bridges(self) -> None:
        """About fifteen people who work across teams; the member and program manager among them."""
        rng = self.rng("bridges")
        bridges = [self.logins["member"], self.logins["program_manager"]]
        per_team = {spec.key: 0 for spec in TEAM_SPECS}
        for key in bridges:
            per_team[self._team_of(key)] += 1
        candidates = [
            key
            for spec in TEAM_SPECS
            for level in (1, 2)
            for key in self._long_serving(spec.key, level)
        ]
        for key in rng.sample(candidates, len(candidates)):
            if len(bridges) == 15:
                break
            team = self._team_of(key)
            if per_team[team] < 2:
                per_team[team] += 1
                bridges.append(key)
        self.bridges = bridges
        for key in bridges:
            self._update(key, is_bridge=True)

    def _contractors_and_freelancers(self) -> None:
        rng = self.rng("workforce")
        contractor_hosts = (
            ("platform-engineering", 4),
            ("product-engineering", 5),
            ("data-analytics", 3),
            ("customer-success", 2),
            ("marketing", 1),
        )
        freelancer_hosts = (
            ("product-design", 4),
            ("marketing", 4),
            ("product-engineering", 2),
            ("data-analytics", 2),
            ("people-operations", 1),
        )
        for engagement_type, count, hosts in (
            (CONTRACTOR, 24 + rng.randint(-2, 2), contractor_hosts),
            (FREELANCER, 16 + rng.randint(-2, 2), freelancer_hosts),
        ):
            teams = [team for team, _ in hosts]
            weights = [weight for _, weight in hosts]
            for _ in range(count):
                team = rng.choices(teams, weights)[0]
                spec = TEAM_BY_KEY[team]
                start = self.today - dt.timedelta(days=rng.randint(40, 900))
                role = rng.choice(spec.ic_titles)
                if engagement_type == CONTRACTOR:
                    end = (
                        None
                        if rng.random() < 0.5
                        else self.today + dt.timedelta(days=rng.randint(30, 300))
                    )
                    key = self._add(
                        rng,
                        engagement_type=CONTRACTOR,
                        title=f"{role} (contract)",
                        domains=(CONTRACTOR_SUPPLIER.domain, OUR_DOMAIN),
                        tags=("", ".ext"),
                        # Employed by the supplier, working in one of our teams.
                        organization=CONTRACTOR_SUPPLIER.key,
                        team=team,
                        location=OFFICES[self._office(rng, spec)],
                        start=start,
                        end=end,
                        bio=f"Contractor from {CONTRACTOR_SUPPLIER.name}, working with {spec.name}.",
                    )
                    self.contractors.append(key)
                    squads = [i for i, (t, _) in enumerate(self.squads) if t == team]
                    self.squad_guests.setdefault(rng.choice(squads), []).append(key)
                else:
                    key = self._add(
                        rng,
                        engagement_type=FREELANCER,
                        title=f"Freelance {role}",
                        domains=(rng.choice(PERSONAL_DOMAINS),),
                        organization=None,
                        team=team,
                        location=rng.choice(REMOTE_LOCATIONS),
                        start=start,
                        bio=f"Independent {role.lower()}, working with {spec.name}.",
                    )
                    self.freelancers.append(key)
                self.team_workforce[team].append(key)

    def _alumni(self) -> None:
        rng = self.rng("alumni")
        teams = [spec.key for spec in TEAM_SPECS]
        weights = [spec.size for spec in TEAM_SPECS]
        for _ in range(30 + rng.randint(-2, 2)):
            team = rng.choices(teams, weights)[0]
            spec = TEAM_BY_KEY[team]
            left_this_year = rng.random() < 0.7
            end = self.today - dt.timedelta(
                days=rng.randint(130, 330) if left_this_year else rng.randint(380, 900)
            )
            start = end - dt.timedelta(days=rng.randint(365, 2500))
            key = self._add(
                rng,
                engagement_type=ALUMNI,
                title=rng.choice(spec.ic_titles),
                domains=(rng.choice(PERSONAL_DOMAINS), OUR_DOMAIN),
                organization=None,
                team=team,
                location=rng.choice((*OFFICES.values(), *REMOTE_LOCATIONS)),
                start=start,
                end=end,
                bio=f"Former {spec.name} team member; left Northwind Labs in {end:%B %Y}.",
            )
            self.alumni.append(key)

    def _externals(self) -> None:
        rng = self.rng("externals")
        for spec in ORG_SPECS:
            owners: list[str] = []
            for owner_team in spec.owner_teams:
                if owner_team in LOGIN_OWNERS:  # "@leader" or "@member"
                    owners.append(self.logins[owner_team.removeprefix("@")])
                    continue
                taken = [k for keys in self.account_owners.values() for k in keys]
                candidates = [
                    k
                    for level in (1, 2)
                    for k in self._long_serving(owner_team, level)
                    if k not in owners and k not in taken
                ]
                owners.append(self._pick(rng, candidates, f"an owner of {spec.name}"))
            self.account_owners[spec.key] = owners
            engagement_type = {"client": CLIENT, "partner": PARTNER}.get(spec.kind, EXTERNAL)
            self.externals_by_org[spec.key] = [
                self._add(
                    rng,
                    engagement_type=engagement_type,
                    title=rng.choice(spec.titles),
                    domains=(spec.domain,),
                    organization=spec.key,
                    team=None,
                    location=spec.location,
                    start=self.today - dt.timedelta(days=rng.randint(120, 2500)),
                )
                for _ in range(spec.externals)
            ]

    # ................................................................ relationships

    def _context_for(self, person: str, other: str) -> str:
        if {person, other} == {self.logins["member"], self.logins["mentor"]}:
            return "mentor"
        kind = self._person(other).engagement_type
        if kind == ALUMNI:
            return "former_colleague"
        if kind in (CLIENT, PARTNER):
            return kind
        if kind == EXTERNAL:
            return "other"
        return "colleague"

    def _relationships(
        self, interactions: tuple[DemoInteraction, ...]
    ) -> tuple[DemoRelationship, ...]:
        """Ties the demo logins declared: their busiest contacts first, then a few others."""
        rng = self.rng("relationships")
        login_people = list(self.logins.values())
        contacts: dict[str, dict[str, int]] = {key: {} for key in login_people}
        for interaction in interactions:
            for key in interaction.participant_keys:
                if key in contacts:
                    counts = contacts[key]
                    for other in interaction.participant_keys:
                        if other != key:
                            counts[other] = counts.get(other, 0) + 1
        relationships: list[DemoRelationship] = []
        for role, _ in DEMO_LOGINS:
            key = self.logins[role]
            quota = RELATIONSHIP_QUOTAS[role]
            ranked = sorted(contacts[key], key=lambda k: (-contacts[key][k], k))
            chosen: dict[str, tuple[str, int]] = {}
            busiest = ranked[: int(quota * 0.75)]
            for position, other in enumerate(busiest):
                share = position / len(busiest)
                closeness = 5 if share < 0.1 else 4 if share < 0.3 else 3 if share < 0.6 else 2
                chosen[other] = (self._context_for(key, other), closeness)
            team = self._person(key).team_key
            former = [
                a for a in self.alumni if self._person(a).team_key == team and a not in chosen
            ]
            for other in former[:4]:
                chosen[other] = ("former_colleague", rng.randint(2, 4))
            strangers = [
                p.key
                for p in self.people
                if p.engagement_type in EMPLOYEES and p.key != key and p.key not in chosen
            ]
            for other in rng.sample(strangers, max(0, quota - len(chosen))):
                chosen[other] = ("friend" if rng.random() < 0.3 else "colleague", rng.randint(1, 3))
            for other, (context, closeness) in chosen.items():
                relationships.append(
                    DemoRelationship(
                        person_key=key,
                        other_key=other,
                        context=context,
                        closeness=closeness,
                        since=self._since(rng, key, other, context),
                        note=rng.choice(RELATIONSHIP_NOTES[context]),
                    )
                )
        return tuple(relationships)

    def _since(self, rng: random.Random, person: str, other: str, context: str) -> dt.date:
        yesterday = self.today - dt.timedelta(days=1)
        if context == "friend":
            return self.today - dt.timedelta(days=rng.randint(400, 4000))
        a, b = self._person(person), self._person(other)
        met = max(a.engagement_start, b.engagement_start)
        latest = yesterday
        if b.engagement_type == ALUMNI:
            latest = min(latest, self._left_on(other))
        return min(met + dt.timedelta(days=rng.randint(0, 200)), latest)

    # ........................................................ skills, orgs, taxonomy

    def _person_skills(self) -> tuple[DemoPersonSkill, ...]:
        rng = self.rng("skills")
        org_category = {spec.key: spec.skill_category for spec in ORG_SPECS}
        division_category = {
            "product-technology": "engineering",
            "go-to-market": "sales",
            "operations": "finance",
        }
        declared: list[DemoPersonSkill] = []
        endorsed: list[DemoPersonSkill] = []
        for person in self.people:
            if person.team_key is None:
                category = org_category.get(person.organization_key or "", "data")
                picks = rng.sample(SKILLS_IN[category], rng.randint(1, 2))
            elif person.team_key in TEAM_BY_KEY:
                main, secondary = TEAM_BY_KEY[person.team_key].skills
                picks = rng.sample(SKILLS_IN[main], min(len(SKILLS_IN[main]), rng.randint(3, 5)))
                if rng.random() < 0.5:
                    picks.append(rng.choice(SKILLS_IN[secondary]))
            else:  # the company or a division: executives and their staff
                category = division_category.get(person.team_key, "finance")
                picks = rng.sample(SKILLS_IN[category], 2)
            if (person.level or 0) >= 2:
                picks += rng.sample(SKILLS_IN["leadership"], rng.randint(1, 3))
            picks = list(dict.fromkeys(picks))
            years = (self.today - person.engagement_start).days / 365
            base = 2 + (years >= 3) + ((person.level or 1) >= 2)
            teammates = [
                k for k in self.team_workforce.get(person.team_key or "", []) if k != person.key
            ]
            for skill in picks:
                level = min(5, max(1, base + rng.choice((-1, 0, 0, 1))))
                declared.append(DemoPersonSkill(person.key, skill, level))
                if teammates and rng.random() < 0.3:
                    for endorser in rng.sample(teammates, min(len(teammates), rng.randint(1, 2))):
                        endorsed_level = min(5, max(1, level + rng.choice((-1, 0, 0))))
                        endorsed.append(
                            DemoPersonSkill(person.key, skill, endorsed_level, endorser)
                        )
        return tuple(declared + endorsed)

    def _organizations(self) -> tuple[DemoOrganization, ...]:
        ours = DemoOrganization(
            key=OUR_ORGANIZATION_KEY,
            name=OUR_ORGANIZATION_NAME,
            kind="ours",
            email_domains=(OUR_DOMAIN,),
            website=f"https://{OUR_DOMAIN}",
        )
        others = tuple(
            DemoOrganization(
                key=spec.key,
                name=spec.name,
                kind=spec.kind,
                email_domains=(spec.domain,),
                website=f"https://{spec.domain}",
                account_owner_keys=tuple(self.account_owners.get(spec.key, ())),
            )
            for spec in (*ORG_SPECS, CONTRACTOR_SUPPLIER)
        )
        return (ours, *others)

    def _skills(self) -> tuple[DemoSkill, ...]:
        skills: list[DemoSkill] = []
        for category in SKILL_TAXONOMY:
            skills.append(DemoSkill(key=category.key, name=category.name, parent_key=None))
            skills.extend(
                DemoSkill(key=k, name=n, parent_key=category.key) for k, n in category.skills
            )
        return tuple(skills)
