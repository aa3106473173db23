"""Every possible duplicate the demo leaves for review can be merged, and undone.

The demo's imports meet namesakes of people in the directory and list each
pair for review (``MatchReview``). The people listed have network metrics,
ties and places in someone's portfolio, which once made every one of these
merges fail. Here each is merged by a people analyst (two from the review
page, one through the API), and each undo must put back every row that named
either person, exactly as the database held it before the merge; ties,
nudges and network metrics are results and are recomputed instead.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q
from django.forms.models import model_to_dict
from django.urls import reverse

from bridgework import factories
from bridgework.accounts.models import Role
from bridgework.accounts.services import api_token_create
from bridgework.analysis.models import AnalysisRun
from bridgework.demo import demo_load
from bridgework.impact.models import PathStep
from bridgework.network.models import Nudge, PortfolioEntry, Tie, TieRecompute
from bridgework.people.models import MatchReview, Person, PersonMerge

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 2)


def rows_naming(person_id: int) -> dict[str, list[dict]]:
    """Every row of every table that points at the person, but the results a
    recomputation writes (ties, nudges) and the merge records themselves."""
    found: dict[str, list[dict]] = {}
    for relation in Person._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete or relation.many_to_many:
            continue
        model = relation.related_model
        if model in (Tie, Nudge, PersonMerge):
            continue
        rows = model._base_manager.filter(**{relation.field.name: person_id}).order_by("pk")
        if rows:
            found[f"{model.__name__}.{relation.field.name}"] = [
                # Paths are derived from an outcome's links: compared by what they say.
                {
                    "outcome": row.path.outcome_id,
                    "path": row.path.position,
                    **model_to_dict(row, exclude=["id", "path"]),
                }
                if model is PathStep
                else {"pk": row.pk, **model_to_dict(row)}
                for row in rows
            ]
    return found


def partners(person_id: int) -> set[int]:
    ties = Tie.objects.filter(Q(person_a_id=person_id) | Q(person_b_id=person_id))
    return {t.person_b_id if t.person_a_id == person_id else t.person_a_id for t in ties}


def test_each_demo_duplicate_merges_and_the_undo_restores_it(
    client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.EVENT_STORE_PATH = tmp_path / "events.duckdb"
    demo_load(seed=7, today=TODAY)
    analyst = factories.UserFactory(
        username="dup-analyst", roles=[Role.PEOPLE_ANALYST], person=None
    )
    _, token = api_token_create(user=analyst, name="tests")
    api = {"Authorization": f"Bearer {token}"}
    client.force_login(analyst)
    reviews = list(MatchReview.objects.filter(status=MatchReview.Status.PENDING).order_by("pk"))
    assert len(reviews) == 3
    # What made them fail: each person merged away has rows a merge must move or recompute.
    assert all(Person.objects.get(pk=r.new_person_id).network_metrics.exists() for r in reviews)
    assert any(PortfolioEntry.objects.filter(other_id=r.new_person_id).exists() for r in reviews)

    for number, review in enumerate(reviews):
        keep_id, drop_id = review.candidate_id, review.new_person_id
        before = {"keep": rows_naming(keep_id), "drop": rows_naming(drop_id)}
        drop_row = model_to_dict(Person.objects.get(pk=drop_id))
        drop_partners = partners(drop_id)
        portfolio_about_drop = list(
            PortfolioEntry.objects.filter(other_id=drop_id).values_list("pk", flat=True)
        )
        recomputes = TieRecompute.objects.count()

        with django_capture_on_commit_callbacks(execute=True):
            if number == 1:
                response = client.post(f"/api/people/matches/{review.pk}/merge", headers=api)
                assert response.status_code == 201, response.content
                assert response.json()["dropped_person_id"] == drop_id
            else:
                response = client.post(reverse("people:match_review_merge", args=[review.pk]))
                assert response.status_code == 302, response.content
        merge = PersonMerge.objects.get(keep_id=keep_id, dropped_person_id=drop_id)
        assert not Person.objects.filter(pk=drop_id).exists()
        assert rows_naming(drop_id) == {}
        # Someone's portfolio entry about the duplicate is about the kept person now.
        assert set(
            PortfolioEntry.objects.filter(pk__in=portfolio_about_drop).values_list(
                "other_id", flat=True
            )
        ) <= {keep_id}
        # The kept person's ties were recomputed, the duplicate's partners included.
        recompute = TieRecompute.objects.order_by("-id").first()
        assert TieRecompute.objects.count() == recomputes + 1
        assert (recompute.people, recompute.status) == ([keep_id], "succeeded")
        assert drop_partners - {keep_id} <= partners(keep_id)
        # And a fresh network analysis ran over the merged network.
        latest = AnalysisRun.objects.order_by("-id").first()
        assert latest.status == "succeeded", latest.error
        assert not latest.person_metrics.filter(person_id=drop_id).exists()

        with django_capture_on_commit_callbacks(execute=True):
            if number == 1:
                response = client.post(f"/api/people/merges/{merge.pk}/undo", headers=api)
                assert response.status_code == 200, response.content
            else:
                response = client.post(reverse("people:merge_undo", args=[merge.pk]))
                assert response.status_code == 302, response.content
        assert model_to_dict(Person.objects.get(pk=drop_id)) == drop_row
        after = {"keep": rows_naming(keep_id), "drop": rows_naming(drop_id)}
        # Metrics of runs replaced since the merge are results of the new runs instead.
        for side in ("keep", "drop"):
            for name in ("PersonMetric.person",):
                runs = set(AnalysisRun.objects.values_list("id", flat=True))
                for rows in (before[side], after[side]):
                    if name in rows:
                        rows[name] = [
                            r for r in rows[name] if r["run"] in runs and r["run"] < latest.pk
                        ]
        assert after == before
        assert partners(drop_id) == drop_partners
