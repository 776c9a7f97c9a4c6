"""Residents' pages, mounted at /feedback/ on a community's site (no login)."""

from django.urls import path, register_converter

from disclosure.feedback import views
from tenants.residents import CodeConverter

register_converter(CodeConverter, "feedback_code")

app_name = "feedback"

urlpatterns = [
    path("", views.submit, name="submit"),
    path("lookup/", views.lookup, name="lookup"),
    path("<feedback_code:code>/", views.status_page, name="status"),
]
