from typing import Any

from django import forms
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _

from tenants import selectors
from tenants.form_errors import Form, SpecificErrors
from tenants.models import (
    IDLE_MINUTES_MAX,
    IDLE_MINUTES_MIN,
    REVIEW_APPROVALS_MAX,
    REVIEW_APPROVALS_MIN,
    StreetOffice,
    User,
)


class SiteAuthenticationForm(SpecificErrors, AuthenticationForm):
    """Only a member of a community logs in on its sub-domain; only street-office staff on the base domain.

    Anyone else is refused with a message that says where to log in, and is not logged in.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确。请注意区分大小写。"),
        "inactive": _("该账号已停用,请联系街道管理员。"),
        "not_member": _("您不是“%(site)s”的工作人员,不能在此登录。请到您所在社区的网址登录。"),
        "not_street_staff": _("街道工作平台只供街道工作人员登录。社区工作人员请到本社区的网址登录。"),
    }

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        community = getattr(self.request, "community", None)
        if community is not None:
            if not selectors.community_roles_of(user=user, community=community):
                raise forms.ValidationError(
                    self.error_messages["not_member"], code="not_member", params={"site": community.name}
                )
        elif not selectors.is_street_office_staff(user):
            raise forms.ValidationError(self.error_messages["not_street_staff"], code="not_street_staff")


class TotpTokenForm(Form):
    """The 6-digit code an authenticator app shows; spaces are ignored, the service checks the rest."""

    token = forms.CharField(
        label=_("动态码"),
        max_length=12,
        help_text=_("打开手机上的验证器应用,输入“公开 Gongkai”下面当前显示的 6 位数字。"),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True, "size": 8}
        ),
    )


class IdleTimeoutForm(Form):
    minutes = forms.IntegerField(
        label=_("闲置多少分钟后自动退出"),
        min_value=IDLE_MINUTES_MIN,
        max_value=IDLE_MINUTES_MAX,
        error_messages={
            "invalid": _("请填写整数分钟数。"),
            "required": _("请填写分钟数。"),
            "min_value": _("闲置时间不能少于 %(limit_value)s 分钟。"),
            "max_value": _("闲置时间不能多于 %(limit_value)s 分钟。"),
        },
    )

    def __init__(self, *args: Any, office_pk: int, **kwargs: Any) -> None:
        """One form per street office on the page: its ids carry the office's, so they stay unique."""
        kwargs["auto_id"] = f"idle-{office_pk}-%s"
        super().__init__(*args, **kwargs)
        self.office_pk = office_pk
        self.fields["minutes"].help_text = _("%(idle_min)s 到 %(idle_max)s 分钟;从各人下一次操作起生效。") % {
            "idle_min": IDLE_MINUTES_MIN,
            "idle_max": IDLE_MINUTES_MAX,
        }

    @classmethod
    def for_office(cls, office: StreetOffice) -> "IdleTimeoutForm":
        """The form showing the office's current limit."""
        return cls(office_pk=office.pk, initial={"minutes": office.session_idle_minutes})


class ReviewQuorumForm(Form):
    """How many supervision group members must approve a draft: a majority of each community's group,
    or a number the street office fixes."""

    MAJORITY, FIXED = "majority", "fixed"
    rule = forms.ChoiceField(
        label=_("审核通过需要"),
        choices=[
            (MAJORITY, _("社区监督小组成员的过半数(默认)")),
            (FIXED, _("固定人数")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择审核通过需要的同意人数。")},
    )
    approvals = forms.IntegerField(
        label=_("同意人数"),
        required=False,
        min_value=REVIEW_APPROVALS_MIN,
        max_value=REVIEW_APPROVALS_MAX,
        error_messages={
            "invalid": _("请填写整数人数。"),
            "min_value": _("同意人数不能少于 %(limit_value)s 人。"),
            "max_value": _("同意人数不能多于 %(limit_value)s 人。"),
        },
    )

    def __init__(self, *args: Any, office_pk: int, **kwargs: Any) -> None:
        """One form per street office on the page: its ids carry the office's, so they stay unique."""
        kwargs["auto_id"] = f"quorum-{office_pk}-%s"
        super().__init__(*args, **kwargs)
        self.office_pk = office_pk
        self.fields["approvals"].help_text = _(
            "选“固定人数”时填写,%(low)s 到 %(high)s 人;社区监督小组人数少于这个数时,须全体同意。"
        ) % {"low": REVIEW_APPROVALS_MIN, "high": REVIEW_APPROVALS_MAX}

    @classmethod
    def for_office(cls, office: StreetOffice) -> "ReviewQuorumForm":
        """The form showing the office's current choice."""
        approvals = office.review_approvals_needed
        rule = cls.MAJORITY if approvals is None else cls.FIXED
        return cls(office_pk=office.pk, initial={"rule": rule, "approvals": approvals})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        missing = cleaned.get("approvals") is None and "approvals" not in self.errors
        if cleaned.get("rule") == self.FIXED and missing:
            self.add_error("approvals", _("选了“固定人数”,请填写同意人数。"))
        return cleaned

    @property
    def chosen(self) -> int | None:
        """The number to store: ``None`` for a majority."""
        return self.cleaned_data["approvals"] if self.cleaned_data["rule"] == self.FIXED else None


# Django's own account forms, with the project's specific messages (config/urls_common.py uses them).
class SitePasswordChangeForm(SpecificErrors, PasswordChangeForm):
    pass


class SiteSetPasswordForm(SpecificErrors, SetPasswordForm):
    pass


class SitePasswordResetForm(SpecificErrors, PasswordResetForm):
    pass
