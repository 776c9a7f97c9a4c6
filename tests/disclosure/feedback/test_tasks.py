"""The daily check and the resident's SMS in a real Celery worker, in the right community's schema."""

from datetime import date

import pytest
from django.conf import settings
from django_tenants.utils import schema_context

from communities.models import Notification
from disclosure.feedback import services
from disclosure.feedback.choices import EscalationReason
from disclosure.feedback.models import Feedback
from disclosure.feedback.sms import resident_sms
from disclosure.feedback.tasks import daily_for_community
from tenants.models import User
from tests.factories import here


def test_the_daily_check_is_on_the_beat_schedule_and_registered():
    from config.celery import app

    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "disclosure.feedback.tasks.daily_all" in entries
    app.loader.import_default_modules()
    assert "disclosure.feedback.tasks.daily_all" in app.tasks


@pytest.mark.worker
def test_a_missed_deadline_escalates_in_a_real_worker_once_and_the_sms_goes_once(
    committed, celery_worker_process
):
    with schema_context("yinxin"):
        late = services.feedback_submit(
            community=here(),
            kind="question",
            text="工作者测试:超期未答复",
            today=date(2026, 6, 1),
            name="李明",
            mobile="13912345678",
        )
    try:
        first = daily_for_community.apply_async(args=["2026-06-16"], headers={"_schema_name": "yinxin"}).get(
            timeout=60
        )
        second = daily_for_community.apply_async(args=["2026-06-16"], headers={"_schema_name": "yinxin"}).get(
            timeout=60
        )
        assert first["escalated"] >= 1 and second["escalated"] == 0 and second["reminded"] == 0
        with schema_context("yinxin"):
            late.refresh_from_db()
            assert late.escalation_reason == EscalationReason.OVERDUE
            services.feedback_answer(
                community=here(),
                feedback=late,
                actor=User.objects.get(username="yinxin_handler"),
                answer="已处理。",
                public=False,
            )
        with schema_context("yincheng"):
            assert not Feedback.objects.filter(text__startswith="工作者测试").exists()
        # the SMS task: the after-commit one and a repeat; the resident is texted once
        assert resident_sms.apply_async(args=[late.pk], headers={"_schema_name": "yinxin"}).get(
            timeout=60
        ) in (
            "sent",
            "skipped",
        )
        assert resident_sms.apply_async(args=[late.pk], headers={"_schema_name": "yinxin"}).get(
            timeout=60
        ) == ("skipped")
        with schema_context("yinxin"):
            assert Feedback.objects.get(pk=late.pk).resident_sms_at is not None
    finally:
        with schema_context("yinxin"):
            Feedback.objects.filter(pk=late.pk).delete()
            Notification.objects.filter(url=f"/workspace/feedback/{late.pk}/").delete()
