"""The OpenAPI schema and the interactive docs, served without any CDN."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

EXPECTED_PATHS = {
    "/api/audit/",
    "/api/people/matches/{review_id}/merge",
    "/api/people/merges",
    "/api/people/merges/{merge_id}/undo",
    "/api/people/{person_id}/approve",
    "/api/people/{person_id}/erase",
    "/api/people/{person_id}/export",
    "/api/analysis/runs",
    "/api/analysis/groups",
    "/api/analysis/people",
    "/api/analysis/people/{person_id}",
    "/api/analysis/map/groups",
    "/api/analysis/map/people",
    "/api/analysis/map/ego/{person_id}",
    "/api/auth/token",
    "/api/impact/dashboard/groups",
    "/api/impact/objectives",
    "/api/impact/objectives/{objective_id}",
    "/api/impact/objectives/{objective_id}/plan",
    "/api/impact/objectives/{objective_id}/return",
    "/api/impact/objectives/{objective_id}/shares",
    "/api/impact/objectives/{objective_id}/stakeholders",
    "/api/impact/outcomes",
    "/api/impact/outcomes/{outcome_id}",
    "/api/impact/outcomes/{outcome_id}/attribution",
    "/api/impact/programs",
    "/api/impact/programs/{program_id}",
    "/api/impact/programs/{program_id}/evaluate",
    "/api/impact/return",
    "/api/impact/shares/{share_id}",
    "/api/impact/stakeholders/{stakeholder_id}",
    "/api/mentoring/action-items/{item_id}",
    "/api/mentoring/assessments",
    "/api/mentoring/assessments/{assessment_id}",
    "/api/mentoring/assessments/{assessment_id}/submit",
    "/api/mentoring/enrollments/{enrollment_id}",
    "/api/mentoring/frameworks",
    "/api/mentoring/frameworks/{framework_id}",
    "/api/mentoring/frameworks/{framework_id}/versions",
    "/api/mentoring/frameworks/{framework_id}/versions/{number}",
    "/api/mentoring/practice-plans/{plan_id}",
    "/api/mentoring/programs",
    "/api/mentoring/programs/{program_id}",
    "/api/mentoring/programs/{program_id}/assessment-rounds",
    "/api/mentoring/programs/{program_id}/dashboard",
    "/api/mentoring/programs/{program_id}/enrollment",
    "/api/mentoring/programs/{program_id}/enrollments",
    "/api/mentoring/programs/{program_id}/finish",
    "/api/mentoring/programs/{program_id}/matching",
    "/api/mentoring/programs/{program_id}/matching/overrides",
    "/api/mentoring/programs/{program_id}/matching/overrides/{override_id}",
    "/api/mentoring/programs/{program_id}/matching/publish",
    "/api/mentoring/programs/{program_id}/matching/run",
    "/api/mentoring/programs/{program_id}/suggestions",
    "/api/mentoring/programs/{program_id}/suggestions/request",
    "/api/mentoring/relationships",
    "/api/mentoring/relationships/{relationship_id}",
    "/api/mentoring/relationships/{relationship_id}/action-items",
    "/api/mentoring/relationships/{relationship_id}/agreement",
    "/api/mentoring/relationships/{relationship_id}/assessments",
    "/api/mentoring/relationships/{relationship_id}/end",
    "/api/mentoring/relationships/{relationship_id}/fit-check",
    "/api/mentoring/relationships/{relationship_id}/introductions",
    "/api/mentoring/relationships/{relationship_id}/practice-plans",
    "/api/mentoring/relationships/{relationship_id}/progress",
    "/api/mentoring/relationships/{relationship_id}/respond",
    "/api/mentoring/relationships/{relationship_id}/sessions",
    "/api/mentoring/sessions/{session_id}",
    "/api/mentoring/sessions/{session_id}/feedback",
    "/api/mentoring/sessions/{session_id}/notes",
    "/api/auth/me",
    "/api/auth/tokens",
    "/api/auth/tokens/{token_id}",
    "/api/people/",
    "/api/people/{person_id}",
    "/api/people/{person_id}/skills",
    "/api/relationships/",
    "/api/relationships/{relationship_id}",
    "/api/interactions/",
    "/api/interactions/{interaction_id}",
    "/api/organizations/",
    "/api/teams/",
    "/api/skills/",
    "/api/imports/",
    "/api/imports/{run_id}",
    "/api/imports/{run_id}/report",
    "/api/people/expertise",
    "/api/introductions/",
    "/api/introductions/paths",
    "/api/introductions/{request_id}",
    "/api/introductions/{request_id}/respond",
    "/api/introductions/{request_id}/withdraw",
    "/api/introductions/{request_id}/outcome",
    "/api/network/portfolio",
    "/api/network/portfolio/{person_id}",
    "/api/network/summary",
    "/api/network/nudges",
    "/api/network/nudges/{nudge_id}/dismiss",
    "/api/network/nudges/{nudge_id}/snooze",
    "/api/network/recompute",
    "/api/network/recompute/{recompute_id}",
}


def test_openapi_schema_lists_every_path(client):
    response = client.get("/api/openapi.json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Bridgework API"
    assert set(schema["paths"]) == EXPECTED_PATHS


def test_openapi_schema_documents_auth_and_pagination(client):
    schema = client.get("/api/openapi.json").json()

    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"} in [
        {k: v for k, v in s.items() if k in ("type", "scheme")} for s in schemes.values()
    ]
    assert "security" not in schema["paths"]["/api/auth/token"]["post"]
    assert schema["paths"]["/api/people/"]["get"]["security"]
    params = {p["name"] for p in schema["paths"]["/api/people/"]["get"]["parameters"]}
    assert {"page", "page_size", "q", "engagement_type", "organization", "team", "skill"} <= params


def test_docs_page_loads_assets_from_our_static_files(client):
    response = client.get("/api/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"https?://", html), "the docs must not load anything from a CDN"
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a static file"
