"""What residents and staff type. Forms check the shape of the input with the same rules the services
enforce (one rule, two callers); the services hold every state rule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from disclosure.feedback import services
from disclosure.feedback.choices import Finding, Kind, Rating
from disclosure.feedback.models import ANSWER_LIMIT, TEXT_LIMIT
from disclosure.rules import REPUBLICATION_WORKING_DAYS
from tenants.errors import InvalidInput
from tenants.form_errors import Form

HONEYPOT = "homepage"


def _checked(call: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return call(*args, **kwargs)
    except InvalidInput as exc:
        raise forms.ValidationError(exc.message, code=exc.code) from exc


class FeedbackForm(Form):
    kind = forms.ChoiceField(
        label=_("您要"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        initial=Kind.QUESTION,
        error_messages={"required": _("请选择您要反映的是询问、异议、意见建议还是投诉")},
    )
    # No maxlength on the widget: a browser would cut a long paste silently; the server says how much
    # to shorten and gives every word back.
    text = forms.CharField(
        label=_("内容"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "最多 %(limit)s 个字。请写清楚是哪一项、哪个数字或哪句话有疑问。"
            "请不要写别人的身份证号、手机号等个人信息。"
        )
        % {"limit": TEXT_LIMIT},
        error_messages={"required": _("请填写反映内容。")},
    )
    name = forms.CharField(
        label=_("姓名"), required=False, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    mobile = forms.CharField(
        label=_("手机号码"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
        help_text=_("只用于短信告知答复结果,不会公开。"),
    )
    # Honeypot: hidden from people (and screen readers), filled in by form-filling robots.
    homepage = forms.CharField(
        label=_("网址(请留空)"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_text(self) -> str:
        return str(_checked(services.ensure_text, self.cleaned_data["text"]))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["name"], data["mobile"] = services.ensure_identity(
                data.get("name", ""), data.get("mobile", "")
            )
        except InvalidInput as exc:
            missing_name = exc.code == "half_signed" and not (data.get("name") or "").strip()
            field = "name" if missing_name or exc.code == "name_too_long" else "mobile"
            self.add_error(field, exc.message)
        return data

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT, "").strip())


class LookupForm(Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=40,
        help_text=_("提交时得到的 10 位查询码,例如 K7M3P-Q9XR2;大小写和横线都可以。"),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )

    def clean_code(self) -> str:
        code = services.normalise_code(self.cleaned_data["code"])
        if len(code) != services.CODE_LENGTH or any(c not in services.CODE_ALPHABET for c in code):
            raise forms.ValidationError(
                _("查询码是 10 位字母和数字(不含 0、1、I、L、O),请核对后再输入。"), code="invalid"
            )
        return code


class RatingForm(Form):
    rating = forms.TypedChoiceField(
        label=_("您对答复满意吗?"),
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择您对答复是否满意")},
    )


class AnswerForm(Form):
    answer = forms.CharField(
        label=_("书面答复"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("最多 %(limit)s 个字。") % {"limit": ANSWER_LIMIT},
    )
    public = forms.TypedChoiceField(
        label=_("答复方式"),
        coerce=lambda v: v == "1",
        choices=[
            ("1", _("公开答复:在公开内容页面和查询页面都能看到(不显示反映人姓名和电话)")),
            ("0", _("仅答复本人:只有凭查询码才能看到")),
        ],
        widget=forms.RadioSelect,
        initial="1",
    )

    def clean_answer(self) -> str:
        return str(
            _checked(services.ensure_text, self.cleaned_data["answer"], limit=ANSWER_LIMIT, what="答复内容")
        )


class FindingForm(Form):
    finding = forms.ChoiceField(label=_("调查结论"), choices=Finding.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("调查情况"), widget=forms.Textarea(attrs={"rows": 6}))
    order_republication = forms.BooleanField(
        label=_("确有内容遗漏或不实,责令重新公布(000 第十七条)"), required=False
    )
    working_days = forms.IntegerField(
        label=_("重新公布期限(工作日)"),
        min_value=1,
        max_value=30,
        initial=REPUBLICATION_WORKING_DAYS,
        required=False,
    )

    def clean_working_days(self) -> int:
        return self.cleaned_data.get("working_days") or REPUBLICATION_WORKING_DAYS

    def clean_text(self) -> str:
        return str(
            _checked(services.ensure_text, self.cleaned_data["text"], limit=ANSWER_LIMIT, what="调查情况")
        )
