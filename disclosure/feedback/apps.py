from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Residents' questions, objections, suggestions and complaints (tenant schema)."""

    name = "disclosure.feedback"
    label = "feedback"
    verbose_name = _("居民意见")
