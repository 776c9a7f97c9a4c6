from django.urls import include, path
from rest_framework.routers import SimpleRouter

from api import views, views_reports

router = SimpleRouter()
router.register("street-offices", views_reports.StreetOfficeViewSet, basename="street-office")
router.register("communities", views_reports.CommunityViewSet, basename="community")
router.register("compliance", views_reports.ComplianceViewSet, basename="compliance")

app_name = "api"

urlpatterns = [
    path("calendar/working-days", views.WorkingDaysView.as_view(), name="working-days"),
    path("", include(router.urls)),
]
