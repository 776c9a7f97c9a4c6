"""Starting a draft from an obligation (issue: a monthly item opened as an empty 一般公告): the title
names the community, the period in Chinese and the item; category, content type and audience are the
catalogue item's; what carries over from the previous period is filled in and said so, and no figure of
the earlier period is taken as this one's. Switching the content type keeps everything typed."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from communities.choices import CommitteeKind
from communities.models import Committee, Officer
from disclosure import services
from disclosure.choices import Audience, Cadence, Category, ContentType
from disclosure.models import Disclosure, LocalCatalogueItem, Obligation
from disclosure.prefill import draft_prefill, draft_title
from tests.conftest import login
from tests.factories import HOUSEHOLD, corrected, draft, published

pytestmark = pytest.mark.django_db

YINCHENG = "银城社区"


def obligations(community, *, on: date, since: date) -> None:
    services.obligations_generate(community=community, on=on, since=since)


def item(code: str, period: str) -> Obligation:
    return Obligation.objects.get(code=code, period=period)


def published_for(world, obligation: Obligation, **fields: Any) -> Disclosure:
    """``obligation``'s item published (through the five steps) with ``fields``."""
    return published(
        world,
        obligation=obligation,
        category=obligation.category,
        content_type=obligation.content_type,
        audience=obligation.audience,
        **{"title": f"上期:{obligation.title}", "body": "", **fields},
    )


def editor(client_for, obligation: Obligation) -> str:
    client = client_for("yincheng")
    login(client, "yincheng_handler")
    response = client.get(f"/workspace/disclosures/new/?obligation={obligation.pk}")
    assert response.status_code == 200
    return response.content.decode()


def finance(opening: str, closing: str, lines: list[tuple[str, str, str]]) -> dict[str, Any]:
    return {
        "period": "2026年第二季度",
        "opening_balance": opening,
        "closing_balance": closing,
        "lines": [
            {
                "date": "2026-05-06",
                "description": description,
                "direction": direction,
                "category": "办公经费",
                "amount": amount,
                "voucher": f"记-{n:03d}",
            }
            for n, (description, direction, amount) in enumerate(lines, start=1)
        ],
    }


# --- the title -------------------------------------------------------------------------------------------


def test_the_title_names_the_community_the_period_in_chinese_and_the_item(world, in_yincheng):
    obligations(in_yincheng, on=date(2027, 1, 2), since=date(2026, 10, 1))
    assert (
        draft_title(item("CW-01", "2026Q4"), community_name=YINCHENG) == "银城社区2026年第四季度财务收支情况"
    )
    assert (
        draft_title(item("SW-03", "2026-10"), community_name=YINCHENG) == "银城社区2026年10月社区事务月度公开"
    )
    assert (
        draft_title(item("SW-02", "2026"), community_name=YINCHENG)
        == "银城社区2026年度工作计划、为民办实事计划及完成情况"
    )
    assert draft_title(item("ZW-02", "长期"), community_name=YINCHENG) == "银城社区居民自治章程、规则和制度"
    event = services.event_record(
        community=in_yincheng,
        actor=world.user("yincheng_handler"),
        code="SW-05",
        event_date=date(2026, 11, 23),
        description="火灾受灾户",
    )
    assert draft_title(event, community_name=YINCHENG) == "银城社区2026年11月23日临时救助、医疗救助对象及金额"


def test_the_editor_opens_with_the_items_title_category_content_type_and_audience(
    world, in_yincheng, client_for
):
    obligations(in_yincheng, on=date(2026, 10, 2), since=date(2026, 7, 1))
    party_fees = item("DW-04", "2026Q3")
    page = editor(client_for, party_fees)
    assert 'value="银城社区2026年第三季度党费收缴、管理和基层党建工作经费使用情况"' in page
    for name, value in (("category", Category.PARTY), ("content_type", ContentType.FINANCE)):
        assert re.search(rf'<option value="{value}" selected>', page), name
    assert re.search(rf'<option value="{Audience.PARTY_FIRST}" selected>', page)
    assert "这个事项以前没有公布过" in page
    assert 'name="fin-period" value="2026年第三季度"' in page


# --- what carries over ----------------------------------------------------------------------------------


def test_finance_opens_with_the_previous_closing_balance_and_none_of_its_lines(
    world, in_yincheng, client_for
):
    obligations(in_yincheng, on=date(2026, 10, 2), since=date(2026, 4, 1))
    published_for(
        world,
        item("CW-01", "2026Q2"),
        data=finance(
            "10000.00",
            "12345.60",
            [("上级拨付办公经费", "income", "3000.00"), ("购买打印纸", "expense", "654.40")],
        ),
    )
    prefill = draft_prefill(obligation=item("CW-01", "2026Q3"), community_name=YINCHENG)
    assert prefill.data == {"period": "2026年第三季度", "opening_balance": "12345.60"}

    page = editor(client_for, item("CW-01", "2026Q3"))
    assert 'name="fin-opening_balance" value="12345.60"' in page
    assert "期初余额 12,345.60 元:上期(2026年第二季度)公开的期末余额。" in page
    assert "收支明细没有带入" in page
    assert (
        "购买打印纸" not in page and "654.40" not in page and 'name="fin-closing_balance" value' not in page
    )


def test_a_corrected_previous_period_carries_the_correction(world, in_yincheng):
    obligations(in_yincheng, on=date(2026, 10, 2), since=date(2026, 4, 1))
    first = published_for(world, item("SW-06", "2026Q2"), body="<h3>一、计划生育</h3><p>旧</p>")
    corrected(
        world,
        first,
        reason="补充流动人口",
        body="<h3>一、计划生育</h3><p>新</p><h3>二、流动人口</h3><p>新</p>",
    )
    prefill = draft_prefill(obligation=item("SW-06", "2026Q3"), community_name=YINCHENG)
    assert prefill.previous is not None and prefill.previous.version == 2
    # a notice keeps the headings of what residents last saw, not its paragraphs
    assert prefill.fields["body"] == "<h3>一、计划生育</h3><p></p><h3>二、流动人口</h3><p></p>"
    assert "2 个小标题" in prefill.notes[0]


def test_a_relief_roster_carries_its_households_without_their_amounts(world, in_yincheng, client_for):
    obligations(in_yincheng, on=date(2026, 11, 2), since=date(2026, 9, 1))
    published_for(
        world,
        item("SW-04", "2026-09"),
        data={
            "programme": "城市低保",
            "households": [HOUSEHOLD, {**HOUSEHOLD, "name": "赵五", "id_number": ""}],
        },
    )
    prefill = draft_prefill(obligation=item("SW-04", "2026-10"), community_name=YINCHENG)
    assert prefill.data["programme"] == "城市低保"
    assert [h["name"] for h in prefill.data["households"]] == ["王建国", "赵五"]
    assert all("amount" not in h for h in prefill.data["households"])
    page = editor(client_for, item("SW-04", "2026-10"))
    assert 'value="王建国"' in page and 'name="hh-0-amount" value' not in page
    assert "救助金额没有带入" in page


def test_a_plan_carries_its_milestones_to_be_brought_up_to_date(world, in_yincheng):
    obligations(in_yincheng, on=date(2026, 10, 2), since=date(2026, 4, 1))
    milestone = {"name": "巷道硬化完成", "planned_date": "2026-09-30", "actual_date": "", "progress": 60}
    published_for(world, item("SW-08", "2026Q2"), data={"milestones": [milestone]})
    prefill = draft_prefill(obligation=item("SW-08", "2026Q3"), community_name=YINCHENG)
    assert prefill.data == {"milestones": [milestone]}
    assert "请更新为本期的进度" in prefill.notes[0]


def local_item(code: str, content_type: str) -> None:
    """A quarterly item of 银城's own catalogue (the standard's cadre board and guides are fixed items,
    renewed by a new version of what was published rather than drafted afresh)."""
    LocalCatalogueItem.objects.create(
        code=code,
        category=Category.SERVICE,
        title="本社区自定事项",
        cadence=Cadence.QUARTERLY,
        content_type=content_type,
        valid_from=date(2026, 1, 1),
    )


def test_a_cadre_board_comes_from_the_current_roster_or_else_the_last_one_published(world, in_yincheng):
    local_item("YC-01", ContentType.CADRE)
    obligations(in_yincheng, on=date(2026, 10, 2), since=date(2026, 4, 1))
    published_for(
        world,
        item("YC-01", "2026Q2"),
        data={"officers": [{"name": "李明", "post": "主任", "duties": "", "area": "", "phone": ""}]},
    )
    prefill = draft_prefill(obligation=item("YC-01", "2026Q3"), community_name=YINCHENG)
    assert [o["name"] for o in prefill.data["officers"]] == ["李明"]
    assert "带入上期(2026年第二季度)公开的 1 名干部" in prefill.notes[0]
    # the community keeps its cadre board (社区概况和干部监督台): that is the roster to publish
    committee, _ = Committee.objects.get_or_create(kind=CommitteeKind.RESIDENTS, defaults={"name": "居委会"})
    Officer.objects.create(
        committee=committee, name="张红", post="主任", duties="全面工作", phone="0931-1234567"
    )
    prefill = draft_prefill(obligation=item("YC-01", "2026Q3"), community_name=YINCHENG)
    assert prefill.data["officers"] == [
        {"name": "张红", "post": "主任", "duties": "全面工作", "area": "", "phone": "0931-1234567"}
    ]
    assert "当前名单(1 名)" in prefill.notes[0]


def test_a_service_guide_carries_its_steps_documents_fee_time_limit_and_introduction(world, in_yincheng):
    local_item("YC-02", ContentType.SERVICE_GUIDE)
    obligations(in_yincheng, on=date(2026, 10, 2), since=date(2026, 4, 1))
    guide = {
        "steps": ["提出申请", "入户核实"],
        "documents": ["身份证"],
        "fee": "免费",
        "time_limit": "30 个工作日",
    }
    published_for(world, item("YC-02", "2026Q2"), data=guide, body="<p>低保申请办事指南。</p>")
    prefill = draft_prefill(obligation=item("YC-02", "2026Q3"), community_name=YINCHENG)
    assert prefill.data == guide and prefill.fields["body"] == "<p>低保申请办事指南。</p>"


# --- one draft per obligation -----------------------------------------------------------------------------


def test_an_obligation_with_a_draft_under_way_opens_that_draft(world, in_yincheng, client_for):
    obligations(in_yincheng, on=date(2026, 11, 2), since=date(2026, 10, 1))
    october = item("SW-03", "2026-10")
    client = client_for("yincheng")
    login(client, "yincheng_handler")
    assert "开始起草" in client.get("/workspace/obligations/?status=all").content.decode()
    d = draft(world, obligation=october, title="银城社区2026年10月社区事务月度公开")
    assert "继续起草" in client.get("/workspace/obligations/?status=all").content.decode()
    opened = client.get(f"/workspace/disclosures/new/?obligation={october.pk}")
    assert opened.status_code == 302 and opened["Location"] == f"/workspace/disclosures/{d.pk}/edit/"
    # someone else's draft opens on its page (only its drafter edits it)
    other = client_for("yincheng")
    login(other, "yincheng_secretary")
    assert other.get(f"/workspace/disclosures/new/?obligation={october.pk}")["Location"] == (
        f"/workspace/disclosures/{d.pk}/"
    )


# --- switching the content type keeps everything typed ----------------------------------------------------


def test_switching_the_content_type_keeps_the_title_category_text_and_rows(world, in_yincheng, client_for):
    obligations(in_yincheng, on=date(2026, 10, 2), since=date(2026, 7, 1))
    quarter = item("CW-01", "2026Q3")
    client = client_for("yincheng")
    login(client, "yincheng_handler")
    url = f"/workspace/disclosures/new/?obligation={quarter.pk}"
    typed = {
        "obligation": quarter.pk,
        "title": "我改过的标题",
        "category": Category.AFFAIRS,
        "audience": Audience.PUBLIC,
        "body": "<p>我写的说明</p>",
        "fin-period": "2026年第三季度",
        "fin-opening_balance": "100.00",
        "line-TOTAL_FORMS": "3",
        "line-INITIAL_FORMS": "0",
        "line-0-date": "2026-08-01",
        "line-0-description": "慰问困难群众",
        "line-0-direction": "expense",
        "line-0-category": "慰问支出",
        "line-0-amount": "500",
        "line-0-voucher": "记-001",
        "switch": "1",
    }
    # to a notice: the title, the category, the text stay; the finance lines travel on hidden
    page = client.post(url, {**typed, "content_type": ContentType.NOTICE}).content.decode()
    assert 'value="我改过的标题"' in page and "我写的说明" in page
    assert re.search(rf'<option value="{Category.AFFAIRS}" selected>', page)
    assert '<input type="hidden" name="line-0-description" value="慰问困难群众">' in page
    assert 'name="fin-opening_balance"' in page  # hidden too
    carried = dict(re.findall(r'<input type="hidden" name="((?:fin|line)-[^"]+)" value="([^"]*)">', page))

    # and back to finance: the line is there again, as typed, with no error shown for the empty rows
    back = {
        **{k: v for k, v in typed.items() if not k.startswith(("fin-", "line-"))},
        **carried,
        "content_type": ContentType.FINANCE,
        "title": "我改过的标题",
    }
    page = client.post(url, back).content.decode()
    assert 'value="我改过的标题"' in page and re.search(
        rf'<option value="{Category.AFFAIRS}" selected>', page
    )
    assert re.search(r'<input type="text" name="line-0-description" id="[^"]*" value="慰问困难群众"', page)
    assert 'name="fin-opening_balance" value="100.00"' in page
    assert "errorlist" not in page


def test_the_publish_page_offers_the_channels_used_last_period(world, in_yincheng, client_for):
    obligations(in_yincheng, on=date(2026, 10, 2), since=date(2026, 4, 1))
    published_for(world, item("SW-06", "2026Q2"), body="<p>上期</p>", channels=("board", "meeting"))
    from tests.factories import signed

    d = signed(
        world,
        obligation=item("SW-06", "2026Q3"),
        title="本期",
        category=Category.AFFAIRS,
        today=date(2026, 10, 8),
        planned=date(2026, 10, 15),
    )
    client = client_for("yincheng")
    login(client, "yincheng_handler")
    page = client.get(f"/workspace/disclosures/{d.pk}/confirm/publish/").content.decode()
    checked = set(re.findall(r'name="channels" value="(\w+)"[^>]*checked', page))
    assert checked == {"board", "meeting"}
