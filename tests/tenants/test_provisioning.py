"""New community schemas are replayed from a dump of the template: the same objects, rows and
sequence positions as django-tenants' clone would give, at a cost that does not grow with the number
of communities (bench/RESULTS.md)."""

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.clone import CloneSchema
from django_tenants.utils import schema_context

from tenants import provisioning, services

pytestmark = pytest.mark.django_db

CATALOGUE = {
    "tables": "SELECT tablename FROM pg_tables WHERE schemaname = %s",
    "indexes": "SELECT indexname FROM pg_indexes WHERE schemaname = %s",
    "triggers": """SELECT c.relname || '.' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                   JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname = %s AND NOT t.tgisinternal""",
    "functions": """SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname = %s""",
    "constraints": """SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
                      WHERE n.nspname = %s""",
    "migrations": None,
}


def objects_of(schema: str) -> dict[str, set[str]]:
    found = {}
    with connection.cursor() as cursor:
        for kind, sql in CATALOGUE.items():
            if sql is None:
                cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations')
                found[kind] = {f"{a}.{n}" for a, n in cursor.fetchall()}
            else:
                cursor.execute(sql, [schema])
                found[kind] = {r[0] for r in cursor.fetchall()}
    return found


@pytest.mark.owner
def test_a_new_schema_has_everything_the_template_has(world, monkeypatch):
    def no_clone(*args, **kwargs):
        raise AssertionError("django-tenants' clone was used")

    monkeypatch.setattr(CloneSchema, "clone_schema", no_clone)
    community = services.community_create(code="fastnew", name="快建社区", street_office=world.yinzhou)
    template, created = objects_of(settings.TENANT_BASE_SCHEMA), objects_of("fastnew")
    for kind in CATALOGUE:
        assert created[kind] == template[kind], kind
    assert len(created["tables"]) >= 15 and created["triggers"] and created["migrations"]
    # sequences continue after the copied rows, and the append-only triggers work in the new schema
    with schema_context(community.schema_name):
        from communities.models import Notification
        from disclosure.models import AuditRecord

        Notification.objects.create(recipient_id=1, title="试运行", body="")
        record = AuditRecord.objects.create(object_type="x", object_id=1, to_state="y")
        with pytest.raises(Exception, match="append-only"):
            AuditRecord.objects.filter(pk=record.pk).update(reason="改")


@pytest.mark.owner
def test_without_a_dump_the_clone_still_makes_the_community(world, monkeypatch):
    def unavailable():
        raise provisioning.TemplateUnavailable("no pg_dump here")

    monkeypatch.setattr(provisioning, "template_script", unavailable)
    community = services.community_create(code="clonenew", name="克隆社区", street_office=world.yinzhou)
    assert objects_of(community.schema_name)["tables"] == objects_of(settings.TENANT_BASE_SCHEMA)["tables"]
