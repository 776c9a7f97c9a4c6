"""Notifications about residents' feedback sent before they named their step: give them their topic,
and resolve those whose step is done (the matter answered, the supervision group's finding recorded),
so that nobody is still asked to answer a question answered weeks ago.

Recognised by the link to the matter's staff page and the title's opening words; the topics are spelled
as ``disclosure.topics`` spells them today (a migration does not import application code). The
finding's own notification only informs: it gets no topic."""

import re

from django.db import migrations
from django.utils import timezone

FEEDBACK_URL = re.compile(r"^/workspace/feedback/(\d+)/$")
ANSWER = re.compile(r"^(新的居民.+须在 .+ 前答复|今天到期:|即将到期:.+前答复)")
INVESTIGATE = re.compile(r"^(请监督小组调查:|逾期未答复,转监督小组:)")


def forward(apps, schema_editor):
    Notification = apps.get_model("communities", "Notification")
    Feedback = apps.get_model("feedback", "Feedback")
    now = timezone.now()
    for notification in Notification.objects.filter(topic="", url__startswith="/workspace/feedback/"):
        match = FEEDBACK_URL.match(notification.url)
        feedback = Feedback.objects.filter(pk=match.group(1)).first() if match else None
        if feedback is None:
            continue
        if ANSWER.match(notification.title):
            notification.topic = f"feedback:{feedback.pk}:answer"
            done = feedback.status != "received"
        elif INVESTIGATE.match(notification.title):
            notification.topic = f"feedback:{feedback.pk}:investigate"
            done = bool(feedback.finding)
        else:
            continue
        notification.resolved_at = now if done else None
        notification.save(update_fields=["topic", "resolved_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0004_notification_topic"),
        ("feedback", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
