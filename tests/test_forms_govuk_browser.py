"""The error summary in a real browser: focused when the page loads, each link puts the cursor in its
field; at phone and desktop widths (screenshots under var/screenshots)."""

from __future__ import annotations

import pytest

from tests.browser import DESKTOP, PHONE, chromium, shoot
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SIZES = [("phone", PHONE), ("desktop", DESKTOP)]


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def _open(browser, web_server: str, size, path: str):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport=size, locale="zh-CN")
    page.goto(web_server.format("yincheng.") + path)
    return page


def _focused(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.evaluate("document.activeElement.id || document.activeElement.className"))


def _summary_leads_to(page, link: str, field_id: str, screenshot: str) -> None:  # type: ignore[no-untyped-def]
    """The page opened on the focused summary; its link ``link`` puts the cursor in ``field_id``."""
    page.wait_for_selector("[data-error-summary]")
    assert _focused(page) == "error-summary"
    assert "提交的内容有问题" in page.get_by_role("alert").inner_text()
    shoot(page, screenshot)
    page.get_by_role("link", name=link).click()
    assert _focused(page) == field_id


@pytest.mark.parametrize("size_name,size", SIZES)
def test_an_empty_login_opens_on_the_summary_and_its_link_leads_to_the_field(
    web_server, browser, size_name, size
):
    page = _open(browser, web_server, size, "/accounts/login/")
    page.get_by_role("button", name="登录").click()
    _summary_leads_to(page, "请填写密码", "id_password", f"forms-login-errors-{size_name}")
    page.close()


@pytest.mark.parametrize("size_name,size", SIZES)
def test_a_draft_with_errors_keeps_what_was_typed_in_the_browser(web_server, browser, size_name, size):
    page = _open(browser, web_server, size, "/accounts/login/")
    page.get_by_label("用户名").fill("yincheng_handler")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")
    page.goto(web_server.format("yincheng.") + "/workspace/disclosures/new/")
    page.get_by_label("正文").fill("本月维修路灯 6 盏。")
    page.get_by_role("button", name="保存").click()
    _summary_leads_to(page, "请填写标题", "id_title", f"forms-editor-errors-{size_name}")
    assert page.get_by_label("正文").input_value() == "本月维修路灯 6 盏。"
    page.close()


@pytest.mark.parametrize("size_name,size", SIZES)
def test_a_residents_feedback_with_errors_in_the_browser(web_server, browser, size_name, size):
    page = _open(browser, web_server, size, "/feedback/")
    page.get_by_label("手机号码").fill("12345")
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_selector("[data-error-summary]")
    assert page.get_by_label("手机号码").input_value() == "12345"
    shoot(page, f"forms-feedback-errors-{size_name}")
    page.close()


def test_the_calculator_keeps_the_residents_bar(web_server, browser):
    page = _open(browser, web_server, PHONE, "/calendar/?start=2026-10-01&days=abc")
    assert page.get_by_role("navigation", name="居民公开栏目").is_visible()
    shoot(page, "forms-calculator-errors-phone")
    page.close()
