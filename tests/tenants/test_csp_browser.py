"""The Content-Security-Policy in a real browser: the main pages load and work without one violation.

A violation is caught two ways: the page's ``securitypolicyviolation`` events (listened to by a script
Playwright installs before any page script, outside the policy) and chromium's console messages.
"""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, Page, ViewportSize

from disclosure.choices import Category, ContentType
from tenants.models import Community
from tests.browser import DESKTOP, PHONE, chromium, shoot
from tests.factories import PASSWORD, published_once

pytestmark = pytest.mark.browser

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(
    e.violatedDirective + " " + (e.blockedURI || "inline") + " @" + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


class Watched:
    """A page whose CSP violations, from events and from the console, are collected as it goes."""

    def __init__(self, browser: Browser, size: ViewportSize) -> None:
        self.context = browser.new_context(viewport=size, locale="zh-CN")
        self.context.add_init_script(LISTEN)
        self.page: Page = self.context.new_page()
        self.console: list[str] = []
        self.page.on(
            "console",
            lambda m: self.console.append(m.text) if "Content Security Policy" in m.text else None,
        )

    def visit(self, url: str) -> Page:
        response = self.page.goto(url)
        assert response is not None and response.status == 200, url
        self.page.wait_for_load_state("networkidle")
        self.assert_clean(url)
        return self.page

    def assert_clean(self, where: str) -> None:
        violations = self.page.evaluate("window.__cspViolations || []")
        assert not violations and not self.console, f"{where}: {violations} {self.console}"

    def login(self, url: str, username: str) -> None:
        self.visit(url + "/accounts/login/")
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码").fill(PASSWORD)
        self.page.get_by_role("button", name="登录").click()
        self.page.wait_for_load_state("networkidle")
        self.assert_clean(f"after login as {username}")


@pytest.fixture
def published(committed):  # type: ignore[no-untyped-def]
    with tenant_context(Community.objects.get(schema_name="yinxin")):
        return published_once(
            title="社区服务大厅办事指南(CSP 浏览器测试)",
            category=Category.SERVICE,
            content_type=ContentType.NOTICE,
            body="<p>服务时间:工作日 8:30–17:30。</p><ul><li>开具居住证明</li><li>低保申请受理</li></ul>",
            data=None,
        )


@pytest.mark.parametrize("size_name,size", [("phone", PHONE), ("desktop", DESKTOP)])
def test_residents_pages_pass_the_csp(browser, web_server, published, size_name, size):
    watched = Watched(browser, size)
    community = web_server.format("yinxin.")
    watched.visit(community + "/")
    watched.visit(community + "/disclosures/")
    page = watched.visit(community + f"/disclosures/{published.pk}/")
    assert "社区服务大厅办事指南" in page.locator("main").inner_text()
    shoot(page, f"csp-portal-detail-{size_name}")
    watched.context.close()


def test_community_staff_pages_pass_the_csp(browser, web_server, published):
    watched = Watched(browser, DESKTOP)
    community = web_server.format("yinxin.")
    watched.login(community, "yinxin_handler")
    watched.visit(community + "/workspace/")
    page = watched.visit(community + "/workspace/disclosures/")
    # a filter that submits itself on change (was an inline onchange handler)
    page.locator("select#id_status").select_option("published")
    page.wait_for_url("**status=published**")
    watched.assert_clean("status filter")
    watched.visit(community + "/accounts/password_change/")
    watched.context.close()


@pytest.mark.parametrize("size_name,size", [("phone", PHONE), ("desktop", DESKTOP)])
def test_street_office_pages_pass_the_csp(browser, web_server, committed, size_name, size):
    watched = Watched(browser, size)
    street = web_server.format("")
    watched.login(street, "yinzhou_inspector")
    page = watched.visit(street + "/inspection/")
    shoot(page, f"csp-dashboard-{size_name}")
    watched.visit(street + "/")
    page = watched.visit(street + "/accounts/two-factor/")
    qr = page.locator("img.qr")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code did not load"
    shoot(page, f"two-factor-setup-{size_name}")
    watched.context.close()
    TOTPDevice.objects.filter(user__username="yinzhou_inspector").delete()  # the page began an enrolment


def test_the_policy_actually_blocks_inline_script(browser, web_server):
    """Guard against a policy that passes because it allows everything: inline script is refused."""
    watched = Watched(browser, PHONE)
    page = watched.visit(web_server.format("yinxin.") + "/")
    page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "window.__ran = true";
                   document.body.appendChild(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran === undefined")
    assert page.evaluate("window.__cspViolations.length") >= 1
    watched.context.close()


def test_two_factor_login_in_the_browser(browser, web_server, committed):
    """Password, then the code an authenticator would show (computed with django-otp's TOTP), then in."""
    from django_otp.oath import totp

    from tenants.models import User

    device = TOTPDevice.objects.create(
        user=User.objects.get(username="yinzhou_leader"), name="手机", confirmed=True
    )
    try:
        watched = Watched(browser, PHONE)
        street = web_server.format("")
        watched.login(street, "yinzhou_leader")
        page = watched.page
        page.goto(street + "/inspection/")
        page.wait_for_url("**/accounts/two-factor/verify/**")
        watched.assert_clean("verify page")
        shoot(page, "two-factor-verify-phone")
        code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
        page.get_by_label("动态码").fill(code)
        page.get_by_role("button", name="验证并登录").click()
        page.wait_for_url("**/inspection/")
        assert "各社区公开情况总览" in page.locator("main").inner_text()
        watched.assert_clean("after the code")
        watched.context.close()
    finally:
        device.delete()
