"""Migrations that skip what is done (tenants/migrating.py, ``migrate_all``): a run with nothing to
apply opens no schema, a schema lacking a migration is found and migrated, and what it ends with is
what plain ``migrate_schemas`` gives."""

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.signals import schema_pre_migration

from tenants.migrating import migrations_lacking, migrations_on_disk
from tenants.models import Community
from tests.dbroles import as_owner

pytestmark = pytest.mark.owner

# Everything after this migration of the communities app (0005 adds a column) is undone and redone here;
# the apps' later migrations join it, so the test names them from the disk, not by hand.
BEFORE_LAST = "0004_notification_topic"
LAST = ("communities", "0005_street_office_result_tied")


def after_before_last() -> set[tuple[str, str]]:
    return {m for m in migrations_on_disk() if m[0] == "communities" and m[1] > BEFORE_LAST}


def all_schemas() -> list[str]:
    return ["public", "template_community", *Community.objects.values_list("schema_name", flat=True)]


def columns(schema: str) -> list[tuple[str, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = %s ORDER BY 1, 2",
            [schema],
        )
        return list(cursor.fetchall())


@pytest.fixture
def migrated_schemas(committed: None) -> Iterator[list[str]]:
    """Every schema a migration run opens, by django-tenants' own signal."""
    opened: list[str] = []

    def record(schema_name: str, **kwargs: object) -> None:
        opened.append(schema_name)

    schema_pre_migration.connect(record, weak=False)
    try:
        with as_owner():
            yield opened
    finally:
        schema_pre_migration.disconnect(record)


def test_a_run_with_nothing_to_apply_opens_no_schema(migrated_schemas):
    assert migrations_lacking(all_schemas()) == {}
    call_command("migrate_all", verbosity=0)
    assert migrated_schemas == []


def test_a_schema_lacking_a_migration_is_migrated_as_plain_migrate_schemas_would(migrated_schemas):
    expected = columns("yinnan")
    assert columns("yincheng") == expected and LAST in migrations_on_disk()
    call_command("migrate_schemas", "communities", BEFORE_LAST, schema_name="yinnan", verbosity=0)
    try:
        assert migrations_lacking(all_schemas()) == {"yinnan": after_before_last()}
        assert LAST in after_before_last()
        assert columns("yinnan") != expected
        migrated_schemas.clear()

        call_command("migrate_all", verbosity=0)

        assert migrated_schemas == ["yinnan"]  # one schema lacking: no process pool for it
        assert migrations_lacking(all_schemas()) == {}
        assert columns("yinnan") == expected == columns("yincheng")
    finally:
        call_command("migrate_schemas", schema_name="yinnan", tenant=True, verbosity=0)


def test_several_schemas_lacking_migrations_are_migrated_in_parallel(migrated_schemas):
    expected = columns("yinnan")
    for code in ("yinnan", "dongfeng"):
        call_command("migrate_schemas", "communities", BEFORE_LAST, schema_name=code, verbosity=0)
    try:
        assert set(migrations_lacking(all_schemas())) == {"yinnan", "dongfeng"}
        call_command("migrate_all", verbosity=0)  # the migrations run in child processes
        assert migrations_lacking(all_schemas()) == {}
        assert columns("yinnan") == columns("dongfeng") == expected
    finally:
        for code in ("yinnan", "dongfeng"):
            call_command("migrate_schemas", schema_name=code, tenant=True, verbosity=0)
        connection.close()  # the pool's children shared nothing, but start clean
