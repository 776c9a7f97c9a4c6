"""The test process's database connection as the runtime role or as the owner.

Tests run the application as the runtime role (``DATABASE_URL``): the suite shows the application works
without the owner's rights. What only the owner may do (building the test database, creating and
dropping communities' schemas, restoring backups, tampering with the ledger to show it is found) runs
as the owner: a test marked ``@pytest.mark.owner`` as a whole (conftest switches before its fixtures,
so its transaction is the owner's), or a block of a ``committed`` test inside ``as_owner()``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.db import connection

_CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT", "OPTIONS")
_current: str | None = None  # None: what the settings chose (GONGKAI_DB_ROLE, runtime by default)


def credentials(role: str) -> dict[str, Any]:
    source = settings.DATABASE_OWNER if role == "owner" else settings.DATABASE_RUNTIME
    assert source is not None, "the tests need DATABASE_OWNER_URL (or no DATABASE_URL at all)"
    return {key: source.get(key) for key in _CREDENTIALS} | {"OPTIONS": dict(source.get("OPTIONS") or {})}


def current() -> str:
    return _current or settings.DATABASE_ROLE


def use(role: str) -> str:
    """Point the test process's connection at ``role``; returns the role it had. Not inside a transaction."""
    global _current
    previous = current()
    if role == previous:
        return previous
    if connection.in_atomic_block:
        raise RuntimeError(f"cannot switch the database role to {role} inside a transaction")
    connection.close()
    connection.settings_dict.update(credentials(role))
    _current = role
    return previous


@contextlib.contextmanager
def as_owner() -> Iterator[None]:
    previous = use("owner")
    try:
        yield
    finally:
        if connection.connection is not None:
            connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
        use(previous)


def roles_differ() -> bool:
    owner = settings.DATABASE_OWNER
    return owner is not None and owner.get("USER") != settings.DATABASE_RUNTIME.get("USER")
