"""Two database roles: the owner, and the runtime role that owns nothing.

The OWNER owns every schema and table. It runs migrations and creates and drops communities' schemas.
The RUNTIME role is what the web server and the Celery worker connect as. It may read and write rows
(SELECT, INSERT, UPDATE, DELETE on tables, USAGE on schemas and sequences) and nothing else, so with its
credentials nobody can ``ALTER TABLE … DISABLE TRIGGER``, ``TRUNCATE``, ``ALTER`` or ``DROP``. The
database's guards (append-only ledger, sealed publications) then hold against the application itself.

Grants are made in two ways, so that no schema is ever missed:

- ``ALTER DEFAULT PRIVILEGES`` of the owner: every schema, table and sequence the owner creates from
  then on is granted to the runtime role as it is created. That covers migrations, a community's
  schema replayed from the template's dump or cloned by django-tenants, and a schema loaded from a
  community backup.
- explicit grants on existing schemas: ``migrate_all`` grants every schema (which also covers a
  database made before the two roles existed), and each place that creates a schema grants it in the
  same transaction (``Community.create_schema``, ``tenants.backup.community_restore``).

Which role a process uses is decided once, when the settings load (``GONGKAI_DB_ROLE``, see
config/settings/base.py). ``manage.py`` sets it to ``owner`` for the commands in ``OWNER_COMMANDS``.
This module is imported by ``manage.py`` before Django is set up: it imports nothing of Django at the top.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

ROLE_VARIABLE = "GONGKAI_DB_ROLE"
# The commands that change the database's structure: they run as the owner.
OWNER_COMMANDS = frozenset(
    {
        "migrate",
        "migrate_schemas",
        "migrate_all",
        "community_create",
        "community_restore",
        "demo_seed",
    }
)
# A table every deployment has, in the public schema: whoever owns it owns the application's tables.
KNOWN_TABLE = ("public", "tenants_community")


def role_for_command(argv: Sequence[str]) -> None:
    """``manage.py``: an owner's command runs as the owner unless ``GONGKAI_DB_ROLE`` says otherwise."""
    if len(argv) > 1 and argv[1] in OWNER_COMMANDS:
        os.environ.setdefault(ROLE_VARIABLE, "owner")


def _same_role(a: dict[str, Any], b: dict[str, Any] | None) -> bool:
    return b is None or a.get("USER") == b.get("USER")


def runtime_role_name() -> str | None:
    """The runtime role to grant to, or None when the application runs as the owner (a single URL)."""
    from django.conf import settings

    runtime, owner = settings.DATABASE_RUNTIME, settings.DATABASE_OWNER
    if _same_role(runtime, owner):
        return None
    return str(runtime["USER"])


def runtime_grant(schemas: Iterable[str] | None = None) -> list[str]:
    """Grant the runtime role its rows in ``schemas`` (default: every schema of the database) and, for
    everything the current role creates later, by default privileges. Run as the owner; idempotent.
    Returns the schemas granted (none when the application runs as the owner)."""
    from django.db import connection

    role = runtime_role_name()
    if role is None:
        return []
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (current,) = cursor.fetchone()
        if current == role:
            raise RuntimeError(f"runtime_grant runs as the owner, not as the runtime role {role}")
        if schemas is None:
            cursor.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
                "AND nspname <> 'information_schema' ORDER BY nspname"
            )
            names = [row[0] for row in cursor.fetchall()]
            statements = [
                # Whatever the owner creates from now on: granted as it is created.
                f"ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO {qn(role)}",
                f"ALTER DEFAULT PRIVILEGES GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {qn(role)}",
                f"ALTER DEFAULT PRIVILEGES GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {qn(role)}",
                # PostgreSQL before 15 let every role create objects in public (owned by it).
                "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            ]
        else:
            names = list(schemas)
            statements = []
        for name in names:
            statements += [
                f"GRANT USAGE ON SCHEMA {qn(name)} TO {qn(role)}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {qn(name)} TO {qn(role)}",
                f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {qn(name)} TO {qn(role)}",
            ]
        cursor.execute(";\n".join(statements))
    return names


def runtime_role_problems(cursor: Any) -> list[str]:
    """What lets the role ``cursor`` is connected as step out of reading and writing rows; empty when
    nothing does. Each problem in Chinese, then English."""
    cursor.execute(
        """
        SELECT r.rolname, r.rolsuper, r.rolcreaterole, r.rolbypassrls,
               has_database_privilege(current_database(), 'CREATE'),
               has_schema_privilege('public', 'CREATE'),
               (SELECT pg_get_userbyid(c.relowner) FROM pg_class c
                 JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = %s),
               (SELECT pg_has_role(current_user, c.relowner, 'MEMBER') FROM pg_class c
                 JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = %s)
          FROM pg_roles r WHERE r.rolname = current_user
        """,
        [*KNOWN_TABLE, *KNOWN_TABLE],
    )
    name, superuser, createrole, bypassrls, create_db, create_public, owner, acts_as_owner = cursor.fetchone()
    table = ".".join(KNOWN_TABLE)
    problems = []
    if superuser:
        problems.append(f"数据库角色 {name} 是超级用户。/ The role {name} is a superuser.")
    if acts_as_owner:
        problems.append(
            f"数据库角色 {name} 是表 {table} 的所有者({owner})或其成员,可以修改表结构、停用触发器。"
            f"/ The role {name} owns {table} (owner: {owner}) or is a member of its owner."
        )
    if createrole:
        problems.append(f"数据库角色 {name} 可以创建角色(CREATEROLE)。/ The role {name} has CREATEROLE.")
    if bypassrls:
        problems.append(f"数据库角色 {name} 可以绕过行级安全(BYPASSRLS)。/ The role {name} has BYPASSRLS.")
    if create_db:
        problems.append(
            f"数据库角色 {name} 可以在本数据库中创建 schema。"
            f"/ The role {name} may create schemas in this database."
        )
    if create_public:
        problems.append(
            f"数据库角色 {name} 可以在 public schema 中创建对象。"
            f"/ The role {name} may create objects in the public schema."
        )
    return problems


def check_runtime_role(
    app_configs: Any = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[Any]:
    """Production: the runtime connection must be neither a superuser nor the tables' owner.

    A database check (``manage.py check --database default``), which the systemd units run before the
    web server and the worker start: a failure keeps them from starting.
    """
    from django.conf import settings
    from django.core.checks import Error
    from django.db import DatabaseError, connection

    if not settings.DATABASE_LEAST_PRIVILEGE_REQUIRED or settings.DATABASE_ROLE != "runtime":
        return []
    if not databases or "default" not in databases:
        return []
    hint = (
        "DATABASE_URL 应是只读写数据行的运行角色,"
        "所有者的地址写在 DATABASE_OWNER_URL(见 infra/DEPLOY.md 第 1 节)。"
        "/ DATABASE_URL must name the runtime role; the owner goes in DATABASE_OWNER_URL "
        "(infra/DEPLOY.md, §1)."
    )
    try:
        with connection.cursor() as cursor:
            problems = runtime_role_problems(cursor)
    except DatabaseError as exc:
        return [Error(f"无法检查数据库角色 / cannot check the database role: {exc}", id="tenants.E002")]
    return [Error(problem, hint=hint, id="tenants.E001") for problem in problems]


def check_owner_given(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """Outside production, one URL for both roles still works, with this warning."""
    from django.conf import settings
    from django.core.checks import Warning

    if settings.DATABASE_LEAST_PRIVILEGE_REQUIRED or runtime_role_name() is not None:
        return []
    return [
        Warning(
            "未设置 DATABASE_OWNER_URL:应用以数据表所有者的身份连接数据库,能停用触发器、改写台帐。"
            "/ DATABASE_OWNER_URL is not set: the application connects as the owner of its tables and "
            "could switch off the database's guards.",
            hint="为应用建一个不拥有任何对象的运行角色,见 infra/DEPLOY.md 第 1 节。"
            "/ Give the application a runtime role that owns nothing: infra/DEPLOY.md, §1.",
            id="tenants.W001",
        )
    ]
