"""Input forms of the calendar: the public calculator and the admin's year confirmation."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.errors import InvalidInput
from tenants.form_errors import Form, ModelForm
from workdays import services
from workdays.models import CalendarYear

DEFAULT_DAYS = 10


class WorkingDaysForm(Form):
    start = forms.DateField(
        label=_("起始日期"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("请填写起始日期。"),
            "invalid": _("起始日期应按“年-月-日”填写,如 2026-10-01。"),
        },
    )
    days = forms.IntegerField(
        label=_("工作日数"),
        min_value=0,
        max_value=services.MAX_DAYS,
        help_text=_("不含起始日当天。填 0 表示:起始日若放假,顺延到下一个工作日。"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("请填写工作日数。"),
            "invalid": _("工作日数须是整数。"),
            "min_value": _("工作日数不能小于 %(limit_value)s。"),
            "max_value": _("工作日数不能超过 %(limit_value)s。"),
        },
    )

    def clean_start(self) -> date:
        start: date = self.cleaned_data["start"]
        try:
            services.ensure_supported_day(start)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        return start


class CalendarYearAdminForm(ModelForm):
    class Meta:
        model = CalendarYear
        fields = ["year", "note"]

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        try:
            services.ensure_confirmable_year(year)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        return year
