from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("街道与社区")

    def ready(self) -> None:
        from celery.signals import task_postrun, task_prerun
        from django.core import checks
        from django.core.signals import request_finished
        from django.core.validators import ProhibitNullCharactersValidator

        from tenants import connections, dbroles, navigation, signals, worklist  # noqa: F401  # signals: registers its receivers
        from tenants.validators import NUL_MESSAGE

        checks.register(dbroles.check_runtime_role, checks.Tags.database)
        checks.register(dbroles.check_owner_given)
        # No backend serves more than SCHEMAS_PER_CONNECTION schemas (see tenants.connections).
        request_finished.connect(connections.after_request, dispatch_uid="tenants_connection_budget")
        task_prerun.connect(connections.before_task, dispatch_uid="tenants_connection_budget")
        task_postrun.connect(connections.after_task, dispatch_uid="tenants_connection_budget")
        # One message for a NUL character in any form field (see tenants.validators.NUL_MESSAGE).
        ProhibitNullCharactersValidator.message = NUL_MESSAGE

        # Every app's navigation.py registers its menu entries (see tenants.navigation).
        navigation.autodiscover()
        # … and every app's worklist.py its sources of 待我办理 (see tenants.worklist).
        worklist.autodiscover()
