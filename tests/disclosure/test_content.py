"""Structured content rules (004 ⑴ ⑵ ⑸) and masking."""

from typing import Any

import pytest

from disclosure import content
from tenants.errors import InvalidInput


def finance(lines, opening="1000.00", closing="1300.00"):
    return {"period": "2026Q3", "opening_balance": opening, "closing_balance": closing, "lines": lines}


def line(direction, amount, **extra):
    row = {
        "date": "2026-07-05",
        "description": "上级拨付办公经费",
        "direction": direction,
        "category": "办公经费",
        "amount": amount,
        "voucher": "记-07-01",
    }
    row.update(extra)
    return row


def test_finance_totals_must_reconcile_with_the_balances():
    ok = content.validate_finance(finance([line("income", "500"), line("expense", "200.00")]))
    assert (ok["income_total"], ok["expense_total"]) == ("500.00", "200.00")
    with pytest.raises(InvalidInput, match="收支不平"):
        content.validate_finance(finance([line("income", "500"), line("expense", "200.01")]))


def test_finance_must_be_itemised_not_just_totals():
    with pytest.raises(InvalidInput, match="逐笔"):
        content.validate_finance(finance([], opening="0", closing="0"))


@pytest.mark.parametrize("amount", ["-5", "0", "abc", "NaN", "1e999"])
def test_finance_amounts_must_be_positive_numbers(amount):
    with pytest.raises(InvalidInput):
        content.validate_finance(finance([line("income", amount)]))


def test_every_line_leaves_with_an_id_of_its_own_and_keeps_the_one_it_came_with():
    kept = "0123456789ab"
    lines = [
        line("income", "500", id=kept),
        line("expense", "100", id=kept),  # a second line claiming the same id gets a new one
        line("expense", "100", reimbursement=True, signatures={"street_leader": "typed"}),
    ]
    clean = content.validate_finance(finance(lines))["lines"]
    ids = [ln["id"] for ln in clean]
    assert ids[0] == kept and len(set(ids)) == 3 and all(content.LINE_ID.fullmatch(i) for i in ids)
    assert (
        "signatures" not in clean[2]
    )  # five real accounts sign it (disclosure.reimbursements), no names typed


def test_money_is_decimal_to_the_fen():
    ok = content.validate_finance(
        finance(
            [line("income", "0.1"), line("income", "0.2"), line("expense", "0.3")], opening="0", closing="0"
        )
    )
    assert ok["closing_balance"] == "0.00"


ROSTER = {
    "programme": "城市低保",
    "households": [
        {
            "name": "张小明",
            "id_number": "110101199001011237",
            "age": 67,
            "household_size": 2,
            "hardship": "老人独居,无固定收入",
            "amount": "650",
        },
        {
            "name": "欧阳建国",
            "id_number": "110101195001011239",
            "age": 76,
            "household_size": 1,
            "hardship": "重病",
            "amount": "700",
        },
        {"name": "李四", "age": 45, "household_size": 4, "hardship": "下岗失业", "amount": "800"},
    ],
}


def test_relief_roster_needs_age_household_size_and_hardship():
    bad = {"programme": "城市低保", "households": [{"name": "张三", "amount": "1"}]}
    with pytest.raises(InvalidInput, match="年龄和家庭人口"):
        content.validate_relief(bad)


def test_public_view_of_a_relief_roster_masks_names_and_drops_identity_numbers():
    public = content.public_view("relief", content.validate_relief(ROSTER))
    names = [h["name"] for h in public["households"]]
    assert names == ["张*明", "欧**国", "李*"]
    text = str(public)
    assert "110101199001011237" not in text and "id_number" not in text
    assert public["households"][0]["age"] == 67 and public["households"][0]["household_size"] == 2


def test_plans_carry_milestones_with_progress():
    with pytest.raises(InvalidInput, match="时间节点"):
        content.validate_plan({"milestones": []})
    with pytest.raises(InvalidInput, match="0–100"):
        content.validate_plan(
            {"milestones": [{"name": "开工", "planned_date": "2026-03-01", "progress": 120}]}
        )
    ok = content.validate_plan(
        {"milestones": [{"name": "开工", "planned_date": "2026-03-01", "progress": 40}]}
    )
    assert ok["milestones"][0]["progress"] == 40


def test_notice_html_is_sanitised():
    cleaned = content.sanitize_html(
        '<p onclick="x()">好</p><script>alert(1)</script><a href="javascript:x">链接</a>'
    )
    assert "script" not in cleaned and "onclick" not in cleaned and "javascript" not in cleaned
    assert "<p>好</p>" in cleaned


def test_content_hash_changes_with_any_field():
    base: dict[str, Any] = dict(
        title="t",
        body="b",
        data={"a": 1},
        category="affairs",
        content_type="notice",
        audience="public",
        attachments=[],
    )
    h = content.content_hash(**base)
    assert len(h) == 64
    for field, value in [
        ("title", "t2"),
        ("body", "b2"),
        ("data", {"a": 2}),
        ("audience", "party_first"),
        ("attachments", ["x"]),
    ]:
        assert content.content_hash(**{**base, field: value}) != h
