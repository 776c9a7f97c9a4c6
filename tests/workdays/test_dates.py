from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template

from workdays import dates


def test_dates_in_chinese_forms():
    assert dates.zh_date(date(2026, 12, 8)) == "2026年12月8日"
    assert dates.zh_date(date(2026, 12, 8), year=False) == "12月8日"
    assert dates.zh_day(date(2026, 12, 8), today=date(2026, 12, 1)) == "12月8日(周二)"
    assert dates.zh_day(date(2027, 1, 4), today=date(2026, 12, 1)) == "2027年1月4日(周一)"
    shanghai = ZoneInfo("Asia/Shanghai")
    assert dates.zh_datetime(datetime(2026, 12, 8, 14, 5, tzinfo=shanghai)) == "2026年12月8日 14:05"
    assert dates.zh_date(None) == ""


def test_filters_render_periods_and_dates():
    out = Template(
        "{% load zh_dates %}{{ p|zh_period }}|{{ q|zh_period }}|{{ m|zh_period }}"
        "|{{ d|zh_date }}|{{ x|zh_period }}"
    ).render(Context({"p": "2026Q3", "q": "2026-10", "m": "2026H1", "d": date(2026, 7, 3), "x": "长期"}))
    assert out == "2026年第三季度|2026年10月|2026年上半年|2026年7月3日|长期"


def test_a_date_kept_as_text_in_structured_content_is_written_the_same_way():
    assert dates.zh_date("2026-07-01") == "2026年7月1日"
    assert dates.zh_date("2026-07-01", year=False) == "7月1日"
    assert dates.zh_date("七月初") == "七月初"  # typed text stays as typed
    assert dates.zh_date("") == ""
    out = Template("{% load zh_dates %}{{ d|zh_date }}|{{ d|zh_date_short }}").render(
        Context({"d": "2026-10-08"})
    )
    assert out == "2026年10月8日|10月8日"
