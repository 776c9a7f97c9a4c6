"""The 台帐 handed to an inspector: the rows a filter selected, as XLSX and as a printable PDF.

Both carry the same rows in the same order as the page (newest first) and say what they are: whose
ledger, which filter, when it was made and whether the hash chain verified at that moment. Dates are
written the Chinese way (the spreadsheet keeps real date-times under a Chinese number format, so they
still sort and filter). The PDF embeds its fonts (``disclosure.pdf``) and numbers its pages.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from disclosure.models import LedgerEntry
from disclosure.pdf import cjk_pdf
from disclosure.selectors import LedgerReport
from tenants.spreadsheets import safe_cell
from workdays.dates import zh_date, zh_datetime

FORMATS = ("xlsx", "pdf")
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel shows a real date-time as 2026年6月8日 10:05 (the format codes Excel's own Chinese locale uses).
ZH_DATETIME_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'
XLSX_COLUMNS = (("序号", 8), ("时间", 22), ("事项", 14), ("公开内容", 48), ("操作人", 14), ("哈希", 70))
PDF_COLUMNS = (("序号", 12), ("日期", 38), ("事项", 24), ("公开内容", 66), ("操作人", 22), ("短哈希", 28))


@dataclass(frozen=True)
class LedgerBook:
    """What a print-out of the 台帐 says about itself besides its rows."""

    community: str
    applied: str
    rows: int
    report: LedgerReport
    made_at: datetime

    @property
    def title(self) -> str:
        return f"{self.community} 党务居务公开台帐"

    def filename(self, extension: str) -> str:
        return f"{self.community}党务居务公开台帐({zh_date(self.made_at)}).{extension}"


def ledger_xlsx(entries: Iterable[LedgerEntry], book: LedgerBook) -> bytes:
    """Sheet 台帐: one header row, then one row per entry; sheet 说明: the filter, the time, the chain."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "台帐"
    sheet.append([name for name, _ in XLSX_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F0ECE4")
    for entry in entries:
        sheet.append(
            [
                entry.seq,
                timezone.localtime(entry.recorded_at).replace(tzinfo=None),
                entry.get_action_display(),
                safe_cell(entry.subject),
                safe_cell(entry.actor_name),
                entry.hash,
            ]
        )
        sheet.cell(row=sheet.max_row, column=2).number_format = ZH_DATETIME_FORMAT
    for index, (_, width) in enumerate(XLSX_COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions

    about = workbook.create_sheet("说明")
    for label, value in _about(book):
        about.append([label, safe_cell(value)])
    about.column_dimensions["A"].width = 12
    about.column_dimensions["B"].width = 90
    for row in about.iter_rows():
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _NumberedPages(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(size=8)  # the family the page was written in
        self.cell(0, 6, f"第 {self.page_no()} 页,共 {{nb}} 页", align="C")


def ledger_pdf(entries: Iterable[LedgerEntry], book: LedgerBook) -> bytes:
    """A4 portrait: the title, what the print-out covers, then the rows with their heading repeated on
    every page, and the page number at the foot of each. Raises ``FontMissing`` without a CJK font."""
    pdf, family = cjk_pdf(document=_NumberedPages, format="A4")
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    pdf.set_font(family, size=16)
    pdf.cell(0, 12, book.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=9)
    for label, value in _about(book)[1:]:
        pdf.multi_cell(0, 5.5, f"{label}:{value}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    headings = FontFace(emphasis="", fill_color=(240, 236, 228))  # by fill: no bold face to parse
    with pdf.table(
        col_widths=tuple(width for _, width in PDF_COLUMNS),
        text_align=("CENTER", "LEFT", "LEFT", "LEFT", "LEFT", "LEFT"),
        headings_style=headings,
        line_height=5.5,
    ) as table:
        table.row([name for name, _ in PDF_COLUMNS])
        for entry in entries:
            table.row(
                [
                    str(entry.seq),
                    zh_datetime(entry.recorded_at),
                    entry.get_action_display(),
                    entry.subject,
                    entry.actor_name,
                    entry.short_hash,
                ]
            )
    return bytes(pdf.output())


def _about(book: LedgerBook) -> list[tuple[str, str]]:
    return [
        ("台帐", book.title),
        ("筛选条件", book.applied),
        ("记录", f"共 {book.rows} 条,新的在前"),
        ("生成时间", zh_datetime(book.made_at)),
        ("链核验", book.report.summary),
    ]


def ledger_response(kind: str, entries: Iterable[LedgerEntry], book: LedgerBook) -> HttpResponse:
    """The file of ``kind`` (one of ``FORMATS``), named in Chinese (RFC 5987, as Django writes it): the
    spreadsheet to download, the PDF to open and print."""
    spreadsheet = kind == "xlsx"
    content = ledger_xlsx(entries, book) if spreadsheet else ledger_pdf(entries, book)
    response = HttpResponse(content, content_type=XLSX_MEDIA_TYPE if spreadsheet else "application/pdf")
    disposition = content_disposition_header(spreadsheet, book.filename(kind))
    assert disposition is not None  # Django leaves the header out only when there is no file name
    response["Content-Disposition"] = disposition
    return response
