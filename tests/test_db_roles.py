"""Least privilege in the database (tenants/dbroles.py): the application's runtime role reads and writes
rows and owns nothing, so its credentials cannot switch off the database's guards; the owner migrates
and provisions; production refuses to run as a superuser or as the tables' owner.

Runs on the embedded server and on real servers given by ``DATABASE_URL`` and ``DATABASE_OWNER_URL``
(infra/DEPLOY.md §1 creates what they need). With ``DATABASE_URL`` alone the application is its own
owner, as before the two roles: the tests that need two roles say so and skip.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context

from disclosure.models import LedgerEntry
from tenants import dbroles, provisioning, services
from tenants.models import Community
from tests.conftest import ROOT, service_env, subprocess_database_url
from tests.dbroles import as_owner, roles_differ
from tests.factories import published

two_roles = pytest.mark.skipif(
    not roles_differ(), reason="DATABASE_URL given without DATABASE_OWNER_URL: the application is the owner"
)
LEDGER = "yincheng.disclosure_ledgerentry"

# What an intruder holding the application's credentials would try, to rewrite history unseen.
REFUSED = {
    "disable the ledger's guard": f"ALTER TABLE {LEDGER} DISABLE TRIGGER disclosure_ledgerentry_append_only",
    "disable every user trigger": f"ALTER TABLE {LEDGER} DISABLE TRIGGER USER",
    "truncate the ledger": f"TRUNCATE {LEDGER}",
    "add a column": f"ALTER TABLE {LEDGER} ADD COLUMN forged text",
    "drop the guard": f"DROP TRIGGER disclosure_ledgerentry_append_only ON {LEDGER}",
    "replace the guard's function": (
        "CREATE OR REPLACE FUNCTION yincheng.gongkai_append_only() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$"
    ),
    "drop the community's schema": "DROP SCHEMA yincheng CASCADE",
    "drop a public table": "DROP TABLE public.tenants_community CASCADE",
    "make a schema of its own": "CREATE SCHEMA intruder",
    "make a table in public": "CREATE TABLE public.intruder (id int)",
    "skip every trigger for the session": "SET session_replication_role = replica",
}


@pytest.fixture
def as_runtime(django_db_setup: None) -> Iterator[psycopg.Connection]:
    """A connection of its own, with the runtime role's credentials, to the test database."""
    with psycopg.connect(subprocess_database_url("runtime")) as conn:
        yield conn


@two_roles
@pytest.mark.parametrize("statement", REFUSED.values(), ids=REFUSED.keys())
def test_the_runtime_role_cannot_alter_switch_off_truncate_or_drop(as_runtime, statement):
    (user,) = as_runtime.execute("SELECT current_user").fetchone()  # type: ignore[misc]
    assert user == settings.DATABASE_RUNTIME["USER"]
    # inside a transaction that is rolled back: were it allowed, the session's world would survive
    with pytest.raises(psycopg.errors.InsufficientPrivilege), as_runtime.transaction(force_rollback=True):
        as_runtime.execute(statement)


@two_roles
def test_the_owner_may_do_what_the_runtime_role_may_not(django_db_setup):
    """The statements above are refused for want of privilege, not because they are wrong."""
    with psycopg.connect(subprocess_database_url("owner")) as conn:
        (superuser,) = conn.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()  # type: ignore[misc]
        for name, statement in REFUSED.items():
            if "session" in name and not superuser:
                continue  # only a superuser may skip triggers for a session
            # a guard of the owner's own (e.g. against TRUNCATE) may refuse it: that is not a privilege
            guards = (psycopg.errors.RaiseException, psycopg.errors.IntegrityConstraintViolation)
            with conn.transaction(force_rollback=True), contextlib.suppress(*guards):
                conn.execute(statement)


@two_roles
def test_the_runtime_role_owns_nothing_and_holds_no_privilege_beyond_rows(as_runtime):
    owned = as_runtime.execute(
        """SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
           UNION ALL SELECT nspname FROM pg_namespace
           WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"""
    ).fetchall()
    assert owned == []
    beyond = as_runtime.execute(
        """SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind IN ('r', 'p') AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
             AND (has_table_privilege(c.oid, 'TRUNCATE') OR has_table_privilege(c.oid, 'TRIGGER')
                  OR has_table_privilege(c.oid, 'REFERENCES'))"""
    ).fetchall()
    assert beyond == []
    (rows,) = as_runtime.execute(  # type: ignore[misc]
        """SELECT bool_and(has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, 'INSERT')
                           AND has_table_privilege(c.oid, 'UPDATE') AND has_table_privilege(c.oid, 'DELETE'))
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind = 'r' AND n.nspname IN ('public', 'yincheng', 'yinnan', 'dongfeng')"""
    ).fetchone()
    assert rows is True
    cursor = as_runtime.cursor()
    assert dbroles.runtime_role_problems(cursor) == []


@pytest.mark.django_db
def test_the_application_works_as_the_runtime_role(world, in_yincheng):
    """What every other test shows too: the five steps, down to the ledger, need no owner's right."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == settings.DATABASE_RUNTIME["USER"]
    before = LedgerEntry.objects.count()
    published(world)
    assert LedgerEntry.objects.count() == before + 6


@two_roles
@pytest.mark.owner
@pytest.mark.django_db
@pytest.mark.parametrize(
    "fast", [True, False], ids=["replayed from the template", "cloned by django-tenants"]
)
def test_a_community_created_later_is_granted_to_the_runtime_role_and_owned_by_the_owner(
    world, monkeypatch, fast
):
    if not fast:

        def unavailable() -> str:
            raise provisioning.TemplateUnavailable("no pg_dump here")

        monkeypatch.setattr(provisioning, "template_script", unavailable)
    community = services.community_create(code="grantnew", name="授权社区", street_office=world.yinzhou)
    runtime = settings.DATABASE_RUNTIME["USER"]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*),
                      bool_and(has_table_privilege(%s, c.oid, 'SELECT')
                               AND has_table_privilege(%s, c.oid, 'INSERT')
                               AND has_table_privilege(%s, c.oid, 'UPDATE')
                               AND has_table_privilege(%s, c.oid, 'DELETE')),
                      bool_or(has_table_privilege(%s, c.oid, 'TRUNCATE')),
                      bool_or(pg_get_userbyid(c.relowner) = %s)
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = %s AND c.relkind = 'r'""",
            [*[runtime] * 6, community.schema_name],
        )
        tables, writes, truncates, owns = cursor.fetchone()
        cursor.execute("SELECT has_schema_privilege(%s, %s, 'USAGE')", [runtime, community.schema_name])
        assert cursor.fetchone()[0] is True
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = %s", [settings.TENANT_BASE_SCHEMA])
        (template_tables,) = cursor.fetchone()
    assert tables == template_tables and writes is True and truncates is False and owns is False


@two_roles
def test_manage_py_creates_a_community_as_the_owner_and_the_web_server_reads_it_as_the_runtime_role(
    committed,
):
    """The operator's command picks the owner's URL by itself (``tenants.dbroles.OWNER_COMMANDS``)."""
    code = "cmdgrant"
    env = {**service_env(), "DATABASE_OWNER_URL": subprocess_database_url("owner")}
    try:
        result = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "community_create",
                "--code",
                code,
                "--name",
                "命令社区",
                "--street-office",
                "yinzhou",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = %s", [code])
            assert cursor.fetchone()[0] == settings.DATABASE_OWNER["USER"]  # type: ignore[index]
        with schema_context(code):
            assert LedgerEntry.objects.count() == 0  # the runtime role reads the new schema
    finally:
        connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
        with as_owner(), connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{code}" CASCADE')
        Community.objects.filter(schema_name=code).delete()


# --- production refuses to start as the owner or a superuser ---------------------------------------


def _production(database_url: str, *command: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "GONGKAI_BASE_DOMAIN": "gongkai.example.gov.cn",
        "GONGKAI_DATA_DIR": str(ROOT / "var" / "deploy-check"),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@two_roles
def test_production_refuses_the_owners_url_and_accepts_the_runtime_roles(django_db_setup):
    """What the systemd units run before the web server and the worker start."""
    refused = _production(subprocess_database_url("owner"), "check", "--database", "default")
    assert refused.returncode != 0
    assert "tenants.E001" in refused.stderr and "tenants_community" in refused.stderr, refused.stderr
    accepted = _production(subprocess_database_url("runtime"), "check", "--database", "default")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def test_production_will_not_migrate_without_the_owners_url(django_db_setup):
    result = _production(subprocess_database_url("runtime"), "migrate_all")
    assert result.returncode != 0 and "DATABASE_OWNER_URL must be set" in result.stderr


@two_roles
@pytest.mark.owner
@pytest.mark.django_db
def test_the_check_names_the_owner_and_the_superuser(world):
    with override_settings(DATABASE_LEAST_PRIVILEGE_REQUIRED=True, DATABASE_ROLE="runtime"):
        errors = dbroles.check_runtime_role(databases=["default"])
    assert {e.id for e in errors} == {"tenants.E001"}
    text = " ".join(e.msg for e in errors)
    assert "tenants_community" in text
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            assert "超级用户" in text


@pytest.mark.django_db
def test_outside_production_one_url_for_both_roles_is_a_warning():
    with override_settings(DATABASE_OWNER=dict(settings.DATABASE_RUNTIME)):
        assert [w.id for w in dbroles.check_owner_given()] == ["tenants.W001"]
    with override_settings(DATABASE_OWNER={**settings.DATABASE_RUNTIME, "USER": "someone_else"}):
        assert dbroles.check_owner_given() == []
    with override_settings(DATABASE_OWNER=None, DATABASE_LEAST_PRIVILEGE_REQUIRED=True):
        assert dbroles.check_owner_given() == []


def test_manage_py_runs_the_owners_commands_as_the_owner(monkeypatch):
    for command, role in [("migrate_all", "owner"), ("community_create", "owner"), ("runserver", None)]:
        monkeypatch.delenv(dbroles.ROLE_VARIABLE, raising=False)
        dbroles.role_for_command(["manage.py", command])
        assert os.environ.get(dbroles.ROLE_VARIABLE) == role, command
