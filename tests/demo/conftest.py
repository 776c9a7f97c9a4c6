"""The demo as ``make demo`` seeds it (``manage.py demo_seed``), built once for the modules of this
package and rolled back after the last of them.

The demo is 银州镇 with four communities whose codes the session's test world uses too, so the package
runs in a transaction of its own: the test world's schemas and rows make way, ``demo.seed()`` builds
the demo, every test here reads it, and the rollback at the end brings the world back for the other
tests (tests/conftest.py builds it once per session). Dropping schemas is the owner's work, so every
module here is marked ``owner`` (one transaction spans them all).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.db import connection, transaction
from django.utils import timezone

from demo import seed as demo
from tenants import provisioning
from tenants.models import Community, StreetOffice, User


def _without_the_test_world() -> None:
    """The session's test world (communities with the demo's codes) makes way, inside the package's
    transaction: its schemas dropped, its street offices and users truncated with all that refers to
    them. The template's dump is taken first: pg_dump reads it from another connection, which would
    wait for the truncation's locks."""
    provisioning.template_script()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for code in Community.objects.values_list("schema_name", flat=True):
            cursor.execute(f'DROP SCHEMA "{code}" CASCADE')
        cursor.execute(f"TRUNCATE {StreetOffice._meta.db_table}, {User._meta.db_table} CASCADE")


@pytest.fixture(scope="package")
def demo_seeded(django_db_setup: None, django_db_blocker) -> Iterator[date]:  # type: ignore[no-untyped-def]
    """The day the demo was seeded on; the demo itself is in the database until the package ends."""
    with django_db_blocker.unblock(), transaction.atomic():
        _without_the_test_world()
        demo.seed()
        connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
        yield timezone.localdate()
        connection.set_schema_to_public()  # type: ignore[attr-defined]
        transaction.set_rollback(True)
