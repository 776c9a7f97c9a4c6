"""公开报告单 (000 第七条(五)): the report form of one publication, as a PDF with the Chinese font
embedded, so it prints the same on any machine."""

from __future__ import annotations

import os
from pathlib import Path

from django.utils import timezone
from fpdf import FPDF

from disclosure import services
from disclosure.choices import Channel, LedgerAction
from disclosure.models import Disclosure, LedgerEntry

# A TrueType font with CJK glyphs: Debian's fonts-droid-fallback (installed by .ci/run and described in
# the README); GONGKAI_CJK_FONT names another one.
FONT_CANDIDATES = [
    os.environ.get("GONGKAI_CJK_FONT", ""),
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]


LATIN_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]


class FontMissing(RuntimeError):
    """No CJK font on this machine: the report cannot be printed in Chinese."""


def cjk_font() -> Path:
    for candidate in FONT_CANDIDATES:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise FontMissing("服务器缺少中文字体,暂时无法生成 PDF。请管理员安装 fonts-droid-fallback 后重试。")


def latin_font() -> Path | None:
    """Digits and Latin letters: the CJK fallback font has none of its own."""
    return next((Path(c) for c in LATIN_CANDIDATES if Path(c).is_file()), None)


def _local(moment: object) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"  # type: ignore[arg-type]


def report_form_pdf(disclosure: Disclosure, *, community_name: str) -> bytes:
    font = cjk_font()
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("cjk", fname=str(font))
    latin = latin_font()
    family = "cjk"
    if latin is not None:
        pdf.add_font("latin", fname=str(latin))
        pdf.set_fallback_fonts(["cjk"])
        family = "latin"
    pdf.add_page()
    pdf.set_font(family, size=18)
    pdf.cell(0, 12, "社区党务、居务公开报告单", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, size=10)
    pdf.cell(
        0,
        6,
        f"{community_name}    编号:{disclosure.pk:06d}-{disclosure.version}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)

    opinions = (
        "；".join(
            f"{o.reviewer_name} {o.get_decision_display()}({_local(o.created_at)})"
            + (f":{o.comments}" if o.comments else "")
            for o in disclosure.opinions.all()
        )
        or "—"
    )
    signatures = services.valid_signatures(disclosure)
    signed = "；".join(
        f"{s.get_role_display()} {s.signer_name}({_local(s.created_at)})" for s in signatures.values()
    )
    channels = "、".join(str(dict(Channel.choices).get(c, c)) for c in disclosure.channels) or "—"
    publish_entry = (
        LedgerEntry.objects.filter(
            disclosure=disclosure, action__in=[LedgerAction.PUBLISH, LedgerAction.CORRECT]
        )
        .order_by("seq")
        .first()
    )
    obligation = disclosure.obligation
    rows = [
        ("公开事项", disclosure.title),
        ("类别", f"{disclosure.get_category_display()} · {disclosure.get_content_type_display()}"),
        (
            "公开任务",
            f"{obligation.title}({obligation.period}),规定 {obligation.due_date:%Y-%m-%d} 前公开"
            if obligation
            else "—",
        ),
        ("公开对象", disclosure.get_audience_display()),
        ("审核(监督小组)", opinions),
        ("签字确认", signed or "—"),
        ("公布时间", _local(disclosure.published_at)),
        ("向居民公开", f"{disclosure.public_from:%Y-%m-%d}" if disclosure.public_from else "—"),
        ("公示至", f"{disclosure.display_until:%Y-%m-%d}" if disclosure.display_until else "—"),
        ("公开形式", channels),
        (
            "更正说明",
            f"第 {disclosure.version} 版:{disclosure.correction_reason}" if disclosure.supersedes_id else "—",
        ),
        ("内容哈希", disclosure.content_hash),
        ("台帐记录", f"第 {publish_entry.seq} 条 {publish_entry.hash}" if publish_entry else "—"),
    ]
    label_width = 36
    for label, value in rows:
        y = pdf.get_y()
        pdf.set_xy(pdf.l_margin + label_width, y)
        pdf.multi_cell(0, 7, str(value), border=1, align="L", new_x="LMARGIN", new_y="NEXT")
        height = pdf.get_y() - y
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_width, height, label, border=1, align="C")
        pdf.set_y(y + height)
    pdf.ln(8)
    pdf.cell(
        0,
        7,
        "经办人:__________    党组织书记:__________    居委会主任:__________    (盖章)",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.set_font(family, size=8)
    pdf.cell(
        0,
        5,
        f"生成时间 {timezone.localtime():%Y-%m-%d %H:%M}。本单随公开资料归档(000 第七条(五))。",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
