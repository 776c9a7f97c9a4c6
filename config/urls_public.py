"""The street-office site on the base domain (public schema)."""

from django.contrib import admin
from django.urls import include, path, re_path

from api import views as api_views
from config.urls_common import urlpatterns as common
from inspection.views import public_site

admin.site.site_header = "公开 · 街道管理后台"
admin.site.site_title = "公开"
admin.site.index_title = "管理"

urlpatterns = [
    path("", public_site.home, name="home"),
    path("disclosures/", public_site.disclosures, name="public_disclosures"),
    path("complaints/", include("inspection.urls_complaints")),
    path("finder/", include("finder.urls")),
    path("admin/", admin.site.urls),
    path("inspection/", include("inspection.urls")),
    path("briefings/", include("inspection.urls_briefings")),
    path("api/v1/", include("api.urls")),
    re_path(r"^api/", api_views.NotFoundView.as_view()),  # other versions: a 404 problem, not a page
    *common,
]
