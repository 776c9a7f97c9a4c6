"""Notifications: delivered by a real Celery worker inside the right community's schema."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from communities import delivery, services
from communities.models import Notification
from tests.dbroles import as_owner
from tests.factories import guards_off


@pytest.mark.worker
def test_worker_delivers_in_the_schema_the_task_was_sent_from(committed, celery_worker_process):
    from tenants.models import User

    handler = User.objects.get(username="yincheng_handler")
    with schema_context("yinnan"):
        decoy = Notification.objects.create(recipient=handler, title="银南的同号通知")
    with schema_context("yincheng"):
        [sent] = services.notification_send(recipients=[handler], title="新的审核任务")
    try:
        deadline = time.monotonic() + 20
        delivered = None
        while time.monotonic() < deadline:
            with schema_context("yincheng"):
                delivered = Notification.objects.get(pk=sent.pk).emailed_at
            if delivered:
                break
            time.sleep(0.2)
        assert delivered is not None, "the worker did not deliver the notification in yincheng's schema"
        with schema_context("yinnan"):
            assert Notification.objects.get(pk=decoy.pk).emailed_at is None
    finally:
        with schema_context("yincheng"):
            Notification.objects.filter(pk=sent.pk).delete()
        with schema_context("yinnan"):
            Notification.objects.filter(pk=decoy.pk).delete()


@pytest.mark.django_db
def test_delivering_twice_sends_once(world):
    from tenants.models import User

    user = User.objects.get(username="yincheng_secretary")
    with schema_context("yincheng"):
        notification = Notification.objects.create(recipient=user, title="提醒", send_sms=False)
        delivery.notification_deliver(notification=notification)
        delivery.notification_deliver(notification=notification)
    assert [m.subject for m in mail.outbox] == ["提醒"]


@pytest.mark.worker
def test_the_daily_task_runs_in_a_real_worker_and_twice_changes_nothing(committed, celery_worker_process):
    from communities.models import Notification
    from disclosure.models import Obligation, Reminder
    from disclosure.tasks import daily_for_community
    from standards.models import LedgerAnchor
    from tenants.models import Community
    from workdays.periods import Span, period_of

    # Obligations count from the month the community was created in (the suite creates its
    # communities on the day it runs): run on the 8th of the month after that one.
    created = timezone.localdate(Community.objects.get(schema_name="yinxin").created_at)
    month = period_of(Span.MONTH, created)
    on = (month.following.start + timedelta(days=7)).isoformat()
    with schema_context("yinxin"):
        before = set(Obligation.objects.values_list("pk", flat=True))
    try:
        first = daily_for_community.apply_async(args=[on], headers={"_schema_name": "yinxin"}).get(timeout=60)
        second = daily_for_community.apply_async(args=[on], headers={"_schema_name": "yinxin"}).get(
            timeout=60
        )
        assert first["created"] > 0 and first["reminded"] > 0
        assert second == {"created": 0, "changed": 0, "reminded": 0}
        with schema_context("yinxin"):
            assert Obligation.objects.filter(period=month.label).exists()
        with schema_context("yincheng"):
            assert not Obligation.objects.filter(period=month.label).exists()
    finally:
        with schema_context("yinxin"):
            Reminder.objects.exclude(obligation_id__in=before).delete()
            Notification.objects.filter(title__contains="期").delete()
            Obligation.objects.exclude(pk__in=before).delete()
        # the record is append-only: only its owner may switch the guard off to clean up
        with as_owner(), transaction.atomic(), guards_off("standards_ledgeranchor"):
            LedgerAnchor.objects.filter(community__schema_name="yinxin").delete()
