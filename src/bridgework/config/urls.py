"""Top-level URL map: pages per app, the REST API under /api/, Django admin."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

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
    # Pages name their icon; Django's admin and the standalone reports do not,
    # and browsers then ask for /favicon.ico.
    path(
        "favicon.ico",
        RedirectView.as_view(url=static("bridgework/favicon.svg"), permanent=True),
        name="favicon",
    ),
]

# Errors outside any endpoint answer JSON under /api/ and the usual pages elsewhere.
handler404 = "bridgework.config.api.page_not_found"
handler500 = "bridgework.config.api.server_error"
