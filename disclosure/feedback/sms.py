"""The text message that tells a signed resident their answer is ready: its wording, the once-only
send, and the task that sends it after the answer commits.

It sits below ``services`` (which queues it when an answer is saved) and beside ``tasks`` (the daily
check), so that nothing in feedback imports in a circle.
"""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from communities.sms import get_backend
from disclosure.feedback.choices import Status
from disclosure.feedback.models import Feedback
from tenants.models import Community, Domain
from tenants.tasking import enqueue_in_schema, task_community
from workdays.dates import zh_date


def resident_sms_text(feedback: Feedback, *, community: Community) -> str:
    domain = Domain.objects.filter(tenant=community, is_primary=True).values_list("domain", flat=True).first()
    where = f"{domain}/feedback/{feedback.code}/" if domain else f"查询码 {feedback.code_display}"
    received = zh_date(feedback.received_on, year=False)
    return (
        f"【{community.name}】您{received}反映的{feedback.get_kind_display()}已答复,"
        f"查询码 {feedback.code_display},请到 {where} 查看。"
    )


def resident_sms_send(*, feedback: Feedback, community: Community) -> bool:
    """Text the signed resident that the answer is ready, at most once (safe to run twice)."""
    with transaction.atomic():
        locked = Feedback.objects.select_for_update().get(pk=feedback.pk)
        if not locked.signed or locked.status != Status.ANSWERED or locked.resident_sms_at is not None:
            return False
        get_backend().send(mobile=locked.mobile, text=resident_sms_text(locked, community=community))
        locked.resident_sms_at = timezone.now()
        locked.save(update_fields=["resident_sms_at", "updated_at"])
    return True


# Registered under the name it had when it lived in ``tasks``, so messages already queued still find it.
@shared_task(name="disclosure.feedback.tasks.resident_sms", acks_late=True)
def resident_sms(feedback_id: int) -> str:
    feedback = Feedback.objects.filter(pk=feedback_id).first()
    if feedback is None:
        return "missing"
    return "sent" if resident_sms_send(feedback=feedback, community=task_community()) else "skipped"


def resident_sms_after_commit(feedback: Feedback, *, community: Community) -> None:
    """Queue the resident's SMS, in ``community``'s schema, once the answer is committed."""
    enqueue_in_schema(resident_sms, feedback.pk, community=community)
