"""A relief roster (低保、临时救助 …) from a spreadsheet or a paste: per household the name, identity
number, age, household size, hardship and amount (004 ⑴: not names alone).

An identity number is checked by its GB 11643 check digit and birth date (``disclosure.identity``);
an empty age is taken from the number as of the roster's date. The preview flags, without refusing,
what 动态管理 and 低保复审 ask a clerk to look at (004 定期公开: 低保人员的复审情况): a household
listed twice, and how the roster differs from the previous period's — who is new, who continues and
who has left.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from disclosure.content import mask_name, relief_household
from disclosure.identity import identity_age, identity_compact, identity_problem
from disclosure.imports.common import (
    CellError,
    Column,
    Outcome,
    Parsed,
    Problem,
    RowReader,
    Table,
    amount_read,
    cell_text,
    rows_read,
    whole_number_read,
)

COLUMNS: tuple[Column, ...] = (
    Column("name", "户主姓名", ("姓名", "户主", "救助对象", "申请人", "保障对象", "户主名", "对象姓名")),
    Column(
        "id_number",
        "身份证号",
        ("身份证号码", "公民身份号码", "证件号码", "身份证", "证件号", "身份证件号码"),
    ),
    Column("age", "年龄", ("户主年龄", "周岁")),
    Column(
        "household_size",
        "家庭人口",
        ("人口", "家庭人数", "户人口", "人数", "保障人数", "享受人数", "家庭成员数", "保障人口"),
    ),
    Column("hardship", "困难情况", ("致困原因", "困难原因", "家庭情况", "救助原因", "困难类型", "主要困难")),
    Column(
        "amount",
        "救助金额",
        ("金额", "补助金额", "保障金额", "月保障金", "发放金额", "月保障金额", "低保金", "救助金"),
    ),
)
TEMPLATE_KEYS = ("name", "id_number", "age", "household_size", "hardship", "amount")
TEMPLATE_EXAMPLE = {
    "name": "王建国",
    "id_number": "11010519491231002X",  # the example number of GB 11643 itself
    "age": "",
    "household_size": "2",
    "hardship": "老人独居,患慢性病",
    "amount": "680.00",
}
REQUIRED = (("name",), ("age", "id_number"), ("household_size",), ("hardship",), ("amount",))
NEW, CONTINUING = "新增", "上期已在册"


def roster_read(
    tables: list[Table], *, on: date, previous: Sequence[dict[str, Any]] = (), previous_name: str = ""
) -> Outcome:
    """Every household of the first sheet (or paste) that has the columns, each with every problem;
    ages derived as of ``on``; compared with ``previous`` (the last period's households)."""
    outcome, readers = rows_read(tables, COLUMNS, REQUIRED)
    outcome.rows = [_household(row, on=on) for row in readers]
    if not outcome.rows:
        outcome.problems.append(Problem(0, "", "表头下面没有救助对象。"))
    _flag_twice(outcome.rows)
    if previous_name:
        outcome.notes += _compare(outcome.rows, previous, previous_name)
    return outcome


def identity_read(value: Any) -> str:
    """An identity number cell: text, as Excel keeps it only when the column is formatted as text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError("被 Excel 存成了数字,最后几位已经丢失:请把这一列设为“文本”格式后重新输入身份证号")
    text = cell_text(value)
    problem = identity_problem(text) if text else ""
    if problem:
        raise CellError(problem)
    return identity_compact(text) if text else ""


def _household(row: RowReader, *, on: date) -> Parsed:
    id_number = row.read("id_number", identity_read)
    age = row.read("age", whole_number_read)
    derived = None
    if id_number:
        derived = identity_age(id_number, on=on)
        if age is None:
            age = derived
        elif abs(age - derived) > 1:
            row.problem("age", f"年龄 {age} 岁与身份证号推算的 {derived} 岁不符,请核对", flag=True)
    elif age is None and not any(p.column == row.column("id_number") for p in row.problems):
        row.problem("age", "是空的,也没有身份证号可以推算:请填写年龄或身份证号")
    values: dict[str, Any] = {
        "name": row.read("name", cell_text, required="请填写户主姓名"),
        "id_number": id_number or "",
        "age": age,
        "household_size": row.read("household_size", whole_number_read, required="请填写家庭人口数"),
        "hardship": row.read("hardship", cell_text, required="请写明困难情况,如 患病、残疾、失业"),
        "amount": row.read("amount", amount_read, required="请填写救助金额,如 680.00"),
    }
    parsed = row.parsed(values, relief_household)
    if age is not None and derived == age and not cell_text(row.raw("age")):
        parsed.tags.append("年龄由身份证号推算")
    return parsed


def _flag_twice(rows: Sequence[Parsed]) -> None:
    """The same household twice in one roster: the same identity number, or the same name and age."""
    by_id: dict[str, int] = {}
    by_person: dict[tuple[str, Any], int] = {}
    for parsed in rows:
        values = parsed.values
        if values.get("id_number"):
            first = by_id.setdefault(values["id_number"], parsed.number)
            if first != parsed.number:
                parsed.problems.append(
                    Problem(parsed.number, "", f"与第 {first} 行身份证号相同,是否重复?", True)
                )
                continue
        if values.get("name") and values.get("age") is not None:
            first = by_person.setdefault((values["name"], values["age"]), parsed.number)
            if first != parsed.number:
                parsed.problems.append(
                    Problem(parsed.number, "", f"与第 {first} 行姓名、年龄相同,是否重复?", True)
                )


def _compare(rows: Sequence[Parsed], previous: Sequence[dict[str, Any]], previous_name: str) -> list[str]:
    """Each row tagged new or continuing against the previous roster (by identity number, or by name
    and an age at most a year apart); notes on who left."""
    matched: set[int] = set()
    for parsed in rows:
        values = parsed.values
        found = next(
            (
                i
                for i, old in enumerate(previous)
                if i not in matched
                and (
                    (values.get("id_number") and old.get("id_number") == values["id_number"])
                    or (
                        old.get("name") == values.get("name")
                        and isinstance(values.get("age"), int)
                        and values["age"] - int(old.get("age", -9)) in (0, 1)
                    )
                )
            ),
            None,
        )
        if found is None:
            parsed.tags.append(NEW)
            continue
        matched.add(found)
        parsed.tags.append(CONTINUING)
        old_name = previous[found].get("name", "")
        if values.get("name") and old_name != values["name"]:
            parsed.problems.append(
                Problem(
                    parsed.number,
                    "",
                    f"同一身份证号在{previous_name}的户主是“{old_name}”,本期是“{values['name']}”:请核实",
                    flag=True,
                )
            )
    left = [old for i, old in enumerate(previous) if i not in matched]
    new = sum(NEW in p.tags for p in rows)
    notes = [f"与{previous_name}相比:新增 {new} 户,继续享受 {len(rows) - new} 户,本期没有的 {len(left)} 户。"]
    if left:
        names = "、".join(mask_name(str(old.get("name", ""))) for old in left[:20])
        notes.append(
            f"{previous_name}有、本期没有的:{names}{' 等' if len(left) > 20 else ''}。请确认已按复审退出。"
        )
    return notes
