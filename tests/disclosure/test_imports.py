"""Reading a quarter's accounts and a relief roster from what clerks bring: header names as accounting
software and clerks write them, amounts and dates in their everyday forms, every bad cell named by row
and column, identity numbers checked by their GB 11643 check digit, ages derived, duplicates flagged."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from disclosure import content
from disclosure.choices import ContentType
from disclosure.forms import HouseholdForm
from disclosure.identity import identity_age, identity_problem
from disclosure.imports.common import CellError, amount_read, date_read, read_paste, read_upload
from disclosure.imports.finance import finance_read
from disclosure.imports.roster import CONTINUING, NEW, roster_read
from disclosure.imports.workbook import template_workbook
from disclosure.rules import FINANCE_LINES_MAX
from tenants.errors import InvalidInput
from tests.spreadsheets import identity, quarter, with_check_digit, xlsx


def upload(payload: bytes, name: str = "明细.xlsx") -> list:
    return read_upload(SimpleUploadedFile(name, payload))


def paste(*rows: tuple) -> list:
    return [read_paste("\n".join("\t".join(str(c) for c in row) for row in rows))]


# --- header names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        ("日期", "摘要", "类别", "收入", "支出", "凭证号"),
        ("记账日期", "事由", "科目", "收入金额", "支出金额", "凭证编号"),
        ("日期", "摘要", "会计科目", "借方", "贷方", "凭证字号"),
        ("日期", "摘要", "收支类别", "借方金额", "贷方金额", "凭证号"),
        ("日期", "摘要", "类别", "收支", "金额(元)", "凭证号"),
        ("日期", "摘要", "类别", "收/支", "金额（元）", "凭证号"),
        ("记账日期", "摘要", "科目", "收支", "发生额", "凭证编号"),
        (" 日 期 ", "*摘要", "类别:", "收入(元)", "支出（元）", "凭证号"),
    ],
)
def test_finance_headers_are_matched_leniently(header):
    two_columns = "收支" not in header and "收/支" not in header
    row = (
        ("2026/7/3", "购买办公用品", "办公费", "", "1,234.50", "付-01")
        if two_columns
        else ("2026/7/3", "购买办公用品", "办公费", "支出", "1,234.50", "付-01")
    )
    outcome = finance_read(paste(header, row), year=2026)
    assert outcome.ok, outcome.every_problem
    assert outcome.rows[0].values == {
        "date": "2026-07-03",
        "description": "购买办公用品",
        "direction": "expense",
        "category": "办公费",
        "amount": "1234.50",
        "voucher": "付-01",
        "reimbursement": False,
    }


def test_month_and_day_columns_of_a_journal_take_the_statements_year():
    outcome = finance_read(
        paste(
            ("月", "日", "凭证号", "摘要", "科目", "借方", "贷方"),
            ("7", "3", "收-01", "拨款", "上级拨款", "500", ""),
        ),
        year=2025,
    )
    assert outcome.ok and outcome.rows[0].values["date"] == "2025-07-03"


def test_a_reimbursement_is_marked_and_names_typed_in_the_sheet_are_not_signatures():
    header = ("日期", "摘要", "类别", "支出", "凭证号", "报账", "经办人")
    reimbursed = ("2026/7/3", "维修", "维修费", "300", "付-1", "是", "戊")
    outcome = finance_read(paste(header, reimbursed), year=2026)
    assert outcome.rows[0].ok and outcome.rows[0].values["reimbursement"] is True
    assert "signatures" not in outcome.rows[0].values  # the five accounts sign on the statement's page


def test_missing_columns_are_named_with_the_names_they_may_go_by():
    outcome = finance_read(paste(("日期", "摘要", "金额"), ("2026/7/3", "拨款", "5")), year=2026)
    assert not outcome.rows and len(outcome.problems) == 1
    message = outcome.problems[0].message
    assert "缺少这些列" in message and "“类别”" in message and "“凭证号”" in message and "凭证编号" in message


def test_a_single_amount_column_without_income_or_expense_is_refused_with_what_to_add():
    outcome = finance_read(
        paste(("日期", "摘要", "类别", "金额", "凭证号"), ("2026/7/3", "拨款", "上级拨款", "5", "1")),
        year=2026,
    )
    assert "请加一列“收支”" in outcome.problems[0].message


def test_a_paste_without_its_header_is_read_in_the_templates_order():
    outcome = finance_read(paste(("2026/7/3", "拨款", "上级拨款", "500", "", "收-1")), year=2026)
    assert outcome.ok and outcome.rows[0].values["amount"] == "500.00"
    assert "没有表头" in outcome.notes[0]


def test_a_journals_carried_forward_row_gives_the_opening_balance_and_totals_are_skipped():
    outcome = finance_read(
        paste(
            ("日期", "摘要", "科目", "借方", "贷方", "余额", "凭证号"),
            ("2026/7/1", "上期结转", "", "", "", "12,000.00", ""),
            ("2026/7/3", "拨款", "上级拨款", "500", "0.00", "12,500.00", "收-1"),
            ("", "本月合计", "", "500", "0", "12,500.00", ""),
            ("", "期末余额", "", "", "", "12,500.00", ""),
        ),
        year=2026,
    )
    assert outcome.ok and len(outcome.rows) == 1
    assert outcome.found == {"opening_balance": "12000.00", "closing_balance": "12500.00"}
    assert any("跳过了 1 行" in n for n in outcome.notes)


# --- cells -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1,234.50", "1234.50"),
        ("1234.5元", "1234.50"),
        ("¥1,234.50", "1234.50"),
        ("１，２３４．５０", "1234.50"),
        ("12元5角3分", "12.53"),
        ("5角", "0.50"),
        ("1200元整", "1200.00"),
        (1234.5, "1234.50"),
        (0.1 + 0.2, "0.30"),
        ("(120.00)", "-120.00"),
        ("—", None),
        ("", None),
    ],
)
def test_amounts_as_clerks_write_them(typed, amount):
    read = amount_read(typed)
    assert (str(read) if read is not None else None) == amount
    assert read is None or isinstance(read, Decimal)


@pytest.mark.parametrize("typed", ["一千二", "12..5", "约 300"])
def test_text_in_an_amount_cell_says_what_to_write(typed):
    with pytest.raises(CellError, match="不是金额"):
        amount_read(typed)


@pytest.mark.parametrize(
    "typed",
    [
        "2026/7/3",
        "2026-07-03",
        "2026.7.3",
        "2026年7月3日",
        "2026年7月3号",
        "20260703",
        "7月3日",
        "7/3",
        46206,
        46206.0,
        "46206",
        datetime(2026, 7, 3, 9, 30),
        date(2026, 7, 3),
    ],
)
def test_dates_as_clerks_type_them_including_excel_day_numbers(typed):
    assert date_read(typed, year=2026) == date(2026, 7, 3)


@pytest.mark.parametrize(
    ("typed", "says"), [("2026/13/3", "不是真实的日期"), ("明天", "不是日期"), (12, "不是日期")]
)
def test_a_bad_date_says_how_to_write_one(typed, says):
    with pytest.raises(CellError, match=says):
        date_read(typed, year=2026)


def test_a_150_line_quarter_with_a_formula_a_day_number_and_separators_reads_in_one_step():
    made = quarter(date(2026, 7, 1))
    outcome = finance_read(upload(made.content), year=2026, period=(date(2026, 7, 1), date(2026, 9, 30)))
    assert outcome.ok and len(outcome.rows) == 150 and not outcome.flags
    first, second, third = (r.values for r in outcome.rows[:3])
    assert first["date"] == "2026-07-01"  # an Excel day number
    assert second["amount"] == "1234.50"  # typed "1,234.50"
    assert third["amount"] == "617.25"  # =E3/2, read as the value Excel saved
    assert content.finance_totals([r.values for r in outcome.rows]) == (made.income, made.expense)


def test_a_formula_whose_value_was_never_saved_is_named_with_what_to_do():
    payload = xlsx(
        [
            ("日期", "摘要", "类别", "收入", "支出", "凭证号"),
            ("2026/7/3", "拨款", "上级拨款", "=1+1", "", "1"),
        ]
    )
    (problem,) = finance_read(upload(payload), year=2026).errors
    assert problem.row == 2 and problem.column == "D 列“收入”"
    assert "是公式 =1+1" in problem.message and "保存一次" in problem.message


def test_every_bad_cell_is_named_by_its_row_and_column():
    payload = xlsx(
        [
            ("银城社区 2026 年第三季度收支明细",),
            ("单位:元",),
            ("日期", "摘要", "类别", "收入", "支出", "凭证号"),
            ("2026/7/3", "拨款", "上级拨款", "500", "", "收-1"),
            ("2026/7/4", "购买纸张", "办公费", "", "一千二", "付-1"),
            ("明天", "", "办公费", "", "30", "付-2"),
            ("2026/7/5", "退款", "办公费", "10", "20", "收-2"),
        ]
    )
    outcome = finance_read(upload(payload), year=2026)
    assert not outcome.ok and outcome.rows[0].ok
    found = {(p.row, p.column): p.message for p in outcome.errors}
    assert found[(5, "E 列“支出”")].startswith("“一千二”不是金额")
    assert "不是日期" in found[(6, "A 列“日期”")]
    assert "请写明这笔收支的事由" in found[(6, "B 列“摘要”")]
    assert "分成两行" in found[(7, "E 列“支出”")]


def test_a_file_that_is_no_spreadsheet_is_refused_in_chinese():
    with pytest.raises(InvalidInput, match="只能是 Excel"):
        upload(b"%PDF-1.4 not a workbook", "明细.xlsx")
    with pytest.raises(InvalidInput, match="旧版 Excel"):
        upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "明细.xls")


def test_lines_outside_the_period_and_lines_written_twice_are_flagged_not_refused():
    line = ("2026/10/3", "拨款", "上级拨款", "500", "", "收-1")
    outcome = finance_read(
        paste(("日期", "摘要", "类别", "收入", "支出", "凭证号"), line, line),
        year=2026,
        period=(date(2026, 7, 1), date(2026, 9, 30)),
        period_name="2026年第三季度",
    )
    assert outcome.ok
    messages = [p.message for p in outcome.flags]
    assert "日期 2026年10月3日 不在所属期2026年第三季度内,请核对" in messages
    assert "与第 2 行完全相同,是否重复登记?" in messages


@pytest.mark.parametrize("content_type", [ContentType.FINANCE, ContentType.RELIEF])
def test_the_template_imports_as_it_is(content_type):
    payload = template_workbook(content_type)
    sheet = load_workbook(io.BytesIO(payload)).active
    assert sheet is not None and sheet["A1"].value in ("日期", "户主姓名") and sheet["A2"].value
    tables = upload(payload)
    outcome = (
        finance_read(tables, year=2026)
        if content_type == ContentType.FINANCE
        else roster_read(tables, on=date(2026, 7, 1))
    )
    assert outcome.ok and len(outcome.rows) == 1, outcome.every_problem


# --- identity numbers and rosters --------------------------------------------------------------------------


ROSTER_HEADER = ("姓名", "身份证号码", "年龄", "人口", "致困原因", "月保障金")


def test_gb_11643_check_digit_and_birth_date():
    assert identity_problem("11010519491231002X") == ""
    assert identity_problem("11010519491231002x") == ""
    assert identity_problem(identity(date(1988, 11, 2), 13, "640104")) == ""
    assert "校验位" in identity_problem("110105194912310021")
    assert "18 位" in identity_problem("1101051949123100")
    assert "15 位的老号码" in identity_problem("110105491231002")
    assert "出生日期" in identity_problem(with_check_digit("62010219491331123"))
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert "不合理" in identity_problem(identity(tomorrow), today=timezone.localdate())


def test_a_typed_roster_with_a_wrong_check_digit_is_refused_naming_the_household():
    wrong = {
        "name": "李四",
        "id_number": "110105194912310021",
        "age": 76,
        "household_size": 1,
        "hardship": "独居",
        "amount": "1",
    }
    households = [{**wrong, "name": "张三", "id_number": identity(date(1950, 1, 1))}, wrong]
    with pytest.raises(InvalidInput, match="第 2 户的身份证号的校验位"):
        content.validate_relief({"programme": "城市低保", "households": households})
    form = HouseholdForm(wrong)
    assert not form.is_valid() and "校验位" in form.errors["id_number"][0]


def test_an_empty_age_is_derived_from_the_number_as_of_the_rosters_date():
    on = timezone.localdate()
    born = date(on.year - 70, on.month, 1) if on.day > 1 else date(on.year - 71, 12, 31)
    number = identity(born)
    outcome = roster_read(paste(ROSTER_HEADER, ("王建国", number, "", "2", "独居", "680")), on=on)
    (row,) = outcome.rows
    assert row.ok and row.values["age"] == identity_age(number, on=on) == on.year - born.year - (
        (on.month, on.day) < (born.month, born.day)
    )
    assert "年龄由身份证号推算" in row.tags
    a_year_later = roster_read(
        paste(ROSTER_HEADER, ("王建国", number, "", "2", "独居", "680")), on=on + timedelta(days=366)
    )
    assert a_year_later.rows[0].values["age"] == row.values["age"] + 1


def test_an_age_far_from_the_numbers_is_flagged_and_an_age_with_no_number_is_asked_for():
    number = identity(date(1950, 3, 1))
    outcome = roster_read(
        paste(
            ROSTER_HEADER, ("王建国", number, "45", "2", "独居", "680"), ("李四", "", "", "1", "残疾", "500")
        ),
        on=date(2026, 7, 1),
    )
    assert outcome.rows[0].ok and "与身份证号推算的 76 岁不符" in outcome.rows[0].problems[0].message
    assert outcome.rows[0].problems[0].flag
    assert "请填写年龄或身份证号" in outcome.rows[1].problems[0].message


def test_an_identity_number_stored_by_excel_as_a_number_is_refused_with_the_fix():
    payload = xlsx([ROSTER_HEADER, ("王建国", 620102195001011235, 76, 2, "独居", 680)])
    (problem,) = roster_read(upload(payload), on=date(2026, 7, 1)).errors
    assert problem.column == "B 列“身份证号码”" and "设为“文本”格式" in problem.message


def test_duplicates_within_the_roster_are_flagged_not_refused():
    number = identity(date(1950, 3, 1))
    outcome = roster_read(
        paste(
            ROSTER_HEADER,
            ("王建国", number, "", "2", "独居", "680"),
            ("王建國", number, "", "2", "独居", "680"),
            ("李四", "", "60", "1", "残疾", "500"),
            ("李四", "", "60", "3", "失业", "500"),
        ),
        on=date(2026, 7, 1),
    )
    assert outcome.ok
    assert [(p.row, p.message) for p in outcome.flags] == [
        (3, "与第 2 行身份证号相同,是否重复?"),
        (5, "与第 4 行姓名、年龄相同,是否重复?"),
    ]


def test_the_roster_is_compared_with_the_previous_periods_new_continuing_and_left():
    number = identity(date(1950, 3, 1))
    previous = [
        {"name": "王建国", "id_number": number, "age": 75},
        {"name": "李四", "id_number": "", "age": 59},
        {"name": "赵五", "id_number": "", "age": 80},
        {"name": "钱六", "id_number": identity(date(1960, 1, 1)), "age": 66},
    ]
    outcome = roster_read(
        paste(
            ROSTER_HEADER,
            ("王建国", number, "", "2", "独居", "680"),
            ("李四", "", "60", "1", "残疾", "500"),
            ("孙七", "", "40", "3", "失业", "800"),
            ("钱六六", identity(date(1960, 1, 1)), "", "3", "失业", "800"),
        ),
        on=date(2026, 7, 1),
        previous=previous,
        previous_name="上期(2026年6月)名单",
    )
    assert outcome.ok
    assert [r.tags[-1] for r in outcome.rows] == [CONTINUING, CONTINUING, NEW, CONTINUING]
    assert "新增 1 户,继续享受 3 户,本期没有的 1 户" in outcome.notes[0]
    assert "赵*" in outcome.notes[1] and "复审" in outcome.notes[1]
    assert "户主是“钱六”,本期是“钱六六”" in outcome.flags[0].message


def test_more_lines_than_one_statement_holds_are_refused_saying_how_to_split():
    header = ("日期", "摘要", "类别", "收入", "支出", "凭证号")
    lines = [("2026/7/3", f"支出{n}", "办公费", "", "1", f"付-{n}") for n in range(FINANCE_LINES_MAX + 1)]
    outcome = finance_read(paste(header, *lines), year=2026)
    assert not outcome.ok
    assert (
        f"最多 {FINANCE_LINES_MAX} 行" in outcome.problems[0].message
        and "分成几份" in outcome.problems[0].message
    )
    assert finance_read(paste(header, *lines[:FINANCE_LINES_MAX]), year=2026).ok
