"""工作简报 written out: a quarter's figures (``inspection.briefing``) as the sections a briefing is made
of (``disclosure.content.briefing_section``): a heading, a text the clerk may edit, the figures as facts
and a table. Dates in Chinese, lateness in working days; residents are counted, never named or quoted."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from inspection.briefing import ONE_PLACE, CommunityQuarter, CommunityRow, StreetOfficeQuarter, rate_text
from inspection.choices import RectificationStatus
from inspection.models import Rectification, SpotCheck, Survey
from inspection.rules import SATISFACTION_THRESHOLD
from workdays.dates import zh_date


def _section(
    key: str,
    heading: str,
    text: str,
    *,
    facts: list[list[str]] | None = None,
    columns: list[str] | None = None,
    rows: list[list[str]] | None = None,
) -> dict[str, Any]:
    return {
        "key": key,
        "heading": heading,
        "text": text,
        "facts": facts or [],
        "columns": columns or [],
        "rows": rows or [],
    }


def _yes(value: bool | None) -> str:
    return "—" if value is None else ("是" if value else "否")


def lateness_text(working_days_late: int | None) -> str:
    if working_days_late is None:
        return "—(无公开时限)"
    return "按时" if working_days_late == 0 else f"逾期 {working_days_late} 个工作日"


def order_outcome(order: Rectification) -> str:
    if order.status == RectificationStatus.CLOSED and order.closed_at:
        return f"已销号({zh_date(order.closed_at)})"
    return str(order.get_status_display())


def _orders_section(orders: list[Rectification], *, with_community: bool) -> dict[str, Any]:
    closed = sum(1 for o in orders if o.status == RectificationStatus.CLOSED)
    text = (
        f"本季度街道下达整改通知 {len(orders)} 件,已整改销号 {closed} 件,"
        f"其余 {len(orders) - closed} 件正在办理。"
        if orders
        else "本季度没有整改通知。"
    )
    columns = ["下达日期", "来源", "问题", "整改期限", "办理结果"]
    rows = [
        [zh_date(o.created_at), str(o.get_source_display()), o.issues, zh_date(o.due_date), order_outcome(o)]
        for o in orders
    ]
    if with_community:
        columns.insert(0, "社区")
        for row, order in zip(rows, orders, strict=True):
            row.insert(0, order.community.name)
    return _section("orders", "整改通知及办理结果", text, columns=columns, rows=rows if orders else [])


def _spot_checks_section(checks: list[SpotCheck], *, with_community: bool) -> dict[str, Any]:
    scores = [c.score for c in checks if c.score is not None]
    average = (sum(scores, Decimal(0)) / len(scores)).quantize(ONE_PLACE) if scores else None
    text = (
        f"本季度街道暗访 {len(checks)} 次,平均得分 {average if average is not None else '—'}。"
        if checks
        else "本季度没有暗访。"
    )
    columns = [
        "暗访日期",
        "公开栏内容是当期的",
        "公示期内内容仍在栏上",
        "设有意见箱且可用",
        "得分",
        "发现的问题",
    ]
    rows = [
        [
            zh_date(c.visited_at),
            _yes(c.board_current),
            _yes(c.display_window_kept),
            _yes(c.opinion_box),
            str(c.score) if c.score is not None else "—",
            c.findings or "—",
        ]
        for c in checks
    ]
    if with_community:
        columns.insert(0, "社区")
        for row, check in zip(rows, checks, strict=True):
            row.insert(0, check.community.name)
    return _section("spot_checks", "暗访结果", text, columns=columns, rows=rows)


def _surveys_section(surveys: list[Survey], *, with_community: bool) -> dict[str, Any]:
    below = [
        s for s in surveys if s.satisfaction_rate is not None and s.satisfaction_rate < SATISFACTION_THRESHOLD
    ]
    text = f"本季度结束群众评议 {len(surveys)} 次。" if surveys else "本季度没有结束的群众评议。"
    if below:
        text += f"满意率低于 {SATISFACTION_THRESHOLD}% 的 {len(below)} 次,已责令整改。"
    columns = ["评议", "结束日期", "有效票", "满意", "基本满意", "不满意", "满意率"]
    rows = [
        [
            s.title,
            zh_date(s.closed_at),
            str(s.votes_cast),
            str(s.satisfied),
            str(s.basic),
            str(s.unsatisfied),
            f"{s.satisfaction_rate}%" if s.satisfaction_rate is not None else "—",
        ]
        for s in surveys
    ]
    if with_community:
        columns.insert(0, "社区")
        for row, survey in zip(rows, surveys, strict=True):
            row.insert(0, survey.community.name)
    return _section("surveys", "群众评议结果", text, columns=columns, rows=rows)


NEXT_SECTION = ("next", "下季度工作打算")


@dataclass
class Written:
    """A briefing written out: its title, the summary paragraph (plain text) and its sections."""

    title: str
    summary: str
    sections: list[dict[str, Any]] = field(default_factory=list)


def community_written(q: CommunityQuarter) -> Written:
    """The community's briefing: what it published and when, its on-time rate, its residents' questions
    and answers, the street office's orders, spot checks and surveys of the quarter."""
    c, f = q.compliance, q.feedback
    corrections = sum(1 for p in q.publications if p.correction)
    rate = rate_text(c.on_time_rate)
    as_of = zh_date(q.on)
    summary = (
        f"{q.period.zh},{q.community.name}公布党务居务公开内容 {len(q.publications)} 项"
        f"(其中更正 {corrections} 项)。"
        f"本季度到期的公开任务 {c.due} 项,按时公开 {c.on_time} 项,逾期公开 {c.late} 项,"
        f"逾期未公开 {c.overdue} 项,按时公开率 {rate}。"
        f"收到居民询问、意见和投诉 {f.received} 件,已答复 {f.answered} 件,尚未答复 {f.open} 件。"
        f"街道下达整改通知 {len(q.orders)} 件,暗访 {len(q.spot_checks)} 次,群众评议 {len(q.surveys)} 次。"
        f"数据截至{as_of}。"
    )
    publication_rows = [
        [
            p.title + ("(更正)" if p.correction else ""),
            zh_date(p.due_date) or "—",
            zh_date(p.published_on),
            lateness_text(p.working_days_late),
        ]
        for p in q.publications
    ] + [
        [u.title, zh_date(u.due_date), "未公开", f"逾期未公开 {u.working_days_late} 个工作日"]
        for u in q.unpublished
    ]
    feedback_facts = [
        ["收到", f"{f.received} 件"],
        *([kind, f"{n} 件"] for kind, n in f.by_kind.items()),
        ["已答复", f"{f.answered} 件"],
        ["按期答复", f"{f.answered_on_time} 件"],
        ["平均答复用时", f"{f.average_working_days} 个工作日" if f.average_working_days is not None else "—"],
        ["尚未答复", f"{f.open} 件"],
        ["其中已超过答复期限", f"{f.overdue} 件"],
    ]
    return Written(
        title=f"{q.community.name}{q.period.zh}工作简报",
        summary=summary,
        sections=[
            _section(
                "publications",
                "公开情况",
                f"本季度公布 {len(q.publications)} 项,按时公开率 {rate}(按本季度到期的公开任务计)。"
                "下表列出每项的公开时限和公布日期,逾期天数按工作日计算。",
                facts=[
                    ["本季度公布", f"{len(q.publications)} 项"],
                    ["到期任务", f"{c.due} 项"],
                    ["按时公开", f"{c.on_time} 项"],
                    ["逾期公开", f"{c.late} 项"],
                    ["逾期未公开", f"{c.overdue} 项"],
                    ["按时公开率", rate],
                ],
                columns=["公开内容", "公开时限", "公布日期", "是否按时"],
                rows=publication_rows,
            ),
            _section(
                "feedback",
                "居民询问与答复",
                f"本季度收到居民询问、意见和投诉 {f.received} 件,已答复 {f.answered} 件,"
                f"其中按期答复 {f.answered_on_time} 件;尚未答复 {f.open} 件。"
                "为保护居民个人信息,简报只公布件数和用时。",
                facts=feedback_facts,
            ),
            _orders_section(q.orders, with_community=False),
            _spot_checks_section(q.spot_checks, with_community=False),
            _surveys_section(q.surveys, with_community=False),
            _section(*NEXT_SECTION, ""),
        ],
    )


def _summary_cells(row: CommunityRow) -> list[str]:
    s = row.summary
    if s is None:
        return [row.community.name, *["—"] * 8, str(row.orders), str(row.orders_closed)]
    return [
        row.community.name,
        str(s.due),
        str(s.on_time),
        str(s.late),
        str(s.overdue),
        rate_text(s.on_time_rate),
        str(s.feedback_received),
        str(s.feedback_answered_on_time),
        str(s.feedback_overdue),
        str(row.orders),
        str(row.orders_closed),
    ]


def street_office_written(q: StreetOfficeQuarter) -> Written:
    """The street office's briefing: every community's publication and answering in the quarter, and
    the street office's own work (orders, spot checks, surveys)."""
    rate = rate_text(q.on_time_rate)
    as_of = zh_date(q.summaries_as_of) or zh_date(q.on)
    missing = [r.community.name for r in q.rows if r.summary is None]
    ranked = sorted(
        (r for r in q.rows if r.summary is not None and r.summary.on_time_rate is not None),
        key=lambda r: (r.summary.on_time_rate, -r.summary.overdue),  # type: ignore[union-attr]
    )
    lowest = "、".join(r.community.name for r in ranked[:3])
    summary = (
        f"{q.period.zh},{q.street_office.name}所属 {len(q.rows)} 个社区到期的公开任务 {q.total('due')} 项,"
        f"按时公开 {q.total('on_time')} 项,逾期公开 {q.total('late')} 项,逾期未公开 {q.total('overdue')} 项,"
        f"按时公开率 {rate}。各社区收到居民询问、意见和投诉 {q.total('feedback_received')} 件,"
        f"按期答复 {q.total('feedback_answered_on_time')} 件,逾期未答复 {q.total('feedback_overdue')} 件。"
        f"街道下达整改通知 {len(q.orders)} 件,暗访 {len(q.spot_checks)} 次,群众评议 {len(q.surveys)} 次。"
        f"各社区数据截至{as_of}。"
    )
    text = "各社区本季度的公开和答复情况见下表(按本季度到期的公开任务计)。"
    if lowest:
        text += f"按时公开率最低的社区:{lowest}。"
    if missing:
        text += f"尚无汇总数据的社区:{'、'.join(missing)}。"
    return Written(
        title=f"{q.street_office.name}{q.period.zh}社区工作简报",
        summary=summary,
        sections=[
            _section(
                "communities",
                "各社区公开情况",
                text,
                facts=[
                    ["社区", f"{len(q.rows)} 个"],
                    ["到期任务", f"{q.total('due')} 项"],
                    ["按时公开", f"{q.total('on_time')} 项"],
                    ["逾期公开", f"{q.total('late')} 项"],
                    ["逾期未公开", f"{q.total('overdue')} 项"],
                    ["按时公开率", rate],
                    ["居民反映", f"{q.total('feedback_received')} 件"],
                    ["逾期未答复", f"{q.total('feedback_overdue')} 件"],
                ],
                columns=[
                    "社区",
                    "到期任务",
                    "按时",
                    "逾期公开",
                    "逾期未公开",
                    "按时公开率",
                    "居民反映",
                    "按期答复",
                    "逾期未答复",
                    "整改通知",
                    "已销号",
                ],
                rows=[_summary_cells(r) for r in q.rows],
            ),
            _orders_section(q.orders, with_community=True),
            _spot_checks_section(q.spot_checks, with_community=True),
            _surveys_section(q.surveys, with_community=True),
            _section("work", "街道工作动态", ""),
            _section(*NEXT_SECTION, ""),
        ],
    )
