"""The 台帐's filter: which days, which event, whose hand, which item — read from the query string.

The form checks only the shape of what was asked (a real date, a listed event, a person of this ledger,
the end not before the start); ``disclosure.selectors.ledger_entries`` does the narrowing. The query
names are the ones people read in a link (``?from=…&to=…&event=…&actor=…&item=…``): ``from`` is a
Python keyword, so the fields are ``since``/``until`` and ``add_prefix`` maps them to their names.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.choices import LedgerAction
from tenants.form_errors import Form
from tenants.models import User
from workdays.dates import zh_date

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what <input type=date> reads and sends
QUERY_NAMES = {"since": "from", "until": "to"}
ITEM_MAX = 100


class LedgerFilterForm(Form):
    since = forms.DateField(
        label=gettext_lazy("开始日期"),
        required=False,
        widget=DAY,
        error_messages={"invalid": gettext_lazy("开始日期不是一个有效的日期,请在日历里选一天。")},
    )
    until = forms.DateField(
        label=gettext_lazy("结束日期"),
        required=False,
        widget=DAY,
        error_messages={"invalid": gettext_lazy("结束日期不是一个有效的日期,请在日历里选一天。")},
    )
    event = forms.ChoiceField(
        label=gettext_lazy("事项"),
        required=False,
        choices=[("", gettext_lazy("全部事项")), *LedgerAction.choices],
        error_messages={"invalid_choice": gettext_lazy("没有这种事项,请从列表里选一项。")},
    )
    actor = forms.ModelChoiceField(
        label=gettext_lazy("操作人"),
        required=False,
        queryset=User.objects.none(),
        empty_label=gettext_lazy("所有人"),
        error_messages={"invalid_choice": gettext_lazy("台帐里没有这位操作人,请从列表里选一位。")},
    )
    item = forms.CharField(
        label=gettext_lazy("公开内容"),
        required=False,
        max_length=ITEM_MAX,
        help_text=gettext_lazy("输入标题里的字词,或从列表里选一项"),
        widget=forms.TextInput(attrs={"list": "ledger-items", "autocomplete": "off"}),
        error_messages={
            "max_length": gettext_lazy("公开内容的查找字词不能超过 %(ITEM_MAX)s 个字。")
            % {"ITEM_MAX": ITEM_MAX}
        },
    )

    def __init__(self, data: Any, *, actors: QuerySet[User]) -> None:
        super().__init__(data)
        self.fields["actor"].queryset = actors  # type: ignore[attr-defined]  # a ModelChoiceField

    def add_prefix(self, field_name: str) -> str:
        return QUERY_NAMES.get(field_name, field_name)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error(
                "until",
                _("结束日期(%(zh_date)s)早于开始日期(%(zh_date2)s),请把结束日期改到开始日期当天或以后。")
                % {"zh_date": zh_date(until), "zh_date2": zh_date(since)},
            )
        return cleaned

    def criteria(self) -> dict[str, Any]:
        """The keyword arguments of ``selectors.ledger_entries`` (call after ``is_valid()``)."""
        data = self.cleaned_data
        return {
            "since": data.get("since"),
            "until": data.get("until"),
            "action": data.get("event") or "",
            "actor": data.get("actor"),
            "item": data.get("item") or "",
        }

    def describe(self) -> str:
        """The filter in words, for the page and the print-outs: 2026年6月1日至2026年6月30日;事项:公布 …"""
        data = self.cleaned_data
        since, until = data.get("since"), data.get("until")
        parts = []
        if since and until:
            parts.append(
                _("%(zh_date)s至%(zh_date2)s") % {"zh_date": zh_date(since), "zh_date2": zh_date(until)}
            )
        elif since:
            parts.append(_("%(zh_date)s起") % {"zh_date": zh_date(since)})
        elif until:
            parts.append(_("至%(zh_date)s") % {"zh_date": zh_date(until)})
        if data.get("event"):
            parts.append(_("事项:%(label)s") % {"label": LedgerAction(data["event"]).label})
        if data.get("actor") is not None:
            parts.append(_("操作人:%(get_full_name)s") % {"get_full_name": data["actor"].get_full_name()})
        if (data.get("item") or "").strip():
            parts.append(_("公开内容含“%(strip)s”") % {"strip": data["item"].strip()})
        return ";".join(parts) or _("全部记录")

    def error_summary(self) -> list[tuple[str, str]]:
        """(field id, message) of every error, in the form's order: the summary on top links to each."""
        return [
            (self[name].id_for_label, str(message))
            for name in self.fields
            for message in self.errors.get(name, [])
        ]
