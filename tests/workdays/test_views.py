"""The working-day calculator page, on the street office's site and on a community's."""

from __future__ import annotations

from datetime import date

import pytest

from workdays import services

pytestmark = pytest.mark.django_db


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_page_shows_the_result_with_weekday_and_named_holidays(world, client_for):
    response = client_for(None).get("/calendar/", {"start": "2026-09-24", "days": "5"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026年10月9日 星期五" in page
    assert "中秋" in page and "国庆节" in page
    assert "正式" in page and "暂定" not in page


def test_page_on_a_community_host_warns_that_2027_is_provisional(world, client_for):
    response = client_for("yincheng").get("/calendar/", {"start": "2027-01-08", "days": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2027年1月11日 星期一" in page
    assert "暂定" in page
    assert "2027年的国家法定节假日安排尚未录入" in page


def test_page_names_a_skipped_day_by_the_override_reason(world, client_for):
    services.calendar_override_set(day=d("2027-01-01"), is_working_day=False, reason="2027年元旦", actor=None)
    page = client_for("yinnan").get("/calendar/", {"start": "2027-01-01", "days": "0"}).content.decode()
    assert "2027年1月4日 星期一" in page and "2027年元旦" in page


def test_page_without_input_computes_ten_working_days_from_today(world, client_for):
    from django.utils import timezone

    page = client_for(None).get("/calendar/").content.decode()
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in page and 'value="10"' in page
    assert "第 10 个工作日是" in page


@pytest.mark.parametrize(
    ("query", "message", "kept"),
    [
        ({"start": "2026-13-01", "days": "10"}, "起始日期应按“年-月-日”填写", 'value="2026-13-01"'),
        ({"start": "2026-10-01", "days": "-1"}, "工作日数不能小于 0", 'value="-1"'),
        ({"start": "", "days": "abc"}, "请填写起始日期", 'value="abc"'),
        ({"start": "2199-12-30", "days": "5"}, "超出了2199年年底", 'value="2199-12-30"'),
    ],
)
def test_page_with_bad_input_shows_a_chinese_error_and_keeps_what_was_typed(
    world, client_for, query, message, kept
):
    response = client_for("yincheng").get("/calendar/", query)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and kept in page
    assert "结果日期" not in page
