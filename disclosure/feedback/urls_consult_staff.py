"""The supervision group's pages of consultations, mounted at /workspace/consultations/."""

from django.urls import path

from disclosure.feedback import consult_views

app_name = "consult_staff"

urlpatterns = [
    path("", consult_views.staff_list, name="list"),
    path("<int:pk>/", consult_views.staff_opinions, name="opinions"),
    path("opinions/<int:pk>/moderate/", consult_views.moderate, name="moderate"),
]
