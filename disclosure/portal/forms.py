"""What a resident types on the portal: words and filters for the list, a hash read off a printed notice."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from disclosure.choices import Category
from tenants.form_errors import Form

HEX64 = re.compile(r"[0-9a-f]{64}")


class FindForm(Form):
    """The list's filters. Every field is optional: an empty form lists everything that is public."""

    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("例如:低保、路灯、财务")}),
    )
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部类别")), *Category.choices]
    )
    year = forms.TypedChoiceField(label=_("年份"), required=False, coerce=int, empty_value=None)
    month = forms.TypedChoiceField(label=_("月份"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        """Years are those with something published; labels are built per request, in its language."""
        super().__init__(*args, **kwargs)
        year_field = cast(forms.TypedChoiceField, self.fields["year"])
        year_field.choices = [("", gettext("全部年份"))] + [
            (str(y), gettext("%(year)s 年") % {"year": y}) for y in years
        ]
        month_field = cast(forms.TypedChoiceField, self.fields["month"])
        month_field.choices = [("", gettext("全部月份"))] + [
            (str(m), gettext("%(month)s 月") % {"month": m}) for m in range(1, 13)
        ]


class VerifyForm(Form):
    """The 64-character hash printed on paper. Residents copy it in groups, in capitals, with spaces or
    dashes; only the hexadecimal digits count."""

    hash = forms.CharField(
        label=_("纸质公告上印的内容哈希"),
        max_length=200,
        help_text=_("共 64 位,由数字 0–9 和字母 a–f 组成;大小写、空格和横线都不影响核对。"),
    )

    def clean_hash(self) -> str:
        typed = re.sub(r"[\s\-—:]", "", self.cleaned_data["hash"]).lower()
        if not HEX64.fullmatch(typed):
            raise forms.ValidationError(
                _("请输入完整的 64 位哈希值(数字 0–9 和字母 a–f),现在输入了 %(count)s 位。"),
                params={"count": len(typed)},
            )
        return typed
