"""Reads of the disclosure engine shared by views, commands, tasks and the street-office layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from disclosure.choices import DisclosureStatus, ObligationStatus
from disclosure.models import AuditRecord, Disclosure, LedgerEntry, LocalCatalogueItem, Obligation
from disclosure.standards.models import CatalogueItem, LedgerAnchor

OPEN = [ObligationStatus.UPCOMING, ObligationStatus.DUE_SOON, ObligationStatus.OVERDUE]


@dataclass(frozen=True)
class LedgerReport:
    ok: bool
    entries: int
    head_hash: str
    broken_seq: int | None = None
    problem: str = ""


def ledger_verify(*, community_id: int | None = None) -> LedgerReport:
    """Recompute every hash of this schema's chain and compare it with the public anchors; report the
    first broken link."""
    from disclosure.services import GENESIS, ledger_hash

    prev_hash = GENESIS
    expected_seq = 1
    by_seq: dict[int, str] = {}
    count = 0
    for entry in LedgerEntry.objects.order_by("seq").iterator():
        count += 1
        if entry.seq != expected_seq:
            return LedgerReport(False, count, prev_hash, expected_seq, f"第 {expected_seq} 条台帐记录缺失。")
        if entry.prev_hash != prev_hash:
            return LedgerReport(
                False, count, prev_hash, entry.seq, f"第 {entry.seq} 条记录与上一条的链接断开。"
            )
        recomputed = ledger_hash(
            seq=entry.seq,
            action=entry.action,
            recorded_at=entry.recorded_at,
            disclosure_id=entry.disclosure_id,
            actor_id=entry.actor_id,
            payload=entry.payload,
            prev_hash=entry.prev_hash,
        )
        if recomputed != entry.hash:
            return LedgerReport(False, count, prev_hash, entry.seq, f"第 {entry.seq} 条记录的内容被改动过。")
        by_seq[entry.seq] = entry.hash
        prev_hash = entry.hash
        expected_seq += 1
    if community_id is not None:
        for anchor in LedgerAnchor.objects.filter(community_id=community_id).order_by("day"):
            if by_seq.get(anchor.head_seq) != anchor.head_hash:
                return LedgerReport(
                    False,
                    count,
                    prev_hash,
                    anchor.head_seq,
                    f"第 {anchor.head_seq} 条记录与 {anchor.day:%Y-%m-%d} 在街道登记的链头不符。",
                )
    return LedgerReport(True, count, prev_hash)


def obligations_open(*, on: date | None = None) -> QuerySet[Obligation]:
    return Obligation.objects.filter(status__in=OPEN).order_by("due_date")


def obligations_for_month(*, year: int, month: int) -> QuerySet[Obligation]:
    return Obligation.objects.filter(due_date__year=year, due_date__month=month).order_by("due_date")


def disclosures_in_progress() -> QuerySet[Disclosure]:
    return Disclosure.objects.exclude(
        status__in=[DisclosureStatus.PUBLISHED, DisclosureStatus.ARCHIVED, DisclosureStatus.SUPERSEDED]
    ).order_by("-updated_at")


def disclosures_published() -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(
        status__in=[DisclosureStatus.PUBLISHED, DisclosureStatus.ARCHIVED, DisclosureStatus.SUPERSEDED]
    ).order_by("-published_at")


def audit_for(disclosure: Disclosure) -> QuerySet[AuditRecord]:
    return AuditRecord.objects.filter(object_type="disclosure", object_id=disclosure.pk).order_by("at", "id")


def ledger_recent(limit: int = 100) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.select_related("disclosure").order_by("-seq")[:limit]


def anchors_of(*, community_id: int) -> QuerySet[LedgerAnchor]:
    return LedgerAnchor.objects.filter(community_id=community_id).order_by("-day")


def catalogue_standard(*, street_office_id: int, on: date) -> QuerySet[CatalogueItem]:
    return (
        CatalogueItem.objects.filter(street_office_id=street_office_id, valid_from__lte=on)
        .exclude(valid_until__lte=on)
        .order_by("code")
    )


def catalogue_local(*, on: date) -> QuerySet[LocalCatalogueItem]:
    return LocalCatalogueItem.objects.filter(valid_from__lte=on).exclude(valid_until__lte=on).order_by("code")
