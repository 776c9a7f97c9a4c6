"""When the working-day calendar changes, open deadlines in every community are recomputed; a community
backup carries the public record of its ledger (heads and daily anchors) and a restore brings it back."""

from datetime import date, datetime

from django.dispatch import receiver
from django_tenants.utils import schema_context

from disclosure.models import LedgerEntry
from disclosure.tasks import recompute_due_all
from standards.models import LedgerAnchor, LedgerHead
from tenants.models import Community
from tenants.signals import community_backup_collect, community_restore_apply
from workdays.signals import calendar_changed


@receiver(calendar_changed, dispatch_uid="disclosure_recompute_due_on_calendar_change")
def recompute_open_deadlines(sender: object, years: set[int], **kwargs: object) -> None:
    recompute_due_all.delay(sorted(years))


@receiver(community_backup_collect, dispatch_uid="disclosure_ledger_anchors_into_backup")
def ledger_anchors_into_backup(sender: object, community: Community, **kwargs: object) -> tuple[str, list]:
    """A community backup carries the chain heads the street office recorded for it."""
    anchors = LedgerAnchor.objects.filter(community=community).order_by("day")
    return "ledger_anchors", [
        {"day": a.day.isoformat(), "head_seq": a.head_seq, "head_hash": a.head_hash} for a in anchors
    ]


@receiver(community_backup_collect, dispatch_uid="disclosure_ledger_heads_into_backup")
def ledger_heads_into_backup(sender: object, community: Community, **kwargs: object) -> tuple[str, list]:
    """… and the head recorded at each append. Collected before the schema is dumped, so every head
    names an entry the dump holds (the dump may hold a few entries more)."""
    heads = LedgerHead.objects.filter(community=community).order_by("seq")
    return "ledger_heads", [
        {"seq": seq, "hash": hash_, "appended_at": at.isoformat()}
        for seq, hash_, at in heads.values_list("seq", "hash", "appended_at").iterator()
    ]


@receiver(community_restore_apply, dispatch_uid="disclosure_ledger_anchors_from_backup")
def ledger_anchors_from_backup(sender: object, community: Community, public: dict, **kwargs: object) -> None:
    """The restored community keeps the original's anchors and head history, so `verify_ledger` checks its
    restored chain against the heads recorded before the backup, not merely against itself.

    Entries the dump holds beyond the last carried head (appended while the backup ran), or a whole chain
    from an archive made before heads were recorded, get their heads from the restored chain, as the
    migration that introduced the head history did for existing chains."""
    LedgerAnchor.objects.bulk_create(
        [
            LedgerAnchor(
                community=community,
                day=date.fromisoformat(a["day"]),
                head_seq=a["head_seq"],
                head_hash=a["head_hash"],
            )
            for a in public.get("ledger_anchors", [])
        ]
    )
    carried = [
        LedgerHead(
            community=community,
            seq=h["seq"],
            hash=h["hash"],
            appended_at=datetime.fromisoformat(h["appended_at"]),
        )
        for h in public.get("ledger_heads", [])
    ]
    last = max((h.seq for h in carried), default=0)
    with schema_context(community.schema_name):
        tail = [
            LedgerHead(community=community, seq=seq, hash=hash_, appended_at=at)
            for seq, hash_, at in LedgerEntry.objects.filter(seq__gt=last)
            .order_by("seq")
            .values_list("seq", "hash", "recorded_at")
        ]
    LedgerHead.objects.bulk_create(carried + tail, batch_size=1000)
