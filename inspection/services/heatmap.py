"""The dashboard's precomputed rows (``HeatmapRow``, ``StreetOfficeYear``), kept in step with the
compliance summaries they are made of.

Every write of a summary row refreshes its community's line for that year, its street office's
ranking and its street office's totals, in the same transaction (a ``post_save`` receiver). A refresh
that writes many summaries at once (``compliance_refresh``) gathers them in ``heatmap_batch()`` and
refreshes each (community, year) once at the end, still inside its transaction.

The ranking is the dashboard's (``inspection.selectors.ranking``): best year rate first, equal rates
sharing a rank, fewer overdue items first inside a shared rank, then the community code; communities
without a year rate are unranked. Ranks and totals are recomputed by one statement each inside
PostgreSQL, only changed rows are written, and a transaction-scoped advisory lock per street office
and year keeps two workers refreshing neighbours from interleaving.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from inspection.choices import PeriodKind
from inspection.models import ComplianceSummary, HeatmapRow
from tenants.models import Community

_batch: ContextVar[set[tuple[int, int]] | None] = ContextVar("heatmap_batch", default=None)


def _cell(rate: Decimal | None, overdue: int) -> list[Any]:
    return [None if rate is None else str(rate), overdue]


def heatmap_line(summaries: Sequence[Mapping[str, Any]], year: int) -> dict[str, Any]:
    """A community's line for ``year`` from its summary rows (``period_kind``, ``period``,
    ``on_time_rate``, ``overdue``, ``fixed_lapsed``): what ``HeatmapRow`` stores."""
    months: list[list[Any] | None] = [None] * 12
    line: dict[str, Any] = {"on_time_rate": None, "overdue": 0, "fixed_lapsed": 0}
    for s in summaries:
        if s["period_kind"] == PeriodKind.MONTH and s["period"].startswith(f"{year}-"):
            months[int(s["period"][5:7]) - 1] = _cell(s["on_time_rate"], s["overdue"])
        elif s["period_kind"] == PeriodKind.YEAR and s["period"] == str(year):
            line.update(on_time_rate=s["on_time_rate"], overdue=s["overdue"], fixed_lapsed=s["fixed_lapsed"])
    return {**line, "months": months}


def heatmap_refresh(*, community_id: int, year: int) -> None:
    """Rewrite one community's line for ``year``, then its street office's ranking and totals."""
    _refresh({(community_id, year)})


def _refresh(keys: set[tuple[int, int]], *, every_office: bool = False) -> None:
    """The lines of these (community, year) pairs, then the ranking and totals once per street office
    and year where a line changed (all of them with ``every_office``): the nightly reconcile, which
    rewrites summaries that mostly did not change, re-ranks nobody.

    The street offices' locks are taken first, in one order, before any line is written: a ranking
    rewrites its neighbours' lines, so a line written before the lock could deadlock two workers."""
    communities = Community.objects.filter(pk__in={c for c, _ in keys})
    offices = dict(communities.values_list("pk", "street_office_id"))
    pairs = sorted({(offices[c], year) for c, year in keys if c in offices})
    with transaction.atomic(), connection.cursor() as cursor:
        for office, year in pairs:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [office, year])
        changed = {
            (offices[community_id], year)
            for community_id, year in sorted(keys)
            # a community being deleted takes its lines with it
            if community_id in offices and _line_refresh(community_id=community_id, year=year)
        }
        for office, year in pairs:
            if every_office or (office, year) in changed:
                office_refresh(street_office_id=office, year=year)


def _line_refresh(*, community_id: int, year: int) -> bool:
    """The community's line alone; whether it changed."""
    community = Community.objects.only("street_office_id", "schema_name").get(pk=community_id)
    summaries = list(
        ComplianceSummary.objects.filter(community_id=community_id, start__year=year).values(
            "period_kind", "period", "on_time_rate", "overdue", "fixed_lapsed"
        )
    )
    existing = HeatmapRow.objects.filter(community_id=community_id, year=year).first()
    if not summaries:
        if existing is not None:
            existing.delete()
        return existing is not None
    values = {
        "street_office_id": community.street_office_id,
        "code": community.schema_name,
        **heatmap_line(summaries, year),
    }
    if existing is not None and all(getattr(existing, k) == v for k, v in values.items()):
        return False
    HeatmapRow.objects.update_or_create(community_id=community_id, year=year, defaults=values)
    return True


_RANKS = """
UPDATE inspection_heatmaprow h SET rank = r.rank, position = r.position
FROM (
    SELECT id,
        CASE WHEN on_time_rate IS NULL THEN NULL
             ELSE rank() OVER (ORDER BY on_time_rate DESC NULLS LAST) END AS rank,
        CASE WHEN on_time_rate IS NULL THEN NULL
             ELSE row_number() OVER (ORDER BY on_time_rate DESC NULLS LAST, overdue, code) END AS position
    FROM inspection_heatmaprow WHERE street_office_id = %(office)s AND year = %(year)s
) r
WHERE h.id = r.id AND (h.rank IS DISTINCT FROM r.rank OR h.position IS DISTINCT FROM r.position)
"""

_MONTH = "(months -> {i} ->> 0)::numeric"
_TOTALS = f"""
INSERT INTO inspection_streetofficeyear
    (street_office_id, year, overdue, fixed_lapsed, ranked, month_rate_sums, month_rate_counts, updated_at)
SELECT %(office)s, %(year)s, COALESCE(SUM(overdue), 0), COALESCE(SUM(fixed_lapsed), 0), COUNT(on_time_rate),
    jsonb_build_array({", ".join(f"SUM({_MONTH.format(i=i)})::text" for i in range(12))}),
    jsonb_build_array({", ".join(f"COUNT({_MONTH.format(i=i)})" for i in range(12))}),
    now()
FROM inspection_heatmaprow WHERE street_office_id = %(office)s AND year = %(year)s
ON CONFLICT (street_office_id, year) DO UPDATE SET
    overdue = EXCLUDED.overdue, fixed_lapsed = EXCLUDED.fixed_lapsed, ranked = EXCLUDED.ranked,
    month_rate_sums = EXCLUDED.month_rate_sums, month_rate_counts = EXCLUDED.month_rate_counts,
    updated_at = EXCLUDED.updated_at
"""


def office_refresh(*, street_office_id: int, year: int) -> None:
    """The street office's ranking and totals for ``year`` from its heat-map rows, inside PostgreSQL."""
    params = {"office": street_office_id, "year": year}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [street_office_id, year])
        cursor.execute(_RANKS, params)
        cursor.execute(_TOTALS, params)


def heatmap_rebuild(*, street_office_ids: list[int] | None = None) -> int:
    """Every line from the summaries (after a bulk load that bypassed the receivers); returns the count."""
    summaries = ComplianceSummary.objects.all()
    if street_office_ids is not None:
        summaries = summaries.filter(community__street_office_id__in=street_office_ids)
    keys = set(summaries.values_list("community_id", "start__year").distinct())
    _refresh(keys, every_office=True)
    return len(keys)


@contextmanager
def heatmap_batch() -> Iterator[set[tuple[int, int]]]:
    """Summaries saved inside refresh their lines once, at the end, in the caller's transaction (or
    one of their own); ranking and totals once per street office and year."""
    outer = _batch.get()
    if outer is not None:  # already gathering: the outer batch refreshes
        yield outer
        return
    keys: set[tuple[int, int]] = set()
    token = _batch.set(keys)
    try:
        yield keys
    finally:
        _batch.reset(token)
    _refresh(keys)


def summary_changed(*, community_id: int, year: int) -> None:
    """A summary row was written or deleted: refresh now, or at the end of the open batch."""
    keys = _batch.get()
    if keys is not None:
        keys.add((community_id, year))
    else:
        heatmap_refresh(community_id=community_id, year=year)
