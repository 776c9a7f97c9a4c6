"""The residents' portal on a community's sub-domain (no login)."""

from django.urls import path

from communities import views as community_views

app_name = "portal"

urlpatterns = [
    path("", community_views.home, name="home"),
]
