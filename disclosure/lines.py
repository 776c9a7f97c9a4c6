"""A finance statement's lines in the editor: one row each in a grid (``disclosure/_finance_grid.html``).

The formset lets any row stay empty and checks each filled row by the content rules as well as its
fields, so every refused line is marked on its own cell at once; ``finance_statement_check`` puts a
refusal of the whole statement (balances that do not reconcile) on the field it is about. The grid
writes its inputs from plain values (``GridCell``): a quarter of 150 lines is some 1,500 of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from disclosure import content
from tenants.errors import InvalidInput


@dataclass(frozen=True)
class GridCell:
    """One input of the finance grid, as its template writes it. A quarter's grid has some 1,500 inputs:
    written from these plain values it renders several times faster than through the widgets."""

    name: str
    html_name: str
    id: str
    label: str
    value: Any
    errors: list[str]

    @classmethod
    def of(cls, form: forms.Form, name: str) -> GridCell:
        bound = form[name]
        errors = [str(e) for e in form.errors.get(name, ())]
        return cls(name, bound.html_name, bound.auto_id, str(bound.label), bound.value(), errors)


# The finance grid's columns: a line's fields in order, each with the short heading over its column.
LINE_COLUMNS: tuple[tuple[str, Promise], ...] = (
    ("date", _("日期")),
    ("description", _("摘要")),
    ("direction", _("收/支")),
    ("category", _("收支类别")),
    ("amount", _("金额(元)")),
    ("voucher", _("凭证号")),
    ("reimbursement", _("报账")),
)
# What a content rule's message about one line (``content.finance_line``) is about, by the words it
# names, the more specific first; and what a message about the whole statement is about.
LINE_FIELDS_NAMED = (
    ("收支类别", "category"),
    ("摘要", "description"),
    ("凭证号", "voucher"),
    ("日期", "date"),
    ("金额", "amount"),
    ("收入", "direction"),
)
STATEMENT_FIELDS_NAMED = (
    ("收支不平", "closing_balance"),
    ("期初余额", "opening_balance"),
    ("期末余额", "closing_balance"),
    ("所属期", "period"),
)
LINE_NAMED = re.compile(r"第 (\d+) 笔(的)?")


class FinanceLineSet(forms.BaseFormSet):
    """The lines of a statement, one row each in the editor's grid.

    Any row may be left empty or be cleared, and is then not saved, as in a spreadsheet; a row marked
    删除 is dropped whatever it holds. A filled row is checked by the content rules
    (``content.finance_line``) besides its fields, so every line a rule refuses is marked on its cell
    at once, rather than one line per save."""

    columns = LINE_COLUMNS
    default_error_messages = {
        "too_many_forms": "一份收支明细最多 %(num)d 笔:请删去多余的行,或者分成两份公开。"
    }

    @property
    def directions(self) -> Any:
        """The choices of the 收/支 column, which the grid writes itself."""
        return self.form.base_fields["direction"].choices  # type: ignore[attr-defined]  # a ChoiceField

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {} if index is None else {"empty_permitted": True}

    def clean(self) -> None:
        for number, form in enumerate(line_forms(self), start=1):
            if not form.errors:
                try:
                    content.finance_line(statement_line(form.cleaned_data), f"第 {number} 笔")
                except InvalidInput as refused:
                    _line_refused(form, refused.message)


def line_forms(rows: forms.BaseFormSet) -> list[forms.Form]:
    """The rows of a bound formset that hold a line (typed into, not marked 删除), in order: the n-th
    is the statement's 第 n 笔."""
    return [f for f in rows.forms if f.has_changed() and not f.cleaned_data.get("DELETE")]


def statement_line(row: dict[str, Any]) -> dict[str, Any]:
    """A row of the grid as a line of the statement's data (its ``id`` only when it has one)."""
    return {k: v for k, v in row.items() if k != "DELETE" and (k != "id" or v)}


def _line_refused(form: forms.Form, message: str) -> None:
    """A content rule's message about one line, on the cell it is about and without the 第 n 笔 the
    cell does not need (the error summary says 第 n 行); on the row when no word names a cell."""
    field = next((name for word, name in LINE_FIELDS_NAMED if word in message), None)
    form.add_error(field, LINE_NAMED.sub(lambda m: "" if m[2] else "这一笔", message, count=1))


def finance_statement_check(parts: dict[str, Any], data: dict[str, Any]) -> dict[str, Any] | None:
    """The whole statement by the content rules (``content.validate_finance``: itemised, reconciled with
    the balances) before it is saved: the data, or None with the refusal put where it belongs — on a
    balance, on the cell of the line it names, or over the grid."""
    try:
        content.validate_finance(data)
    except InvalidInput as refused:
        message, rows = refused.message, parts["rows"]
        named = LINE_NAMED.search(message)
        lines = line_forms(rows)
        field = next((name for word, name in STATEMENT_FIELDS_NAMED if word in message), None)
        if named and 0 < int(named[1]) <= len(lines):
            _line_refused(lines[int(named[1]) - 1], message)
        elif field:
            parts["header"].add_error(field, message)
        else:
            rows.non_form_errors().append(message)
        return None
    return data
