"""The notifications page in a real browser at phone and desktop width: nothing wider than the screen,
a notification opened by a tap is read and leads to its page. Real server, real chromium, in 银新社区
(the browser tests' community); the rows it writes are removed afterwards."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from communities.models import Notification
from tenants.models import Community, User
from tests.browser import DESKTOP, PHONE, chromium, shoot, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser
SITE = "yinxin."
MARK = "(通知页浏览器测试)"


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def notified(committed) -> Iterator[Community]:
    """yinxin's handler has a step waiting, a long one read, and one already done by someone else."""
    community = Community.objects.get(schema_name="yinxin")
    handler = User.objects.get(username="yinxin_handler")
    now = timezone.now()
    with tenant_context(community):
        Notification.objects.filter(title__endswith=MARK).delete()
        Notification.objects.create(
            recipient=handler,
            title=f"请签字:2026年第三季度社区财务收支情况公开{MARK}",
            body="请以经办人的身份签字确认。",
            url="/workspace/obligations/",
            topic="browser:sign",
        )
        Notification.objects.create(
            recipient=handler,
            title=f"新的居民询问(“路灯维修费用公开”),须在 12月15日(周二) 前答复{MARK}",
            body="公开的维修费只有总数 4,800 元,没有列出更换了几盏灯、每盏多少钱,请逐项公开。" * 2,
            url="/workspace/feedback/",
            topic="browser:answer",
            read_at=now,
        )
        Notification.objects.create(
            recipient=handler,
            title=f"请审核:11月社区事务公开{MARK}",
            url="/workspace/disclosures/",
            topic="browser:review",
            resolved_at=now + timedelta(minutes=1),
        )
    yield community
    with tenant_context(community):
        Notification.objects.filter(title__endswith=MARK).delete()


@pytest.mark.parametrize("size_name,size", [("phone", PHONE), ("desktop", DESKTOP)])
def test_the_notifications_page_fits_and_a_tap_reads_and_follows(
    web_server, browser, notified, size_name, size
):
    context = browser.new_context(viewport=size, locale="zh-CN")
    base = web_server.format(SITE)
    page = sign_in(context.new_page(), base, "yinxin_handler", PASSWORD)

    page.goto(base + "/workspace/notifications/")
    main = page.locator("main")
    assert "请签字:2026年第三季度" in main.inner_text() and "请审核:11月" not in main.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(page, f"notifications-active-{size_name}")

    page.get_by_role("link", name="全部").click()
    assert "已办结" in page.locator("li", has_text="请审核:11月").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(page, f"notifications-all-{size_name}")

    page.get_by_role("button", name=f"请签字:2026年第三季度社区财务收支情况公开{MARK}").click()
    page.wait_for_url("**/workspace/obligations/")
    with tenant_context(notified):
        assert Notification.objects.get(topic="browser:sign").read_at is not None
    context.close()
    with tenant_context(notified):  # the next size starts unread again
        Notification.objects.filter(topic="browser:sign").update(read_at=None)
