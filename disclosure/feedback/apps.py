from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """Residents' questions, objections, suggestions and complaints, their answers and the supervision
    group's findings (tenant schema; 000 第十一、十七条, 桂花方案 四(四)、六)."""

    name = "disclosure.feedback"
    label = "feedback"
    verbose_name = _("居民意见反馈")
