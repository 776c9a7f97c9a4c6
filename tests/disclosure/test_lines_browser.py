"""A finance statement's lines typed in a real browser, in 银新社区: one row per line, typed with the
keyboard (Tab across, Enter down to the next row, a row added after the last), the totals and the
reconciliation following every keystroke until it says 平衡; a line the server refuses comes back marked
on its cell, the summary's link puts the cursor there, and nothing typed is lost. A 60-line statement
is shown at desktop and phone width (a card per line on the phone)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, Page, ViewportSize, expect

from demo.drafts import finance_data, finance_line
from disclosure.models import Disclosure
from tenants.models import Community
from tests.browser import DESKTOP, SCREENSHOTS, chromium, shoot, sign_in
from tests.factories import BY_LOGIN, PASSWORD, draft

pytestmark = pytest.mark.browser
SITE = "yinxin."
NARROW: ViewportSize = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with chromium() as b:
        yield b


def open_as(browser: Browser, web_server: str, size, script: bool = True) -> Page:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=size, locale="zh-CN", java_script_enabled=script)
    return sign_in(context.new_page(), web_server.format(SITE), "yinxin_handler", PASSWORD)


def reconciled(page: Page, verdict: str) -> None:
    """The reconciliation says ``verdict`` (平衡, 不平 …) once the next frame has counted."""
    expect(page.locator("[data-verdict]:visible")).to_have_text(verdict)


def type_row(page: Page, cells: list[str]) -> None:
    """Type one line from its date cell on, Tab between the cells, as a clerk does."""
    for number, text in enumerate(cells):
        if number:
            page.keyboard.press("Tab")
        if text:
            page.keyboard.type(text)


def test_lines_typed_with_the_keyboard_reconcile_as_typed_and_a_refused_cell_is_found(browser, web_server):  # type: ignore[no-untyped-def]
    title = f"2026年第三季度财务收支({uuid.uuid4().hex[:6]})"
    page = open_as(browser, web_server, DESKTOP)
    page.goto(web_server.format(SITE) + "/workspace/disclosures/new/?content_type=finance")
    page.get_by_label("标题").fill(title)
    page.locator("#id_category").select_option("finance")
    page.get_by_label("所属期").fill("2026年第三季度")
    page.get_by_label("期初余额(元)").fill("1000")
    page.get_by_label("期末余额(元)").fill("1350.50")
    reconciled(page, "不平")

    page.locator("#id_line-0-date").focus()
    type_row(page, ["7.3", "街道拨付办公经费", "+", "上级拨款", "500", "收-01"])
    assert page.locator("#id_line-0-date").input_value() == "2026-07-03"  # the year of the period
    expect(page.locator("[data-fill=income]")).to_have_text("500.00")
    page.keyboard.press("Enter")  # back to the date of the next row, where this one was begun
    assert page.evaluate("document.activeElement.id") == "id_line-1-date"
    # the voucher is left out: the server asks for it
    type_row(page, ["0705", "购买办公用品", "2", "办公费", "149。50", ""])
    assert page.locator("#id_line-1-date").input_value() == "2026-07-05"
    assert page.locator("#id_line-1-amount").input_value() == "149.50"  # 。 typed by a Chinese keyboard
    expect(page.locator("[data-fill=expense]")).to_have_text("149.50")
    reconciled(page, "平衡")
    shoot(page, "lines-typed-desktop")

    page.get_by_role("button", name="保存", exact=True).click()
    summary = page.locator("[data-error-summary]")
    assert "第 2 行:请填写凭证号" in summary.inner_text()
    cell = page.locator("#id_line-1-voucher")
    assert cell.get_attribute("aria-invalid") == "true"
    assert "请填写凭证号" in page.locator("#id_line-1-voucher_error").inner_text()
    assert page.locator("#id_line-0-description").input_value() == "街道拨付办公经费"
    assert page.locator("#id_line-1-amount").input_value() == "149.50"
    assert page.locator("#id_line-1-direction").input_value() == "expense"
    assert page.get_by_label("标题").input_value() == title
    reconciled(page, "平衡")
    summary.get_by_role("link", name="第 2 行:请填写凭证号").click()
    assert page.evaluate("document.activeElement.id") == "id_line-1-voucher"
    page.screenshot(path=str(SCREENSHOTS / "lines-refused-desktop.png"))
    page.set_viewport_size(NARROW)
    in_view(page, "lines-refused-phone", 2)
    page.set_viewport_size(DESKTOP)
    page.locator("#id_line-1-voucher").focus()
    page.keyboard.type("付-01")

    # Enter on the last row adds one; 删除 takes it away again
    page.locator("#id_line-2-amount").focus()
    page.keyboard.press("Enter")
    assert page.locator("#id_line-3-amount").evaluate("e => e === document.activeElement")
    assert page.locator("input[name=line-TOTAL_FORMS]").input_value() == "4"
    page.locator("#line-3-row [data-remove-line]").click()
    assert page.locator("#line-3-row").is_hidden() and page.locator("#id_line-3-DELETE").is_checked()
    page.locator("#line-0-row [data-remove-line]").click()
    reconciled(page, "不平")
    link = summary.locator("a").first  # the summary says the row's number as the page now shows it
    number = page.locator("#line-1-no [data-line-number]")
    assert (link.inner_text(), number.inner_text()) == ("第 1 行:请填写凭证号", "1")
    page.get_by_role("button", name="撤销").click()
    reconciled(page, "平衡")
    assert (link.inner_text(), number.inner_text()) == ("第 2 行:请填写凭证号", "2")
    assert page.locator("#id_line-0-description").input_value() == "街道拨付办公经费"

    page.get_by_role("button", name="保存", exact=True).click()
    assert "已保存" in page.locator(".messages").inner_text()
    text = page.locator("main").inner_text()
    assert "收入合计 500.00 元" in text and "支出合计 149.50 元" in text and "购买办公用品" in text
    page.context.close()


@pytest.fixture
def sixty_lines(committed) -> Disclosure:  # type: ignore[no-untyped-def]
    start = date(2026, 7, 1)
    lines = []
    for n in range(60):
        day, number = start + timedelta(days=n), f"{n:03d}"
        if n % 10 == 0:
            batch = f"街道拨付第 {n // 10 + 1} 批经费"
            lines.append(finance_line(day, batch, "上级拨款", Decimal(15000), f"收-{number}"))
        else:
            amount = Decimal(100 + n) + Decimal("0.5")
            line = finance_line(day, f"第 {n} 笔办公支出:打印纸、墨盒", "办公费", amount, f"付-{number}")
            lines.append({**line, "direction": "expense"})
    with tenant_context(Community.objects.get(schema_name="yinxin")):
        return draft(
            BY_LOGIN,
            community="yinxin",
            title=f"2026年第三季度财务收支({uuid.uuid4().hex[:6]})",
            category="finance",
            content_type="finance",
            data=finance_data(period="2026年第三季度", opening=Decimal("80000"), lines=lines),
        )


def in_view(page: Page, name: str, row: int) -> None:
    """A screenshot of the window with line ``row`` in it, as a person sees it (the totals stuck below)."""
    page.locator(f"#line-{row - 1}-row").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_sixty_lines_at_desktop_and_phone_width(browser, web_server, sixty_lines):  # type: ignore[no-untyped-def]
    edit = web_server.format(SITE) + f"/workspace/disclosures/{sixty_lines.pk}/edit/"
    page = open_as(browser, web_server, DESKTOP)
    page.goto(edit)
    reconciled(page, "平衡")
    shoot(page, "lines-60-desktop")
    in_view(page, "lines-60-desktop-rows", 1)
    in_view(page, "lines-60-desktop-end", 40)
    page.locator("#id_line-2-reimbursement").check()  # a reimbursement: signed by five accounts, not typed
    assert page.locator("#line-2-row input[name$='sign_handler']").count() == 0
    page.context.close()
    page = open_as(browser, web_server, NARROW)
    page.goto(edit)
    assert page.locator("#line-1-row label[for=id_line-1-amount]").is_visible()
    in_view(page, "lines-60-phone-rows", 2)
    in_view(page, "lines-60-phone-end", 60)
    page.context.close()


def test_without_script_a_row_is_marked_delete_rows_are_added_and_the_statement_saves(  # type: ignore[no-untyped-def]
    browser, web_server, sixty_lines
):
    edit = web_server.format(SITE) + f"/workspace/disclosures/{sixty_lines.pk}/edit/"
    page = open_as(browser, web_server, DESKTOP, script=False)
    page.goto(edit)
    assert page.locator("[data-totals]").is_hidden()  # the live totals need script
    page.locator("#id_line-1-DELETE").check()
    page.locator("#id_line-62-description").fill("复印费")  # the last of the three empty rows
    page.get_by_role("button", name="添加 10 行").click()
    assert (
        page.locator("#id_line-1-DELETE").is_checked()
        and page.locator("#id_line-62-description").input_value() == "复印费"
    )
    assert page.locator("#id_line-72-date").is_visible() and not page.locator("#id_line-73-date").count()
    in_view(page, "lines-no-script-desktop", 2)
    page.locator("#id_line-62-description").fill("")  # left empty again: not saved
    page.get_by_label("期末余额(元)").fill(str(Decimal("162953.00") + Decimal("101.50")))
    page.get_by_role("button", name="保存", exact=True).click()
    assert "已保存" in page.locator(".messages").inner_text()
    with tenant_context(Community.objects.get(schema_name="yinxin")):
        saved = Disclosure.objects.get(pk=sixty_lines.pk).data["lines"]
    assert len(saved) == 59 and "第 1 笔办公支出:打印纸、墨盒" not in [ln["description"] for ln in saved]
    page.context.close()
