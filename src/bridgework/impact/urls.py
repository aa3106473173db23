"""Pages of the impact app."""

from django.urls import path  # noqa: F401

app_name = "impact"

urlpatterns: list = []
