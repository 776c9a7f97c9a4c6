"""A quarter's accounts imported from Excel in a real browser, in 银新社区: a 150-line cash journal made
with openpyxl (a formula cell with its saved value, an Excel day number, an amount written 1,234.50)
is chosen on the new-disclosure page, previewed, confirmed, and the statement reconciles; a broken file
gets a Chinese message and the saved statement is untouched."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser import DESKTOP, PHONE, SCREENSHOTS, chromium, shoot, sign_in
from tests.factories import PASSWORD
from tests.spreadsheets import Quarter, quarter

pytestmark = pytest.mark.browser
SITE = "yinxin."


def test_a_150_line_quarter_is_imported_previewed_saved_and_reconciles(web_server, tmp_path):
    made = quarter(date(2026, 7, 1))
    journal = tmp_path / "银新社区2026年三季度现金日记账.xlsx"
    journal.write_bytes(made.content)
    title = f"2026年第三季度财务收支公开({uuid.uuid4().hex[:6]})"
    with chromium() as browser:
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        page = sign_in(context.new_page(), web_server.format(SITE), "yinxin_handler", PASSWORD)
        detail = import_a_quarter(page, web_server.format(SITE), made, journal, title)
        a_broken_file_changes_nothing(page, detail, tmp_path, made, title)
        context.close()


def import_a_quarter(page: Page, base: str, made: Quarter, journal: Path, title: str) -> str:
    """Choose the journal on the new-disclosure page, check the preview, confirm; the draft's address."""
    page.goto(base + "/workspace/disclosures/new/?content_type=finance")
    page.get_by_label("标题").fill(title)
    page.locator("#id_category").select_option("finance")
    page.get_by_label("所属期").fill("2026年第三季度")
    page.get_by_label("期初余额(元)").fill(str(made.opening))
    upload = page.locator('input[type="file"]')
    assert (upload.get_attribute("accept") or "").startswith(".xlsx")
    upload.set_input_files(str(journal))
    page.get_by_role("button", name="读取并预览").click()

    preview = page.locator("#import")
    assert "共 150 笔,没有发现错误" in preview.inner_text()
    assert page.get_by_label("标题").input_value() == title  # what was typed survived the round trip
    rows = page.locator("#import tbody tr[id^=import-row-]")
    assert rows.count() == 150
    assert "1,234.50" in page.locator("#import-row-3").inner_text()
    assert "617.25" in page.locator("#import-row-4").inner_text()
    assert "2026年7月1日" in page.locator("#import-row-2").inner_text()
    assert f"按明细应为 {made.closing:,.2f} 元" in preview.inner_text()
    shoot(page, "import-preview-desktop")
    page.set_viewport_size(PHONE)
    shoot(page, "import-preview-phone")

    page.get_by_label("期末余额(元)").fill(str(made.closing))
    page.get_by_role("button", name="确认导入 150 笔并保存").click()
    assert "已从表格导入 150 笔并保存" in page.locator(".messages").inner_text()
    text = page.locator("main").inner_text()
    assert f"收入合计 {made.income} 元" in text and f"支出合计 {made.expense} 元" in text
    assert f"期末余额 {made.closing} 元" in text and "街道拨付第 15 批经费" in text
    detail = page.url
    assert "#" not in detail  # the preview's place on the page is not carried to the saved draft

    # the 150 lines open in the editor and save again as they are
    page.goto(detail + "edit/")
    page.get_by_role("button", name="保存", exact=True).click()
    assert "已保存" in page.locator(".messages").inner_text()
    return detail


def a_broken_file_changes_nothing(page: Page, detail: str, tmp_path: Path, made: Quarter, title: str) -> None:
    """A file that is no spreadsheet: a Chinese message, and nothing saved is lost."""
    broken = tmp_path / "明细.xlsx"
    broken.write_text("日期,摘要,金额\n2026/7/3,拨款,5\n", encoding="utf-8")
    page.goto(detail + "edit/")
    page.get_by_label("标题").fill(title + "(未保存的修改)")
    page.locator('input[type="file"]').set_input_files(str(broken))
    page.get_by_role("button", name="读取并预览").click()
    assert "只能是 Excel(xlsx)文件" in page.locator("#import").inner_text()
    assert "草稿没有改动" in page.locator("#import").inner_text()
    assert page.get_by_label("标题").input_value() == title + "(未保存的修改)"
    page.set_viewport_size(PHONE)
    # the editor of 150 lines is long: the import box is what this picture is about
    page.locator("#import").screenshot(path=str(SCREENSHOTS / "import-refused-phone.png"))
    page.goto(detail)
    text = page.locator("main").inner_text()
    assert title + "(未保存的修改)" not in text and f"期末余额 {made.closing} 元" in text
