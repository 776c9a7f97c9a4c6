"""The public compliance summary of a community, recomputed from its own schema."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django_tenants.utils import tenant_context

from disclosure.compliance import compliance_figures
from inspection.models import ComplianceSummary
from inspection.services.heatmap import heatmap_batch
from tenants.models import Community
from workdays.periods import periods_of_year


def compliance_refresh(*, community: Community, on: date, years: list[int] | None = None) -> int:
    """Recompute a community's summary rows: one switch into its schema, one aggregate per period,
    then the public rows are written in one transaction, with the dashboard's rows made of them."""
    years = years or [on.year - 1, on.year]
    rows = []
    with tenant_context(community):
        for year in years:
            for period in periods_of_year(year):
                if period.start > on:
                    continue
                figures = compliance_figures(start=period.start, end=period.end, on=on)
                rows.append((period.span.value, period.label, period.start, period.end, figures))
    with transaction.atomic(), heatmap_batch():
        for kind, label, start, end, figures in rows:
            ComplianceSummary.objects.update_or_create(
                community=community,
                period_kind=kind,
                period=label,
                defaults={
                    "start": start,
                    "end": end,
                    "computed_on": on,
                    "on_time_rate": figures.on_time_rate,
                    **figures.as_dict(),
                },
            )
    return len(rows)
