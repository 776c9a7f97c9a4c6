"""The staff workspace through HTTP: each page, bad input kept, and the whole path for a per-event item."""

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure.models import Disclosure
from tests.conftest import login
from tests.factories import FINANCE_GRANT, draft, finance_post, published
from workdays.services import add_working_days

pytestmark = pytest.mark.django_db


def staff(client_for, login_name):
    client = client_for(login_name.split("_")[0])
    login(client, login_name)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/workspace/",
        "/workspace/obligations/",
        "/workspace/disclosures/",
        "/workspace/disclosures/new/",
        "/workspace/ledger/",
        "/workspace/disclosures/new/?content_type=finance",
        "/workspace/disclosures/new/?content_type=relief",
        "/workspace/disclosures/new/?content_type=plan",
        "/workspace/disclosures/new/?content_type=cadre",
        "/workspace/disclosures/new/?content_type=service_guide",
    ],
)
def test_workspace_pages_render_for_staff_and_refuse_everyone_else(world, client_for, path):
    assert staff(client_for, "yincheng_handler").get(path).status_code == 200
    anonymous = client_for("yincheng").get(path)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    stolen = staff(client_for, "yinnan_handler").cookies["sessionid"].value
    carried = client_for("yincheng")
    carried.cookies["sessionid"] = stolen
    assert carried.get(path).status_code == 302


def test_a_bad_draft_is_refused_in_chinese_and_keeps_what_was_typed(world, client_for):
    client = staff(client_for, "yincheng_handler")
    response = client.post(
        "/workspace/disclosures/new/",
        {
            "save": "1",
            "title": "",
            "category": "affairs",
            "content_type": "notice",
            "audience": "public",
            "body": "本月办理低保复审三户,请居民监督。",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写标题" in page and "这个字段是必填项" not in page
    assert "本月办理低保复审三户,请居民监督。" in page
    with tenant_context(world.yincheng):
        assert not Disclosure.objects.exists()


def test_a_finance_statement_that_does_not_reconcile_is_refused_with_the_numbers(world, client_for):
    client = staff(client_for, "yincheng_handler")
    form = finance_post(FINANCE_GRANT, {}, {}, **{"fin-closing_balance": "1500"})
    response = client.post("/workspace/disclosures/new/", form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "收支不平" in page and "街道拨付办公经费" in page
    form["fin-closing_balance"] = "1600"
    response = client.post("/workspace/disclosures/new/", form)
    assert response.status_code == 302
    with tenant_context(world.yincheng):
        assert Disclosure.objects.get().data["income_total"] == "600.00"


def test_the_whole_path_of_a_per_event_item_through_the_workspace(world, client_for):
    today = timezone.localdate().isoformat()
    handler = staff(client_for, "yincheng_handler")
    handler.post("/workspace/events/", {"code": "SW-10", "event_date": today, "description": "暴雨积水抢排"})
    with tenant_context(world.yincheng):
        from disclosure.models import Obligation

        ob = Obligation.objects.get(code="SW-10")
    response = handler.post(
        f"/workspace/disclosures/new/?obligation={ob.pk}",
        {
            "save": "1",
            "obligation": ob.pk,
            "title": "暴雨积水抢排情况",
            "category": "affairs",
            "content_type": "notice",
            "audience": "public",
            "body": "社区组织人员连夜抢排积水。",
        },
    )
    assert response.status_code == 302
    detail = response["Location"]
    pk = int(detail.rstrip("/").split("/")[-1])
    r = handler.post(
        f"{detail}submit/",
        {"planned_publish_date": today, "short_notice_reason": "居民急需知情"},
        follow=True,
    )
    assert "已提交监督小组审核" in r.content.decode()
    staff(client_for, "yincheng_supervisor").post(f"{detail}review/", {"decision": "approve"})
    for role in ("secretary", "director", "handler"):
        staff(client_for, f"yincheng_{role}").post(f"{detail}sign/", {"role": role})
    r = handler.post(f"{detail}publish/", {"channels": ["board", "web"]}, follow=True)
    assert "已公布" in r.content.decode()
    with tenant_context(world.yincheng):
        d = Disclosure.objects.get(pk=pk)
        ob.refresh_from_db()
        assert d.status == "published" and ob.status == "on_time"


def test_a_refused_step_says_why(world, client_for):
    handler = staff(client_for, "yincheng_handler")
    response = handler.post(
        "/workspace/disclosures/new/",
        {
            "save": "1",
            "title": "月度公开",
            "category": "affairs",
            "content_type": "notice",
            "audience": "public",
            "body": "内容",
        },
    )
    detail = response["Location"]
    r = handler.post(
        f"{detail}submit/", {"planned_publish_date": timezone.localdate().isoformat()}, follow=True
    )
    assert "至少 5 个工作日" in r.content.decode()


def test_the_editor_opens_for_the_drafter_only_and_only_while_it_is_a_draft(world, client_for):
    """One rule (``services.draft_change_check``) for saving a draft and for opening its editor: the
    drafter of a draft gets the form; another member gets a 403 and no 修改 button; once submitted,
    the drafter is sent back to the detail page with the reason."""
    handler = staff(client_for, "yincheng_handler")
    response = handler.post(
        "/workspace/disclosures/new/",
        {
            "save": "1",
            "title": "社区活动室开放时间",
            "category": "service",
            "content_type": "notice",
            "audience": "public",
            "body": "每天 8:30 至 20:00 开放。",
        },
    )
    detail = response["Location"]
    edit = f"{detail}edit/"
    assert handler.get(edit).status_code == 200
    assert f'href="{edit}"' in handler.get(detail).content.decode()

    director = staff(client_for, "yincheng_director")
    refused = director.get(edit)
    assert refused.status_code == 403 and "没有权限" in refused.content.decode()
    assert f'href="{edit}"' not in director.get(detail).content.decode()

    submitted = handler.post(
        f"{detail}submit/",
        {"planned_publish_date": add_working_days(timezone.localdate(), 5).date.isoformat()},
        follow=True,
    )
    assert "已提交监督小组审核" in submitted.content.decode()
    back = handler.get(edit, follow=True)
    assert back.redirect_chain[-1][0] == detail
    assert "当前是“待监督小组审核”,不能进行这项操作" in back.content.decode()
    assert f'href="{edit}"' not in handler.get(detail).content.decode()


def test_catalogue_page_shows_both_and_refuses_bad_input_in_chinese(world, client_for):
    client = client_for("yincheng")
    login(client, "yincheng_secretary")
    page = client.get("/workspace/catalogue/").content.decode()
    assert "SW-03" in page and "本社区还没有增加" in page
    response = client.post(
        "/workspace/catalogue/",
        {
            "code": "SW-03",
            "title": "重复",
            "category": "affairs",
            "cadence": "monthly",
            "content_type": "notice",
            "audience": "public",
            "event_working_days": 5,
            "min_display_days": 10,
        },
    )
    assert response.status_code == 400 and "已被使用" in response.content.decode()


def test_the_report_form_is_offered_for_published_items_only(world, client_for):
    with tenant_context(world.yincheng):
        d = published(world)
        unpublished = draft(world, title="未公布")
    client = client_for("yincheng")
    login(client, "yincheng_handler")
    response = client.get(f"/workspace/disclosures/{d.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(f"/workspace/disclosures/{unpublished.pk}/report.pdf").status_code == 302


@pytest.mark.owner  # it cuts the ledger's tail behind the guard, as only the tables' owner can
def test_the_ledger_page_shows_the_head_recorded_in_public_and_a_lost_tail(world, client_for):
    from django.db import connection

    from disclosure.models import LedgerEntry
    from tests.factories import guards_off

    with tenant_context(world.yincheng):
        published(world)
        last = LedgerEntry.objects.order_by("-seq").first()
    assert last is not None
    client = staff(client_for, "yincheng_handler")
    page = client.get("/workspace/ledger/").content.decode()
    assert "核验通过" in page and f"街道登记的当前链头(每写入一条即登记):第 {last.seq} 条" in page
    assert last.hash in page
    with tenant_context(world.yincheng), guards_off("disclosure_ledgerentry"), connection.cursor() as c:
        c.execute("DELETE FROM disclosure_ledgerentry WHERE seq = %s", [last.seq])
    page = client.get("/workspace/ledger/").content.decode()
    assert "核验未通过" in page and f"第 {last.seq} 条记录不见了" in page
