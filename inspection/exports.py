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
from tenants.models import StreetOffice
from tenants.spreadsheets import safe_cell
from workdays.dates import zh_date, zh_datetime

HEADERS = ["排名", "社区", "综合得分", "定期考核", "暗访", "群众满意率", "按时公开率", "评先创优", "审定"]
SEAL_AREA = "盖章处"


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
        vetoes_text(e),
        "已审定" if e.published_at else "待审定",
    ]


def vetoes_text(e: Evaluation) -> str:
    """What the 评先创优 column says: eligible, or vetoed and by what."""
    if not e.vetoed:
        return "可参评"
    return "一票否决:" + ";".join(f"{v['label']}({v['detail']})" for v in e.vetoes)


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


def evaluations_pdf(rows: Sequence[Evaluation], *, title: str, street_office: StreetOffice) -> HttpResponse:
    """The table, then who approved it and when (or that it awaits approval), and the street office's
    seal area (盖章处) for the printed copy it publishes."""
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
        col_widths=(12, 34, 20, 20, 16, 22, 22, 92, 18), text_align="CENTER", headings_style=headings
    ) as table:
        table.row(HEADERS)
        for e in rows:
            table.row([str(v) for v in _row(e)])
    pdf.ln(4)
    approved = next((e for e in rows if e.published_at), None)
    if approved is not None and approved.approved_by is not None and approved.published_at is not None:
        pdf.cell(0, 7, f"审定人:{approved.approved_by.get_full_name()}", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(0, 7, f"公布日期:{zh_date(approved.published_at)}", new_x="LMARGIN", new_y="NEXT")
    else:
        pdf.cell(0, 7, "尚未审定,不得对外公布", new_x="LMARGIN", new_y="NEXT")
    seal_w, seal_h = 70.0, 36.0
    x, y = pdf.w - pdf.r_margin - seal_w, pdf.get_y() + 2
    if y + seal_h > pdf.h - pdf.b_margin:
        pdf.add_page()
        y = pdf.get_y()
    pdf.rect(x, y, seal_w, seal_h)
    pdf.set_xy(x, y + 8)
    pdf.cell(seal_w, 8, street_office.name, align="C", new_x="LEFT", new_y="NEXT")
    pdf.cell(seal_w, 8, f"({SEAL_AREA})", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(y + seal_h + 4)
    pdf.cell(0, 6, f"生成时间 {zh_datetime(timezone.now())}", new_x="LMARGIN", new_y="NEXT")
    response = HttpResponse(bytes(pdf.output()), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="evaluation.pdf"'
    return response
