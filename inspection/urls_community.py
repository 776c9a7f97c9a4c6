"""The street office's conclusions as a community sees them, on its own sub-domain."""

from django.urls import path

from inspection.views import community

app_name = "inspection_community"

urlpatterns = [
    path("", community.community_results, name="results"),
    path("rectifications/<int:pk>/", community.community_answer, name="answer"),
    path("assessments/<int:pk>/", community.community_self_assess, name="self_assess"),
]
