"""When the working-day calendar changes, open deadlines in every community are recomputed."""

from django.dispatch import receiver

from disclosure.workdays.signals import calendar_changed


@receiver(calendar_changed, dispatch_uid="disclosure_recompute_due_on_calendar_change")
def recompute_open_deadlines(sender: object, years: set[int], **kwargs: object) -> None:
    from disclosure.tasks import recompute_due_all

    recompute_due_all.delay(sorted(years))
