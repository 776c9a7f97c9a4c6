"""Residents' opinions on a consultation (征求意见, 新视界方案 四(一)): accepted only while the period is
open, anonymous or signed with a query code, shown publicly only when the supervision group decides,
never with the name or the mobile. Each rule has a test that fails if the rule breaks; the dates are
derived from the day the test runs."""

import itertools
import os
import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure.feedback import opinions
from disclosure.feedback.models import Opinion
from disclosure.rules import CONSULTATION_MIN_DAYS
from tenants.errors import Conflict, NotAllowed
from tests.conftest import host, login
from tests.disclosure.test_consultations import consultation
from tests.factories import PASSWORD, here
from workdays.dates import zh_date

pytestmark = pytest.mark.django_db
_addresses = itertools.count(1)


def resident() -> Client:
    """A browser on its own address: the rate limit counts per address in the run's Redis."""
    n = next(_addresses)
    return Client(
        HTTP_HOST=host("yincheng"), REMOTE_ADDR=f"10.{os.getpid() % 250}.{n // 250 + 100}.{n % 250 + 1}"
    )


def staff(login_name: str) -> Client:
    client = Client(HTTP_HOST=host("yincheng"))
    assert login(client, login_name, PASSWORD).status_code == 302
    return client


def send(client: Client, pk: int, **data: str):
    form = {"text": "建议电梯费用按楼层分摊,一楼住户少出。", "name": "", "mobile": "", "homepage": "", **data}
    return client.post(f"/consultations/{pk}/", form)


def open_consultation(world, *, days_ago: int = 2):
    with tenant_context(world.yincheng):
        return consultation(world, opens=timezone.localdate() - timedelta(days=days_ago))


def ended_consultation(world):
    return open_consultation(world, days_ago=CONSULTATION_MIN_DAYS + 3)


def stored(world, **filters) -> Opinion:
    with tenant_context(world.yincheng):
        return Opinion.objects.get(**filters)


# --- the period ------------------------------------------------------------------------------------


def test_an_anonymous_opinion_gets_a_query_code_and_stores_no_name(world):
    c = open_consultation(world)
    client = resident()
    page = client.get(f"/consultations/{c.pk}/").content.decode()
    closes = timezone.localdate() - timedelta(days=2) + timedelta(days=CONSULTATION_MIN_DAYS - 1)
    assert f"意见征集中,截至 {zh_date(closes)}" in page and 'name="text"' in page
    response = send(client, c.pk)
    assert response.status_code == 302
    location = re.fullmatch(r"/consultations/opinions/([A-Z0-9]{10})/\?new=1", response["Location"])
    assert location is not None, response["Location"]
    code = location.group(1)
    opinion = stored(world, code=code)
    assert (opinion.name, opinion.mobile, opinion.shown) == ("", "", False)
    status = client.get(response["Location"]).content.decode()
    assert "已收到您的意见" in status and "监督小组审看中" in status and "匿名" in status
    # the one lookup page finds an opinion's code too
    found = client.get("/feedback/lookup/", {"code": code.lower()})
    assert found.status_code == 302 and found["Location"] == f"/consultations/opinions/{code}/"


def test_no_opinion_is_accepted_after_the_period_and_the_form_says_so(world):
    c = ended_consultation(world)
    client = resident()
    page = client.get(f"/consultations/{c.pk}/").content.decode()
    assert "不再接收意见" in page and 'name="text"' not in page
    response = send(client, c.pk, text="截止以后才写的意见")
    assert response.status_code == 400
    assert "不再接收意见" in response.content.decode() and "截止以后才写的意见" in response.content.decode()
    with tenant_context(world.yincheng):
        assert not Opinion.objects.exists()
        with pytest.raises(Conflict, match="截止"):
            opinions.opinion_submit(community=here(), consultation=c, text="晚了")


def test_no_opinion_is_accepted_before_the_period_opens(world, in_yincheng):
    c = consultation(world, opens=date(2026, 6, 8))
    with pytest.raises(Conflict, match="开始"):
        opinions.opinion_submit(community=here(), consultation=c, text="早了", today=date(2026, 6, 7))
    first_day = opinions.opinion_submit(
        community=here(), consultation=c, text="第一天", today=date(2026, 6, 8)
    )
    last = date(2026, 6, 8) + timedelta(days=CONSULTATION_MIN_DAYS - 1)
    last_day = opinions.opinion_submit(community=here(), consultation=c, text="最后一天", today=last)
    assert first_day.pk and last_day.pk


# --- moderation -------------------------------------------------------------------------------------


def test_the_supervision_group_shows_and_hides_opinions_and_the_counts_follow(world):
    c = open_consultation(world)
    send(resident(), c.pk, text="赞成加装电梯,我家老人上下楼太难了。")
    send(resident(), c.pk, text="反对,电梯噪音影响低层。", name="王建国", mobile="13812341234")
    hidden_first = resident().get(f"/consultations/{c.pk}/").content.decode()
    assert "赞成加装电梯" not in hidden_first
    assert re.search(r'data-count="received">\s*2 条', hidden_first)
    assert re.search(r'data-count="shown">\s*0 条', hidden_first)

    signed = stored(world, mobile="13812341234")
    supervisor = staff("yincheng_supervisor")
    staff_page = supervisor.get(f"/workspace/consultations/{c.pk}/").content.decode()
    assert "王建国" in staff_page and "138****1234" in staff_page and "13812341234" not in staff_page
    assert (
        supervisor.post(
            f"/workspace/consultations/opinions/{signed.pk}/moderate/", {"shown": "1"}
        ).status_code
        == 302
    )
    page = resident().get(f"/consultations/{c.pk}/").content.decode()
    assert "反对,电梯噪音影响低层。" in page and "赞成加装电梯" not in page
    assert "王建国" not in page and "王*国" not in page and "1234" not in page  # never the name or mobile
    assert re.search(r'data-count="shown">\s*1 条', page)

    assert (
        supervisor.post(
            f"/workspace/consultations/opinions/{signed.pk}/moderate/", {"shown": "0"}
        ).status_code
        == 302
    )
    assert "反对,电梯噪音影响低层。" not in resident().get(f"/consultations/{c.pk}/").content.decode()
    assert stored(world, pk=signed.pk).moderated_by_name


def test_only_the_supervision_group_decides_what_is_shown(world, in_yincheng):
    c = consultation(world, opens=date(2026, 6, 8))
    o = opinions.opinion_submit(community=here(), consultation=c, text="意见", today=date(2026, 6, 9))
    with pytest.raises(NotAllowed, match="监督小组"):
        opinions.opinion_moderate(
            opinion=o, actor=world.user("yincheng_handler"), community=here(), shown=True
        )
    head = opinions.opinion_moderate(
        opinion=o, actor=world.user("yincheng_supervision_head"), community=here(), shown=True
    )
    assert head.shown


def test_a_handler_may_read_the_opinions_but_not_show_them(world):
    c = open_consultation(world)
    send(resident(), c.pk)
    o = stored(world)
    handler = staff("yincheng_handler")
    page = handler.get(f"/workspace/consultations/{c.pk}/").content.decode()
    assert "建议电梯费用" in page and "/moderate/" not in page
    refused = handler.post(f"/workspace/consultations/opinions/{o.pk}/moderate/", {"shown": "1"})
    assert refused.status_code == 403
    assert not stored(world, pk=o.pk).shown


def test_numbers_typed_into_a_shown_opinion_are_masked(world):
    c = open_consultation(world)
    send(resident(), c.pk, text="请联系我 13912345678,身份证 110101199003077777。")
    o = stored(world)
    with tenant_context(world.yincheng):
        opinions.opinion_moderate(
            opinion=o, actor=world.user("yincheng_supervisor"), community=here(), shown=True
        )
    page = resident().get(f"/consultations/{c.pk}/").content.decode()
    assert "139****5678" in page and "13912345678" not in page and "110101199003077777" not in page


def test_the_consultation_page_links_to_its_opinions_page(world):
    c = open_consultation(world)
    page = resident().get(f"/disclosures/{c.pk}/").content.decode()
    assert f'href="/consultations/{c.pk}/"' in page
    assert resident().get("/consultations/999999/").status_code == 404
