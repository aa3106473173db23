"""Top-level URL map: pages per app, the REST API under /api/, Django admin."""

from django.contrib import admin
from django.urls import include, path

from bridgework.config.api import api

admin.site.site_header = "Bridgework administration"
admin.site.site_title = "Bridgework admin"
admin.site.index_title = "Accounts, people and data"

urlpatterns = [
    path("", include("bridgework.people.urls")),
    path("accounts/", include("bridgework.accounts.urls")),
    path("interactions/", include("bridgework.interactions.urls")),
    path("network/", include("bridgework.network.urls")),
    path("analysis/", include("bridgework.analysis.urls")),
    path("mentoring/", include("bridgework.mentoring.urls")),
    path("impact/", include("bridgework.impact.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
