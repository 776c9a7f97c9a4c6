"""The evaluation table as XLSX and PDF, for the street office's meetings and the district. The rank is
the one the page shows (``inspection.ranking``): communities with equal composites share it."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.http import HttpResponse
from django.utils import timezone
from fpdf.fonts import FontFace
from openpyxl import Workbook

from disclosure.pdf import FontMissing, cjk_pdf
from inspection.models import Evaluation
from tenants.spreadsheets import safe_cell
from workdays.dates import zh_datetime

HEADERS = ["排名", "社区", "综合得分", "定期考核", "暗访", "群众满意率", "按时公开率", "审定"]


def _row(e: Evaluation) -> list[object]:
    def num(value: object) -> object:
        return float(value) if value is not None else ""  # type: ignore[arg-type]

    return [
        e.rank,
        e.community.name,
        num(e.composite),
        num(e.assessment_score),
        num(e.spot_check_score),
        num(e.satisfaction_score),
        num(e.compliance_score),
        "已审定" if e.published_at else "待审定",
    ]


def evaluations_xlsx(rows: Sequence[Evaluation], *, title: str) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = "综合评价"
    sheet.append([title])
    sheet.append(HEADERS)
    for e in rows:
        sheet.append([safe_cell(v) for v in _row(e)])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="evaluation.xlsx"'
    return response


def evaluations_pdf(rows: Sequence[Evaluation], *, title: str) -> HttpResponse:
    try:
        pdf, family = cjk_pdf(orientation="L", format="A4")
    except FontMissing as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    pdf.add_page()
    pdf.set_font(family, size=16)
    pdf.cell(0, 12, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=10)
    headings = FontFace(emphasis="", fill_color=(240, 236, 228))  # the CJK font has no bold face
    with pdf.table(
        col_widths=(12, 40, 24, 24, 20, 26, 26, 20), text_align="CENTER", headings_style=headings
    ) as table:
        table.row(HEADERS)
        for e in rows:
            table.row([str(v) for v in _row(e)])
    pdf.ln(4)
    pdf.cell(0, 6, f"生成时间 {zh_datetime(timezone.now())}", new_x="LMARGIN", new_y="NEXT")
    response = HttpResponse(bytes(pdf.output()), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="evaluation.pdf"'
    return response
