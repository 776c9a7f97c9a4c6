from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("社区概况")

    def ready(self) -> None:
        from communities import receivers  # noqa: F401
