"""Account security pages every site answers: the two-factor step after the password, and enrolment."""

from django.urls import path

from tenants import views

urlpatterns = [
    path("", views.two_factor_setup, name="two_factor_setup"),
    path("verify/", views.two_factor_verify, name="two_factor_verify"),
]
