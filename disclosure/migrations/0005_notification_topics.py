"""Notifications sent before they named their step: give the disclosure engine's their topic, and
resolve those whose step was done long ago (a "请审核" for an item published since, a reminder for
an obligation fulfilled since), so that nobody's list starts full of work that is finished.

A notification is recognised by what it always carried: its title's opening words and its link. The
topics are spelled here as ``disclosure.topics`` spells them today (a migration is frozen history and
does not import application code). A notification is resolved when the thing it asked for has left
the state it waited in: its status now is another, or the audit trail shows it left that state after
the notification was sent (submitted again since, and so waiting again, but not for this one)."""

import re

from django.db import migrations
from django.utils import timezone

DISCLOSURE_URL = re.compile(r"^/workspace/disclosures/(\d+)/$")
# title opening → (the step's topic suffix, the status the disclosure waits in for it)
DISCLOSURE_STEPS = {
    "请审核:": ("review", "submitted"),
    "审核退回:": ("resubmit", "returned"),
    "审核通过:": ("approved", "approved"),
}
ORDER = "监督小组责令重新公布:"
REMINDER = re.compile(r"^(?:即将到期:(?P<soon>.+)须在 .+ 前公开|已逾期:(?P<late>.+)应于 .+ 前公开)$")
OPEN_OBLIGATION = ("upcoming", "due_soon", "overdue")


def _disclosure_notifications(apps, now):
    Notification = apps.get_model("communities", "Notification")
    Disclosure = apps.get_model("disclosure", "Disclosure")
    AuditRecord = apps.get_model("disclosure", "AuditRecord")
    for notification in Notification.objects.filter(topic="", title__regex=r"^(请审核|审核退回|审核通过):"):
        match = DISCLOSURE_URL.match(notification.url)
        disclosure = Disclosure.objects.filter(pk=match.group(1)).first() if match else None
        if disclosure is None:
            continue
        step, waits_in = DISCLOSURE_STEPS[notification.title[: notification.title.index(":") + 1]]
        notification.topic = f"disclosure:{disclosure.pk}:{step}"
        left_since = AuditRecord.objects.filter(
            object_type="disclosure",
            object_id=disclosure.pk,
            from_state=waits_in,
            at__gte=notification.created_at,
        ).exists()
        if disclosure.status != waits_in or left_since:
            notification.resolved_at = now
        notification.save(update_fields=["topic", "resolved_at"])


def _obligation_notifications(apps, now):
    Notification = apps.get_model("communities", "Notification")
    Disclosure = apps.get_model("disclosure", "Disclosure")
    Obligation = apps.get_model("disclosure", "Obligation")
    by_item = {}
    for obligation in Obligation.objects.all():
        by_item.setdefault(f"{obligation.title}({obligation.period})", []).append(obligation)
    for notification in Notification.objects.filter(topic="", title__regex=r"^(即将到期|已逾期|监督小组责令重新公布):"):
        obligation = None
        reminder = REMINDER.match(notification.title)
        if reminder:
            found = by_item.get(reminder.group("soon") or reminder.group("late"), [])
            obligation = found[0] if len(found) == 1 else None
        elif notification.title.startswith(ORDER):
            match = DISCLOSURE_URL.match(notification.url)
            draft = Disclosure.objects.filter(pk=match.group(1)).first() if match else None
            obligation = draft.obligation if draft is not None else None
        if obligation is None:
            continue
        notification.topic = f"obligation:{obligation.pk}"
        if obligation.status not in OPEN_OBLIGATION:
            notification.resolved_at = now
        notification.save(update_fields=["topic", "resolved_at"])


def forward(apps, schema_editor):
    now = timezone.now()
    _disclosure_notifications(apps, now)
    _obligation_notifications(apps, now)


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0004_notification_topic"),
        ("disclosure", "0004_truncate_guards"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
