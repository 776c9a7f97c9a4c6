"""What the commands that walk communities share: the communities named on the command line."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db.models import QuerySet

from tenants.models import Community


def communities_named(codes: list[str]) -> QuerySet[Community]:
    """Every community when ``codes`` is empty, else exactly those; an unknown code stops the command
    before any community is touched."""
    communities = Community.objects.all()
    if codes:
        communities = communities.filter(schema_name__in=codes)
        unknown = set(codes) - set(communities.values_list("schema_name", flat=True))
        if unknown:
            raise CommandError(f"没有这些社区:{'、'.join(sorted(unknown))}")
    return communities
