"""Residents' pages of a consultation (征求意见), mounted at /consultations/ on a community's site (no
login; not cached: the counts and the opinions shown change with every decision)."""

from django.urls import path, register_converter

from disclosure.feedback import consult_views
from tenants.residents import CodeConverter

register_converter(CodeConverter, "opinion_code")

app_name = "consult"

urlpatterns = [
    path("<int:pk>/", consult_views.page, name="page"),
    path("opinions/<opinion_code:code>/", consult_views.opinion_status, name="opinion"),
]
