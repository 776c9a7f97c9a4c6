"""Residents' pages, mounted at /feedback/ on a community's site (no login)."""

from django.urls import path, register_converter

from disclosure.feedback import views


class CodeConverter:
    """Ten letters and digits; lower case is accepted here and redirected to the canonical form."""

    regex = "[0-9A-Za-z]{10}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CodeConverter, "feedback_code")

app_name = "feedback"

urlpatterns = [
    path("", views.submit, name="submit"),
    path("lookup/", views.lookup, name="lookup"),
    path("<feedback_code:code>/", views.status_page, name="status"),
]
