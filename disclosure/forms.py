"""Input forms of the staff workspace. They check the shape of what was typed; the services check the
rules (who, when, in which state) and raise a domain error the view shows next to the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure.choices import (
    Audience,
    Category,
    Channel,
    ContentType,
    ReviewDecision,
    SignatureRole,
)
from disclosure.consultation_forms import ConsultationForm, ConsultationResultForm
from disclosure.content import BRIEFING_TEXT_CHARS
from disclosure.identity import identity_compact, identity_problem
from disclosure.imports.common import PASTE_MAX_CHARS
from disclosure.lines import LINE_COLUMNS, FinanceLineSet, GridCell, statement_line
from disclosure.rules import (
    FINANCE_LINES_MAX,
    MAX_ATTACHMENT_MB,
    MAX_BODY_CHARS,
    MAX_RECEIPT_BYTES,
    REPUBLICATION_WORKING_DAYS,
    REPUBLICATION_WORKING_DAYS_MAX,
)
from tenants.form_errors import Form
from tenants.uploads import XLSX

MAX_RECEIPT_MB = MAX_RECEIPT_BYTES // (1024 * 1024)
# A date picker reads and writes ISO days whatever the language (Chinese formats would print 2026/07/03).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DisclosureForm(Form):
    title = forms.CharField(label=gettext_lazy("标题"), max_length=200)
    category = forms.ChoiceField(label=gettext_lazy("类别"), choices=Category.choices)
    content_type = forms.ChoiceField(label=gettext_lazy("内容格式"), choices=ContentType.choices)
    audience = forms.ChoiceField(
        label=gettext_lazy("公开对象"), choices=Audience.choices, initial=Audience.PUBLIC
    )
    body = forms.CharField(
        label=gettext_lazy("正文"),
        required=False,
        max_length=MAX_BODY_CHARS,
        error_messages={
            "max_length": (
                "正文不能超过 %(limit_value)s 个字(现在有 %(show_value)s 个);很长的文件请作为附件上传。"
            )
        },
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("可以分段书写;网页链接和加粗会保留,其它格式会被清除。"),
    )


class FinanceHeaderForm(Form):
    period = forms.CharField(
        label=gettext_lazy("所属期"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("例如 2026年第三季度"),
    )
    opening_balance = forms.DecimalField(
        label=gettext_lazy("期初余额(元)"), max_digits=14, decimal_places=2, required=False
    )
    closing_balance = forms.DecimalField(
        label=gettext_lazy("期末余额(元)"), max_digits=14, decimal_places=2, required=False
    )


class FinanceLineForm(Form):
    date = forms.DateField(label=gettext_lazy("日期"), widget=DATE)
    description = forms.CharField(label=gettext_lazy("摘要"), max_length=200)
    # a blank first choice: an empty row's select then posts nothing, and the row stays empty
    direction = forms.ChoiceField(
        label=gettext_lazy("收/支"),
        choices=[
            ("", gettext_lazy("请选择")),
            ("income", gettext_lazy("收入")),
            ("expense", gettext_lazy("支出")),
        ],
    )
    category = forms.CharField(label=gettext_lazy("收支类别"), max_length=50)
    amount = forms.DecimalField(label=gettext_lazy("金额(元)"), max_digits=14, decimal_places=2)
    voucher = forms.CharField(label=gettext_lazy("凭证号"), max_length=50)
    reimbursement = forms.BooleanField(label=gettext_lazy("报账支出(须五人签字)"), required=False)
    # the line's name in the saved statement (``content.LINE_ID``), posted back by its row so that saving
    # the grid keeps the line — and the receipts and signatures on it — rather than making a new one
    id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)

    def has_changed(self) -> bool:
        """A row holds a line when something is typed into it: a row cleared of everything but its
        hidden ``id`` is an empty row, and is not saved."""
        return any(name != "id" for name in self.changed_data)

    @property
    def cells(self) -> list[GridCell]:
        """The line's fields in the order of the grid's columns (``LINE_COLUMNS``)."""
        return [GridCell.of(self, name) for name, _heading in LINE_COLUMNS]

    @property
    def id_cell(self) -> GridCell:
        return GridCell.of(self, "id")

    @property
    def delete_cell(self) -> GridCell:
        return GridCell.of(self, "DELETE")


class ReliefHeaderForm(Form):
    programme = forms.CharField(
        label=gettext_lazy("救助类别"),
        max_length=50,
        required=False,
        help_text=gettext_lazy("例如 城市低保、临时救助"),
    )


class HouseholdForm(Form):
    name = forms.CharField(
        label=gettext_lazy("户主姓名"), max_length=20, help_text=gettext_lazy("公开时自动隐去中间字,如 张*明")
    )
    id_number = forms.CharField(label=gettext_lazy("身份证号(不公开)"), max_length=30, required=False)
    age = forms.IntegerField(label=gettext_lazy("年龄"), min_value=0, max_value=130)
    household_size = forms.IntegerField(label=gettext_lazy("家庭人口"), min_value=1, max_value=30)
    hardship = forms.CharField(label=gettext_lazy("困难情况"), max_length=200)
    amount = forms.DecimalField(label=gettext_lazy("救助金额(元)"), max_digits=10, decimal_places=2)

    def clean_id_number(self) -> str:
        number = self.cleaned_data["id_number"].strip()
        if number and (problem := identity_problem(number)):
            raise forms.ValidationError(problem)
        return identity_compact(number) if number else ""


class MilestoneForm(Form):
    name = forms.CharField(label=gettext_lazy("节点"), max_length=100)
    planned_date = forms.DateField(label=gettext_lazy("计划日期"), widget=DATE)
    actual_date = forms.DateField(label=gettext_lazy("实际完成日期"), widget=DATE, required=False)
    progress = forms.IntegerField(label=gettext_lazy("进度(%)"), min_value=0, max_value=100, initial=0)


class OfficerForm(Form):
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=20)
    post = forms.CharField(label=gettext_lazy("职务"), max_length=50)
    duties = forms.CharField(label=gettext_lazy("分管工作"), max_length=200, required=False)
    area = forms.CharField(label=gettext_lazy("所包巷道"), max_length=200, required=False)
    phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=30, required=False)


class ServiceGuideForm(Form):
    steps = forms.CharField(
        label=gettext_lazy("办理步骤"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=gettext_lazy("每行一步"),
    )
    documents = forms.CharField(
        label=gettext_lazy("所需材料"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=gettext_lazy("每行一项"),
    )
    fee = forms.CharField(
        label=gettext_lazy("收费标准"), max_length=100, required=False, initial=gettext_lazy("免费")
    )
    time_limit = forms.CharField(label=gettext_lazy("办理时限"), max_length=100, required=False)


class BriefingTextsForm(Form):
    """工作简报: the text of each section, under its heading; the figures stay as they were compiled (to
    change a figure, correct the data and generate the briefing again)."""

    def __init__(self, *args: Any, sections: list[dict[str, Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections or []
        for number, section in enumerate(self.sections):
            self.fields[f"text_{number}"] = forms.CharField(
                label=section.get("heading", ""),
                required=False,
                max_length=BRIEFING_TEXT_CHARS,
                initial=section.get("text", ""),
                widget=forms.Textarea(attrs={"rows": 4}),
            )

    def texts(self) -> list[str]:
        return [self.cleaned_data[f"text_{number}"] for number in range(len(self.sections))]


FinanceLines = formset_factory(
    FinanceLineForm,
    formset=FinanceLineSet,
    extra=3,
    can_delete=True,
    max_num=FINANCE_LINES_MAX,
    validate_max=True,
)
Households = formset_factory(HouseholdForm, extra=3)
Milestones = formset_factory(MilestoneForm, extra=3)
Officers = formset_factory(OfficerForm, extra=3)

# Each structured content type's parts in the editor: the form or formset, and the prefix of its inputs.
PARTS: dict[str, dict[str, tuple[Any, str]]] = {
    ContentType.FINANCE: {"header": (FinanceHeaderForm, "fin"), "rows": (FinanceLines, "line")},
    ContentType.RELIEF: {"header": (ReliefHeaderForm, "rel"), "rows": (Households, "hh")},
    ContentType.PLAN: {"rows": (Milestones, "ms")},
    ContentType.CADRE: {"rows": (Officers, "of")},
    ContentType.SERVICE_GUIDE: {"header": (ServiceGuideForm, "sg")},
    ContentType.CONSULTATION: {"header": (ConsultationForm, "cs")},
    ContentType.CONSULTATION_RESULT: {"header": (ConsultationResultForm, "cr")},
}
ADD_ROWS_MAX = 50  # rows one press of 添加 … 行 may add


def _filled(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def _saved_initial(content_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """The saved content as the initial values of each part's fields."""
    if content_type == ContentType.FINANCE:
        return {"header": data, "rows": data.get("lines", [])}
    if content_type == ContentType.RELIEF:
        return {"header": data, "rows": data.get("households", [])}
    if content_type == ContentType.PLAN:
        return {"rows": data.get("milestones", [])}
    if content_type == ContentType.CADRE:
        return {"rows": data.get("officers", [])}
    if content_type in (ContentType.CONSULTATION, ContentType.CONSULTATION_RESULT):
        return {"header": data}
    if content_type == ContentType.SERVICE_GUIDE and data:
        steps, documents = ("\n".join(data.get(k, [])) for k in ("steps", "documents"))
        return {"header": {**data, "steps": steps, "documents": documents}}
    return {}


def typed(value: Any) -> bool:
    """Whether a field's value holds something typed (a ticked box counts, blanks do not)."""
    return value not in (None, False) and bool(str(value).strip())


def _carried(cls: Any, prefix: str, posted: Any, more: int) -> Any | None:
    """A part shown again with what was posted into it, unchecked (no errors: nothing was saved), with
    ``more`` empty rows added; None if nothing was posted for it. Every row keeps its place; the empty
    rows after the last one typed into are the formset's extra rows again, which may stay empty."""
    if issubclass(cls, forms.BaseFormSet):
        if f"{prefix}-TOTAL_FORMS" not in posted:
            return None
        values = [{n: f[n].value() for n in f.fields} for f in cls(posted, prefix=prefix).forms]
        last = max((i + 1 for i, row in enumerate(values) if any(typed(v) for v in row.values())), default=0)
        formset = cls(prefix=prefix, initial=values[:last])
        formset.extra = len(values) - last + more if values else formset.extra + more
        return formset
    if not any(key.startswith(f"{prefix}-") for key in posted):
        return None
    bound = cls(posted, prefix=prefix)
    return cls(prefix=prefix, initial={n: bound[n].value() for n in bound.fields})


def carried_elsewhere(content_type: str, posted: Any) -> list[tuple[str, str]]:
    """What was typed into another content type's parts, to travel with the page as hidden inputs:
    switching the content type and back loses nothing."""
    here = {prefix for _cls, prefix in PARTS.get(content_type, {}).values()}
    others = tuple(
        f"{prefix}-" for parts in PARTS.values() for _cls, prefix in parts.values() if prefix not in here
    )
    return [(key, value) for key in posted for value in posted.getlist(key) if key.startswith(others)]


def structured_data(
    content_type: str,
    post: Any | None,
    initial: dict[str, Any] | None = None,
    *,
    carry: Any | None = None,
    more: int = 0,
) -> tuple[dict[str, forms.Form | forms.BaseFormSet], dict[str, Any] | None]:
    """The sub-forms for a content type, and — when every one is valid — the data dict for the service.

    ``post`` is checked; ``carry`` (a post that is not a save: the content type switched, rows added) is
    only shown again, ``more`` rows longer; without either the parts show ``initial``, the saved content."""
    saved = _saved_initial(content_type, initial or {})
    parts: dict[str, Any] = {}
    for name, (cls, prefix) in PARTS.get(content_type, {}).items():
        if post is not None:  # checked as posted: a row compares with nothing, so any row may stay empty
            parts[name] = cls(post, prefix=prefix)
        else:
            kept = _carried(cls, prefix, carry, min(more, ADD_ROWS_MAX)) if carry is not None else None
            parts[name] = kept or cls(prefix=prefix, initial=saved.get(name))
    if content_type == ContentType.BRIEFING and (initial or {}).get("sections"):
        # the sections' texts under their headings; the figures stay as compiled
        parts["header"] = BriefingTextsForm(post, prefix="br", sections=(initial or {})["sections"])
    if post is None or not all(p.is_valid() for p in parts.values()):
        return parts, None
    header = parts["header"].cleaned_data if "header" in parts else {}
    rows = _filled(parts["rows"]) if "rows" in parts else []
    if content_type == ContentType.FINANCE:
        data = {**header, "lines": [statement_line(r) for r in rows]}
    elif content_type == ContentType.RELIEF:
        data = {**header, "households": rows}
    elif content_type == ContentType.PLAN:
        data = {"milestones": rows}
    elif content_type == ContentType.CADRE:
        data = {"officers": rows}
    elif content_type == ContentType.BRIEFING and "header" in parts:
        texts = parts["header"].texts()
        compiled = initial or {}
        data = {
            **compiled,
            "sections": [{**s, "text": t} for s, t in zip(compiled["sections"], texts, strict=True)],
        }
    elif content_type == ContentType.SERVICE_GUIDE:
        data = {
            **header,
            "steps": header.get("steps", "").splitlines(),
            "documents": header.get("documents", "").splitlines(),
        }
    elif content_type in (ContentType.CONSULTATION, ContentType.CONSULTATION_RESULT):
        data = dict(header)
    else:
        data = {}
    return parts, data


class ImportForm(Form):
    """A spreadsheet to read into the editor: an xlsx file, or cells pasted from Excel or WPS."""

    spreadsheet = forms.FileField(
        label=gettext_lazy("选择 Excel 文件(xlsx)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{XLSX}"}),
    )
    paste = forms.CharField(
        label=gettext_lazy("或者粘贴单元格"),
        required=False,
        max_length=PASTE_MAX_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 5, "spellcheck": "false"}),
        help_text=gettext_lazy("在 Excel 或 WPS 里选中连同表头在内的单元格,复制,再粘贴到这里。"),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("spreadsheet") and not (cleaned.get("paste") or "").strip():
            raise forms.ValidationError(_("请选择要导入的 Excel 文件,或把表格里的单元格粘贴到框里。"))
        return cleaned


class ImportConfirmForm(Form):
    mode = forms.ChoiceField(
        label=gettext_lazy("导入的内容"),
        choices=[
            ("replace", gettext_lazy("替换表格中已有的行")),
            ("append", gettext_lazy("追加在已有的行后面")),
        ],
        widget=forms.RadioSelect,
        initial="replace",
        required=False,  # offered only when the editor already has rows; without them, nothing to keep
    )


class SubmitForm(Form):
    planned_publish_date = forms.DateField(label=gettext_lazy("计划公布日期"), widget=DATE)
    short_notice_reason = forms.CharField(
        label=gettext_lazy("缩短审核期的理由(仅即时公开事项)"), max_length=300, required=False
    )


class ReviewForm(Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("审核意见"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    comments = forms.CharField(
        label=gettext_lazy("意见说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("退回修改时必须填写"),
    )


class SignForm(Form):
    """The capacity to sign in: one of the signing roles the person holds and has not yet signed in."""

    role = forms.ChoiceField(label=gettext_lazy("签字身份"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, roles: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(r, SignatureRole(r).label) for r in roles]
        if len(roles) == 1:
            field.initial = roles[0]


class PublishForm(Form):
    channels = forms.MultipleChoiceField(
        label=gettext_lazy("公开渠道"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=["board", "web"],
    )
    public_from = forms.DateField(
        label=gettext_lazy("向居民公开日期(先党内后党外的事项填写)"), widget=DATE, required=False
    )


class ReasonForm(Form):
    reason = forms.CharField(
        label=gettext_lazy("理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class RepublicationForm(Form):
    finding = forms.CharField(
        label=gettext_lazy("认定的遗漏或不实之处"), max_length=400, widget=forms.Textarea(attrs={"rows": 3})
    )
    working_days = forms.IntegerField(
        label=gettext_lazy("限期(工作日)"),
        min_value=1,
        max_value=REPUBLICATION_WORKING_DAYS_MAX,
        initial=REPUBLICATION_WORKING_DAYS,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern for ``<input type=file multiple>``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class AttachmentForm(Form):
    upload = MultipleFileField(
        label=gettext_lazy("附件"),
        help_text=format_lazy(
            gettext_lazy("可一次选择多个文件。PDF、JPG、PNG、Word(docx)或 Excel(xlsx),每个不超过 {mb} MB"),
            mb=MAX_ATTACHMENT_MB,
        ),
        error_messages={"required": gettext_lazy("请选择要上传的文件。")},
    )


class ReceiptForm(Form):
    """A reimbursement's receipt scans (004 ⑵). They are published with the statement, so the person
    who uploads them answers for covering the personal data on them first."""

    line = forms.CharField(widget=forms.HiddenInput)
    upload = MultipleFileField(
        label=gettext_lazy("原始单据(照片或扫描件)"),
        help_text=f"JPG、PNG 或 PDF,可一次选择多张,每张不超过 {MAX_RECEIPT_MB} MB。"
        "单据会随收支明细向居民公开:上传前请遮盖单据上的身份证号、银行卡号、手机号等个人信息,由上传人负责。",
        error_messages={"required": gettext_lazy("请选择单据的照片或扫描件。")},
    )
