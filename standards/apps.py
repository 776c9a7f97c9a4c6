from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    """The public-schema half of the engine: the street office's standard catalogue and the daily
    anchors of every community's ledger head."""

    name = "standards"
    label = "standards"
    verbose_name = _("公开目录")
