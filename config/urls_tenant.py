"""A community's site on ``<code>.<base>`` (its own schema)."""

from django.urls import path

from communities import views
from config.urls_common import urlpatterns as common

urlpatterns = [
    path("", views.home, name="home"),
    path("workspace/", views.workspace, name="workspace"),
    *common,
]
