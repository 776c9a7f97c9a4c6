"""A finance statement's lines through the plain form, without script: several rows saved at once (an
empty row and a row marked 删除 left out), a refused line marked on its own cell and listed in the error
summary with every typed value kept, a statement that does not reconcile marked on its closing balance,
rows added and the content type switched without losing anything, and a 150-line statement opened and
saved again as the page holds it."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.conf import settings
from django.db import connection
from django.forms import BaseFormSet
from django.http import QueryDict
from django_tenants.utils import tenant_context

from demo.drafts import finance_data, finance_line
from disclosure import forms, lines
from disclosure.models import Disclosure
from tests.conftest import login
from tests.factories import FormFields, draft, finance_post

pytestmark = pytest.mark.django_db
NEW = "/workspace/disclosures/new/"
SUMMARY_LINK = re.compile(r'<a href="#([^"]+)">([^<]+)</a>')


def handler(client_for):  # type: ignore[no-untyped-def]
    client = client_for("yincheng")
    login(client, "yincheng_handler")
    return client


def row(day: str, description: str, direction: str, amount: str, voucher: str, **more: str) -> dict[str, str]:
    category = "上级拨款" if direction == "income" else "办公费"
    fields = {"date": day, "description": description, "direction": direction, "category": category}
    return {**fields, "amount": amount, "voucher": voucher, **more}


def statement(*rows: dict[str, str], closing: str, **changes: str) -> dict[str, str]:
    return finance_post(*rows, **{"fin-period": "2026年第三季度", "fin-closing_balance": closing, **changes})


GRANT = row("2026-07-03", "街道拨付办公经费", "income", "600", "收-01")
PAPER = row("2026-07-09", "购买打印纸", "expense", "45.50", "付-01")
REPAIR = row("2026-08-12", "维修活动室门锁", "expense", "120", "付-02")


def summary_links(page: str) -> dict[str, str]:
    box = page[page.index("data-error-summary") : page.index("</div>", page.index("data-error-summary"))]
    return {anchor: unescape(text) for anchor, text in SUMMARY_LINK.findall(box)}


def test_several_lines_are_saved_at_once_leaving_out_an_empty_row_and_one_marked_delete(world, client_for):
    wrong = row("2026-02-30", "录错的一行", "gift", "-5", "")
    posted = statement(GRANT, {}, PAPER, {**wrong, "DELETE": "on"}, REPAIR, {}, closing="1434.50")
    response = handler(client_for).post(NEW, posted)
    assert response.status_code == 302
    with tenant_context(world.yincheng):
        data = Disclosure.objects.get().data
    assert [ln["description"] for ln in data["lines"]] == ["街道拨付办公经费", "购买打印纸", "维修活动室门锁"]
    assert (data["income_total"], data["expense_total"]) == ("600.00", "165.50")


def test_a_refused_amount_comes_back_on_its_cell_with_everything_typed(world, client_for):
    """A malformed amount (the field's check) and an amount of zero (the content rule, which names
    第 3 笔) both come back at once, each on its own cell and linked from the summary."""
    posted = statement(GRANT, {**PAPER, "amount": "45,5元"}, {**REPAIR, "amount": "0"}, closing="1434.50")
    response = handler(client_for).post(NEW, posted)
    assert response.status_code == 400
    page = response.content.decode()
    links = summary_links(page)
    assert links["id_line-1-amount"] == "第 2 行:金额须是数字,例如 1200.50"
    assert links["id_line-2-amount"] == "第 3 行:金额必须大于零;退款请作为收入登记。"
    for cell in ("id_line-1-amount", "id_line-2-amount"):
        tag = re.search(rf'<input [^>]*id="{cell}"[^>]*>', page)
        assert tag and 'aria-invalid="true"' in tag[0] and f'aria-describedby="{cell}_error"' in tag[0]
        assert f'<span class="field-error" id="{cell}_error">' in page
    assert 'id="id_line-0-amount"' in page and "line__cell--error" in page
    for typed in (*GRANT.values(), *PAPER.values(), *REPAIR.values(), "45,5元", "2026年第三季度", "1434.50"):
        if typed not in ("45.50", "120"):
            assert f'value="{typed}"' in unescape(page), typed
    with tenant_context(world.yincheng):
        assert not Disclosure.objects.exists()


def test_a_statement_that_does_not_reconcile_is_marked_on_its_closing_balance(world, client_for):
    response = handler(client_for).post(NEW, statement(GRANT, PAPER, REPAIR, closing="1500.00"))
    assert response.status_code == 400
    page = response.content.decode()
    message = "收支不平:期初 1000.00 + 收入 600.00 − 支出 165.50 = 1434.50,与期末余额 1500.00 不符。"
    assert summary_links(page) == {"id_fin-closing_balance": message}
    assert f'<span class="visually-hidden">错误:</span>{message}' in page
    assert 'value="维修活动室门锁"' in page


def test_a_line_the_whole_statement_refuses_is_marked_on_its_row(world, client_for):
    """A refusal of the statement that names 第 n 笔 lands on the cell of the n-th filled row."""
    posted = statement(GRANT, {}, PAPER, closing="1554.50")
    parts, data = forms.structured_data("finance", _query(posted))
    assert data is not None
    data["lines"][1]["amount"] = "0"
    assert lines.finance_statement_check(parts, data) is None
    rows = parts["rows"]
    assert isinstance(rows, BaseFormSet)
    assert rows.forms[2].errors == {"amount": ["金额必须大于零;退款请作为收入登记。"]}


def _query(posted: dict[str, str]) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update(posted)
    return query


def test_rows_added_without_script_keep_everything_typed(world, client_for):
    posted = statement(GRANT, {**PAPER, "amount": "四十五"}, {}, closing="1554.50")
    del posted["save"]
    response = handler(client_for).post(NEW, {**posted, "add_rows": "10"})
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "data-error-summary" not in page  # nothing was saved, so nothing is refused yet
    assert 'name="line-TOTAL_FORMS" value="13"' in page
    assert 'value="购买打印纸"' in page and 'value="四十五"' in page and 'value="1554.50"' in page
    assert 'id="line-3-row"' in page and 'id="line-12-row"' in page and 'id="line-13-row"' not in page


def test_switching_the_content_type_and_back_keeps_the_lines(world, client_for):
    client = handler(client_for)
    posted = statement(GRANT, PAPER, closing="1554.50", content_type="notice", switch="1")
    del posted["save"]
    notice = client.post(NEW, posted).content.decode()
    assert 'id="lines"' not in notice  # a notice has no lines: they travel hidden
    kept = dict(re.findall(r'<input type="hidden" name="((?:fin|line)-[^"]+)" value="([^"]*)">', notice))
    assert kept["line-1-description"] == "购买打印纸" and kept["fin-closing_balance"] == "1554.50"
    back = {name: posted[name] for name in ("title", "category", "audience", "body")}
    finance = client.post(NEW, {**back, **kept, "content_type": "finance", "switch": "1"})
    page = finance.content.decode()
    assert finance.status_code == 200 and "data-error-summary" not in page
    assert 'id="id_line-1-description" value="购买打印纸"' in page and 'value="1554.50"' in page


def test_a_150_line_statement_opens_and_saves_again_as_the_page_holds_it(world, client_for):
    start = date(2026, 7, 1)
    made = [
        finance_line(
            start + timedelta(days=n * 80 // 150), f"第 {n + 1} 笔收入", "上级拨款", Decimal(n + 1), f"收-{n}"
        )
        for n in range(150)
    ]
    with tenant_context(world.yincheng):
        saved = draft(
            world,
            title="一个季度的收支",
            category="finance",
            content_type="finance",
            data=finance_data(period="2026年第三季度", opening=Decimal("0"), lines=made),
        )
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
    client = handler(client_for)
    page = client.get(f"/workspace/disclosures/{saved.pk}/edit/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="line-152-row"' in html and 'id="line-153-row"' not in html  # the lines and 3 empty rows
    parser = FormFields()
    parser.feed(html)
    posted: dict[str, list[str]] = {}
    for name, value in parser.fields:
        posted.setdefault(name, []).append(value)
    assert len(parser.fields) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS // 2
    response = client.post(f"/workspace/disclosures/{saved.pk}/edit/", {**posted, "save": "1"})
    assert response.status_code == 302, summary_links(response.content.decode())
    with tenant_context(world.yincheng):
        again = Disclosure.objects.get(pk=saved.pk).data
    assert again["lines"] == saved.data["lines"] and again["income_total"] == "11325.00"
