"""Top-level URL map: pages per app, the REST API under /api/, Django admin."""

from django.contrib import admin
from django.urls import include, path

from bridgework.config.api import api

urlpatterns = [
    path("", include("bridgework.people.urls")),
    path("accounts/", include("bridgework.accounts.urls")),
    path("interactions/", include("bridgework.interactions.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
