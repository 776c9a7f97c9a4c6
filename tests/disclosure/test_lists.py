"""The clerk's two lists: the disclosures (search, filters, order, pages) and the obligations by urgency."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from disclosure import selectors
from disclosure.choices import Category, ObligationStatus
from disclosure.models import Obligation
from tests.conftest import login
from tests.factories import EventObligationFactory, draft, published
from workdays.dates import zh_date, zh_day

pytestmark = pytest.mark.django_db


def staff(client_for, login_name):  # type: ignore[no-untyped-def]
    client = client_for(login_name.split("_")[0])
    login(client, login_name)
    return client


def obligation(
    *, code: str, due: date, period: str = "2026Q3", status: str = ObligationStatus.UPCOMING
) -> Obligation:
    """An obligation with exactly this deadline (the generator would derive it from the calendar)."""
    return Obligation.objects.create(
        source=Obligation.Source.STANDARD,
        code=code,
        title=f"公开事项{code}",
        category=Category.AFFAIRS,
        cadence="quarterly",
        audience="public",
        content_type="notice",
        min_display_days=10,
        period=period,
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
        base_due_date=due,
        due_date=due,
        status=status,
    )


def rows(page: str) -> list[str]:
    """The titles of the list's rows, in order."""
    return re.findall(r'<p class="record__title"><a href="[^"]+">([^<]+)</a>', page)


# --- the periods and deadlines people read --------------------------------------------------------------


@pytest.mark.parametrize(
    "period,start,shown",
    [
        ("2026Q3", date(2026, 7, 1), "2026年第三季度"),
        ("2026-10", date(2026, 10, 1), "2026年10月"),
        ("2026H1", date(2026, 1, 1), "2026年上半年"),
        ("长期", date(2026, 1, 1), "长期"),
        ("20261123-1", date(2026, 11, 23), "2026年11月23日"),
        ("20261123-2", date(2026, 11, 23), "2026年11月23日第2件"),
    ],
)
def test_an_obligations_period_reads_in_chinese_never_as_its_stored_label(period, start, shown):
    assert Obligation(period=period, period_start=start).period_zh == shown


def test_an_event_is_stored_under_its_day_and_number_and_read_as_its_day(world, in_yincheng):
    first, second = (
        EventObligationFactory.create(event_date=date(2026, 11, 23), description=what)
        for what in ("停水", "又停水")
    )
    assert (first.period, second.period) == ("20261123-1", "20261123-2")
    assert (first.period_zh, second.period_zh) == ("2026年11月23日", "2026年11月23日第2件")


# --- the disclosure list ------------------------------------------------------------------------------


def test_words_are_found_in_title_and_body_whatever_their_case(world, client_for, in_yincheng):
    draft(world, title="路灯维修 LED 更换", body="<p>无</p>")
    draft(world, title="低保复审", body="<p>更换了 led 灯</p>")
    draft(world, title="征兵", body="<p>无关</p>")
    client = staff(client_for, "yincheng_handler")
    page = client.get("/workspace/disclosures/?q=Led").content.decode()
    assert sorted(rows(page)) == ["低保复审", "路灯维修 LED 更换"]
    assert "共 2 条" in page


def test_filters_by_status_category_period_and_who_drafted(world, client_for, in_yincheng):
    quarter = obligation(code="CW-01", due=date(2026, 10, 12), period="2026Q3")
    month = obligation(code="SW-01", due=date(2026, 11, 10), period="2026-10")
    draft(world, title="三季度财务", category=Category.FINANCE, obligation=quarter)
    draft(world, title="十月事务", obligation=month, drafter="secretary")
    published(world, title="已公布的通知")
    client = staff(client_for, "yincheng_handler")

    page = client.get("/workspace/disclosures/").content.decode()
    assert '<option value="2026Q3">2026年第三季度</option>' in page
    assert '<option value="2026-10">2026年10月</option>' in page
    secretary = world.user("yincheng_secretary")
    assert f'<option value="{secretary.pk}">{secretary.get_full_name()}</option>' in page

    def titles(query: str) -> list[str]:
        response = client.get(f"/workspace/disclosures/?{query}")
        assert response.status_code == 200
        return sorted(rows(response.content.decode()))

    assert titles("status=published") == ["已公布的通知"]
    assert titles("category=finance") == ["三季度财务"]
    assert titles("period=2026-10") == ["十月事务"]
    assert titles(f"who={secretary.pk}") == ["十月事务"]
    assert titles("status=draft&period=2026Q3") == ["三季度财务"]


def test_sorting_by_publication_and_by_deadline(world, client_for, in_yincheng):
    draft(world, title="草稿乙", obligation=obligation(code="A-1", due=date(2026, 12, 20)))
    draft(world, title="草稿甲", obligation=obligation(code="A-2", due=date(2026, 11, 10)))
    published(world, title="六月公布", on=date(2026, 6, 8), today=date(2026, 6, 1), planned=date(2026, 6, 8))
    published(world, title="七月公布", on=date(2026, 7, 8), today=date(2026, 7, 1), planned=date(2026, 7, 8))
    client = staff(client_for, "yincheng_handler")
    by_published = rows(client.get("/workspace/disclosures/?sort=published").content.decode())
    assert by_published[:2] == ["七月公布", "六月公布"]
    assert rows(client.get("/workspace/disclosures/?sort=due").content.decode())[:2] == ["草稿甲", "草稿乙"]
    page = client.get("/workspace/disclosures/").content.decode()
    assert rows(page)[0] == "七月公布"  # the latest change first
    assert "最近更新" in page and "公布日期" in page and "截止日期" in page


def test_a_row_shows_dates_in_chinese_and_flags_a_late_obligation(world, client_for, in_yincheng):
    today = timezone.localdate()
    late = obligation(code="CW-02", due=today - timedelta(days=30), status=ObligationStatus.OVERDUE)
    published(
        world,
        title="迟到的财务公开",
        obligation=late,
        on=today,
        today=today - timedelta(days=14),
        planned=today,
    )
    on_time = obligation(code="CW-03", due=today + timedelta(days=30))
    draft(world, title="按时的草稿", obligation=on_time)
    page = staff(client_for, "yincheng_handler").get("/workspace/disclosures/").content.decode()
    late_row, on_time_row = (
        page.split(f">{title}</a>")[1].split("</li>")[0] for title in ("迟到的财务公开", "按时的草稿")
    )
    assert f"公布:{zh_date(today)}" in late_row and f"截止:{zh_day(late.due_date)}" in late_row
    assert "逾期" in late_row and "逾期" not in on_time_row
    assert "未公布" in on_time_row and f"截止:{zh_day(on_time.due_date)}" in on_time_row


def test_pages_of_25_keep_the_filters_and_survive_any_page_number(world, client_for, in_yincheng):
    for n in range(30):
        draft(world, title=f"草稿{n:02d}")
    published(world, title="不在草稿里")
    client = staff(client_for, "yincheng_handler")
    first = client.get("/workspace/disclosures/?status=draft&q=草稿").content.decode()
    assert len(rows(first)) == 25 and "共 30 条" in first and "第 1 / 2 页" in first
    assert 'href="?status=draft&amp;q=%E8%8D%89%E7%A8%BF&amp;page=2"' in first
    second = client.get("/workspace/disclosures/?status=draft&q=草稿&page=2").content.decode()
    assert len(rows(second)) == 5 and "不在草稿里" not in second
    for junk in ("abc", "-1", "0", "99999", "1.5", "", "2" * 30):
        response = client.get(f"/workspace/disclosures/?status=draft&page={junk}")
        assert response.status_code == 200, junk
        assert len(rows(response.content.decode())) in (25, 5)


def test_an_empty_list_says_so_plainly(world, client_for, in_yincheng):
    client = staff(client_for, "yincheng_handler")
    assert "还没有公开内容。" in client.get("/workspace/disclosures/").content.decode()
    draft(world, title="唯一的草稿")
    page = client.get("/workspace/disclosures/?q=没有这个词").content.decode()
    assert "共 0 条" in page and "没有符合条件的公开内容" in page


def test_filter_values_that_cannot_be_are_named_in_chinese_and_left_out(world, client_for, in_yincheng):
    draft(world, title="草稿一")
    published(world, title="公布的")
    client = staff(client_for, "yincheng_handler")
    response = client.get(
        "/workspace/disclosures/?status=bogus&period=2026Q5&who=abc&category=nonsense&sort=zzz&q=公布"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "有筛选条件无法识别" in page and 'href="#id_status"' in page and 'href="#id_who"' in page
    assert rows(page) == ["公布的"]  # the words still apply
    other_community = world.user("yinnan_handler")
    refused = client.get(f"/workspace/disclosures/?who={other_community.pk}")
    assert refused.status_code == 400 and 'href="#id_who"' in refused.content.decode()


def test_a_status_tag_is_only_as_big_as_its_words(world):  # type: ignore[no-untyped-def]
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "gongkai.css").read_text()
    rule = re.search(r"\n\.tag \{([^}]*)\}", css)
    assert rule is not None
    for declaration in ("align-self: center", "flex: none", "white-space: nowrap", "max-width: max-content"):
        assert declaration in rule[1]


# --- obligations by urgency --------------------------------------------------------------------------


def test_open_obligations_come_overdue_first_then_due_soon_then_upcoming(world, in_yincheng):
    on = date(2026, 12, 8)  # a Tuesday; 2026's holidays are official
    obligation(code="UP", due=date(2026, 12, 22))
    obligation(code="SOON", due=date(2026, 12, 10))
    obligation(code="LATE", due=date(2026, 12, 1), status=ObligationStatus.OVERDUE)
    obligation(code="LATEST", due=date(2026, 11, 20), status=ObligationStatus.OVERDUE)
    obligation(code="TODAY", due=on)
    obligation(code="DONE", due=date(2026, 11, 1), status=ObligationStatus.ON_TIME)
    got = [(o.code, clock.state, clock.label) for o, clock in selectors.obligations_by_urgency(on=on)]
    assert got == [
        ("LATEST", ObligationStatus.OVERDUE, "逾期 12 个工作日"),
        ("LATE", ObligationStatus.OVERDUE, "逾期 5 个工作日"),
        ("TODAY", ObligationStatus.DUE_SOON, "今天截止"),
        ("SOON", ObligationStatus.DUE_SOON, "还剩 2 个工作日"),
        ("UP", ObligationStatus.UPCOMING, "还剩 10 个工作日"),
    ]


def test_a_deadline_past_on_a_friday_is_overdue_on_the_weekend_with_no_working_day_lost(world, in_yincheng):
    obligation(code="FRI", due=date(2026, 12, 4))
    [(_, clock)] = selectors.obligations_by_urgency(on=date(2026, 12, 5))
    assert clock.state == ObligationStatus.OVERDUE and clock.label == "已过截止日期"


def test_the_obligations_page_reads_by_urgency_with_chinese_deadlines(world, client_for, in_yincheng):
    today = timezone.localdate()
    late = obligation(code="LATE", due=today - timedelta(days=20), status=ObligationStatus.OVERDUE)
    ahead = obligation(code="AHEAD", due=today + timedelta(days=40), period="2026-10")
    page = staff(client_for, "yincheng_handler").get("/workspace/obligations/").content.decode()
    assert page.index("公开事项LATE") < page.index("公开事项AHEAD")
    assert page.index("<h2>已逾期") < page.index("公开事项LATE") < page.index("<h2>即将到期")
    assert page.index("<h2>未到期") < page.index("公开事项AHEAD")
    assert f"截止 {zh_day(late.due_date)}" in page and f"截止 {zh_day(ahead.due_date)}" in page
    assert re.search(r"逾期 \d+ 个工作日", page) and re.search(r"还剩 \d+ 个工作日", page)
    assert "(2026年第三季度)" in page and "(2026年10月)" in page
    every = staff(client_for, "yincheng_handler").get("/workspace/obligations/?status=bogus")
    assert every.status_code == 200 and "公开事项LATE" in every.content.decode()


def test_recording_an_event_says_its_deadline_in_chinese(world, client_for, in_yincheng):
    today = timezone.localdate()
    client = staff(client_for, "yincheng_handler")
    response = client.post(
        "/workspace/events/",
        {"code": "SW-10", "event_date": today.isoformat(), "description": "停水抢修"},
        follow=True,
    )
    recorded = Obligation.objects.get(code="SW-10", event_description="停水抢修")
    assert f"已登记,须在 {zh_day(recorded.due_date)} 前公开。" in response.content.decode()
