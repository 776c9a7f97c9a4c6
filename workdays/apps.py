from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    """China's working-day calendar (public schema): chinesecalendar plus street-office overrides."""

    name = "workdays"
    label = "workdays"
    verbose_name = _("工作日历")
