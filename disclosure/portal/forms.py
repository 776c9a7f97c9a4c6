"""What a resident types on the portal: a hash read off a printed notice. (The list's words and filters
are ``finder.forms.FindForm``, shared with the street office's site.)"""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.form_errors import Form

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
