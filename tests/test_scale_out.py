"""The Citus path (infra/scale-out.md): a community schema may keep foreign keys only to its own
tables or to the few public tables that become Citus reference tables."""

from django.apps import apps
from django.conf import settings

REFERENCE_TABLES = {"tenants_user", "auth_group", "auth_permission", "django_content_type"}


def tenant_only_models():
    shared = {a.split(".")[-1] for a in settings.SHARED_APPS}
    for app in settings.TENANT_APPS:
        label = apps.get_app_config(app.split(".")[-1]).label
        if label in shared:
            continue
        yield from apps.get_app_config(label).get_models()


def test_tenant_foreign_keys_stay_in_the_schema_or_point_at_reference_tables():
    tenant_tables = {m._meta.db_table for m in tenant_only_models()}
    offending = []
    checked = 0
    for model in tenant_only_models():
        for field in model._meta.concrete_fields:
            if not field.is_relation or not field.db_constraint:
                continue
            checked += 1
            target = field.related_model._meta.db_table
            if target not in tenant_tables and target not in REFERENCE_TABLES:
                offending.append(f"{model._meta.label}.{field.name} → {target}")
    assert checked > 5  # the audit looked at real constraints
    assert not offending, offending
