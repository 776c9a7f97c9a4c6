"""公开报告单 (000 第七条(五)): the report form of one publication, as a PDF with the Chinese font
embedded, so it prints the same on any machine."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from disclosure import services
from disclosure.choices import Channel, LedgerAction
from disclosure.models import Disclosure, LedgerEntry
from disclosure.pdf import cjk_pdf
from workdays.dates import zh_date, zh_datetime


def _local(moment: datetime | None) -> str:
    return zh_datetime(moment) or "—"


def report_form_pdf(disclosure: Disclosure, *, community_name: str) -> bytes:
    pdf, family = cjk_pdf(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
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
            f"{obligation.title}({obligation.period_zh}),规定 {zh_date(obligation.due_date)} 前公开"
            if obligation
            else "—",
        ),
        ("公开对象", disclosure.get_audience_display()),
        ("审核(监督小组)", opinions),
        ("签字确认", signed or "—"),
        ("公布时间", _local(disclosure.published_at)),
        ("向居民公开", zh_date(disclosure.public_from) or "—"),
        ("公示至", zh_date(disclosure.display_until) or "—"),
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
        f"生成时间 {zh_datetime(timezone.now())}。本单随公开资料归档(000 第七条(五))。",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
