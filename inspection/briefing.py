"""工作简报 (000 第九条(五); 004 ⑷ 办事处创办了社区工作简报,按季公开办事处机关及各社区工作动态): what a
quarter's briefing says, compiled from the quarter's own data.

A community's briefing reads its schema once (``tenant_context``: what it published and when, its
residents' questions and how they were answered) and the public schema for what the street office did
about it (orders, spot checks, surveys). The street office's briefing reads only public rows: the
communities' quarterly summaries (``ComplianceSummary``, kept fresh by the summary tasks) and its own
orders, spot checks and surveys, a handful of queries whatever the number of communities.

Figures are compiled into dataclasses (what the tests compare with the data), then written out as
sections (``disclosure.content.briefing_section``): a heading, a text the clerk may edit, and the
figures as facts and a table. No resident's name, number or words ever enter a briefing: residents'
questions are counted, never quoted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure.compliance import ComplianceFigures, compliance_figures
from disclosure.feedback.choices import Kind, Status
from disclosure.feedback.models import Feedback
from disclosure.models import Disclosure, Obligation
from disclosure.rules import LOCKED_STATUSES, OPEN_OBLIGATION_STATUSES
from inspection.choices import PeriodKind, RectificationStatus, SpotCheckStatus, SurveyStatus
from inspection.models import ComplianceSummary, Rectification, SpotCheck, Survey
from inspection.rules import SATISFACTION_THRESHOLD
from inspection.selectors import obligations_lateness
from tenants.models import Community, StreetOffice
from workdays.dates import zh_date
from workdays.periods import Period, Span, add_months, period_of
from workdays.selectors import countdowns

QUARTERS_OFFERED = 8  # the completed quarters a briefing may be generated for, the latest first
ONE_PLACE = Decimal("0.1")


def quarter_last_completed(today: date) -> Period:
    """The default quarter of a briefing: the last one that has ended."""
    return Period(add_months(period_of(Span.QUARTER, today).start, -3), Span.QUARTER)


def quarters_offered(today: date) -> list[Period]:
    latest = quarter_last_completed(today)
    return [Period(add_months(latest.start, -3 * n), Span.QUARTER) for n in range(QUARTERS_OFFERED)]


def _rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_PLACE) if whole else None


def rate_text(rate: Decimal | None) -> str:
    return f"{rate}%" if rate is not None else "—"


# --- a community's quarter ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Publication:
    """One version published in the quarter: its deadline (when it answered an obligation) and how many
    working days after it; ``None`` without a deadline; 0 on time."""

    title: str
    published_on: date
    due_date: date | None
    working_days_late: int | None
    correction: bool


@dataclass(frozen=True)
class Unpublished:
    """An obligation due in the quarter, still not published on the day the briefing is compiled."""

    title: str
    due_date: date
    working_days_late: int


@dataclass(frozen=True)
class FeedbackFigures:
    """Residents' questions, opinions and complaints received in the quarter, as they stand on the day
    compiled: counts only."""

    received: int
    by_kind: dict[str, int]
    answered: int
    answered_on_time: int
    open: int
    overdue: int
    average_working_days: Decimal | None  # received → answered, of those answered


@dataclass(frozen=True)
class CommunityQuarter:
    community: Community
    period: Period
    on: date
    compliance: ComplianceFigures
    publications: list[Publication]
    unpublished: list[Unpublished]
    feedback: FeedbackFigures
    orders: list[Rectification]
    spot_checks: list[SpotCheck]
    surveys: list[Survey]


def _publications(period: Period, *, on: date) -> tuple[list[Publication], list[Unpublished]]:
    """Read inside the community's schema: every version published in the quarter, and the obligations
    due in it that are still open past their deadline on ``on``."""
    published = list(
        Disclosure.objects.filter(
            status__in=LOCKED_STATUSES,
            published_at__date__gte=period.start,
            published_at__date__lte=period.end,
        )
        .select_related("obligation")
        .order_by("published_at", "pk")
    )
    # the version that answered an obligation is measured against its deadline; a correction or an item
    # of no obligation has none
    answered = {
        d.pk: d.obligation
        for d in published
        if d.obligation is not None and d.obligation.fulfilled_by_id == d.pk
    }
    late = {
        item.obligation.pk: item.working_days_late or 0
        for item in obligations_lateness(list(answered.values()), today=on)
    }
    publications = [
        Publication(
            title=d.title,
            published_on=timezone.localdate(d.published_at),  # type: ignore[arg-type]  # locked: published
            due_date=answered[d.pk].due_date if d.pk in answered else None,
            working_days_late=late[answered[d.pk].pk] if d.pk in answered else None,
            correction=d.supersedes_id is not None,
        )
        for d in published
    ]
    open_past = list(
        Obligation.objects.filter(
            status__in=OPEN_OBLIGATION_STATUSES,
            due_date__gte=period.start,
            due_date__lte=period.end,
            due_date__lt=on,
        ).order_by("due_date", "code")
    )
    unpublished = [
        Unpublished(item.obligation.title, item.obligation.due_date, item.working_days_late or 0)
        for item in obligations_lateness(open_past, today=on)
    ]
    return publications, unpublished


def _feedback(period: Period, *, on: date) -> FeedbackFigures:
    """Read inside the community's schema: counts and times only, never who or what."""
    received = list(
        Feedback.objects.filter(received_on__gte=period.start, received_on__lte=period.end).only(
            "kind", "status", "received_on", "due_date", "answered_at"
        )
    )
    kinds = Counter(f.kind for f in received)
    answered = [f for f in received if f.status == Status.ANSWERED and f.answered_at is not None]
    by_day: dict[date, list[date]] = defaultdict(list)
    for f in answered:
        by_day[timezone.localdate(f.answered_at)].append(f.received_on)  # type: ignore[arg-type]
    walked = {day: countdowns(days, on=day) for day, days in by_day.items()}  # one walk per answer day
    spent = [walked[timezone.localdate(f.answered_at)][f.received_on].overdue for f in answered]  # type: ignore[arg-type]
    return FeedbackFigures(
        received=len(received),
        by_kind={str(k.label): kinds[k.value] for k in Kind if kinds[k.value]},
        answered=len(answered),
        answered_on_time=sum(1 for f in answered if timezone.localdate(f.answered_at) <= f.due_date),  # type: ignore[arg-type]
        open=sum(1 for f in received if f.status == Status.RECEIVED),
        overdue=sum(1 for f in received if f.status == Status.RECEIVED and f.due_date < on),
        average_working_days=(Decimal(sum(spent)) / len(spent)).quantize(ONE_PLACE) if spent else None,
    )


def _in_quarter(period: Period, name: str) -> Q:
    return Q(**{f"{name}__date__gte": period.start, f"{name}__date__lte": period.end})


def community_quarter(*, community: Community, period: Period, on: date) -> CommunityQuarter:
    """A community's quarter as it stands on ``on``: its schema read once, then the public rows."""
    with tenant_context(community):
        figures = compliance_figures(start=period.start, end=period.end, on=on)
        publications, unpublished = _publications(period, on=on)
        feedback = _feedback(period, on=on)
    return CommunityQuarter(
        community=community,
        period=period,
        on=on,
        compliance=figures,
        publications=publications,
        unpublished=unpublished,
        feedback=feedback,
        orders=list(
            Rectification.objects.filter(_in_quarter(period, "created_at"), community=community).order_by(
                "created_at", "pk"
            )
        ),
        # 暗访 is unannounced: only completed visits are ever told to the community
        spot_checks=list(
            SpotCheck.objects.filter(
                _in_quarter(period, "visited_at"), community=community, status=SpotCheckStatus.COMPLETED
            ).order_by("visited_at", "pk")
        ),
        surveys=list(
            Survey.objects.filter(
                _in_quarter(period, "closed_at"), community=community, status=SurveyStatus.CLOSED
            ).order_by("closed_at", "pk")
        ),
    )


# --- writing it out -------------------------------------------------------------------------------------


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
    text = (
        f"本季度结束群众评议 {len(surveys)} 次;"
        f"满意率低于 {SATISFACTION_THRESHOLD}% 的 {len(below)} 次,已责令整改。"
        if surveys
        else "本季度没有结束的群众评议。"
    )
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


# --- the street office's quarter ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CommunityRow:
    """One community's line of the street office's briefing, from its quarterly summary."""

    community: Community
    summary: ComplianceSummary | None
    orders: int
    orders_closed: int


@dataclass(frozen=True)
class StreetOfficeQuarter:
    street_office: StreetOffice
    period: Period
    on: date
    rows: list[CommunityRow]
    orders: list[Rectification]
    spot_checks: list[SpotCheck]
    surveys: list[Survey]

    def total(self, name: str) -> int:
        return sum(getattr(r.summary, name) for r in self.rows if r.summary is not None)

    @property
    def on_time_rate(self) -> Decimal | None:
        return _rate(self.total("on_time"), self.total("due"))

    @property
    def summaries_as_of(self) -> date | None:
        days = [r.summary.computed_on for r in self.rows if r.summary is not None]
        return min(days) if days else None


def street_office_quarter(*, street_office: StreetOffice, period: Period, on: date) -> StreetOfficeQuarter:
    """The street office's quarter from public rows only: five queries for any number of communities."""
    communities = list(street_office.communities.filter(is_active=True).order_by("name"))
    summaries = {
        s.community_id: s
        for s in ComplianceSummary.objects.filter(
            community__in=communities, period_kind=PeriodKind.QUARTER, period=period.label
        )
    }
    orders = list(
        Rectification.objects.filter(_in_quarter(period, "created_at"), community__in=communities)
        .select_related("community")
        .order_by("community__name", "created_at", "pk")
    )
    counts = Counter(o.community_id for o in orders)
    closed = Counter(o.community_id for o in orders if o.status == RectificationStatus.CLOSED)
    return StreetOfficeQuarter(
        street_office=street_office,
        period=period,
        on=on,
        rows=[CommunityRow(c, summaries.get(c.pk), counts[c.pk], closed[c.pk]) for c in communities],
        orders=orders,
        spot_checks=list(
            SpotCheck.objects.filter(
                _in_quarter(period, "visited_at"), community__in=communities, status=SpotCheckStatus.COMPLETED
            )
            .select_related("community")
            .order_by("visited_at", "pk")
        ),
        surveys=list(
            Survey.objects.filter(
                _in_quarter(period, "closed_at"), community__in=communities, status=SurveyStatus.CLOSED
            )
            .select_related("community")
            .order_by("closed_at", "pk")
        ),
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
