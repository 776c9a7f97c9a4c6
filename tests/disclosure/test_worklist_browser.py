"""待我办理 and the tracker in a real browser, at phone and desktop width, for each community role; and a
draft taking several files through its page. In 银新社区, which no transactional test counts in."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure import services
from tenants.models import Community, User
from tests.browser import DESKTOP, PHONE, chromium, shoot, sign_in
from tests.factories import PASSWORD, PDF, png_unique

pytestmark = pytest.mark.browser
SITE = "yinxin."
ROLES = ("secretary", "director", "deputy", "handler", "supervisor", "finance", "representative")


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with chromium() as b:
        yield b


def user(login: str) -> User:
    return User.objects.get(username=login)


@pytest.fixture
def waiting(committed):  # type: ignore[no-untyped-def]
    """In 银新: one item waiting for review, one approved and signed by the secretary only, one draft."""
    tag = uuid.uuid4().hex[:4]
    today = timezone.localdate()
    community = Community.objects.get(schema_name="yinxin")
    with tenant_context(community):
        handler = user("yinxin_handler")

        def new(title: str):  # type: ignore[no-untyped-def]
            return services.disclosure_create(
                community=community,
                actor=handler,
                title=title,
                category="affairs",
                body="<p>社区道路维修工程已完工,现将费用公开。</p>",
            )

        draft = new(f"道路维修费用公开 {tag}")
        to_review = new(f"停车位分配方案 {tag}")
        services.disclosure_submit(
            disclosure=to_review,
            actor=handler,
            community=community,
            planned_publish_date=today + timedelta(30),
        )
        half = new(f"助学金发放名单 {tag}")
        services.disclosure_submit(
            disclosure=half, actor=handler, community=community, planned_publish_date=today + timedelta(30)
        )
        services.disclosure_review(
            community=community, disclosure=half, actor=user("yinxin_supervisor"), decision="approve"
        )
        services.disclosure_sign(
            disclosure=half, actor=user("yinxin_secretary"), community=community, role="secretary"
        )
    return {"draft": draft, "review": to_review, "half": half}


def open_as(browser, web_server, login: str, size):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=size, locale="zh-CN")
    page = sign_in(context.new_page(), web_server.format(SITE), login, PASSWORD)
    return context, page


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_its_queue_first_on_a_phone_and_a_desktop(browser, web_server, waiting, role):  # type: ignore[no-untyped-def]
    expected = {
        "supervisor": [waiting["review"].title],
        "director": [waiting["half"].title],
        "handler": [waiting["draft"].title, waiting["half"].title],
        "secretary": [],
        "deputy": [],
        "finance": [],
        "representative": [],
    }[role]
    for size, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        context, page = open_as(browser, web_server, f"yinxin_{role}", size)
        page.goto(web_server.format(SITE) + "/workspace/")
        section = page.locator("section[aria-labelledby=mine]")
        assert section.is_visible()
        text = section.inner_text()
        for title in expected:
            assert title in text, (role, title)
        if role in ("finance", "representative"):
            assert "现在没有等您办理的事项" in text
        if expected:
            box = section.locator("li", has_text=expected[0]).locator(".btn").bounding_box()
            assert box is not None and box["x"] + box["width"] <= size["width"], "the button fits the screen"
        shoot(page, f"queue-{role}-{name}")
        context.close()


def test_the_director_signs_from_the_queue_through_the_check_page(browser, web_server, waiting):  # type: ignore[no-untyped-def]
    context, page = open_as(browser, web_server, "yinxin_director", PHONE)
    page.goto(web_server.format(SITE) + "/workspace/")
    page.locator("section[aria-labelledby=mine] li", has_text=waiting["half"].title).get_by_role(
        "link", name="以居委会主任身份签字"
    ).click()
    tracker = page.locator("ol.tracker")
    assert "还差:居委会主任、经办人" in tracker.inner_text()
    shoot(page, "tracker-phone")
    page.get_by_role("link", name="核对内容并签字(居委会主任)").click()
    assert waiting["half"].content_hash[:12] in page.locator("main").inner_text()
    shoot(page, "confirm-sign-phone")
    page.get_by_role("button", name="确认无误,签字").click()
    assert "已签字" in page.locator(".messages").inner_text()
    assert "还差:经办人" in page.locator("ol.tracker").inner_text()
    context.close()
    context, page = open_as(browser, web_server, "yinxin_director", DESKTOP)
    page.goto(web_server.format(SITE) + f"/workspace/disclosures/{waiting['half'].pk}/")
    shoot(page, "tracker-desktop")
    context.close()


def test_a_draft_takes_several_files_through_its_page(browser, web_server, waiting, tmp_path):  # type: ignore[no-untyped-def]
    files = [tmp_path / "工程结算单.pdf", tmp_path / "完工照片.png"]
    files[0].write_bytes(PDF)
    files[1].write_bytes(png_unique())
    context, page = open_as(browser, web_server, "yinxin_handler", PHONE)
    page.goto(web_server.format(SITE) + f"/workspace/disclosures/{waiting['draft'].pk}/")
    page.locator("form[data-uploader] input[type=file]").set_input_files([str(f) for f in files])
    assert "已选择 2 个文件" in page.locator("form[data-uploader] [role=status]").inner_text()
    page.get_by_role("button", name="上传附件").click()
    page.wait_for_selector("text=已上传 2 个附件")
    table = page.locator("table.files").inner_text()
    assert "工程结算单.pdf" in table and "完工照片.png" in table and "PDF" in table
    shoot(page, "attachments-phone")
    context.close()
