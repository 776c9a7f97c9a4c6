"""The staff paths in a real browser against the real server: draft → publish, a return with comments,
and a correction. They run in 银新社区, which no transactional test counts in."""

import pytest
from django.utils import timezone

from tests.browser import DESKTOP, PHONE, chromium, shoot, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser
SITE = "yinxin."


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def as_user(browser, web_server):
    contexts = []

    def open_as(login_name, size=PHONE):
        context = browser.new_context(viewport=size, locale="zh-CN")
        contexts.append(context)
        return sign_in(context.new_page(), web_server.format(SITE), login_name, PASSWORD)

    yield open_as
    for context in contexts:
        context.close()


def record_event_and_draft(page, web_server, title):
    today = timezone.localdate().isoformat()
    page.goto(web_server.format(SITE) + "/workspace/obligations/")
    page.get_by_label("事项").select_option("SW-10")
    page.get_by_label("发生日期").fill(today)
    page.get_by_label("简要说明").fill(title)
    page.get_by_role("button", name="登记").click()
    assert "已登记" in page.locator(".messages").inner_text()
    page.locator("li", has_text=title).get_by_role("link", name="起草").click()
    page.get_by_label("标题").fill(title + "情况公开")
    page.get_by_label("正文").fill(f"{title}:社区已于当日组织处置,现将情况公开。")
    page.get_by_role("button", name="保存").click()
    assert "已保存" in page.locator(".messages").inner_text()
    return page.url


def submit_now(page):
    today = timezone.localdate().isoformat()
    page.get_by_label("计划公布日期").fill(today)
    page.get_by_label("缩短审核期的理由(仅即时公开事项)").fill("居民急需知情")
    page.get_by_role("button", name="提交审核").click()
    assert "已提交监督小组审核" in page.locator(".messages").inner_text()


def sign(page, detail_url, label):
    """From the disclosure's page to the page that shows what is signed, then sign it."""
    page.goto(detail_url)
    page.get_by_role("link", name=f"核对内容并签字({label})").click()
    assert "核对后签字" in page.locator("h1").inner_text()
    page.get_by_role("button", name="确认无误,签字").click()
    assert "已签字" in page.locator(".messages").inner_text()


def approve_sign_publish(as_user, detail_url):
    reviewer = as_user("yinxin_supervisor")
    reviewer.goto(detail_url)
    reviewer.get_by_role("link", name="核对内容并审核").click()
    reviewer.get_by_label("同意公开").check()
    reviewer.get_by_role("button", name="提交审核意见").click()
    assert "审核意见已记录" in reviewer.locator(".messages").inner_text()
    for role, label in [("secretary", "党组织书记"), ("director", "居委会主任")]:
        sign(as_user(f"yinxin_{role}"), detail_url, label)
    handler = as_user("yinxin_handler", DESKTOP)
    sign(handler, detail_url, "经办人")
    handler.get_by_role("link", name="核对内容并公布").click()
    shoot(handler, "staff-confirm-publish-desktop")
    handler.get_by_role("button", name="确认无误,公布").click()
    assert "已公布" in handler.locator(".messages").inner_text()
    return handler


def test_draft_to_publish(as_user, web_server):
    handler = as_user("yinxin_handler")
    detail = record_event_and_draft(handler, web_server, "暴雨积水抢排")
    shoot(handler, "staff-draft-phone")
    submit_now(handler)
    published = approve_sign_publish(as_user, detail)
    text = published.locator("main").inner_text()
    assert "已公布" in text and "有效" in text
    shoot(published, "staff-published-desktop")


def test_a_returned_draft_shows_the_comments_to_the_handler(as_user, web_server):
    handler = as_user("yinxin_handler")
    detail = record_event_and_draft(handler, web_server, "路灯损坏维修")
    submit_now(handler)
    reviewer = as_user("yinxin_supervisor")
    reviewer.goto(detail)
    reviewer.get_by_role("link", name="核对内容并审核").click()
    reviewer.get_by_label("退回修改").check()
    reviewer.get_by_role("button", name="提交审核意见").click()
    assert "退回修改时请写明意见" in reviewer.locator("main").inner_text()
    assert reviewer.get_by_label("退回修改").is_checked(), "the choice made is kept on the error"
    reviewer.get_by_label("意见说明").fill("请写明维修费用和施工单位")
    reviewer.get_by_role("button", name="提交审核意见").click()
    handler.goto(detail)
    text = handler.locator("main").inner_text()
    assert "已退回修改" in text and "请写明维修费用和施工单位" in text
    shoot(handler, "staff-returned-phone")


def test_a_correction_supersedes_the_published_version(as_user, web_server):
    handler = as_user("yinxin_handler")
    detail = record_event_and_draft(handler, web_server, "捐赠物资发放")
    submit_now(handler)
    published = approve_sign_publish(as_user, detail)
    published.get_by_text("更正(发布新版本)").click()
    published.get_by_label("理由").fill("发放户数写错,应为 12 户")
    published.get_by_role("button", name="建立更正版本").click()
    published.get_by_label("正文").fill("捐赠物资已发放给 12 户困难家庭。")
    published.get_by_role("button", name="保存").click()
    correction = published.url
    submit_now(published)
    approve_sign_publish(as_user, correction)
    published.goto(detail)
    assert "已被 第2版 更正" in published.locator("main").inner_text().replace("\n", " ")


def test_the_clerks_lists_read_as_cards_on_a_phone_and_tags_keep_their_size(as_user, web_server):
    """At 390px the disclosure list and the obligations stack without sideways scrolling; a status tag
    is one line high and no wider than its words, on a phone and on a desktop."""
    handler = as_user("yinxin_handler")
    record_event_and_draft(handler, web_server, f"路灯抢修{timezone.now():%H%M%S}")
    for size, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = as_user("yinxin_handler", size)
        for path, shot in (
            ("/workspace/disclosures/?q=路灯抢修", "list"),
            ("/workspace/obligations/", "obligations"),
        ):
            page.goto(web_server.format(SITE) + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], (shot, name)
            tag = page.locator(".record__meta .tag, .list .tag").first
            box = tag.bounding_box()
            line = page.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)", tag.element_handle())
            assert box is not None and box["height"] <= line * 1.3, (shot, name, box, line)
            words = page.evaluate(
                "e => { const r = document.createRange(); r.selectNodeContents(e);"
                " return r.getBoundingClientRect().width; }",
                tag.element_handle(),
            )
            assert box["width"] <= words + 30, (shot, name, box, words)
            shoot(page, f"staff-{shot}-{name}")
    listing = as_user("yinxin_handler", PHONE)
    listing.goto(web_server.format(SITE) + "/workspace/disclosures/?q=路灯抢修")
    assert "共" in listing.locator(".result-count").inner_text()
    assert listing.locator(".record").count() >= 1
