"""A resident on a phone reads an open consultation (征求意见), sends an empty form and is told what to
fill in, sends an opinion anonymously and keeps its query code; the page fits a phone and a desktop.
Real server, real chromium, in 银新社区 (the browser tests' community)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure.choices import Category, ContentType
from disclosure.feedback import opinions
from disclosure.feedback.models import Opinion
from disclosure.rules import CONSULTATION_MIN_DAYS
from tenants.models import Community
from tests.browser import DESKTOP, PHONE, chromium, shoot
from tests.factories import BY_LOGIN, published_once
from workdays.dates import zh_date

pytestmark = pytest.mark.browser
SITE = "yinxin."
SAID = (
    "赞成按月收费,但是要给本小区居民优惠,外来车辆多收一些。",
    "收来的停车费怎么用?建议每季度在公开栏公布收支明细。",
    "晚上十点以后经常有外来车辆占道,收费以后请安排人值守。",
)


@pytest.fixture
def consultation(committed):
    today = timezone.localdate()
    community = Community.objects.get(schema_name="yinxin")
    with tenant_context(community):
        d = published_once(
            title=f"关于调整小区停车收费标准的意见征集({zh_date(today)}浏览器测试)",
            category=Category.AFFAIRS,
            content_type=ContentType.CONSULTATION,
            body="<p>社区拟调整停车收费标准,现向全体居民征求意见。</p>",
            data={
                "opens_on": today.isoformat(),
                "closes_on": (today + timedelta(days=CONSULTATION_MIN_DAYS + 3)).isoformat(),
            },
        )
        if not Opinion.objects.filter(consultation=d).exists():
            for number, text in enumerate(SAID):
                o = opinions.opinion_submit(community=community, consultation=d, text=text)
                opinions.opinion_moderate(
                    opinion=o, actor=BY_LOGIN.user("yinxin_supervisor"), community=community, shown=number < 2
                )
        return d


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def test_a_resident_sends_an_opinion_on_a_phone(browser, web_server, consultation):
    base = web_server.format(SITE)
    closes = zh_date(consultation.data["closes_on"])
    phone = browser.new_context(viewport=PHONE, locale="zh-CN")
    try:
        page = phone.new_page()
        page.goto(f"{base}/disclosures/{consultation.pk}/")
        assert f"意见征集中,截至 {closes}" in page.inner_text("main")
        page.get_by_role("link", name="发表意见,查看大家的意见").click()
        page.wait_for_load_state()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        shoot(page, "consultation-390")
        page.get_by_role("button", name="提交意见").click()
        page.wait_for_load_state()
        summary = page.locator(".error-summary")
        assert "请填写您的意见" in summary.inner_text()
        summary.get_by_role("link").first.click()
        assert page.evaluate("document.activeElement.name") == "text"
        page.get_by_label("您的意见").fill("希望先把地面划线、装好道闸再收费。")
        page.get_by_role("button", name="提交意见").click()
        page.wait_for_load_state()
        assert "已收到您的意见" in page.inner_text("main")
        assert re.search(r"/consultations/opinions/[A-Z0-9]{10}/", page.url)
        shoot(page, "opinion-status-390")
    finally:
        phone.close()
    desktop = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    try:
        page = desktop.new_page()
        page.goto(f"{base}/consultations/{consultation.pk}/")
        text = page.inner_text("main")
        assert SAID[0] in text and SAID[2] not in text  # shown, and hidden by the supervision group
        shoot(page, "consultation-1280")
    finally:
        desktop.close()
