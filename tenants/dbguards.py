"""The database's own guard on every record that must never be rewritten: the ledger, signatures and
review opinions, and each audit trail (a disclosure's, the street office's, residents' feedback).

One guard, built here and used by every migration that protects a table: a row trigger that refuses
``UPDATE`` and ``DELETE`` (``gongkai_append_only``) and a statement trigger that refuses ``TRUNCATE``
(``gongkai_no_truncate``; row triggers do not fire on it). PostgreSQL holds them whatever the Python
code does, and the application's runtime role, owning nothing, cannot switch them off
(``tenants.dbroles``).

The functions live in the schema a migration runs in (each community's, and public), so each
migration creates them with ``CREATE OR REPLACE`` before its triggers. Their text is part of the
migrations that use it: change a guard by a new migration that runs new text, never by editing these
strings under migrations that already ran.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import migrations

APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION gongkai_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$;
"""

NO_TRUNCATE_FUNCTION = """
CREATE OR REPLACE FUNCTION gongkai_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% cannot be truncated', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
END $$;
"""


def append_only_triggers(tables: Sequence[str]) -> str:
    """``UPDATE`` and ``DELETE`` of any row of ``tables`` refused (``APPEND_ONLY_FUNCTION`` first)."""
    return "\n".join(
        f"CREATE TRIGGER {t}_append_only BEFORE UPDATE OR DELETE ON {t} "
        f"FOR EACH ROW EXECUTE FUNCTION gongkai_append_only();"
        for t in tables
    )


def no_truncate_triggers(tables: Sequence[str]) -> str:
    """``TRUNCATE`` of ``tables`` refused (``NO_TRUNCATE_FUNCTION`` first)."""
    return "\n".join(
        f"CREATE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {t} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION gongkai_no_truncate();"
        for t in tables
    )


def append_only_triggers_drop(tables: Sequence[str]) -> str:
    return "\n".join(f"DROP TRIGGER IF EXISTS {t}_append_only ON {t};" for t in tables)


def no_truncate_triggers_drop(tables: Sequence[str]) -> str:
    return "\n".join(f"DROP TRIGGER IF EXISTS {t}_no_truncate ON {t};" for t in tables)


def append_only(*tables: str) -> migrations.RunSQL:
    """The whole guard on each of ``tables``, as one migration operation: no ``UPDATE``, ``DELETE`` or
    ``TRUNCATE``. Reversing drops the triggers and leaves the functions, which other tables share."""
    return migrations.RunSQL(
        APPEND_ONLY_FUNCTION
        + append_only_triggers(tables)
        + NO_TRUNCATE_FUNCTION
        + no_truncate_triggers(tables),
        append_only_triggers_drop(tables) + "\n" + no_truncate_triggers_drop(tables),
    )
