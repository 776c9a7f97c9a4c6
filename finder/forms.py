"""What residents type into a search box (the same on a community's site and on the street office's),
and the street office's synonym page: one group of words that mean the same thing to residents."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from finder.services import synonym_words_clean
from standards.choices import Category
from tenants.form_errors import Form


class FindForm(Form):
    """The list's filters. Every field is optional: an empty form lists everything that is public."""

    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("例如:低保、路灯、10月")}),
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


class SynonymGroupForm(Form):
    words = forms.CharField(
        label=_("意思相同的词"),
        max_length=300,
        help_text=_(
            "用空格、逗号或顿号隔开,例如:低保 最低生活保障 低保户。"
            "居民搜其中任何一个词,都能找到含有其他词的内容。"
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_words(self) -> list[str]:
        return synonym_words_clean(self.cleaned_data["words"])
