"""The OpenAPI schema describes each operation with its own classes, ids and errors.

django-ninja writes every model's JSON schema under its bare class name, so two
classes with one name (``people.RelationshipOut`` and ``mentoring.RelationshipOut``,
or the models' nested ``Status`` and ``Kind`` choices) overwrote each other and
about 25 operations were described by another class (issue 13, item 10). The
checks below compare the published document with what pydantic generates for
each declared class on its own, where it keeps same-named classes apart.
"""

from __future__ import annotations

import copy
import enum
import re
import typing
from collections import defaultdict

import pytest
from django.test import Client
from ninja.constants import NOT_SET
from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema
from ninja.utils import normalize_path
from pydantic import BaseModel
from typing_extensions import TypeAliasType

from bridgework.config.api import api

pytestmark = pytest.mark.django_db

#: The largest primary key PostgreSQL and SQLite hold: a signed 64-bit integer.
MAX_ID = 2**63 - 1


@pytest.fixture(scope="module")
def published(django_db_blocker) -> dict:
    with django_db_blocker.unblock():
        return Client().get("/api/openapi.json").json()


def _operations():
    """(method, path, ninja operation) for every operation the API serves."""
    for bound in api._get_bound_routers():
        for path, path_view in bound.path_operations.items():
            full = normalize_path("/api/" + "/".join(p for p in (bound.prefix, path) if p))
            full = re.sub(r"{[^}:]+:", "{", full)  # /{int:pk} is published as /{pk}
            for operation in path_view.operations:
                for method in operation.methods:
                    yield method.lower(), full, operation


def _named_types(tp, found: dict[str, set], seen: set) -> None:
    """Every class the schema of ``tp`` names as a component, by the name it gets."""
    if id(tp) in seen:
        return
    seen.add(id(tp))
    if isinstance(tp, TypeAliasType):
        # The alias is the component; the choices it names are written inside it.
        found[tp.__name__].add(tp)
        return
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        # ninja's own wrappers (each response, each group of parameters) are not
        # components; its pages ("PagedPersonOut") are.
        if tp.__module__.startswith("bridgework") or tp.__name__.startswith("Paged"):
            found[tp.__name__].add(tp)
        for field in tp.model_fields.values():
            _named_types(field.annotation, found, seen)
        return
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        found[tp.__name__].add(tp)
        return
    for arg in typing.get_args(tp):
        if getattr(arg, "__metadata__", None) is not None:
            arg = typing.get_args(arg)[0]
        _named_types(arg, found, seen)


def test_no_two_classes_publish_the_same_component_name():
    found: dict[str, set] = defaultdict(set)
    seen: set = set()
    for _method, _path, operation in _operations():
        for model in [*operation.response_models.values(), *operation.models]:
            if model is not None and not isinstance(model, type(Ellipsis)):
                _named_types(model, found, seen)

    shared = {name: sorted(map(repr, types)) for name, types in found.items() if len(types) > 1}
    assert shared == {}
    # The ones the attack notes named are all there, each under a name of its own.
    assert {"RelationshipOut", "MentoringRelationshipOut", "IntroductionOut"} <= set(found)
    assert {"MentorIntroductionOut", "PersonRefOut", "ImpactPersonOut", "ImpactProgramOut"} <= set(
        found
    )
    assert not {"Status", "Kind"} & set(found)


def _resolve(node, definitions: dict, depth: int = 0):
    """``node`` with every ``$ref`` replaced by its definition and titles dropped."""
    assert depth < 50, "a schema refers to itself too deeply"
    if isinstance(node, dict):
        if "$ref" in node:
            return _resolve(definitions[node["$ref"].rsplit("/", 1)[-1]], definitions, depth + 1)
        return {
            key: _resolve(value, definitions, depth + 1)
            for key, value in node.items()
            if key != "title"
        }
    if isinstance(node, list):
        return [_resolve(item, definitions, depth + 1) for item in node]
    return node


def _own_schema(model, *, mode: str, by_alias: bool = True) -> dict:
    """The schema pydantic writes for ``model`` alone (its ``$defs`` kept apart), resolved."""
    schema = model.model_json_schema(
        ref_template=REF_TEMPLATE,
        schema_generator=NinjaGenerateJsonSchema,
        mode=mode,
        by_alias=by_alias,
    )
    definitions = schema.pop("$defs", {})
    return _resolve(schema, definitions)


def test_each_response_is_described_by_the_class_the_operation_declares(published):
    components = published["components"]["schemas"]
    wrong = []
    for method, path, operation in _operations():
        for status, model in operation.response_models.items():
            if model is None or status is Ellipsis or model is NOT_SET:
                continue  # no body, or a file (a download) rather than JSON
            own = _own_schema(model, mode="serialization", by_alias=operation.by_alias)
            own = own["properties"]["response"]  # ninja wraps each response in one field
            documented = published["paths"][path][method]["responses"][str(status)]
            documented = _resolve(documented["content"]["application/json"]["schema"], components)
            if documented != own:
                wrong.append(f"{method.upper()} {path} {status}")
    assert wrong == []


def test_each_request_body_is_described_by_the_class_the_operation_declares(published):
    components = published["components"]["schemas"]
    wrong = []
    for method, path, operation in _operations():
        for model in operation.models:
            if model.__ninja_param_source__ != "body":
                continue
            own = _own_schema(model, mode="validation")
            documented = published["paths"][path][method]["requestBody"]["content"]
            documented = _resolve(documented["application/json"]["schema"], components)
            [expected] = own["properties"].values()  # ninja drops the one-field wrapper
            if documented != expected:
                wrong.append(f"{method.upper()} {path}")
    assert wrong == []


def _response_properties(published, path: str, method: str = "get", status: str = "200"):
    components = published["components"]["schemas"]
    schema = published["paths"][path][method]["responses"][status]["content"]["application/json"]
    schema = _resolve(copy.deepcopy(schema["schema"]), components)
    if schema.get("type") == "array":
        schema = schema["items"]
    if "items" in schema.get("properties", {}):  # a page: {"items": [...], "count": n}
        schema = schema["properties"]["items"]["items"]
    return set(schema["properties"])


def test_operations_named_in_the_attack_notes_show_their_own_fields(published):
    """Expected fields read off the classes in people/, mentoring/, interactions/, impact/."""
    assert {"declared_by_me", "closeness", "other"} <= _response_properties(
        published, "/api/relationships/"
    )
    assert {"program_id", "viewer_side", "agreement"} <= _response_properties(
        published, "/api/mentoring/relationships"
    )
    assert {"requester", "via", "target", "path"} <= _response_properties(
        published, "/api/introductions/{request_id}"
    )
    assert {"introduction_id", "relationship_id"} <= _response_properties(
        published, "/api/mentoring/relationships/{relationship_id}/introductions", "post", "201"
    )
    assert {"matching_mode", "weight_network"} <= _response_properties(
        published, "/api/mentoring/programs"
    )
    assert _response_properties(published, "/api/impact/programs") == {
        "id",
        "name",
        "status",
        "start_date",
        "end_date",
    }
    assert _response_properties(published, "/api/teams/") >= {"lead"}
    lead = published["components"]["schemas"]["TeamOut"]["properties"]["lead"]
    assert {"$ref": "#/components/schemas/PersonRefOut"} in lead["anyOf"]
    assert set(published["components"]["schemas"]["PersonRefOut"]["properties"]) == {
        "id",
        "full_name",
    }


@pytest.mark.parametrize(
    ("component", "values"),
    [
        ("ProgramStatus", ["draft", "active", "finished"]),
        ("ObjectiveStatus", ["active", "achieved", "dropped"]),
        ("ImportRunStatus", ["queued", "running", "succeeded", "failed"]),
        ("NudgeKind", ["overdue", "cooling", "follow_up", "bridge"]),
        ("TieRecomputeKind", ["full", "incremental"]),
        ("OrganizationKind", ["ours", "client", "partner", "supplier", "community", "other"]),
    ],
)
def test_choices_keep_their_own_values(published, component, values):
    """Each name keeps its own model's choices (copied here from the models' source)."""
    assert sorted(published["components"]["schemas"][component]["enum"]) == sorted(values)


#: Inputs that name a row by its id: query parameters and body fields.
ID_NAMES = {
    "person",
    "other",
    "organization",
    "team",
    "manager",
    "skill",
    "program",
    "objective",
    "via",
    "participants",
    "path",
    "people",
    "needed_skills",
    "needed_organizations",
    "needed_teams",
    "skills_wanted",
    "preferred_mentors",
    "excluded_people",
    "introductions",
    "interactions",
}


def _id_inputs(published):
    components = published["components"]["schemas"]
    for path, operations in published["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] in ID_NAMES:
                    yield f"{where} ?{parameter['name']}", parameter["schema"]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                yield from _id_fields(where, _resolve(body["schema"], components))


def _id_fields(where: str, schema: dict):
    for name, field in schema.get("properties", {}).items():
        if name in ID_NAMES or name.endswith("_id"):
            yield f"{where} {name}", field
        for option in [field, *field.get("anyOf", [])]:
            items = option.get("items", {})
            if items.get("type") == "object":
                yield from _id_fields(f"{where} {name}[]", items)


def _integers(schema: dict):
    for option in [schema, *schema.get("anyOf", [])]:
        if option.get("type") == "integer":
            yield option
        if option.get("type") == "array":
            yield from _integers(option["items"])


def test_every_id_in_a_query_or_a_body_is_a_positive_64_bit_integer(published):
    unbounded = []
    count = 0
    for where, schema in _id_inputs(published):
        for integer in _integers(schema):
            count += 1
            if integer.get("minimum") != 1 or integer.get("maximum") != MAX_ID:
                unbounded.append(where)
    assert unbounded == []
    assert count > 40, "the walk found the ids"


def test_pages_are_bounded(published):
    for path, operations in published["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] == "page":
                    assert parameter["schema"]["maximum"] == 1_000_000, path


def test_every_operation_documents_its_errors_with_their_bodies(published):
    undocumented = []
    for path, operations in published["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            expected = set()
            if operation.get("security"):
                expected |= {"401", "404"}
                if method in ("post", "put", "patch", "delete"):
                    expected.add("403")
            if operation.get("parameters") or "requestBody" in operation:
                expected.add("422")
            for status in expected:
                body = responses.get(status, {}).get("content", {}).get("application/json", {})
                name = "InvalidInputOut" if status == "422" else "ErrorOut"
                if body.get("schema") != {"$ref": f"#/components/schemas/{name}"}:
                    undocumented.append(f"{method.upper()} {path} {status}")
    assert undocumented == []
    token = published["paths"]["/api/auth/token"]["post"]["responses"]
    assert token["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    assert "security" not in published["paths"]["/api/auth/token"]["post"]
