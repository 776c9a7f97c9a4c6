from django.urls import path

from api import views

app_name = "api"

urlpatterns = [
    path("calendar/working-days", views.WorkingDaysView.as_view(), name="working-days"),
]
