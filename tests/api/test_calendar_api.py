"""GET /api/v1/calendar/working-days on the base domain, and the API's one error format (RFC 9457)."""

from __future__ import annotations

from datetime import date

import pytest

from workdays import services

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendar/working-days"


def test_answers_the_date_the_flag_and_the_named_skipped_days(world, client_for):
    response = client_for(None).get(URL, {"start": "2026-09-24", "days": "5"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "start": "2026-09-24",
        "days": 5,
        "date": "2026-10-09",
        "provisional": False,
        "skipped": [
            {"date": "2026-09-25", "name": "中秋"},
            {"date": "2026-09-26", "name": "中秋"},
            {"date": "2026-09-27", "name": "中秋"},
            *({"date": f"2026-10-0{n}", "name": "国庆节"} for n in range(1, 8)),
        ],
    }


def test_a_2027_answer_is_provisional_and_names_overrides_and_weekends(world, client_for):
    services.calendar_override_set(day=date(2027, 1, 1), is_working_day=False, reason="元旦", actor=None)
    body = client_for(None).get(URL, {"start": "2026-12-31", "days": "1"}).json()
    assert body["date"] == "2027-01-04"
    assert body["provisional"] is True
    assert body["skipped"] == [
        {"date": "2027-01-01", "name": "元旦"},
        {"date": "2027-01-02", "name": "周末"},
        {"date": "2027-01-03", "name": "周末"},
    ]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"start": "2026-10-01", "days": "-1"}, "days", "不能小于 0"),
        ({"start": "2026-13-01", "days": "5"}, "start", "格式应为 YYYY-MM-DD"),
        ({"days": "5"}, "start", "缺少起始日期"),
        ({"start": "1899-12-31", "days": "5"}, "start", "1900年至2199年"),
    ],
)
def test_bad_input_is_a_400_problem_in_chinese_with_the_field(world, client_for, query, field, message):
    response = client_for(None).get(URL, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "about:blank"
    assert body["status"] == 400
    assert body["title"] == "请求有误"
    assert message in body["detail"]
    assert list(body["errors"]) == [field]
    assert message in body["errors"][field][0]


def test_a_result_beyond_2199_is_a_problem_too_not_a_500(world, client_for):
    response = client_for(None).get(URL, {"start": "2199-12-30", "days": "5"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert "2199年" in body["detail"] and body["errors"] == {}


def test_other_api_errors_share_the_format(world, client_for):
    response = client_for(None).post(URL, {"start": "2026-10-01", "days": "1"})
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 405


def test_the_api_lives_on_the_base_domain_only(world, client_for):
    assert client_for("yincheng").get(URL, {"start": "2026-09-24", "days": "5"}).status_code == 404
