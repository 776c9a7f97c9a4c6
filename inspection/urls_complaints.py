"""Residents' complaints to the street office, mounted at /complaints/ on the base domain (no login)."""

from django.urls import path, register_converter

from inspection.views import complaints
from tenants.residents import CodeConverter

register_converter(CodeConverter, "complaint_code")

app_name = "complaints"

urlpatterns = [
    path("", complaints.submit, name="submit"),
    path("lookup/", complaints.lookup, name="lookup"),
    path("<complaint_code:code>/", complaints.status_page, name="status"),
]
