"""The e-screen and the touch screen in a real chromium against the real server (银新社区): the screen
rotates by itself and reloads when something is published; the touch screen goes home when idle."""

import time

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context
from playwright.sync_api import Error as PlaywrightError

from disclosure.choices import Category, ContentType
from tenants.models import Community
from tests.browser import chromium, shoot
from tests.factories import published_once

pytestmark = pytest.mark.browser
SITE = "yinxin."
SCREEN = {"width": 1920, "height": 1080}
PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def visible_slide(page) -> str:
    return page.locator(".slide:not([hidden])").get_attribute("data-slide")


def wait_until(check, *, timeout: float) -> None:
    """Poll from Python: the pages' Content-Security-Policy forbids the eval Playwright's
    wait_for_function relies on."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def reloaded(page) -> bool:
    """The marker set before publishing is gone: the page loaded anew (mid-navigation counts as not yet)."""
    try:
        return page.evaluate("window.__before_reload === undefined")
    except PlaywrightError:
        return False


def no_overflow(page) -> bool:
    """Nothing of the visible slide is cut off: its content fits the stage."""
    return page.evaluate(
        "(() => { const s = document.querySelector('.slide:not([hidden])');"
        " return s.scrollHeight <= s.clientHeight + 1 && s.scrollWidth <= s.clientWidth + 1; })()"
    )


def test_the_e_screen_rotates_and_reloads_when_something_is_published(browser, web_server, disclosures):
    finance, roster = disclosures
    base = web_server.format(SITE)
    context = browser.new_context(viewport=SCREEN, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(base + "/screen/?interval=2&poll=2")
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        title_size = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('.slide:not([hidden]) .slide__title'))"
            ".fontSize)"
        )
        assert title_size >= 60, f"title only {title_size}px on a 1080p screen"
        shoot(page, "screen-overview-1920")
        first = visible_slide(page)
        wait_until(lambda: visible_slide(page) != first, timeout=6)
        seen = {first}
        for _ in range(8):
            seen.add(visible_slide(page))
            assert no_overflow(page), f"slide {visible_slide(page)} is cut off"
            text = page.locator(".slide--item:not([hidden])").all_inner_texts()
            text = text[0] if text else ""
            if finance.title in text:
                shoot(page, "screen-finance-1920")
            if roster.title in text:
                assert "赵*珍" in text and "赵玉珍" not in text
                shoot(page, "screen-roster-1920")
            time.sleep(2.1)
        assert len(seen) >= 3, seen

        page.evaluate("window.__before_reload = true")
        title = f"电子屏刷新测试 {timezone.now():%H%M%S%f}"
        with tenant_context(Community.objects.get(schema_name="yinxin")):
            published_once(
                title=title,
                category=Category.AFFAIRS,
                content_type=ContentType.NOTICE,
                body="<p>新公告</p>",
                data={},
            )
        wait_until(lambda: reloaded(page), timeout=15)
        assert title in page.content()
    finally:
        context.close()


def test_the_touch_screen_goes_home_when_left_alone(browser, web_server, disclosures):
    finance, roster = disclosures
    base = web_server.format(SITE)
    portrait = browser.new_context(viewport=PORTRAIT, locale="zh-CN", has_touch=True)
    landscape = browser.new_context(viewport=LANDSCAPE, locale="zh-CN", has_touch=True)
    try:
        page = portrait.new_page()
        page.goto(base + "/touch/?idle=4")
        shoot(page, "touch-home-1080x1920")
        button_height = page.locator(".touch__button").first.bounding_box()["height"]
        assert button_height >= 150, f"category buttons only {button_height}px tall"
        page.get_by_role("link", name="财务公开").tap()
        page.wait_for_url("**/touch/category/finance/")
        page.get_by_role("link", name=finance.title).tap()
        page.wait_for_url(f"**/touch/disclosures/{finance.pk}/")
        assert "采购健身器材 6 件" in page.locator("main").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
            "sideways scrolling"
        )
        shoot(page, "touch-detail-1080x1920")
        started = time.monotonic()
        page.wait_for_url(base + "/touch/", timeout=10000)
        assert time.monotonic() - started >= 2  # it waited for the idle time, not at once

        page = landscape.new_page()
        page.goto(base + "/touch/")
        shoot(page, "touch-home-1280")
        page.goto(base + f"/touch/disclosures/{roster.pk}/")
        assert "赵*珍" in page.locator("main").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
            "sideways scrolling"
        )
        shoot(page, "touch-roster-1280")
    finally:
        portrait.close()
        landscape.close()
