"""The street office's conclusions as a community sees them, on its own sub-domain."""

from django.urls import path

from inspection.views import briefings, community

app_name = "inspection_community"

urlpatterns = [
    path("", community.community_results, name="results"),
    path("rectifications/<int:pk>/", community.community_answer, name="answer"),
    path("rectifications/<int:pk>/files/<int:file_pk>/", community.community_answer_file, name="answer_file"),
    path("assessments/<int:pk>/", community.community_self_assess, name="self_assess"),
    path("briefings/", briefings.community_briefings, name="briefings"),
    path("briefings/street-office/<int:pk>/", briefings.community_street_briefing, name="street_briefing"),
    path(
        "briefings/street-office/<int:pk>/briefing.pdf",
        briefings.community_street_briefing_pdf,
        name="street_briefing_pdf",
    ),
]
