"""A resident reads a disclosure on a phone, objects, keeps the tracking code; a clerk answers; the
resident reads the answer; the supervision group orders re-publication. Real server, real chromium,
in 银新社区 (the browser tests' community)."""

import re

import pytest
from django_tenants.utils import tenant_context

from disclosure.choices import Category, ContentType, DisclosureStatus
from disclosure.feedback.models import Feedback
from disclosure.models import Disclosure
from tenants.models import Community
from tests.browser import DESKTOP, PHONE, chromium, shoot
from tests.factories import PASSWORD, published_once

pytestmark = pytest.mark.browser
SITE = "yinxin."
TITLE = "小区路灯维修费用公开(居民反映浏览器测试)"
OBJECTION = "公开的维修费只有总数 4,800 元,没有列出更换了几盏灯、每盏多少钱,请逐项公开。"


@pytest.fixture
def disclosure(committed):
    with tenant_context(Community.objects.get(schema_name="yinxin")):
        return published_once(
            title=TITLE,
            category=Category.AFFAIRS,
            content_type=ContentType.NOTICE,
            body="<p>本月更换小区路灯,维修费共计 4,800 元。</p>",
            data={},
        )


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def log_in(browser, base, login_name, size=DESKTOP):
    context = browser.new_context(viewport=size, locale="zh-CN")
    page = context.new_page()
    page.goto(base + "/accounts/login/")
    page.get_by_label("用户名").fill(login_name)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    return context, page


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_object_answer_and_order_re_publication_in_a_browser(browser, web_server, disclosure):
    base = web_server.format(SITE)
    contexts = []
    try:
        phone = browser.new_context(viewport=PHONE, locale="zh-CN")
        contexts.append(phone)
        page = phone.new_page()
        page.goto(base + f"/disclosures/{disclosure.pk}/")
        page.get_by_role("link", name="我要询问或提出异议").click()
        assert TITLE in page.locator("main").inner_text()
        page.get_by_label("异议").check()
        page.get_by_role("textbox", name="内容").fill(OBJECTION)
        page.get_by_label("姓名").fill("刘桂兰")
        page.get_by_label("手机号码").fill("13712345678")
        assert no_sideways_scroll(page)
        shoot(page, "feedback-form-phone")
        page.get_by_role("button", name="提交").click()
        assert "已收到您的反映" in page.locator("main").inner_text()
        code = page.locator("[data-code]").get_attribute("data-code")
        assert re.fullmatch(r"[A-Z2-9]{10}", code)
        text = page.locator("main").inner_text()
        assert "137****5678" in text and "13712345678" not in text and "已交社区民主监督小组调查" in text
        assert no_sideways_scroll(page)
        shoot(page, "feedback-status-phone")

        # a refused submission keeps every word (oversize)
        page.goto(base + "/feedback/")
        page.get_by_role("textbox", name="内容").fill("长" * 2100)
        page.get_by_role("button", name="提交").click()
        assert "最多 2000 个字" in page.locator("main").inner_text()
        assert page.get_by_role("textbox", name="内容").input_value() == "长" * 2100
        shoot(page, "feedback-form-refused-phone")

        desktop = browser.new_context(viewport=DESKTOP, locale="zh-CN")
        contexts.append(desktop)
        page = desktop.new_page()
        page.goto(base + f"/feedback/?disclosure={disclosure.pk}")
        shoot(page, "feedback-form-desktop")
        page.goto(base + "/feedback/lookup/")
        page.get_by_label("查询码").fill(f"{code[:5].lower()}-{code[5:]}")
        page.get_by_role("button", name="查询").click()
        assert page.url.endswith(f"/feedback/{code}/")
        shoot(page, "feedback-status-desktop")

        # the clerk answers, publicly
        context, staff = log_in(browser, base, "yinxin_handler")
        contexts.append(context)
        staff.goto(base + "/workspace/feedback/")
        row = staff.locator(f"[data-code='{code}']")
        assert "137****5678" in row.inner_text() and "剩余" in row.inner_text()
        shoot(staff, "feedback-inbox-desktop")
        row.get_by_role("link").click()
        assert "13712345678" in staff.locator("main").inner_text()  # full number for staff who answer
        staff.get_by_label("书面答复").fill("维修明细:更换 LED 路灯 8 盏,每盏 600 元,发票已存档备查。")
        staff.get_by_label(re.compile("公开答复")).check()
        staff.get_by_role("button", name="提交答复").click()
        assert "已答复" in staff.locator("main").inner_text()
        context.close()

        phone_staff_context, phone_staff = log_in(browser, base, "yinxin_handler", size=PHONE)
        contexts.append(phone_staff_context)
        phone_staff.goto(base + "/workspace/feedback/")
        assert no_sideways_scroll(phone_staff)
        shoot(phone_staff, "feedback-inbox-phone")

        # the resident sees the answer on the status page and on the disclosure's page
        page = phone.new_page()
        page.goto(base + f"/feedback/{code}/")
        assert "每盏 600 元" in page.locator("[data-answer]").inner_text()
        page.get_by_label("基本满意").check()
        page.get_by_role("button", name="提交评价").click()
        assert "您的评价:基本满意" in page.locator("main").inner_text()
        shoot(page, "feedback-status-answered-phone")
        page.goto(base + f"/disclosures/{disclosure.pk}/")
        answers = page.locator(".feedback-public").inner_text()
        assert "每盏 600 元" in answers and "刘桂兰" not in answers and "1371" not in answers
        shoot(page, "feedback-portal-answer-phone")

        # the supervision group investigates and orders re-publication
        context, supervisor = log_in(browser, base, "yinxin_supervisor")
        contexts.append(context)
        supervisor.goto(base + "/workspace/feedback/supervision/")
        supervisor.locator(f"[data-code='{code}']").get_by_role("link").click()
        assert "137****5678" in supervisor.locator("main").inner_text()
        supervisor.get_by_label("查实").check()
        supervisor.get_by_label("调查情况").fill("经核对票据,维修费未逐项公开,属内容遗漏。")
        supervisor.get_by_label(re.compile("责令重新公布")).check()
        supervisor.get_by_role("button", name="记录调查结论").click()
        text = supervisor.locator("main").inner_text()
        assert "已责令重新公布" in text
        shoot(supervisor, "feedback-finding-desktop")

        with tenant_context(Community.objects.get(schema_name="yinxin")):
            feedback = Feedback.objects.get(code=code)
            correction = Disclosure.objects.get(supersedes=disclosure)
            assert feedback.republication_id == correction.pk
            assert correction.status == DisclosureStatus.DRAFT
            assert correction.obligation is not None and correction.obligation.source == "order"
    finally:
        for context in contexts:
            context.close()
