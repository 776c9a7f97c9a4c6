from django.urls import path

from inspection import views

app_name = "inspection"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("communities/<slug:code>/", views.community_detail, name="community"),
    path("spot-checks/", views.spot_checks, name="spot_checks"),
    path("spot-checks/<int:pk>/", views.spot_check_record, name="spot_check"),
    path("rectifications/", views.rectifications, name="rectifications"),
    path("surveys/", views.surveys, name="surveys"),
    path("assessments/", views.assessments, name="assessments"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("evaluations/", views.evaluations, name="evaluations"),
    path("standards/", views.standards, name="standards"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey"),
    path("surveys/<int:pk>/slips/", views.survey_slips, name="survey_slips"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification"),
]
