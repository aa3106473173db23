"""Pages of the network app: my relationships (portfolio), nudges, finding expertise and
my network preferences."""

from django.urls import path

from bridgework.network import views

app_name = "network"

urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("portfolio/<int:person_id>/tier/", views.portfolio_tier, name="portfolio_tier"),
    path("nudges/<int:pk>/dismiss/", views.nudge_dismiss, name="nudge_dismiss"),
    path("nudges/<int:pk>/snooze/", views.nudge_snooze, name="nudge_snooze"),
    path("recompute/", views.recompute, name="recompute"),
    path("expertise/", views.expertise, name="expertise"),
    path("preferences/", views.network_preferences, name="preferences"),
]
