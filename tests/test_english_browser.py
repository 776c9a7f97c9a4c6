"""English pages in a real browser, at phone and desktop widths: the longer English labels fit (nothing
wider than the window) and the page says it is English. Screenshots under var/screenshots."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.browser import DESKTOP, PHONE, chromium, shoot, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SIZES = [("phone", PHONE), ("desktop", DESKTOP)]
PAGES = [
    # (name, site prefix, who signs in, path)
    ("portal-home", "yincheng.", None, "/"),
    ("community-workspace", "yincheng.", "yincheng_handler", "/workspace/"),
    ("street-office-dashboard", "", "yinzhou_inspector", "/inspection/"),
]


# The outermost elements reaching past the window's right edge, to say what overflows.
WIDEST = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().width))"""


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.mark.parametrize("size_name,size", SIZES)
@pytest.mark.parametrize("name,site,login,path", PAGES)
def test_an_english_page_fits_the_window(web_server, browser, size_name, size, name, site, login, path):  # type: ignore[no-untyped-def]
    base = web_server.format(site)
    page = browser.new_page(viewport=size)
    if login:
        sign_in(page, base, login, PASSWORD)
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base}])
    page.goto(base + path)
    assert page.evaluate("document.documentElement.lang") == "en"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    shoot(page, f"english-{name}-{size_name}")
    wide = page.evaluate(WIDEST)
    assert overflow <= 0, f"{name} is {overflow}px wider than a {size['width']}px window: {wide}"
    page.close()
