"""Notifications that resolve themselves: a step done by one person takes the matching notification off
every recipient's waiting list (history keeps it), each step of the engine resolves what asked for
it, a resolved notification is not sent any more, and the notifications page shows and opens only
one's own."""

from __future__ import annotations

import importlib
import re
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from communities import delivery, selectors
from communities import services as notices
from communities.models import Notification
from disclosure import services
from disclosure import topics as T
from disclosure.choices import DisclosureStatus
from disclosure.feedback import services as feedback_services
from disclosure.feedback.choices import Finding, Kind
from disclosure.models import Disclosure, Obligation
from tenants import services as tenant_services
from tenants.choices import CommunityRole
from tenants.models import User
from tests.conftest import host, login
from tests.factories import (
    SIGNERS,
    FeedbackFactory,
    UserFactory,
    approved,
    at,
    here,
    next_version_published,
    published,
    signed,
    submitted,
)

pytestmark = pytest.mark.django_db


def active(world, login_name: str) -> list[str]:
    return [n.title for n in selectors.notifications_active(world.user(login_name))]


def history(world, login_name: str) -> list[Notification]:
    return list(selectors.notifications_history(world.user(login_name)))


def waiting(topic: str) -> int:
    """How many recipients still wait on ``topic``."""
    return Notification.objects.filter(topic=topic, resolved_at__isnull=True).count()


def send_back(world, d: Disclosure) -> Disclosure:
    """The supervision group returns ``d`` with its comments."""
    return services.disclosure_review(
        community=here(),
        disclosure=d,
        actor=world.user("yincheng_supervisor"),
        decision="return",
        comments="户数与台帐不符",
    )


def resubmit(world, d: Disclosure) -> Disclosure:
    """The handler sends ``d`` (returned or withdrawn) to the supervision group again."""
    return services.disclosure_submit(
        community=here(),
        disclosure=d,
        actor=world.user("yincheng_handler"),
        planned_publish_date=date(2026, 6, 8),
        today=date(2026, 6, 1),
    )


def second_supervisor(world, number: int = 2) -> User:
    user = UserFactory.create(username=f"yincheng_supervisor{number}")
    tenant_services.membership_grant(user=user, community=world.yincheng, role=CommunityRole.SUPERVISOR)
    return user


# --- one person's step is everyone's --------------------------------------------------------------------


def test_the_review_that_completes_the_quorum_takes_the_request_off_every_supervisors_list(
    world, in_yincheng
):
    """Three members, a majority of two: the first approval is its giver's step alone; the second
    approves the draft, and the third member's request stops waiting too."""
    second_supervisor(world)
    second_supervisor(world, 3)
    group = ("yincheng_supervisor", "yincheng_supervisor2", "yincheng_supervisor3")
    d = submitted(world, title="6月低保公示")
    for login_name in group:
        assert active(world, login_name) == ["请审核:6月低保公示"]

    services.disclosure_review(
        community=in_yincheng, disclosure=d, actor=world.user("yincheng_supervisor2"), decision="approve"
    )
    assert active(world, "yincheng_supervisor2") == []
    assert (
        active(world, "yincheng_supervisor")
        == active(world, "yincheng_supervisor3")
        == ["请审核:6月低保公示"]
    )

    services.disclosure_review(
        community=in_yincheng, disclosure=d, actor=world.user("yincheng_supervisor"), decision="approve"
    )
    for login_name in group:
        assert active(world, login_name) == []
        [kept] = history(world, login_name)
        assert kept.title == "请审核:6月低保公示" and kept.resolved_at is not None
        assert kept.read_at is None  # resolved is not read: the history says which it was


def test_returning_a_draft_resolves_the_review_too_and_asks_the_drafter(world, in_yincheng):
    d = submitted(world, title="6月低保公示")
    send_back(world, d)
    assert active(world, "yincheng_supervisor") == []
    assert active(world, "yincheng_handler") == ["审核退回:6月低保公示"]

    resubmit(world, d)
    assert active(world, "yincheng_handler") == []
    assert active(world, "yincheng_supervisor") == ["请审核:6月低保公示"]  # a new request, for the new round
    assert waiting(T.disclosure(d.pk, T.Step.RESUBMIT)) == 0


def test_withdrawing_resolves_the_review_request(world, in_yincheng):
    d = submitted(world)
    services.disclosure_withdraw(disclosure=d, actor=world.user("yincheng_handler"), reason="补一张照片")
    assert active(world, "yincheng_supervisor") == []
    assert waiting(T.disclosure_all(d.pk)) == 0


def test_withdrawing_an_approved_draft_resolves_the_requests_to_sign(world, in_yincheng):
    d = approved(world, title="6月低保公示")
    assert waiting(T.sign(d.pk, "secretary")) == 1
    services.disclosure_withdraw(disclosure=d, actor=world.user("yincheng_handler"), reason="补一张照片")
    assert active(world, "yincheng_secretary") == []
    assert active(world, "yincheng_director") == []


# --- signatures and publication ---------------------------------------------------------------------------


def test_approval_asks_each_signing_role_and_a_signature_resolves_only_its_own(world, in_yincheng):
    d = approved(world, title="6月低保公示")
    for role in SIGNERS:
        assert "请签字:6月低保公示" in active(world, f"yincheng_{role}")
        assert waiting(T.sign(d.pk, role)) == 1
    assert "请签字:6月低保公示" not in active(world, "yincheng_supervisor")
    assert "请签字:6月低保公示" not in active(world, "yincheng_deputy")

    services.disclosure_sign(
        community=in_yincheng, disclosure=d, actor=world.user("yincheng_director"), role="director"
    )
    assert "请签字:6月低保公示" not in active(world, "yincheng_director")
    assert "请签字:6月低保公示" in active(world, "yincheng_secretary")
    assert not Notification.objects.filter(title__startswith="可以公布").exists()


def test_the_last_signature_tells_the_publishers_and_publication_resolves_everything(world, in_yincheng):
    d = signed(world, title="6月低保公示")
    publishers = {"yincheng_handler", "yincheng_secretary", "yincheng_director"}
    told = set(
        Notification.objects.filter(title="可以公布:6月低保公示").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == publishers
    assert waiting(T.disclosure(d.pk, T.Step.PUBLISH)) == len(publishers)
    assert "审核通过:6月低保公示" in active(world, "yincheng_handler")  # the drafter follows it through

    services.disclosure_publish(
        community=in_yincheng,
        disclosure=d,
        actor=world.user("yincheng_secretary"),
        channels=["board"],
        now=at(date(2026, 6, 8)),
    )
    for login_name in publishers:
        assert active(world, login_name) == []
    assert waiting(T.disclosure_all(d.pk)) == 0


def test_an_approval_after_a_withdrawal_asks_only_the_roles_whose_signature_no_longer_counts(
    world, in_yincheng
):
    """Withdrawn and resubmitted unchanged: the signatures still bind the same content, so nobody is
    asked to sign again and the publishers are told at once."""
    d = signed(world, title="6月低保公示")
    services.disclosure_withdraw(disclosure=d, actor=world.user("yincheng_handler"), reason="再看一遍")
    d = resubmit(world, d)
    services.disclosure_review(
        community=in_yincheng, disclosure=d, actor=world.user("yincheng_supervisor"), decision="approve"
    )
    assert sum(waiting(T.sign(d.pk, role)) for role in SIGNERS) == 0
    assert waiting(T.disclosure(d.pk, T.Step.PUBLISH)) == 3


# --- obligations ------------------------------------------------------------------------------------------


def _reminded(in_yincheng, on: date) -> Obligation:
    services.obligations_generate(community=in_yincheng, on=on, since=date(2026, 5, 1))
    services.obligations_refresh(community=in_yincheng, on=on)
    services.reminders_send(community=in_yincheng, on=on)
    return Obligation.objects.get(code="SW-03", period="2026-05")  # due 2026-06-10: due soon on 06-08


def test_publication_fulfils_the_obligation_and_resolves_its_reminders(world, in_yincheng):
    ob = _reminded(in_yincheng, date(2026, 6, 8))
    topic = T.obligation(ob.pk)
    assert waiting(topic) == 2  # the handler and the secretary
    [reminder] = [n for n in history(world, "yincheng_handler") if n.topic == topic]
    assert reminder.title == f"即将到期:{ob.title}({ob.period_zh})须在 6月10日(周三) 前公开"
    assert reminder.url == "/workspace/obligations/"

    published(world, obligation=ob, on=date(2026, 6, 8))
    assert waiting(topic) == 0


def test_waiving_an_obligation_resolves_its_reminders(world, in_yincheng):
    services.obligations_generate(community=in_yincheng, on=date(2026, 6, 8), since=date(2026, 5, 1))
    services.obligations_refresh(community=in_yincheng, on=date(2026, 6, 8))
    services.reminders_send(community=in_yincheng, on=date(2026, 6, 8))
    ob = Obligation.objects.get(code="SW-07", period="2026-05")
    assert waiting(T.obligation(ob.pk)) == 2
    services.obligation_waive(
        community=in_yincheng, obligation=ob, actor=world.user("yincheng_secretary"), reason="本月无此类事项"
    )
    assert waiting(T.obligation(ob.pk)) == 0


def test_a_republication_order_is_resolved_when_the_correction_is_published(world, in_yincheng):
    old = published(world, title="5月财务公开")
    correction = services.disclosure_order_republication(
        community=in_yincheng,
        disclosure=old,
        actor=world.user("yincheng_supervisor"),
        finding="漏报一笔 600 元支出",
        today=date(2026, 6, 10),
    )
    assert correction.obligation is not None
    order = T.obligation(correction.obligation.pk)
    assert active(world, "yincheng_handler")[0] == "监督小组责令重新公布:5月财务公开"
    assert waiting(order) == 1

    correction = next_version_published(
        world,
        correction,
        body="<p>补充:6月5日购买防汛物资 600 元。</p>",
        on=date(2026, 6, 11),
        submitted_on=date(2026, 6, 10),
        short_notice_reason="监督小组责令限期重新公布",
    )
    assert waiting(order) == 0
    assert waiting(T.disclosure_all(correction.pk)) == 0


# --- residents' feedback ---------------------------------------------------------------------------------


def test_answering_resolves_the_new_matter_and_its_reminders_for_everyone(world, in_yincheng):
    f = FeedbackFactory.create(on=date(2026, 6, 1))  # due Mon June 15
    feedback_services.feedback_daily_check(community=in_yincheng, on=date(2026, 6, 11))  # 即将到期
    topic = T.feedback(f.pk, T.FeedbackStep.ANSWER)
    assert waiting(topic) == 6  # new + reminder, to the handler, the secretary and the director
    assert any(
        t.startswith("新的居民询问") and "6月15日(周一)" in t for t in active(world, "yincheng_director")
    )

    feedback_services.feedback_answer(
        community=in_yincheng,
        feedback=f,
        actor=world.user("yincheng_secretary"),
        answer="已修好",
        public=True,
    )
    assert waiting(topic) == 0
    for login_name in ("yincheng_handler", "yincheng_secretary", "yincheng_director"):
        assert active(world, login_name) == []


def test_the_supervision_groups_finding_resolves_its_request_to_investigate(world, in_yincheng):
    f = FeedbackFactory.create(kind=Kind.COMPLAINT)
    second_supervisor(world)  # joined later: was never asked, is not told of the finding's request
    topic = T.feedback(f.pk, T.FeedbackStep.INVESTIGATE)
    assert waiting(topic) == 1
    feedback_services.feedback_record_finding(
        community=in_yincheng,
        feedback=f,
        actor=world.user("yincheng_supervisor2"),
        finding=Finding.UNFOUNDED,
        text="经核实,不属实。",
    )
    assert waiting(topic) == 0
    assert not any(t.startswith("请监督小组调查") for t in active(world, "yincheng_supervisor"))
    # the finding itself only informs the staff who answer: waiting until read, then gone
    [finding] = [n for n in history(world, "yincheng_handler") if n.title.startswith("监督小组调查结论")]
    assert finding.topic == "" and finding.title in active(world, "yincheng_handler")
    notices.notification_mark_read(notification=finding, user=world.user("yincheng_handler"))
    assert finding.title not in active(world, "yincheng_handler")


# --- read and unread, resolve and delivery ------------------------------------------------------------


def test_a_step_stays_waiting_when_read_and_a_message_only_until_read(world, in_yincheng):
    handler = world.user("yincheng_handler")
    [step] = notices.notification_send(
        recipients=[handler], title="请签字:甲", topic="disclosure:1:sign:handler"
    )
    [info] = notices.notification_send(recipients=[handler], title="审核结果:乙")
    assert selectors.notifications_unread_count(handler) == 2
    assert active(world, "yincheng_handler") == ["审核结果:乙", "请签字:甲"]  # newest first

    notices.notification_mark_read(notification=step, user=handler)
    notices.notification_mark_read(notification=info, user=handler)
    assert active(world, "yincheng_handler") == ["请签字:甲"]
    assert selectors.notifications_unread_count(handler) == 0
    assert len(history(world, "yincheng_handler")) == 2


def test_only_the_recipient_marks_a_notification_read(world, in_yincheng):
    [n] = notices.notification_send(recipients=[world.user("yincheng_handler")], title="请审核:甲")
    notices.notification_mark_read(notification=n, user=world.user("yincheng_secretary"))
    n.refresh_from_db()
    assert n.read_at is None


def test_resolving_by_prefix_does_not_touch_a_disclosure_whose_number_starts_the_same(world, in_yincheng):
    handler = world.user("yincheng_handler")
    notices.notification_send(recipients=[handler], title="甲", topic=T.disclosure(4, T.Step.PUBLISH))
    notices.notification_send(recipients=[handler], title="乙", topic=T.disclosure(42, T.Step.PUBLISH))
    assert notices.notifications_resolve(prefix=T.disclosure_all(4)) == 1
    assert active(world, "yincheng_handler") == ["乙"]
    with pytest.raises(ValueError):
        notices.notifications_resolve()


def test_a_notification_resolved_before_delivery_is_neither_mailed_nor_owed(world, in_yincheng):
    handler = world.user("yincheng_handler")
    handler.mobile = "13800000001"
    handler.save(update_fields=["mobile"])
    [n] = notices.notification_send(
        recipients=[handler], title="请审核:甲", topic="disclosure:7:review", sms=True
    )
    Notification.objects.filter(pk=n.pk).update(created_at=timezone.now() - timedelta(hours=1))
    assert n.pk in delivery.notifications_pending()
    notices.notifications_resolve(topic="disclosure:7:review")

    assert n.pk not in delivery.notifications_pending()
    delivery.notification_deliver(notification=n)
    n.refresh_from_db()
    assert (n.emailed_at, n.sms_sent_at) == (None, None)
    assert mail.outbox == []


# --- the page -----------------------------------------------------------------------------------------


def staff(login_name: str, code: str = "yincheng") -> Client:
    client = Client(HTTP_HOST=host(code))
    assert login(client, login_name).status_code == 302
    return client


def test_the_page_shows_waiting_and_all_with_read_unread_done_and_chinese_times(world):
    with tenant_context(world.yincheng):
        submitted(world, title="6月低保公示")
        handler = world.user("yincheng_handler")
        notices.notification_send(recipients=[handler], title="请签字:早先的", topic="x:1")
        notices.notifications_resolve(topic="x:1")
        [read] = notices.notification_send(recipients=[handler], title="请签字:看过的", topic="x:2")
        notices.notification_mark_read(notification=read, user=handler)
        sent = timezone.localtime(read.created_at)
    client = staff("yincheng_handler")

    page = client.get("/workspace/notifications/").content.decode()
    assert "请签字:看过的" in page and "请签字:早先的" not in page
    assert "已读" in page and "待处理" in page
    assert f"{sent.year}年{sent.month}月{sent.day}日 {sent:%H:%M}" in page
    assert not re.search(r"20\d\d-\d\d-\d\d", page)

    everything = client.get("/workspace/notifications/?tab=all").content.decode()
    assert "请签字:早先的" in everything and "已办结" in everything

    supervisor = staff("yincheng_supervisor")
    listed = supervisor.get("/workspace/notifications/").content.decode()
    assert "请审核:6月低保公示" in listed and "未读" in listed
    assert "请签字" not in listed  # nobody else's


def test_opening_a_notification_reads_it_and_goes_to_its_link(world):
    with tenant_context(world.yincheng):
        d = submitted(world, title="6月低保公示")
        n = Notification.objects.get(
            recipient__username="yincheng_supervisor", topic=T.disclosure(d.pk, T.Step.REVIEW)
        )
    client = staff("yincheng_supervisor")
    assert client.get(f"/workspace/notifications/{n.pk}/open/").status_code == 405  # a POST only

    response = client.post(f"/workspace/notifications/{n.pk}/open/")
    assert response.status_code == 302 and response["Location"] == f"/workspace/disclosures/{d.pk}/"
    with tenant_context(world.yincheng):
        n.refresh_from_db()
        assert n.read_at is not None and n.resolved_at is None


def test_nobody_opens_or_reads_someone_elses_notification(world):
    with tenant_context(world.yincheng):
        [n] = notices.notification_send(recipients=[world.user("yincheng_handler")], title="请签字:甲")
    for login_name in ("yincheng_secretary", "yincheng_supervisor"):
        assert staff(login_name).post(f"/workspace/notifications/{n.pk}/open/").status_code == 404
    assert staff("yincheng_handler").post("/workspace/notifications/abc/open/").status_code == 404
    # another community's staff on their own site: that schema has no such notification of theirs
    assert staff("yinnan_handler", "yinnan").post(f"/workspace/notifications/{n.pk}/open/").status_code == 404
    # and on this site they are nobody
    assert staff_refused_here("yinnan_handler", n.pk)
    anonymous = Client(HTTP_HOST=host("yincheng"))
    assert anonymous.post(f"/workspace/notifications/{n.pk}/open/").status_code == 302
    assert anonymous.get("/workspace/notifications/").status_code == 302
    with tenant_context(world.yincheng):
        n.refresh_from_db()
        assert n.read_at is None


def staff_refused_here(login_name: str, pk: int) -> bool:
    """A member of another community cannot even log in here; a session from there is not valid here."""
    client = Client(HTTP_HOST=host("yincheng"))
    refused = login(client, login_name).status_code != 302
    return refused and client.post(f"/workspace/notifications/{pk}/open/").status_code == 302


def test_marking_all_read_reads_only_ones_own(world):
    with tenant_context(world.yincheng):
        for title in ("请审核:甲", "请审核:乙"):
            notices.notification_send(
                recipients=[world.user("yincheng_handler")], title=title, topic="t:" + title
            )
        notices.notification_send(recipients=[world.user("yincheng_secretary")], title="请签字:丙")
    client = staff("yincheng_handler")
    assert "全部标为已读" in client.get("/workspace/notifications/").content.decode()
    response = client.post("/workspace/notifications/read-all/", {"tab": "all"})
    assert response.status_code == 302 and response["Location"] == "/workspace/notifications/?tab=all"
    assert "全部标为已读" not in client.get("/workspace/notifications/").content.decode()
    with tenant_context(world.yincheng):
        assert selectors.notifications_unread_count(world.user("yincheng_handler")) == 0
        assert selectors.notifications_unread_count(world.user("yincheng_secretary")) == 1
        assert len(active(world, "yincheng_handler")) == 2  # read, but the steps still wait


def test_the_history_comes_a_page_at_a_time(world, monkeypatch):
    from communities import views

    monkeypatch.setattr(views, "NOTIFICATIONS_PAGE", 2)
    with tenant_context(world.yincheng):
        for number in range(5):
            notices.notification_send(recipients=[world.user("yincheng_handler")], title=f"消息{number}")
    client = staff("yincheng_handler")
    first = client.get("/workspace/notifications/?tab=all").content.decode()
    assert "消息4" in first and "消息3" in first and "消息2" not in first
    assert "第 1 / 3 页" in first
    last = client.get("/workspace/notifications/?tab=all&page=3").content.decode()
    assert "消息0" in last and "消息4" not in last


def test_the_workspace_menu_links_the_notifications_page_with_the_unread_count(world):
    client = staff("yincheng_deputy")
    menu = re.compile(r'<nav class="subnav"[^>]*>.*?href="/workspace/notifications/">通知(.*?)</a>', re.S)
    found = menu.search(client.get("/workspace/notifications/").content.decode())
    assert found and "count" not in found.group(1)
    with tenant_context(world.yincheng):
        deputy = world.user("yincheng_deputy")
        notices.notification_send(recipients=[deputy], title="请审核:甲", topic="t:甲")
        notices.notification_send(recipients=[deputy], title="请审核:乙", topic="t:乙")
        notices.notifications_resolve(topic="t:乙")  # done by someone else: nothing to read any more
    found = menu.search(client.get("/workspace/notifications/").content.decode())
    assert found and re.search(r'class="count"[^>]*>1</span>', found.group(1))


# --- the data migrations: what was sent before topics -----------------------------------------------------


def _migrate(app_module: str) -> None:
    importlib.import_module(app_module).forward(apps, None)


def _old(recipient: User, title: str, url: str) -> Notification:
    """A notification as it was stored before it named its step."""
    return Notification.objects.create(recipient=recipient, title=title, url=url)


def test_the_migration_resolves_review_requests_and_reminders_whose_step_is_done(world, in_yincheng):
    supervisor, handler = world.user("yincheng_supervisor"), world.user("yincheng_handler")
    done = published(world, title="早已公布的")
    waiting_one = submitted(world, title="还在审核的")
    Notification.objects.all().delete()
    old_done = _old(supervisor, "请审核:早已公布的", f"/workspace/disclosures/{done.pk}/")
    old_waiting = _old(supervisor, "请审核:还在审核的", f"/workspace/disclosures/{waiting_one.pk}/")
    old_approved = _old(handler, "审核通过:早已公布的", f"/workspace/disclosures/{done.pk}/")
    services.obligations_generate(community=in_yincheng, on=date(2026, 6, 8), since=date(2026, 5, 1))
    ob = Obligation.objects.get(code="SW-07", period="2026-05")
    old_reminder = _old(handler, f"即将到期:{ob.title}({ob.period})须在 06月10日 前公开", "/workspace/")
    services.obligation_waive(
        community=in_yincheng, obligation=ob, actor=world.user("yincheng_secretary"), reason="无"
    )
    unknown = _old(handler, "系统维护通知", "")

    _migrate("disclosure.migrations.0005_notification_topics")

    rows = {n.pk: n for n in Notification.objects.all()}
    assert rows[old_done.pk].topic == T.disclosure(done.pk, T.Step.REVIEW) and rows[old_done.pk].resolved_at
    assert (
        rows[old_approved.pk].topic == T.disclosure(done.pk, T.Step.APPROVED)
        and rows[old_approved.pk].resolved_at
    )
    assert rows[old_waiting.pk].topic == T.disclosure(waiting_one.pk, T.Step.REVIEW)
    assert rows[old_waiting.pk].resolved_at is None
    assert rows[old_reminder.pk].topic == T.obligation(ob.pk) and rows[old_reminder.pk].resolved_at
    assert rows[unknown.pk].topic == "" and rows[unknown.pk].resolved_at is None


def test_the_migration_resolves_a_review_request_of_an_earlier_round(world, in_yincheng):
    """Returned, then submitted again: the first round's request is done though the status is 'submitted'."""
    d = submitted(world, title="两轮审核的")
    old = _old(world.user("yincheng_supervisor"), "请审核:两轮审核的", f"/workspace/disclosures/{d.pk}/")
    send_back(world, d)
    resubmit(world, d)
    assert Disclosure.objects.get(pk=d.pk).status == DisclosureStatus.SUBMITTED
    _migrate("disclosure.migrations.0005_notification_topics")
    old.refresh_from_db()
    assert old.topic == T.disclosure(d.pk, T.Step.REVIEW) and old.resolved_at is not None


def test_the_feedback_migration_resolves_answered_and_investigated_matters(world, in_yincheng):
    handler, supervisor = world.user("yincheng_handler"), world.user("yincheng_supervisor")
    answered = FeedbackFactory.create(on=date(2026, 6, 1))
    feedback_services.feedback_answer(
        community=in_yincheng, feedback=answered, actor=handler, answer="已修好", public=False
    )
    open_one = FeedbackFactory.create(kind=Kind.COMPLAINT, on=date(2026, 6, 1))
    Notification.objects.all().delete()
    url = "/workspace/feedback/{}/"
    rows = [
        _old(handler, "新的居民询问(社区工作),须在 2026-06-15 前答复", url.format(answered.pk)),
        _old(handler, "即将到期:居民询问(社区工作)须在 06月15日 前答复", url.format(answered.pk)),
        _old(handler, "新的居民投诉(社区工作),须在 2026-06-15 前答复", url.format(open_one.pk)),
        _old(supervisor, "请监督小组调查:居民投诉(社区工作)", url.format(open_one.pk)),
        _old(handler, "监督小组调查结论:不属实 · 居民投诉(社区工作)", url.format(open_one.pk)),
    ]

    _migrate("disclosure.feedback.migrations.0002_notification_topics")

    got = [(n.topic, n.resolved_at is not None) for n in (Notification.objects.get(pk=r.pk) for r in rows)]
    assert got == [
        (T.feedback(answered.pk, T.FeedbackStep.ANSWER), True),
        (T.feedback(answered.pk, T.FeedbackStep.ANSWER), True),
        (T.feedback(open_one.pk, T.FeedbackStep.ANSWER), False),
        (T.feedback(open_one.pk, T.FeedbackStep.INVESTIGATE), False),
        ("", False),
    ]
