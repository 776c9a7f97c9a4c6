"""The inspector's pages and the community's view of them."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from inspection import services
from inspection.models import Rectification, SpotCheck
from tests.conftest import login

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def as_user(client_for, login_name, code=None):
    client = client_for(code)
    login(client, login_name)
    return client


def test_the_visited_community_cannot_see_an_open_spot_check(world, client_for):
    draw = services.spot_check_draw(
        street_office=world.yinzhou,
        period="2026年11月",
        sample_size=3,
        actor=world.user("yinzhou_inspector"),
        seed="fixed",
    )
    check = SpotCheck.objects.get(draw=draw, community=world.yincheng)
    secretary = as_user(client_for, "yincheng_secretary", "yincheng")
    assert "2026年11月" not in secretary.get("/workspace/inspection/").content.decode()
    services.spot_check_record(
        spot_check=check,
        actor=world.user("yinzhou_inspector"),
        visited_at=datetime(2026, 11, 20, 9, tzinfo=TZ),
        checklist={"board_current": True, "display_window_kept": True, "opinion_box": True},
    )
    assert "2026年11月" in secretary.get("/workspace/inspection/").content.decode()


def test_pages_are_for_the_street_offices_staff(world, client_for):
    for path in ("/inspection/spot-checks/", "/inspection/rectifications/"):
        assert as_user(client_for, "yinzhou_inspector").get(path).status_code == 200
        assert client_for(None).get(path).status_code == 302
    order = services.rectification_issue(
        community=world.yincheng, source="manual", issues="测试问题", actor=world.user("yinzhou_inspector")
    )
    assert (
        as_user(client_for, "dongguan_inspector").get(f"/inspection/rectifications/{order.pk}/").status_code
        == 404
    )
    other = as_user(client_for, "yinnan_secretary", "yinnan")
    assert other.get(f"/workspace/inspection/rectifications/{order.pk}/").status_code == 404


def test_a_bad_draw_says_why_in_chinese(world, client_for):
    inspector = as_user(client_for, "yinzhou_inspector")
    response = inspector.post(
        "/inspection/spot-checks/",
        {"period": "2026年11月", "sample_size": 9, "inspector": world.user("yinzhou_inspector").pk},
    )
    assert response.status_code == 400 and "抽取数量应在 1 到 3 之间" in response.content.decode()


def test_voting_page_refuses_a_wrong_code_and_accepts_a_right_one_once(world, client_for):
    survey = services.survey_open(
        community=world.yincheng, period="2026年度", title="", codes=2, actor=world.user("yinzhou_inspector")
    )
    code = survey.codes.first().code
    resident = client_for("yincheng")
    bad = resident.post("/vote/", {"code": "WRONG123", "answer": "satisfied"})
    assert bad.status_code == 400 and "投票码无效" in bad.content.decode()
    assert resident.post("/vote/", {"code": code, "answer": "basic"}).status_code == 200
    again = resident.post("/vote/", {"code": code, "answer": "satisfied"})
    assert again.status_code == 400 and "已经投过票" in again.content.decode()
    assert Rectification.objects.count() == 0


def test_open_print_and_close_a_survey_through_the_pages(world, client_for):
    inspector = as_user(client_for, "yinzhou_inspector")
    response = inspector.post(
        "/inspection/surveys/", {"community": world.yinnan.pk, "period": "2026年度", "codes": 3}
    )
    assert response.status_code == 302
    detail = response["Location"]
    slips = inspector.get(detail + "slips/").content.decode()
    from inspection.models import Survey

    survey = Survey.objects.get(community=world.yinnan)
    codes = list(survey.codes.values_list("code", flat=True))
    assert all(code in slips for code in codes) and "yinnan.localhost" in slips
    resident = client_for("yinnan")
    resident.post("/vote/", {"code": codes[0], "answer": "unsatisfied"})
    resident.post("/vote/", {"code": codes[1], "answer": "satisfied"})
    inspector.post(detail)
    survey.refresh_from_db()
    assert survey.satisfaction_rate == 50 and Rectification.objects.filter(survey=survey).exists()
    assert "低于 90%" in inspector.get(detail).content.decode()
    assert as_user(client_for, "dongguan_inspector").get(detail).status_code == 404
