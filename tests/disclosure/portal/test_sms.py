"""短信订阅 over HTTP: the two steps (number, then code), the rate limits per number and per address,
unsubscribing by the link in every text and by a code, masking, and the staff page's counts."""

import itertools
import os
import re

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from communities.sms import MemorySmsBackend
from disclosure.models import SmsSubscriber
from tests.conftest import host, login
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
_n = itertools.count(1)


def resident() -> Client:
    """A browser on its own address (the rate limits count per address in the run's Redis)."""
    n = next(_n)
    return Client(
        HTTP_HOST=host("yincheng"), REMOTE_ADDR=f"10.{os.getpid() % 250}.{200 + n // 250}.{n % 250 + 1}"
    )


def new_mobile() -> str:
    """A number of its own (the limits count per number in the run's Redis too)."""
    return f"135{os.getpid() % 10000:04d}{next(_n) % 10000:04d}"


@pytest.fixture(autouse=True)
def outbox():
    MemorySmsBackend.outbox.clear()
    yield MemorySmsBackend.outbox
    MemorySmsBackend.outbox.clear()


def code_for(mobile: str) -> str:
    text = next(t for m, t in reversed(MemorySmsBackend.outbox) if m == mobile)
    return re.search(r"验证码 (\d{6})", text).group(1)  # type: ignore[union-attr]


def subscriber(world, mobile: str) -> SmsSubscriber:
    with tenant_context(world.yincheng):
        return SmsSubscriber.objects.get(mobile=mobile)


def test_a_resident_subscribes_with_the_code_and_the_number_never_comes_back_in_full(world):
    client, mobile = resident(), new_mobile()
    page = client.get("/sms/").content.decode()
    assert "短信订阅" in page and "获取验证码" in page
    asked = client.post("/sms/", {"mobile": f"+86 {mobile}", "categories": ["finance", "affairs"]})
    assert asked.status_code == 302 and asked["Location"] == "/sms/?step=code"
    step2 = client.get("/sms/?step=code").content.decode()
    assert f"{mobile[:3]}****{mobile[-4:]}" in step2 and mobile not in step2
    assert "事务" in step2 and "财务" in step2
    wrong = f"{(int(code_for(mobile)) + 1) % 10**6:06d}"
    refused = client.post("/sms/?step=code", {"code": wrong})
    assert refused.status_code == 400 and "还可以试 4 次" in refused.content.decode()
    assert 'href="#id_code"' in refused.content.decode()  # the error summary links to the field
    done = client.post("/sms/?step=code", {"code": code_for(mobile)})
    assert done.status_code == 302 and done["Location"] == "/sms/?step=done"
    assert "订阅成功" in client.get(done["Location"]).content.decode()
    s = subscriber(world, mobile)
    assert s.categories == ["affairs", "finance"]


def test_a_wrong_number_is_refused_in_chinese_with_what_was_typed_kept(world):
    client = resident()
    response = client.post("/sms/", {"mobile": "1234567", "categories": ["finance"]})
    page = response.content.decode()
    assert response.status_code == 400 and "请输入11位中国大陆手机号码" in page
    assert 'value="1234567"' in page and re.search(r'value="finance"[^>]*checked', page)
    assert not MemorySmsBackend.outbox


def test_codes_are_limited_per_number_and_per_address(world, settings):
    settings.SMS_CODE_RATE_PER_NUMBER = "2/h"
    mobile = new_mobile()
    for _ in range(2):
        assert resident().post("/sms/", {"mobile": mobile}).status_code == 302
    held = resident().post("/sms/", {"mobile": mobile})  # a third address, the same number
    assert held.status_code == 429 and "次数太多" in held.content.decode()
    assert [m for m, _ in MemorySmsBackend.outbox] == [mobile, mobile]

    settings.SMS_CODE_RATE_PER_NUMBER = "100/h"
    settings.SMS_CODE_RATE_PER_ADDRESS = "2/h"
    client = resident()
    assert client.post("/sms/", {"mobile": new_mobile()}).status_code == 302
    assert client.post("/sms/stop/", {"mobile": new_mobile()}).status_code == 302  # counted together
    assert client.post("/sms/", {"mobile": new_mobile()}).status_code == 429
    assert resident().post("/sms/", {"mobile": new_mobile()}).status_code == 302


def test_the_link_in_every_text_unsubscribes_with_one_click_and_a_confirmation(world):
    client, mobile = resident(), new_mobile()
    client.post("/sms/", {"mobile": mobile})
    client.post("/sms/?step=code", {"code": code_for(mobile)})
    s = subscriber(world, mobile)
    link = f"/sms/stop/{s.token}/"
    other = resident()  # the link works from any phone or browser
    page = other.get(link).content.decode()
    assert "确认退订" in page and mobile[-4:] not in page
    assert subscriber(world, mobile).unsubscribed_at is None  # opening the link is not enough
    assert other.post(link).status_code == 302
    assert subscriber(world, mobile).unsubscribed_at is not None
    assert "已退订" in other.get(link).content.decode()
    unknown = other.get("/sms/stop/not-a-token/")
    assert unknown.status_code == 404 and "退订链接无效" in unknown.content.decode()


def test_unsubscribing_with_a_code_and_the_same_page_for_a_number_never_subscribed(world):
    client, mobile = resident(), new_mobile()
    client.post("/sms/", {"mobile": mobile})
    client.post("/sms/?step=code", {"code": code_for(mobile)})
    stranger, never = resident(), new_mobile()
    asked = stranger.post("/sms/stop/", {"mobile": never})
    assert asked.status_code == 302 and asked["Location"] == "/sms/stop/?step=code"
    assert "如果" in stranger.get(asked["Location"]).content.decode()
    assert never not in [m for m, _ in MemorySmsBackend.outbox]  # nothing texted to it
    assert client.post("/sms/stop/", {"mobile": mobile}).status_code == 302
    assert client.post("/sms/stop/?step=code", {"code": code_for(mobile)}).status_code == 302
    assert subscriber(world, mobile).unsubscribed_at is not None


def test_the_staff_page_counts_subscribers_per_category_and_shows_no_number(world):
    mobile = new_mobile()
    client = resident()
    client.post("/sms/", {"mobile": mobile, "categories": ["finance"]})
    client.post("/sms/?step=code", {"code": code_for(mobile)})
    staff = Client(HTTP_HOST=host("yincheng"))
    assert login(staff, "yincheng_handler", PASSWORD).status_code == 302
    page = staff.get("/workspace/group-pushes/").content.decode()
    assert "短信订阅" in page and mobile not in page and mobile[-4:] not in page
    finance = re.search(r"<td>财务公开</td><td>(\d+)</td>", page) or re.search(
        r"<td>财务</td><td>(\d+)</td>", page
    )
    assert finance is not None and int(finance.group(1)) >= 1
