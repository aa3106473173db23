"""Pages of the analysis app: the organization's network, the people behind it, maps, reports."""

from django.urls import path

from bridgework.analysis import views

app_name = "analysis"

urlpatterns = [
    path("", views.organization, name="organization"),
    path("people/", views.people, name="people"),
    path("people.csv", views.people_csv, name="people_csv"),
    path("run/", views.run_start, name="run_start"),
    path("status/", views.run_status, name="run_status"),
    path("map/<str:kind>.json", views.map_json, name="map"),
    path("ego/<int:person_id>.json", views.ego_json, name="ego"),
    path("report.<str:fmt>", views.report, name="report"),
]
