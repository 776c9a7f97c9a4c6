"""A resident on a phone: opens the community's portal, searches, reads a disclosure and checks its
hash against the paper notice. Runs in 银新社区 (the browser tests' community) against the real server;
what it publishes cannot be deleted by design, so it is created once under unique titles."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure import services
from disclosure.choices import Category, ContentType
from disclosure.models import Disclosure
from tenants.models import Community, User
from tests.browser import DESKTOP, PHONE, chromium, shoot

pytestmark = pytest.mark.browser
SITE = "yinxin."
FINANCE_TITLE = "文化广场健身器材采购资金公开(居民端浏览器测试)"
ROSTER_TITLE = "十一月临时救助名单(居民端浏览器测试)"


def publish_once(*, title, category, content_type, body, data):
    """Published today in 银新社区 through the five steps, or the one a previous run left there."""
    existing = Disclosure.objects.filter(title=title, status="published").first()
    if existing:
        return existing
    today = timezone.localdate()

    def user(role):
        return User.objects.get(username=f"yinxin_{role}")

    d = services.disclosure_create(
        actor=user("handler"), title=title, category=category, content_type=content_type, body=body, data=data
    )
    d = services.disclosure_submit(
        disclosure=d, actor=user("handler"), planned_publish_date=today, today=today - timedelta(days=14)
    )
    d = services.disclosure_review(disclosure=d, actor=user("supervisor"), decision="approve")
    for role in ("secretary", "director", "handler"):
        services.disclosure_sign(disclosure=d, actor=user(role), role=role)
    return services.disclosure_publish(
        disclosure=d, actor=user("handler"), channels=["board", "web", "e_screen"]
    )


@pytest.fixture
def disclosures(committed):
    with tenant_context(Community.objects.get(schema_name="yinxin")):
        finance = publish_once(
            title=FINANCE_TITLE,
            category=Category.FINANCE,
            content_type=ContentType.FINANCE,
            body="<p>经居民代表会议讨论通过,为文化广场添置健身器材,收支逐笔公开如下。</p>",
            data={
                "period": "2026年11月",
                "opening_balance": "12000.00",
                "closing_balance": "3650.00",
                "lines": [
                    {
                        "date": "2026-11-03",
                        "description": "街道拨付文化广场建设经费",
                        "direction": "income",
                        "category": "上级拨款",
                        "amount": "5000",
                        "voucher": "收-11-01",
                    },
                    {
                        "date": "2026-11-12",
                        "description": "采购健身器材 6 件",
                        "direction": "expense",
                        "category": "设施购置",
                        "amount": "13350",
                        "voucher": "付-11-01",
                        "reimbursement": True,
                        "signatures": {
                            "party_branch": "马秀英",
                            "residents_committee": "李志强",
                            "supervision_committee": "周德明",
                            "street_leader": "高国华",
                            "handler": "何春梅",
                        },
                    },
                ],
            },
        )
        roster = publish_once(
            title=ROSTER_TITLE,
            category=Category.AFFAIRS,
            content_type=ContentType.RELIEF,
            body="<p>以下为本月临时救助对象,如有异议请于公示期内向民主监督小组反映。</p>",
            data={
                "programme": "临时救助",
                "households": [
                    {
                        "name": "赵玉珍",
                        "id_number": "640104195203150021",
                        "age": 74,
                        "household_size": 1,
                        "hardship": "老人独居,突发重病住院",
                        "amount": "1500",
                    },
                    {
                        "name": "欧阳海波",
                        "id_number": "640104198811020013",
                        "age": 38,
                        "household_size": 4,
                        "hardship": "单亲,抚养两个孩子,房屋失火",
                        "amount": "3000",
                    },
                ],
            },
        )
    return finance, roster


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def test_a_resident_searches_reads_and_checks_a_disclosure(browser, web_server, disclosures):
    finance, roster = disclosures
    base = web_server.format(SITE)
    phone = browser.new_context(viewport=PHONE, locale="zh-CN")
    desktop = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    try:
        page = phone.new_page()
        page.goto(base + "/")
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert page.get_by_role("link", name="财务").is_visible()
        shoot(page, "portal-home-phone")

        page.get_by_label("搜索公开内容").fill("健身器材")
        page.get_by_role("button", name="搜索").click()
        assert "找到 1 条" in page.locator("main").inner_text()
        shoot(page, "portal-search-phone")
        page.get_by_role("link", name=FINANCE_TITLE).click()
        text = page.locator("main").inner_text()
        assert "采购健身器材 6 件" in text and "公示中" in text and "党组织书记" in text
        shoot(page, "portal-detail-phone")

        page.get_by_role("link", name="核对内容是否被改动").click()
        page.get_by_label("纸质公告上印的内容哈希").fill(finance.content_hash.upper())
        page.get_by_role("button", name="核对").click()
        assert page.locator("[data-verdict=match]").inner_text().startswith("✔ 一致")
        shoot(page, "portal-verify-phone")
        page.get_by_label("纸质公告上印的内容哈希").fill("0" * 64)
        page.get_by_role("button", name="核对").click()
        assert "不一致" in page.locator("[data-verdict=mismatch]").inner_text()

        page.goto(base + f"/disclosures/{roster.pk}/")
        text = page.locator("main").inner_text()
        assert "赵*珍" in text and "欧**波" in text and "赵玉珍" not in text and "640104" not in text
        page.get_by_role("link", name="大字模式").click()
        assert "portal--large" in (page.locator("body").get_attribute("class") or "")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
            "sideways scrolling"
        )
        shoot(page, "portal-roster-large-phone")

        page = desktop.new_page()
        page.goto(base + "/")
        shoot(page, "portal-home-desktop")
        page.goto(base + f"/disclosures/{finance.pk}/")
        assert page.get_by_role("columnheader", name="摘要").is_visible()
        shoot(page, "portal-detail-desktop")
        page.goto(base + f"/disclosures/{finance.pk}/verify/?hash={finance.content_hash}")
        shoot(page, "portal-verify-desktop")
    finally:
        phone.close()
        desktop.close()
