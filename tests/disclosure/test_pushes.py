"""Pushes into the residents' WeChat Work groups: the robot's documented JSON, once per publication and
group, retried while the robot refuses, only what is on the website, delivered by a real worker. A local
HTTP server stands in for qyapi.weixin.qq.com and answers as the robot does."""

import json
import time

import pytest
from django_tenants.utils import schema_context, tenant_context

from disclosure.models import GroupWebhook, PushDelivery
from disclosure.pushes import PushFailed, publication_push
from disclosure.services import pushes
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tests.factories import published_recently
from tests.stand_in import Received, StandIn

ON_WEB = ("board", "web")


class Robot:
    """Stands in for a group robot: records each request; answers errcode 0 unless told otherwise."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.answer = {"errcode": 0, "errmsg": "ok"}
        self.stand_in = StandIn(self.reply)
        self.url = f"{self.stand_in.base}/cgi-bin/webhook/send?key=test-key"

    def reply(self, request: Received) -> tuple[int, dict[str, object]]:
        self.received.append(
            {"path": request.path, "type": request.content_type, "json": json.loads(request.body)}
        )
        return 200, self.answer


@pytest.fixture
def robot(settings):
    settings.WECOM_WEBHOOK_HOSTS = ["qyapi.weixin.qq.com", "127.0.0.1"]
    r = Robot()
    yield r
    r.stand_in.shutdown()


@pytest.mark.django_db
def test_a_pasted_address_must_be_a_group_robot_s(world, in_yincheng):
    handler = world.user("yincheng_handler")
    for url, says in (
        ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "https://"),
        ("https://example.com/cgi-bin/webhook/send?key=k", "不是企业微信群机器人的地址"),
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send", "缺少 key"),
    ):
        with pytest.raises(InvalidInput, match=says):
            pushes.webhook_add(community=in_yincheng, actor=handler, name="居民群", url=url)
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"
    pushes.webhook_add(community=in_yincheng, actor=handler, name="居民群", url=url)
    with pytest.raises(Conflict):
        pushes.webhook_add(community=in_yincheng, actor=handler, name="又一个", url=url)
    with pytest.raises(NotAllowed):
        pushes.webhook_add(
            community=in_yincheng, actor=world.user("yincheng_supervisor"), name="群", url=url + "x"
        )


@pytest.mark.django_db
def test_a_publication_goes_to_each_group_once_as_a_news_card(world, robot):
    with tenant_context(world.yincheng):
        pushes.webhook_add(
            community=world.yincheng, actor=world.user("yincheng_handler"), name="居民群", url=robot.url
        )
        d = published_recently(
            world, title="十一月社区事务公开", body="<p>更换路灯 12 盏。</p>", channels=ON_WEB
        )
        assert publication_push(community=world.yincheng, disclosure=d) == 1
        assert publication_push(community=world.yincheng, disclosure=d) == 0  # sent once
        delivery = PushDelivery.objects.get(disclosure=d)
        assert delivery.sent_at is not None and delivery.attempts == 1
    [request] = robot.received
    assert request["path"] == "/cgi-bin/webhook/send?key=test-key"
    assert request["type"] == "application/json"
    [article] = request["json"]["news"]["articles"]
    assert request["json"]["msgtype"] == "news"
    assert article["title"] == "银城社区公开:十一月社区事务公开"
    assert article["description"] == "更换路灯 12 盏。"
    assert article["url"] == f"https://yincheng.localhost/disclosures/{d.pk}/"


@pytest.mark.django_db
def test_a_refused_push_stays_owed_and_goes_out_once_when_the_robot_answers(world, robot):
    with tenant_context(world.yincheng):
        pushes.webhook_add(
            community=world.yincheng, actor=world.user("yincheng_handler"), name="居民群", url=robot.url
        )
        d = published_recently(world, title="低保办理指南", channels=ON_WEB)
        robot.answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
        with pytest.raises(PushFailed, match="居民群"):
            publication_push(community=world.yincheng, disclosure=d)
        webhook = GroupWebhook.objects.get()
        assert "93000" in webhook.last_error and PushDelivery.objects.get().sent_at is None
        robot.answer = {"errcode": 0, "errmsg": "ok"}
        assert publication_push(community=world.yincheng, disclosure=d) == 1
        assert publication_push(community=world.yincheng, disclosure=d) == 0
        webhook.refresh_from_db()
        assert webhook.last_error == "" and PushDelivery.objects.get().attempts == 2
    assert len(robot.received) == 2


@pytest.mark.django_db
def test_only_what_is_on_the_website_is_queued_for_the_groups(
    world, robot, django_capture_on_commit_callbacks
):
    with tenant_context(world.yincheng):
        pushes.webhook_add(
            community=world.yincheng, actor=world.user("yincheng_handler"), name="居民群", url=robot.url
        )
        with django_capture_on_commit_callbacks() as board_only:
            published_recently(world, title="只贴公开栏", channels=("board",))
        with django_capture_on_commit_callbacks() as on_web:
            published_recently(world, title="网站也公开", channels=ON_WEB)
    # the web publication has one callback more than the board-only one: its push
    assert len(on_web) == len(board_only) + 1


@pytest.mark.worker
def test_a_real_worker_pushes_a_publication(committed, celery_worker_process, settings):
    """Published in 银新社区 with a group connected: the worker posts the card once, in yinxin's schema."""
    from tenants.models import Community, User
    from tests.factories import published_once

    settings.WECOM_WEBHOOK_HOSTS = ["127.0.0.1"]
    r = Robot()
    yinxin = Community.objects.get(schema_name="yinxin")
    try:
        with tenant_context(yinxin):
            hook = pushes.webhook_add(
                community=yinxin, actor=User.objects.get(username="yinxin_handler"), name="居民群", url=r.url
            )
            d = published_once(
                title=f"推送测试 {time.time_ns()}",
                category="affairs",
                content_type="notice",
                body="<p>推送。</p>",
                data=None,
            )

        def sent() -> bool:  # the robot answers before the worker's transaction commits: wait for both
            with schema_context("yinxin"):
                return PushDelivery.objects.filter(disclosure=d, webhook=hook, sent_at__isnull=False).exists()

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not sent():
            time.sleep(0.2)
        assert [a["title"] for req in r.received for a in req["json"]["news"]["articles"]] == [
            f"银新社区公开:{d.title}"
        ]
        with schema_context("yinxin"):
            assert PushDelivery.objects.get(disclosure=d, webhook=hook).sent_at is not None
    finally:
        r.stand_in.shutdown()
        with schema_context("yinxin"):
            GroupWebhook.objects.filter(url=r.url).delete()
