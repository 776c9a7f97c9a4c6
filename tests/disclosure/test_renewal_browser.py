"""A fixed item due for renewal in a real browser, at phone and desktop width: the obligations page
offers both ways, a confirmation without a note comes back with the error summary, and one with a note
extends the display. In 银新社区, which no transactional test counts in; each run its own local item."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure import services
from disclosure.models import DisplayExtension, Obligation
from disclosure.services.obligations import obligation_from, renewals_generate
from tenants.models import Community, User
from tests.browser import DESKTOP, PHONE, chromium, shoot, sign_in
from tests.factories import BY_LOGIN, PASSWORD, published

pytestmark = pytest.mark.browser
SITE = "yinxin."


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with chromium() as b:
        yield b


@pytest.fixture
def renewal(committed) -> Obligation:  # type: ignore[no-untyped-def]
    """A fixed item of 银新's own catalogue, published 360 days ago: its display ends in five days."""
    tag = uuid.uuid4().hex[:4].upper()
    today = timezone.localdate()
    community = Community.objects.get(schema_name="yinxin")
    with tenant_context(community):
        item = services.local_item_add(
            actor=User.objects.get(username="yinxin_secretary"),
            community=community,
            code=f"YX-{tag}",
            title=f"社区服务电话一览({tag})",
            category="service",
            cadence="fixed",
            content_type="notice",
            min_display_days=365,
            valid_from=today - timedelta(days=400),
        )
        start = today - timedelta(days=400)
        first = obligation_from(
            Obligation.Source.LOCAL,
            item,
            period="长期",
            start=start,
            end=start,
            base_due=start + timedelta(10),
        )
        on = today - timedelta(days=360)
        published(
            BY_LOGIN,
            community="yinxin",
            on=on,
            today=on - timedelta(days=14),
            planned=on,
            obligation=first,
            title=item.title,
            category=item.category,
            body="<p>居委会值班电话 0931-1234567;物业维修 0931-7654321。</p>",
        )
        renewals_generate(community=community, on=today)
        return Obligation.objects.get(code=item.code, renews__isnull=False)


def open_as(browser, web_server, login: str, size):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=size, locale="zh-CN")
    return context, sign_in(context.new_page(), web_server.format(SITE), login, PASSWORD)


def test_a_renewal_is_confirmed_with_a_note_on_a_phone_and_shown_on_a_desktop(browser, web_server, renewal):  # type: ignore[no-untyped-def]
    base = web_server.format(SITE)
    context, page = open_as(browser, web_server, "yinxin_director", DESKTOP)
    page.goto(base + f"/workspace/obligations/{renewal.pk}/renew/")
    assert page.get_by_role("heading", name="固定公开内容续期").is_visible()
    assert page.get_by_role("button", name="修改后重新公布").is_visible()
    shoot(page, "renewal-page-desktop")
    page.goto(base + "/workspace/obligations/")
    shoot(page, "renewal-obligations-desktop")
    context.close()

    context, page = open_as(browser, web_server, "yinxin_director", PHONE)
    page.goto(base + "/workspace/obligations/")
    row = page.locator("li.renewal", has_text=renewal.title)
    assert row.get_by_role("button", name="修改后重新公布").is_visible()
    row.get_by_text("内容无变化,确认续期").click()
    shoot(page, "renewal-obligations-phone")
    row.get_by_role("button", name="确认续期").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    assert summary.is_visible() and "请填写核对说明" in summary.inner_text()
    shoot(page, "renewal-error-phone")
    page.get_by_label("核对说明").fill("已逐项核对,电话号码均无变化")
    page.get_by_role("button", name="确认内容无变化,续期").click()
    page.wait_for_load_state()
    assert page.url.endswith("/workspace/obligations/")
    assert "公示期延至" in page.locator("body").inner_text()
    assert page.locator("li.renewal", has_text=renewal.title).count() == 0
    context.close()
    with tenant_context(Community.objects.get(schema_name="yinxin")):
        extension = DisplayExtension.objects.get(obligation=renewal)
        assert extension.note == "已逐项核对,电话号码均无变化"
