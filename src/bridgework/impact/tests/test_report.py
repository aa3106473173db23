"""The impact report: HTML and PDF, personal and leader versions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bridgework.impact import report, services
from bridgework.impact.services import ContributorIn
from bridgework.testsupport import require_pdf_renderer

from .conftest import days_ago, event, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(org):
    write(
        event(org.mia.person, org.betas[3], day=days_ago(40), minutes=90),
        *(event(p, org.alphas[0], day=days_ago(10)) for p in org.alphas[1:]),
    )
    objective = services.objective_create(actor=org.mia, title="Partner integration")
    services.stakeholder_add(actor=org.mia, objective=objective, person=org.partners[0])
    services.outcome_log(
        actor=org.mia,
        kind="deal",
        title="Pilot signed",
        value="900",
        unit="money",
        occurred_on=days_ago(5),
        objective=objective,
        contributors=[ContributorIn(person=org.betas[3])],
    )


def test_the_personal_report_in_html(client, org, history):
    client.force_login(org.mia)
    response = client.get(reverse("impact:report", args=["html"]), {"audience": "personal"})
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith("<!DOCTYPE html>")
    assert "Mia Member" in html and "Partner integration" in html and "Pilot signed" in html
    assert '<svg class="chart"' in html
    assert "personal version" in html


def test_the_leader_report_has_groups_and_no_names(client, org, history):
    html = report.render_impact_report(viewer=org.lea, audience="leader")
    assert "leader version" in html and "Privacy: groups only" in html
    for person in [*org.alphas, *org.betas, *org.gammas, *org.partners]:
        assert person.full_name not in html
    assert "Pilot signed" not in html and "Partner integration" not in html


def test_reports_as_pdf(client, org, history):
    require_pdf_renderer()
    client.force_login(org.mia)
    response = client.get(reverse("impact:report", args=["pdf"]), {"audience": "personal"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="impact-report-personal.pdf"' in response["Content-Disposition"]
    client.force_login(org.lea)
    response = client.get(reverse("impact:report", args=["pdf"]), {"audience": "leader"})
    assert response.content.startswith(b"%PDF")


def test_who_gets_which_report(client, org):
    client.force_login(org.mia)
    assert (
        client.get(reverse("impact:report", args=["html"]), {"audience": "leader"}).status_code
        == 404
    )
    assert client.get(reverse("impact:report", args=["docx"])).status_code == 404
    client.force_login(org.lea)  # a leader without a person has no personal report
    assert (
        client.get(reverse("impact:report", args=["html"]), {"audience": "personal"}).status_code
        == 404
    )


def test_a_missing_pdf_library_is_explained(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    with pytest.raises(RuntimeError, match="Pango"):
        report.html_to_pdf("<p>x</p>")
