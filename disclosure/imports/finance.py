"""A quarter's finance lines from a spreadsheet or a paste: a 现金日记账 exported from the accounting
software, or the community's own Excel sheet.

Lines are read as the statement keeps them (``disclosure.content.finance_line`` is the last word on
each), with the income and expense either as two amount columns (收入/支出, or 借方/贷方 of a cash
or bank journal) or one amount column beside a 收支 column. An exported journal's 期初余额/上期结转 row
gives the opening balance, its 期末余额 row the closing one, and its 合计/累计 rows are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from disclosure.content import finance_line
from disclosure.imports.common import (
    CellError,
    Column,
    Outcome,
    Parsed,
    Problem,
    RowReader,
    Table,
    amount_read,
    cell_text,
    date_read,
    rows_read,
    whole_number_read,
    yes_read,
)
from disclosure.rules import FINANCE_LINES_MAX
from workdays.dates import zh_date

COLUMNS: tuple[Column, ...] = (
    Column("date", "日期", ("记账日期", "发生日期", "业务日期", "交易日期", "凭证日期", "时间")),
    Column(
        "description",
        "摘要",
        ("事由", "用途", "内容", "收支内容", "摘要说明", "业务摘要", "说明", "收支事项"),
    ),
    Column("category", "类别", ("收支类别", "科目", "会计科目", "科目名称", "分类", "费用类别", "项目类别")),
    Column("income", "收入", ("收入金额", "借方", "借方金额", "收款金额")),
    Column("expense", "支出", ("支出金额", "贷方", "贷方金额", "付款金额")),
    Column(
        "voucher", "凭证号", ("凭证编号", "凭证字号", "凭证", "凭证号码", "单据号", "票据号", "记账凭证号")
    ),
    Column("reimbursement", "报账", ("是否报账", "报账支出", "报销")),
    Column("direction", "收支", ("收/支", "收支类型", "收支方向", "收入/支出", "收或支", "类型")),
    Column("amount", "金额", ("发生额", "本期发生额", "交易金额", "收支金额")),
    Column("month", "月", ("月份",)),
    Column("day", "日", ()),
    Column("balance", "余额", ("结余", "账面余额")),
)
# A reimbursement's five signatures are given by their accounts, and its receipts uploaded, on the
# statement's page: a spreadsheet only says which lines are reimbursements.
TEMPLATE_KEYS = ("date", "description", "category", "income", "expense", "voucher", "reimbursement")
TEMPLATE_EXAMPLE = {
    "date": "2026/7/3",
    "description": "街道拨付社区办公经费",
    "category": "上级拨款",
    "income": "20,000.00",
    "voucher": "收-07-01",
}
REQUIRED = (("date", "month"), ("description",), ("category",), ("income", "expense", "amount"), ("voucher",))
INCOME_WORDS = {"收入", "收", "入", "借", "借方", "income", "+"}
EXPENSE_WORDS = {"支出", "支", "出", "付", "贷", "贷方", "expense", "-"}
OPENING = re.compile(r"(?:期初|年初|月初)(?:余额|结余)|上(?:期|年|月|季度?)结(?:转|余)|承前页")
CLOSING = re.compile(r"期末(?:余额|结余)|本期余额|结余")
TOTALS = re.compile(r"(?:本(?:月|季度?|年|期))?(?:合计|累计|小计|总计)|过次页")


def direction_read(value: Any) -> str | None:
    text = cell_text(value).lower()
    if not text:
        return None
    if text in INCOME_WORDS:
        return "income"
    if text in EXPENSE_WORDS:
        return "expense"
    raise CellError(f"“{cell_text(value)}”看不出是收入还是支出:请填“收入”或“支出”")


def finance_read(
    tables: list[Table],
    *,
    year: int,
    period: tuple[date, date] | None = None,
    period_name: str = "",
) -> Outcome:
    """Every line of the first sheet (or paste) that has the columns, each with every problem found.
    ``year`` completes dates written without one (7月3日); a date outside ``period`` is flagged."""
    outcome, readers = rows_read(tables, COLUMNS, REQUIRED)
    columns = readers[0].header.columns if readers else {}
    if "amount" in columns and not {"income", "expense", "direction"} & columns.keys():
        outcome.problems.append(
            Problem(
                0,
                "",
                "表格只有一列“金额”,看不出收入还是支出:请加一列“收支”(填“收入”或“支出”),"
                "或把金额分成“收入”“支出”两列。",
            )
        )
        return outcome
    skipped = 0
    for row in readers:
        description = cell_text(row.raw("description"))
        marker = re.sub(r"\s", "", description)
        if OPENING.fullmatch(marker) or CLOSING.fullmatch(marker):
            _balance_found(
                row, outcome, "opening_balance" if OPENING.fullmatch(marker) else "closing_balance"
            )
            continue
        if TOTALS.fullmatch(marker):
            skipped += 1
            continue
        outcome.rows.append(_line(row, year=year))
    if skipped:
        outcome.notes.append(f"跳过了 {skipped} 行合计或累计。")
    if not outcome.rows and not outcome.problems:
        outcome.problems.append(Problem(0, "", "表头下面没有收支明细。"))
    if len(outcome.rows) > FINANCE_LINES_MAX:
        outcome.problems.append(
            Problem(
                0,
                "",
                f"一份收支公开最多 {FINANCE_LINES_MAX} 行明细,这个表格有 {len(outcome.rows)} 行:"
                "请按月或按类别分成几份公开,分别导入。",
            )
        )
    _flag(outcome.rows, period=period, period_name=period_name)
    return outcome


def _line(row: RowReader, *, year: int) -> Parsed:
    if "date" in row.header.columns:
        day = row.read("date", lambda v: date_read(v, year=year), required="请填写这笔收支的日期,如 2026/7/3")
    else:
        month = row.read("month", whole_number_read, required="请填写月份")
        dom = row.read("day", whole_number_read, required="请填写日")
        try:
            day = date(year, month, dom) if month and dom else None
        except ValueError:
            row.problem("day", f"{month}月{dom}日不是真实的日期:请核对月和日")
    values: dict[str, Any] = {
        "date": day.isoformat() if day else "",
        "description": row.read("description", cell_text, required="请写明这笔收支的事由"),
        "category": row.read("category", cell_text, required="请填写收支类别,如 上级拨款、办公费"),
        "voucher": row.read("voucher", cell_text, required="请填写凭证号,公开的每一笔都要能对上凭证"),
        "reimbursement": bool(row.read("reimbursement", yes_read)),
    }
    values["direction"], values["amount"] = _money(row)
    return row.parsed(values, finance_line)


def _money(row: RowReader) -> tuple[str, str]:
    """The line's direction and amount, from the two amount columns or from 收支 and 金额."""
    columns = row.header.columns
    if "income" in columns or "expense" in columns:
        income = row.read("income", amount_read) if "income" in columns else None
        expense = row.read("expense", amount_read) if "expense" in columns else None
        income = income or None  # the unused column of a journal holds 0.00
        expense = expense or None
        if income is not None and expense is not None:
            row.problem("expense", "同一行收入和支出都有金额:请分成两行")
        elif income is not None or expense is not None:
            return ("income", str(income)) if income is not None else ("expense", str(expense))
        elif "amount" not in columns:
            if not row.problems:
                row.problem("income", "收入和支出都是空的:请填写这笔收支的金额")
            return "", ""
    direction = row.read("direction", direction_read, required="请填“收入”或“支出”")
    amount = row.read("amount", amount_read, required="请填写金额,如 1,234.50")
    return direction or "", "" if amount is None else str(amount)


def _balance_found(row: RowReader, outcome: Outcome, key: str) -> None:
    """A journal's opening or closing row: its balance (or amount) goes beside the lines."""
    for column in ("balance", "income", "amount", "expense"):
        try:
            amount = amount_read(row.raw(column))
        except CellError:
            continue
        if amount is not None:
            outcome.found[key] = str(amount)
            label = "期初余额" if key == "opening_balance" else "期末余额"
            outcome.notes.append(f"第 {row.number} 行是{label} {amount:,} 元,已作为{label}。")
            return


def _flag(rows: Sequence[Parsed], *, period: tuple[date, date] | None, period_name: str) -> None:
    """Flags to look at, not refusals: a date outside the statement's period, a line written twice."""
    seen: dict[tuple[Any, ...], int] = {}
    for parsed in rows:
        values = parsed.values
        if not parsed.ok:
            continue
        day = date.fromisoformat(values["date"])
        if period and not period[0] <= day <= period[1]:
            parsed.problems.append(
                Problem(parsed.number, "", f"日期 {zh_date(day)} 不在所属期{period_name}内,请核对", flag=True)
            )
        key = tuple(values[k] for k in ("date", "description", "direction", "amount", "voucher"))
        if key in seen:
            parsed.problems.append(
                Problem(parsed.number, "", f"与第 {seen[key]} 行完全相同,是否重复登记?", flag=True)
            )
        seen.setdefault(key, parsed.number)
