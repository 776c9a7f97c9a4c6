"""The ledger resources of the district API: each community's live chain head and last daily
checkpoint, and its daily anchors — what a district body checks a community's ledger against."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Max, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from api import filtersets
from api.schema import COMMUNITY_PATH, report_docs
from api.serializers import LedgerAnchorSerializer, LedgerHeadSerializer
from api.views_reports import ClientScopedViewSet, latest
from standards.models import LedgerAnchor, LedgerHead
from tenants.models import Community


@report_docs("ledger-heads")
class LedgerHeadViewSet(ClientScopedViewSet):
    """Each community's live chain head (recorded in public by every append, in the append's own
    transaction) and its last daily checkpoint; the daily anchors under ``{code}/anchors/``."""

    serializer_class = LedgerHeadSerializer
    filterset_class = filtersets.LedgerHeadFilter
    lookup_field = "schema_name"
    lookup_url_kwarg = "code"

    def scoped_queryset(self, street_office_ids: list[int]) -> QuerySet[Community]:
        live = LedgerHead.objects.filter(community=OuterRef("pk")).order_by("-seq")
        checkpoint = LedgerAnchor.objects.filter(community=OuterRef("pk")).order_by("-day")
        return (
            Community.objects.filter(street_office_id__in=street_office_ids)
            .select_related("street_office")
            .annotate(
                head_seq=Subquery(live.values("seq")[:1]),
                head_hash=Subquery(live.values("hash")[:1]),
                head_at=Subquery(live.values("appended_at")[:1]),
                checkpoint_day=Subquery(checkpoint.values("day")[:1]),
                checkpoint_seq=Subquery(checkpoint.values("head_seq")[:1]),
                checkpoint_hash=Subquery(checkpoint.values("head_hash")[:1]),
                anchor_count=Count("ledger_anchors"),
            )
        )

    def last_modified(self, queryset: QuerySet[Community]) -> datetime | None:
        communities = queryset.values("pk")
        return latest(
            Community.objects.filter(pk__in=communities).aggregate(m=Max("updated_at"))["m"],
            LedgerAnchor.objects.filter(community__in=communities).aggregate(m=Max("updated_at"))["m"],
            LedgerHead.objects.filter(community__in=communities).aggregate(m=Max("appended_at"))["m"],
        )


@report_docs("ledger-anchors")
@extend_schema_view(
    list=extend_schema(parameters=[COMMUNITY_PATH]), retrieve=extend_schema(parameters=[COMMUNITY_PATH])
)
class LedgerAnchorViewSet(ClientScopedViewSet):
    """``ledger-heads/{code}/anchors/``: one community's daily anchors, to check its chain against."""

    serializer_class = LedgerAnchorSerializer
    filterset_class = filtersets.LedgerAnchorFilter

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """A community outside the client's street offices (or none at all) is not found, as its
        ledger head is: an empty list would tell the caller the code exists."""
        super().initial(request, *args, **kwargs)
        if getattr(self, "swagger_fake_view", False):
            return
        if self.community_in_scope(self.kwargs.get("code", "")) is None:
            raise NotFound(_("没有这个社区,或它不在您的街道范围内。"))

    def scoped_queryset(self, street_office_ids: list[int]) -> QuerySet[LedgerAnchor]:
        return LedgerAnchor.objects.filter(
            community__street_office_id__in=street_office_ids, community__schema_name=self.kwargs.get("code")
        ).select_related("community")
