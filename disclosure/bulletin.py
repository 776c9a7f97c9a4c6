"""The printed notice for the bulletin board (公开栏, 000 第九条; 桂花方案 五): one public version of a
disclosure on A4 or A3, ready to sign, seal and pin up.

It prints exactly what the portal shows (``selectors.disclosure_public_content``: masked rosters, no
identity numbers), the three signatures the publication carries, a space for the seal, the dates the
posting must stay up, and a QR code that opens the online hash check of this very version with the
printed hash filled in: a resident who scans it learns at once whether the paper still matches.
"""

from __future__ import annotations

import io
import math
from copy import deepcopy
from datetime import date
from typing import Any

import segno
from django.utils import timezone
from django.utils.html import strip_tags
from fpdf import FPDF
from fpdf.errors import FPDFException
from fpdf.fonts import FontFace, TextStyle

from disclosure import services
from disclosure.choices import Audience, ContentType, SignatureRole
from disclosure.display import display_end
from disclosure.models import Disclosure
from disclosure.pdf import cjk_pdf
from disclosure.reimbursements import LineShown
from disclosure.selectors import PublicContent
from workdays.dates import zh_date, zh_datetime
from workdays.periods import period_zh

# Paper sizes a community prints on; A3 is A4 enlarged by √2, so every length and type size scales.
SIZES = {"A4": 1.0, "A3": math.sqrt(2)}
RED = (178, 34, 34)
GREY = (90, 90, 90)
SEAL_RED = (214, 120, 120)
HEAD_FILL = (246, 238, 230)
# The CJK font has no italic face: emphasis prints upright.
HTML_STYLES = {tag: TextStyle(font_style="") for tag in ("i", "em")}


def _day(value: date | None) -> str:
    return zh_date(value) or "—"


def hash_groups(digest: str) -> list[str]:
    """The hash in groups of eight, as the portal's hash check shows it."""
    return [digest[i : i + 8] for i in range(0, len(digest), 8)]


class _Notice:
    """One notice being laid out; ``k`` scales every length and type size from A4."""

    def __init__(self, pdf: FPDF, family: str, k: float) -> None:
        self.pdf, self.family, self.k = pdf, family, k

    def font(self, size: float, color: tuple[int, int, int] = (0, 0, 0)) -> None:
        """Type size and colour for what follows. fpdf2 2.8.9 can draw Latin text at the previous
        size after a line that began in the fallback (CJK) font; switching the family first makes it
        write the size out again."""
        self.pdf.set_text_color(*color)
        self.pdf.set_font("cjk", size=size * self.k)
        self.pdf.set_font(self.family, size=size * self.k)

    def line(
        self, text: str, size: float, *, align: str = "L", color: tuple[int, int, int] = (0, 0, 0)
    ) -> None:
        self.font(size, color)
        self.pdf.multi_cell(0, size * self.k * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT")

    def gap(self, mm: float) -> None:
        self.pdf.ln(mm * self.k)

    def heading(self, text: str) -> None:
        self.gap(3)
        self.line(text, 13, color=RED)
        self.gap(1)

    def table(self, headings: list[str], rows: list[list[str]], widths: tuple[float, ...]) -> None:
        self.font(10.5)
        style = FontFace(emphasis="", fill_color=HEAD_FILL)  # the CJK font has no bold face
        with self.pdf.table(
            col_widths=widths,
            headings_style=style,
            line_height=10.5 * self.k * 0.55,
            padding=1.2 * self.k,
            text_align="LEFT",
        ) as table:
            table.row(headings)
            for row in rows:
                table.row(row)
        self.gap(2)

    def facts(self, pairs: list[tuple[str, str]]) -> None:
        self.table([label for label, _ in pairs], [[value for _, value in pairs]], tuple(1 for _ in pairs))


def _body(notice: _Notice, html: str) -> None:
    """The body as the portal shows it. fpdf2 lays out the sanitised HTML; should a clerk's HTML be
    beyond what it can lay out, the document is put back as it was and the words are printed as
    plain paragraphs: the notice never fails over formatting."""
    if not html.strip():
        return
    pdf = notice.pdf
    notice.font(12)
    before = deepcopy(vars(pdf))
    try:
        pdf.write_html(html, font_family=notice.family, tag_styles=HTML_STYLES)
    except FPDFException:
        vars(pdf).clear()
        vars(pdf).update(before)
        notice.line(strip_tags(html.replace("</p>", "</p>\n").replace("<br>", "\n")).strip(), 12)
    notice.gap(2)


FACTS_PER_ROW = 4


def _widths(rows: list[list[str]]) -> tuple[float, ...]:
    """Column widths after the longest text each column holds (a header counts), within 1 to 4 to 1."""
    return tuple(min(4.0, max(1.0, max(len(row[i]) for row in rows) / 6)) for i in range(len(rows[0])))


def briefing_sections(notice: _Notice, sections: list[dict[str, Any]]) -> None:
    """A briefing's sections (工作简报) as ``disclosure/_briefing.html`` lays them out: heading, text,
    figures in rows of boxes, then the table, each column as wide as what it holds needs."""
    for section in sections:
        if not (section.get("text") or section.get("facts") or section.get("rows")):
            continue
        notice.heading(section["heading"])
        for paragraph in (p for p in section.get("text", "").splitlines() if p.strip()):
            notice.line(paragraph, 12)
        notice.gap(1)
        facts = section.get("facts") or []
        for start in range(0, len(facts), FACTS_PER_ROW):
            notice.facts([(label, value) for label, value in facts[start : start + FACTS_PER_ROW]])
        if section.get("rows"):
            columns, rows = section["columns"], section["rows"]
            notice.table(columns, rows, _widths([columns, *rows]))


def signed_by(shown: LineShown) -> str:
    """Who signed a reimbursement and when, and how many receipts it has (004 ⑵), in a line."""
    names = "、".join(
        f"{slot.label} {slot.signature.signer_name}({zh_date(timezone.localdate(slot.signature.created_at))})"
        if slot.signature
        else f"{slot.label} 未签"
        for slot in shown.unit.slots
    )
    return f"报账签字:{names};原始单据 {len(shown.receipts)} 张"


def _structured(
    notice: _Notice, content_type: str, data: dict[str, Any], reimbursed: dict[str, LineShown]
) -> None:
    """Structured content laid out as ``portal/_content.html`` lays it out, from the public view only;
    a reimbursement with its five signatures and its receipts counted (the copies go on the board)."""
    if content_type == ContentType.FINANCE and data.get("lines"):
        notice.heading("收支情况")
        notice.facts(
            [
                ("所属期", period_zh(str(data.get("period", "")))),
                ("期初余额(元)", str(data.get("opening_balance", ""))),
                ("收入合计(元)", str(data.get("income_total", ""))),
                ("支出合计(元)", str(data.get("expense_total", ""))),
                ("期末余额(元)", str(data.get("closing_balance", ""))),
            ]
        )
        receipts = sum(len(shown.receipts) for shown in reimbursed.values())
        if reimbursed:
            notice.line(f"报账支出 {len(reimbursed)} 笔,原始单据复印件 {receipts} 张随本公告张贴。", 11)
        rows = []
        for line in data["lines"]:
            description = line["description"]
            if line.get("id") in reimbursed:
                description += "\n" + signed_by(reimbursed[line["id"]])
            income = line["amount"] if line["direction"] == "income" else "—"
            expense = line["amount"] if line["direction"] == "expense" else "—"
            rows.append(
                [zh_date(line["date"]), description, line["category"], income, expense, line["voucher"]]
            )
        notice.heading("逐笔收支明细(单位:元)")
        notice.table(["日期", "摘要", "类别", "收入", "支出", "凭证号"], rows, (20, 52, 18, 16, 16, 18))
    elif content_type == ContentType.RELIEF and data.get("households"):
        notice.heading(f"救助对象名单 · {data.get('programme', '')}")
        notice.line("为保护个人信息,户主姓名部分隐去,身份证号不公开。", 9.5, color=GREY)
        notice.gap(1)
        rows = [
            [h["name"], str(h["age"]), str(h["household_size"]), h["hardship"], h["amount"]]
            for h in data["households"]
        ]
        notice.table(["户主", "年龄", "家庭人口", "困难情况", "金额(元)"], rows, (16, 10, 14, 60, 16))
    elif content_type == ContentType.PLAN and data.get("milestones"):
        notice.heading("时间节点与进度")
        rows = [
            [m["name"], zh_date(m["planned_date"]), zh_date(m.get("actual_date")) or "—", f"{m['progress']}%"]
            for m in data["milestones"]
        ]
        notice.table(["节点", "计划日期", "完成日期", "进度"], rows, (50, 20, 20, 12))
    elif content_type == ContentType.CADRE and data.get("officers"):
        notice.heading("干部监督台")
        rows = [
            [o["name"], o["post"], o.get("duties", ""), o.get("area", ""), o.get("phone", "")]
            for o in data["officers"]
        ]
        notice.table(["姓名", "职务", "分管工作", "所包巷道", "联系电话"], rows, (14, 20, 30, 26, 22))
    elif content_type == ContentType.BRIEFING and data.get("sections"):
        briefing_sections(notice, data["sections"])
    elif content_type == ContentType.SERVICE_GUIDE and data.get("steps"):
        notice.heading("办理步骤")
        for number, step in enumerate(data["steps"], start=1):
            notice.line(f"{number}. {step}", 12)
        if data.get("documents"):
            notice.heading("所需材料")
            for document in data["documents"]:
                notice.line(f"· {document}", 12)
        notice.gap(2)
        notice.facts([("收费标准", str(data.get("fee", ""))), ("办理时限", str(data.get("time_limit", "")))])


def _qr_png(url: str) -> io.BytesIO:
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=12, border=2)
    out.seek(0)
    return out


def _footer_block(notice: _Notice, disclosure: Disclosure, *, community_name: str, verify_url: str) -> None:
    """Signatures, seal, dates and the QR code: kept together on one page."""
    pdf, k = notice.pdf, notice.k
    needed = 92 * k
    if pdf.will_page_break(needed):
        pdf.add_page()
    else:
        pdf.set_y(max(pdf.get_y() + 4 * k, pdf.h - pdf.b_margin - needed))
    top = pdf.get_y()
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.6 * k)
    pdf.line(pdf.l_margin, top, pdf.w - pdf.r_margin, top)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2 * k)
    notice.gap(3)

    # Signatures (桂花方案 四(一)) on the left, the seal on the right.
    signatures = services.valid_signatures(disclosure)
    notice.font(12, RED)
    pdf.cell(0, 7 * k, "签字确认", new_x="LMARGIN", new_y="NEXT")
    width = (pdf.w - pdf.l_margin - pdf.r_margin) * 0.58
    for role in SignatureRole:
        signature = signatures.get(role.value)
        notice.font(12)
        pdf.cell(width * 0.42, 8 * k, f"{role.label}:", border="B")
        name = signature.signer_name if signature else "（未签）"
        signed_on = f"  {zh_date(signature.created_at)}" if signature else ""
        pdf.cell(width * 0.58, 8 * k, f"{name}{signed_on}", border="B", new_x="LMARGIN", new_y="NEXT")
    seal_r = 19 * k
    seal_x = pdf.w - pdf.r_margin - seal_r - 8 * k
    seal_y = top + 6 * k + seal_r
    pdf.set_draw_color(*SEAL_RED)
    pdf.set_dash_pattern(dash=1.2 * k, gap=1.2 * k)
    pdf.circle(x=seal_x, y=seal_y, radius=seal_r)
    pdf.set_dash_pattern()
    pdf.set_draw_color(0, 0, 0)
    notice.font(12, SEAL_RED)
    pdf.set_xy(seal_x - seal_r, seal_y - 4 * k)
    pdf.cell(2 * seal_r, 8 * k, "盖章处", align="C")
    notice.font(9.5, GREY)
    pdf.set_xy(seal_x - seal_r - 12 * k, seal_y + seal_r + 1.5 * k)
    pdf.cell(2 * seal_r + 24 * k, 5 * k, f"{community_name}(盖章)", align="C")

    # Dates the posting must keep (桂花方案 五(一): at least 10 days on the board).
    pdf.set_xy(pdf.l_margin, top + 42 * k)
    published_on = timezone.localdate(disclosure.published_at) if disclosure.published_at else None
    dates = f"公布日期:{_day(published_on)}"
    if disclosure.audience == Audience.PARTY_FIRST and disclosure.public_from != published_on:
        dates += f"    向居民公开:{_day(disclosure.public_from)}"
    dates += f"    公示至:{_day(display_end(disclosure))}"
    notice.line(dates, 12)

    # QR code to the online hash check, the hash beside it.
    qr_top = pdf.get_y() + 3 * k
    qr_size = 34 * k
    pdf.image(_qr_png(verify_url), x=pdf.l_margin, y=qr_top, w=qr_size, h=qr_size)
    text_x = pdf.l_margin + qr_size + 5 * k
    groups = hash_groups(disclosure.content_hash)
    pdf.set_xy(text_x, qr_top + 1 * k)
    notice.font(12)
    pdf.cell(0, 7 * k, "扫码核对:这张公告与网上公布的内容是否一致", new_x="LEFT", new_y="NEXT")
    notice.font(11, GREY)
    pdf.cell(0, 6 * k, "内容哈希(前 8 位):", new_x="END")
    notice.font(16)
    pdf.cell(0, 6 * k, groups[0], new_x="LEFT", new_y="NEXT")
    pdf.set_x(text_x)
    for text in ("完整哈希:", " ".join(groups[:4]), " ".join(groups[4:]), f"网址:{verify_url.split('?')[0]}"):
        notice.font(9.5, GREY)
        pdf.cell(0, 5 * k, text, new_x="LEFT", new_y="NEXT")
    pdf.set_xy(pdf.l_margin, qr_top + qr_size + 2 * k)
    notice.line(
        "对公开内容有疑问或意见,可向社区民主监督小组反映,或投入公开栏旁的意见箱。"
        f"  打印时间:{zh_datetime(timezone.now())}",
        9,
        color=GREY,
    )


def notice_pdf(
    disclosure: Disclosure,
    *,
    content: PublicContent,
    community_name: str,
    verify_url: str,
    size: str = "A4",
    reimbursed: dict[str, LineShown] | None = None,
) -> bytes:
    """The notice of one public version. ``content`` is what the portal shows of it; ``verify_url`` is
    the absolute address of its hash check; ``reimbursed`` a statement's reimbursements by line
    (``reimbursements.by_line``). Raises ``pdf.FontMissing`` without a Chinese font and
    ``KeyError`` for a paper size not in ``SIZES`` (the view validates it first)."""
    k = SIZES[size]
    pdf, family = cjk_pdf(bold=True, format=size)
    pdf.set_title(disclosure.title)
    pdf.set_margins(16 * k, 14 * k, 16 * k)
    pdf.set_auto_page_break(auto=True, margin=14 * k)
    pdf.add_page()
    notice = _Notice(pdf, family, k)

    notice.line(f"{community_name} · 党务居务公开", 13, align="C", color=RED)
    y = pdf.get_y() + 1.5 * k
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.9 * k)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_line_width(0.3 * k)
    pdf.line(pdf.l_margin, y + 1.4 * k, pdf.w - pdf.r_margin, y + 1.4 * k)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2 * k)
    pdf.set_y(y + 6 * k)
    notice.line(disclosure.title, 22, align="C")
    notice.gap(1)
    version = f" · 第{disclosure.version}版(更正)" if disclosure.version > 1 else ""
    notice.line(
        f"{disclosure.get_category_display()} · {disclosure.get_content_type_display()}{version}"
        f" · 编号 {disclosure.pk:06d}",
        10,
        align="C",
        color=GREY,
    )
    notice.gap(4)

    if content.withdrawn:
        notice.line("这份救助名单的公示期已经结束,为保护个人信息,名单已撤下。", 13)
    else:
        notice.font(12)
        _body(notice, content.body)
        _structured(notice, disclosure.content_type, content.data, reimbursed or {})
    if disclosure.version > 1 and disclosure.correction_reason:
        notice.line(f"更正说明:{disclosure.correction_reason}", 11, color=GREY)

    _footer_block(notice, disclosure, community_name=community_name, verify_url=verify_url)
    return bytes(pdf.output())


def briefing_pdf(
    *, issuer: str, title: str, summary: str, sections: list[dict[str, Any]], footer: str
) -> bytes:
    """A briefing that is not a community's disclosure (the street office's own): the same layout as a
    notice's, with ``footer`` (who approved it, when) in place of the signatures and the seal."""
    pdf, family = cjk_pdf(bold=True, format="A4")
    pdf.set_title(title)
    pdf.set_margins(16, 14, 16)
    pdf.set_auto_page_break(auto=True, margin=14)
    pdf.add_page()
    notice = _Notice(pdf, family, 1.0)
    notice.line(issuer, 13, align="C", color=RED)
    y = pdf.get_y() + 1.5
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.9)
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.set_y(y + 5)
    notice.line(title, 20, align="C")
    notice.gap(4)
    for paragraph in (p for p in summary.splitlines() if p.strip()):
        notice.line(paragraph, 12)
    briefing_sections(notice, sections)
    notice.gap(4)
    notice.line(f"{footer}  打印时间:{zh_datetime(timezone.now())}", 9, color=GREY)
    return bytes(pdf.output())
