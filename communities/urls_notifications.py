"""A staff member's own notifications, mounted at /workspace/notifications/ on a community's site."""

from django.urls import path

from communities import views

app_name = "notifications"

urlpatterns = [
    path("", views.notifications, name="list"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("read-all/", views.notifications_read_all, name="read_all"),
]
