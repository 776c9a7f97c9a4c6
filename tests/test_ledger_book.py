"""The 台帐 an inspector can be handed: filtered by days, event, person and item, paged, with the chain's
state on top, and the same selection as XLSX and as a printable PDF — for this community's members only.

The ledger is written through the real service (``ledger_append``) with the clock set to the day each
entry is meant to be recorded on: days are counted back from today, so the tests pass on any date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context
from openpyxl import load_workbook
from pypdf import PdfReader

from disclosure.models import Disclosure, LedgerEntry
from disclosure.services import ledger_append
from tenants.models import User
from tests.conftest import login
from tests.factories import at, draft, guards_off
from workdays.dates import zh_date, zh_datetime

pytestmark = pytest.mark.django_db

LEDGER = "/workspace/ledger/"
ISO_DAY = re.compile(r"\d{4}-\d{1,2}")


def staff(client_for, login_name):
    client = client_for(login_name.split("_")[0])
    login(client, login_name)
    return client


@dataclass
class Book:
    """银城社区's ledger as the tests wrote it: the days, the items, and every entry in order."""

    days: list[date]
    relief: Disclosure
    funds: Disclosure
    entries: list[LedgerEntry]

    def seqs(self, keep=lambda e: True) -> list[int]:
        """The seqs of the entries ``keep`` selects, newest first (as the page and the files list them)."""
        return [e.seq for e in reversed(self.entries) if keep(e)]


def append_on(monkeypatch, moment: datetime, **entry) -> LedgerEntry:
    """Append through the real service with the clock at ``moment``, in UTC as ``timezone.now()`` gives
    it (the entry's hash covers the time as written, and the database gives it back in UTC)."""
    with monkeypatch.context() as m:
        m.setattr(timezone, "now", lambda: moment.astimezone(UTC))
        return ledger_append(**entry)


# (day index, hour, event, item, who)
PLAN = [
    (0, 9, "submit", "relief", "handler"),
    (0, 15, "opinion", "relief", "supervisor"),
    (1, 10, "publish", "relief", "handler"),
    (1, 16, "submit", "funds", "director"),
    (2, 9, "sign", "funds", "secretary"),
    (2, 11, "publish", "funds", "handler"),
    (2, 14, "waive", None, "secretary"),
]


@pytest.fixture
def book(world, monkeypatch) -> Iterator[Book]:
    today = timezone.localdate()
    days = [today - timedelta(days=40), today - timedelta(days=20), today - timedelta(days=5)]
    with tenant_context(world.yincheng):
        items = {
            "relief": draft(world, title="城市低保名单公示"),
            "funds": draft(world, title="社区活动经费收支"),
        }
        entries = [
            append_on(
                monkeypatch,
                at(days[day], hour),
                action=event,
                actor=world.user(f"yincheng_{who}"),
                disclosure=items[item] if item else None,
                payload={"code": "SW-02", "period": "2026-10"} if item is None else {"step": event},
            )
            for day, hour, event, item, who in PLAN
        ]
    yield Book(days, items["relief"], items["funds"], entries)


def day_of(entry: LedgerEntry) -> date:
    return timezone.localdate(entry.recorded_at)


def shown(response) -> list[int]:
    return [e.seq for e in response.context["page"].object_list]


# --- the filters ---------------------------------------------------------------------------------------


FILTERS = {
    "from": (lambda b: {"from": b.days[1].isoformat()}, lambda b, e: day_of(e) >= b.days[1]),
    "to": (lambda b: {"to": b.days[0].isoformat()}, lambda b, e: day_of(e) <= b.days[0]),
    "one day": (
        lambda b: {"from": b.days[1].isoformat(), "to": b.days[1].isoformat()},
        lambda b, e: day_of(e) == b.days[1],
    ),
    "event": (lambda b: {"event": "publish"}, lambda b, e: e.action == "publish"),
    "actor": (
        lambda b: {"actor": User.objects.get(username="yincheng_handler").pk},
        lambda b, e: e.actor.username == "yincheng_handler",
    ),
    "item typed": (lambda b: {"item": "低保"}, lambda b, e: e.disclosure_id == b.relief.pk),
    "item picked": (lambda b: {"item": "社区活动经费收支"}, lambda b, e: e.disclosure_id == b.funds.pk),
    "all together": (
        lambda b: {
            "from": b.days[1].isoformat(),
            "event": "publish",
            "actor": User.objects.get(username="yincheng_handler").pk,
            "item": "经费",
        },
        lambda b, e: e.disclosure_id == b.funds.pk and e.action == "publish",
    ),
}


@pytest.mark.parametrize("name", FILTERS)
def test_each_filter_narrows_the_ledger_to_what_it_names(book, client_for, name):
    query, keep = FILTERS[name]
    expected = book.seqs(lambda e: keep(book, e))
    assert expected and len(expected) < len(book.entries)  # the filter really leaves some rows out
    response = staff(client_for, "yincheng_handler").get(LEDGER, query(book))
    assert response.status_code == 200
    assert shown(response) == expected
    page = response.content.decode()
    assert f"共 {len(expected)} 条" in page
    for key, value in query(book).items():  # what was asked stays in the form
        kept = (
            f'<option value="{value}" selected>'
            if key in ("event", "actor")
            else f'name="{key}" value="{value}"'
        )
        assert kept in page


def test_rows_are_newest_first_with_chinese_time_event_item_actor_and_short_hash(book, client_for):
    response = staff(client_for, "yincheng_handler").get(LEDGER)
    assert shown(response) == book.seqs()
    page = response.content.decode()
    newest = book.entries[-2]  # the funds' publication
    assert zh_datetime(newest.recorded_at) in page
    assert f'<a href="/workspace/disclosures/{book.funds.pk}/">社区活动经费收支</a>' in page
    assert f'<code title="{newest.hash}">{newest.hash[:12]}</code>' in page
    assert newest.actor.get_full_name() in page and "公布" in page
    assert "公开任务 SW-02(2026年10月)" in page  # a waiver has no disclosure: its obligation is named
    text = re.sub(r"<[^>]+>", " ", page)  # what a reader sees, not the attributes
    assert not ISO_DAY.search(text)


def test_the_actor_list_offers_the_people_in_this_ledger_by_name(book, client_for):
    response = staff(client_for, "yincheng_handler").get(LEDGER)
    offered = list(response.context["form"].fields["actor"].queryset)
    assert {u.username for u in offered} == {f"yincheng_{who}" for *_, who in PLAN}
    page = response.content.decode()
    for user in offered:
        assert f'<option value="{user.pk}">{user.get_full_name()}</option>' in page


def test_the_events_are_offered_in_chinese_and_the_items_can_be_picked(book, client_for):
    page = staff(client_for, "yincheng_handler").get(LEDGER).content.decode()
    assert (
        '<option value="publish">公布</option>' in page
        and '<option value="" selected>全部事项</option>' in page
    )
    assert '<datalist id="ledger-items">' in page
    assert '<option value="城市低保名单公示"></option>' in page and 'list="ledger-items"' in page


# --- the chain's state on top --------------------------------------------------------------------------


def test_the_chain_status_and_the_short_head_are_on_top(book, client_for):
    page = staff(client_for, "yincheng_handler").get(LEDGER).content.decode()
    head = book.entries[-1].hash
    assert "核验通过" in page and f"共 {len(book.entries)} 条记录" in page
    assert f'当前链头 <code title="{head}">{head[:12]}</code>' in page
    assert page.index("核验通过") < page.index("ledger-table")


@pytest.mark.owner  # it rewrites an entry behind the guard, as only the tables' owner can
def test_a_rewritten_entry_is_shown_as_the_break_on_the_page_and_in_the_pdf(book, world, client_for):
    broken = book.entries[2]
    with tenant_context(world.yincheng), guards_off("disclosure_ledgerentry"), connection.cursor() as c:
        c.execute(
            "UPDATE disclosure_ledgerentry SET payload = %s WHERE seq = %s", ['{"step": "改"}', broken.seq]
        )
    client = staff(client_for, "yincheng_handler")
    page = client.get(LEDGER).content.decode()
    assert "核验未通过" in page and f"断在第 {broken.seq} 条" in page and "内容被改动过" in page
    assert page.count('class="is-broken"') == 1
    text = pdf_text(client.get(LEDGER, {"export": "pdf"}))
    assert f"核验未通过:断在第 {broken.seq} 条" in text


# --- paging --------------------------------------------------------------------------------------------


@pytest.fixture
def long_book(world, monkeypatch):
    """120 waivers and 3 publications, all today."""
    with tenant_context(world.yincheng):
        item = draft(world, title="每月公开")
        handler = world.user("yincheng_handler")
        moment = at(timezone.localdate(), 9)
        for number in range(123):
            action, disclosure = ("publish", item) if number % 41 == 0 else ("waive", None)
            append_on(
                monkeypatch,
                moment,
                action=action,
                actor=handler,
                disclosure=disclosure,
                payload={"n": number},
            )
    return world


def test_fifty_rows_a_page_and_the_page_links_keep_the_filter(long_book, client_for):
    client = staff(client_for, "yincheng_handler")
    first = client.get(LEDGER)
    assert shown(first) == list(range(123, 73, -1))
    last = client.get(LEDGER, {"page": 3})
    assert shown(last) == list(range(23, 0, -1))
    assert "第 3 页,共 3 页" in last.content.decode()
    filtered = client.get(LEDGER, {"event": "waive", "page": 2})
    assert len(shown(filtered)) == 50 and all(
        e.action == "waive" for e in filtered.context["page"].object_list
    )
    page = filtered.content.decode()
    assert 'href="?event=waive&amp;page=3"' in page and 'href="?event=waive&amp;page=1"' in page
    assert 'href="?event=waive&amp;export=xlsx"' in page and 'href="?event=waive&amp;export=pdf"' in page


@pytest.mark.parametrize("number", ["abc", "0", "-1", "999", "1.5", ""])
def test_a_junk_or_out_of_range_page_number_shows_a_page_not_an_error(long_book, client_for, number):
    response = staff(client_for, "yincheng_handler").get(LEDGER, {"page": number})
    assert response.status_code == 200
    assert response.context["page"].number in (1, 3)


# --- bad filters ---------------------------------------------------------------------------------------


def _future(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


BAD = [
    ({"from": "abc"}, "id_from", "开始日期不是一个有效的日期"),
    ({"to": "2026-02-30"}, "id_to", "结束日期不是一个有效的日期"),
    ({"from": _future(3), "to": _future(1)}, "id_to", "早于开始日期"),
    ({"event": "delete"}, "id_event", "没有这种事项"),
    ({"actor": "abc"}, "id_actor", "台帐里没有这位操作人"),
    ({"actor": "yinnan_handler"}, "id_actor", "台帐里没有这位操作人"),  # a person of another ledger
    ({"item": "低" * 101}, "id_item", "不能超过 100 个字"),
    ({"from": "abc", "export": "xlsx"}, "id_from", "开始日期不是一个有效的日期"),
    ({"from": "abc", "export": "pdf"}, "id_from", "开始日期不是一个有效的日期"),
]


@pytest.mark.parametrize(("query", "field", "message"), BAD)
def test_a_filter_that_cannot_be_read_is_named_in_chinese_and_applies_nothing(
    book, client_for, query, field, message
):
    if query.get("actor") == "yinnan_handler":
        query = {"actor": User.objects.get(username="yinnan_handler").pk}
    response = staff(client_for, "yincheng_handler").get(LEDGER, {**query, "item": query.get("item", "经费")})
    assert response.status_code == 400 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "筛选条件有误" in page
    assert re.search(rf'<a href="#{field}">[^<]*{re.escape(message)}', page)  # the summary links to the field
    assert f'id="{field}-error"' in page
    assert shown(response) == [] and "导出当前筛选结果" not in page
    assert 'value="经费"' in page or "低" * 101 in page  # what was typed is kept


def test_the_first_date_after_the_last_is_explained_with_both_dates_in_chinese(book, client_for):
    start, end = book.days[1], book.days[0]
    response = staff(client_for, "yincheng_handler").get(LEDGER, {"from": start, "to": end})
    assert response.status_code == 400
    assert f"结束日期({zh_date(end)})早于开始日期({zh_date(start)})" in response.content.decode()


# --- the exports ---------------------------------------------------------------------------------------


def test_the_spreadsheet_holds_exactly_the_filtered_rows_with_names_and_chinese_dates(book, client_for):
    handler = User.objects.get(username="yincheng_handler")
    response = staff(client_for, "yincheng_handler").get(LEDGER, {"actor": handler.pk, "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert quote("银城社区党务居务公开台帐") in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    sheet = workbook["台帐"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("序号", "时间", "事项", "公开内容", "操作人", "哈希")
    expected = [e for e in reversed(book.entries) if e.actor_id == handler.pk]
    assert [r[0] for r in rows[1:]] == [e.seq for e in expected]
    for row, entry in zip(rows[1:], expected, strict=True):
        assert row[1] == timezone.localtime(entry.recorded_at).replace(tzinfo=None)
        assert row[2:] == (
            entry.get_action_display(),
            entry.disclosure.title,
            handler.get_full_name(),
            entry.hash,
        )
    assert sheet["B2"].number_format == 'yyyy"年"m"月"d"日" hh:mm'
    assert sheet.column_dimensions["D"].width >= 40 and sheet.column_dimensions["F"].width >= 64
    about = dict(workbook["说明"].iter_rows(values_only=True))
    assert about["筛选条件"] == f"操作人:{handler.get_full_name()}"
    assert about["链核验"].startswith("核验通过") and about["记录"] == f"共 {len(expected)} 条,新的在前"


def pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)


def test_the_pdf_prints_the_filtered_rows_in_chinese_with_its_title_filter_time_chain_and_page_numbers(
    book, client_for
):
    query = {"from": book.days[1].isoformat(), "item": "经费"}
    response = staff(client_for, "yincheng_handler").get(LEDGER, {**query, "export": "pdf"})
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''")
    text = pdf_text(response)
    assert "银城社区 党务居务公开台帐" in text
    assert f"筛选条件:{zh_date(book.days[1])}起;公开内容含“经费”" in text
    assert "生成时间:" + zh_date(timezone.localdate()) in text
    assert f"核验通过:共 {len(book.entries)} 条记录" in text
    assert "日期" in text and "短哈希" in text and "第 1 页,共 1 页" in text
    funds = [e for e in book.entries if e.disclosure_id == book.funds.pk]
    for entry in funds:
        assert zh_datetime(entry.recorded_at) in text
        assert entry.actor.get_full_name() in text and entry.hash[:12] in text
    assert "社区活动经费收支" in text and "城市低保名单公示" not in text
    assert not ISO_DAY.search(text)


def test_a_long_pdf_numbers_every_page(long_book, client_for):
    reader = PdfReader(BytesIO(staff(client_for, "yincheng_handler").get(LEDGER, {"export": "pdf"}).content))
    total = len(reader.pages)
    assert total > 1
    for number, page in enumerate(reader.pages, start=1):
        assert f"第 {number} 页,共 {total} 页" in page.extract_text()


# --- who may see it ------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?export=xlsx", "?export=pdf"])
def test_only_members_of_the_community_get_the_ledger_or_its_files(book, client_for, query):
    anonymous = client_for("yincheng").get(LEDGER + query)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    carried = client_for("yincheng")  # a member of 银南 carrying their session to 银城
    carried.cookies["sessionid"] = staff(client_for, "yinnan_handler").cookies["sessionid"].value
    assert carried.get(LEDGER + query).status_code == 302
    street = client_for("yincheng")
    street.force_login(User.objects.get(username="yinzhou_leader"))  # street-office staff, no membership
    assert street.get(LEDGER + query).status_code in (302, 403)


def test_another_communitys_entries_never_appear(book, world, client_for, monkeypatch):
    with tenant_context(world.yinnan):
        other = draft(world, community="yinnan", title="银南社区专属事项")
        append_on(
            monkeypatch,
            at(book.days[1], 10),
            action="publish",
            actor=world.user("yinnan_handler"),
            disclosure=other,
            payload={},
        )
    yincheng = staff(client_for, "yincheng_handler")
    for query in ({}, {"item": "银南"}):
        page = yincheng.get(LEDGER, query)
        assert "银南社区专属事项" not in page.content.decode()
    assert shown(yincheng.get(LEDGER, {"item": "银南"})) == []
    workbook = load_workbook(BytesIO(yincheng.get(LEDGER, {"export": "xlsx"}).content))
    assert [r[0] for r in workbook["台帐"].iter_rows(min_row=2, values_only=True)] == book.seqs()
    assert "银南社区专属事项" not in pdf_text(yincheng.get(LEDGER, {"export": "pdf"}))
    yinnan = staff(client_for, "yinnan_handler").get(LEDGER)
    assert [e.disclosure.title for e in yinnan.context["page"].object_list] == ["银南社区专属事项"]
    assert "城市低保名单公示" not in yinnan.content.decode()
    assert {u.username for u in yinnan.context["form"].fields["actor"].queryset} == {"yinnan_handler"}
