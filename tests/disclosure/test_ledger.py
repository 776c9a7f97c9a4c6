"""A ledger that cannot lose its tail: every append records the new head in the public schema in its
own transaction, PostgreSQL refuses TRUNCATE on the append-only tables and keeps the public record
append-only, and ``verify_ledger`` finds a tail deleted behind the guards' back."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure import services
from disclosure.models import LedgerEntry
from disclosure.selectors import ledger_verify
from standards.models import LedgerAnchor, LedgerHead
from tenants import services as tenant_services
from tenants.models import Community
from tests.factories import guards_off, published

# The owner's session: these tests switch the guards off as only the tables' owner can, and show that
# the triggers themselves refuse TRUNCATE (the runtime role is refused earlier, by privilege:
# tests/test_db_roles.py).
pytestmark = [pytest.mark.django_db, pytest.mark.owner]

TENANT_GUARDED = (
    "disclosure_ledgerentry",
    "disclosure_signature",
    "disclosure_reviewopinion",
    "disclosure_auditrecord",
    "disclosure_disclosure",
)
PUBLIC_GUARDED = ("standards_ledgeranchor", "standards_ledgerhead")


def chain() -> list[tuple[int, str]]:
    return list(LedgerEntry.objects.order_by("seq").values_list("seq", "hash"))


def heads(community_id: int) -> list[tuple[int, str]]:
    return list(
        LedgerHead.objects.filter(community_id=community_id).order_by("seq").values_list("seq", "hash")
    )


# --- the head recorded at each append ----------------------------------------------------------------


def test_every_append_records_the_new_head_in_public(world, in_yincheng):
    published(world)
    assert heads(in_yincheng.pk) == chain() and len(chain()) == 6
    entry = LedgerEntry.objects.order_by("-seq").first()
    head = LedgerHead.objects.filter(community=in_yincheng).order_by("-seq").first()
    assert entry is not None and head is not None
    assert (head.seq, head.hash, head.appended_at) == (entry.seq, entry.hash, entry.recorded_at)
    assert not LedgerHead.objects.filter(community=world.yinnan).exists()  # bound to its own community


def test_an_append_and_its_public_head_commit_or_roll_back_together(world, in_yincheng):
    before_chain, before_heads = chain(), heads(in_yincheng.pk)

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        entry = services.ledger_append(action="publish", actor=None, disclosure=None, payload={"t": 1})
        # inside the transaction both rows exist, on the same connection …
        assert LedgerHead.objects.filter(community=in_yincheng, seq=entry.seq, hash=entry.hash).exists()
        raise Abandoned
    # … and the rollback took both: the ledger write and the public head are one transaction
    assert chain() == before_chain and heads(in_yincheng.pk) == before_heads


def test_an_existing_chain_gets_its_head_history_from_the_migration(world, in_yincheng):
    """Deployments that had ledgers before the head history: the migration records each chain as it
    stands (and running it again changes nothing)."""
    published(world)
    with guards_off("standards_ledgerhead"):
        LedgerHead.objects.filter(community=in_yincheng).delete()
    assert not ledger_verify(community_id=in_yincheng.pk).ok  # entries without a head on record
    migration = importlib.import_module("standards.migrations.0002_ledger_head")
    from django.apps import apps

    class Editor:
        connection = connection

    connection.set_schema_to_public()  # type: ignore[attr-defined]  # as migrate runs it
    migration.heads_from_existing_chains(apps, Editor())
    migration.heads_from_existing_chains(apps, Editor())
    with tenant_context(in_yincheng):
        assert heads(in_yincheng.pk) == chain()
        assert ledger_verify(community_id=in_yincheng.pk).ok


# --- verify_ledger against the head history ----------------------------------------------------------


def test_verify_ledger_reports_the_newest_row_deleted_behind_the_guard(world, in_yincheng, capsys):
    published(world)
    services.ledger_anchor_record(community=in_yincheng, day=date(2026, 6, 8))  # the day's checkpoint: #6
    services.ledger_append(action="waive", actor=None, disclosure=None, payload={"after": "the anchor"})
    call_command("verify_ledger", "yincheng")
    assert "yincheng: 完好 / ok — 7 条" in capsys.readouterr().out
    with tenant_context(in_yincheng), guards_off("disclosure_ledgerentry"), connection.cursor() as c:
        c.execute("DELETE FROM disclosure_ledgerentry WHERE seq = 7")  # the newest
    with tenant_context(in_yincheng):
        assert ledger_verify().ok  # the shortened chain is whole in itself, and the day's anchor is #6
    with pytest.raises(CommandError, match="台帐核验未通过:yincheng"):
        call_command("verify_ledger")
    out = capsys.readouterr().out
    assert "yincheng: 断点 / broken at #7" in out
    assert "第 7 条记录不见了" in out and "台帐现在只到第 6 条" in out
    assert "yinnan: 完好" in out  # the other communities are still checked and reported


def test_verify_ledger_reports_a_ledger_emptied_behind_the_guard(world, in_yincheng):
    published(world)
    with guards_off("disclosure_ledgerentry"), connection.cursor() as c:
        c.execute("DELETE FROM disclosure_ledgerentry")
    assert ledger_verify().ok  # nothing left to contradict itself
    report = ledger_verify(community_id=in_yincheng.pk)
    assert not report.ok and report.broken_seq == 1 and "台帐现在是空的" in report.problem


def test_verify_ledger_reports_an_entry_written_around_the_service(world, in_yincheng):
    published(world)
    last = LedgerEntry.objects.order_by("-seq").first()
    assert last is not None
    forged = LedgerEntry(seq=7, action="publish", recorded_at=timezone.now(), payload={}, prev_hash=last.hash)
    forged.hash = forged.compute_hash()
    forged.save(force_insert=True)  # the model's own insert: no head recorded
    report = ledger_verify(community_id=in_yincheng.pk)
    assert not report.ok and report.broken_seq == 7 and "没有在街道登记链头" in report.problem


def test_verify_ledger_reports_a_head_missing_from_the_public_record(world, in_yincheng):
    published(world)
    with guards_off("standards_ledgerhead"):
        LedgerHead.objects.filter(community=in_yincheng, seq=3).delete()
    report = ledger_verify(community_id=in_yincheng.pk)
    assert not report.ok and report.broken_seq == 3 and "没有第 3 条记录的链头登记" in report.problem


# --- PostgreSQL's guards --------------------------------------------------------------------------------


@pytest.mark.parametrize("table", TENANT_GUARDED)
def test_postgresql_refuses_truncate_on_a_guarded_community_table(world, in_yincheng, table):
    published(world)
    with (
        pytest.raises(IntegrityError, match=f"{table} cannot be truncated"),
        transaction.atomic(),
        connection.cursor() as c,
    ):
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")  # flush the deferred foreign-key checks first
        c.execute(f"TRUNCATE {table} CASCADE")
    assert LedgerEntry.objects.count() == 6


@pytest.mark.parametrize("table", PUBLIC_GUARDED)
def test_postgresql_refuses_truncate_update_and_delete_on_the_public_record(world, in_yincheng, table):
    published(world)
    services.ledger_anchor_record(community=in_yincheng, day=date(2026, 6, 8))
    statements = {
        "TRUNCATE": (f"TRUNCATE {table}", "cannot be truncated"),
        "UPDATE": (f"UPDATE {table} SET community_id = community_id", "append-only"),
        "DELETE": (f"DELETE FROM {table}", "append-only"),
    }
    with connection.cursor() as c:
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses to run with trigger events pending
    for sql, refusal in statements.values():
        with pytest.raises(IntegrityError, match=refusal), transaction.atomic(), connection.cursor() as c:
            c.execute(sql)
    assert LedgerAnchor.objects.filter(community=in_yincheng).count() == 1
    assert LedgerHead.objects.filter(community=in_yincheng).count() == 6


def test_the_template_and_a_new_community_carry_the_truncate_guards(world):
    community = tenant_services.community_create(code="guarded", name="守卫社区", street_office=world.yinzhou)
    with connection.cursor() as c:
        c.execute(
            """SELECT n.nspname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE t.tgname LIKE '%%_no_truncate' AND n.nspname IN (%s, %s)""",
            ["template_community", community.schema_name],
        )
        found = set(c.fetchall())
    for schema in ("template_community", community.schema_name):
        assert {(schema, t) for t in TENANT_GUARDED} <= found


def test_the_public_record_goes_only_with_the_ledger_it_vouches_for(world):
    """A community's heads and anchors can be deleted once its schema (its ledger) is dropped — which takes
    the schema's owner — and not before."""
    community = tenant_services.community_create(code="gone", name="撤销社区", street_office=world.yinzhou)
    with tenant_context(community):
        services.ledger_append(action="publish", actor=None, disclosure=None, payload={"t": 1})
        services.ledger_anchor_record(community=community, day=date(2026, 6, 8))
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        LedgerHead.objects.filter(community=community).delete()
    with connection.cursor() as c:
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")
        c.execute('DROP SCHEMA "gone" CASCADE')
    Community.objects.filter(pk=community.pk).delete()
    assert not LedgerHead.objects.filter(community_id=community.pk).exists()
    assert not LedgerAnchor.objects.filter(community_id=community.pk).exists()


@pytest.mark.parametrize("command", ["verify_ledger", "public_index_rebuild"])
def test_a_command_walking_communities_names_an_unknown_code_before_touching_any(world, command, capsys):
    with pytest.raises(CommandError, match="没有这些社区:nowhere"):
        call_command(command, "yincheng", "nowhere")
    assert "yincheng" not in capsys.readouterr().out
