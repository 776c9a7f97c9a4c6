"""Residents' SMS subscriptions: a code to opt in (expiry, tries, used once), unsubscribing by code or
by the link in every message, each publication texted once per subscriber (also under retries and a
real worker), and the 阿里云 SendSms request as the published API defines it, checked by a local HTTP
server standing in for dysmsapi.aliyuncs.com."""

import base64
import hashlib
import hmac
import json
import re
import time
import urllib.parse
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from communities.sms import AliyunSmsBackend, MemorySmsBackend, SmsFailed, aliyun_signature
from disclosure.models import PushDelivery, SmsCode, SmsSubscriber
from disclosure.pushes import sms_deliver_once, sms_publication_queue
from disclosure.services import sms
from tenants.errors import InvalidInput
from tests.factories import published_recently
from tests.stand_in import Received, StandIn

ON_WEB = ("board", "web")
MOBILE = "13812345678"
SECRET = "test-secret"


def sent_code(mobile: str = MOBILE) -> str:
    """The code in the last message to ``mobile``."""
    text = next(t for m, t in reversed(MemorySmsBackend.outbox) if m == mobile)
    found = re.search(r"验证码 (\d{6})", text)
    assert found, text
    return found.group(1)


@pytest.fixture
def outbox():
    MemorySmsBackend.outbox.clear()
    yield MemorySmsBackend.outbox
    MemorySmsBackend.outbox.clear()


def subscribe(community, mobile: str = MOBILE, categories: list[str] | None = None) -> SmsSubscriber:
    assert sms.code_send(community=community, mobile=mobile, purpose="subscribe", categories=categories)
    return sms.subscribe(mobile=mobile, code=sent_code(mobile))


# --- the code -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_number_is_subscribed_with_the_code_texted_to_it_and_shows_masked(in_yincheng, outbox):
    sms.code_send(
        community=in_yincheng, mobile="+86 138-1234-5678", purpose="subscribe", categories=["finance"]
    )
    [(mobile, text)] = outbox
    assert mobile == MOBILE and text.startswith("【银城社区】验证码 ")
    stored = SmsCode.objects.get()
    assert sent_code() not in stored.code_hash  # only a keyed hash is kept
    subscriber = sms.subscribe(mobile=MOBILE, code=sent_code())
    assert subscriber.categories == ["finance"] and str(subscriber) == "138****5678"
    with pytest.raises(InvalidInput, match="重新获取"):  # used once
        sms.subscribe(mobile=MOBILE, code=sent_code())
    with pytest.raises(InvalidInput, match="11位"):
        sms.code_send(community=in_yincheng, mobile="1381234567", purpose="subscribe")


@pytest.mark.django_db
def test_a_code_expires_after_ten_minutes(in_yincheng, outbox):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sms.code_send(community=in_yincheng, mobile=MOBILE, purpose="subscribe")
    with (
        time_machine.travel(start + timedelta(minutes=10, seconds=1), tick=False),
        pytest.raises(InvalidInput, match="已过期"),
    ):
        sms.subscribe(mobile=MOBILE, code=sent_code())
    with time_machine.travel(start + timedelta(minutes=9, seconds=59), tick=False):
        assert sms.subscribe(mobile=MOBILE, code=sent_code()).mobile == MOBILE


@pytest.mark.django_db
def test_five_wrong_tries_retire_a_code_and_a_newer_code_retires_the_older(in_yincheng, outbox):
    sms.code_send(community=in_yincheng, mobile=MOBILE, purpose="subscribe")
    right = sent_code()
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for left in (4, 3, 2, 1):
        with pytest.raises(InvalidInput, match=f"还可以试 {left} 次"):
            sms.subscribe(mobile=MOBILE, code=wrong)
    with pytest.raises(InvalidInput, match="已作废"):
        sms.subscribe(mobile=MOBILE, code=wrong)
    with pytest.raises(InvalidInput, match="已作废"):  # even the right one, now
        sms.subscribe(mobile=MOBILE, code=right)
    assert not SmsSubscriber.objects.exists()
    sms.code_send(community=in_yincheng, mobile=MOBILE, purpose="subscribe")
    older = sent_code()
    sms.code_send(community=in_yincheng, mobile=MOBILE, purpose="subscribe")
    if older != sent_code():
        with pytest.raises(InvalidInput):
            sms.subscribe(mobile=MOBILE, code=older)
    assert sms.subscribe(mobile=MOBILE, code=sent_code())


@pytest.mark.django_db
def test_unsubscribing_by_code_or_by_the_link_token(in_yincheng, outbox):
    # a number that never subscribed gets no code (and the page does not say so)
    assert not sms.code_send(community=in_yincheng, mobile="13900001111", purpose="unsubscribe")
    subscriber = subscribe(in_yincheng)
    sms.code_send(community=in_yincheng, mobile=MOBILE, purpose="unsubscribe")
    sms.unsubscribe_with_code(mobile=MOBILE, code=sent_code())
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None and sms.subscriber_counts()[""] == 0
    again = subscribe(in_yincheng, categories=["affairs"])
    assert again.pk == subscriber.pk and again.token == subscriber.token and again.unsubscribed_at is None
    assert sms.subscriber_counts()["affairs"] == 1
    by_link = sms.subscriber_by_token(subscriber.token)
    assert by_link is not None
    sms.unsubscribe_with_token(by_link)
    assert not SmsSubscriber.objects.filter(unsubscribed_at__isnull=True).exists()
    assert sms.subscriber_by_token("") is None and sms.subscriber_by_token("nope") is None


# --- texting each publication once ------------------------------------------------------------------


class FailingSms:
    def send(self, **kwargs: object) -> None:
        raise SmsFailed("短信平台拒绝:isv.BUSINESS_LIMIT_CONTROL")


@pytest.mark.django_db
def test_each_publication_is_texted_once_to_each_subscriber_of_its_category(
    world, outbox, settings, django_capture_on_commit_callbacks
):
    with tenant_context(world.yincheng):
        everything = subscribe(world.yincheng, "13800000001")
        finance = subscribe(world.yincheng, "13800000002", ["finance"])
        subscribe(world.yincheng, "13800000003", ["party"])
        gone = subscribe(world.yincheng, "13800000004")
        sms.unsubscribe_with_token(gone)
        outbox.clear()
        d = published_recently(world, title="十一月财务收支公开", category="finance", channels=ON_WEB)
        with django_capture_on_commit_callbacks() as queued:
            assert sms_publication_queue(community=world.yincheng, disclosure=d) == 2
        assert len(queued) == 2
        deliveries = PushDelivery.objects.filter(disclosure=d).order_by("subscriber__mobile")
        assert [x.subscriber_id for x in deliveries] == [everything.pk, finance.pk]
        settings.SMS_BACKEND = "tests.disclosure.test_sms.FailingSms"
        with pytest.raises(SmsFailed):
            sms_deliver_once(community=world.yincheng, delivery_pk=deliveries[0].pk)
        first = PushDelivery.objects.get(pk=deliveries[0].pk)
        assert first.sent_at is None and first.attempts == 1 and "BUSINESS_LIMIT" in first.error
        settings.SMS_BACKEND = "communities.sms.MemorySmsBackend"
        for delivery in deliveries:  # the retry, and a task delivered twice
            assert sms_deliver_once(community=world.yincheng, delivery_pk=delivery.pk)
            assert not sms_deliver_once(community=world.yincheng, delivery_pk=delivery.pk)
        with django_capture_on_commit_callbacks() as again:  # queued twice: nothing owed
            assert sms_publication_queue(community=world.yincheng, disclosure=d) == 0
        assert again == []
        assert PushDelivery.objects.get(pk=deliveries[0].pk).attempts == 2
    assert sorted(m for m, _ in outbox) == ["13800000001", "13800000002"]
    text = dict(outbox)["13800000001"]
    assert text.startswith("【银城社区】新公开:十一月财务收支公开 ")
    assert f"https://yincheng.localhost/disclosures/{d.pk}/" in text
    assert f"https://yincheng.localhost/sms/stop/{everything.token}/" in text


@pytest.mark.django_db
def test_a_publication_is_queued_for_texting_only_when_someone_subscribed(
    world, outbox, django_capture_on_commit_callbacks
):
    with tenant_context(world.yincheng):
        with django_capture_on_commit_callbacks() as nobody:
            published_recently(world, title="无人订阅", channels=ON_WEB)
        subscribe(world.yincheng)
        with django_capture_on_commit_callbacks() as somebody:
            published_recently(world, title="有人订阅", channels=ON_WEB)
    assert len(somebody) == len(nobody) + 1


def test_texting_is_rate_limited_and_retried_by_the_task():
    from disclosure.tasks import sms_deliver

    assert sms_deliver.rate_limit == "60/m" and sms_deliver.max_retries == 6 and sms_deliver.acks_late


# --- 阿里云 SendSms, against a stand-in ---------------------------------------------------------------


def documented_signature(params: dict[str, str], secret: str) -> str:
    """The RPC signature as the published algorithm states it, written out independently."""

    def enc(s: str) -> str:
        return urllib.parse.quote(s, safe="").replace("+", "%20").replace("*", "%2A").replace("%7E", "~")

    query = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
    to_sign = "POST&%2F&" + enc(query)
    return base64.b64encode(hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()).decode()


def test_the_signature_matches_the_worked_example_of_the_published_algorithm():
    """The example in 阿里云's RPC signature document (DescribeRegions, secret ``testsecret``)."""
    params = {
        "AccessKeyId": "testid",
        "Action": "DescribeRegions",
        "Format": "XML",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
        "SignatureVersion": "1.0",
        "Timestamp": "2016-02-23T12:46:24Z",
        "Version": "2014-05-26",
    }
    assert aliyun_signature(params, secret="testsecret", method="GET") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


class Dysms:
    """Stands in for dysmsapi.aliyuncs.com: checks the signature, records the parameters, answers as the
    API does (``Code`` OK, or the refusal it is told)."""

    def __init__(self) -> None:
        self.received: list[dict[str, str]] = []
        self.answer: dict[str, object] = {"Code": "OK", "Message": "OK", "BizId": "1", "RequestId": "r"}
        self.stand_in = StandIn(self.reply)
        self.url = f"{self.stand_in.base}/"

    def reply(self, request: Received) -> tuple[int, dict[str, object]]:
        params = dict(
            urllib.parse.parse_qsl(request.body.decode(), keep_blank_values=True, strict_parsing=True)
        )
        signature = params.pop("Signature")
        answer = self.answer
        if signature != documented_signature(params, SECRET):
            answer = {"Code": "SignatureDoesNotMatch", "Message": "Specified signature is not matched"}
        self.received.append({**params, "_path": request.path, "_type": request.content_type})
        return (200 if answer["Code"] == "OK" else 400), answer


@pytest.fixture
def dysms(settings):
    stand_in = Dysms()
    settings.SMS_BACKEND = "communities.sms.AliyunSmsBackend"
    settings.SMS_ALIYUN_ENDPOINT = stand_in.url
    settings.SMS_ALIYUN_ACCESS_KEY_ID = "test-key-id"
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = SECRET
    settings.SMS_ALIYUN_SIGN_NAME = "银州街道"
    settings.SMS_TEMPLATES = {"code": "SMS_100", "publication": "SMS_200", "text": "SMS_300"}
    yield stand_in
    stand_in.stand_in.shutdown()


def test_the_aliyun_request_is_signed_and_shaped_as_the_published_api(dysms):
    AliyunSmsBackend().send(
        mobile=MOBILE,
        text="【银城社区】新公开:低保名单 https://yincheng.localhost/disclosures/1/",
        template="publication",
        params={"title": "低保名单 & 公示", "link": "https://yincheng.localhost/disclosures/1/"},
    )
    [req] = dysms.received
    assert req["_type"] == "application/x-www-form-urlencoded" and req["_path"] == "/"
    assert req["Action"] == "SendSms" and req["Version"] == "2017-05-25" and req["Format"] == "JSON"
    assert req["SignatureMethod"] == "HMAC-SHA1" and req["SignatureVersion"] == "1.0"
    assert req["AccessKeyId"] == "test-key-id" and re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", req["Timestamp"]
    )
    assert req["PhoneNumbers"] == MOBILE and req["SignName"] == "银州街道"
    assert req["TemplateCode"] == "SMS_200"
    assert json.loads(req["TemplateParam"]) == {
        "title": "低保名单 & 公示",
        "link": "https://yincheng.localhost/disclosures/1/",
    }
    # a message without a template of its own goes through the text template
    AliyunSmsBackend().send(mobile=MOBILE, text="你好")
    assert dysms.received[1]["TemplateCode"] == "SMS_300"
    assert json.loads(dysms.received[1]["TemplateParam"]) == {"content": "你好"}
    assert dysms.received[0]["SignatureNonce"] != dysms.received[1]["SignatureNonce"]


def test_a_refusal_or_a_wrong_signature_is_a_failure_saying_why(dysms, settings):
    dysms.answer = {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号"}
    with pytest.raises(SmsFailed, match="MOBILE_NUMBER_ILLEGAL"):
        AliyunSmsBackend().send(mobile=MOBILE, text="x")
    dysms.answer = {"Code": "OK", "Message": "OK"}
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "not-the-secret"
    with pytest.raises(SmsFailed, match="SignatureDoesNotMatch"):
        AliyunSmsBackend().send(mobile=MOBILE, text="x")
    settings.SMS_ALIYUN_ENDPOINT = "http://127.0.0.1:9/"
    with pytest.raises(SmsFailed, match="连接短信平台失败"):
        AliyunSmsBackend().send(mobile=MOBILE, text="x")


@pytest.mark.django_db
def test_the_code_goes_through_the_provider_s_code_template(in_yincheng, dysms):
    sms.code_send(community=in_yincheng, mobile=MOBILE, purpose="subscribe")
    [req] = dysms.received
    assert req["TemplateCode"] == "SMS_100"
    code = json.loads(req["TemplateParam"])["code"]
    assert sms.subscribe(mobile=MOBILE, code=code).mobile == MOBILE


# --- a real worker ------------------------------------------------------------------------------------


@pytest.mark.worker
def test_a_real_worker_texts_a_publication_once(committed, celery_worker_process):
    """Published in 银新社区 with a subscriber: the worker texts it once, in yinxin's schema, even when
    the publication's texting is queued a second time."""
    from disclosure.tasks import sms_publication
    from tenants.models import Community
    from tenants.tasking import enqueue_in_schema
    from tests.factories import published_once

    yinxin = Community.objects.get(schema_name="yinxin")
    mobile = f"139{time.time_ns() % 10**8:08d}"
    with tenant_context(yinxin):
        sms.code_send(community=yinxin, mobile=mobile, purpose="subscribe")
        subscriber = sms.subscribe(mobile=mobile, code=sent_code(mobile))
    try:
        with tenant_context(yinxin):
            d = published_once(
                title=f"短信测试 {time.time_ns()}",
                category="affairs",
                content_type="notice",
                body="<p>短信。</p>",
                data=None,
            )

        def sent() -> PushDelivery | None:
            with schema_context("yinxin"):
                return PushDelivery.objects.filter(
                    disclosure=d, subscriber=subscriber, sent_at__isnull=False
                ).first()

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not sent():
            time.sleep(0.2)
        assert sent() is not None
        enqueue_in_schema(sms_publication, d.pk, community=yinxin)  # queued again: nothing owed
        time.sleep(2)
        delivery = sent()
        assert delivery is not None and delivery.attempts == 1
    finally:
        with schema_context("yinxin"):
            SmsSubscriber.objects.filter(pk=subscriber.pk).delete()


def test_the_console_backend_logs_the_text_with_the_number_masked(caplog):
    from communities.sms import ConsoleSmsBackend

    with caplog.at_level("INFO", logger="communities.sms"):
        ConsoleSmsBackend().send(mobile=MOBILE, text="【银城社区】验证码 123456", template="code", params={})
    assert "138****5678" in caplog.text and "123456" in caplog.text and MOBILE not in caplog.text
