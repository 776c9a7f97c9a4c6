"""The forms of the workspace's pages around the disclosures: the community's own catalogue items, an
event to disclose, a fixed item's renewal, and the WeChat Work group robots."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.choices import (
    Audience,
    Cadence,
    Category,
    ContentType,
)
from disclosure.forms import DATE
from disclosure.rules import (
    MIN_DISPLAY_DAYS,
    RENEWAL_NOTE_MAX_CHARS,
)
from standards.choices import EVENT_WORKING_DAYS
from tenants.form_errors import Form


class LocalItemForm(Form):
    code = forms.CharField(label=gettext_lazy("编号"), max_length=30, help_text=gettext_lazy("如 YC-01"))
    title = forms.CharField(label=gettext_lazy("公开事项"), max_length=200)
    category = forms.ChoiceField(label=gettext_lazy("类别"), choices=Category.choices)
    cadence = forms.ChoiceField(label=gettext_lazy("公开时限"), choices=Cadence.choices)
    content_type = forms.ChoiceField(label=gettext_lazy("内容格式"), choices=ContentType.choices)
    audience = forms.ChoiceField(label=gettext_lazy("公开对象"), choices=Audience.choices)
    event_working_days = forms.IntegerField(
        label=gettext_lazy("即时事项:事后多少个工作日内公开"),
        min_value=0,
        max_value=60,
        initial=EVENT_WORKING_DAYS,
    )
    min_display_days = forms.IntegerField(
        label=gettext_lazy("最少公示天数"), min_value=1, max_value=3650, initial=MIN_DISPLAY_DAYS
    )
    basis = forms.CharField(label=gettext_lazy("依据"), max_length=200, required=False)


class EventForm(Form):
    """登记即时公开事项: which item of the catalogue happened, when, and what. The items are today's."""

    code = forms.ChoiceField(label=gettext_lazy("事项"))
    event_date = forms.DateField(label=gettext_lazy("发生日期"), widget=DATE)
    description = forms.CharField(label=gettext_lazy("简要说明"), max_length=200)

    def __init__(self, *args: Any, items: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = cast(forms.ChoiceField, self.fields["code"])
        code.choices = [
            (
                i.code,
                _("%(code)s %(title)s(事后 %(event_working_days)s 个工作日内)")
                % {"code": i.code, "title": i.title, "event_working_days": i.event_working_days},
            )
            for i in items
        ]


class RenewalConfirmForm(Form):
    """内容无变化,确认续期: what was checked, in a few words (the service refuses an empty note too)."""

    note = forms.CharField(
        label=gettext_lazy("核对说明"),
        max_length=RENEWAL_NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("写明核对了哪些内容,例如:已逐项核对,人员、职责和电话均无变化。"),
    )


class GroupWebhookForm(Form):
    """A WeChat Work group robot: its name as residents know the group, and the webhook address copied
    from the robot's settings."""

    name = forms.CharField(
        label=gettext_lazy("群名称"), max_length=50, help_text=gettext_lazy("例如:银城社区居民群")
    )
    url = forms.CharField(
        label=gettext_lazy("Webhook 地址"),
        max_length=300,
        help_text=gettext_lazy("在企业微信群里“添加群机器人”后,复制机器人的 Webhook 地址粘贴到这里。"),
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"}),
    )
