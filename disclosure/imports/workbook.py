"""The blank workbooks a clerk downloads: the columns an importer reads, in its order, and one example
row, so a sheet filled in from them imports as it is."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from disclosure.choices import ContentType
from disclosure.imports import finance, roster
from disclosure.imports.common import Column

TEMPLATES: dict[str, tuple[str, Sequence[Column], Sequence[str], Mapping[str, str]]] = {
    ContentType.FINANCE: ("财务收支明细", finance.COLUMNS, finance.TEMPLATE_KEYS, finance.TEMPLATE_EXAMPLE),
    ContentType.RELIEF: ("救助名单", roster.COLUMNS, roster.TEMPLATE_KEYS, roster.TEMPLATE_EXAMPLE),
}
TEXT_KEYS = {"id_number", "voucher"}  # kept as text, so Excel does not turn 0012 or an ID into a number


def template_name(content_type: str) -> str:
    return f"{TEMPLATES[content_type][0]}导入模板.xlsx"


def template_workbook(content_type: str) -> bytes:
    """The template for ``content_type`` (finance or relief) as xlsx bytes."""
    title, columns, keys, example = TEMPLATES[content_type]
    labels = {c.key: c.label for c in columns}
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append([labels[key] for key in keys])
    sheet.append([example.get(key, "") for key in keys])
    for index, key in enumerate(keys, start=1):
        head = sheet.cell(row=1, column=index)
        head.font = Font(bold=True)
        head.fill = PatternFill("solid", fgColor="FAF7F2")
        letter = head.column_letter
        sheet.column_dimensions[letter].width = 22 if key in ("description", "hardship", "id_number") else 13
        if key in TEXT_KEYS:
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
