"""Reads of the street-office layer: from the public summary tables only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
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
    RectificationStatus,
    SpotCheckStatus,
    SurveyStatus,
)
from inspection.models import (
    Admonishment,
    Assessment,
    Complaint,
    Evaluation,
    Rectification,
    SpotCheck,
    SpotCheckDraw,
    Survey,
)
from tenants.audit import AuditLine, audit_entries, audit_lines, audit_trail
from tenants.choices import StreetOfficeRole
from tenants.models import Community, StreetOffice, User
from workdays.selectors import Clock, answer_clocks, countdowns

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
