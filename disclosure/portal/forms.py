"""What a resident types on the portal: a hash read off a printed notice. (The list's words and filters
are ``finder.forms.FindForm``, shared with the street office's site.)"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from disclosure.choices import Category
from disclosure.services.sms import ensure_mobile
from tenants.form_errors import Form
from tenants.residents import checked

HEX64 = re.compile(r"[0-9a-f]{64}")


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


class SmsNumberForm(Form):
    """The first step of subscribing (or unsubscribing): the number, and the categories wanted."""

    mobile = forms.CharField(
        label=_("手机号码"),
        max_length=20,
        help_text=_("中国大陆手机号码,11位数字。只用于给您发短信,不会公开。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
        error_messages={"required": _("请输入您的手机号码。")},
    )

    def clean_mobile(self) -> str:
        return str(checked(ensure_mobile, self.cleaned_data["mobile"]))


class SmsSubscribeForm(SmsNumberForm):
    categories = forms.MultipleChoiceField(
        label=_("想收到哪些类别"),
        required=False,
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选就是全部类别。"),
    )


class SmsCodeForm(Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=12,
        help_text=_("短信里的6位数字,10分钟内有效。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": _("请输入短信里的6位数字验证码。")},
    )
