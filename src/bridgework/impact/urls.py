"""Pages of the impact app: objectives and plans, outcomes, return on impact, programs, report."""

from django.urls import path

from bridgework.impact import views

app_name = "impact"

urlpatterns = [
    path("", views.objectives, name="objectives"),
    path("objectives/new/", views.objective_create, name="objective_create"),
    path("objectives/<int:pk>/", views.objective_detail, name="objective_detail"),
    path("objectives/<int:pk>/edit/", views.objective_edit, name="objective_edit"),
    path("objectives/<int:pk>/delete/", views.objective_delete, name="objective_delete"),
    path("objectives/<int:pk>/share/", views.objective_share, name="objective_share"),
    path("shares/<int:pk>/remove/", views.share_remove, name="share_remove"),
    path("objectives/<int:pk>/stakeholders/", views.stakeholder_add, name="stakeholder_add"),
    path("stakeholders/<int:pk>/", views.stakeholder_edit, name="stakeholder_edit"),
    path("stakeholders/<int:pk>/remove/", views.stakeholder_remove, name="stakeholder_remove"),
    path("outcomes/new/", views.outcome_create, name="outcome_create"),
    path("outcomes/<int:pk>/", views.outcome_detail, name="outcome_detail"),
    path("outcomes/<int:pk>/edit/", views.outcome_edit, name="outcome_edit"),
    path("outcomes/<int:pk>/delete/", views.outcome_delete, name="outcome_delete"),
    path("return/", views.my_return, name="my_return"),
    path("teams/", views.groups, name="groups"),
    path("programs/", views.program_list, name="programs"),
    path("programs/<int:pk>/", views.program_detail, name="program_detail"),
    path("programs/<int:pk>/evaluate/", views.program_evaluate, name="program_evaluate"),
    path("report.<str:fmt>", views.impact_report, name="report"),
]
