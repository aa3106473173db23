"""The mentoring API with bearer tokens: the same rules as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bridgework.accounts.services import api_token_create
from bridgework.mentoring.frameworks import DEFAULT_FRAMEWORK_PATH
from bridgework.mentoring.models import BehaviorFramework, Program

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "Not found."}


def bearer(user) -> dict[str, str]:
    _, raw = api_token_create(user=user, name="tests")
    return {"Authorization": f"Bearer {raw}"}


def get(client, url, user, **params):
    return client.get(url, params, headers=bearer(user))


def send(client, method, url, user, data=None):
    return getattr(client, method)(
        url, data or {}, content_type="application/json", headers=bearer(user)
    )


def test_a_program_from_creation_to_published_matches(client, org):
    today = timezone.now().date()
    response = send(
        client,
        "post",
        "/api/mentoring/programs",
        org.pat,
        {
            "name": "API cohort",
            "goal": "Grow.",
            "start_date": str(today),
            "end_date": str(today + dt.timedelta(days=90)),
        },
    )
    assert response.status_code == 201, response.json()
    program = response.json()
    assert program["status"] == "draft" and program["matching_mode"] == "manager"
    pid = program["id"]
    assert get(client, f"/api/mentoring/programs/{pid}", org.mia).status_code == 404  # a draft
    assert (
        send(
            client, "post", f"/api/mentoring/programs/{pid}/enrollment", org.mia, {"open": True}
        ).status_code
        == 404
    )
    opened = send(
        client, "post", f"/api/mentoring/programs/{pid}/enrollment", org.pat, {"open": True}
    )
    assert opened.json()["enrollment_open"] is True and opened.json()["status"] == "active"
    joined = send(
        client,
        "post",
        f"/api/mentoring/programs/{pid}/enrollments",
        org.mia,
        {
            "role": "mentee",
            "behaviors_to_develop": ["presenting_yourself"],
            "needed_teams": [org.green.pk],
        },
    )
    assert joined.status_code == 201, joined.json()
    assert joined.json()["needed_teams"] == [org.green.pk]
    mentor = send(
        client,
        "post",
        f"/api/mentoring/programs/{pid}/enrollments",
        org.max,
        {"role": "mentor", "capacity": 2},
    )
    assert mentor.status_code == 201
    bad = send(
        client, "post", f"/api/mentoring/programs/{pid}/enrollments", org.oscar, {"role": "mentor"}
    )
    assert bad.status_code == 422 and "role" in bad.json()["errors"]
    run = send(client, "post", f"/api/mentoring/programs/{pid}/matching/run", org.pat)
    assert run.status_code == 201
    body = run.json()
    [match] = body["matches"]
    assert match["mentor"]["full_name"] == "Max Mentor"
    assert set(match["parts"]) >= {"behavior", "network", "skills", "preferences"}
    assert match["explanation"].startswith("Max Mentor for Mia Mentee")
    review = get(client, f"/api/mentoring/programs/{pid}/matching", org.pat).json()
    assert review["run"]["id"] == body["id"] and review["mentees_waiting"] == 1
    veto = send(
        client,
        "post",
        f"/api/mentoring/programs/{pid}/matching/overrides",
        org.pat,
        {
            "mentee_enrollment_id": match["mentee_enrollment_id"],
            "mentor_enrollment_id": match["mentor_enrollment_id"],
            "kind": "veto",
        },
    )
    assert veto.status_code == 201
    assert (
        send(client, "post", f"/api/mentoring/programs/{pid}/matching/run", org.pat).json()[
            "matches"
        ]
        == []
    )
    removed = client.delete(
        f"/api/mentoring/programs/{pid}/matching/overrides/{veto.json()['id']}",
        headers=bearer(org.pat),
    )
    assert removed.status_code == 204
    run = send(client, "post", f"/api/mentoring/programs/{pid}/matching/run", org.pat).json()
    published = send(
        client,
        "post",
        f"/api/mentoring/programs/{pid}/matching/publish",
        org.pat,
        {"run_id": run["id"]},
    )
    assert published.status_code == 200 and len(published.json()) == 1
    mine = get(client, "/api/mentoring/relationships", org.mia).json()
    assert [(r["mentor"]["full_name"], r["viewer_side"]) for r in mine] == [
        ("Max Mentor", "mentee")
    ]
    dashboard = get(client, f"/api/mentoring/programs/{pid}/dashboard", org.pat)
    assert dashboard.status_code == 200 and dashboard.json()["participation"]["active_pairs"] == 1
    assert get(client, f"/api/mentoring/programs/{pid}/dashboard", org.mia).status_code == 404


def test_the_relationship_api(client, org, pair):
    rid = pair.pk
    url = f"/api/mentoring/relationships/{rid}"
    assert get(client, url, org.oscar).json() == NOT_FOUND
    manager_view = get(client, url, org.pat).json()
    assert manager_view["viewer_side"] == "manager" and manager_view["agreement"]["goals"] is None
    assert get(client, url, org.mia).json()["agreement"]["goals"] == "Win the Acme renewal."
    shared = send(
        client,
        "patch",
        f"{url}/agreement",
        org.mia,
        {"share_network_with_mentor": True, "agree": True},
    )
    assert shared.json()["agreement"]["share_network_with_mentor"] is True
    refused = send(
        client, "patch", f"{url}/agreement", org.max, {"share_network_with_mentor": False}
    )
    assert refused.status_code == 422
    when = (timezone.now() - dt.timedelta(days=2)).isoformat()
    session = send(
        client,
        "post",
        f"{url}/sessions",
        org.max,
        {"scheduled_at": when, "held": True, "behaviors_practiced": ["giving_value_first"]},
    )
    assert session.status_code == 201, session.json()
    sid = session.json()["id"]
    assert (
        send(client, "post", f"{url}/sessions", org.pat, {"scheduled_at": when}).status_code == 404
    )
    send(client, "post", f"/api/mentoring/sessions/{sid}/notes", org.max, {"text": "MAX-PRIVATE"})
    send(
        client,
        "post",
        f"/api/mentoring/sessions/{sid}/notes",
        org.max,
        {"text": "MAX-SHARED", "visibility": "shared"},
    )
    notes = get(client, f"/api/mentoring/sessions/{sid}/notes", org.mia).json()
    assert [n["text"] for n in notes] == ["MAX-SHARED"]
    assert get(client, f"/api/mentoring/sessions/{sid}/notes", org.pat).json() == NOT_FOUND
    feedback = send(
        client, "post", f"/api/mentoring/sessions/{sid}/feedback", org.mia, {"rating": 5}
    )
    assert feedback.status_code == 201
    item = send(
        client,
        "post",
        f"{url}/action-items",
        org.max,
        {"title": "Call Ann", "due_on": str(timezone.now().date() - dt.timedelta(days=1))},
    ).json()
    assert item["overdue"] is True and item["owner"]["id"] == org.mia.person_id
    done = send(
        client, "patch", f"/api/mentoring/action-items/{item['id']}", org.mia, {"done": True}
    ).json()
    assert done["done_at"] is not None and done["overdue"] is False
    plan = send(
        client,
        "post",
        f"{url}/practice-plans",
        org.mia,
        {"behavior_key": "real_time_conversations", "conversation": "Call Ann"},
    ).json()
    reflected = send(
        client,
        "patch",
        f"/api/mentoring/practice-plans/{plan['id']}",
        org.mia,
        {"reflection": "Went well."},
    ).json()
    assert reflected["status"] == "reflected"
    intro = send(
        client,
        "post",
        f"{url}/introductions",
        org.max,
        {"target_id": org.ann.pk, "message": "Meet Ann."},
    )
    assert intro.status_code == 201 and intro.json()["status"] == "accepted"
    assert (
        get(client, f"/api/introductions/{intro.json()['introduction_id']}", org.mia).status_code
        == 200
    )


def test_assessments_and_progress_over_the_api(client, org, pair):
    url = f"/api/mentoring/relationships/{pair.pk}"
    asked = send(client, "post", f"{url}/assessments", org.mia, {"kind": "self", "round": "start"})
    assert asked.status_code == 201
    aid = asked.json()["id"]
    assert [a["id"] for a in get(client, "/api/mentoring/assessments", org.mia).json()] == [aid]
    keys = pair.program.framework_version.behavior_keys
    incomplete = send(
        client,
        "post",
        f"/api/mentoring/assessments/{aid}/submit",
        org.mia,
        {"ratings": {keys[0]: 3}},
    )
    assert incomplete.status_code == 422
    done = send(
        client,
        "post",
        f"/api/mentoring/assessments/{aid}/submit",
        org.mia,
        {"ratings": {k: 3 for k in keys}, "notes": {keys[0]: "MIA-NOTE"}},
    )
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    assert get(client, f"/api/mentoring/assessments/{aid}", org.oscar).json() == NOT_FOUND
    manager = get(client, f"/api/mentoring/assessments/{aid}", org.pat).json()
    assert manager["ratings"][0]["note"] is None and manager["ratings"][0]["level"] == 3
    progress = get(client, f"{url}/progress", org.mia).json()
    assert progress["rounds"][0]["key"] == "start"
    assert progress["behaviors"][0]["series"]["self"] == [3.0]
    assert progress["network"] is not None  # the mentee's own
    assert get(client, f"{url}/progress", org.max).json()["network"] is None  # not shared
    assert get(client, f"{url}/progress", org.pat).json()["network"] is None


def test_frameworks_over_the_api(client, org):
    frameworks = get(client, "/api/mentoring/frameworks", org.mia).json()
    assert frameworks[0]["is_default"] and len(frameworks[0]["latest"]["behaviors"]) == 8
    text = DEFAULT_FRAMEWORK_PATH.read_text().replace("slug: strategic-relationships", "slug: ours")
    bad = send(
        client, "post", "/api/mentoring/frameworks", org.pat, {"yaml": "name: X\nbehaviors: []\n"}
    )
    assert bad.status_code == 422 and "line 2, behaviors" in bad.json()["errors"]["content"][0]
    assert (
        send(client, "post", "/api/mentoring/frameworks", org.mia, {"yaml": text}).status_code
        == 404
    )
    created = send(client, "post", "/api/mentoring/frameworks", org.pat, {"yaml": text})
    assert created.status_code == 201 and created.json()["number"] == 1
    framework = BehaviorFramework.objects.get(slug="ours")
    edited = send(
        client,
        "post",
        f"/api/mentoring/frameworks/{framework.pk}/versions",
        org.pat,
        {"yaml": text, "note": "v2"},
    )
    assert edited.json()["number"] == 2
    assert (
        get(client, f"/api/mentoring/frameworks/{framework.pk}/versions/1", org.mia).status_code
        == 200
    )


def test_self_matching_over_the_api(client, org, program, enrolled):
    Program.objects.filter(pk=program.pk).update(matching_mode="self")
    suggestions = get(client, f"/api/mentoring/programs/{program.pk}/suggestions", org.mia).json()
    assert [s["mentor"]["full_name"] for s in suggestions] == ["Max Mentor", "Nora Mentor"]
    assert suggestions[0]["explanation"].startswith("Max Mentor for Mia Mentee")
    asked = send(
        client,
        "post",
        f"/api/mentoring/programs/{program.pk}/suggestions/request",
        org.mia,
        {"mentor_id": org.max.person_id},
    )
    assert asked.status_code == 201 and asked.json()["status"] == "requested"
    rid = asked.json()["id"]
    answer = send(
        client, "post", f"/api/mentoring/relationships/{rid}/respond", org.max, {"accept": True}
    )
    assert answer.json()["status"] == "active"
    fit = send(client, "post", f"/api/mentoring/relationships/{rid}/fit-check", org.mia, {"fit": 4})
    assert fit.status_code == 422  # no sessions held yet
