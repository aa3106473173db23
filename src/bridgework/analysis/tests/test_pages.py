"""Pages of the analysis app through the test client."""

from __future__ import annotations

import pytest

from bridgework import factories
from bridgework.accounts.models import Role
from bridgework.analysis.models import AnalysisRun
from bridgework.testsupport import require_pdf_renderer

pytestmark = pytest.mark.django_db


def test_the_organization_page_shows_groups_to_a_leader(client, org, ran, leader):
    client.force_login(leader)
    response = client.get("/analysis/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Key findings" in html and "Beta" in html
    assert "Gamma" not in html
    for person in org.a + org.b + org.c:
        assert person.full_name not in html
    assert 'data-map-url="/analysis/map/groups.json"' in html


def test_the_organization_page_is_not_for_members(client, org, ran, member):
    client.force_login(member)
    for url in (
        "/analysis/",
        "/analysis/people/",
        "/analysis/people.csv",
        "/analysis/map/people.json",
    ):
        assert client.get(url).status_code == 404, url


def test_before_any_run_the_page_says_so(client, org, leader):
    client.force_login(leader)
    assert "No network analysis has been run yet" in client.get("/analysis/").content.decode()


def test_the_people_page_and_csv_for_an_analyst(
    client, org, ran, analyst, django_assert_max_num_queries
):
    client.force_login(analyst)
    with django_assert_max_num_queries(12):
        html = client.get("/analysis/people/").content.decode()
    assert "Top brokers" in html and org.bo.full_name in html
    csv_text = client.get("/analysis/people.csv").content.decode()
    assert csv_text.splitlines()[0].startswith("person,label,team")
    assert len(csv_text.splitlines()) == 15
    data = client.get("/analysis/map/people.json").json()
    assert len(data["nodes"]["id"]) == 14 and data["edges"]["source"]


def test_analysts_start_runs_leaders_cannot(
    client, org, analyst, leader, django_capture_on_commit_callbacks
):
    client.force_login(leader)
    assert client.post("/analysis/run/").status_code == 404
    client.force_login(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/analysis/run/")
    assert response.status_code == 302
    assert AnalysisRun.objects.get().status == "succeeded"


def test_reports_from_the_page(client, org, ran, leader, analyst):
    client.force_login(leader)
    html = client.get("/analysis/report.html").content.decode()
    assert "Beta" in html and org.bo.full_name not in html
    assert client.get("/analysis/report.html?audience=analyst").status_code == 404
    assert client.get("/analysis/report.docx").status_code == 404
    require_pdf_renderer()
    pdf = client.get("/analysis/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(analyst)
    assert org.bo.full_name in client.get("/analysis/report.html?audience=analyst").content.decode()


def test_a_profile_shows_network_position_to_the_person_only(client, org, ran):
    me = factories.UserFactory(person=org.ada, roles=[Role.MEMBER])
    other = factories.UserFactory(person=org.bo, roles=[Role.MEMBER])
    client.force_login(me)
    mine = client.get(f"/people/{org.ada.pk}/").content.decode()
    assert "Network position" in mine and f'data-map-url="/analysis/ego/{org.ada.pk}.json"' in mine
    client.force_login(other)
    theirs = client.get(f"/people/{org.ada.pk}/").content.decode()
    assert "Network position" not in theirs
    assert client.get(f"/analysis/ego/{org.ada.pk}.json").status_code == 404
