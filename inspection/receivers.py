from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from disclosure.signals import disclosure_changed
from inspection.models import ComplianceSummary


@receiver(disclosure_changed, dispatch_uid="inspection_refresh_compliance")
def refresh_compliance(sender: object, community_id: int, **kwargs: object) -> None:
    from inspection.tasks import schedule_refresh

    schedule_refresh(community_id)


@receiver(post_save, sender=ComplianceSummary, dispatch_uid="inspection_heatmap_on_save")
@receiver(post_delete, sender=ComplianceSummary, dispatch_uid="inspection_heatmap_on_delete")
def refresh_heatmap(sender: object, instance: ComplianceSummary, **kwargs: Any) -> None:
    """The dashboard's rows follow every summary row, in the transaction that writes it."""
    from inspection.services.heatmap import summary_changed

    summary_changed(community_id=instance.community_id, year=instance.start.year)
