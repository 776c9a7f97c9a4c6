"""The ledger (台帐): appending to this community's hash chain, and recording its head in the public
schema each day. How an entry's hash is made lives on ``LedgerEntry`` (verification reads it too)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from disclosure import content as content_rules
from disclosure.models import Disclosure, LedgerEntry
from disclosure.models.ledger import GENESIS
from standards.models import LedgerAnchor
from tenants.models import Community, User


def ledger_append(
    *, action: str, actor: User | None, disclosure: Disclosure | None, payload: dict[str, Any]
) -> LedgerEntry:
    """Append to this community's chain. The table lock serialises appends so ``seq`` has no gaps."""
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
        return entry


def ledger_anchor_record(*, community: Community, day: date) -> LedgerAnchor | None:
    """Record today's chain head of ``community`` in the public schema (idempotent per day)."""
    head = LedgerEntry.objects.order_by("-seq").first()
    if head is None:
        return None
    anchor, _ = LedgerAnchor.objects.get_or_create(
        community=community, day=day, defaults={"head_seq": head.seq, "head_hash": head.hash}
    )
    return anchor
