"""A resident on a phone: opens the community's portal, searches, reads a disclosure and checks its
hash against the paper notice. Runs in 银新社区 (the browser tests' community) against the real server;
what it publishes cannot be deleted by design, so it is created once under unique titles."""

import os
import time

import pytest

from tests.browser import DESKTOP, PHONE, chromium, shoot

pytestmark = pytest.mark.browser
SITE = "yinxin."


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def test_a_resident_searches_reads_and_checks_a_disclosure(browser, web_server, disclosures):
    finance, roster = disclosures
    base = web_server.format(SITE)
    phone = browser.new_context(viewport=PHONE, locale="zh-CN")
    desktop = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    try:
        page = phone.new_page()
        page.goto(base + "/")
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert page.get_by_role("link", name="财务").is_visible()
        shoot(page, "portal-home-phone")

        page.get_by_label("搜索公开内容").fill("健身器材")
        page.get_by_role("button", name="搜索").click()
        assert "找到 1 条" in page.locator("main").inner_text()
        shoot(page, "portal-search-phone")
        page.get_by_role("link", name=finance.title).click()
        text = page.locator("main").inner_text()
        assert "采购健身器材 6 件" in text and "公示中" in text and "党组织书记" in text
        shoot(page, "portal-detail-phone")

        page.get_by_role("link", name="核对内容是否被改动").click()
        page.get_by_label("纸质公告上印的内容哈希").fill(finance.content_hash.upper())
        page.get_by_role("button", name="核对").click()
        assert page.locator("[data-verdict=match]").inner_text().startswith("✔ 一致")
        shoot(page, "portal-verify-phone")
        page.get_by_label("纸质公告上印的内容哈希").fill("0" * 64)
        page.get_by_role("button", name="核对").click()
        assert "不一致" in page.locator("[data-verdict=mismatch]").inner_text()

        page.goto(base + f"/disclosures/{roster.pk}/")
        text = page.locator("main").inner_text()
        assert "赵*珍" in text and "欧**波" in text and "赵玉珍" not in text and "640104" not in text
        page.get_by_role("link", name="大字模式").click()
        assert "portal--large" in (page.locator("body").get_attribute("class") or "")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
            "sideways scrolling"
        )
        shoot(page, "portal-roster-large-phone")

        page = desktop.new_page()
        page.goto(base + "/")
        shoot(page, "portal-home-desktop")
        page.goto(base + f"/disclosures/{finance.pk}/")
        assert page.get_by_role("columnheader", name="摘要").is_visible()
        shoot(page, "portal-detail-desktop")
        page.goto(base + f"/disclosures/{finance.pk}/verify/?hash={finance.content_hash}")
        shoot(page, "portal-verify-desktop")
    finally:
        phone.close()
        desktop.close()


def test_a_resident_asks_for_a_code_on_a_phone_and_the_page_fits(browser, web_server):
    base = web_server.format(SITE)
    mobile = f"136{os.getpid() % 10000:04d}{time.time_ns() % 10000:04d}"
    for viewport, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        try:
            page = context.new_page()
            page.goto(base + "/sms/")
            assert page.locator("h1").inner_text() == "短信订阅"
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "sideways"
            shoot(page, f"sms-{name}")
            if name == "desktop":
                continue
            page.get_by_label("手机号码").fill("1381234")
            page.get_by_label("财务").check()
            page.get_by_role("button", name="获取验证码").click()
            summary = page.locator(".error-summary, [role=alert]").first
            assert "11位" in summary.inner_text()
            assert (
                page.get_by_label("财务").is_checked()
                and page.get_by_label("手机号码").input_value() == "1381234"
            )
            shoot(page, "sms-error-phone")
            page.get_by_label("手机号码").fill(mobile)
            page.get_by_role("button", name="获取验证码").click()
            text = page.locator("main").inner_text()
            assert f"{mobile[:3]}****{mobile[-4:]}" in text and mobile not in page.content()
            page.get_by_label("短信验证码").fill("12345")
            page.get_by_role("button", name="确认订阅").click()
            assert "6位数字" in page.locator("main").inner_text()
            shoot(page, "sms-code-phone")
        finally:
            context.close()
