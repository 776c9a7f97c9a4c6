"""The escalation ladder walked in the browser (000 第十九条 责令整改 → 诫勉谈话 → 纪律处分): 银新's handler
answers an order on a phone with a photo, the inspector sends it back twice, so it goes to the leader,
who records the 诫勉谈话 with the signed minutes, publishes a 通报批评 and records the referral; the
community sees every step, and the criticism is on its staff's page. Real server, real chromium."""

import re
from pathlib import Path

import pytest

from inspection import services
from inspection.choices import RectificationStatus
from inspection.models import Admonishment, Rectification
from tenants.audit import audit_entries
from tenants.models import Community, User
from tests.browser import DESKTOP, PHONE, chromium, no_sideways_scroll, shoot, sign_in
from tests.factories import PASSWORD, PDF, PNG

pytestmark = pytest.mark.browser
ISSUES = "公开栏财务只公布总数(问责进程浏览器测试)"


@pytest.fixture
def order(committed):
    made = services.rectification_issue(
        community=Community.objects.get(schema_name="yinxin"),
        source="manual",
        issues=ISSUES,
        actor=User.objects.get(username="yinzhou_inspector"),
    )
    yield made
    for found in Rectification.objects.filter(issues=ISSUES):
        Admonishment.objects.filter(rectification=found).delete()
        found.files.all().delete()
        found.events.all().delete()
        found.delete()


def test_the_community_and_the_street_office_walk_the_ladder_from_order_to_referral(
    web_server, order, tmp_path: Path
):
    base, community = web_server.format(""), web_server.format("yinxin.")
    photo, minutes = tmp_path / "公示栏.png", tmp_path / "谈话记录.pdf"
    photo.write_bytes(PNG)
    minutes.write_bytes(PDF)
    with chromium() as browser:  # closing it closes every context the walk opened
        walk(browser, base, community, order, photo, minutes)


def walk(browser, base, community, order, photo, minutes):  # type: ignore[no-untyped-def]
    phone = browser.new_context(viewport=PHONE, locale="zh-CN")
    desk = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    handler = sign_in(phone.new_page(), community, "yinxin_handler", PASSWORD)
    inspector = sign_in(desk.new_page(), base, "yinzhou_inspector", PASSWORD)
    page = f"/workspace/inspection/rectifications/{order.pk}/"
    for n in (1, 2):
        handler.goto(community + page)
        handler.get_by_label("整改情况").fill(f"第 {n} 次:已在公开栏补贴财务收支。")
        if n == 1:
            handler.get_by_label("佐证材料(照片或 PDF,可多选)").set_input_files(str(photo))
        handler.get_by_role("button", name="提交给街道").click()
        assert "整改情况已反馈街道" in handler.content()
        inspector.goto(base + f"/inspection/rectifications/{order.pk}/")
        inspector.get_by_label("未整改到位,退回").check()
        inspector.get_by_label("说明").fill("仍没有逐笔明细。")
        inspector.get_by_role("button", name="提交核查结论").click()
        assert "核查结论已记录" in inspector.content()
    order.refresh_from_db()
    assert order.status == RectificationStatus.ESCALATED and order.reopen_count == 2

    leader_desk = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    leader = sign_in(leader_desk.new_page(), base, "yinzhou_leader", PASSWORD)
    leader.goto(base + "/inspection/rectifications/")
    leader.get_by_role("link", name="银新社区").first.click()  # on the leader's worklist
    leader.get_by_text("记录诫勉谈话", exact=True).first.click()  # opens the form
    leader.get_by_role("button", name="记录诫勉谈话").click()  # empty: the summary says what to do
    assert "请上传签字的谈话记录扫描件" in leader.locator(".error-summary").inner_text()
    leader.get_by_label("谈话对象(姓名)").fill("银新书记")
    leader.get_by_label("谈话对象职务").fill("社区党组织书记")
    leader.get_by_label("谈话日期").fill(order.created_at.date().isoformat())
    leader.get_by_label("谈话地点").fill("街道党工委会议室")
    leader.get_by_label("谈话人").fill("街道党工委副书记")
    leader.get_by_label("参加人员").fill("考核检查员")
    leader.get_by_label(re.compile("^谈话记录")).fill("指出财务公开只有总数的问题,要求一周内补齐。")
    leader.get_by_label("签字的谈话记录(扫描件)").set_input_files(str(minutes))
    leader.get_by_role("button", name="记录诫勉谈话").click()
    assert "诫勉谈话已记录" in leader.content()
    leader.get_by_label("通报批评内容").fill("银新社区两次整改不到位,予以通报批评。")
    leader.get_by_role("button", name="发布通报批评").click()
    assert "通报批评已发布" in leader.content()
    leader.get_by_label("移送给").fill("街道纪工委")
    leader.get_by_label("移送日期").fill(order.created_at.date().isoformat())
    leader.get_by_role("button", name="记录移送").click()
    assert "移送纪律处分已记录" in leader.content()
    ladder = leader.locator(".ladder").inner_text()
    for step in ("下达整改通知", "上报包社区领导", "诫勉谈话", "通报批评", "移送纪律处分"):
        assert step in ladder, step
    shoot(leader, "ladder-order-desktop")

    handler.goto(community + page)
    ladder = handler.locator(".ladder").inner_text()
    assert "退回重新整改 2 次" in ladder and "移送街道纪工委" in ladder and "公示栏.png" in ladder
    shoot(handler, "ladder-order-phone")
    assert no_sideways_scroll(handler)
    handler.goto(community + "/workspace/inspection/")
    assert "银新社区两次整改不到位" in handler.locator("#criticisms + .card").inner_text()

    steps = [e.to_state for e in audit_entries(order)]
    assert steps[-3:] == ["admonished", "criticized", "referred"] and steps.count("escalated") == 1
    for size, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
        context = browser.new_context(viewport=size, locale="zh-CN")
        staff = sign_in(context.new_page(), base, "yinzhou_leader", PASSWORD)
        staff.goto(base + f"/inspection/rectifications/{order.pk}/")
        shoot(staff, f"ladder-street-{label}")
        assert no_sideways_scroll(staff)
