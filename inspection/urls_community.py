"""The street office's conclusions as a community sees them, on its own sub-domain."""

from django.urls import path

from inspection import views

app_name = "inspection_community"

urlpatterns = [
    path("", views.community_results, name="results"),
    path("rectifications/<int:pk>/", views.community_answer, name="answer"),
    path("assessments/<int:pk>/", views.community_self_assess, name="self_assess"),
]
