"""The staff list's filters (django-filter): words, status, category, the obligation's period, who
drafted it, and the order.

A value the form refuses (a status that does not exist, a period nobody has, a person who is not
staff here, ``?who=abc``) is left out of the query and named in Chinese above the list; it is never a
500 and never an empty list that looks like a real answer.
"""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy

from disclosure.choices import Category, DisclosureStatus
from disclosure.models import Disclosure, Obligation
from tenants.models import Community, User

# (value, label, the order it stands for): the newest work first, or by a date a clerk reads.
SORTS = {
    "updated": (gettext_lazy("最近更新"), (F("updated_at").desc(), F("pk").desc())),
    "published": (gettext_lazy("公布日期"), (F("published_at").desc(nulls_last=True), F("pk").desc())),
    "due": (gettext_lazy("截止日期"), (F("obligation__due_date").asc(nulls_last=True), F("pk").desc())),
}
DEFAULT_SORT = "updated"


def period_choices() -> list[tuple[str, str]]:
    """The periods of the obligations some disclosure answers, newest first, in Chinese."""
    seen: dict[str, str] = {}
    for obligation in Obligation.objects.filter(disclosures__isnull=False).order_by(
        "-period_start", "period"
    ):
        seen.setdefault(obligation.period, obligation.period_zh)
    return list(seen.items())


class DisclosureFilter(filters.FilterSet):
    q = filters.CharFilter(
        label=gettext_lazy("搜索"),
        method="words",
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": gettext_lazy("例如:低保、路灯、财务")}),
    )
    status = filters.ChoiceFilter(
        label=gettext_lazy("状态"), choices=DisclosureStatus.choices, empty_label=gettext_lazy("全部状态")
    )
    category = filters.ChoiceFilter(
        label=gettext_lazy("类别"), choices=Category.choices, empty_label=gettext_lazy("全部类别")
    )
    period = filters.ChoiceFilter(
        label=gettext_lazy("所属期"),
        field_name="obligation__period",
        choices=period_choices,
        empty_label=gettext_lazy("全部所属期"),
    )
    who = filters.ModelChoiceFilter(
        label=gettext_lazy("经办人"),
        field_name="created_by",
        queryset=User.objects.none(),
        empty_label=gettext_lazy("全部经办人"),
    )
    sort = filters.ChoiceFilter(
        label=gettext_lazy("排序"),
        choices=[(value, label) for value, (label, _) in SORTS.items()],
        method="ordered",
        empty_label=None,
        null_value="",
    )

    class Meta:
        model = Disclosure
        fields: list[str] = []

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            if name != "q":  # a choice applies itself (static/js/gongkai.js); the button is there without JS
                field.widget.attrs["data-autosubmit"] = ""
        self.form.fields["who"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(memberships__community=community).distinct().order_by("real_name", "username")
        )

    def words(self, queryset: QuerySet[Disclosure], name: str, value: str) -> QuerySet[Disclosure]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))

    def ordered(self, queryset: QuerySet[Disclosure], name: str, value: str) -> QuerySet[Disclosure]:
        return queryset.order_by(*SORTS.get(value, SORTS[DEFAULT_SORT])[1])

    def filter_queryset(self, queryset: QuerySet[Disclosure]) -> QuerySet[Disclosure]:
        """Every filter the form accepted; the default order when none (or a wrong one) was asked for."""
        queryset = queryset.order_by(*SORTS[DEFAULT_SORT][1])
        return super().filter_queryset(queryset)
