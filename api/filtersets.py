"""Query filters of the district API (django-filter), and the strict reading of a query string.

A malformed value is a 400 problem naming the parameter — an empty one included (``?due_before=`` is
not "no filter"), and so is a parameter the operation does not document (a typo such as ``?stauts=``
would otherwise return the unfiltered list as if it had applied). A community or street office outside
the client's scope simply matches nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

import django_filters as filters
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from disclosure.choices import Category, ContentType
from disclosure.models import Disclosure
from disclosure.rules import LOCKED_STATUSES
from finder.models import Entry
from inspection.choices import EscalationStep, PeriodKind, RectificationSource, RectificationStatus
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


ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
BOOLEANS = ("true", "false")
FORMATS = ("json", "csv", "xlsx")


def query_parameter_names(filterset_class: type[filters.FilterSet] | None) -> set[str]:
    """The query parameters a filterset reads: a range filter is read as ``<name>_after``/``_before``."""
    if filterset_class is None:
        return set()
    names: set[str] = set()
    for name, spec in filterset_class.base_filters.items():
        suffixes = getattr(spec.field.widget, "suffixes", None)
        names |= {f"{name}_{suffix}" for suffix in suffixes} if suffixes else {name}
    return names


def _typed_parameters(filterset_class: type[filters.FilterSet] | None) -> tuple[set[str], set[str]]:
    """(date parameters, boolean parameters) of a filterset."""
    dates: set[str] = set()
    booleans: set[str] = set()
    for name, spec in filterset_class.base_filters.items() if filterset_class else ():
        if isinstance(spec, filters.DateFromToRangeFilter):
            dates |= {f"{name}_{suffix}" for suffix in spec.field.widget.suffixes}
        elif isinstance(spec, filters.DateFilter):
            dates.add(name)
        elif isinstance(spec, filters.BooleanFilter):
            booleans.add(name)
    return dates, booleans


def query_check(
    query: QueryDict,
    *,
    allowed: Iterable[str],
    filterset_class: type[filters.FilterSet] | None = None,
) -> None:
    """Refuse, as one 400 naming every offending parameter: a parameter the operation does not take,
    one given twice, one given empty, a ``format`` other than json/csv/xlsx, a date that is not a real
    ``YYYY-MM-DD`` and a boolean other than true/false. What a filter's own field parses (a choice, a
    number, a period) is refused by the filterset with the same format."""
    known = set(allowed)
    dates, booleans = _typed_parameters(filterset_class)
    errors: dict[str, list[str]] = {}
    for name, values in query.lists():
        value = values[-1]
        if name not in known:
            listed = "、".join(sorted(known)) or "无"
            errors[name] = [
                str(_("不支持查询参数 %(name)s;此接口可用的参数:%(known)s。"))
                % {"name": name, "known": listed}
            ]
        elif len(values) > 1:
            errors[name] = [str(_("查询参数 %(name)s 只能给一次。")) % {"name": name}]
        elif not value.strip():
            errors[name] = [str(_("查询参数 %(name)s 不能为空;不需要这个条件时请去掉它。")) % {"name": name}]
        elif name == "format" and value not in FORMATS:
            errors[name] = [str(_("format 只能是 json、csv 或 xlsx。"))]
        elif name in dates and not _is_iso_date(value):
            errors[name] = [
                str(_("%(name)s 应写成 YYYY-MM-DD,且须是真实存在的日期,如 2026-10-01。")) % {"name": name}
            ]
        elif name in booleans and value not in BOOLEANS:
            errors[name] = [str(_("%(name)s 只能是 true 或 false。")) % {"name": name}]
    if errors:
        raise ValidationError(errors)


def _is_iso_date(value: str) -> bool:
    if not ISO_DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


class ScopedFilterSet(filters.FilterSet):
    community = filters.CharFilter(field_name="community__schema_name", help_text=COMMUNITY_HELP)
    street_office = filters.CharFilter(
        field_name="community__street_office__code", help_text=STREET_OFFICE_HELP
    )


class StreetOfficeFilter(filters.FilterSet):
    district = filters.CharFilter(field_name="district__name", help_text=_("所属区县 / district"))

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
    escalation_step = filters.ChoiceFilter(
        choices=EscalationStep.choices, help_text=_("问责环节 / escalation step (ordered … closed)")
    )
    due = filters.DateFromToRangeFilter(
        field_name="due_date", help_text=_("整改期限范围 due_after / due_before (YYYY-MM-DD)")
    )

    class Meta:
        model = Rectification
        fields = ["community", "street_office", "status", "source", "escalation_step", "due"]


class EvaluationFilter(ScopedFilterSet):
    period = filters.CharFilter(help_text=_("年度 / year"))

    class Meta:
        model = Evaluation
        fields = ["community", "street_office", "period"]


PUBLISHED_PERIOD_HELP = format_lazy("{}{}", PERIOD_HELP, _("(按公布日期 / by publication date)"))
PUBLISHED_AFTER_HELP = _("这一天及以后公布的 / published on or after this day (YYYY-MM-DD)")


class PublishedItemFilters(filters.FilterSet):
    """What a published item is filtered by, whether read in a community's schema or from the public
    index: one declaration for both."""

    category = filters.ChoiceFilter(choices=Category.choices, help_text=_("类别 / category"))
    content_type = filters.ChoiceFilter(choices=ContentType.choices, help_text=_("内容格式 / content type"))
    status = filters.ChoiceFilter(
        choices=[(s.value, s.label) for s in LOCKED_STATUSES],
        help_text=_("状态 / status"),
    )
    period = filters.CharFilter(method="published_in", help_text=PUBLISHED_PERIOD_HELP)
    published_after = filters.DateFilter(method="published_since", help_text=PUBLISHED_AFTER_HELP)

    def published_in(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        start, end = period_range(value)
        zone = timezone.get_current_timezone()
        return queryset.filter(
            published_at__gte=datetime.combine(start, time.min, zone),
            published_at__lt=datetime.combine(end + timedelta(days=1), time.min, zone),
        )

    def published_since(self, queryset: QuerySet[Any], name: str, value: date) -> QuerySet[Any]:
        return queryset.filter(
            published_at__gte=datetime.combine(value, time.min, timezone.get_current_timezone())
        )


PUBLISHED_FIELDS = [
    "community",
    "street_office",
    "category",
    "content_type",
    "status",
    "period",
    "published_after",
]


class DisclosureFilter(PublishedItemFilters):
    """One community's disclosures, read in its own schema (the view has switched to it once)."""

    community = filters.CharFilter(method="in_schema", help_text=COMMUNITY_HELP)
    street_office = filters.CharFilter(method="of_street_office", help_text=STREET_OFFICE_HELP)

    class Meta:
        model = Disclosure
        fields = PUBLISHED_FIELDS

    def in_schema(self, queryset: QuerySet[Disclosure], name: str, value: str) -> QuerySet[Disclosure]:
        return queryset  # the view has already switched to the community's schema

    def of_street_office(self, queryset: QuerySet[Disclosure], name: str, value: str) -> QuerySet[Disclosure]:
        """As on every other resource: nothing unless the community belongs to this street office."""
        community = self.data.get("community", "")
        if Community.objects.filter(schema_name=community, street_office__code=value).exists():
            return queryset
        return queryset.none()


class DisclosureIndexFilter(ScopedFilterSet, PublishedItemFilters):
    """Every community's disclosures in the client's scope, read from the public index: the same
    parameters as one community's."""

    class Meta:
        model = Entry
        fields = PUBLISHED_FIELDS


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
