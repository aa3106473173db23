"""Pages for interactions people log by hand, and for imports."""

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
]
