"""When the working-day calendar changes, open deadlines in every community are recomputed; a community
backup carries its ledger anchors and a restore brings them back."""

from datetime import date

from django.dispatch import receiver

from disclosure.tasks import recompute_due_all
from standards.models import LedgerAnchor
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


@receiver(community_restore_apply, dispatch_uid="disclosure_ledger_anchors_from_backup")
def ledger_anchors_from_backup(sender: object, community: Community, public: dict, **kwargs: object) -> None:
    """The restored community keeps the original's anchors, so `verify_ledger` checks its restored chain
    against the heads recorded before the backup, not merely against itself."""
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
