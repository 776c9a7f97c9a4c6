"""What residents and staff type. Forms check the shape of the input with the same rules the services
enforce (one rule, two callers); the services hold every state rule."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from disclosure.feedback.choices import Finding, Kind, Rating
from disclosure.feedback.models import ANSWER_LIMIT
from disclosure.rules import REPUBLICATION_WORKING_DAYS
from tenants.form_errors import Form
from tenants.residents import TEXT_LIMIT, SignedOrAnonymousForm, checked, ensure_text


class FeedbackForm(SignedOrAnonymousForm):
    kind = forms.ChoiceField(
        label=_("您要"),
        choices=Kind.choices,
        widget=forms.RadioSelect,
        initial=Kind.QUESTION,
        error_messages={"required": _("请选择您要反映的是询问、异议、意见建议还是投诉")},
    )
    field_order = ["kind", "text", "name", "mobile", "homepage"]


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
        help_text=format_lazy(_("最多 {limit} 个字。"), limit=ANSWER_LIMIT),
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
        return str(checked(ensure_text, self.cleaned_data["answer"], limit=ANSWER_LIMIT, what=_("答复内容")))


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
        return str(checked(ensure_text, self.cleaned_data["text"], limit=ANSWER_LIMIT, what=_("调查情况")))


class OpinionForm(SignedOrAnonymousForm):
    """A resident's opinion on a consultation (征求意见): the same text, identity and robot rules as any
    resident's matter; the labels speak of an opinion."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = _("您的意见")
        self.fields["text"].help_text = _(
            "最多 %(limit)s 个字。请不要写别人的身份证号、手机号等个人信息。"
            "监督小组看过后决定是否在本页公开展示;公开时不显示姓名和电话。"
        ) % {"limit": TEXT_LIMIT}
        self.fields["text"].error_messages["required"] = _("请填写您的意见。")
        self.fields["mobile"].help_text = _("只用于社区核实和联系,不会公开。")

    def clean_text(self) -> str:
        return str(checked(ensure_text, self.cleaned_data["text"], what=_("意见")))
