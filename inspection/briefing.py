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
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

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
from inspection.selectors import obligations_lateness
from tenants.models import Community, StreetOffice
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
        Unpublished(
            f"{item.obligation.title}({item.obligation.period_zh})",
            item.obligation.due_date,
            item.working_days_late or 0,
        )
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
