"""Reads for the street office's dashboard: the heat map, the ranking, the trend and the totals, from the
precomputed rows (``HeatmapRow``, ``StreetOfficeYear``) kept by ``inspection.services.heatmap``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import (
    F,
    Q,
    QuerySet,
    Window,
)
from django.db.models.functions import Rank, RowNumber

from inspection.choices import (
    PeriodKind,
)
from inspection.models import (
    ComplianceSummary,
    HeatmapRow,
    StreetOfficeYear,
)
from tenants.models import Community, StreetOffice


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
