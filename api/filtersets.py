"""Query filters of the district API (django-filter). A malformed value is a 400 problem naming the
field; a community or street office outside the client's scope simply matches nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import django_filters as filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from disclosure.choices import Category, ContentType
from disclosure.models import Disclosure
from disclosure.rules import LOCKED_STATUSES
from inspection.choices import PeriodKind, RectificationSource, RectificationStatus
from inspection.models import Assessment, ComplianceSummary, Evaluation, Rectification, SpotCheck, Survey
from standards.models import LedgerAnchor
from tenants.models import Community, StreetOffice
from workdays.periods import period_parse

COMMUNITY_HELP = _("社区代码,如 yincheng / community code")
STREET_OFFICE_HELP = _("街道代码,如 yinzhou / street office code")
PERIOD_HELP = _("所属期:2026、2026Q3 或 2026-10 / period: year, quarter or month")


def period_range(value: str) -> tuple[date, date]:
    """The first and last day of a typed period; one that cannot exist is a 400 naming the field."""
    try:
        period = period_parse(value)
    except ValueError:
        raise ValidationError({"period": [str(_("所属期应写成 2026、2026Q3 或 2026-10。"))]}) from None
    return period.start, period.end


class ScopedFilterSet(filters.FilterSet):
    community = filters.CharFilter(field_name="community__schema_name", help_text=COMMUNITY_HELP)
    street_office = filters.CharFilter(
        field_name="community__street_office__code", help_text=STREET_OFFICE_HELP
    )


class StreetOfficeFilter(filters.FilterSet):
    district = filters.CharFilter(help_text=_("所属区县 / district"))

    class Meta:
        model = StreetOffice
        fields = ["district"]


class CommunityFilter(filters.FilterSet):
    street_office = filters.CharFilter(field_name="street_office__code", help_text=STREET_OFFICE_HELP)
    is_active = filters.BooleanFilter(help_text=_("是否启用 / active"))

    class Meta:
        model = Community
        fields = ["street_office", "is_active"]


class ComplianceFilter(ScopedFilterSet):
    period_kind = filters.ChoiceFilter(choices=PeriodKind.choices, help_text=_("周期 / period kind"))
    period = filters.CharFilter(method="possible_period", help_text=PERIOD_HELP)

    class Meta:
        model = ComplianceSummary
        fields = ["community", "street_office", "period_kind", "period"]

    def possible_period(
        self, queryset: QuerySet[ComplianceSummary], name: str, value: str
    ) -> QuerySet[ComplianceSummary]:
        """A period that cannot exist (2026Q5, 2026-13) is a 400 naming the field, not an empty list."""
        period_range(value)
        return queryset.filter(period=value.strip())


class AssessmentFilter(ScopedFilterSet):
    period = filters.CharFilter(help_text=_("考核期 / assessment period"))

    class Meta:
        model = Assessment
        fields = ["community", "street_office", "period"]


class SpotCheckFilter(ScopedFilterSet):
    period = filters.CharFilter(field_name="draw__period", help_text=_("所属期 / period"))
    visited = filters.DateFromToRangeFilter(
        field_name="visited_at__date", help_text=_("暗访日期范围 visited_after / visited_before (YYYY-MM-DD)")
    )

    class Meta:
        model = SpotCheck
        fields = ["community", "street_office", "period", "visited"]


class SurveyFilter(ScopedFilterSet):
    period = filters.CharFilter(help_text=_("所属期 / period"))
    rate_below = filters.NumberFilter(
        field_name="satisfaction_rate",
        lookup_expr="lt",
        min_value=0,
        max_value=100,
        help_text=_("满意率低于(%),0–100 / satisfaction below (%), 0–100"),
    )

    class Meta:
        model = Survey
        fields = ["community", "street_office", "period", "rate_below"]


class RectificationFilter(ScopedFilterSet):
    status = filters.ChoiceFilter(choices=RectificationStatus.choices, help_text=_("状态 / status"))
    source = filters.ChoiceFilter(choices=RectificationSource.choices, help_text=_("来源 / source"))
    due = filters.DateFromToRangeFilter(
        field_name="due_date", help_text=_("整改期限范围 due_after / due_before (YYYY-MM-DD)")
    )

    class Meta:
        model = Rectification
        fields = ["community", "street_office", "status", "source", "due"]


class EvaluationFilter(ScopedFilterSet):
    period = filters.CharFilter(help_text=_("年度 / year"))

    class Meta:
        model = Evaluation
        fields = ["community", "street_office", "period"]


class DisclosureFilter(filters.FilterSet):
    """``community`` is required: a community's disclosures live in its own schema, and one request
    reads one schema (the view switches to it once)."""

    community = filters.CharFilter(method="in_schema", required=True, help_text=COMMUNITY_HELP)
    category = filters.ChoiceFilter(choices=Category.choices, help_text=_("类别 / category"))
    content_type = filters.ChoiceFilter(choices=ContentType.choices, help_text=_("内容格式 / content type"))
    status = filters.ChoiceFilter(
        choices=[(s.value, s.label) for s in LOCKED_STATUSES],
        help_text=_("状态 / status"),
    )
    period = filters.CharFilter(
        method="published_in",
        help_text=format_lazy("{}{}", PERIOD_HELP, _("(按公布日期 / by publication date)")),
    )

    class Meta:
        model = Disclosure
        fields = ["community", "category", "content_type", "status", "period"]

    def in_schema(self, queryset: QuerySet[Disclosure], name: str, value: str) -> QuerySet[Disclosure]:
        return queryset  # the view has already switched to the community's schema

    def published_in(self, queryset: QuerySet[Disclosure], name: str, value: str) -> QuerySet[Disclosure]:
        start, end = period_range(value)
        zone = timezone.get_current_timezone()
        return queryset.filter(
            published_at__gte=datetime.combine(start, time.min, zone),
            published_at__lt=datetime.combine(end + timedelta(days=1), time.min, zone),
        )


class LedgerHeadFilter(filters.FilterSet):
    street_office = filters.CharFilter(field_name="street_office__code", help_text=STREET_OFFICE_HELP)

    class Meta:
        model = Community
        fields = ["street_office"]


class LedgerAnchorFilter(filters.FilterSet):
    day = filters.DateFromToRangeFilter(help_text=_("日期范围 day_after / day_before (YYYY-MM-DD)"))

    class Meta:
        model = LedgerAnchor
        fields = ["day"]
