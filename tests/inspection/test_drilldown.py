"""The street office's look into one community: its obligations with deadline, publication date and
working days late, each published item read-only, the heat map's cells linking to a month's list,
and nothing of another street office's communities."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure.models import Disclosure, Obligation
from inspection import selectors, services
from tests.conftest import login
from tests.factories import draft, published_recently
from tests.inspection.test_compliance import make_history

pytestmark = pytest.mark.django_db


def street(login_name: str) -> Client:
    client = Client(HTTP_HOST="localhost")
    login(client, login_name)
    return client


def month_page(login_name: str, month: int) -> str:
    return (
        street(login_name).get(f"/inspection/communities/yincheng/?year=2026&month={month}").content.decode()
    )


def items(page: str) -> list[str]:
    """The obligations listed on the page, one text per row."""
    listing = page.split('id="obligations"', 1)[1].split("<h2>", 1)[0]
    return [re.sub(r"<[^>]+>|\s+", " ", li) for li in re.findall(r"<li>(.*?)</li>", listing, re.S)]


def test_lateness_is_counted_in_working_days_across_a_holiday():
    # due the day before National Day, published on the second working day after the seven days off
    before_holiday = Obligation(
        pk=1, due_date=date(2026, 9, 30), fulfilled_on=date(2026, 10, 9), status="late"
    )
    on_time = Obligation(pk=2, due_date=date(2026, 9, 30), fulfilled_on=date(2026, 9, 29), status="on_time")
    still_open = Obligation(pk=3, due_date=date(2026, 10, 9), status="overdue")
    not_yet = Obligation(pk=4, due_date=date(2026, 10, 20), status="upcoming")
    rows = selectors.obligations_lateness(
        [before_holiday, on_time, still_open, not_yet], today=date(2026, 10, 12)
    )
    assert [r.working_days_late for r in rows] == [2, None, 2, None]  # 10-10 is a 调休 working Saturday
    assert [r.unpublished for r in rows] == [False, False, True, False]


def test_the_late_item_shows_its_deadline_publication_date_and_days_late(world):
    make_history(world)
    with tenant_context(world.yincheng):
        late = Obligation.objects.get(code="SW-07", period="2026-05")
        on_time = Obligation.objects.get(code="SW-03", period="2026-05")
    page = (
        street("yinzhou_inspector")
        .get("/inspection/communities/yincheng/?year=2026&month=6")
        .content.decode()
    )
    row = next(text for text in items(page) if late.title in text)
    assert "截止 2026年6月10日" in row and "公布 2026年6月12日" in row and "逾期公开 2 个工作日" in row
    assert "(2026年5月)" in row
    fine = next(text for text in items(page) if on_time.title in text and "公布 2026年6月8日" in text)
    assert "按时公开" in fine and "工作日" not in fine
    assert "2026-06" not in page and "2026-05" not in page  # dates and periods in Chinese


def test_an_item_still_unpublished_counts_its_working_days_to_today(world):
    make_history(world)
    page = (
        street("yinzhou_inspector")
        .get("/inspection/communities/yincheng/?year=2026&month=5")
        .content.decode()
    )
    overdue = [text for text in items(page) if "尚未公布" in text]
    assert overdue and all(re.search(r"已逾期 \d+ 个工作日", text) for text in overdue)


def test_a_heat_map_cell_links_to_that_communitys_month(world):
    make_history(world)
    services.compliance_refresh(community=world.yincheng, on=date(2026, 7, 1), years=[2026])
    inspector = street("yinzhou_inspector")
    dashboard = inspector.get("/inspection/?year=2026").content.decode()
    link = "/inspection/communities/yincheng/?year=2026&amp;month=5"
    assert f'href="{link}"' in dashboard
    month = inspector.get(link.replace("&amp;", "&")).content.decode()
    with tenant_context(world.yincheng):
        may = list(Obligation.objects.filter(due_date__year=2026, due_date__month=5))
        june = list(Obligation.objects.filter(due_date__year=2026, due_date__month=6))
    listed = items(month)
    assert may and len(listed) == len(may)
    assert all("截止 2026年5月" in text for text in listed)
    assert "2026年5月到期的公开任务" in month
    whole_year = items(inspector.get("/inspection/communities/yincheng/?year=2026").content.decode())
    assert len(whole_year) >= len(may) + len(june)


def test_a_year_of_items_is_paged_and_the_pages_keep_the_month(world, monkeypatch):
    from inspection.views import drilldown

    make_history(world)
    monkeypatch.setattr(drilldown, "OBLIGATIONS_PAGE", 2)
    inspector = street("yinzhou_inspector")
    first = inspector.get("/inspection/communities/yincheng/?year=2026&month=5").content.decode()
    assert len(items(first)) == 2 and "第 1 / " in first
    assert "?year=2026&amp;month=5&amp;page=2" in first
    second = inspector.get("/inspection/communities/yincheng/?year=2026&month=5&page=2").content.decode()
    assert items(second) and not set(items(second)) & set(items(first))


def test_a_bad_month_is_a_chinese_error_not_a_failure(world):
    response = street("yinzhou_inspector").get("/inspection/communities/yincheng/?year=2026&month=13")
    assert response.status_code == 400 and "请从列表中选择月份" in response.content.decode()
    response = street("yinzhou_inspector").get("/inspection/communities/yincheng/?year=abc")
    assert response.status_code == 400 and "请从列表中选择年度" in response.content.decode()


def test_each_published_item_opens_read_only(world):
    make_history(world)
    with tenant_context(world.yincheng):
        late = Obligation.objects.get(code="SW-07", period="2026-05")
        unpublished = draft(world, title="还在起草的通知")
    inspector = street("yinzhou_inspector")
    month = inspector.get("/inspection/communities/yincheng/?year=2026&month=6").content.decode()
    url = f"/inspection/communities/yincheng/disclosures/{late.fulfilled_by_id}/"
    assert f'href="{url}"' in month
    page = inspector.get(url).content.decode()
    assert "5月初审证明事项" in page and "只读" in page
    assert "公布日期" in page and "2026年6月12日" in page and "截止日期" in page
    assert 'method="post"' not in page.split("<main", 1)[1].split("</main>", 1)[0]
    assert inspector.get(f"/inspection/communities/yincheng/disclosures/{unpublished.pk}/").status_code == 404


def test_another_street_offices_community_is_not_found(world):
    make_history(world)
    with tenant_context(world.yincheng):
        item = Disclosure.objects.filter(status="published").first()
    assert item is not None
    other = street("dongguan_inspector")
    assert other.get("/inspection/communities/yincheng/?year=2026&month=5").status_code == 404
    assert other.get(f"/inspection/communities/yincheng/disclosures/{item.pk}/").status_code == 404
    assert other.get("/inspection/communities/dongfeng/?year=2026&month=5").status_code == 200
    assert Client(HTTP_HOST="localhost").get("/inspection/communities/yincheng/").status_code == 302


def test_a_party_first_item_is_read_before_it_opens_to_everyone(world):
    today = timezone.localdate()
    with tenant_context(world.yincheng):
        item = published_recently(
            world, title="党内先行的通知", audience="party_first", public_from=today + timedelta(days=3)
        )
    page = street("yinzhou_inspector").get(f"/inspection/communities/yincheng/disclosures/{item.pk}/")
    assert page.status_code == 200
    assert "党内先行的通知" in page.content.decode() and "先党内后党外" in page.content.decode()
