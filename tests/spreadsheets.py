"""Spreadsheets as clerks bring them, made with openpyxl: a quarter's cash journal with a formula cell
(its value saved, as Excel saves it), an Excel day number and an amount typed as text with thousands
separators; and identity numbers with their GB 11643 check digit."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from openpyxl import Workbook


def identity(born: date, sequence: int = 123, region: str = "620102") -> str:
    """A well-formed identity number with its ISO 7064 check digit."""
    return with_check_digit(f"{region}{born:%Y%m%d}{sequence:03d}")


def with_check_digit(body: str) -> str:
    """Seventeen digits and the ISO 7064 MOD 11-2 check digit GB 11643 puts after them."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def xlsx(
    rows: Sequence[Sequence[Any]], *, saved: dict[str, Any] | None = None, title: str = "Sheet1"
) -> bytes:
    """A workbook of ``rows``; ``saved`` gives formula cells ("D5": 617.25) the value Excel would
    have saved beside the formula (openpyxl writes formulas without one)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    if not saved:
        return out.getvalue()
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    patched = io.BytesIO()
    with zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for cell, value in saved.items():
                    text, count = re.subn(
                        rf'(<c r="{cell}"[^>]*><f>[^<]*</f>)<v\s*/>', rf"\g<1><v>{value}</v>", text
                    )
                    assert count == 1, f"no formula in {cell}"
                data = text.encode()
            target.writestr(item, data)
    return patched.getvalue()


@dataclass
class Quarter:
    """A cash journal for one quarter and what its lines add up to."""

    content: bytes
    lines: int
    income: Decimal
    expense: Decimal
    opening: Decimal = Decimal("50000.00")

    @property
    def closing(self) -> Decimal:
        return self.opening + self.income - self.expense


HEADER = ("记账日期", "摘要", "科目", "收入", "支出(元)", "凭证编号")


def quarter(start: date, lines: int = 150) -> Quarter:
    """``lines`` lines from ``start`` on, as an accountant's export would hold them: row 2's date is an
    Excel day number, row 3's expense is the text "1,234.50", row 4's expense is a formula (=E3/2) with
    its saved value, the other dates are real date cells or typed text (2026/7/3, 2026年7月3日)."""
    rows: list[list[Any]] = [list(HEADER)]
    income = expense = Decimal("0.00")
    for n in range(lines):
        day = start + timedelta(days=n * 80 // lines)
        row_number = n + 2
        when: Any = [
            datetime(day.year, day.month, day.day),
            f"{day.year}/{day.month}/{day.day}",
            f"{day.year}年{day.month}月{day.day}日",
        ][n % 3]
        if row_number == 2:
            when = (day - date(1899, 12, 30)).days  # Excel's day number, as a plain number cell
        if n % 10 == 0:
            amount: Any = Decimal(15000 + n)
            rows.append(
                [when, f"街道拨付第 {n // 10 + 1} 批经费", "上级拨款", float(amount), None, f"收-{n:03d}"]
            )
            income += amount
            continue
        cell: Any
        if row_number == 3:
            amount, cell = Decimal("1234.50"), "1,234.50"
        elif row_number == 4:
            amount, cell = Decimal("617.25"), "=E3/2"
        else:
            amount = Decimal(100 + (n * 37) % 900) + Decimal("0.50")
            cell = float(amount)
        rows.append([when, f"第 {n} 笔办公支出", "办公费", None, cell, f"付-{n:03d}"])
        expense += amount
    return Quarter(xlsx(rows, saved={"E4": "617.25"}), lines, income, expense)
