"""The login paths in a real browser, at phone and desktop widths."""

import pytest

from tests.browser import DESKTOP, PHONE, chromium, shoot
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.mark.parametrize("size_name,size", [("phone", PHONE), ("desktop", DESKTOP)])
def test_handler_logs_in_on_own_community_and_is_refused_on_another(web_server, browser, size_name, size):
    context = browser.new_context(viewport=size, locale="zh-CN")
    page = context.new_page()

    page.goto(web_server.format("yincheng.") + "/")
    assert page.locator("h1").inner_text() == "银城社区"
    shoot(page, f"community-home-{size_name}")

    page.get_by_role("link", name="工作人员登录").click()
    page.get_by_label("用户名").fill("yincheng_handler")
    page.get_by_label("密码").fill(PASSWORD)
    shoot(page, f"login-{size_name}")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")
    page.goto(web_server.format("yincheng.") + "/workspace/")
    assert "经办人/专干" in page.locator("main").inner_text()
    shoot(page, f"workspace-{size_name}")

    page.goto(web_server.format("yinnan.") + "/accounts/login/")
    page.get_by_label("用户名").fill("yincheng_handler")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    alert = page.get_by_role("alert")
    assert "您不是“银南社区”的工作人员" in alert.inner_text()
    shoot(page, f"login-refused-{size_name}")
    context.close()


def test_unknown_community_page_in_the_browser(web_server, browser):
    page = browser.new_page(viewport=PHONE, locale="zh-CN")
    response = page.goto(web_server.format("nosuch.") + "/")
    assert response is not None and response.status == 404
    assert "没有找到这个社区站点" in page.locator("h1").inner_text()
    shoot(page, "unknown-site-phone")
    page.close()
