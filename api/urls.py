from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api import views, views_ledger, views_reports

router = SimpleRouter()
router.register("street-offices", views_reports.StreetOfficeViewSet, basename="street-office")
router.register("communities", views_reports.CommunityViewSet, basename="community")
router.register("compliance", views_reports.ComplianceViewSet, basename="compliance")
router.register("assessments", views_reports.AssessmentViewSet, basename="assessment")
router.register("spot-checks", views_reports.SpotCheckViewSet, basename="spot-check")
router.register("surveys", views_reports.SurveyViewSet, basename="survey")
router.register("rectifications", views_reports.RectificationViewSet, basename="rectification")
router.register("evaluations", views_reports.EvaluationViewSet, basename="evaluation")
router.register("disclosures", views_reports.DisclosureViewSet, basename="disclosure")
router.register("ledger-heads", views_ledger.LedgerHeadViewSet, basename="ledger-head")
router.register(
    r"ledger-heads/(?P<code>[^/.]+)/anchors", views_ledger.LedgerAnchorViewSet, basename="ledger-anchor"
)

app_name = "api"

urlpatterns = [
    path("calendar/working-days", views.WorkingDaysView.as_view(), name="working-days"),
    # The document covers the API on the base domain only (the public URLconf).
    path("schema/", SpectacularAPIView.as_view(urlconf="config.urls_public"), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/docs.html", title="公开 · 区级数据接口文档"
        ),
        name="docs",
    ),
    path("", include(router.urls)),
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not-found"),
]
