"""Writes of the street-office layer."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django_tenants.utils import tenant_context

from disclosure.compliance import compliance_figures
from inspection.models import ComplianceSummary
from inspection.periods import periods_of_year
from tenants.models import Community


def compliance_refresh(*, community: Community, on: date, years: list[int] | None = None) -> int:
    """Recompute a community's summary rows: one switch into its schema, one aggregate per period,
    then the public rows are written in one transaction."""
    years = years or [on.year - 1, on.year]
    rows = []
    with tenant_context(community):
        for year in years:
            for kind, label, start, end in periods_of_year(year):
                if start > on:
                    continue
                rows.append((kind, label, start, end, compliance_figures(start=start, end=end, on=on)))
    with transaction.atomic():
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
