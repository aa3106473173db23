"""Pages for interactions people log by hand."""

from django.urls import path

from bridgework.interactions import views

app_name = "interactions"

urlpatterns = [
    path("new/", views.interaction_create, name="create"),
    path("<int:pk>/", views.interaction_detail, name="detail"),
    path("<int:pk>/edit/", views.interaction_edit, name="edit"),
    path("<int:pk>/delete/", views.interaction_delete, name="delete"),
]
