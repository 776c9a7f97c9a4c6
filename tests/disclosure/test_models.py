"""Published means immutable, in PostgreSQL: the database itself refuses to change a published
disclosure or to rewrite signatures, the ledger and the audit trail."""

import pytest
from django.db import IntegrityError, connection, transaction

from tests.factories import published

pytestmark = pytest.mark.django_db


def test_postgresql_refuses_an_update_of_published_content(world, in_yincheng):
    d = published(world)
    with (
        pytest.raises(IntegrityError, match="cannot be changed"),
        transaction.atomic(),
        connection.cursor() as c,
    ):
        c.execute("UPDATE disclosure_disclosure SET title = 'quietly changed' WHERE id = %s", [d.pk])
    with (
        pytest.raises(IntegrityError, match="cannot be deleted"),
        transaction.atomic(),
        connection.cursor() as c,
    ):
        c.execute("DELETE FROM disclosure_disclosure WHERE id = %s", [d.pk])
    d.refresh_from_db()
    assert d.title == "2026年5月社区事务公开"


def test_postgresql_refuses_rewriting_signatures_and_the_ledger(world, in_yincheng):
    published(world)
    for table in ("disclosure_signature", "disclosure_ledgerentry", "disclosure_auditrecord"):
        with (
            pytest.raises(IntegrityError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(f"DELETE FROM {table}")
