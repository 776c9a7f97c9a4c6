"""The interactive API docs in a real browser: everything it loads comes from the app itself."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ViewportSize

from tests.browser import DESKTOP, PHONE, chromium, shoot

pytestmark = pytest.mark.browser


def look(browser: Browser, url: str, *, viewport: ViewportSize, name: str) -> tuple[set[str], list[str]]:
    """Open the docs, unfold one operation, keep a screenshot; return the hosts asked and CSP refusals."""
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    hosts: set[str] = set()
    refused: list[str] = []
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname or ""))
    page.on("console", lambda msg: refused.append(msg.text) if "Security Policy" in msg.text else None)
    page.goto(url)
    page.locator(".opblock-tag").first.wait_for(timeout=15_000)
    assert page.get_by_text("district bodies").first.is_visible()
    page.locator(".opblock-summary", has_text="/api/v1/disclosures/").first.click()  # unfold one operation
    page.locator(".parameters-container").first.wait_for()
    shoot(page, f"api-docs-{name}")
    context.close()
    return hosts, refused


def test_the_docs_page_renders_from_the_apps_own_assets(web_server):
    url = web_server.format("") + "/api/v1/docs/"
    with chromium() as browser:
        for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            hosts, refused = look(browser, url, viewport=viewport, name=name)
            assert hosts == {"localhost"}, hosts
            assert refused == []
