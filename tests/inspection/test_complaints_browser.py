"""A resident complains to the street office on the base domain from a phone, keeps the query code; the
inspector investigates and upholds it on the desktop, opening an order to the community; the resident
reads the answer with the code. Real server, real chromium, about 银新社区 (the browser tests' community)."""

import pytest
from django_tenants.utils import tenant_context

from disclosure.choices import Category, ContentType
from inspection.choices import ComplaintFinding, RectificationSource
from inspection.models import Complaint, Rectification
from tenants.models import Community
from tests.browser import DESKTOP, PHONE, chromium, shoot
from tests.factories import PASSWORD, published_once

pytestmark = pytest.mark.browser
TITLE = "社区公共设施维修费用公开(向街道投诉浏览器测试)"
WHAT = "维修费只公开了总数,没有列出明细;向社区反映一个月没有答复。"
NAME, MOBILE = "黄丽娟", "13600001234"


@pytest.fixture
def item(committed):
    with tenant_context(Community.objects.get(schema_name="yinxin")):
        return published_once(
            title=TITLE,
            category=Category.AFFAIRS,
            content_type=ContentType.NOTICE,
            body="<p>本季度公共设施维修费共计 12,600 元。</p>",
            data={},
        )


@pytest.fixture
def cleanup(committed):
    yield
    for complaint in Complaint.objects.filter(text=WHAT):
        order = complaint.rectification
        complaint.delete()
        if order is not None:
            order.events.all().delete()
            order.delete()


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_resident_complains_the_inspector_upholds_it_and_the_resident_reads_the_answer(
    browser, web_server, item, cleanup
):
    base = web_server.format("")
    contexts = []
    try:
        phone_context = browser.new_context(viewport=PHONE, locale="zh-CN")
        contexts.append(phone_context)
        resident = phone_context.new_page()
        resident.goto(base + "/")
        resident.locator("a.btn", has_text="向街道投诉").click()  # the front-page button, not the menu entry
        resident.get_by_label("投诉哪个社区").select_option(label="银新社区")
        resident.get_by_role("button", name="下一步:选择公开内容").click()
        resident.get_by_label("针对哪一项公开内容").select_option(label=TITLE)
        resident.get_by_label("哪里不对").fill(WHAT)
        resident.get_by_label("姓名").fill(NAME)
        resident.get_by_role("button", name="提交投诉").click()  # half-signed: the form says what to do
        assert "署名反映请同时填写姓名和手机号码" in resident.locator(".error-summary").inner_text()
        assert resident.get_by_label("哪里不对").input_value() == WHAT  # nothing typed is lost
        shoot(resident, "complaint-form-phone")
        assert no_sideways_scroll(resident)
        resident.get_by_label("手机号码").fill(MOBILE)
        resident.get_by_role("button", name="提交投诉").click()
        resident.locator("[data-code]").wait_for()
        code = resident.locator("[data-code]").get_attribute("data-code")
        assert "街道已收到您的投诉" in resident.content()
        shoot(resident, "complaint-status-phone")

        desktop = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        contexts.append(desktop)
        inspector = desktop.new_page()
        inspector.goto(base + "/accounts/login/")
        inspector.get_by_label("用户名").fill("yinzhou_inspector")
        inspector.get_by_label("密码").fill(PASSWORD)
        inspector.get_by_role("button", name="登录").click()
        inspector.wait_for_load_state()
        inspector.goto(base + "/inspection/")
        inspector.get_by_role("link", name="居民投诉").first.click()
        row = inspector.locator(f"[data-code='{code}']")
        assert "银新社区" in row.inner_text() and "剩余" in row.inner_text()
        shoot(inspector, "complaint-inbox-desktop")
        row.get_by_role("link").click()
        inspector.get_by_label("调查情况").fill("到社区核对,公开栏只有总数;居民反映登记簿上未见答复。")
        inspector.get_by_role("button", name="记录调查情况").click()
        assert "调查情况已记录" in inspector.locator(".messages").inner_text()
        inspector.get_by_label("属实", exact=True).check()
        inspector.get_by_label("给居民的答复").fill(
            "经调查,您反映的情况属实,街道已责令社区逐项公开维修明细。"
        )
        inspector.get_by_label("投诉属实,向社区下达整改通知").check()
        inspector.get_by_label("需要整改的问题").fill("公共设施维修费只公开总数,请逐项公开明细并反馈。")
        inspector.get_by_role("button", name="提交结论并答复居民").click()
        assert "调查结论和答复已记录" in inspector.locator(".messages").inner_text()
        shoot(inspector, "complaint-concluded-desktop")

        complaint = Complaint.objects.get(code=code)
        assert complaint.finding == ComplaintFinding.UPHELD
        order = Rectification.objects.get(complaint=complaint)
        assert order.source == RectificationSource.COMPLAINT and NAME not in order.issues

        resident.goto(base + "/complaints/lookup/")
        resident.get_by_label("查询码").fill(code.lower())
        resident.get_by_role("button", name="查询").click()
        answer = resident.locator("[data-answer]").inner_text()
        assert "街道已责令社区逐项公开维修明细" in answer and "属实" in answer
        shoot(resident, "complaint-answered-phone")

        for size, label in ((PHONE, "phone"), (DESKTOP, "desktop")):
            context = browser.new_context(viewport=size, locale="zh-CN")
            contexts.append(context)
            page = context.new_page()
            page.goto(base + "/complaints/?community=yinxin")
            shoot(page, f"complaint-form-{label}")
            assert no_sideways_scroll(page)
        phone_staff = browser.new_context(viewport=PHONE, locale="zh-CN")
        contexts.append(phone_staff)
        page = phone_staff.new_page()
        page.goto(base + "/accounts/login/")
        page.get_by_label("用户名").fill("yinzhou_inspector")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        page.goto(base + "/inspection/complaints/")
        shoot(page, "complaint-inbox-phone")
        assert no_sideways_scroll(page)
    finally:
        for context in contexts:
            context.close()
