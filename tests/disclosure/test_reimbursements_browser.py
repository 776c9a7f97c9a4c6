"""004 ⑵ in a real browser: the handler uploads a reimbursement's receipt on the statement's page (told
that covering personal data on it is theirs to do), four sign it in the community, and the street leader
in charge signs from the street office's site, in their own queue; after the fifth signature the
statement may be published. Screenshots of the staff page with receipts and of the leader's queue, at
phone and desktop widths."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, Page, ViewportSize

from demo.drafts import finance_data, finance_line
from demo.receipts import receipt_png
from disclosure import reimbursements, services
from disclosure.choices import ReimbursementSigner
from disclosure.models import Disclosure
from tenants.choices import ReimbursementSigning
from tenants.models import Community, StreetOfficeMembership
from tests.browser import DESKTOP, PHONE, SCREENSHOTS, chromium, shoot, sign_in
from tests.factories import BY_LOGIN, PASSWORD, draft

pytestmark = pytest.mark.browser
SITE = "yinxin."
R = ReimbursementSigner


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with chromium() as b:
        yield b


def open_as(browser: Browser, web_server: str, login: str, site: str, size: ViewportSize) -> Page:
    context = browser.new_context(viewport=size, locale="zh-CN")
    return sign_in(context.new_page(), web_server.format(site), login, PASSWORD)


@pytest.fixture
def statement(committed) -> Disclosure:  # type: ignore[no-untyped-def]
    """A statement in 银新 whose expense is a reimbursement; 银新 is on the street leader's list."""
    yinxin = Community.objects.get(schema_name="yinxin")
    StreetOfficeMembership.objects.get(
        user__username="yinzhou_leader", role="leader"
    ).communities_in_charge.add(yinxin)
    lines = [
        finance_line(date(2026, 7, 1), "街道拨付社区办公经费", "上级拨款", Decimal("8000"), "收-01"),
        finance_line(
            date(2026, 7, 6), "购买办公用品(纸张、硒鼓)", "办公费", Decimal("680"), "付-01", reimbursed=True
        ),
    ]
    with tenant_context(yinxin):
        return draft(
            BY_LOGIN,
            community="yinxin",
            title=f"2026年第三季度财务收支({uuid.uuid4().hex[:6]})",
            category="finance",
            content_type="finance",
            data=finance_data(period="2026年第三季度", opening=Decimal("20000"), lines=lines),
        )


def sign_in_community(browser: Browser, web_server: str, login: str, detail: str, role: str) -> None:
    page = open_as(browser, web_server, login, SITE, DESKTOP)
    page.goto(detail)
    page.get_by_role("button", name=f"核对无误,以{role}身份签字").first.click()
    assert f"已以{role}的身份签字" in page.locator(".messages").inner_text()
    page.context.close()


def test_the_street_leader_signs_from_the_base_domain_and_the_fifth_signature_makes_it_publishable(  # type: ignore[no-untyped-def]
    browser, web_server, statement, tmp_path
):
    detail = web_server.format(SITE) + f"/workspace/disclosures/{statement.pk}/"
    yinxin = Community.objects.get(schema_name="yinxin")
    with tenant_context(yinxin):
        first = reimbursements.reimbursed_lines(statement)[0][1]
    scan = tmp_path / "收据.png"
    scan.write_bytes(receipt_png(first))

    handler = open_as(browser, web_server, "yinxin_handler", SITE, DESKTOP)
    handler.goto(detail)
    assert "遮盖单据上的身份证号、银行卡号、手机号等个人信息,由上传人负责" in handler.content()
    handler.locator(f"#receipt-{first['id']}").set_input_files(str(scan))
    handler.get_by_role("button", name="上传单据").first.click()
    assert "已上传 1 张单据" in handler.locator(".messages").inner_text()
    handler.locator(".receipt img").first.wait_for()
    handler.get_by_role("button", name="核对无误,以经办人身份签字").first.click()
    shoot(handler, "reimbursement-staff-desktop")
    handler.set_viewport_size(PHONE)
    handler.locator("#reimbursements").scroll_into_view_if_needed()
    handler.screenshot(path=str(SCREENSHOTS / "reimbursement-staff-phone.png"))
    handler.context.close()

    for login, role in (
        ("yinxin_secretary", "党支部负责人"),
        ("yinxin_director", "居委会负责人"),
        ("yinxin_supervision_head", "监督小组负责人"),
    ):
        sign_in_community(browser, web_server, login, detail, role)
    with tenant_context(yinxin):
        d = Disclosure.objects.get(pk=statement.pk)
        (unit,) = reimbursements.units(d, mode=ReimbursementSigning.PER_LINE)
        assert unit.missing == [R.STREET_LEADER]
        assert "包社区街道领导" in services.reimbursements_unsigned(d, community=yinxin)

    leader = open_as(browser, web_server, "yinzhou_leader", "", PHONE)
    leader.goto(web_server.format("") + "/inspection/reimbursements/")
    card = leader.locator("section", has_text=statement.title)
    assert "购买办公用品" in card.inner_text() and "银新社区" in card.inner_text()
    card.locator(".receipt img").first.wait_for()
    shoot(leader, "reimbursement-leader-queue-phone")
    leader.set_viewport_size(DESKTOP)
    shoot(leader, "reimbursement-leader-queue-desktop")
    card.get_by_role("button", name="核对无误,签字(银新社区 第 2 笔)").click()
    assert "已签字" in leader.locator(".messages").inner_text()
    leader.context.close()

    with tenant_context(yinxin):
        d = Disclosure.objects.get(pk=statement.pk)
        done = reimbursements.unit_of(d, key=first["id"], mode=ReimbursementSigning.PER_LINE)
        assert done is not None and done.complete
        assert done.signatures[R.STREET_LEADER].signer.username == "yinzhou_leader"
        assert services.reimbursements_unsigned(d, community=yinxin) == ""  # publishable as to 004 ⑵
