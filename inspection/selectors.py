"""Reads of the street-office layer: from the public summary tables only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Rank, RowNumber
from django.shortcuts import get_object_or_404

from disclosure import selectors as disclosure_selectors
from disclosure.models import Disclosure, Obligation
from finder.models import Entry
from finder.selectors import entries_public
from inspection import rules
from inspection.choices import (
    AssessmentStatus,
    ComplaintStatus,
    EscalationStep,
    EvaluationStep,
    PeriodKind,
    RectificationStatus,
    SpotCheckStatus,
    SurveyStatus,
)
from inspection.models import (
    Admonishment,
    Assessment,
    Complaint,
    ComplianceSummary,
    Evaluation,
    HeatmapRow,
    Rectification,
    SpotCheck,
    SpotCheckDraw,
    StreetOfficeYear,
    Survey,
)
from tenants.audit import AuditLine, audit_entries, audit_lines, audit_trail
from tenants.choices import StreetOfficeRole
from tenants.models import Community, StreetOffice, User
from workdays.selectors import Clock, answer_clocks, countdowns


class MonthCell(NamedTuple):
    """What a heat-map cell shows: the month's on-time rate and what is overdue."""

    on_time_rate: Decimal | None
    overdue: int


@dataclass
class HeatRow:
    community: Community
    months: list[MonthCell | None]
    year: ComplianceSummary | None


def _cells(line: HeatmapRow | None) -> list[MonthCell | None]:
    if line is None:
        return [None] * 12
    return [
        None if cell is None else MonthCell(None if cell[0] is None else Decimal(cell[0]), cell[1])
        for cell in line.months
    ]


def heat_rows(communities: Sequence[Community], *, year: int) -> list[HeatRow]:
    """These communities' lines of ``year``, in their order: their precomputed rows and their year
    summaries (what the table, the ranking and the feedback figures show), two queries."""
    ids = [c.pk for c in communities]
    lines = {r.community_id: r for r in HeatmapRow.objects.filter(community_id__in=ids, year=year)}
    years = {
        s.community_id: s
        for s in ComplianceSummary.objects.filter(
            community_id__in=ids, period_kind=PeriodKind.YEAR, period=str(year)
        )
    }
    return [HeatRow(community=c, months=_cells(lines.get(c.pk)), year=years.get(c.pk)) for c in communities]


@dataclass
class TablePage:
    """One page of the dashboard's table, paged by keyset on (street office code, community code):
    ``after``/``before`` carry the last/first key of the page the visitor came from."""

    rows: list[HeatRow]
    number: int
    count: int  # the communities the search finds
    per_page: int
    total: int  # every community of the street office(s)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def first_key(self) -> str:
        return _key(self.rows[0].community) if self.rows else ""

    @property
    def last_key(self) -> str:
        return _key(self.rows[-1].community) if self.rows else ""


def _key(community: Community) -> str:
    return f"{community.street_office.code}:{community.schema_name}"


def heat_table(
    *, offices: QuerySet[StreetOffice], year: int, query: str, size: int, page: str, after: str, before: str
) -> TablePage:
    """A page of communities × months: the keyset (``after``/``before``) reads one page of rows from an
    index; a bare page number (a typed or old link) skips to it. Never every community's rows."""
    communities = Community.objects.filter(street_office__in=offices).select_related("street_office")
    total = communities.count()
    if query:
        communities = communities.filter(name__contains=query)
    count = communities.count() if query else total
    pages = max(1, -(-count // size))
    number = int(page) if page.isdigit() else 1
    number = min(max(number, 1), pages)
    order = ("street_office__code", "schema_name")
    key = (after or before).split(":", 1)
    if len(key) == 2 and (after or before):
        office, code = key
        if after:
            later = Q(street_office__code__gt=office) | Q(street_office__code=office, schema_name__gt=code)
            chosen = list(communities.filter(later).order_by(*order)[:size])
        else:
            earlier = Q(street_office__code__lt=office) | Q(street_office__code=office, schema_name__lt=code)
            chosen = list(communities.filter(earlier).order_by(*(f"-{o}" for o in order))[:size])[::-1]
    else:
        chosen = list(communities.order_by(*order)[(number - 1) * size : number * size])
    return TablePage(
        rows=heat_rows(chosen, year=year), number=number, count=count, per_page=size, total=total
    )


def _ranked_lines(offices: QuerySet[StreetOffice], year: int) -> QuerySet[Any]:
    """The year's ranked lines with ``place`` (rank) and ``order`` (row in the ranking). One street
    office reads the ranks stored with its rows; several are ranked together, in PostgreSQL."""
    lines = HeatmapRow.objects.filter(street_office__in=offices, year=year, on_time_rate__isnull=False)
    if offices.count() == 1:
        return lines.annotate(place=F("rank"), order=F("position"))
    return lines.annotate(
        place=Window(Rank(), order_by=F("on_time_rate").desc()),
        order=Window(
            RowNumber(),
            order_by=[F("on_time_rate").desc(), F("overdue").asc(), F("street_office__code"), F("code")],
        ),
    )


@dataclass
class Ranking:
    top: list[tuple[int, HeatRow]]
    bottom: list[tuple[int, HeatRow]]
    ranked: int
    unranked: list[HeatRow]
    lowest: list[HeatRow]

    @property
    def everyone(self) -> list[HeatRow]:
        """Every community in the table's order (only complete when every place was read)."""
        rows = [r for _, r in self.top] + self.unranked
        return sorted(rows, key=lambda r: (r.community.street_office.code, r.community.schema_name))


def heat_ranking(*, offices: QuerySet[StreetOffice], year: int, ends: int | None, lowest: int) -> Ranking:
    """Best year rate first (equal rates share a rank, fewer overdue first inside it, then the code);
    with ``ends`` only the first and last ``ends`` places, else every place and the unranked; and the
    ``lowest`` last places (the trend's lines when there are too many communities for one each)."""
    lines = _ranked_lines(offices, year)
    ranked = sum(o.ranked for o in StreetOfficeYear.objects.filter(street_office__in=offices, year=year))

    def placed(chosen: list[HeatmapRow]) -> list[tuple[int, HeatRow]]:
        rows = heat_rows([line.community for line in chosen], year=year)
        return [(line.place, row) for line, row in zip(chosen, rows, strict=True)]  # type: ignore[attr-defined]

    related = lines.select_related("community__street_office")
    if ends is None:
        top = placed(list(related.order_by("order")))
        seen = {row.community.pk for _, row in top}
        others = Community.objects.filter(street_office__in=offices).exclude(pk__in=seen)
        others = others.select_related("street_office").order_by("street_office__code", "schema_name")
        unranked = heat_rows(list(others), year=year)
        return Ranking(
            top=top, bottom=[], ranked=len(top), unranked=unranked, lowest=[r for _, r in top][-lowest:]
        )
    top = placed(list(related.filter(order__lte=ends).order_by("order")))
    bottom = (
        placed(list(related.filter(order__gt=ranked - ends).order_by("order"))) if ranked > 2 * ends else []
    )
    last = [r for _, r in placed(list(related.filter(order__gt=ranked - lowest).order_by("order")))]
    return Ranking(top=top, bottom=bottom, ranked=ranked, unranked=[], lowest=last)


def trend_series(rows: list[HeatRow]) -> list[dict[str, object]]:
    """A line per community (while they fit on one chart)."""
    return [
        {
            "name": r.community.name,
            "data": [float(c.on_time_rate) if c and c.on_time_rate is not None else None for c in r.months],
        }
        for r in rows
    ]


def month_averages(*, offices: QuerySet[StreetOffice], year: int) -> list[float | None]:
    """The street office's monthly average of the communities' on-time rates, from its totals row."""
    sums, counts = [Decimal(0)] * 12, [0] * 12
    for totals in StreetOfficeYear.objects.filter(street_office__in=offices, year=year):
        for month in range(12):
            if totals.month_rate_counts[month]:
                sums[month] += Decimal(totals.month_rate_sums[month])
                counts[month] += totals.month_rate_counts[month]
    return [round(float(sums[m] / counts[m]), 1) if counts[m] else None for m in range(12)]


def street_totals(*, offices: QuerySet[StreetOffice], year: int) -> tuple[int, list[tuple[Community, int]]]:
    """The year's overdue items across the street office(s), and the communities with fixed content
    that lapsed unrenewed, with how many."""
    overdue = sum(o.overdue for o in StreetOfficeYear.objects.filter(street_office__in=offices, year=year))
    lapsed = (
        HeatmapRow.objects.filter(street_office__in=offices, year=year, fixed_lapsed__gt=0)
        .select_related("community")
        .order_by("street_office__code", "code")
    )
    return overdue, [(line.community, line.fixed_lapsed) for line in lapsed]


def rate_band(summary: ComplianceSummary | MonthCell | None) -> str:
    """Colour band for a heat-map cell; named, so colour is never the only signal."""
    if summary is None or summary.on_time_rate is None:
        return "none"
    if summary.on_time_rate >= 95:
        return "good"
    if summary.on_time_rate >= 80:
        return "fair"
    return "poor"


# --- the drill-down into one community: read inside its schema (the view switches to it once) ------------


def obligations_due(*, year: int, month: int | None = None) -> QuerySet[Obligation]:
    """The community's obligations whose deadline falls in ``year`` (or one month of it): the ones a
    heat-map cell counts (``disclosure.compliance.compliance_figures`` takes them by deadline too)."""
    found = (
        disclosure_selectors.obligations_for_month(year=year, month=month)
        if month is not None
        else Obligation.objects.filter(due_date__year=year)
    )
    return found.order_by("due_date", "code", "pk")


@dataclass(frozen=True)
class Lateness:
    """An obligation and how late it was: working days from its deadline to its publication, or to
    today while it is still unpublished past the deadline; ``None`` when it is not late."""

    obligation: Obligation
    working_days_late: int | None

    @property
    def unpublished(self) -> bool:
        return self.working_days_late is not None and self.obligation.fulfilled_on is None


def obligations_lateness(obligations: Sequence[Obligation], *, today: date) -> list[Lateness]:
    """Each obligation with its working days late (China's calendar, the street office's overrides):
    one walk over the calendar for the whole list (``workdays.selectors.countdowns``)."""
    ends: dict[int, date] = {}
    for o in obligations:
        end = o.fulfilled_on or (today if o.is_open else None)
        if end is not None and end > o.due_date:
            ends[o.pk] = end
    dues_by_end: dict[date, list[date]] = {}
    for o in obligations:
        if o.pk in ends:
            dues_by_end.setdefault(ends[o.pk], []).append(o.due_date)
    late = {end: countdowns(dues, on=end) for end, dues in dues_by_end.items()}  # one walk per end day
    return [Lateness(o, late[ends[o.pk]][o.due_date].overdue if o.pk in ends else None) for o in obligations]


def disclosure_as_published(*, pk: int, today: date) -> tuple[Disclosure, date]:
    """A community's published version ``pk`` as its residents read it (``disclosures_public``: rosters
    masked, a withdrawn roster without its content), and the day it is read on. An item published
    先党内后党外 and still inside the party is read as it will be on the day it opens to everyone: the
    street office's party working committee may read it now. A draft, or an id of nothing published in
    this community's schema, is a 404."""
    published = get_object_or_404(disclosure_selectors.disclosures_published(), pk=pk)
    on = max(today, published.public_from or today)
    return disclosure_selectors.disclosure_public_get(pk=pk, on=on), on


def spot_checks_completed() -> QuerySet[SpotCheck]:
    """暗访 is unannounced: outside the street office a check exists only once it is completed."""
    return SpotCheck.objects.filter(status=SpotCheckStatus.COMPLETED).select_related("draw")


def spot_checks_visible_to_community(community: Community) -> QuerySet[SpotCheck]:
    return spot_checks_completed().filter(community=community)


@dataclass
class PeriodDraws:
    """One period's spot-check draws: the one that stands, and every draw it replaced, latest first."""

    period: str
    draws: list[SpotCheckDraw]

    @property
    def current(self) -> SpotCheckDraw:
        return self.draws[0]

    @property
    def replaced(self) -> list[SpotCheckDraw]:
        return self.draws[1:]

    @property
    def redraws(self) -> int:
        return len(self.draws) - 1


def spot_check_periods(*, street_office: StreetOffice) -> QuerySet[Any, str]:
    """The periods the street office has drawn for, the latest drawn first (one row each: page them)."""
    return (
        SpotCheckDraw.objects.filter(street_office=street_office)
        .values("period")
        .annotate(last=Max("created_at"))
        .order_by("-last", "period")
        .values_list("period", flat=True)
    )


def spot_check_draws_of(*, street_office: StreetOffice, periods: list[str]) -> list[PeriodDraws]:
    """Every draw of these periods with its visits, in the order of ``periods``. A draw that replaced
    another carries who redrew it, when and why; the replaced one stays listed below it."""
    draws = (
        SpotCheckDraw.objects.filter(street_office=street_office, period__in=periods)
        .select_related("drawn_by", "replaces")
        .prefetch_related(
            Prefetch(
                "checks",
                queryset=SpotCheck.objects.select_related("community", "inspector").order_by(
                    "community__name"
                ),
            )
        )
        .order_by("-created_at", "-pk")
    )
    by_period: dict[str, list[SpotCheckDraw]] = {period: [] for period in periods}
    for draw in draws:
        by_period[draw.period].append(draw)
    return [PeriodDraws(period, found) for period, found in by_period.items() if found]


@dataclass(frozen=True)
class Redraws:
    street_office: StreetOffice
    period: str
    count: int


def spot_check_redraws(*, street_offices: QuerySet[StreetOffice], year: int) -> list[Redraws]:
    """How often each period of ``year`` was drawn again, per street office: the street office's own
    record of setting a draw aside (periods are labelled from their year, 2026-11, 2026Q4)."""
    offices = {office.pk: office for office in street_offices}
    counted = (
        SpotCheckDraw.objects.filter(
            street_office__in=list(offices), replaces__isnull=False, period__startswith=str(year)
        )
        .values_list("street_office_id", "period")
        .annotate(n=Count("pk"))
        .order_by("street_office_id", "period")
    )
    return [Redraws(offices[office_id], period, n) for office_id, period, n in counted]


def evaluations_ranked() -> QuerySet[Evaluation]:
    """Evaluations best first, each marked ``tied`` when another community of its street office has the
    same rank that year (ranks come from ``inspection.ranking.competition_ranked``: 1, 1, 3)."""
    same_rank = Evaluation.objects.filter(
        community__street_office=OuterRef("community__street_office"),
        period=OuterRef("period"),
        rank=OuterRef("rank"),
    ).exclude(pk=OuterRef("pk"))
    return Evaluation.objects.annotate(tied=Exists(same_rank)).order_by("period", "rank", "community__name")


SOURCE_LABELS = ("定期考核", "暗访", "群众满意率", "按时公开率")


def evaluation_sources(evaluation: Evaluation) -> list[tuple[str, str]]:
    """The four sources of a composite as they are shown beside it ("—": no data, not counted)."""
    values = (
        evaluation.assessment_score,
        evaluation.spot_check_score,
        evaluation.satisfaction_score,
        evaluation.compliance_score,
    )
    return [(label, "—" if v is None else str(v)) for label, v in zip(SOURCE_LABELS, values, strict=True)]


def evaluations_sourced(rows: Sequence[Evaluation]) -> list[tuple[Evaluation, list[tuple[str, str]]]]:
    """Each evaluation with its sources, for the pages that show them beside the score."""
    return [(e, evaluation_sources(e)) for e in rows]


def evaluations_history(rows: Sequence[Evaluation]) -> list[AuditLine]:
    """The year's evaluations' trails on one page (computed, recomputed, approved), each line naming
    its community, oldest first."""
    labels = dict(EvaluationStep.choices)
    lines = [line for e in rows for line in audit_lines(audit_entries(e), labels, subject=e.community.name)]
    return sorted(lines, key=lambda line: line.at)


def evaluation_years(*, street_office: StreetOffice, around: int) -> list[int]:
    """The years the street office has evaluated, latest first, with the one on the page."""
    periods = Evaluation.objects.filter(community__street_office=street_office).values_list(
        "period", flat=True
    )
    return sorted({int(p) for p in periods.distinct() if p.isdigit()} | {around}, reverse=True)


def evaluations_of(*, street_office: StreetOffice, year: int) -> list[Evaluation]:
    return list(
        evaluations_ranked()
        .filter(community__street_office=street_office, period=str(year))
        .select_related("community", "approved_by")
    )


def evaluations_published() -> QuerySet[Evaluation]:
    """What leaves the street office (its communities, their residents, the district): approved
    results only."""
    return evaluations_ranked().filter(published_at__isnull=False)


def evaluations_published_for(community: Community) -> QuerySet[Evaluation]:
    return evaluations_published().filter(community=community).order_by("-period")


def assessments_approved() -> QuerySet[Assessment]:
    """Regular assessments the leader has approved: scores before approval are still the team's draft."""
    return Assessment.objects.filter(status=AssessmentStatus.APPROVED)


def surveys_closed() -> QuerySet[Survey]:
    """Surveys whose votes are counted; an open survey has no figures yet."""
    return Survey.objects.filter(status=SurveyStatus.CLOSED)


@dataclass(frozen=True)
class PublishedRanking:
    """One street office's latest published evaluation: its year and its communities, best first."""

    street_office: StreetOffice
    period: str
    rows: list[Evaluation]


@dataclass(frozen=True)
class PublishedYear:
    """One street office's published evaluation of a year, as the public site and its PDF show it:
    the communities best first, who approved it, when."""

    street_office: StreetOffice
    year: int
    rows: list[Evaluation]

    @property
    def approved_by(self) -> User | None:
        return self.rows[0].approved_by if self.rows else None

    @property
    def published_at(self) -> datetime | None:
        return self.rows[0].published_at if self.rows else None


def evaluations_published_years() -> list[int]:
    """Every year some street office has published its evaluation, latest first."""
    periods = evaluations_published().order_by().values_list("period", flat=True).distinct()
    return sorted((int(p) for p in periods if p.isdigit()), reverse=True)


def evaluations_published_in(year: int) -> list[PublishedYear]:
    """Each street office's published evaluation of ``year`` (none: nothing approved that year)."""
    rows = (
        evaluations_published()
        .filter(period=str(year))
        .select_related("community__street_office", "approved_by")
        .order_by("community__street_office__code", "rank", "community__name")
    )
    by_office: dict[int, PublishedYear] = {}
    for row in rows:
        office = row.community.street_office
        by_office.setdefault(office.pk, PublishedYear(office, year, [])).rows.append(row)
    return list(by_office.values())


def evaluations_latest_published() -> list[PublishedRanking]:
    """For the street office's public site: each street office's latest year of approved results."""
    rankings = []
    for office in StreetOffice.objects.order_by("code"):
        published = (
            evaluations_published().filter(community__street_office=office).select_related("community")
        )
        latest = published.order_by("-period").values_list("period", flat=True).first()
        if latest is not None:
            rows = list(published.filter(period=latest).order_by("rank", "community__name"))
            rankings.append(PublishedRanking(street_office=office, period=latest, rows=rows))
    return rankings


def criticisms_published() -> QuerySet[Rectification]:
    """通报批评 (000 第十九条) the street offices chose to make public, latest first, for the public site
    and the community portals."""
    return (
        Rectification.objects.filter(criticized_at__isnull=False, criticism_public=True)
        .select_related("community", "community__street_office")
        .order_by("-criticized_at")
    )


def rectification_history(order: Rectification) -> list[AuditLine]:
    """The order's audit trail, the ladder's steps after an escalation named as ``EscalationStep`` does."""
    after = {EscalationStep.ADMONISHED, EscalationStep.CRITICIZED, EscalationStep.REFERRED}
    return audit_trail(order, labels={str(s): str(s.label) for s in after})


def criticisms_for_staff(*, street_office_id: int) -> QuerySet[Rectification]:
    """Every 通报批评 of the street office, for every community's staff under it, latest first."""
    return (
        Rectification.objects.filter(
            criticized_at__isnull=False, community__street_office_id=street_office_id
        )
        .select_related("community")
        .order_by("-criticized_at")
    )


def rectifications_escalated_to(leader: User) -> QuerySet[Rectification]:
    """The leader's worklist: orders escalated to them (or to every leader, none being in charge) that
    are not closed."""
    offices = leader.street_office_memberships.filter(role=StreetOfficeRole.LEADER).values("street_office")
    return (
        Rectification.objects.filter(escalated_at__isnull=False)
        .exclude(status=RectificationStatus.CLOSED)
        .filter(Q(escalated_to=leader) | Q(escalated_to__isnull=True, community__street_office__in=offices))
        .select_related("community")
        .order_by("escalated_at")
    )


# --- residents' complaints to the street office -----------------------------------------------------


def complaint_by_code(*, code: str) -> Complaint | None:
    return Complaint.objects.select_related("community", "rectification").filter(code=code).first()


def complaints_inbox(*, communities: QuerySet[Community], status: str = "") -> QuerySet[Complaint]:
    """Open complaints first, the nearest deadline first; then the answered ones, latest first."""
    qs = Complaint.objects.filter(community__in=communities).select_related("community", "rectification")
    if status in ComplaintStatus.values:
        qs = qs.filter(status=status)
    concluded = Case(When(status=ComplaintStatus.CONCLUDED, then=1), default=0)
    return qs.order_by(concluded, "due_date", "-created_at")


def complaint_clocks(items: Sequence[Complaint], *, on: date) -> dict[int, Clock]:
    return answer_clocks(
        ((c.pk, c.due_date, c.due_provisional, c.status != ComplaintStatus.CONCLUDED) for c in items),
        on=on,
        due_soon=rules.COMPLAINT_DUE_SOON_WORKING_DAYS,
    )


def complaint_items(*, community: Community, on: date) -> QuerySet[Entry]:
    """What a resident may complain about: the community's items published and public on ``on``, the
    version in force of each."""
    return entries_public(on=on).filter(community=community, is_current=True).order_by("-published_at")


def rectifications_with_step(queryset: QuerySet[Rectification]) -> QuerySet[Rectification]:
    """Each order with ``escalation_step`` (``EscalationStep``): closed; else referred for discipline;
    else criticized (通报批评); else a talk held (诫勉谈话 with its date recorded); else escalated to the
    leader; else answered; else ordered."""
    talked = Admonishment.objects.filter(rectification=OuterRef("pk"), held_on__isnull=False)
    return queryset.annotate(
        escalation_step=Case(
            When(status=RectificationStatus.CLOSED, then=Value(EscalationStep.CLOSED.value)),
            When(referred_on__isnull=False, then=Value(EscalationStep.REFERRED.value)),
            When(criticized_at__isnull=False, then=Value(EscalationStep.CRITICIZED.value)),
            When(Exists(talked), then=Value(EscalationStep.ADMONISHED.value)),
            When(status=RectificationStatus.ESCALATED, then=Value(EscalationStep.ESCALATED.value)),
            When(status=RectificationStatus.ANSWERED, then=Value(EscalationStep.ANSWERED.value)),
            default=Value(EscalationStep.ORDERED.value),
            output_field=CharField(),
        )
    )
