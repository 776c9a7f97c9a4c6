"""The spreadsheet import on the editor page through HTTP: upload → preview (nothing saved) → confirm →
the draft holds the lines and reconciles; a broken file gets a Chinese message and leaves the draft as
it was; pasted cells; a roster compared with the previous period's; the template download."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import tenant_context
from openpyxl import load_workbook

from disclosure import selectors
from disclosure.choices import ContentType
from disclosure.models import Disclosure, Obligation
from disclosure.services import obligations as obligation_services
from tests.conftest import login
from tests.factories import FINANCE_GRANT, HOUSEHOLD, draft, here, published
from tests.spreadsheets import identity, quarter, xlsx

pytestmark = pytest.mark.django_db
NEW = "/workspace/disclosures/new/"


def staff(client_for, login_name="yincheng_handler"):
    client = client_for(login_name.split("_")[0])
    login(client, login_name)
    return client


def finance_form(**more):
    return {
        "title": "2026年第三季度财务收支公开",
        "category": "finance",
        "content_type": "finance",
        "audience": "public",
        "body": "",
        "fin-period": "2026年第三季度",
        "fin-opening_balance": "50000",
        "fin-closing_balance": "",
        "line-TOTAL_FORMS": "3",
        "line-INITIAL_FORMS": "0",
        **{f"line-{i}-direction": "" for i in range(3)},
        **more,
    }


def hidden(page: str, name: str) -> str:
    """The value of the page's hidden input ``name``."""
    found = re.search(rf'name="{name}" value="([^"]+)"', page)
    assert found, f"no {name} in the page"
    return found[1]


def payload_of(page: str) -> str:
    return hidden(page, "import-payload")


def token_of(page: str) -> str:
    return hidden(page, "submission_token")


def test_the_new_finance_and_relief_editors_offer_an_xlsx_upload_a_paste_box_and_the_template(
    world, client_for
):
    client = staff(client_for)
    for content_type in ("finance", "relief"):
        page = client.get(NEW, {"content_type": content_type}).content.decode()
        assert 'enctype="multipart/form-data"' in page
        assert re.search(r'<input type="file" name="import-spreadsheet" accept="\.xlsx,[^"]+"', page)
        assert 'name="import-paste"' in page
        assert f"/workspace/disclosures/import-template/?content_type={content_type}" in page
    assert 'type="file"' not in client.get(NEW, {"content_type": "notice"}).content.decode()


def test_a_150_line_quarter_is_previewed_then_saved_in_one_step_and_reconciles(world, client_for):
    client = staff(client_for)
    made = quarter(date(2026, 7, 1))
    form = finance_form(
        **{"import": "1", "import-spreadsheet": SimpleUploadedFile("三季度.xlsx", made.content)}
    )
    preview = client.post(NEW, form)
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "共 150 笔,没有发现错误" in page and "确认导入 150 笔并保存" in page
    assert "2026年第三季度财务收支公开" in page  # what was typed is kept
    assert f"{made.income:,.2f}" in page and f"{made.closing:,.2f}" in page  # the closing balance it needs
    assert "1,234.50" in page and "617.25" in page
    with tenant_context(world.yincheng):
        assert not Disclosure.objects.exists()  # a preview saves nothing

    confirm = finance_form(
        **{
            "import_confirm": "1",
            "import-payload": payload_of(page),
            "import-mode": "replace",
            "submission_token": token_of(page),
            "fin-closing_balance": str(made.closing),
        }
    )
    saved = client.post(NEW, confirm)
    assert saved.status_code == 302
    with tenant_context(world.yincheng):
        statement = Disclosure.objects.get()
        assert statement.title == "2026年第三季度财务收支公开"
        assert len(statement.data["lines"]) == 150
        assert Decimal(statement.data["income_total"]) == made.income
        assert Decimal(statement.data["expense_total"]) == made.expense
        assert statement.content_hash == statement.compute_content_hash()
    detail = client.get(saved["Location"]).content.decode()
    assert "已从表格导入 150 笔并保存" in detail
    # the same confirmation sent again makes no second draft
    client.post(NEW, confirm)
    with tenant_context(world.yincheng):
        assert Disclosure.objects.count() == 1


def test_a_statement_that_does_not_reconcile_is_refused_at_confirmation_and_the_preview_stays(
    world, client_for
):
    client = staff(client_for)
    made = quarter(date(2026, 7, 1), lines=20)
    page = client.post(
        NEW, finance_form(**{"import": "1", "import-spreadsheet": SimpleUploadedFile("q.xlsx", made.content)})
    ).content.decode()
    refused = client.post(
        NEW,
        finance_form(
            **{
                "import_confirm": "1",
                "import-payload": payload_of(page),
                "import-mode": "replace",
                "fin-closing_balance": "1",
            }
        ),
    )
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "收支不平" in text and "确认导入 20 笔并保存" in text
    with tenant_context(world.yincheng):
        assert not Disclosure.objects.exists()


def existing_statement(world):
    with tenant_context(world.yincheng):
        return draft(
            world,
            title="2026年第三季度财务收支",
            category="finance",
            content_type=ContentType.FINANCE,
            body="",
            data={
                "period": "2026年第三季度",
                "opening_balance": "1000",
                "closing_balance": "1600",
                "lines": [FINANCE_GRANT],
            },
        )


def edit_form(d, **more):
    line = d.data["lines"][0]
    return finance_form(
        **{
            "title": d.title,
            "fin-period": d.data["period"],
            "fin-opening_balance": d.data["opening_balance"],
            "fin-closing_balance": d.data["closing_balance"],
            "line-TOTAL_FORMS": "4",
            "line-INITIAL_FORMS": "1",
            **{f"line-0-{k}": v for k, v in line.items()},
            "line-3-direction": "",
            **more,
        }
    )


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        (b"%PDF-1.4\n1 0 obj<<>>endobj\n", "只能是 Excel"),
        (xlsx([("日期", "摘要", "金额"), ("2026/7/3", "拨款", "5")]), "缺少这些列"),
        (
            xlsx(
                [
                    ("日期", "摘要", "类别", "收入", "支出", "凭证号"),
                    ("2026/7/4", "纸张", "办公费", "", "一千二", "付-1"),
                ]
            ),
            "第 2 行 E 列“支出”",
        ),
    ],
    ids=["not-a-spreadsheet", "missing-columns", "text-in-an-amount"],
)
def test_a_broken_file_gets_a_clear_message_and_the_draft_is_untouched(world, client_for, payload, says):
    d = existing_statement(world)
    client = staff(client_for)
    edit = f"/workspace/disclosures/{d.pk}/edit/"
    form = edit_form(
        d,
        **{
            "title": "改过的标题还没保存",
            "import": "1",
            "import-spreadsheet": SimpleUploadedFile("明细.xlsx", payload),
        },
    )
    response = client.post(edit, form)
    assert response.status_code == 400
    page = response.content.decode()
    assert says in page and "草稿没有改动" in page
    assert "改过的标题还没保存" in page and "街道拨付办公经费" in page  # nothing typed is lost
    assert "确认导入" not in page
    with tenant_context(world.yincheng):
        again = Disclosure.objects.get(pk=d.pk)
        assert (again.title, again.content_hash, again.data) == (d.title, d.content_hash, d.data)


def test_pasted_cells_are_appended_after_the_lines_already_there(world, client_for):
    d = existing_statement(world)
    client = staff(client_for)
    edit = f"/workspace/disclosures/{d.pk}/edit/"
    pasted = (
        "日期\t摘要\t类别\t收入\t支出\t凭证号\n"
        "7月5日\t购买办公用品\t办公费\t\t1,234.50元\t付-01\n"
        "2026/7/9\t慰问困难户\t慰问金\t\t200\t付-02\n"
    )
    page = client.post(edit, edit_form(d, **{"import": "1", "import-paste": pasted})).content.decode()
    assert "共 2 笔" in page and "表格中已有 1 笔" in page and "追加在已有 1 笔之后" in page
    saved = client.post(
        edit,
        edit_form(
            d,
            **{
                "import_confirm": "1",
                "import-payload": payload_of(page),
                "import-mode": "append",
                "fin-closing_balance": "165.50",
            },
        ),
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    with tenant_context(world.yincheng):
        lines = Disclosure.objects.get(pk=d.pk).data["lines"]
    assert [ln["description"] for ln in lines] == ["街道拨付办公经费", "购买办公用品", "慰问困难户"]
    assert lines[1]["date"] == "2026-07-05" and lines[1]["amount"] == "1234.50"


def test_a_payload_altered_or_from_another_draft_is_refused(world, client_for):
    client = staff(client_for)
    made = quarter(date(2026, 7, 1), lines=5)
    page = client.post(
        NEW, finance_form(**{"import": "1", "import-spreadsheet": SimpleUploadedFile("q.xlsx", made.content)})
    ).content.decode()
    payload = payload_of(page)
    d = existing_statement(world)
    for where, sent in ((NEW, payload[:-3] + "abc"), (f"/workspace/disclosures/{d.pk}/edit/", payload)):
        form = edit_form(d) if "edit" in where else finance_form()
        response = client.post(
            where, {**form, "import_confirm": "1", "import-payload": sent, "import-mode": "replace"}
        )
        assert response.status_code == 400 and "预览已过期或不属于这份草稿" in response.content.decode()
    with tenant_context(world.yincheng):
        assert Disclosure.objects.get().pk == d.pk


def roster_form(**more):
    return {
        "title": "低保名单公示",
        "category": "affairs",
        "content_type": "relief",
        "audience": "public",
        "body": "",
        "rel-programme": "城市低保",
        "hh-TOTAL_FORMS": "3",
        "hh-INITIAL_FORMS": "0",
        **more,
    }


def test_a_roster_is_imported_with_ages_from_identity_numbers_and_compared_with_the_previous_period(
    world, client_for
):
    today = timezone.localdate()
    with tenant_context(world.yincheng):
        obligation_services.obligations_generate(community=here(), on=today, since=today - timedelta(days=70))
        months = list(Obligation.objects.filter(code="SW-04").order_by("period_start"))
        earlier, current = months[-2], months[-1]
        published(
            world,
            on=None,
            today=today - timedelta(days=14),
            planned=today,
            obligation=earlier,
            title="上月低保名单",
            content_type=ContentType.RELIEF,
            body="",
            data={
                "programme": "城市低保",
                "households": [HOUSEHOLD, {**HOUSEHOLD, "name": "赵五", "id_number": ""}],
            },
        )
        previous = selectors.relief_roster_previous(obligation=current)
        assert previous is not None and previous.title == "上月低保名单"
    client = staff(client_for)
    born = date(today.year - 60, 1, 1)
    rows = [
        ("户主姓名", "身份证号", "年龄", "家庭人口", "困难情况", "救助金额"),
        (HOUSEHOLD["name"], HOUSEHOLD["id_number"], "", "2", "老人独居", "680"),
        ("孙七", identity(born, 7), "", "3", "失业", "1,200.00"),
    ]
    url = f"{NEW}?obligation={current.pk}"
    page = client.post(
        url,
        roster_form(
            obligation=current.pk,
            **{"import": "1", "import-spreadsheet": SimpleUploadedFile("名单.xlsx", xlsx(rows))},
        ),
    ).content.decode()
    assert "共 2 户,没有发现错误" in page
    assert "上期已在册" in page and "新增" in page and "本期没有的:赵*" in page
    assert identity(born, 7) not in page  # the preview shows the ends of a number only
    saved = client.post(
        url,
        roster_form(obligation=current.pk, **{"import_confirm": "1", "import-payload": payload_of(page)}),
    )
    assert saved.status_code == 302
    with tenant_context(world.yincheng):
        households = Disclosure.objects.get(obligation=current).data["households"]
    on = min(current.period_end, today)
    assert households[1]["age"] == on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    assert households[1]["id_number"] == identity(born, 7) and households[1]["amount"] == "1200.00"


def test_the_template_downloads_for_drafters_only(world, client_for):
    client = staff(client_for)
    response = client.get("/workspace/disclosures/import-template/", {"content_type": "relief"})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in book.active[1]] == [
        "户主姓名",
        "身份证号",
        "年龄",
        "家庭人口",
        "困难情况",
        "救助金额",
    ]
    assert client.get("/workspace/disclosures/import-template/", {"content_type": "plan"}).status_code == 404
    anonymous = client_for("yincheng").get("/workspace/disclosures/import-template/?content_type=finance")
    assert anonymous.status_code == 302
    assert (
        staff(client_for, "yincheng_supervisor")
        .get("/workspace/disclosures/import-template/?content_type=finance")
        .status_code
        == 403
    )
