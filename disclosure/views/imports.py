"""The spreadsheet import on the editor page (finance statements and relief rosters).

One form, three presses, no script: 读取并预览 reads the file or the pasted cells and shows every row
with every problem, saving nothing; 确认导入并保存 saves the rows into the draft (replacing or after
the rows already there) through the editor's own save, so ``disclosure_create``/``disclosure_update``
and their content rules decide; 放弃这次导入 drops it. Between the preview and the confirmation the
rows travel in the page, signed for this person and this draft, so nothing is kept on the server and
nothing can be slipped in. Whatever was typed in the editor is posted with each press and shown again.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core import signing
from django.http import FileResponse, Http404, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from disclosure import forms, selectors
from disclosure.choices import ContentType
from disclosure.content import finance_totals
from disclosure.identity import identity_masked
from disclosure.imports.common import Outcome, Parsed, Problem, Table, amount_read, read_paste, read_upload
from disclosure.imports.finance import finance_read
from disclosure.imports.roster import roster_read
from disclosure.imports.workbook import TEMPLATES, template_name, template_workbook
from disclosure.models import Disclosure, Obligation
from disclosure.permissions import ROLE_ACTIONS, Action
from tenants.access import CommunityRequest, member_required
from tenants.errors import InvalidInput
from tenants.uploads import XLSX
from workdays.dates import zh_date
from workdays.periods import period_zh

ACTIONS = ("import", "import_confirm", "import_cancel")
PAYLOAD_MAX_AGE = 6 * 3600  # seconds: a preview left open over lunch can still be confirmed
# content type → (the list in the content, its prefix in the editor's formset, the unit it counts in)
KINDS: dict[str, tuple[str, str, str | Promise]] = {
    ContentType.FINANCE: ("lines", "line", gettext_lazy("笔")),
    ContentType.RELIEF: ("households", "hh", gettext_lazy("户")),
}


@dataclass
class Balance:
    """The statement's balances against the lines, for one way of importing (替换 or 追加)."""

    mode: str
    income: Decimal
    expense: Decimal
    opening: Decimal | None
    closing: Decimal | None

    @property
    def expected(self) -> Decimal | None:
        return None if self.opening is None else self.opening + self.income - self.expense

    @property
    def difference(self) -> Decimal | None:
        expected = self.expected
        return None if expected is None or self.closing is None else self.closing - expected

    @property
    def text(self) -> dict[str, str]:
        """The figures as the page shows them: 226,050.00."""
        figures = {"income": self.income, "expense": self.expense, "opening": self.opening}
        figures |= {"expected": self.expected, "difference": self.difference}
        return {name: "" if value is None else _money(value) for name, value in figures.items()}


@dataclass
class Importer:
    content_type: str
    action: str
    form: forms.ImportForm
    confirm: forms.ImportConfirmForm
    salt: str
    post: QueryDict | None = None
    outcome: Outcome | None = None
    payload: str = ""
    existing: int = 0
    refusal: str = ""
    balances: list[Balance] = field(default_factory=list)

    @property
    def unit(self) -> str:
        return str(KINDS[self.content_type][2])

    @property
    def template_url(self) -> str:
        return reverse("disclosure:import_template") + f"?content_type={self.content_type}"

    @property
    def refused(self) -> bool:
        return bool(self.refusal or (self.outcome and not self.outcome.ok))

    def count_existing(self, parts: dict[str, Any], data: dict[str, Any] | None) -> None:
        """How many rows the editor holds now (typed or saved), and — for a statement — whether the
        balances reconcile with the imported lines replacing them or added after them."""
        rows = parts.get("rows")
        forms_ = rows.forms if rows is not None else []
        self.existing = sum(any(forms.typed(f[name].value()) for name in f.fields) for f in forms_)
        if self.content_type != ContentType.FINANCE or self.outcome is None or not self.outcome.ok:
            return
        header = parts["header"]
        opening, closing = (_decimal(header[name].value()) for name in ("opening_balance", "closing_balance"))
        imported = finance_totals([r.values for r in self.outcome.rows])
        self.balances = [Balance("replace", *imported, opening, closing)]
        if self.existing and data is not None:
            before = finance_totals(data["lines"])
            self.balances.append(
                Balance("append", imported[0] + before[0], imported[1] + before[1], opening, closing)
            )

    def merged(self, parts: dict[str, Any], data: dict[str, Any] | None) -> dict[str, Any] | None:
        """The content to save: the editor's, its rows replaced by or followed by the imported ones;
        None (with ``refusal`` saying why) when that cannot be done as asked."""
        if self.outcome is None or not self.confirm.is_valid():
            self.refusal = self.refusal or _("请先读取表格并预览,再确认导入。")
            return None
        key = KINDS[self.content_type][0]
        rows = [r.values for r in self.outcome.rows]
        header = parts["header"]
        if not header.is_valid():
            self.refusal = _("上方的内容有错误,请先改正,再确认导入。")
            return None
        if self.confirm.cleaned_data.get("mode") == "append":
            if data is None:
                self.refusal = _("表格中已有的行有错误:请先改正,或选择“替换表格中已有的行”。")
                return None
            rows = data[key] + rows
        return {**header.cleaned_data, key: rows}

    @property
    def headings(self) -> tuple[str, ...]:
        return HEADINGS[self.content_type]

    @property
    def shown(self) -> list[tuple[Parsed, list[tuple[str, str, bool]]]]:
        """Each row of the preview with its cells as a person reads them (dates in Chinese, amounts
        with separators, identity numbers cut to their ends: the clerk has the file), each with its
        heading and whether it is a number."""
        numbers = (3, 4) if self.content_type == ContentType.FINANCE else (2, 3, 5)
        return [
            (
                row,
                [
                    (heading, text, index in numbers)
                    for index, (heading, text) in enumerate(
                        zip(HEADINGS[self.content_type], _cells(self.content_type, row.values), strict=True)
                    )
                ],
            )
            for row in (self.outcome.rows if self.outcome else [])
        ]

    @property
    def done(self) -> str:
        count = len(self.outcome.rows) if self.outcome else 0
        return _("已从表格导入 %(count)s %(unit)s并保存。") % {"count": count, "unit": self.unit}


def importer_read(
    request: CommunityRequest,
    *,
    content_type: str,
    disclosure: Disclosure | None,
    obligation: Obligation | None,
) -> Importer | None:
    """The import box of a finance or relief editor, with what this request pressed done: a file or a
    paste read into a preview, a preview confirmed or dropped. None for other content types."""
    if content_type not in KINDS:
        return None
    posted = request.method == "POST"
    action = next((a for a in ACTIONS if a in request.POST), "") if posted else ""
    importer = Importer(
        content_type=content_type,
        action=action,
        form=forms.ImportForm(
            request.POST if action == "import" else None, request.FILES or None, prefix="import"
        ),
        confirm=forms.ImportConfirmForm(
            request.POST if action == "import_confirm" else None, prefix="import"
        ),
        salt=f"disclosure.import:{request.user.pk}:{disclosure.pk if disclosure else 'new'}:{content_type}",
    )
    if not action:
        return importer
    post = request.POST.copy()
    if action == "import":
        importer.outcome = _read(request, importer, disclosure=disclosure, obligation=obligation)
    elif action == "import_confirm":
        importer.outcome = _unpack(importer, request.POST.get("import-payload", ""))
    if importer.outcome is not None and importer.outcome.ok:
        importer.payload = signing.dumps(_pack(importer.outcome), salt=importer.salt, compress=True)
        for name, value in importer.outcome.found.items():  # a journal's balances fill empty fields
            if not post.get(f"fin-{name}"):
                post[f"fin-{name}"] = value
    importer.post = post
    return importer


def _read(
    request: CommunityRequest,
    importer: Importer,
    *,
    disclosure: Disclosure | None,
    obligation: Obligation | None,
) -> Outcome | None:
    if not importer.form.is_valid():
        importer.refusal = "; ".join(str(e) for errors in importer.form.errors.values() for e in errors)
        return None
    upload = importer.form.cleaned_data.get("spreadsheet")
    try:
        tables: list[Table] = (
            read_upload(upload) if upload else [read_paste(importer.form.cleaned_data["paste"])]
        )
    except InvalidInput as refused:
        return Outcome(problems=[Problem(0, "", refused.message)])
    today = timezone.localdate()
    if importer.content_type == ContentType.FINANCE:
        typed = re.search(r"(?<!\d)(19|20)\d{2}(?!\d)", request.POST.get("fin-period", ""))
        year = obligation.period_start.year if obligation else int(typed[0]) if typed else today.year
        period = (obligation.period_start, obligation.period_end) if obligation else None
        return finance_read(
            tables, year=year, period=period, period_name=period_zh(obligation.period) if obligation else ""
        )
    on = min(obligation.period_end, today) if obligation else today
    previous = selectors.relief_roster_previous(
        obligation=obligation,
        programme=request.POST.get("rel-programme", "").strip(),
        exclude=disclosure.pk if disclosure else None,
    )
    return roster_read(
        tables,
        on=on,
        previous=previous.data.get("households", []) if previous else [],
        previous_name=_roster_name(previous),
    )


def _roster_name(previous: Disclosure | None) -> str:
    if previous is None:
        return ""
    if previous.obligation is not None:
        return _("上期(%(period_zh)s)名单") % {"period_zh": period_zh(previous.obligation.period)}
    return _("上次公布的“%(title)s”") % {"title": previous.title}


def _pack(outcome: Outcome) -> dict[str, Any]:
    return {
        "source": outcome.source,
        "notes": outcome.notes,
        "found": outcome.found,
        "rows": [
            [row.number, row.values, row.tags, [p.message for p in row.problems]] for row in outcome.rows
        ],
    }


def _unpack(importer: Importer, payload: str) -> Outcome | None:
    """The preview the person confirmed, as they saw it; None if it is not theirs or has expired."""
    try:
        packed = signing.loads(payload, salt=importer.salt, max_age=PAYLOAD_MAX_AGE)
    except signing.BadSignature:
        importer.refusal = _("预览已过期或不属于这份草稿,请重新选择文件读取。")
        return None
    return Outcome(
        source=packed["source"],
        notes=packed["notes"],
        found=packed["found"],
        rows=[
            Parsed(number, values, [Problem(number, "", m, flag=True) for m in flags], tags)
            for number, values, tags, flags in packed["rows"]
        ],
    )


HEADINGS: dict[str, tuple[str, ...]] = {
    ContentType.FINANCE: (
        "日期",
        "摘要",
        "类别",
        "收入(元)",
        "支出(元)",
        "凭证号",
        "报账",
    ),
    ContentType.RELIEF: (
        "户主姓名",
        "身份证号",
        "年龄",
        "家庭人口",
        "困难情况",
        "救助金额(元)",
    ),
}


def _money(value: Any) -> str:
    try:
        return f"{Decimal(str(value)):,.2f}"
    except (ArithmeticError, ValueError):
        return str(value or "")


def _cells(content_type: str, values: dict[str, Any]) -> list[str]:
    if content_type == ContentType.FINANCE:
        try:
            day = zh_date(date.fromisoformat(values.get("date") or ""))
        except ValueError:
            day = ""
        income = values.get("direction") == "income"
        amount = _money(values.get("amount"))
        return [
            day,
            values.get("description") or "",
            values.get("category") or "",
            amount if income else "",
            "" if income else amount,
            values.get("voucher") or "",
            _("是") if values.get("reimbursement") else "",
        ]
    return [
        values.get("name") or "",
        identity_masked(values["id_number"]) if values.get("id_number") else "",
        "" if values.get("age") is None else str(values["age"]),
        "" if values.get("household_size") is None else str(values["household_size"]),
        values.get("hardship") or "",
        _money(values.get("amount")),
    ]


def _decimal(value: Any) -> Decimal | None:
    try:
        return amount_read(value)
    except ValueError:
        return None


@member_required(roles=ROLE_ACTIONS[Action.DRAFT])
def import_template(request: CommunityRequest) -> FileResponse:
    """The blank workbook for ``?content_type=finance`` or ``relief``: the columns and one example."""
    content_type = request.GET.get("content_type", "")
    if content_type not in TEMPLATES:
        raise Http404(_("没有这种表格模板。"))
    return FileResponse(
        io.BytesIO(template_workbook(content_type)),
        as_attachment=True,
        filename=template_name(content_type),
        content_type=XLSX,
    )
