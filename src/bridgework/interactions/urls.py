"""Pages for interactions people log by hand, imports, and warm introductions."""

from django.urls import path

from bridgework.interactions import views

app_name = "interactions"

urlpatterns = [
    path("new/", views.interaction_create, name="create"),
    path("<int:pk>/", views.interaction_detail, name="detail"),
    path("<int:pk>/edit/", views.interaction_edit, name="edit"),
    path("<int:pk>/delete/", views.interaction_delete, name="delete"),
    path("import/", views.import_start, name="import"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("introductions/", views.introduction_list, name="introductions"),
    path("introductions/new/", views.introduction_create, name="introduction_create"),
    path("introductions/<int:pk>/", views.introduction_detail, name="introduction_detail"),
    path(
        "introductions/<int:pk>/respond/", views.introduction_respond, name="introduction_respond"
    ),
    path(
        "introductions/<int:pk>/withdraw/",
        views.introduction_withdraw,
        name="introduction_withdraw",
    ),
    path(
        "introductions/<int:pk>/outcome/", views.introduction_outcome, name="introduction_outcome"
    ),
]
