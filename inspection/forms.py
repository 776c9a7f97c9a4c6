"""Input forms of the street-office pages: shapes only; the services hold the rules."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django import forms
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from inspection import rules
from inspection.briefing import quarters_offered
from inspection.choices import ComplaintFinding, Satisfaction
from inspection.models import REDRAW_REASON_LIMIT, SCORE_NOTE_LIMIT, VOTE_COMMENT_LIMIT, ScoringItem
from inspection.vetoes import veto_choices
from tenants.form_errors import Form
from tenants.models import Community, User
from tenants.residents import TEXT_LIMIT, SignedOrAnonymousForm
from workdays.periods import Period, Span, add_months, period_of

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

YES_NO = [("yes", _("是")), ("no", _("否"))]


# the months and quarters around today that a draw may be for
DRAW_MONTHS = range(-2, 3)
DRAW_QUARTERS = range(-1, 2)


def draw_periods(today: date) -> list[tuple[str | Promise, list[tuple[str, str]]]]:
    """The periods offered for a draw, grouped, by label (what is stored) and Chinese name (what is read)."""
    month, quarter = period_of(Span.MONTH, today), period_of(Span.QUARTER, today)
    months = [Period(add_months(month.start, n), Span.MONTH) for n in DRAW_MONTHS]
    quarters = [Period(add_months(quarter.start, 3 * n), Span.QUARTER) for n in DRAW_QUARTERS]
    return [(_("月度"), [(p.label, p.zh) for p in months]), (_("季度"), [(p.label, p.zh) for p in quarters])]


class DrawForm(Form):
    period = forms.ChoiceField(
        label=_("所属期"),
        help_text=_("每期只抽取一次,抽取结果以第一次为准"),
    )
    sample_size = forms.IntegerField(label=_("抽取社区数"), min_value=1, max_value=500, initial=1)
    inspector = forms.ModelChoiceField(label=_("暗访检查员"), queryset=User.objects.none())

    def __init__(self, *args, inspectors=None, today: date, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        inspector = cast(forms.ModelChoiceField, self.fields["inspector"])
        inspector.queryset = inspectors if inspectors is not None else User.objects.none()
        period = cast(forms.ChoiceField, self.fields["period"])
        period.choices = draw_periods(today)
        period.initial = period_of(Span.MONTH, today).label


class RedrawForm(Form):
    reason = forms.CharField(
        label=_("重抽理由"),
        max_length=REDRAW_REASON_LIMIT,
        help_text=_("写明为什么不能按第一次抽取的结果暗访;理由和第一次抽取的结果都会留档"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请写明重新抽取的理由。")},
    )
    sample_size = forms.IntegerField(label=_("抽取社区数"), min_value=1, max_value=500)
    inspector = forms.ModelChoiceField(label=_("暗访检查员"), queryset=User.objects.none())

    def __init__(self, *args, inspectors=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        inspector = cast(forms.ModelChoiceField, self.fields["inspector"])
        inspector.queryset = inspectors if inspectors is not None else User.objects.none()


FIRST_YEAR = 2000  # the earliest year the street office's pages go back to


class DrillDownForm(Form):
    """Which obligations of one community to list: a year's, or one month's (a heat-map cell)."""

    year = forms.TypedChoiceField(label=_("年度"), coerce=int)
    month = forms.TypedChoiceField(
        label=_("月份"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("全年")), *((m, format_lazy(_("{m}月"), m=m)) for m in range(1, 13))],
    )

    def __init__(self, *args, today: date, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        year = cast(forms.TypedChoiceField, self.fields["year"])
        year.choices = [(y, _("%(y)s年") % {"y": y}) for y in range(today.year + 1, FIRST_YEAR - 1, -1)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    def clean(self, data, initial=None):  # type: ignore[no-untyped-def]
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def yes_or_no(label: "str | _StrPromise") -> forms.ChoiceField:
    """A statement the inspector answers 是 or 否; the message names the statement."""
    return forms.ChoiceField(
        label=label,
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择“%(label)s”是还是否") % {"label": label}},
    )


class RecordForm(Form):
    visited_at = forms.DateTimeField(label=_("暗访时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    board_current = yes_or_no(_("公开栏内容是当期的"))
    display_window_kept = yes_or_no(_("公示期未满的内容仍在栏上"))
    opinion_box = yes_or_no(_("设有意见箱且可用"))
    findings = forms.CharField(
        label=_("发现的问题"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    photos = MultipleImageField(
        label=_("现场照片"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    latitude = forms.DecimalField(
        label=_("位置纬度"), required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6
    )
    longitude = forms.DecimalField(
        label=_("位置经度"), required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6
    )


class RectificationForm(Form):
    community = forms.ModelChoiceField(label=_("社区"), queryset=Community.objects.none())
    issues = forms.CharField(label=_("需要整改的问题"), widget=forms.Textarea(attrs={"rows": 4}))
    working_days = forms.IntegerField(
        label=_("整改期限(工作日)"),
        min_value=1,
        max_value=rules.RECTIFICATION_MAX_WORKING_DAYS,
        initial=rules.RECTIFICATION_WORKING_DAYS,
    )

    def __init__(self, *args, communities=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        community = cast(forms.ModelChoiceField, self.fields["community"])
        community.queryset = communities if communities is not None else Community.objects.none()


class VerifyForm(Form):
    decision = forms.ChoiceField(
        label=_("核查结论"),
        choices=[("accept", _("整改到位,销号")), ("reopen", _("未整改到位,退回"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(Form):
    answer = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 5}))
    evidence = MultipleImageField(
        label=_("佐证材料(照片或 PDF,可多选)"),
        required=False,
        help_text=_("整改后的公开栏照片、补公开的表格等;每个文件不超过 20MB,最多 10 个。"),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    links = forms.TypedMultipleChoiceField(
        label=_("重新公开的内容"),
        coerce=int,
        required=False,
        help_text=_("勾选整改后重新公布的公开内容,街道核查时可以直接打开。"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, items=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        links = cast(forms.TypedMultipleChoiceField, self.fields["links"])
        links.choices = [(e.disclosure_id, e.title) for e in items]
        if not links.choices:  # nothing published yet: nothing to point at
            del self.fields["links"]


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AdmonishmentForm(Form):
    person_name = forms.CharField(label=_("谈话对象(姓名)"), max_length=50)
    role = forms.CharField(label=_("谈话对象职务"), max_length=20, help_text=_("例如 社区党组织书记"))
    held_on = forms.DateField(label=_("谈话日期"), widget=DATE)
    place = forms.CharField(label=_("谈话地点"), max_length=100)
    spoken_by = forms.CharField(
        label=_("谈话人"), max_length=100, help_text=_("谈话的街道领导,几人用顿号隔开")
    )
    attendees = forms.CharField(label=_("参加人员"), max_length=200, required=False)
    notes = forms.CharField(label=_("谈话记录"), widget=forms.Textarea(attrs={"rows": 4}))
    minutes = forms.FileField(
        label=_("签字的谈话记录(扫描件)"),
        help_text=_("谈话双方签字后扫描或拍照上传:PDF、JPG 或 PNG,不超过 20MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
        error_messages={"required": _("请上传签字的谈话记录扫描件")},
    )


class CriticismForm(Form):
    text = forms.CharField(label=_("通报批评内容"), widget=forms.Textarea(attrs={"rows": 4}))


class ReferralForm(Form):
    referred_to = forms.CharField(label=_("移送给"), max_length=100, help_text=_("例如 街道纪工委"))
    referred_on = forms.DateField(label=_("移送日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SurveyForm(Form):
    community = forms.ModelChoiceField(label=_("社区"), queryset=Community.objects.none())
    period = forms.CharField(label=_("所属期"), max_length=20, help_text=_("例如 2026年度"))
    codes = forms.IntegerField(
        label=_("投票码数量(党员和居民代表人数)"), min_value=1, max_value=rules.MAX_VOTING_CODES, initial=30
    )

    def __init__(self, *args, communities=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        community = cast(forms.ModelChoiceField, self.fields["community"])
        community.queryset = communities if communities is not None else Community.objects.none()


class VoteForm(Form):
    code = forms.CharField(
        label=_("投票码"),
        max_length=20,
        help_text=format_lazy(_("纸条上的 {length} 位字母和数字"), length=rules.VOTING_CODE_LENGTH),
    )
    answer = forms.ChoiceField(
        label=_("您对本社区党务居务公开工作的评价"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("意见建议(可不填)"),
        max_length=VOTE_COMMENT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AssessmentOpenForm(Form):
    community = forms.ModelChoiceField(label=_("社区"), queryset=Community.objects.none())
    period = forms.CharField(label=_("考核期"), max_length=20, help_text=_("例如 2026年度"))
    inspector = forms.ModelChoiceField(label=_("考核组负责人"), queryset=User.objects.none())

    def __init__(self, *args, communities=None, inspectors=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        community = cast(forms.ModelChoiceField, self.fields["community"])
        community.queryset = communities if communities is not None else Community.objects.none()
        inspector = cast(forms.ModelChoiceField, self.fields["inspector"])
        inspector.queryset = inspectors if inspectors is not None else User.objects.none()


def scores_form(items, *, data=None, files=None, with_notes=False, with_report=False):  # type: ignore[no-untyped-def]
    """One number field per scoring item (0 … max), optionally a note per item and the self-report."""
    form = Form(data, files)
    for item in items:
        form.fields[f"score_{item.code}"] = forms.DecimalField(
            label=(
                _("%(code)s %(title)s(满分 %(max_score)s,否决项)")
                if item.critical
                else _("%(code)s %(title)s(满分 %(max_score)s)")
            )
            % {"code": item.code, "title": item.title, "max_score": item.max_score},
            min_value=0,
            max_value=item.max_score,
            decimal_places=1,
            max_digits=5,
            error_messages={
                "required": _("请给 %(code)s 打分") % {"code": item.code},
                "invalid": _("%(code)s 的得分须是数字,例如 8.5") % {"code": item.code},
                "min_value": _("%(code)s 的得分不能小于 0") % {"code": item.code},
                "max_value": _("%(code)s 的得分不能超过满分 %(max_score)s")
                % {"code": item.code, "max_score": item.max_score},
                "max_decimal_places": _("%(code)s 的得分最多保留 %%(max)s 位小数") % {"code": item.code},
                "max_digits": _("%(code)s 的得分最多 %%(max)s 位数字") % {"code": item.code},
                "max_whole_digits": _("%(code)s 的得分整数部分最多 %%(max)s 位") % {"code": item.code},
            },
        )
        if with_notes:
            form.fields[f"note_{item.code}"] = forms.CharField(
                label=_("%(code)s 扣分说明") % {"code": item.code},
                required=False,
                max_length=SCORE_NOTE_LIMIT,
            )
    if with_report:
        form.fields["report"] = forms.FileField(label=_("书面自查报告(PDF 或 Word)"), required=False)
    return form


class ScoringItemForm(Form):
    section = forms.CharField(label=_("考核项目"), max_length=50)
    code = forms.CharField(label=_("编号"), max_length=10)
    title = forms.CharField(label=_("考核内容"), max_length=200)
    max_score = forms.DecimalField(
        label=_("分值"), min_value=0.5, max_value=100, max_digits=5, decimal_places=1
    )
    critical = forms.BooleanField(label=_("否决项(得零分则整次考核不合格)"), required=False)
    guidance = forms.CharField(
        label=_("评分说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


ScoringItemFormSet = forms.formset_factory(
    ScoringItemForm, extra=1, can_delete=True, max_num=rules.MAX_SCORING_ITEMS, validate_max=True
)


def scores_of(form: forms.Form, items: Iterable[ScoringItem]) -> dict[str, Decimal]:
    """The scores a ``scores_form`` was filled with, by item code (what the services take)."""
    return {i.code: form.cleaned_data[f"score_{i.code}"] for i in items}


class BriefingQuarterForm(Form):
    """工作简报: the quarter to generate, the last completed one by default; ``overwrite`` is the
    confirmation that a draft edited since it was generated may be replaced."""

    period = forms.ChoiceField(label=_("季度"))
    overwrite = forms.BooleanField(label=_("覆盖生成后所做的修改"), required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, today: date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.quarters = {p.label: p for p in quarters_offered(today)}
        field = cast(forms.ChoiceField, self.fields["period"])
        field.choices = [(p.label, p.zh) for p in self.quarters.values()]
        field.initial = next(iter(self.quarters))

    def quarter(self) -> Period:
        return self.quarters[self.cleaned_data["period"]]


class BriefingEditForm(Form):
    """The street office's briefing: its title and summary; the sections' texts are a second form
    (``disclosure.forms.BriefingTextsForm``), the figures are not edited."""

    title = forms.CharField(label=_("标题"), max_length=200)
    summary = forms.CharField(
        label=_("概述"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )


class BriefingReviewForm(Form):
    decision = forms.ChoiceField(
        label=_("审定意见"),
        choices=[("approve", _("审定并公布")), ("return", _("退回修改"))],
        widget=forms.RadioSelect,
    )
    comments = forms.CharField(
        label=_("退回意见"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    seen = forms.CharField(required=False, widget=forms.HiddenInput)


class VetoesForm(Form):
    """The street office's list of failures that veto excellence (``inspection.vetoes``)."""

    kinds = forms.MultipleChoiceField(
        label=_("一票否决事项"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("当年发生所选任一项的社区不得评先创优;下次计算综合评价时起适用"),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        cast(forms.MultipleChoiceField, self.fields["kinds"]).choices = veto_choices()


# --- residents' complaints to the street office -----------------------------------------------------


class ComplaintCommunityForm(Form):
    """The first step on the base domain: which community the complaint is about."""

    community = forms.ModelChoiceField(
        label=_("投诉哪个社区"),
        queryset=Community.objects.none(),
        to_field_name="schema_name",
        empty_label=_("请选择社区"),
        error_messages={
            "required": _("请选择您要投诉的社区。"),
            "invalid_choice": _("请从列表中选择一个社区。"),
        },
    )

    def __init__(self, *args, communities=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["community"])
        field.queryset = communities if communities is not None else Community.objects.none()


class ComplaintForm(SignedOrAnonymousForm):
    """The complaint itself: the item of that community (or its disclosure work as a whole), what is
    wrong, anonymous or signed."""

    item = forms.TypedChoiceField(
        label=_("针对哪一项公开内容"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("可以不选:不针对某一项时,投诉的是社区公开工作的总体情况。"),
        error_messages={"invalid_choice": _("请从列表中选择这个社区已公布的一项内容。")},
    )
    field_order = ["item", "text", "name", "mobile", "homepage"]

    def __init__(self, *args, items: Iterable[tuple[int, str]] = (), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        item = cast(forms.TypedChoiceField, self.fields["item"])
        item.choices = [("", _("不针对某一项(社区公开工作总体)")), *items]
        text = self.fields["text"]
        text.label = _("哪里不对")
        text.help_text = (
            f"最多 {TEXT_LIMIT} 个字。请写清楚哪一项、哪个数字或哪件事没有公开、公开得不及时或不真实,"
            "以及您希望街道怎么处理。请不要写别人的身份证号、手机号等个人信息。"
        )
        text.error_messages["required"] = _("请写明哪里不对。")


class ComplaintNoteForm(Form):
    text = forms.CharField(
        label=_("调查情况"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("去了哪里、问了谁、看到了什么。只有街道工作人员能看到。"),
        error_messages={"required": _("请写明调查情况。")},
    )


class ComplaintConcludeForm(Form):
    finding = forms.ChoiceField(
        label=_("调查结论"),
        choices=ComplaintFinding.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择调查结论:属实或不属实。")},
    )
    answer = forms.CharField(
        label=_("给居民的答复"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("居民凭查询码看到这段答复。请写明调查结果和处理情况。"),
        error_messages={"required": _("请填写给居民的答复。")},
    )
    open_order = forms.BooleanField(label=_("投诉属实,向社区下达整改通知"), required=False)
    issues = forms.CharField(
        label=_("需要整改的问题"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("社区看到的整改通知只有这段文字,看不到是谁投诉的。请不要写投诉人的姓名和电话。"),
    )
    working_days = forms.IntegerField(
        label=_("整改期限(工作日)"),
        min_value=1,
        max_value=rules.RECTIFICATION_MAX_WORKING_DAYS,
        initial=rules.RECTIFICATION_WORKING_DAYS,
        required=False,
    )

    def clean_working_days(self) -> int:
        return self.cleaned_data.get("working_days") or rules.RECTIFICATION_WORKING_DAYS

    def clean(self) -> dict:  # type: ignore[type-arg]
        data = super().clean() or {}
        if data.get("open_order") and not (data.get("issues") or "").strip():
            self.add_error("issues", _("下达整改通知时请写明需要整改的问题。"))
        if data.get("open_order") and data.get("finding") == ComplaintFinding.NOT_UPHELD:
            self.add_error("open_order", _("投诉不属实时不能下达整改通知;请改选“属实”或取消勾选。"))
        return data


# --- 责任追究规则 ---------------------------------------------------------------------------------------
