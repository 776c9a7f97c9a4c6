"""Staff pages, mounted at /workspace/feedback/ on a community's site."""

from django.urls import path

from disclosure.feedback import views

app_name = "feedback_staff"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("supervision/", views.inbox, {"supervision": True}, name="supervision"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/finding/", views.finding, name="finding"),
]
