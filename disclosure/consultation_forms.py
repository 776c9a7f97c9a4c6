"""The editor's parts for 征求意见 and 征求意见结果 (``disclosure.forms.PARTS``): the opinion period, and
which consultation a result answers, its summary, its decision and what carried it out."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.choices import ContentType
from disclosure.models import Disclosure
from disclosure.rules import CONSULTATION_MIN_DAYS, LOCKED_STATUSES
from tenants.form_errors import Form

# A date picker reads and writes ISO days whatever the language.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsultationForm(Form):
    """征求意见: the opinion period (the proposal itself is the body)."""

    opens_on = forms.DateField(label=gettext_lazy("意见征集开始日期"), widget=DATE, required=False)
    closes_on = forms.DateField(
        label=gettext_lazy("意见征集截止日期"),
        widget=DATE,
        required=False,
        help_text=format_lazy(
            gettext_lazy("从开始日到截止日至少 {days} 天(两头都算),截止日当天仍可提交意见。"),
            days=CONSULTATION_MIN_DAYS,
        ),
    )


def _published_choices(*content_types: str, exclude: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Published versions to pick from, newest first (read in the community's schema when the page is
    drawn: the list is the widget's, so a form checked elsewhere reads nothing)."""
    rows = Disclosure.objects.filter(status__in=LOCKED_STATUSES).exclude(content_type__in=exclude)
    if content_types:
        rows = rows.filter(content_type__in=content_types)
    return [(str(pk), title) for pk, title in rows.order_by("-published_at").values_list("pk", "title")[:200]]


def _consultations() -> list[tuple[str, str]]:
    return [("", _("请选择")), *_published_choices(ContentType.CONSULTATION)]


def _follow_ups() -> list[tuple[str, str]]:
    consulting = (ContentType.CONSULTATION, ContentType.CONSULTATION_RESULT)
    return [("", _("不选")), *_published_choices(exclude=consulting)]


class ConsultationResultForm(Form):
    """征求意见结果: which consultation, the opinions summed up, the decision, what carried it out. Which
    consultation and follow-up may be named is the service's rule (``disclosure.consultations``)."""

    consultation = forms.CharField(
        label=gettext_lazy("哪一次征求意见的结果"),
        required=False,
        widget=forms.Select(choices=_consultations),  # type: ignore[arg-type]  # Django 5 takes a callable; its stubs not yet
    )
    summary = forms.CharField(
        label=gettext_lazy("意见汇总"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("收到多少条意见、主要意见是什么、哪些被采纳、哪些没有采纳及理由。"),
    )
    decision = forms.CharField(
        label=gettext_lazy("决定"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    follow_up = forms.CharField(
        label=gettext_lazy("落实决定的公开内容(可不选)"),
        required=False,
        widget=forms.Select(choices=_follow_ups),  # type: ignore[arg-type]  # drawn lazily, as above
        help_text=gettext_lazy(
            "已经公布的、落实这个决定的公开内容,例如工作计划或财务收支;居民可以从结果点过去。"
        ),
    )
