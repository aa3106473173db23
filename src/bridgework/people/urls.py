"""Pages about people: my network, the directory, profiles and relationships."""

from django.urls import path
from django.views.generic import RedirectView

from bridgework.people import views

app_name = "people"

urlpatterns = [
    path("", views.home, name="home"),
    path("people/", views.directory, name="directory"),
    path("people/new/", views.person_create, name="create"),
    # Finding expertise moved to the network app (it ranks by reach over ties).
    path(
        "people/expertise/",
        RedirectView.as_view(pattern_name="network:expertise", query_string=True, permanent=True),
    ),
    path("people/matches/", views.match_review_list, name="match_reviews"),
    path("people/matches/<int:pk>/merge/", views.match_review_merge, name="match_review_merge"),
    path(
        "people/matches/<int:pk>/dismiss/", views.match_review_dismiss, name="match_review_dismiss"
    ),
    path("people/merges/", views.merge_history, name="merges"),
    path("people/merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
    path("people/<int:pk>/", views.person_detail, name="detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="edit"),
    path("people/<int:pk>/merge/", views.person_merge, name="merge"),
    path("people/<int:pk>/approve/", views.person_approve, name="approve"),
    path("people/<int:pk>/export/", views.person_export, name="export"),
    path("people/<int:pk>/erase/", views.person_erase, name="erase"),
    path("people/<int:pk>/skills/declare/", views.skill_declare, name="skill_declare"),
    path("people/<int:pk>/skills/endorse/", views.skill_endorse, name="skill_endorse"),
    path("relationships/new/", views.relationship_create, name="relationship_create"),
    path("relationships/<int:pk>/edit/", views.relationship_edit, name="relationship_edit"),
    path("relationships/<int:pk>/delete/", views.relationship_delete, name="relationship_delete"),
]
