"""Report resources for district bodies: read-only, scoped to the client's street offices, reading
the public summary tables only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from rest_framework import viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from api.authentication import BearerKeyAuthentication, ClientRateThrottle
from api.models import ApiClient, ApiRequestLog
from api.serializers import CommunitySerializer, ComplianceSerializer, StreetOfficeSerializer
from inspection.models import ComplianceSummary
from tenants.models import Community, StreetOffice


class IdCursor(CursorPagination):
    ordering = "id"
    page_size = 100
    max_page_size = 1000
    page_size_query_param = "page_size"


class ClientScopedViewSet(viewsets.ReadOnlyModelViewSet):
    """Every district resource derives from this: the queryset is cut to the client's street offices
    in ``scoped_queryset``; anything that needs to escape the scope must say so in its name."""

    authentication_classes = [BearerKeyAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [ClientRateThrottle]
    pagination_class = IdCursor

    @property
    def client(self) -> ApiClient:
        return self.request.auth  # type: ignore[return-value]

    def street_office_ids(self) -> list[int]:
        return list(self.client.street_offices.values_list("pk", flat=True))

    def get_queryset(self) -> QuerySet[Any]:
        return self.scoped_queryset(self.street_office_ids())

    def scoped_queryset(self, street_office_ids: list[int]) -> QuerySet[Any]:
        raise NotImplementedError

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(request.auth, ApiClient):
            ApiRequestLog.objects.create(
                client=request.auth,
                method=request.method or "",
                endpoint=request.get_full_path()[:300],
                status=response.status_code,
            )
        return response


class StreetOfficeViewSet(ClientScopedViewSet):
    serializer_class = StreetOfficeSerializer
    lookup_field = "code"

    def scoped_queryset(self, street_office_ids: list[int]) -> QuerySet[StreetOffice]:
        return StreetOffice.objects.filter(pk__in=street_office_ids)


class CommunityViewSet(ClientScopedViewSet):
    serializer_class = CommunitySerializer
    lookup_field = "schema_name"
    lookup_url_kwarg = "code"

    def scoped_queryset(self, street_office_ids: list[int]) -> QuerySet[Community]:
        return Community.objects.filter(street_office_id__in=street_office_ids).select_related(
            "street_office"
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        year = str(timezone.localdate().year)
        rows = ComplianceSummary.objects.filter(
            community__street_office_id__in=self.street_office_ids(), period_kind="year", period=year
        ).select_related("community")
        context["current_year"] = {row.community_id: row for row in rows}
        return context


class ComplianceViewSet(ClientScopedViewSet):
    """Per community per period: ``?community=yincheng&period_kind=month&period=2026-10``."""

    serializer_class = ComplianceSerializer

    def scoped_queryset(self, street_office_ids: list[int]) -> QuerySet[ComplianceSummary]:
        qs = ComplianceSummary.objects.filter(
            community__street_office_id__in=street_office_ids
        ).select_related("community")
        params = self.request.query_params
        if params.get("community"):
            qs = qs.filter(community__schema_name=params["community"])
        if params.get("period_kind"):
            qs = qs.filter(period_kind=params["period_kind"])
        if params.get("period"):
            qs = qs.filter(period=params["period"])
        return qs
