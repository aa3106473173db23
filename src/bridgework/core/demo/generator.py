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

import bisect
import datetime as dt
import math
import random
import unicodedata
from dataclasses import dataclass, replace

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
DEMO_PASSWORD = "bridgework-demo"

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

# Engagement types, channels and relationship contexts: the values of the
# choices in bridgework.people / bridgework.interactions (not imported: core
# stays framework-free).
EMPLOYEE_FT = "employee_ft"
EMPLOYEE_PT = "employee_pt"
CONTRACTOR = "contractor"
FREELANCER = "freelancer"
ALUMNI = "alumni"
PARTNER = "partner"
CLIENT = "client"
EXTERNAL = "external"
EMPLOYEES = (EMPLOYEE_FT, EMPLOYEE_PT)

MEETING = "meeting"
CALL = "call"
EMAIL = "email"
CHAT = "chat"


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class DemoOrganization:
    """An organization; ``account_owner_keys`` are the people who hold the relationship."""

    key: str
    name: str
    kind: str
    email_domains: tuple[str, ...]
    website: str
    account_owner_keys: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DemoTeam:
    """A team; ``depth`` is 0 for the company, 1 for a division, 2 for a team."""

    key: str
    name: str
    organization_key: str
    parent_key: str | None
    lead_key: str | None
    depth: int
    description: str = ""


@dataclass(frozen=True, slots=True)
class DemoSkill:
    """A skill; categories have no parent, skills have a category as parent."""

    key: str
    name: str
    parent_key: str | None


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """A person; ``emails[0]`` is the primary address."""

    key: str
    first_name: str
    last_name: str
    full_name: str
    emails: tuple[str, ...]
    title: str
    engagement_type: str
    organization_key: str | None
    team_key: str | None
    manager_key: str | None
    level: int | None
    location: str
    time_zone: str
    engagement_start: dt.date | None
    engagement_end: dt.date | None
    bio: str = ""
    is_bridge: bool = False

    @property
    def email(self) -> str:
        return self.emails[0]


@dataclass(frozen=True, slots=True)
class DemoPersonSkill:
    """A skill level, self-declared (``endorsed_by_key`` None) or endorsed by someone."""

    person_key: str
    skill_key: str
    level: int
    endorsed_by_key: str | None = None


@dataclass(frozen=True, slots=True)
class DemoInteraction:
    """A touchpoint; ``occurred_at`` is UTC-aware, participants are sorted keys."""

    channel: str
    occurred_at: dt.datetime
    duration_minutes: int | None
    participant_keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DemoRelationship:
    """A tie declared by ``person_key`` (always a demo login's person) about ``other_key``."""

    person_key: str
    other_key: str
    context: str
    closeness: int
    since: dt.date
    note: str


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """A demo login: role name, username, and the person it belongs to."""

    role: str
    username: str
    person_key: str


@dataclass(frozen=True)
class DemoOrg:
    """The whole demo organization. Interactions cover ``[window_start, today)``."""

    seed: int
    today: dt.date
    window_start: dt.date
    organizations: tuple[DemoOrganization, ...]
    teams: tuple[DemoTeam, ...]
    skills: tuple[DemoSkill, ...]
    people: tuple[DemoPerson, ...]
    person_skills: tuple[DemoPersonSkill, ...]
    interactions: tuple[DemoInteraction, ...]
    relationships: tuple[DemoRelationship, ...]
    logins: tuple[DemoLogin, ...]

    def people_by_key(self) -> dict[str, DemoPerson]:
        return {p.key: p for p in self.people}

    def login(self, role: str) -> DemoLogin:
        for login in self.logins:
            if login.role == role:
                return login
        raise KeyError(role)


# ---------------------------------------------------------------- reference data


@dataclass(frozen=True, slots=True)
class _TeamSpec:
    key: str
    name: str
    division: str
    size: int
    skills: tuple[str, ...]  # skill categories, most important first
    ic_titles: tuple[str, ...]
    manager_title: str
    lead_title: str
    offices: tuple[tuple[str, int], ...]
    description: str


@dataclass(frozen=True, slots=True)
class _OrgSpec:
    key: str
    name: str
    kind: str
    domain: str
    location: str
    time_zone: str
    externals: int
    owner_teams: tuple[str, ...]  # a team per account owner, or "@leader"/"@member": a login
    skill_category: str
    titles: tuple[str, ...]


OFFICES: dict[str, tuple[str, str]] = {
    "london": ("London", "Europe/London"),
    "lisbon": ("Lisbon", "Europe/Lisbon"),
    "new-york": ("New York", "America/New_York"),
    "singapore": ("Singapore", "Asia/Singapore"),
}
REMOTE_LOCATIONS: tuple[tuple[str, str], ...] = (
    ("Berlin", "Europe/Berlin"),
    ("Porto", "Europe/Lisbon"),
    ("Toronto", "America/Toronto"),
    ("Cape Town", "Africa/Johannesburg"),
    ("Bengaluru", "Asia/Kolkata"),
    ("Manchester", "Europe/London"),
)
PERSONAL_DOMAINS = ("mailbox.example", "inbox.example", "post.example")

DIVISIONS: tuple[tuple[str, str, str], ...] = (
    ("product-technology", "Product & Technology", "Chief Technology Officer"),
    ("go-to-market", "Go-to-Market", "Chief Revenue Officer"),
    ("operations", "Operations", "Chief Operating Officer"),
)

TEAM_SPECS: tuple[_TeamSpec, ...] = (
    _TeamSpec(
        "platform-engineering", "Platform Engineering", "product-technology", 36,
        ("engineering", "data"),
        ("Software Engineer", "Senior Software Engineer", "Site Reliability Engineer",
         "Security Engineer", "Staff Engineer"),
        "Engineering Manager", "Head of Platform Engineering",
        (("london", 3), ("lisbon", 3), ("singapore", 1), ("new-york", 1)),
        "Builds and runs the platform: infrastructure, reliability and security.",
    ),
    _TeamSpec(
        "product-engineering", "Product Engineering", "product-technology", 44,
        ("engineering", "product-design"),
        ("Software Engineer", "Senior Software Engineer", "Frontend Engineer",
         "Mobile Engineer", "Product Manager", "QA Engineer"),
        "Engineering Manager", "Head of Product Engineering",
        (("london", 3), ("lisbon", 4), ("new-york", 1)),
        "Builds the product customers use, squad by squad.",
    ),
    _TeamSpec(
        "data-analytics", "Data & Analytics", "product-technology", 26,
        ("data", "engineering"),
        ("Data Analyst", "Data Scientist", "Analytics Engineer", "Data Engineer",
         "Machine Learning Engineer"),
        "Data Science Manager", "Head of Data",
        (("london", 3), ("lisbon", 2), ("new-york", 1)),
        "Turns data into decisions: analytics, data engineering and machine learning.",
    ),
    _TeamSpec(
        "product-design", "Product Design", "product-technology", 18,
        ("product-design", "marketing"),
        ("Product Designer", "Senior Product Designer", "UX Researcher", "Content Designer"),
        "Design Manager", "Head of Design",
        (("london", 2), ("lisbon", 2)),
        "Research, interaction and visual design for the product.",
    ),
    _TeamSpec(
        "sales", "Sales", "go-to-market", 32,
        ("sales", "customer-success"),
        ("Account Executive", "Senior Account Executive", "Sales Development Representative",
         "Solutions Consultant"),
        "Sales Manager", "Head of Sales",
        (("new-york", 3), ("london", 3), ("singapore", 2)),
        "Wins new clients and grows existing accounts.",
    ),
    _TeamSpec(
        "marketing", "Marketing", "go-to-market", 22,
        ("marketing", "product-design"),
        ("Content Marketer", "Product Marketing Manager", "Demand Generation Specialist",
         "Brand Designer", "Events Coordinator"),
        "Marketing Team Lead", "Head of Marketing",
        (("london", 3), ("new-york", 2)),
        "Brand, content, events and demand generation.",
    ),
    _TeamSpec(
        "customer-success", "Customer Success", "go-to-market", 28,
        ("customer-success", "sales"),
        ("Customer Success Manager", "Support Engineer", "Onboarding Specialist",
         "Technical Account Manager"),
        "Customer Success Team Lead", "Head of Customer Success",
        (("london", 2), ("new-york", 2), ("singapore", 2), ("lisbon", 1)),
        "Onboards, supports and renews our clients.",
    ),
    _TeamSpec(
        "finance", "Finance", "operations", 16,
        ("finance", "legal"),
        ("Financial Analyst", "Accountant", "Procurement Specialist", "Payroll Specialist"),
        "Finance Manager", "Head of Finance",
        (("london", 3), ("lisbon", 1)),
        "Planning, accounting, procurement and payroll.",
    ),
    _TeamSpec(
        "people-operations", "People Operations", "operations", 14,
        ("people-ops", "leadership"),
        ("People Partner", "Recruiter", "Learning & Development Specialist",
         "People Operations Coordinator"),
        "People Operations Manager", "Head of People",
        (("london", 2), ("lisbon", 1), ("new-york", 1)),
        "Hiring, learning, mentoring programs and people analytics.",
    ),
    _TeamSpec(
        "legal", "Legal", "operations", 8,
        ("legal", "finance"),
        ("Legal Counsel", "Paralegal", "Privacy Counsel", "Contracts Manager"),
        "Legal Manager", "General Counsel",
        (("london", 1),),
        "Contracts, privacy, compliance and intellectual property.",
    ),
)  # fmt: skip
TEAM_BY_KEY = {spec.key: spec for spec in TEAM_SPECS}

# Teams whose people naturally work together: weak cross-team ties mostly follow these.
ADJACENT_TEAMS: tuple[tuple[str, str], ...] = (
    ("platform-engineering", "product-engineering"),
    ("platform-engineering", "data-analytics"),
    ("product-engineering", "product-design"),
    ("product-engineering", "data-analytics"),
    ("product-engineering", "customer-success"),
    ("sales", "customer-success"),
    ("sales", "marketing"),
    ("sales", "finance"),
    ("sales", "legal"),
    ("marketing", "product-design"),
    ("marketing", "data-analytics"),
    ("finance", "people-operations"),
    ("finance", "legal"),
    ("people-operations", "legal"),
)

ORG_SPECS: tuple[_OrgSpec, ...] = (
    _OrgSpec("altamira-bank", "Altamira Bank", "client", "altamira-bank.example",
             "Madrid", "Europe/Madrid", 10, ("sales", "customer-success", "@leader"), "finance",
             ("Chief Digital Officer", "Head of Procurement", "IT Director", "Product Owner",
              "Operations Manager", "Risk Analyst")),
    _OrgSpec("harborview-health", "Harborview Health", "client", "harborview-health.example",
             "Boston", "America/New_York", 9, ("sales", "customer-success"), "data",
             ("VP Engineering", "Clinical Systems Lead", "IT Director", "Program Director",
              "Analytics Manager")),
    _OrgSpec("meridian-freight", "Meridian Freight", "client", "meridian-freight.example",
             "Rotterdam", "Europe/Amsterdam", 8, ("sales",), "engineering",
             ("CTO", "Logistics Systems Manager", "Head of Procurement", "Solutions Architect")),
    _OrgSpec("cobalt-retail", "Cobalt Retail Group", "client", "cobalt-retail.example",
             "Manchester", "Europe/London", 8, ("sales", "customer-success"), "marketing",
             ("E-commerce Director", "Head of Customer Insight", "Product Owner",
              "Procurement Manager")),
    _OrgSpec("solstice-energy", "Solstice Energy", "client", "solstice-energy.example",
             "Sydney", "Australia/Sydney", 7, ("customer-success",), "data",
             ("Head of Data", "Operations Manager", "IT Director", "Analytics Manager")),
    _OrgSpec("lumen-cloud", "Lumen Cloud", "partner", "lumen-cloud.example",
             "Dublin", "Europe/Dublin", 9, ("@member", "platform-engineering"), "engineering",
             ("Partnerships Manager", "Solutions Architect", "Developer Advocate",
              "Partner Engineer")),
    _OrgSpec("quarry-analytics", "Quarry Analytics", "partner", "quarry-analytics.example",
             "Toronto", "America/Toronto", 8, ("data-analytics", "product-engineering"), "data",
             ("Partnerships Manager", "Data Platform Lead", "Solutions Engineer")),
    _OrgSpec("brightpath-consulting", "Brightpath Consulting", "partner",
             "brightpath-consulting.example", "Singapore", "Asia/Singapore", 7, ("marketing",),
             "sales", ("Managing Consultant", "Alliance Manager", "Senior Consultant")),
    _OrgSpec("fernhill-legal", "Fernhill Legal LLP", "supplier", "fernhill-legal.example",
             "London", "Europe/London", 7, ("legal", "legal"), "legal",
             ("Partner", "Senior Associate", "Associate", "Paralegal")),
    _OrgSpec("open-data-guild", "Open Data Guild", "community", "open-data-guild.example",
             "Berlin", "Europe/Berlin", 7, ("data-analytics",), "data",
             ("Organizer", "Community Lead", "Maintainer", "Speaker Coordinator")),
)  # fmt: skip
CONTRACTOR_SUPPLIER = _OrgSpec(
    "keystone-talent", "Keystone Talent", "supplier", "keystone-talent.example",
    "London", "Europe/London", 0, (), "engineering", (),
)  # fmt: skip

SKILL_TAXONOMY: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("engineering", "Engineering", (
        ("python", "Python"), ("go", "Go"), ("typescript", "TypeScript"),
        ("kubernetes", "Kubernetes"), ("cloud-infrastructure", "Cloud infrastructure"),
        ("site-reliability", "Site reliability"), ("application-security", "Application security"),
        ("api-design", "API design"))),
    ("data", "Data", (
        ("sql", "SQL"), ("statistics", "Statistics"), ("machine-learning", "Machine learning"),
        ("data-engineering", "Data engineering"), ("data-visualization", "Data visualization"),
        ("experimentation", "Experimentation"))),
    ("product-design", "Product & design", (
        ("product-management", "Product management"), ("ux-research", "UX research"),
        ("interaction-design", "Interaction design"), ("visual-design", "Visual design"),
        ("prototyping", "Prototyping"), ("accessibility", "Accessibility"))),
    ("sales", "Sales", (
        ("enterprise-sales", "Enterprise sales"), ("negotiation", "Negotiation"),
        ("account-management", "Account management"), ("sales-forecasting", "Sales forecasting"),
        ("solution-selling", "Solution selling"))),
    ("marketing", "Marketing", (
        ("content-marketing", "Content marketing"), ("seo", "SEO"),
        ("brand-strategy", "Brand strategy"), ("demand-generation", "Demand generation"),
        ("event-management", "Event management"), ("product-marketing", "Product marketing"))),
    ("customer-success", "Customer success", (
        ("customer-onboarding", "Customer onboarding"), ("technical-support", "Technical support"),
        ("renewals", "Renewals"), ("customer-training", "Customer training"),
        ("churn-analysis", "Churn analysis"))),
    ("finance", "Finance", (
        ("financial-planning", "Financial planning"), ("accounting", "Accounting"),
        ("procurement", "Procurement"), ("tax", "Tax"), ("budgeting", "Budgeting"))),
    ("people-ops", "People operations", (
        ("recruiting", "Recruiting"), ("learning-development", "Learning & development"),
        ("compensation", "Compensation"), ("employee-relations", "Employee relations"),
        ("people-analytics", "People analytics"))),
    ("legal", "Legal", (
        ("contracts", "Contracts"), ("data-protection", "Privacy & data protection"),
        ("compliance", "Compliance"), ("intellectual-property", "Intellectual property"))),
    ("leadership", "Leadership", (
        ("people-management", "People management"), ("coaching-mentoring", "Coaching & mentoring"),
        ("strategy", "Strategy"), ("public-speaking", "Public speaking"),
        ("stakeholder-management", "Stakeholder management"))),
)  # fmt: skip
SKILLS_IN: dict[str, tuple[str, ...]] = {
    category: tuple(key for key, _ in children) for category, _, children in SKILL_TAXONOMY
}

# Invented names, mixed across languages and regions.
FIRST_NAMES = (
    "Aiko", "Amara", "Anders", "Anika", "Arjun", "Astrid", "Beatriz", "Bilal", "Björn", "Bruno",
    "Camila", "Carmen", "Chidi", "Chloé", "Clara", "Dalia", "Daniel", "Dmitri", "Elif", "Elena",
    "Emeka", "Emil", "Esther", "Farah", "Felix", "Fiona", "Gabriel", "Greta", "Hana", "Hamid",
    "Hugo", "Ines", "Ingrid", "Isaac", "Jamal", "Jana", "Javier", "João", "Jonas", "Julia",
    "Kai", "Kavya", "Kenji", "Keira", "Lars", "Layla", "Leon", "Lina", "Lucas", "Lúcia",
    "Luisa", "Malik", "Maren", "Marta", "Mateo", "Maya", "Mei", "Mila", "Nadia", "Naveen",
    "Nia", "Nikolai", "Nora", "Omar", "Oskar", "Paula", "Pedro", "Priya", "Rafael", "Rania",
    "Ravi", "Rosa", "Ruben", "Saanvi", "Samir", "Sara", "Sebastian", "Selin", "Sofia", "Søren",
    "Tariq", "Tessa", "Theo", "Tomas", "Uma", "Valentina", "Viktor", "Wei", "Yara", "Yusuf",
    "Zara", "Zoë", "Adaeze", "Bea", "Cyrus", "Dina", "Eero", "Freya", "Goran", "Hiro",
    "Imani", "Jules", "Kofi", "Liv", "Mirela", "Noor", "Orla", "Pia", "Quentin", "Rohan",
)  # fmt: skip
LAST_NAMES = (
    "Abara", "Adeyemi", "Almeida", "Andersen", "Arslan", "Bakker", "Barros", "Bianchi", "Boateng",
    "Brennan", "Carvalho", "Castillo", "Chen", "Chua", "Costa", "Dahl", "Demir", "Dubois",
    "Eriksen", "Esposito", "Farouk", "Fernandes", "Fischer", "Fujita", "Gallagher", "Goh",
    "Greco", "Haddad", "Hansen", "Hartmann", "Holm", "Hughes", "Ibrahim", "Ito", "Jansen",
    "Kaur", "Keller", "Khan", "Kim", "Kowalski", "Kruger", "Laine", "Larsen", "Lehmann", "Lim",
    "Lindqvist", "Lopes", "Mahmoud", "Marino", "Martins", "Mendes", "Mensah", "Meyer", "Moreau",
    "Murphy", "Mwangi", "Nakamura", "Nascimento", "Navarro", "Ng", "Novak", "Nowak", "Nyberg",
    "O'Brien", "Okafor", "Oliveira", "Ortiz", "Osei", "Park", "Patel", "Pereira", "Petrov",
    "Quinn", "Rahman", "Reyes", "Ribeiro", "Romero", "Rossi", "Saito", "Santos", "Schmidt",
    "Silva", "Sousa", "Stein", "Suzuki", "Tan", "Teixeira", "Torres", "Tran", "Van Dijk",
    "Varga", "Vasquez", "Vogel", "Wagner", "Walsh", "Weber", "Wong", "Yilmaz", "Zhang",
    "Zieliński",
)  # fmt: skip

RELATIONSHIP_NOTES: dict[str, tuple[str, ...]] = {
    "colleague": (
        "Great sounding board before big reviews.",
        "Worked together on the checkout relaunch.",
        "Ask about the roadmap before planning.",
        "Knows everyone in the London office.",
        "Sat next to each other at onboarding.",
        "Reliable reviewer; send drafts early.",
        "Co-ran the spring hackathon.",
        "Helpful on hiring panels.",
    ),
    "former_colleague": (
        "Left for a startup; open to referrals.",
        "Now freelancing; keep in touch quarterly.",
        "Still the expert on the old billing system.",
        "Moved abroad; catch up when in town.",
    ),
    "client": (
        "Executive sponsor for the renewal.",
        "Prefers short calls over e-mail.",
        "Cares about time-to-value; bring numbers.",
    ),
    "partner": (
        "Joint integration roadmap owner.",
        "Can open doors at their enterprise accounts.",
        "Co-presenting at the autumn conference.",
    ),
    "mentor": (
        "Monthly mentoring; working on stakeholder mapping.",
        "Practising pitching my work to leadership.",
    ),
    "friend": (
        "Met at the Lisbon offsite.",
        "Running club on Thursdays.",
        "Old friend from university.",
        "Book club regular.",
    ),
    "other": (
        "Met at a community meetup.",
        "Useful contact for legal questions.",
    ),
}

# Channel mixes (channels, weights) by kind of tie.
TEAM_MIX = ((CHAT, EMAIL, MEETING, CALL), (45, 25, 15, 15))
CROSS_MIX = ((EMAIL, MEETING, CALL, CHAT), (45, 25, 20, 10))
EXTERNAL_MIX = ((EMAIL, CALL, MEETING), (60, 22, 18))

# How many declared relationships each demo login has (about 300 in all).
RELATIONSHIP_QUOTAS = {
    "member": 65,
    "mentor": 55,
    "leader": 55,
    "program_manager": 45,
    "people_analyst": 40,
    "admin": 40,
}


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


class _Builder:
    """Holds the state of one generation; each stage draws from its own random stream."""

    def __init__(self, *, seed: int, today: dt.date) -> None:
        self.seed = seed
        self.today = today
        self.window_start = today - dt.timedelta(weeks=52)
        self.workdays = [
            self.window_start + dt.timedelta(days=i)
            for i in range((today - self.window_start).days)
            if (self.window_start + dt.timedelta(days=i)).weekday() < 5
        ]
        self.people: list[DemoPerson] = []
        self.index: dict[str, int] = {}
        self.used_emails: set[str] = set()
        self.teams: dict[str, dict] = {}
        self.team_employees: dict[str, list[str]] = {}
        self.team_workforce: dict[str, list[str]] = {}  # employees, contractors, freelancers
        self.squads: list[tuple[str, list[str]]] = []
        self.squad_guests: dict[int, list[str]] = {}  # squad index -> contractors joining it
        self.ceo = ""
        self.chief_of_staff = ""
        self.division_heads: dict[str, str] = {}
        self.logins: dict[str, str] = {}
        self.bridges: list[str] = []
        self.account_owners: dict[str, list[str]] = {}
        self.externals_by_org: dict[str, list[str]] = {}
        self.alumni: list[str] = []
        self.contractors: list[str] = []
        self.freelancers: list[str] = []
        self.raw_interactions: list[tuple[dt.datetime, tuple[str, ...], str, int | None]] = []

    def rng(self, stage: str) -> random.Random:
        # String seeds are hashed with SHA-512, independent of PYTHONHASHSEED.
        return random.Random(f"bridgework-demo:{self.seed}:{stage}")

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
                    name=team["name"],
                    organization_key=OUR_ORGANIZATION_KEY,
                    parent_key=team["parent"],
                    lead_key=team["lead"],
                    depth=team["depth"],
                    description=team["description"],
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

    def _person(self, key: str) -> DemoPerson:
        return self.people[self.index[key]]

    def _update(self, key: str, **changes) -> None:
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
        self.teams[key] = {
            "name": name,
            "parent": parent,
            "lead": None,
            "depth": depth,
            "description": description,
        }
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
            bio=f"{title}, {self.teams[team]['name']}, {location[0]} office.",
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
        self.teams["northwind-labs"]["lead"] = self.ceo
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
            self.teams[division_key]["lead"] = head
            for spec in TEAM_SPECS:
                if spec.division == division_key:
                    self._team(rng, spec, head)

    def _office(self, rng: random.Random, spec: _TeamSpec) -> str:
        offices, weights = zip(*spec.offices, strict=True)
        return rng.choices(offices, weights)[0]

    def _team(self, rng: random.Random, spec: _TeamSpec, division_head: str) -> None:
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
        self.teams[spec.key]["lead"] = lead
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
        lead = self.teams[team]["lead"]
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
            self._update(key, bio=f"{person.title}, {self.teams[person.team_key]['name']}.")

    def _choose_bridges(self) -> None:
        """About fifteen people who work across teams; the member and program manager among them."""
        rng = self.rng("bridges")
        bridges = [self.logins["member"], self.logins["program_manager"]]
        per_team = {spec.key: 0 for spec in TEAM_SPECS}
        for key in bridges:
            per_team[self._person(key).team_key] += 1
        candidates = [
            key
            for spec in TEAM_SPECS
            for level in (1, 2)
            for key in self._long_serving(spec.key, level)
        ]
        for key in rng.sample(candidates, len(candidates)):
            if len(bridges) == 15:
                break
            team = self._person(key).team_key
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
            teams, weights = zip(*hosts, strict=True)
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
                if owner_team == "@leader":
                    owners.append(self.logins["leader"])
                    continue
                if owner_team == "@member":
                    owners.append(self.logins["member"])
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
                    location=(spec.location, spec.time_zone),
                    start=self.today - dt.timedelta(days=rng.randint(120, 2500)),
                )
                for _ in range(spec.externals)
            ]

    # ................................................................. interactions

    def _span(self, start: dt.date, end: dt.date) -> tuple[int, int]:
        return bisect.bisect_left(self.workdays, start), bisect.bisect_left(self.workdays, end)

    def _active_from(self, *keys: str) -> dt.date:
        starts = [self._person(k).engagement_start or self.window_start for k in keys]
        return max(self.window_start, *starts)

    def _active_until(self, *keys: str) -> dt.date:
        ends = [self.today]
        for k in keys:
            person = self._person(k)
            if person.engagement_end is not None and person.engagement_type != ALUMNI:
                ends.append(person.engagement_end)
        return min(ends)

    def _is_active(self, key: str, day: dt.date) -> bool:
        person = self._person(key)
        return person.engagement_start <= day and (
            person.engagement_end is None or day < person.engagement_end
        )

    def _emit(
        self, rng: random.Random, day: dt.date, channel: str, participants: tuple[str, ...]
    ) -> None:
        if channel in (MEETING, CALL):
            minute = rng.choice((0, 15, 30, 45))
            duration = (
                rng.choice((30, 30, 45, 60)) if channel == MEETING else rng.choice((15, 20, 30, 45))
            )
        else:
            minute = rng.randrange(60)
            duration = None if channel == EMAIL or rng.random() < 0.7 else rng.choice((5, 10, 15))
        at = dt.datetime(day.year, day.month, day.day, rng.randrange(8, 17), minute, tzinfo=dt.UTC)
        self.raw_interactions.append((at, tuple(sorted(participants)), channel, duration))

    def _tie(
        self,
        rng: random.Random,
        a: str,
        b: str,
        *,
        rate: float,
        mix: tuple[tuple[str, ...], tuple[int, ...]],
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> None:
        """Two people in touch ``rate`` times a week, on random weekdays in their shared span."""
        first = max(self._active_from(a, b), start or self.window_start)
        last = min(self._active_until(a, b), end or self.today)
        lo, hi = self._span(first, last)
        if hi <= lo:
            return
        expected = rate * (hi - lo) / 5 * rng.uniform(0.75, 1.25)
        count = int(expected) + (rng.random() < expected - int(expected))
        channels, weights = mix
        for _ in range(count):
            day = self.workdays[rng.randrange(lo, hi)]
            self._emit(rng, day, rng.choices(channels, weights)[0], (a, b))

    def _cadence(
        self, rng: random.Random, *, weeks: int, start: dt.date, end: dt.date, skip: float
    ) -> list[dt.date]:
        """One weekday every ``weeks`` weeks between ``start`` and ``end``, some skipped."""
        lo, hi = self._span(start, end)
        days = []
        for block in range(lo, hi, 5 * weeks):
            if rng.random() >= skip:
                days.append(self.workdays[block + rng.randrange(min(5, hi - block))])
        return days

    def _cooling_end(self, rng: random.Random, probability: float) -> dt.date | None:
        """Some ties stop partway through the year."""
        if rng.random() < probability:
            return self.window_start + dt.timedelta(days=rng.randint(90, 300))
        return None

    def _interactions(self) -> None:
        rng = self.rng("interactions")
        self._team_ties(rng)
        self._one_to_ones(rng)
        self._group_meetings(rng)
        self._weak_cross_team_ties(rng)
        self._bridge_ties(rng)
        self._mentoring(rng)
        self._workforce_ties(rng)
        self._alumni_ties(rng)
        self._external_ties(rng)
        self._network_story(self.rng("network-story"))

    def _team_ties(self, rng: random.Random) -> None:
        """Dense ties inside each team, most of all inside each squad."""
        squad_of: dict[str, list[str]] = {}
        for _, members in self.squads:  # a manager's squad is the one they run
            squad_of[members[0]] = members
        for _, members in self.squads:
            for key in members:
                squad_of.setdefault(key, members)
        seen: dict[tuple[str, str], None] = {}
        for members in self.team_employees.values():
            if len(members) < 2:
                continue
            for key in members:
                squad = [k for k in squad_of.get(key, members) if k != key]
                others = [k for k in members if k != key]
                for _ in range(rng.randint(3, 6)):
                    pool = squad if squad and rng.random() < 0.7 else others
                    other = rng.choice(pool)
                    pair = (min(key, other), max(key, other))
                    if pair in seen:
                        continue
                    seen[pair] = None
                    self._tie(
                        rng,
                        *pair,
                        rate=0.12 + 0.75 * rng.random() ** 2,
                        mix=TEAM_MIX,
                        end=self._cooling_end(rng, 0.12),
                    )

    def _one_to_ones(self, rng: random.Random) -> None:
        for person in list(self.people):
            if person.manager_key is None or person.engagement_type not in EMPLOYEES:
                continue
            pair = (person.key, person.manager_key)
            days = self._cadence(
                rng,
                weeks=2,
                start=self._active_from(*pair),
                end=self._active_until(*pair),
                skip=0.15,
            )
            for day in days:
                self._emit(rng, day, MEETING if rng.random() < 0.8 else CALL, pair)

    def _meeting(self, rng: random.Random, day: dt.date, pool: list[str], *, host: str) -> None:
        active = [k for k in pool if k != host and self._is_active(k, day)]
        if not self._is_active(host, day) or len(active) < 2:
            return
        size = min(len(active), rng.randint(2, 7))
        self._emit(rng, day, MEETING, (host, *rng.sample(active, size)))

    def _group_meetings(self, rng: random.Random) -> None:
        """Squad meetings weekly, team meetings monthly, leadership meetings weekly."""
        whole_year = {"start": self.window_start, "end": self.today}
        for index, (_, members) in enumerate(self.squads):
            pool = members + self.squad_guests.get(index, [])
            for day in self._cadence(rng, weeks=1, skip=0.1, **whole_year):
                self._meeting(rng, day, pool, host=members[0])
        for spec in TEAM_SPECS:
            members = self.team_employees[spec.key]
            for day in self._cadence(rng, weeks=4, skip=0.1, **whole_year):
                self._meeting(rng, day, members, host=self.teams[spec.key]["lead"])
        for division, head in self.division_heads.items():
            leads = [self.teams[s.key]["lead"] for s in TEAM_SPECS if s.division == division]
            for day in self._cadence(rng, weeks=1, skip=0.1, **whole_year):
                pool = leads + ([self.chief_of_staff] if rng.random() < 0.3 else [])
                self._emit(rng, day, MEETING, (head, *pool))
        executives = [self.chief_of_staff, *self.division_heads.values()]
        for day in self._cadence(rng, weeks=1, skip=0.1, **whole_year):
            self._emit(rng, day, MEETING, (self.ceo, *executives))

    def _weak_cross_team_ties(self, rng: random.Random) -> None:
        """A tie or two with one neighbouring team for some people; most stay inside their team.

        Each person faces at most one other team through these ties, so that
        reaching many teams stays the mark of the few real bridges.
        """
        neighbours: dict[str, list[str]] = {spec.key: [] for spec in TEAM_SPECS}
        for a, b in ADJACENT_TEAMS:
            neighbours[a].append(b)
            neighbours[b].append(a)
        facing: dict[str, str] = {}  # person -> the one other team they have weak ties with
        for spec in TEAM_SPECS:
            for key in self.team_employees[spec.key]:
                if key in self.bridges:
                    continue
                for _ in range(rng.choices((0, 1, 2), (55, 35, 10))[0]):
                    team = facing.get(key) or rng.choice(neighbours[spec.key])
                    candidates = [
                        k
                        for k in self.team_employees[team]
                        if k not in self.bridges and facing.get(k, spec.key) == spec.key
                    ]
                    if not candidates:
                        continue
                    other = rng.choice(candidates)
                    facing[key], facing[other] = team, spec.key
                    self._tie(
                        rng,
                        key,
                        other,
                        rate=0.03 + 0.1 * rng.random(),
                        mix=CROSS_MIX,
                        end=self._cooling_end(rng, 0.15),
                    )

    def _bridge_ties(self, rng: random.Random) -> None:
        """The designated bridges keep regular ties in three to five other teams.

        They reach a team through its managers now and then, and
        otherwise through people no other bridge already reaches.
        """
        all_teams = [spec.key for spec in TEAM_SPECS]
        reached_from: dict[str, str] = {}  # person -> the bridge team that reaches them
        for key in self.bridges:
            own = self._person(key).team_key
            others = [t for t in all_teams if t != own]
            for team in rng.sample(others, rng.randint(3, 5)):
                members = [k for k in self.team_employees[team] if k not in self.bridges]
                managers = [k for k in members if self._person(k).level == 2]
                free = [k for k in members if reached_from.get(k, own) == own]
                for _ in range(rng.randint(2, 3)):
                    other = rng.choice(managers if rng.random() < 0.15 or not free else free)
                    reached_from.setdefault(other, own)
                    self._tie(
                        rng,
                        key,
                        other,
                        rate=0.1 + 0.35 * rng.random(),
                        mix=CROSS_MIX,
                        end=self._cooling_end(rng, 0.1),
                    )
        for i, key in enumerate(self.bridges):
            for other in rng.sample(self.bridges[:i] + self.bridges[i + 1 :], 2):
                self._tie(rng, key, other, rate=0.1 + 0.2 * rng.random(), mix=CROSS_MIX)

    def _mentoring(self, rng: random.Random) -> None:
        """The mentor has met the member every other week since a mentoring agreement began."""
        member, mentor = self.logins["member"], self.logins["mentor"]
        since = self.window_start + dt.timedelta(days=120)
        for day in self._cadence(rng, weeks=2, start=since, end=self.today, skip=0.1):
            self._emit(rng, day, MEETING, (member, mentor))
        self._tie(rng, member, mentor, rate=0.2, mix=((CHAT, EMAIL), (2, 1)), start=since)

    def _network_story(self, rng: random.Random) -> None:
        """Two things the network analysis should find: a cross-team launch group
        (a community that is not a team) and contractors who bridge teams."""
        # Launch group: two individual contributors each from design, marketing and
        # product engineering meet weekly for the last six months and chat in between.
        launch: list[str] = []
        for team in ("product-design", "marketing", "product-engineering"):
            members = [
                k
                for k in self.team_employees[team]
                if k not in self.bridges and self._person(k).level == 1
            ]
            launch.extend(rng.sample(members, 2))
        since = self.today - dt.timedelta(days=182)
        for day in self._cadence(rng, weeks=1, start=since, end=self.today, skip=0.1):
            self._emit(rng, day, MEETING, tuple(launch))
        for i, a in enumerate(launch):
            for b in launch[i + 1 :]:
                self._tie(rng, a, b, rate=0.4 + 0.4 * rng.random(), mix=TEAM_MIX, start=since)
        # Senior contractors in platform engineering also serve the data team.
        platform = [
            k for k in self.contractors if self._person(k).team_key == "platform-engineering"
        ]
        for key in platform[:3]:
            for other in rng.sample(self.team_employees["data-analytics"], 2):
                self._tie(rng, key, other, rate=0.08 + 0.06 * rng.random(), mix=CROSS_MIX)

    def _workforce_ties(self, rng: random.Random) -> None:
        """Contractors work with their host team; freelancers sometimes with a second one."""
        for key in self.contractors:
            team = self.team_employees[self._person(key).team_key]
            for other in rng.sample(team, rng.randint(3, 6)):
                self._tie(rng, key, other, rate=0.25 + 0.5 * rng.random(), mix=TEAM_MIX)
        all_teams = [spec.key for spec in TEAM_SPECS]
        for key in self.freelancers:
            host = self._person(key).team_key
            for other in rng.sample(self.team_employees[host], rng.randint(2, 4)):
                self._tie(rng, key, other, rate=0.15 + 0.3 * rng.random(), mix=CROSS_MIX)
            if rng.random() < 0.4:
                team = rng.choice([t for t in all_teams if t != host])
                other = rng.choice(self.team_employees[team])
                self._tie(rng, key, other, rate=0.1 + 0.2 * rng.random(), mix=CROSS_MIX)

    def _alumni_ties(self, rng: random.Random) -> None:
        """Alumni talk with former teammates, then less after leaving, and go quiet."""
        quiet_after = self.today - dt.timedelta(days=100)
        for key in self.alumni:
            person = self._person(key)
            left = person.engagement_end
            teammates = self.team_employees[person.team_key]
            for other in rng.sample(teammates, min(len(teammates), rng.randint(3, 7))):
                if left > self.window_start:
                    self._tie(
                        rng, key, other, rate=0.2 + 0.4 * rng.random(), mix=TEAM_MIX, end=left
                    )
                    fade_from, fade_until = left, min(left + dt.timedelta(days=60), quiet_after)
                else:
                    fade_from = self.window_start
                    fade_until = self.window_start + dt.timedelta(days=rng.randint(30, 90))
                self._tie(
                    rng,
                    key,
                    other,
                    rate=0.05 + 0.15 * rng.random(),
                    mix=CROSS_MIX,
                    start=fade_from,
                    end=fade_until,
                )

    def _external_ties(self, rng: random.Random) -> None:
        """External contacts are reached only through their organization's account owners."""
        for spec in ORG_SPECS:
            owners = self.account_owners[spec.key]
            externals = self.externals_by_org[spec.key]
            for key in externals:
                for owner in rng.sample(owners, min(len(owners), rng.randint(1, 2))):
                    self._tie(
                        rng,
                        key,
                        owner,
                        rate=0.1 + 0.4 * rng.random(),
                        mix=EXTERNAL_MIX,
                        end=self._cooling_end(rng, 0.15),
                    )
            for day in self._cadence(
                rng, weeks=4, start=self.window_start, end=self.today, skip=0.25
            ):
                guests = rng.sample(externals, rng.randint(1, min(4, len(externals))))
                hosts = rng.sample(owners, rng.randint(1, len(owners)))
                self._emit(rng, day, MEETING, (*hosts, *guests))

    def _finish_interactions(self) -> tuple[DemoInteraction, ...]:
        self.raw_interactions.sort(key=lambda r: (r[0], r[1], r[2], r[3] or 0))
        return tuple(
            DemoInteraction(
                channel=channel, occurred_at=at, duration_minutes=minutes, participant_keys=keys
            )
            for at, keys, channel, minutes in self.raw_interactions
        )

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
            latest = min(latest, b.engagement_end)
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
        for category, name, children in SKILL_TAXONOMY:
            skills.append(DemoSkill(key=category, name=name, parent_key=None))
            skills.extend(DemoSkill(key=k, name=n, parent_key=category) for k, n in children)
        return tuple(skills)
