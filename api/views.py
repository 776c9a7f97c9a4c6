"""The district API on the base domain. Views validate the query, call the apps' services and
selectors, and leave every error to ``api.errors`` so all of them share one format."""

from __future__ import annotations

from datetime import date

from django.urls import is_valid_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.filtersets import query_check
from tenants.errors import InvalidInput
from workdays import selectors as workdays_selectors
from workdays import services as workdays


class WorkingDaysQuery(serializers.Serializer):
    start = serializers.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": _("缺少起始日期 start,格式为 YYYY-MM-DD。"),
            "invalid": _("起始日期 start 格式应为 YYYY-MM-DD,且须是真实存在的日期,如 2026-10-01。"),
        },
    )
    days = serializers.IntegerField(
        min_value=0,
        max_value=workdays.MAX_DAYS,
        error_messages={
            "required": _("缺少工作日数 days。"),
            "invalid": _("工作日数 days 须是整数。"),
            "min_value": _("工作日数 days 不能小于 {min_value}。"),
            "max_value": _("工作日数 days 不能超过 {max_value}。"),
        },
    )

    def validate_start(self, value: date) -> date:
        try:
            workdays.ensure_supported_day(value)
        except InvalidInput as exc:
            raise serializers.ValidationError(exc.message) from exc
        return value


class SkippedDay(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField()


class WorkingDaysAnswer(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField()
    date = serializers.DateField(help_text=_("期限日期 / the deadline"))
    provisional = serializers.BooleanField(
        help_text=_("该年节假日尚未公布,按周末推算 / the year's holidays are not published yet")
    )
    skipped = SkippedDay(many=True, help_text=_("跳过的非工作日 / non-working days skipped"))


@extend_schema_view(
    get=extend_schema(
        summary=_("工作日期限 / Working-day deadline"),
        description=_(
            "从 start 起数 days 个工作日(含法定节假日与调休)。"
            " Counts `days` working days from `start`, with China's holidays and adjusted working days."
        ),
        parameters=[WorkingDaysQuery],
        responses=WorkingDaysAnswer,
        tags=["calendar"],
    )
)
class WorkingDaysView(APIView):
    """``GET /api/v1/calendar/working-days?start=YYYY-MM-DD&days=N``: the deadline the product would set."""

    # Open for now: district API keys come in a later issue.
    authentication_classes: list[type[BaseAuthentication]] = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        query_check(request.query_params, allowed=WorkingDaysQuery().fields)
        query = WorkingDaysQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        result = workdays.add_working_days(query.validated_data["start"], query.validated_data["days"])
        names = workdays_selectors.non_working_day_names(days=result.skipped)
        return Response(
            {
                "start": result.start.isoformat(),
                "days": result.days,
                "date": result.date.isoformat(),
                "provisional": result.provisional,
                "skipped": [{"date": day.isoformat(), "name": names[day]} for day in result.skipped],
            }
        )


class NotFoundView(APIView):
    """Every other path under ``/api/``: a 404 in the API's own format, whatever the method."""

    authentication_classes: list[type[BaseAuthentication]] = []
    permission_classes = [AllowAny]
    schema = None

    def initial(self, request: Request, *args: object, **kwargs: object) -> None:
        slashed = request.path + "/"
        if not request.path.endswith("/") and is_valid_path(slashed, getattr(request, "urlconf", None)):
            raise NotFound(_("没有这个接口地址。您要找的是否是 %(path)s ?") % {"path": slashed})
        raise NotFound(_("没有这个接口地址,请查看 /api/v1/docs/。"))
