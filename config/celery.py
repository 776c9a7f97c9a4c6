"""Celery app: tenant-schemas-celery puts the current schema into every task's headers, and the
worker switches to that schema before the task runs (DESIGN: Celery messages carry the schema)."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = CeleryApp("gongkai")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
