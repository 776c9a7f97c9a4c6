"""The 台帐 in a real browser with a year's worth of entries: cards on a phone, a table on a desktop,
the filter applied from the form, a file downloaded with its Chinese name, and a bad filter explained.
It runs in 银新社区, which no transactional test counts in."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from disclosure.models import LedgerEntry
from disclosure.services import ledger_append
from tests.browser import DESKTOP, PHONE, chromium, shoot, sign_in
from tests.factories import BY_LOGIN, PASSWORD, at, draft

pytestmark = pytest.mark.browser
SITE = "yinxin."
ENTRIES = 300
STEPS = [("submit", "handler"), ("opinion", "supervisor"), ("sign", "secretary"), ("sign", "director")]
STEPS += [("sign", "handler"), ("publish", "handler")]
TITLES = ["社区事务公开", "党费收缴情况", "城市低保名单公示", "社区活动经费收支", "公益性岗位安置情况"]


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def a_year_of_ledger() -> None:
    """Six steps per item, an item every few days over the last year, until the ledger holds ENTRIES."""
    with schema_context("yinxin"), pytest.MonkeyPatch.context() as clock:
        start = timezone.localdate() - timedelta(days=330)
        number = LedgerEntry.objects.count()
        item = None
        while number < ENTRIES:
            action, role = STEPS[number % len(STEPS)]
            day = start + timedelta(days=number * 330 // ENTRIES)
            if action == "submit" or item is None:
                title = f"{day.month}月{TITLES[number // len(STEPS) % len(TITLES)]}"
                item = draft(BY_LOGIN, community="yinxin", title=title)
            moment = at(day, 9 + number % len(STEPS)).astimezone(UTC)
            clock.setattr(timezone, "now", lambda moment=moment: moment)
            ledger_append(action=action, actor=BY_LOGIN.user(f"yinxin_{role}"), disclosure=item, payload={})
            number += 1


def signed_in(browser, web_server, size):
    context = browser.new_context(viewport=size, locale="zh-CN", accept_downloads=True)
    page = sign_in(context.new_page(), web_server.format(SITE), "yinxin_handler", PASSWORD)
    page.goto(web_server.format(SITE) + "/workspace/ledger/")
    return page


def fits(page, width: int) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_ledger_is_cards_on_a_phone_and_a_table_on_a_desktop(browser, web_server, committed):
    a_year_of_ledger()
    phone = signed_in(browser, web_server, PHONE)
    assert "核验通过" in phone.locator(".ledger-status").inner_text()
    rows = phone.locator(".ledger-table tbody tr")
    assert rows.count() == 50 and fits(phone, PHONE["width"])
    assert rows.first.evaluate("row => getComputedStyle(row).display") == "grid"
    assert phone.locator(".ledger-table thead").bounding_box()["height"] <= 1  # read as cards
    actor = rows.first.locator(".ledger-table__actor")
    assert actor.evaluate("cell => getComputedStyle(cell, '::before').content") == '"操作人:"'
    shoot(phone, "ledger-phone")

    phone.get_by_label("事项").select_option(label="公布")
    phone.get_by_role("button", name="筛选").click()
    assert "event=publish" in phone.url
    events = phone.locator(".ledger-table__event").all_inner_texts()
    assert events and set(events) == {"公布"}
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Excel 表格").click()
    assert download.value.suggested_filename.startswith("银新社区党务居务公开台帐")
    shoot(phone, "ledger-phone-filtered")

    phone.goto(web_server.format(SITE) + "/workspace/ledger/?from=abc")
    summary = phone.locator(".error-summary")
    assert "开始日期不是一个有效的日期" in summary.inner_text() and fits(phone, PHONE["width"])
    shoot(phone, "ledger-phone-error")

    desktop = signed_in(browser, web_server, DESKTOP)
    assert desktop.locator(".ledger-table thead").bounding_box()["height"] > 20
    assert fits(desktop, DESKTOP["width"])
    shoot(desktop, "ledger-desktop")
