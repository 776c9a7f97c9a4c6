"""Report resources for district bodies: read-only, scoped to the client's street offices.

Every resource derives from ``ClientScopedViewSet``. It cuts the queryset to the client's street
offices (``scoped_queryset``), filters it (django-filter), pages it with a cursor, answers JSON, CSV or
XLSX (``?format=``), and sets ``ETag``/``Last-Modified`` so a conditional request gets a 304.

The street-office figures come from the public summary tables. Disclosures live in each community's
schema: the list across communities reads the public index of them, and ``?community=`` switches to
that one schema for the request, so no request loops over schemas (see ``DisclosureViewSet``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, time, timedelta
from functools import cached_property
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.http import HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from django_tenants.utils import tenant_context
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from api import exports, filtersets
from api.authentication import BearerKeyAuthentication, ClientRateThrottle
from api.models import ApiClient, ApiRequestLog
from api.schema import COMMUNITY_QUERY, report_docs
from api.serializers import (
    AssessmentSerializer,
    CommunitySerializer,
    ComplianceSerializer,
    DisclosureIndexSerializer,
    DisclosureSerializer,
    EvaluationSerializer,
    RectificationSerializer,
    SpotCheckSerializer,
    StreetOfficeSerializer,
    SurveySerializer,
)
from disclosure.choices import ContentType
from disclosure.models import Disclosure
from disclosure.selectors import disclosures_public
from finder.selectors import entries_public
from inspection import selectors as inspection_selectors
from inspection.models import AssessmentScore, ComplianceSummary, Rectification
from tenants.models import Community, StreetOffice


class IdCursor(CursorPagination):
    """Cursor paging by id; a ``page_size`` that is not a whole number from 1 to 1000 is a 400."""

    ordering = "id"
    page_size = 100
    max_page_size = 1000
    page_size_query_param = "page_size"

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"每页条数 page_size 须是 1 到 {self.max_page_size} 的整数。"]}
            )
        return int(raw)

    def decode_cursor(self, request: Request) -> Any:
        """A cursor that is not one of ours is a 400 naming it (DRF says 404 "Invalid cursor")."""
        try:
            return super().decode_cursor(request)
        except NotFound:
            message = _("游标 cursor 无效:请使用上一次回答里 next 或 previous 链接中的值。")
            raise ValidationError({self.cursor_query_param: [message]}) from None

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
                parameter["description"] = "每页条数,1–1000,默认 100 / rows per page, 1–1000, default 100"
            else:
                parameter["description"] = "next/previous 链接里的游标 / the cursor from next or previous"
        return parameters


def latest(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return max(present) if present else None


def _start_of(day: Any) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, time.min, timezone.get_current_timezone())


class ClientScopedViewSet(viewsets.ReadOnlyModelViewSet):
    """The one base class of every district resource: the queryset is cut to the client's street
    offices in ``scoped_queryset``; anything that needs to escape the scope must say so in its name."""

    authentication_classes = [BearerKeyAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [ClientRateThrottle]
    pagination_class = IdCursor
    filter_backends = [DjangoFilterBackend]
    renderer_classes = [JSONRenderer, exports.CSVRenderer, exports.XLSXRenderer]
    # query parameters one object's answer reads besides ``format`` (the list reads its filters too)
    retrieve_parameters: frozenset[str] = frozenset()
    _last_modified: datetime | None = None

    def query_parameters(self) -> set[str]:
        """What this operation's query may name, as the OpenAPI document lists it: ``format``; for a
        list its filters and the cursor paging; for one object ``retrieve_parameters``."""
        names = {"format", *self.retrieve_parameters}
        if self.action == "list":
            paging = {IdCursor.cursor_query_param, IdCursor.page_size_query_param}
            names |= paging | filtersets.query_parameter_names(self.filterset_class)
        return names

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """The query is read strictly before anything else (``api.filtersets.query_check``)."""
        filtersets.query_check(
            request.query_params, allowed=self.query_parameters(), filterset_class=self.filterset_class
        )
        super().initial(request, *args, **kwargs)

    @property
    def client(self) -> ApiClient:
        return self.request.auth  # type: ignore[return-value]

    @cached_property
    def _street_office_ids(self) -> list[int]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view: no client
            return []
        return self.client.street_office_ids()

    def street_office_ids(self) -> list[int]:
        return self._street_office_ids

    def get_queryset(self) -> QuerySet[Any]:
        return self.scoped_queryset(self.street_office_ids())

    def community_in_scope(self, code: str) -> Community | None:
        """The community with this code if it belongs to one of the client's street offices; any
        other code, existing or not, gives None, so the answer never tells which codes exist."""
        if not code:
            return None
        scoped = Community.objects.filter(street_office_id__in=self.street_office_ids())
        return scoped.filter(schema_name=code).first()

    def scoped_queryset(self, street_office_ids: list[int]) -> QuerySet[Any]:
        raise NotImplementedError

    def data_context(self) -> AbstractContextManager[Any]:
        """Where the rows are read: the public schema, unless a resource says otherwise."""
        return nullcontext()

    def last_modified(self, queryset: QuerySet[Any]) -> datetime | None:
        """The newest change among the rows of the answer (``Last-Modified``)."""
        return queryset.order_by().aggregate(latest=Max("updated_at"))["latest"]

    # --- reading -------------------------------------------------------------------------------

    @property
    def exporting(self) -> bool:
        renderer = getattr(self.request, "accepted_renderer", None)
        return getattr(renderer, "format", "json") in ("csv", "xlsx")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with self.data_context():
            queryset = self.filter_queryset(self.get_queryset())
            self._last_modified = self.last_modified(queryset)
            if self.exporting:
                self.paginator.get_page_size(request)  # a bad page_size is refused whatever the format
                return self.export(queryset)
            page = self.paginate_queryset(queryset)
            return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with self.data_context():
            instance = self.get_object()
            one = self.filter_queryset(self.get_queryset()).filter(pk=instance.pk)
            self._last_modified = self.last_modified(one)
            if self.exporting:
                return self.export(one)
            return Response(self.get_serializer(instance).data)

    # --- exports -------------------------------------------------------------------------------

    def _records(self, queryset: QuerySet[Any]) -> Iterator[dict[str, Any]]:
        serializer_class = self.get_serializer_class()
        context = self.get_serializer_context()
        with self.data_context():  # runs while the response streams, after the view has returned
            for instance in queryset.order_by("pk").iterator(chunk_size=exports.CHUNK_ROWS):  # as paged
                yield serializer_class(instance, context=context).data

    def export(self, queryset: QuerySet[Any]) -> StreamingHttpResponse:
        fields = self.get_serializer().fields
        columns = {name: str(field.label or name) for name, field in fields.items()}
        rows: Iterable[list[Any]] = exports.table(columns, self._records(queryset))
        title = str(queryset.model._meta.verbose_name_plural)
        if self.request.accepted_renderer.format == "csv":
            stream = exports.csv_stream(list(columns.values()), rows)
            content_type = f"{exports.CSV_MEDIA_TYPE}; charset=utf-8"
            extension = "csv"
        else:
            stream = exports.xlsx_stream(list(columns.values()), rows, title=title)
            content_type, extension = exports.XLSX_MEDIA_TYPE, "xlsx"
        response = StreamingHttpResponse(stream, content_type=content_type)
        name = exports.filename(self.basename or "report", extension)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    # --- conditional requests and the log -----------------------------------------------------

    def _conditional(self, request: Request, response: HttpResponseBase) -> HttpResponseBase:
        """``ETag`` is a hash of the JSON body (exact); ``Last-Modified`` the newest change of a row in
        the answer. An export gets ``Last-Modified`` only: its body is not built before it streams."""
        etag = None
        if isinstance(response, Response):
            response.render()
            etag = quote_etag(hashlib.sha256(response.content).hexdigest()[:40])
            response["ETag"] = etag
        last_modified = self._last_modified
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified.timestamp())
        patch_vary_headers(response, ["Authorization", "Accept"])
        patch_cache_control(response, private=True, no_cache=True)
        conditional = get_conditional_response(
            request,
            etag=etag,
            last_modified=int(last_modified.timestamp()) if last_modified else None,
            response=response,  # type: ignore[arg-type]  # any response; the stubs say HttpResponse
        )
        return conditional if conditional is not None else response

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response = self._conditional(request, response)
        if isinstance(request.auth, ApiClient):
            ApiRequestLog.objects.create(
                client=request.auth,
                method=request.method or "",
                endpoint=request.get_full_path()[:300],
                status=response.status_code,
            )
        return response


# --- the street office's summary tables ------------------------------------------------------------


@report_docs("street-offices")
class StreetOfficeViewSet(ClientScopedViewSet):
    serializer_class = StreetOfficeSerializer
    filterset_class = filtersets.StreetOfficeFilter
    lookup_field = "code"

    def scoped_queryset(self, street_office_ids: list[int]) -> QuerySet[StreetOffice]:
        return StreetOffice.objects.filter(pk__in=street_office_ids).select_related("district")


@report_docs("communities")
class CommunityViewSet(ClientScopedViewSet):
    serializer_class = CommunitySerializer
    filterset_class = filtersets.CommunityFilter
    lookup_field = "schema_name"
    lookup_url_kwarg = "code"

    def scoped_queryset(self, street_office_ids: list[int]) -> QuerySet[Community]:
        return Community.objects.filter(street_office_id__in=street_office_ids).select_related(
            "street_office"
        )

    def _this_year(self) -> QuerySet[ComplianceSummary]:
        return ComplianceSummary.objects.filter(
            community__street_office_id__in=self.street_office_ids(),
            period_kind="year",
            period=str(timezone.localdate().year),
        ).select_related("community")

    _shown: list[int] | None = None  # the communities of the page (or the one) being answered

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        shown = args[0] if args else None
        if isinstance(shown, list):
            self._shown = [community.pk for community in shown]
        elif isinstance(shown, Community):
            self._shown = [shown.pk]
        return super().get_serializer(*args, **kwargs)

    def get_serializer_context(self) -> dict[str, Any]:
        """This year's figures of the communities answered: a page reads its own rows, never the
        whole street office's (an export reads them all, as it streams them all)."""
        context = super().get_serializer_context()
        rows = self._this_year()
        if self._shown is not None:
            rows = rows.filter(community_id__in=self._shown)
        context["current_year"] = {row.community_id: row for row in rows}
        return context

    def last_modified(self, queryset: QuerySet[Community]) -> datetime | None:
        summaries = self._this_year().filter(community__in=queryset.values("pk"))
        return latest(super().last_modified(queryset), summaries.aggregate(m=Max("updated_at"))["m"])


@report_docs("compliance")
class ComplianceViewSet(ClientScopedViewSet):
    """Per community per period: ``?community=yincheng&period_kind=month&period=2026-10``."""

    serializer_class = ComplianceSerializer
    filterset_class = filtersets.ComplianceFilter

    def scoped_queryset(self, street_office_ids: list[int]) -> QuerySet[ComplianceSummary]:
        return ComplianceSummary.objects.filter(
            community__street_office_id__in=street_office_ids
        ).select_related("community")


@report_docs("assessments")
class AssessmentViewSet(ClientScopedViewSet):
    serializer_class = AssessmentSerializer
    filterset_class = filtersets.AssessmentFilter

    def scoped_queryset(self, street_office_ids: list[int]) -> QuerySet[Any]:
        scores = AssessmentScore.objects.select_related("item").order_by("item__order", "item__id")
        return (
            inspection_selectors.assessments_approved()
            .filter(community__street_office_id__in=street_office_ids)
            .select_related("community", "template")
            .prefetch_related(Prefetch("scores", queryset=scores))
        )


@report_docs("spot-checks")
class SpotCheckViewSet(ClientScopedViewSet):
    serializer_class = SpotCheckSerializer
    filterset_class = filtersets.SpotCheckFilter

    def scoped_queryset(self, street_office_ids: list[int]) -> QuerySet[Any]:
        return (
            inspection_selectors.spot_checks_completed()
            .filter(community__street_office_id__in=street_office_ids)
            .select_related("community", "draw")
        )


@report_docs("surveys")
class SurveyViewSet(ClientScopedViewSet):
    serializer_class = SurveySerializer
    filterset_class = filtersets.SurveyFilter

    def scoped_queryset(self, street_office_ids: list[int]) -> QuerySet[Any]:
        return (
            inspection_selectors.surveys_closed()
            .filter(community__street_office_id__in=street_office_ids)
            .select_related("community")
        )


@report_docs("rectifications")
class RectificationViewSet(ClientScopedViewSet):
    serializer_class = RectificationSerializer
    filterset_class = filtersets.RectificationFilter

    def scoped_queryset(self, street_office_ids: list[int]) -> QuerySet[Rectification]:
        return inspection_selectors.rectifications_with_step(
            Rectification.objects.filter(community__street_office_id__in=street_office_ids)
            .select_related("community__street_office")
            .annotate(admonishment_count=Count("admonishments"))
        )


@report_docs("evaluations")
class EvaluationViewSet(ClientScopedViewSet):
    serializer_class = EvaluationSerializer
    filterset_class = filtersets.EvaluationFilter

    def scoped_queryset(self, street_office_ids: list[int]) -> QuerySet[Any]:
        return (
            inspection_selectors.evaluations_published()
            .filter(community__street_office_id__in=street_office_ids)
            .select_related("community")
        )


# --- a community's own schema, one at a time --------------------------------------------------------


@report_docs("disclosures")
@extend_schema_view(retrieve=extend_schema(parameters=[COMMUNITY_QUERY]))
class DisclosureViewSet(ClientScopedViewSet):
    """Published, public content: across all the client's communities, or of one (``?community=``).

    Without ``community`` the list reads the public index (``finder``): one row per public version of
    every community in scope, written in the transaction that published it, with the same visibility
    rules as the portal (``finder.selectors.visible_on``: a 先党内后党外 item appears on its
    ``public_from`` day; ``withdrawn_expression``: a relief roster's content leaves after its display
    period) — so no request loops over schemas. Such a row carries no content (``body``, ``data``,
    ``attachments`` are null); its ``url`` reads it from its community. With ``community`` the list and
    one row are read in that community's schema, switched to once, content included.
    """

    retrieve_parameters = frozenset({"community"})
    lookup_value_regex = r"\d+"

    @property
    def one_community(self) -> bool:
        """Whether this request names a community (its own schema is read) or lists across them."""
        fake = getattr(self, "swagger_fake_view", False)
        return fake or self.action == "retrieve" or "community" in self.request.query_params

    filterset_class = filtersets.DisclosureFilter
    serializer_class = DisclosureSerializer

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """A list across communities is filtered in the index, with the same parameters."""
        if not self.one_community:
            self.filterset_class = filtersets.DisclosureIndexFilter
        super().initial(request, *args, **kwargs)

    def get_serializer_class(self) -> type[DisclosureSerializer]:
        return DisclosureSerializer if self.one_community else DisclosureIndexSerializer

    @cached_property
    def community(self) -> Community | None:
        """The requested community, if it is in the client's scope; anything else reads as nothing."""
        return self.community_in_scope(self.request.query_params.get("community", ""))

    def data_context(self) -> AbstractContextManager[Any]:
        return tenant_context(self.community) if self.community is not None else nullcontext()

    def scoped_queryset(self, street_office_ids: list[int]) -> QuerySet[Any]:
        today = timezone.localdate()
        if not self.one_community:
            return entries_public(on=today).filter(community__street_office_id__in=street_office_ids)
        if self.community is None or self.community.street_office_id not in street_office_ids:
            return Disclosure.objects.none()
        return disclosures_public(on=today).prefetch_related("attachments")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "community": self.community}

    def last_modified(self, queryset: QuerySet[Any]) -> datetime | None:
        """Visibility changes with the calendar too: a party-first item appears on its public day, a
        relief roster's households leave the day after its display period (an index row has the same
        dates as its version)."""
        today = timezone.localdate()
        moments = queryset.order_by().aggregate(
            changed=Max("updated_at"),
            became_public=Max("public_from", filter=Q(public_from__lte=today)),
            last_shown=Max(
                "display_until", filter=Q(content_type=ContentType.RELIEF, display_until__lt=today)
            ),
        )
        withdrawn_on = moments["last_shown"] + timedelta(days=1) if moments["last_shown"] else None
        return latest(moments["changed"], _start_of(moments["became_public"]), _start_of(withdrawn_on))
