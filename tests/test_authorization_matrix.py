"""Every page and every API operation against every role, with the answer each must get.

The endpoints come from the URL configuration (every page pattern) and from
``/api/openapi.json`` (every API operation); the expected answers are the
table in ``authorization_matrix.txt`` beside this file, one line per
endpoint, written from the rules in ``accounts/policies.py``, DESIGN.md's
"Privacy and trust" and docs/security.md (who sees what), not from running
the code. An endpoint without a line fails :func:`test_the_table_covers_every_endpoint`,
so a new page or operation cannot ship without someone deciding who may use it.

The roles are people of one small organization (:func:`build_world`):

===============  ==========================================================================
role             who
===============  ==========================================================================
anonymous        nobody signed in
member           Mia (member): owns the objects the table's lines point at, mentee of Max
other_member     Oscar (member): shares nothing with Mia
mentor           Max (member, mentor): Mia's mentor, the person her introduction asks
program_manager  Pat (member, program manager): runs the mentoring program
leader           Lea (member, leader)
people_analyst   Ana (people analyst)
admin            Ada (admin, member)
deactivated      Dee (member) whose login was deactivated after signing in and
                 after obtaining an API token
===============  ==========================================================================

Pages are requested with a browser session, the API with each role's bearer
token. Every request runs in a savepoint that is rolled back, so each role
meets the same world. Answers are written as the status code, or ``login``
for a redirect to a sign-in page.

To review the whole table after a change, ``BRIDGEWORK_MATRIX_RECORD=<file>``
writes the answers actually given in the table's format; compare, and change
a line only after checking the new answer against the policy.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from bridgework import factories
from bridgework.accounts.models import Role
from bridgework.accounts.services import api_token_create
from bridgework.config.api import api
from bridgework.network.models import Nudge, Tie, TieRecompute
from bridgework.network.selectors import tie_graph_cache_clear
from bridgework.people.models import Organization

pytestmark = pytest.mark.django_db

TABLE = Path(__file__).with_name("authorization_matrix.txt")
ROLES = [
    "anonymous",
    "member",
    "other_member",
    "mentor",
    "program_manager",
    "leader",
    "people_analyst",
    "admin",
    "deactivated",
]
#: Every URL of Django's admin answers alike (staff only), so one line covers them;
#: a line of its own for an admin URL overrides it.
ADMIN_EVERYTHING = "GET /admin/*"
API_EXTRAS = {"openapi-json", "openapi-view", "api-root"}


# ---- the endpoints ------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    method: str
    route: str  # /people/<int:pk>/ for pages, /api/people/{person_id} for the API
    name: str | None = None  # namespace:name, for pages
    is_api: bool = False

    @property
    def key(self) -> str:
        return f"{self.method} {self.route}"


def _page_patterns(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n) or None
            yield from _page_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield "/" + prefix + str(pattern.pattern), name, namespace


def page_endpoints() -> list[Endpoint]:
    """Every URL pattern but the API's operations (those come from the OpenAPI schema)."""
    found = []
    for route, name, namespace in _page_patterns(get_resolver().url_patterns):
        if namespace == "api" and (name or "").split(":")[-1] not in API_EXTRAS:
            continue
        if namespace == "admin":
            continue
        found.append(Endpoint("GET", route, name))
    return found


def admin_urls(world: dict) -> list[tuple[str, str]]:
    """(route, URL) for every pattern of Django's admin, with a real object where one is needed."""
    urls = []
    for route, name, namespace in _page_patterns(get_resolver().url_patterns):
        if namespace != "admin" or not name:
            continue
        kwargs: dict = {}
        key = "object_id" if "object_id" in route else "id" if "<id>" in route else None
        if key:
            model = next(
                (
                    m
                    for m in admin_site._registry
                    # By the route, not the name: UserAdmin names its password
                    # page "auth_user_password_change" whatever the user model.
                    if f"/admin/{m._meta.app_label}/{m._meta.model_name}/" in route
                ),
                None,
            )
            row = model._default_manager.order_by("pk").first() if model else None
            kwargs[key] = row.pk if row else 1
        if "app_label" in route:
            kwargs["app_label"] = "people"
        if "content_type_id" in route:
            continue  # "view on site" redirects to the site itself
        if "<uidb64>" in route or "<token>" in route:
            continue
        urls.append((route, reverse(name, kwargs=kwargs)))
    return urls


def api_endpoints() -> list[Endpoint]:
    schema = api.get_openapi_schema()
    return [
        Endpoint(method.upper(), path, is_api=True)
        for path, operations in schema["paths"].items()
        for method in operations
    ]


# ---- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    key: str
    args: dict[str, str]
    answers: dict[str, str]
    number: int


def read_table(path: Path = TABLE) -> dict[str, Line]:
    """``METHOD route [name=object ...] | answer per role, in ROLES order``."""
    lines: dict[str, Line] = {}
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        text = raw.split("#", 1)[0].strip()
        if not text:
            continue
        left, right = (part.split() for part in text.split("|"))
        method, route, *args = left
        answers = right
        assert len(answers) == len(ROLES), f"line {number}: {len(answers)} answers"
        key = f"{method} {route}"
        assert key not in lines, f"line {number}: {key} twice"
        lines[key] = Line(
            key, dict(a.split("=", 1) for a in args), dict(zip(ROLES, answers, strict=True)), number
        )
    return lines


def test_the_table_covers_every_endpoint():
    """A GET line for every page, a line for every API operation, and none left over.

    Pages that change something also have a POST line (sent with an empty form).
    """
    table = read_table()
    pages = {e.route for e in page_endpoints()}
    required = {e.key for e in page_endpoints() + api_endpoints()}
    missing = sorted(required - set(table))
    stale = sorted(
        key
        for key in set(table) - required - {ADMIN_EVERYTHING}
        if key.split()[1] not in pages and not key.split()[1].startswith("/admin/")
    )
    assert missing == [], "endpoints with no line in authorization_matrix.txt"
    assert stale == [], "lines for endpoints that no longer exist"
    assert ADMIN_EVERYTHING in table


def test_the_table_never_expects_a_server_error():
    for line in read_table().values():
        assert not any(a.startswith("5") for a in line.answers.values()), line.key


# ---- the world ---------------------------------------------------------------------------------


def _tie(a, b, strength: float, band: str = "regular") -> Tie:
    low, high = sorted((a.pk, b.pk))
    return Tie.objects.create(
        person_a_id=low,
        person_b_id=high,
        strength=strength,
        band=band,
        trend="steady",
        explanation=f"{strength:.2f}: test tie",
        events=4,
        last_contact=timezone.now() - dt.timedelta(days=5),
        computed_at=timezone.now(),
    )


def build_world(settings, tmp_path) -> dict:
    """One organization with an object of every kind, most of them Mia's (see the table)."""
    from bridgework.analysis.services import analysis_start
    from bridgework.impact import services as impact
    from bridgework.interactions.models import ImportRun
    from bridgework.interactions.services import introduction_request
    from bridgework.mentoring import services as mentoring
    from bridgework.people.merge import person_merge
    from bridgework.people.models import MatchReview

    settings.DATA_DIR = tmp_path
    settings.PRIVACY_MIN_GROUP_SIZE = 5
    tie_graph_cache_clear()
    ours = factories.OrganizationFactory(name="Ourco", kind=Organization.Kind.OURS)
    acme = factories.OrganizationFactory(name="Acme", kind=Organization.Kind.CLIENT)
    red = factories.TeamFactory(name="Red", organization=ours)
    blue = factories.TeamFactory(name="Blue", organization=ours)

    def user(username: str, roles, team, name: str):
        person = factories.PersonFactory(full_name=name, team=team, organization=ours)
        return factories.UserFactory(username=username, person=person, roles=roles)

    users = {
        "member": user("mia", [Role.MEMBER], red, "Mia Member"),
        "other_member": user("oscar", [Role.MEMBER], blue, "Oscar Other"),
        "mentor": user("max", [Role.MEMBER, Role.MENTOR], blue, "Max Mentor"),
        "program_manager": user("pat", [Role.MEMBER, Role.PROGRAM_MANAGER], blue, "Pat Manager"),
        "leader": user("lea", [Role.MEMBER, Role.LEADER], blue, "Lea Leader"),
        "people_analyst": user("ana", [Role.PEOPLE_ANALYST], blue, "Ana Analyst"),
        "admin": user("ada", [Role.ADMIN, Role.MEMBER], blue, "Ada Admin"),
        "deactivated": user("dee", [Role.MEMBER], red, "Dee Deactivated"),
    }
    mia, oscar, max_, pat, ada = (
        users[r] for r in ("member", "other_member", "mentor", "program_manager", "admin")
    )
    gil = factories.PersonFactory(full_name="Gil Red", team=red, organization=ours)
    ann = factories.PersonFactory(full_name="Ann Acme", organization=acme, team=None)
    reds = [factories.PersonFactory(team=red, organization=ours) for _ in range(4)]
    blues = [factories.PersonFactory(team=blue, organization=ours) for _ in range(2)]
    skill = factories.SkillFactory(name="Negotiation", slug="negotiation")
    factories.PersonSkillFactory(person=mia.person, skill=skill)
    for group in ([mia.person, gil, *reds], [u.person for u in users.values()][1:7] + blues):
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                _tie(a, b, 0.5)
    _tie(mia.person, max_.person, 0.8, "strong")
    _tie(max_.person, ann, 0.6)

    world: dict = {"users": users, "team": red, "organization": ours, "skill": skill}
    world["person"] = mia.person
    world["other_person"] = gil
    world["stranger"] = reds[1]  # nobody's relationship yet
    world["relationship"] = factories.RelationshipFactory(
        person=mia.person, other=gil, declared_by=mia, private_note="Mia's note"
    )
    world["interaction"] = factories.InteractionFactory(people=[mia.person, gil], logged_by=mia)
    world["introduction"] = introduction_request(
        actor=mia,
        target=ann,
        path_person_ids=[mia.person.pk, max_.person.pk, ann.pk],
        message="Could you introduce me to Ann?",
    )
    world["import_run"] = ImportRun.objects.create(
        format="ics", started_by=mia, file_names=["mine.ics"], origin=ImportRun.Origin.WEB
    )
    world["nudge"] = Nudge.objects.create(
        owner=mia.person, other=gil, kind=Nudge.Kind.OVERDUE, reason="Overdue", priority=1.0
    )
    world["recompute"] = TieRecompute.objects.create(kind=TieRecompute.Kind.FULL, started_by=ada)
    world["token"], _raw = api_token_create(user=mia, name="spare")
    twin = factories.PersonFactory(full_name="Gil Red", team=red, organization=ours)
    world["match_review"] = MatchReview.objects.create(
        new_person=twin, candidate=gil, reason="same name"
    )
    spare = factories.PersonFactory(full_name="Old Record", organization=ours)
    world["merge"] = person_merge(actor=ada, keep=reds[0], drop=spare)

    # Mentoring: Pat's program; Mia (mentee) matched with Max (mentor).
    today = timezone.now().date()
    program = mentoring.program_create(
        actor=pat,
        name="Builders",
        goal="Wider networks.",
        start_date=today - dt.timedelta(days=30),
        end_date=today + dt.timedelta(days=150),
    )
    program = mentoring.program_set_enrollment(actor=pat, program=program, open=True)
    mentee = mentoring.enrollment_create(actor=mia, program=program, role="mentee")
    mentor = mentoring.enrollment_create(actor=max_, program=program, role="mentor", capacity=2)
    world["override"] = mentoring.match_override_set(
        actor=pat, program=program, mentee=mentee, mentor=mentor, kind="fix"
    )
    world["matching_run"] = run = mentoring.matching_run(actor=pat, program=program)
    [pair] = mentoring.matching_publish(actor=pat, run=run)
    pair.refresh_from_db()
    session = mentoring.session_create(
        actor=mia,
        relationship=pair,
        scheduled_at=timezone.now() - dt.timedelta(days=2),
        duration_minutes=45,
        held=True,
    )
    mentoring.session_note_add(actor=mia, session=session, text="Mine only.")
    world.update(
        program=program,
        framework=program.framework_version.framework,
        framework_number=program.framework_version.number,
        enrollment=mentee,
        pair=pair,
        session=session,
        action_item=mentoring.action_item_create(actor=mia, relationship=pair, title="Call Ann"),
        practice_plan=mentoring.practice_plan_create(
            actor=mia,
            relationship=pair,
            behavior_key=program.framework_version.content["behaviors"][0]["key"],
            conversation="Ask Ann about the renewal",
        ),
        assessment=mentoring.assessment_request(
            actor=mia, relationship=pair, kind="self", round="start"
        ),
    )

    # Impact: Mia's objective, shared with her mentor, with a stakeholder and an outcome.
    objective = impact.objective_create(actor=mia, title="Win the Acme renewal")
    world.update(
        objective=objective,
        share=impact.objective_share(actor=mia, objective=objective, person=max_.person, team=None),
        stakeholder=impact.stakeholder_add(actor=mia, objective=objective, person=ann),
        outcome=impact.outcome_log(
            actor=mia,
            kind="deal",
            title="Renewal signed",
            value=1000,
            unit="money",
            occurred_on=today - dt.timedelta(days=1),
            objective=objective,
        ),
    )
    impact.program_evaluate(actor=pat, program=program)

    run = analysis_start(run_now=True)
    assert run.status == "succeeded", run.error
    # Deactivated after obtaining a token and signing in (both happen in `clients`).
    return world


def _value(world: dict, name: str) -> str:
    """``member`` (a role: its person), ``:pdf`` (the text itself) or an object of the world."""
    if name.startswith(":"):
        return name[1:]
    if name in world["users"]:
        return str(world["users"][name].person_id)
    value = world[name]
    return str(getattr(value, "pk", value))


def concrete(route: str, args: dict[str, str], world: dict) -> str:
    """The route with each parameter replaced by the object the table's line names."""

    def fill(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        assert name in args, f"{route}: say which object {name} is"
        return _value(world, args[name])

    return re.sub(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", fill, route)


# ---- requests ----------------------------------------------------------------------------------


def clients(world: dict) -> tuple[dict[str, Client], dict[str, dict[str, str]]]:
    """A browser session and an API token for every role (anonymous: neither)."""
    browsers = {"anonymous": Client(raise_request_exception=False)}
    tokens: dict[str, dict[str, str]] = {"anonymous": {}}
    for role, user in world["users"].items():
        browser = Client(raise_request_exception=False)
        browser.force_login(user)
        browsers[role] = browser
        _token, raw = api_token_create(user=user, name="matrix")
        tokens[role] = {"Authorization": f"Bearer {raw}"}
    dee = world["users"]["deactivated"]
    dee.is_active = False
    dee.save(update_fields=["is_active"])
    return browsers, tokens


def answer(response) -> str:
    if response.status_code in (301, 302):
        location = response["Location"]
        if "/accounts/login/" in location or "/admin/login/" in location:
            return "login"
    return str(response.status_code)


def send(client: Client, method: str, url: str, *, headers=None, body=None, multipart=None):
    # The session is the client's cookie: keep it, or signing out would sign out the rest.
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if multipart is not None:
            response = client.post(url, multipart, headers=headers)
        elif body is not None:
            response = client.generic(
                method, url, json.dumps(body), content_type="application/json", headers=headers
            )
        elif method == "POST" and not url.startswith("/api/"):
            response = client.post(url, {}, headers=headers)
        else:
            response = client.generic(method, url, headers=headers)
        transaction.set_rollback(True)
    client.cookies = cookies
    tie_graph_cache_clear()
    return response


def _body(key: str, world: dict, role: str):
    maker = BODIES.get(key)
    return None if maker is None else maker(world, role)


def check(
    lines: list[tuple[Line, Endpoint]], world, browsers, tokens
) -> tuple[list[str], list[str]]:
    mismatches, recorded = [], []
    for line, endpoint in lines:
        url = concrete(endpoint.route, line.args, world)
        if endpoint.key in QUERIES:
            url += "?" + urlencode(QUERIES[endpoint.key](world))
        actual = {}
        for role in ROLES:
            if endpoint.is_api:
                client, headers = Client(raise_request_exception=False), tokens[role]
            else:
                client, headers = browsers[role], None
            if endpoint.key in MULTIPART:
                response = send(
                    client,
                    endpoint.method,
                    url,
                    headers=headers,
                    multipart=MULTIPART[endpoint.key](),
                )
            else:
                response = send(
                    client,
                    endpoint.method,
                    url,
                    headers=headers,
                    body=_body(endpoint.key, world, role),
                )
            actual[role] = answer(response)
        if actual != line.answers:
            wrong = {
                r: f"{line.answers[r]}→{actual[r]}" for r in ROLES if actual[r] != line.answers[r]
            }
            mismatches.append(f"line {line.number} {line.key} ({url}): {wrong}")
        args = " ".join(f"{k}={v}" for k, v in line.args.items())
        recorded.append(
            (line.key + (" " + args if args else ""), " ".join(actual[r] for r in ROLES))
        )
    return mismatches, recorded


def _record(recorded) -> None:
    target = os.environ.get("BRIDGEWORK_MATRIX_RECORD")
    if not target:
        return
    with open(target, "a") as out:
        for left, right in recorded:
            out.write(f"{left:<86}| {right}\n")


@pytest.fixture
def world(db, settings, tmp_path):
    return build_world(settings, tmp_path)


def _lines_for(endpoints: list[Endpoint]) -> list[tuple[Line, Endpoint]]:
    table = read_table()
    return [(table[e.key], e) for e in endpoints if e.key in table]


def _page_lines() -> list[tuple[Line, Endpoint]]:
    """Every line of a page: its GET, and its POST where it has one."""
    routes = {e.route: e for e in page_endpoints()}
    lines = []
    for line in read_table().values():
        method, route = line.key.split()
        if route in routes:
            lines.append((line, Endpoint(method, route, routes[route].name)))
    return lines


def test_every_role_gets_its_answer_on_every_page(world):
    browsers, tokens = clients(world)
    mismatches, recorded = check(_page_lines(), world, browsers, tokens)
    _record(recorded)
    assert mismatches == []


def test_every_role_gets_its_answer_from_every_api_operation(world):
    browsers, tokens = clients(world)
    mismatches, recorded = check(_lines_for(api_endpoints()), world, browsers, tokens)
    _record(recorded)
    assert mismatches == []


def test_only_admins_get_into_the_django_admin(world):
    browsers, _tokens = clients(world)
    table = read_table()
    rule = table[ADMIN_EVERYTHING]
    mismatches, recorded = [], []
    for route, url in admin_urls(world):
        line = table.get(f"GET {route}", rule)
        got = {role: answer(send(browsers[role], "GET", url)) for role in ROLES}
        for role in ROLES:
            if got[role] != line.answers[role]:
                mismatches.append(f"{url} {role}: {line.answers[role]}→{got[role]}")
        recorded.append((f"GET {route}", " ".join(got[r] for r in ROLES)))
    _record(recorded)
    assert mismatches == []


# ---- request bodies: valid input, so the answer is about who asks -----------------------------


def _person(world, role="member"):
    return world["users"][role].person_id if role in world["users"] else None


def _ids(*objects) -> list[int]:
    return [o.pk for o in objects]


TODAY = "2025-06-02"
BODIES = {
    "POST /api/auth/token": lambda w, role: {"username": "mia", "password": factories.PASSWORD},
    "POST /api/people/merges": lambda w, role: {
        "keep": w["other_person"].pk,
        "drop": w["match_review"].new_person_id,
    },
    "POST /api/people/": lambda w, role: {"full_name": "New Person"},
    "PATCH /api/people/{person_id}": lambda w, role: {"title": "Account lead"},
    "POST /api/relationships/": lambda w, role: {"other": w["stranger"].pk, "closeness": 3},
    "PATCH /api/relationships/{relationship_id}": lambda w, role: {"closeness": 4},
    "POST /api/interactions/": lambda w, role: {
        "channel": "meeting",
        "occurred_at": "2025-06-01T10:00:00Z",
        "participants": [w["other_person"].pk, w["stranger"].pk],
    },
    "PATCH /api/interactions/{interaction_id}": lambda w, role: {"duration_minutes": 20},
    # Each caller asks Max for an introduction to Ann along their own tie to him.
    "POST /api/introductions/": lambda w, role: {
        "person": w["introduction"].target_id,
        "path": [_person(w, role), _person(w, "mentor"), w["introduction"].target_id],
        "message": "Please introduce me.",
    },
    "POST /api/introductions/{request_id}/respond": lambda w, role: {"accept": True},
    "POST /api/introductions/{request_id}/outcome": lambda w, role: {"outcome": "We met."},
    "PUT /api/network/portfolio/{person_id}": lambda w, role: {"tier": "core"},
    "POST /api/network/nudges/{nudge_id}/snooze": lambda w, role: {},
    "POST /api/network/recompute": lambda w, role: {"full": True},
    "POST /api/mentoring/frameworks": lambda w, role: {"yaml": "name: x"},
    "POST /api/mentoring/frameworks/{framework_id}/versions": lambda w, role: {"yaml": "name: x"},
    "POST /api/mentoring/programs": lambda w, role: {
        "name": "Next cohort",
        "goal": "Reach",
        "start_date": TODAY,
        "end_date": "2025-12-01",
    },
    "PATCH /api/mentoring/programs/{program_id}": lambda w, role: {"goal": "Reach further"},
    "POST /api/mentoring/programs/{program_id}/enrollment": lambda w, role: {"open": False},
    "POST /api/mentoring/programs/{program_id}/assessment-rounds": lambda w, role: {
        "round": "midpoint"
    },
    "POST /api/mentoring/programs/{program_id}/enrollments": lambda w, role: {"role": "mentee"},
    "PATCH /api/mentoring/enrollments/{enrollment_id}": lambda w, role: {"goals": "Reach Acme"},
    "POST /api/mentoring/programs/{program_id}/matching/overrides": lambda w, role: {
        "mentee_enrollment_id": w["enrollment"].pk,
        "mentor_enrollment_id": w["override"].mentor_id,
        "kind": "veto",
    },
    "POST /api/mentoring/programs/{program_id}/matching/publish": lambda w, role: {
        "run_id": w["matching_run"].pk
    },
    "POST /api/mentoring/programs/{program_id}/suggestions/request": lambda w, role: {
        "mentor_id": _person(w, "mentor")
    },
    "POST /api/mentoring/relationships/{relationship_id}/respond": lambda w, role: {"accept": True},
    "POST /api/mentoring/relationships/{relationship_id}/end": lambda w, role: {"reason": "Done"},
    "PATCH /api/mentoring/relationships/{relationship_id}/agreement": lambda w, role: {
        "agree": True
    },
    "POST /api/mentoring/relationships/{relationship_id}/sessions": lambda w, role: {
        "scheduled_at": "2030-01-01T10:00:00Z"
    },
    "PATCH /api/mentoring/sessions/{session_id}": lambda w, role: {"status": "held"},
    "POST /api/mentoring/sessions/{session_id}/notes": lambda w, role: {"text": "A note"},
    "POST /api/mentoring/sessions/{session_id}/feedback": lambda w, role: {"rating": 4},
    "POST /api/mentoring/relationships/{relationship_id}/fit-check": lambda w, role: {"fit": 4},
    "POST /api/mentoring/relationships/{relationship_id}/action-items": lambda w, role: {
        "title": "Do"
    },
    "PATCH /api/mentoring/action-items/{item_id}": lambda w, role: {"done": True},
    "POST /api/mentoring/relationships/{relationship_id}/practice-plans": lambda w, role: {
        "behavior_key": w["practice_plan"].behavior_key,
        "conversation": "Another talk",
    },
    "PATCH /api/mentoring/practice-plans/{plan_id}": lambda w, role: {"preparation": "Read up"},
    "POST /api/mentoring/relationships/{relationship_id}/introductions": lambda w, role: {
        "target_id": w["introduction"].target_id,
        "message": "Meet Mia",
    },
    "POST /api/mentoring/relationships/{relationship_id}/assessments": lambda w, role: {
        "kind": "mentor",
        "round": "start",
    },
    "POST /api/mentoring/assessments/{assessment_id}/submit": lambda w, role: {
        "ratings": {b["key"]: 3 for b in w["program"].framework_version.content["behaviors"]}
    },
    "POST /api/impact/objectives": lambda w, role: {"title": "Grow"},
    "PUT /api/impact/objectives/{objective_id}": lambda w, role: {"title": "Win the Acme renewal"},
    "POST /api/impact/objectives/{objective_id}/shares": lambda w, role: {"team": w["team"].pk},
    "POST /api/impact/objectives/{objective_id}/stakeholders": lambda w, role: {
        "person": w["other_person"].pk
    },
    "PUT /api/impact/stakeholders/{stakeholder_id}": lambda w, role: {"next_step": "Call"},
    "POST /api/impact/outcomes": lambda w, role: {
        "kind": "hire",
        "title": "Hired",
        "value": "1",
        "unit": "rating",
        "occurred_on": TODAY,
    },
    "PUT /api/impact/outcomes/{outcome_id}": lambda w, role: {
        "kind": "deal",
        "title": "Renewal signed",
        "value": "1000",
        "unit": "money",
        "occurred_on": TODAY,
    },
}

QUERIES = {
    "GET /api/introductions/paths": lambda w: {"person": w["introduction"].target_id},
}

MULTIPART = {
    "POST /api/imports/": lambda: {
        "format": "ics",
        "files": SimpleUploadedFile(
            "mine.ics",
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
            content_type="text/calendar",
        ),
    }
}
