"""Migrations that skip what is done: one query finds which schemas lack which migrations, and only
those schemas are migrated, several at a time.

``migrate_schemas`` alone opens every schema and asks Django's migration machinery about it, some
300 ms a schema even when nothing is to be done: five minutes of a deployment at 1,000 communities
(bench/RESULTS.md). Every schema records every migration of the project in its ``django_migrations``
(django-tenants applies a shared app's migrations to a community as no-ops and still records them),
so the migrations on disk are compared with what each schema records, in SQL, and a schema that
records them all is left alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.migrations.loader import MigrationLoader

Migration = tuple[str, str]  # (app label, migration name)
SCHEMAS_PER_QUERY = 1000  # a UNION ALL branch per schema; PostgreSQL plans a thousand in a moment


def migrations_on_disk() -> set[Migration]:
    """Every migration of the project as the graph has it (a squashed one in place of those it
    replaces), which is what a schema migrated to the end records."""
    return set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def migrations_lacking(schemas: Iterable[str]) -> dict[str, set[Migration]]:
    """Which of ``schemas`` lack which migrations; a schema at the target state is not in the result,
    a schema without a ``django_migrations`` table (or none at all) lacks every one."""
    schemas = list(dict.fromkeys(schemas))
    expected = sorted(migrations_on_disk())
    apps, names = [app for app, _ in expected], [name for _, name in expected]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema FROM information_schema.tables "
            "WHERE table_name = 'django_migrations' AND table_schema = ANY(%s)",
            [schemas],
        )
        recorded = {row[0] for row in cursor.fetchall()}
        lacking: dict[str, set[Migration]] = {s: set(expected) for s in schemas if s not in recorded}
        present = [s for s in schemas if s in recorded]
        for start in range(0, len(present), SCHEMAS_PER_QUERY):
            chunk = present[start : start + SCHEMAS_PER_QUERY]
            branches = " UNION ALL ".join(
                "SELECT %s, e.app, e.name FROM expected e WHERE NOT EXISTS (SELECT 1 FROM "
                f"{connection.ops.quote_name(schema)}.django_migrations m "
                "WHERE m.app = e.app AND m.name = e.name)"
                for schema in chunk
            )
            cursor.execute(
                "WITH expected AS (SELECT * FROM unnest(%s::text[], %s::text[]) AS e(app, name)) " + branches,
                [apps, names, *chunk],
            )
            found: dict[str, set[Migration]] = defaultdict(set)
            for schema, app, name in cursor.fetchall():
                found[schema].add((app, name))
            lacking.update(found)
    return lacking


def tenant_schemas_migrate(schemas: list[str], *, verbosity: int = 1, parallel: bool = True) -> None:
    """Run ``migrate_schemas`` on ``schemas`` only, with django-tenants' executors: several processes
    at once (``TENANT_MULTIPROCESSING_MAX_PROCESSES``) when more than one schema is to be migrated."""
    from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand
    from django_tenants.migration_executors import get_executor

    if not schemas:
        return
    codename = "multiprocessing" if parallel and len(schemas) > 1 else "standard"
    command = MigrateSchemasCommand()
    parser = command.create_parser("manage.py", "migrate_schemas")
    argv = ["--tenant", "--noinput", "--skip-checks", f"--executor={codename}", f"--verbosity={verbosity}"]
    options = vars(parser.parse_args(argv))
    get_executor(codename=codename)(args=(), options=options).run_migrations(tenants=list(schemas))
