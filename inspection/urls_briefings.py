"""The street office's published briefings on the base domain, for anyone (004 ⑷ 按季公开)."""

from django.urls import path

from inspection.views import briefings
from tenants.i18n import chinese_only

app_name = "briefings"

urlpatterns = [
    path("", briefings.public_briefings, name="list"),
    path("<int:pk>/", briefings.public_briefing, name="detail"),
    path("<int:pk>/briefing.pdf", chinese_only(briefings.public_briefing_pdf), name="pdf"),
]
