"""A community's site on ``<code>.<base>`` (its own schema)."""

from django.urls import include, path

from communities import views
from config.urls_common import urlpatterns as common
from disclosure import views as disclosure_views

urlpatterns = [
    path("", views.home, name="home"),
    path("workspace/", disclosure_views.workspace, name="workspace"),
    path("workspace/profile/", views.profile_edit, name="profile_edit"),
    path("workspace/", include("disclosure.urls")),
    *common,
]
