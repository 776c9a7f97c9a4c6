"""A resident on the street office's site (base domain), on a phone and on a desktop: from the home page
to a search across the communities, a facet, and the item on its community's own site."""

from __future__ import annotations

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import ViewportSize

from disclosure.choices import Category, ContentType
from tenants.models import Community
from tests.browser import DESKTOP, chromium, shoot
from tests.factories import published_once

pytestmark = pytest.mark.browser
NARROW_PHONE: ViewportSize = {"width": 360, "height": 780}
TITLE = "第四季度小区照明改造资金公开(街道站浏览器测试)"


@pytest.fixture
def statement(committed):  # type: ignore[no-untyped-def]
    with tenant_context(Community.objects.get(schema_name="yinxin")):
        return published_once(
            title=TITLE,
            category=Category.FINANCE,
            content_type=ContentType.FINANCE,
            body="<p>经居民代表会议讨论通过,更换小区老旧路灯,收支逐笔公开如下。</p>",
            data={
                "period": "2026年第四季度",
                "opening_balance": "9000.00",
                "closing_balance": "6600.00",
                "lines": [
                    {
                        "date": "2026-11-05",
                        "description": "更换东区路灯灯杆 4 根",
                        "direction": "expense",
                        "category": "公共设施",
                        "amount": "2400",
                        "voucher": "付-11-07",
                    }
                ],
            },
        )


def test_a_resident_finds_any_communitys_item_from_the_street_offices_site(web_server, statement):
    base = web_server.format("")
    with chromium() as browser:
        for name, viewport in (("phone-360", NARROW_PHONE), ("desktop-1280", DESKTOP)):
            context = browser.new_context(viewport=viewport, locale="zh-CN")
            page = context.new_page()
            page.goto(base + "/")
            main = page.locator("main")
            assert "各社区公开网站" in main.inner_text() and "银新社区" in main.inner_text()
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            shoot(page, f"street-office-home-{name}")

            page.get_by_label("查找各社区的公开内容").fill("路灯")
            page.get_by_role("button", name="搜索").click()
            page.wait_for_load_state()
            hit = page.locator("li.hit", has_text=TITLE)
            assert hit.locator("mark", has_text="路灯").count() >= 1
            assert "银新社区" in hit.inner_text()
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            shoot(page, f"street-office-search-{name}")

            page.locator(".facets").get_by_role("link", name="财务").click()
            page.wait_for_load_state()
            assert "category=finance" in page.url and TITLE in page.locator("main").inner_text()

            page.locator("li.hit", has_text=TITLE).get_by_role("link", name=TITLE).click()
            page.wait_for_load_state()
            assert page.url.startswith(web_server.format("yinxin."))
            assert "更换东区路灯灯杆 4 根" in page.locator("main").inner_text()
            context.close()
