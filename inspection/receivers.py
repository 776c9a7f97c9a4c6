from django.dispatch import receiver

from disclosure.signals import disclosure_changed


@receiver(disclosure_changed, dispatch_uid="inspection_refresh_compliance")
def refresh_compliance(sender: object, community_id: int, **kwargs: object) -> None:
    from inspection.tasks import schedule_refresh

    schedule_refresh(community_id)
