from django.urls import path

from inspection import views

app_name = "inspection"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("communities/<slug:code>/", views.community_detail, name="community"),
]
