"""Reads of the street-office layer: from the public summary tables only."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Exists, OuterRef, QuerySet

from inspection.choices import AssessmentStatus, PeriodKind, SpotCheckStatus, SurveyStatus
from inspection.models import Assessment, ComplianceSummary, Evaluation, SpotCheck, Survey
from inspection.ranking import competition_ranked
from tenants.models import Community, StreetOffice, User
from tenants.selectors import communities_visible_to


class MonthCell(NamedTuple):
    """What a heat-map cell shows: the month's on-time rate and what is overdue."""

    on_time_rate: Decimal | None
    overdue: int


@dataclass
class HeatRow:
    community: Community
    months: list[MonthCell | None]
    year: ComplianceSummary | None


def heatmap(*, user: User, year: int) -> list[HeatRow]:
    """Communities × months of ``year`` for the user's street office(s): two queries for all cells. The
    month cells load only what a cell shows (18,000 full rows took 1.5 s at 1,000 communities)."""
    visible = communities_visible_to(user)
    communities = list(visible.order_by("street_office__code", "schema_name"))
    rows = ComplianceSummary.objects.filter(community__in=visible.values("pk"), start__year=year)
    by_key: dict[tuple[int, str, str], Any] = {
        (community_id, PeriodKind.MONTH, period): MonthCell(rate, overdue)
        for community_id, period, rate, overdue in rows.filter(period_kind=PeriodKind.MONTH).values_list(
            "community_id", "period", "on_time_rate", "overdue"
        )
    }
    years = rows.filter(period_kind=PeriodKind.YEAR)
    by_key.update({(c.community_id, c.period_kind, c.period): c for c in years})
    return [
        HeatRow(
            community=community,
            months=[by_key.get((community.pk, PeriodKind.MONTH, f"{year}-{m:02d}")) for m in range(1, 13)],
            year=by_key.get((community.pk, PeriodKind.YEAR, str(year))),
        )
        for community in communities
    ]


def ranking(rows: list[HeatRow]) -> list[tuple[int | None, HeatRow]]:
    """Best on-time rate of the year first, equal rates sharing a rank (1, 1, 3); inside a shared rank
    the community with fewer overdue items first. Communities with nothing due yet come last, unranked."""
    return competition_ranked(
        rows,
        score=lambda row: row.year.on_time_rate if row.year else None,
        then=lambda row: row.year.overdue if row.year else 0,
    )


def trend_series(rows: list[HeatRow], *, lines: int) -> list[dict[str, object]]:
    """A line per community while they fit on one chart; beyond that the street office's monthly
    average and the ``lines // 2`` communities with the lowest year rate, the ones to look at."""

    def line(name: str, cells: list[MonthCell | None]) -> dict[str, object]:
        return {
            "name": name,
            "data": [float(c.on_time_rate) if c and c.on_time_rate is not None else None for c in cells],
        }

    if len(rows) <= lines:
        return [line(r.community.name, r.months) for r in rows]
    average = []
    for month in range(12):
        cells = [r.months[month] for r in rows]
        rates = [c.on_time_rate for c in cells if c is not None and c.on_time_rate is not None]
        average.append(round(float(sum(rates) / len(rates)), 1) if rates else None)
    lowest = [r for rank, r in ranking(rows) if rank is not None][-(lines // 2) :]
    return [{"name": "全街道平均", "data": average}, *(line(r.community.name, r.months) for r in lowest)]


def rate_band(summary: ComplianceSummary | MonthCell | None) -> str:
    """Colour band for a heat-map cell; named, so colour is never the only signal."""
    if summary is None or summary.on_time_rate is None:
        return "none"
    if summary.on_time_rate >= 95:
        return "good"
    if summary.on_time_rate >= 80:
        return "fair"
    return "poor"


def spot_checks_completed() -> QuerySet[SpotCheck]:
    """暗访 is unannounced: outside the street office a check exists only once it is completed."""
    return SpotCheck.objects.filter(status=SpotCheckStatus.COMPLETED).select_related("draw")


def spot_checks_visible_to_community(community: Community) -> QuerySet[SpotCheck]:
    return spot_checks_completed().filter(community=community)


def evaluations_ranked() -> QuerySet[Evaluation]:
    """Evaluations best first, each marked ``tied`` when another community of its street office has the
    same rank that year (ranks come from ``inspection.ranking.competition_ranked``: 1, 1, 3)."""
    same_rank = Evaluation.objects.filter(
        community__street_office=OuterRef("community__street_office"),
        period=OuterRef("period"),
        rank=OuterRef("rank"),
    ).exclude(pk=OuterRef("pk"))
    return Evaluation.objects.annotate(tied=Exists(same_rank)).order_by("period", "rank", "community__name")


def evaluations_of(*, street_office: StreetOffice, year: int) -> list[Evaluation]:
    return list(
        evaluations_ranked()
        .filter(community__street_office=street_office, period=str(year))
        .select_related("community")
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
