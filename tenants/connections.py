"""Bounded backend memory: no PostgreSQL backend serves more than ``SCHEMAS_PER_CONNECTION`` schemas.

A backend keeps the catalogue entries of every table it has touched until it exits, some 85 KiB for
each community's schema (bench/RESULTS.md): one connection that walks 5,000 communities would grow
past 400 MiB. So each connection notes the schemas its backend has served (a web request's, a
Celery task's), and the request or task that reaches the limit closes it when it ends; the next one
opens a fresh backend. Web connections are also closed after ``CONN_MAX_AGE`` seconds
(``config.settings.base._database``), and the daily run's one task per community
(``tenants.tasking.for_each_community``) thereby reconnects every ``SCHEMAS_PER_CONNECTION``
communities in each worker process.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

SERVED_ATTRIBUTE = "_gongkai_schemas_served"  # (backend pid, schemas it has served)


def _backend_pid(conn: BaseDatabaseWrapper) -> int | None:
    raw = conn.connection
    return None if raw is None else int(raw.info.backend_pid)  # psycopg 3: no query


def schema_served(conn: BaseDatabaseWrapper = connection) -> None:
    """Note the schema ``conn`` points at now as one its backend has served."""
    pid = _backend_pid(conn)
    if pid is None:
        return
    served: set[str]
    owner, served = getattr(conn, SERVED_ATTRIBUTE, (None, set()))
    if owner != pid:  # a new backend since: its count starts again
        served = set()
    served.add(str(conn.schema_name))  # type: ignore[attr-defined]  # django-tenants' connection
    setattr(conn, SERVED_ATTRIBUTE, (pid, served))


def schemas_served(conn: BaseDatabaseWrapper = connection) -> int:
    owner, served = getattr(conn, SERVED_ATTRIBUTE, (None, set()))
    return len(served) if owner is not None and owner == _backend_pid(conn) else 0


def recycle_if_spent(conn: BaseDatabaseWrapper = connection) -> bool:
    """Close ``conn`` once its backend has served the limit of schemas (never inside a transaction);
    Django opens a new one on the next query. True when it closed."""
    if conn.in_atomic_block or schemas_served(conn) < settings.SCHEMAS_PER_CONNECTION:
        return False
    conn.close()
    return True


def after_request(**kwargs: Any) -> None:
    schema_served()
    recycle_if_spent()


def before_task(**kwargs: Any) -> None:
    """After tenant-schemas-celery switched to the task's schema (its receiver is connected first)."""
    schema_served()


def after_task(**kwargs: Any) -> None:
    recycle_if_spent()
