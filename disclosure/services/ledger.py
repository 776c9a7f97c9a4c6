"""The ledger (台帐): appending to this community's hash chain — each append records the new head in
the public schema in the same transaction — and the daily anchor, the published checkpoint. How an
entry's hash is made lives on ``LedgerEntry`` (verification reads it too)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from disclosure import content as content_rules
from disclosure.models import Disclosure, LedgerEntry
from disclosure.models.ledger import GENESIS
from standards.models import LedgerAnchor, LedgerHead
from tenants.models import Community, User


def ledger_append(
    *, action: str, actor: User | None, disclosure: Disclosure | None, payload: dict[str, Any]
) -> LedgerEntry:
    """Append to this schema's chain and record the new head in the public schema, in one transaction:
    the entry and its public head are committed together or not at all, so the public record always
    holds the live head. The table lock serialises appends so ``seq`` has no gaps."""
    community_id = _community_id_of_this_schema()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE disclosure_ledgerentry IN EXCLUSIVE MODE")
        last = LedgerEntry.objects.order_by("-seq").first()
        entry = LedgerEntry(
            seq=last.seq + 1 if last else 1,
            action=action,
            disclosure=disclosure,
            actor=actor,
            recorded_at=timezone.now(),
            payload=content_rules.json_safe(payload),
            prev_hash=last.hash if last else GENESIS,
        )
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
        LedgerHead.objects.create(
            community_id=community_id, seq=entry.seq, hash=entry.hash, appended_at=entry.recorded_at
        )
        return entry


def _community_id_of_this_schema() -> int:
    """The community whose schema the connection is in: the ledger written is that schema's, so its
    head must be recorded for that community and no other."""
    schema = connection.schema_name  # type: ignore[attr-defined]  # django-tenants' connection
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Community) and tenant.pk and tenant.schema_name == schema:
        return tenant.pk
    return Community.objects.values_list("pk", flat=True).get(schema_name=schema)


def ledger_anchor_record(*, community: Community, day: date) -> LedgerAnchor | None:
    """Record today's chain head of ``community`` in the public schema (idempotent per day)."""
    head = LedgerEntry.objects.order_by("-seq").first()
    if head is None:
        return None
    anchor, _ = LedgerAnchor.objects.get_or_create(
        community=community, day=day, defaults={"head_seq": head.seq, "head_hash": head.hash}
    )
    return anchor
