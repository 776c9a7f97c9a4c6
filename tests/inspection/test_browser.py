"""The inspector's paths in a real browser: plan a spot check, record findings on a phone, and take
the rectification it opens through the community's answer to closing."""

import pytest
from django.utils import timezone

from inspection.models import Rectification, SpotCheck
from tests.browser import PHONE, chromium, shoot, sign_in
from tests.factories import PASSWORD
from workdays.periods import Span, period_of

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def open_as(browser, web_server, login_name, site=""):
    context = browser.new_context(
        viewport=PHONE,
        locale="zh-CN",
        geolocation={"latitude": 38.4872, "longitude": 106.2309},
        permissions=["geolocation"],
    )
    return sign_in(context.new_page(), web_server.format(site), login_name, PASSWORD)


def test_plan_record_and_close(browser, web_server, committed):
    inspector = open_as(browser, web_server, "yinzhou_inspector")
    inspector.goto(web_server.format("") + "/inspection/spot-checks/")
    inspector.get_by_text("随机抽取社区").click()
    period = period_of(Span.MONTH, timezone.localdate())
    assert inspector.get_by_label("所属期").input_value() == period.label  # this month unless told
    inspector.get_by_label("抽取社区数").fill("3")
    inspector.get_by_role("button", name="抽取").click()
    assert "已抽取" in inspector.locator(".messages").inner_text()
    shoot(inspector, "inspector-spot-checks-phone")

    check = SpotCheck.objects.get(draw__period=period.label, community__schema_name="yinxin")
    inspector.goto(web_server.format("") + f"/inspection/spot-checks/{check.pk}/")
    inspector.locator("[data-geostatus]", has_text="已记录位置").wait_for()
    for name, value in [("board_current", "no"), ("display_window_kept", "yes"), ("opinion_box", "yes")]:
        inspector.locator(f"input[name={name}][value={value}]").check()
    inspector.get_by_label("发现的问题").fill("公开栏仍是上月内容")
    shoot(inspector, "inspector-record-phone")
    inspector.get_by_role("button", name="保存暗访结果").click()
    assert "暗访结果已记录" in inspector.locator(".messages").inner_text()
    check.refresh_from_db()
    assert check.status == "completed" and check.latitude is not None

    order = Rectification.objects.get(spot_check=check)
    handler = open_as(browser, web_server, "yinxin_handler", "yinxin.")
    handler.goto(web_server.format("yinxin.") + f"/workspace/inspection/rectifications/{order.pk}/")
    handler.get_by_label("整改情况").fill("已更换为本月公开内容,并拍照留存")
    handler.get_by_role("button", name="提交给街道").click()
    assert "整改情况已反馈街道" in handler.locator(".messages").inner_text()

    inspector.goto(web_server.format("") + f"/inspection/rectifications/{order.pk}/")
    inspector.get_by_label("整改到位,销号").check()
    inspector.get_by_role("button", name="提交核查结论").click()
    assert "核查结论已记录" in inspector.locator(".messages").inner_text()
    shoot(inspector, "inspector-rectification-closed-phone")
    order.refresh_from_db()
    assert order.status == "closed"
