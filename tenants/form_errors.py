"""Forms in the manner of GOV.UK: a specific message for every field, and the page's error summary.

Django's own messages say nothing of the field they are about ("该字段是必填项。", "请输入一个有效的日期。",
"选择一个有效的选项。"), so on a long form a person cannot tell which box is wrong. Every form of the
project is built on ``Form`` or ``ModelForm`` below (``SpecificErrors`` mixes the same into a Django
form such as the login form). Before a form is validated, each field's messages that are still
Django's defaults are replaced by one derived from the field's label and type — "请填写标题",
"请选择类别", "请按 2026年7月3日 或 2026-07-03 的格式填写计划公布日期" — while a message a form wrote
for itself is kept. Date fields accept the Chinese way of writing a date that their message offers.

``summary(*forms)`` lists what went wrong in a page's forms, each message with the id of the field to
link to (non-field errors first); ``{% error_summary form … %}`` (``tenants/templatetags/form_errors.py``)
renders it as the box at the top of the page. A file cannot be sent back to the browser, so a form shown
again with errors tells the person beside each file field to choose the file again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.forms.formsets import BaseFormSet
from django.forms.utils import pretty_name
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The Chinese ways of writing a day and a time that the messages below offer, besides ISO 8601.
CHINESE_DATE_FORMATS = ("%Y年%m月%d日",)
CHINESE_DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y年%m月%d日 %H:%M")

REQUIRED_WRITE = _("请填写{label}")
REQUIRED_CHOOSE = _("请选择{label}")
REQUIRED_CHOOSE_SOME = _("请至少选择一项{label}")
REQUIRED_TICK = _("请勾选{label}")
REQUIRED_FILE = _("请选择要上传的{label}")
FROM_THE_LIST = _("请从列表中选择{label}")
TOO_LONG = _("{label}不能超过 %(limit_value)d 个字(现在有 %(show_value)d 个)")
TOO_SHORT = _("{label}至少要 %(limit_value)d 个字(现在有 %(show_value)d 个)")
TOO_SMALL = _("{label}不能小于 %(limit_value)s")
TOO_LARGE = _("{label}不能大于 %(limit_value)s")
WHOLE_NUMBER = _("{label}须是整数,例如 12")
NUMBER = _("{label}须是数字,例如 1200.50")
MAX_DIGITS = _("{label}最多 %(max)s 位数字")
MAX_DECIMALS = _("{label}最多保留 %(max)s 位小数")
MAX_WHOLE_DIGITS = _("{label}的整数部分最多 %(max)s 位")
DATE = _("请按 2026年7月3日 或 2026-07-03 的格式填写{label}")
DATETIME = _("请按 2026年7月3日 14:30 或 2026-07-03 14:30 的格式填写{label}")
TIME = _("请按 14:30 的格式填写{label}")
EMAIL = _("请按 name@example.com 的格式填写{label}")
URL = _("请按 https://www.example.com 的格式填写{label}")
FILE_NOT_RECEIVED = _("没有收到{label},请重新选择文件")
FILE_EMPTY = _("{label}是空文件,请选择有内容的文件")
FILE_NAME_TOO_LONG = _("{label}的文件名不能超过 %(max)d 个字(现在有 %(length)d 个)")
FILE_AND_CLEAR = _("请选择新的{label},或者勾选清除,不要同时做")
IMAGE = _("{label}不是能打开的图片,请选择 JPG 或 PNG 照片")
CHOOSE_FILE_AGAIN = _("为了安全,刚才选择的文件没有保留,请重新选择。")
ROW = _("第 {number} 行:{message}")


_LIMITS: dict[str, Promise] = {"min_value": TOO_SMALL, "max_value": TOO_LARGE}
_LENGTHS: dict[str, Promise] = {"max_length": TOO_LONG, "min_length": TOO_SHORT}
_FROM_THE_LIST: dict[str, Promise] = {
    "invalid_choice": FROM_THE_LIST,
    "invalid_list": FROM_THE_LIST,
    "invalid_pk_value": FROM_THE_LIST,
}
# The specific messages by kind of field, by Django's error code (the codes of the field's own checks
# and of its validators: ``Field.run_validators`` looks the code up in the field's messages). The first
# kind a field is wins: a DecimalField is an IntegerField to Python, a ModelChoiceField a ChoiceField.
MESSAGES: tuple[tuple[tuple[type[forms.Field], ...], dict[str, Promise]], ...] = (
    (
        (forms.FileField,),
        {
            "required": REQUIRED_FILE,
            "invalid": FILE_NOT_RECEIVED,
            "missing": FILE_NOT_RECEIVED,
            "empty": FILE_EMPTY,
            "max_length": FILE_NAME_TOO_LONG,
            "contradiction": FILE_AND_CLEAR,
            "invalid_image": IMAGE,
        },
    ),
    (
        (forms.MultipleChoiceField, forms.ModelMultipleChoiceField),
        {"required": REQUIRED_CHOOSE_SOME, **_FROM_THE_LIST},
    ),
    ((forms.ChoiceField, forms.ModelChoiceField), {"required": REQUIRED_CHOOSE, **_FROM_THE_LIST}),
    ((forms.BooleanField,), {"required": REQUIRED_TICK}),
    (
        (forms.DecimalField, forms.FloatField),
        {
            "invalid": NUMBER,
            "max_digits": MAX_DIGITS,
            "max_decimal_places": MAX_DECIMALS,
            "max_whole_digits": MAX_WHOLE_DIGITS,
            **_LIMITS,
        },
    ),
    ((forms.IntegerField,), {"invalid": WHOLE_NUMBER, **_LIMITS}),
    ((forms.DateTimeField,), {"invalid": DATETIME}),
    ((forms.DateField,), {"invalid": DATE}),
    ((forms.TimeField,), {"invalid": TIME}),
    ((forms.EmailField,), {"invalid": EMAIL, **_LENGTHS}),
    ((forms.URLField,), {"invalid": URL, **_LENGTHS}),
    ((forms.Field,), _LENGTHS),
)


def _messages_of(field: forms.Field) -> dict[str, Promise]:
    """The specific messages for this kind of field; a box to fill in is asked to be filled in."""
    found = next(messages for kinds, messages in MESSAGES if isinstance(field, kinds))
    return {"required": REQUIRED_WRITE, **found}


def field_name(field: forms.Field, name: str) -> str:
    """What a message calls the field: its label without a trailing note in brackets or colon
    ("金额(元)" → "金额", "意见建议(可不填)" → "意见建议"). A per cent sign becomes the full-width one,
    which Django's later ``%`` formatting of the message leaves alone."""
    label = str(field.label) if field.label is not None else pretty_name(name)
    label = re.sub(r"\s*[((][^()()]*[))]\s*$", "", label)
    label = re.sub(r"[::??\s]+$", "", label)
    return label.replace("%", "%")


def _defaults(field: forms.Field) -> dict[str, Any]:
    """Django's own messages for this field's class, as the field's constructor merged them."""
    merged: dict[str, Any] = {}
    for cls in reversed(type(field).__mro__):
        merged.update(getattr(cls, "default_error_messages", {}))
    return merged


def make_specific(field: forms.Field, name: str) -> None:
    """Replace the field's messages that are still Django's defaults (or missing) by specific ones; and
    let a date field accept the Chinese date its message offers. Safe to call more than once."""
    defaults = _defaults(field)
    label = field_name(field, name)
    for code, message in _messages_of(field).items():
        current = field.error_messages.get(code)
        if current is None or current is defaults.get(code):
            field.error_messages[code] = str(message).format(label=label)
    extra = (
        CHINESE_DATETIME_FORMATS
        if isinstance(field, forms.DateTimeField)
        else CHINESE_DATE_FORMATS
        if isinstance(field, forms.DateField)
        else ()
    )
    if extra:
        formats = list(field.input_formats)  # type: ignore[attr-defined]  # date and time fields have them
        field.input_formats = formats + [f for f in extra if f not in formats]  # type: ignore[attr-defined]


class SpecificErrors:
    """Mixed into a Django form: specific messages on every field, whenever fields were added."""

    fields: dict[str, forms.Field]

    def full_clean(self) -> None:
        if self.is_bound:  # type: ignore[attr-defined]  # an unbound form is not checked: no message is needed
            for name, field in self.fields.items():
                make_specific(field, name)
        super().full_clean()  # type: ignore[misc]  # the form class this is mixed into has it

    def files_to_choose_again(self) -> list[str]:
        """The file fields whose file was sent with a form that came back with errors: the browser
        cannot be given the file back, so the person must choose it again."""
        form: Any = self
        if not form.is_bound or not form.errors:
            return []
        return [
            name
            for name, field in self.fields.items()
            if isinstance(field, forms.FileField) and form.files.get(form.add_prefix(name))
        ]


class Form(SpecificErrors, forms.Form):
    """The base of every form of the project."""


class ModelForm(SpecificErrors, forms.ModelForm):  # type: ignore[type-arg]
    """The base of every model form of the project."""


# --- the error summary -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryEntry:
    """One line of the error summary: the message, and the id of the field it links to ("" for a
    message about the whole form)."""

    message: str
    anchor: str = ""


def _anchor(bound: forms.BoundField) -> str:
    """The id of the field's first input: radios and checkboxes have one per choice, ``<id>_0`` first."""
    if bound.is_hidden or not bound.auto_id:
        return ""
    return bound.id_for_label or f"{bound.auto_id}_0"


def _form_entries(form: forms.BaseForm, row: int | None) -> tuple[list[SummaryEntry], list[SummaryEntry]]:
    def say(message: str) -> str:
        return str(ROW).format(number=row, message=message) if row is not None else message

    general = [SummaryEntry(say(str(m))) for m in form.non_field_errors()]
    by_field: list[SummaryEntry] = []
    for bound in form:
        for message in bound.errors:
            entry = SummaryEntry(say(str(message)), _anchor(bound))
            (general if not entry.anchor else by_field).append(entry)
    return general, by_field


def summary(*forms_: Any) -> list[SummaryEntry]:
    """Every error of these forms and formsets (or dicts and lists of them, ``None`` skipped), in the
    order of the page: the messages about a whole form first, then each field's in field order."""
    general: list[SummaryEntry] = []
    by_field: list[SummaryEntry] = []

    def walk(item: Any) -> None:
        if item is None:
            return
        if isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, BaseFormSet):
            if not item.is_bound:
                return
            general.extend(SummaryEntry(str(m)) for m in item.non_form_errors())
            for number, form in enumerate(item.forms, start=1):
                if getattr(form, "cleaned_data", {}).get("DELETE"):
                    continue  # a row marked 删除 is not saved, whatever it holds
                more, fields = _form_entries(form, number)
                general.extend(more)
                by_field.extend(fields)
        elif isinstance(item, forms.BaseForm):
            if item.is_bound:
                more, fields = _form_entries(item, None)
                general.extend(more)
                by_field.extend(fields)
        elif isinstance(item, Iterable) and not isinstance(item, str):
            for value in item:
                walk(value)

    for item in forms_:
        walk(item)
    return general + by_field
