from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("街道与社区")

    def ready(self) -> None:
        from django.core import checks

        from tenants import dbroles, navigation, signals  # noqa: F401  # signals: registers its receivers

        checks.register(dbroles.check_runtime_role, checks.Tags.database)
        checks.register(dbroles.check_owner_given)

        # Every app's navigation.py registers its menu entries (see tenants.navigation).
        navigation.autodiscover()
