"""开始起草 and 集体审核 in a real browser, at phone (360 px) and desktop width: the editor opens from the
obligations page filled in from the catalogue item and the previous quarter, saying what came from
where; a reviewer sees how many of the group have agreed. In a community of the test's own (its
supervision group grows to three, which no other browser test may see)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context
from playwright.sync_api import ViewportSize

from disclosure import services
from disclosure.models import Obligation
from tenants import services as tenant_services
from tenants.choices import CommunityRole
from tests.browser import DESKTOP, chromium, shoot, sign_in
from tests.factories import BY_LOGIN, PASSWORD, UserFactory, published, submitted, throwaway_community

pytestmark = pytest.mark.browser
CODE = "tplx"
PHONE_360: ViewportSize = {"width": 360, "height": 780}


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with chromium() as b:
        yield b


@pytest.fixture
def community(committed):  # type: ignore[no-untyped-def]
    """Its own quarterly statement, the older of the last two quarters published (closing balance
    8,765.40); three members in the supervision group; one notice sent for review, approved by one."""
    today = timezone.localdate()
    with throwaway_community(CODE) as (community, users), tenant_context(community):
        item = services.local_item_add(
            actor=users["secretary"],
            community=community,
            code="TX-01",
            title="社区财务收支情况(逐笔明细)",
            category="finance",
            cadence="quarterly",
            content_type="finance",
            valid_from=today - timedelta(days=400),
        )
        services.obligations_generate(community=community, on=today, since=today - timedelta(days=200))
        older, newer = Obligation.objects.filter(code=item.code).order_by("period_start")[:2]
        on = older.due_date
        published(
            BY_LOGIN,
            community=CODE,
            on=on,
            today=on - timedelta(days=14),
            planned=on,
            obligation=older,
            title=f"{community.name}{older.period_zh}财务收支情况",
            category="finance",
            content_type="finance",
            body="",
            data={
                "period": older.period_zh,
                "opening_balance": "8000.00",
                "closing_balance": "8765.40",
                "lines": [
                    {
                        "date": older.period_start.isoformat(),
                        "description": "上级拨付社区办公经费",
                        "direction": "income",
                        "category": "办公经费",
                        "amount": "765.40",
                        "voucher": "记-001",
                    }
                ],
            },
        )
        for n in (2, 3):  # the group grows to three: two must agree from now on
            user = UserFactory.create(username=f"{CODE}_supervisor{n}", real_name=f"监督员{n}")
            tenant_services.membership_grant(user=user, community=community, role=CommunityRole.SUPERVISOR)
        notice = submitted(
            BY_LOGIN,
            community=CODE,
            today=today,
            planned=today + timedelta(days=10),
            title="关于加装电梯意见征集结果的公告",
        )
        services.disclosure_review(
            community=community, disclosure=notice, actor=users["supervisor"], decision="approve"
        )
        yield {"newer": newer, "notice": notice}


def open_as(browser, web_server, login: str, size: ViewportSize):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=size, locale="zh-CN")
    return context, sign_in(context.new_page(), web_server.format(f"{CODE}."), login, PASSWORD)


@pytest.mark.parametrize(("size", "name"), [(PHONE_360, "phone"), (DESKTOP, "desktop")])
def test_the_editor_opens_filled_in_from_the_obligations_page(browser, web_server, community, size, name):  # type: ignore[no-untyped-def]
    context, page = open_as(browser, web_server, f"{CODE}_handler", size)
    try:
        newer: Obligation = community["newer"]
        page.goto(web_server.format(f"{CODE}.") + "/workspace/obligations/?status=all")
        page.locator("li", has_text=newer.period_zh).get_by_role("link", name="开始起草").click()
        assert page.get_by_label("标题").input_value() == f"{CODE} 社区{newer.period_zh}财务收支情况"
        assert page.get_by_label("期初余额(元)").input_value() == "8765.40"
        notes = page.locator(".prefill").inner_text()
        assert "期初余额 8,765.40 元" in notes and "收支明细没有带入" in notes
        shoot(page, f"staff-editor-prefilled-{name}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"], "the page scrolls sideways"
    finally:
        context.close()


@pytest.mark.parametrize(("size", "name"), [(PHONE_360, "phone"), (DESKTOP, "desktop")])
def test_a_reviewer_sees_how_many_of_the_group_have_agreed(browser, web_server, community, size, name):  # type: ignore[no-untyped-def]
    context, page = open_as(browser, web_server, f"{CODE}_supervisor2", size)
    try:
        base = web_server.format(f"{CODE}.")
        page.goto(f"{base}/workspace/disclosures/{community['notice'].pk}/")
        assert "已有 1/2 名审核人同意" in page.locator(".tracker").inner_text()
        shoot(page, f"staff-review-tracker-{name}")
        page.get_by_role("link", name="核对内容并审核").click()
        assert "已有 1/2 名审核人同意" in page.locator("main").inner_text()
        shoot(page, f"staff-review-confirm-{name}")
    finally:
        context.close()
