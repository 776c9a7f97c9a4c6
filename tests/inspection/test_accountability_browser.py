"""The street office's admin reads and revises the accountability rules on a phone and on a desktop:
a mistake is listed on top, linked to its field, with what was typed kept."""

import pytest

from tests.browser import DESKTOP, PHONE, chromium, shoot, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_admin_revises_the_rules_and_a_mistake_is_summarised_on_top(browser, web_server, committed, size):
    context = browser.new_context(viewport=PHONE if size == "phone" else DESKTOP, locale="zh-CN")
    page = sign_in(context.new_page(), web_server.format(""), "yinzhou_admin", PASSWORD)
    page.goto(web_server.format("") + "/inspection/accountability/")
    assert page.get_by_role("heading", name="责任追究规则", exact=True).is_visible()
    shoot(page, f"accountability-rules-{size}")
    days = page.locator("#id_rules-0-days")
    kept = days.input_value()
    days.fill("0")
    page.get_by_role("button", name="保存责任追究规则").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible() and "整改期限至少 1 个工作日" in summary.inner_text()
    assert page.locator("#id_rules-0-days").input_value() == "0"  # what was typed is kept
    shoot(page, f"accountability-rules-error-{size}")
    summary.get_by_role("link").first.click()
    page.locator("#id_rules-0-days").fill(kept)
    page.get_by_role("button", name="保存责任追究规则").click()
    assert "责任追究规则已保存" in page.locator(".messages").inner_text()
    context.close()
