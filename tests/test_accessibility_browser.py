"""axe-core (from npm, served from node_modules) on every public page kind and each staff page kind:
no serious or critical WCAG 2.1 A/AA violation, at phone and desktop widths."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, Page, ViewportSize

from disclosure.choices import Category, ContentType
from tenants.models import Community
from tests.browser import DESKTOP, PHONE, chromium, sign_in
from tests.factories import _ROSTER, PASSWORD, FeedbackFactory, published_once

pytestmark = pytest.mark.browser

AXE = settings.NODE_MODULES / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SIZES: list[tuple[str, ViewportSize]] = [("phone", PHONE), ("desktop", DESKTOP)]

FINANCE = "第四季度小区绿化养护资金公开(无障碍检查)"
ROSTER = "本月低保名单公示(无障碍检查)"


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def items(committed) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A finance statement, a relief roster and a resident's feedback in 银新社区."""
    with tenant_context(Community.objects.get(schema_name="yinxin")):
        finance = published_once(
            title=FINANCE,
            category=Category.FINANCE,
            content_type=ContentType.FINANCE,
            body="<p>经居民代表会议讨论通过,补种小区绿化,收支逐笔公开如下。</p>",
            data={
                "period": "2026年第四季度",
                "opening_balance": "5000.00",
                "closing_balance": "3800.00",
                "lines": [
                    {
                        "date": "2026-11-05",
                        "description": "补种东区绿篱 120 米",
                        "direction": "expense",
                        "category": "公共设施",
                        "amount": "1200",
                        "voucher": "付-11-09",
                    }
                ],
            },
        )
        roster = published_once(
            title=ROSTER,
            category=Category.AFFAIRS,
            content_type=ContentType.RELIEF,
            body="<p>经民主评议,以下家庭拟纳入城市最低生活保障。</p>",
            data=_ROSTER,
        )
        feedback = FeedbackFactory.create()
        return {"finance": finance, "roster": roster, "feedback": feedback}


def serious(page: Page) -> list[str]:
    """axe's serious and critical violations on ``page``, one line each (rule, help, first targets)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [
        f"{page.url} {v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:4])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def audit(browser: Browser, base: str, paths: list[str], login: str | None = None) -> list[str]:
    found: list[str] = []
    for _name, size in SIZES:
        # Only for axe's own script: the pages' Content-Security-Policy allows no injected script.
        context = browser.new_context(viewport=size, locale="zh-CN", bypass_csp=True)
        page = context.new_page()
        if login:
            sign_in(page, base, login, PASSWORD)
        for path in paths:
            response = page.goto(base + path)
            assert response is not None and response.status == 200, (path, response and response.status)
            page.wait_for_load_state()
            found += [f"[{_name}] {line}" for line in serious(page)]
        context.close()
    return found


def test_the_public_pages_of_a_community_site(web_server, browser, items):
    finance, roster, feedback = items["finance"], items["roster"], items["feedback"]
    paths = [
        "/",
        "/disclosures/",
        f"/disclosures/{finance.pk}/",
        f"/disclosures/{roster.pk}/",
        "/feedback/",
        "/feedback/lookup/",
        f"/feedback/{feedback.code}/",
        "/vote/",
        "/touch/",
        "/touch/category/finance/",
        f"/touch/disclosures/{finance.pk}/",
        f"/touch/disclosures/{roster.pk}/",
        "/screen/",
        "/accounts/login/",
    ]
    found = audit(browser, web_server.format("yinxin."), paths)
    assert not found, "\n".join(found)


def test_the_street_offices_public_pages(web_server, browser, items):
    paths = ["/", "/disclosures/?q=绿化", "/results/", "/complaints/", "/complaints/lookup/"]
    found = audit(browser, web_server.format(""), paths)
    assert not found, "\n".join(found)


def test_the_staff_pages_of_a_community(web_server, browser, items):
    finance = items["finance"]
    paths = [
        "/workspace/",
        "/workspace/obligations/",
        "/workspace/disclosures/",
        f"/workspace/disclosures/{finance.pk}/",
        "/workspace/disclosures/new/",
        "/workspace/ledger/",
        "/workspace/feedback/",
        "/workspace/catalogue/",
        "/workspace/group-pushes/",
        "/workspace/inspection/",
        "/workspace/inspection/briefings/",
    ]
    found = audit(browser, web_server.format("yinxin."), paths, login="yinxin_handler")
    assert not found, "\n".join(found)


def test_the_street_offices_staff_pages(web_server, browser, items):
    paths = [
        "/inspection/",
        "/inspection/communities/yinxin/",
        "/inspection/spot-checks/",
        "/inspection/rectifications/",
        "/inspection/surveys/",
        "/inspection/assessments/",
        "/inspection/evaluations/",
        "/inspection/standards/",
        "/inspection/accountability/",
        "/inspection/complaints/",
        "/inspection/briefings/",
    ]
    found = audit(browser, web_server.format(""), paths, login="yinzhou_inspector")
    found += audit(browser, web_server.format(""), ["/inspection/reimbursements/"], login="yinzhou_leader")
    found += audit(browser, web_server.format(""), ["/inspection/accountability/"], login="yinzhou_admin")
    assert not found, "\n".join(found)


def tab_to(page: Page, selector: str) -> None:
    """Press Tab (and only Tab) until the focus is on ``selector``."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_resident_sends_feedback_with_the_keyboard_alone(web_server, browser, committed):
    page = browser.new_page(viewport=PHONE, locale="zh-CN")
    page.goto(web_server.format("yinxin.") + "/feedback/")
    tab_to(page, "input[name=kind]")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    tab_to(page, "textarea[name=text]")
    page.keyboard.type("小区东门路灯坏了一个月,什么时候修?")
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    main = page.locator("main").inner_text()
    assert "已收到您的反映" in main and "小区东门路灯坏了一个月" in main, main
    assert page.locator("[data-code]").count() == 1
    page.close()


def test_the_touch_screens_targets_are_at_least_44_pixels(web_server, browser, items):
    page = browser.new_page(viewport={"width": 1080, "height": 1920}, locale="zh-CN")
    small: list[str] = []
    for path in ["/touch/", "/touch/category/finance/", f"/touch/disclosures/{items['finance'].pk}/"]:
        page.goto(web_server.format("yinxin.") + path)
        assert page.locator("a:visible, button:visible").count() > 0, path
        small += page.evaluate(
            """() => [...document.querySelectorAll('a, button, input, select')]
                .filter(e => e.offsetParent !== null)
                .map(e => [e.getBoundingClientRect(), e])
                .filter(([r]) => r.width < 44 || r.height < 44)
                .map(([r, e]) => `${location.pathname} ${e.outerHTML.slice(0, 80)} ${r.width}x${r.height}`)"""
        )
    assert not small, "\n".join(small)
    page.close()


def test_large_text_and_high_contrast_are_chosen_with_a_tap_and_stay_clean(web_server, browser, items):
    """适老化: the resident taps 大字模式 and 高对比度 on the community's site; the text grows, the page
    turns black on white with underlined links, the choice holds on the next page and on the street
    office's site keeps its own, and axe still finds nothing serious in either mode."""
    base = web_server.format("yinxin.")
    context = browser.new_context(viewport=PHONE, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.goto(base + "/disclosures/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("link", name="大字模式").click()
    page.get_by_role("link", name="高对比度").click()
    assert page.url == base + "/disclosures/"
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= normal * 1.25
    colours = page.evaluate(
        """() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color,
                  getComputedStyle(document.querySelector('main a')).textDecorationLine]"""
    )
    assert colours == ["rgb(255, 255, 255)", "rgb(0, 0, 0)", "underline"], colours
    found: list[str] = []
    for path in ["/", "/disclosures/", f"/disclosures/{items['finance'].pk}/", "/feedback/"]:
        page.goto(base + path)
        assert "portal--contrast" in (page.get_attribute("body", "class") or ""), path
        found += serious(page)
    context.close()
    street = browser.new_context(viewport=DESKTOP, locale="zh-CN", bypass_csp=True)
    page = street.new_page()
    page.goto(web_server.format("") + "/")
    page.get_by_role("link", name="高对比度").click()
    assert "portal--contrast" in (page.get_attribute("body", "class") or "")
    found += serious(page)
    street.close()
    assert not found, "\n".join(found)


def test_the_kiosks_way_back_and_home_are_at_the_bottom_within_reach(web_server, browser, items):
    """A portrait kiosk (1080×1920): 返回 and 首页 sit in the bottom fifth of the screen, on every page
    but the home page, however long the page is."""
    page = browser.new_page(viewport={"width": 1080, "height": 1920}, locale="zh-CN")
    finance = items["finance"]
    for path, names in [
        ("/touch/category/finance/", ["首页"]),
        (f"/touch/disclosures/{finance.pk}/", ["返回", "首页"]),
    ]:
        page.goto(web_server.format("yinxin.") + path)
        page.mouse.wheel(0, 600)
        for name in names:
            box = page.locator(".touch__dock").get_by_role("link", name=name).bounding_box()
            assert box and box["y"] >= 1920 * 0.8 and box["y"] + box["height"] <= 1920, (path, box)
    page.goto(web_server.format("yinxin.") + "/touch/")
    assert page.locator(".touch__dock").count() == 0  # the home page is all buttons already
    page.close()
