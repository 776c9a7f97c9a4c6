"""The street office's accountability rules page (000 第十三、十九条): one form per kind of failure,
on or off, its threshold, the order's deadline and the roles it names."""

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from inspection import rules
from inspection.choices import RectificationSource
from tenants.choices import CommunityRole
from tenants.form_errors import Form

ACCOUNTABILITY_HINTS = {
    "obligation_overdue": _("公开任务过了截止日期仍未公开(000 第十九条:不公开、不及时)。"),
    "fixed_lapsed": _("长期公开的内容公示期满,没有复核更新(000 第十九条:不更新)。"),
    "feedback_overdue": _("居民的询问、意见建议、异议或投诉,过了答复期限仍未答复。"),
    "assessment": _("定期考核得分低于合格线,或有否决项得零分。"),
    "spot_check": _("暗访时有一项检查不合格。"),
    "survey": format_lazy(_("群众评议满意率低于 {rate}%(000 第十九条)。"), rate=rules.SATISFACTION_THRESHOLD),
    "untrue_content": _("监督小组查实公开内容有遗漏或不实之处(000 第十九条:不真实)。"),
    "complaint": _("居民向街道投诉,经调查属实,由检查员决定是否下达整改通知;关闭后不能下达。"),
}
ACCOUNTABILITY_THRESHOLDS = {
    "obligation_overdue": (
        _("逾期超过几个工作日开整改通知"),
        _("填 0 表示一过截止日期就开。"),
    ),
    "feedback_overdue": (
        _("答复期限过后再等几个工作日"),
        _("填 0 表示一过答复期限就开。"),
    ),
    "assessment": (
        _("合格分数线(百分制)"),
        _("考核得分折合百分制后低于此分即不合格。"),
    ),
}


class AccountabilityRuleForm(Form):
    """One kind of failure: whether it opens an order by itself, its threshold (where it has one), the
    order's deadline and who answers for it."""

    on = forms.BooleanField(label=_("自动下达整改通知"), required=False)
    threshold = forms.IntegerField(
        label=_("标准"),
        min_value=0,
        max_value=rules.ACCOUNTABILITY_THRESHOLD_MAX,
        error_messages={
            "required": _("请填写标准,只填数字。"),
            "invalid": _("标准只填整数,如 5。"),
            "min_value": _("标准不能小于 0。"),
            "max_value": format_lazy(_("标准不能大于 {n}。"), n=rules.ACCOUNTABILITY_THRESHOLD_MAX),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    days = forms.IntegerField(
        label=_("整改期限(工作日)"),
        min_value=1,
        max_value=rules.RECTIFICATION_MAX_WORKING_DAYS,
        error_messages={
            "required": _("请填写整改期限,如 10。"),
            "invalid": _("整改期限只填整数的工作日数,如 10。"),
            "min_value": _("整改期限至少 1 个工作日。"),
            "max_value": format_lazy(
                _("整改期限最多 {n} 个工作日。"), n=rules.RECTIFICATION_MAX_WORKING_DAYS
            ),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    roles = forms.MultipleChoiceField(
        label=_("责任人"),
        required=False,
        choices=[(r.value, r.label) for r in CommunityRole if r.value in rules.ACCOUNTABLE_ROLES],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: object, kind: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.kind = kind
        self.hint = ACCOUNTABILITY_HINTS.get(kind, "")
        if kind in ACCOUNTABILITY_THRESHOLDS:
            label, help_text = ACCOUNTABILITY_THRESHOLDS[kind]
            self.fields["threshold"].label = label
            self.fields["threshold"].help_text = help_text
        else:
            del self.fields["threshold"]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("on") and not data.get("roles"):
            self.add_error("roles", _("请至少选择一个责任人,或不勾选“自动下达整改通知”。"))
        return data

    def full_clean(self) -> None:
        """Each message names its rule, so the summary on top says which of the eight to mend."""
        super().full_clean()
        label = RectificationSource(self.kind).label
        for errors in self.errors.values():
            errors[:] = [f"{label}:{message}" for message in errors]

    def entry(self) -> dict[str, object]:
        data = self.cleaned_data
        return {
            "on": bool(data.get("on")),
            "threshold": data.get("threshold"),
            "days": data.get("days"),
            "roles": list(data.get("roles") or []),
        }


class BaseAccountabilityRulesFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """One form per kind, in the order of ``KINDS``; none added or removed."""

    kinds: tuple[str, ...] = ()

    def get_form_kwargs(self, index: int | None) -> dict[str, object]:
        kwargs = super().get_form_kwargs(index)
        kwargs["kind"] = self.kinds[index or 0]
        return kwargs

    def entries(self) -> dict[str, dict[str, object]]:
        return {form.kind: form.entry() for form in self.forms}


def accountability_formset(
    kinds: tuple[str, ...],
    data: Mapping[str, Any] | None = None,
    initial: list[dict[str, object]] | None = None,
) -> BaseAccountabilityRulesFormSet:
    cls = cast(
        type[BaseAccountabilityRulesFormSet],
        forms.formset_factory(
            AccountabilityRuleForm,
            formset=BaseAccountabilityRulesFormSet,
            extra=0,
            min_num=len(kinds),
            max_num=len(kinds),
            validate_min=True,
            validate_max=True,
        ),
    )
    cls.kinds = kinds
    return cls(data, initial=initial, prefix="rules")
