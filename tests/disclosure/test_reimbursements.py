"""004 ⑵ 五人同时签字方予报账, 原始单据复印件贴在居务公开栏上: a reimbursed line carries its receipt scans,
and is signed by five real accounts — the party branch, committee and supervision group heads, the street
leader in charge of the community and the handler — on the line and its receipts as they are now. An edit
voids them, the wrong person is refused, an author signs only as handler, and the statement is not
published until every reimbursement has its five. A save of the editor's grid keeps the receipts."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tenants.utils import tenant_context
from pypdf import PdfReader

from demo.drafts import finance_data
from disclosure import bulletin, progress, reimbursements, selectors, services
from disclosure.choices import ReimbursementSigner
from disclosure.models import Disclosure, LineSignature
from disclosure.rules import REIMBURSEMENT_SIGNERS
from tenants import services as tenant_services
from tenants.choices import CommunityRole, ReimbursementSigning
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tenants.models import StreetOfficeMembership, User
from tests.conftest import login
from tests.factories import (
    PASSWORD,
    PNG,
    FormFields,
    UserFactory,
    at,
    draft,
    here,
    pdf_with,
    png_unique,
)

pytestmark = pytest.mark.django_db
R = ReimbursementSigner
# who signs as what in 银城 (the drafter is the handler, an author: they sign only as 经办人)
SIGNER_LOGINS: dict[str, str] = {
    R.PARTY_BRANCH: "yincheng_secretary",
    R.RESIDENTS_COMMITTEE: "yincheng_director",
    R.SUPERVISION: "yincheng_supervision_head",
    R.STREET_LEADER: "yinzhou_leader",
    R.HANDLER: "yincheng_handler",
}


def line(day: int, description: str, amount: str, voucher: str, *, reimbursed: bool = True) -> dict:
    return {
        "date": date(2026, 7, day).isoformat(),
        "description": description,
        "direction": "expense" if reimbursed else "income",
        "category": "办公费" if reimbursed else "上级拨款",
        "amount": amount,
        "voucher": voucher,
        "reimbursement": reimbursed,
    }


LINES = [
    line(1, "街道拨付办公经费", "5000", "收-01", reimbursed=False),
    line(3, "购买打印纸", "45.50", "付-01"),
    line(9, "维修活动室门锁", "120", "付-02"),
]


def in_charge(world, leader: str = "yinzhou_leader") -> None:
    """``leader`` is 包社区领导 of 银城."""
    StreetOfficeMembership.objects.get(user__username=leader, role="leader").communities_in_charge.add(
        world.yincheng
    )


def statement(world) -> Disclosure:
    return draft(
        world,
        title="2026年第三季度财务收支",
        category="finance",
        content_type="finance",
        data=finance_data(period="2026年第三季度", opening=Decimal("1000"), lines=[dict(x) for x in LINES]),
    )


def with_receipts(world, d: Disclosure) -> Disclosure:
    for _n, ln in reimbursements.reimbursed_lines(d):
        services.receipts_add(
            disclosure=d,
            actor=world.user("yincheng_handler"),
            line_id=ln["id"],
            uploads=[
                SimpleUploadedFile("收据.png", png_unique()),
                SimpleUploadedFile("发票.pdf", pdf_with()),
            ],
        )
    return Disclosure.objects.get(pk=d.pk)


def unit(d: Disclosure, number: int) -> reimbursements.Unit:
    d = Disclosure.objects.get(pk=d.pk)
    return next(u for u in reimbursements.units(d, mode=ReimbursementSigning.PER_LINE) if number in u.numbers)


def sign(world, d: Disclosure, number: int, role: str, login: str | None = None):  # type: ignore[no-untyped-def]
    return services.reimbursement_sign(
        disclosure=Disclosure.objects.get(pk=d.pk),
        actor=world.user(login or SIGNER_LOGINS[role]),
        community=here(),
        key=unit(d, number).key,
        role=role,
    )


def five(world, d: Disclosure, number: int) -> None:
    for role in REIMBURSEMENT_SIGNERS:
        sign(world, d, number, role)


def publish_ready(world, d: Disclosure) -> Disclosure:
    """Through review and the three signatures of the publication itself (桂花方案 四(一))."""
    d = services.disclosure_submit(
        community=here(),
        disclosure=d,
        actor=world.user("yincheng_handler"),
        planned_publish_date=date(2026, 10, 20),
        today=date(2026, 10, 9),
    )
    d = services.disclosure_review(
        community=here(), disclosure=d, actor=world.user("yincheng_supervisor"), decision="approve"
    )
    for role in ("secretary", "director", "handler"):
        services.disclosure_sign(
            community=here(), disclosure=d, actor=world.user(f"yincheng_{role}"), role=role
        )
    return Disclosure.objects.get(pk=d.pk)


def publish(world, d: Disclosure) -> Disclosure:
    return services.disclosure_publish(
        community=here(),
        disclosure=d,
        actor=world.user("yincheng_secretary"),
        channels=["board", "web"],
        now=at(date(2026, 10, 20)),
    )


def test_a_reimbursement_is_not_publishable_until_the_five_signed_its_current_content(world, in_yincheng):
    in_charge(world)
    d = publish_ready(world, with_receipts(world, statement(world)))
    with pytest.raises(Conflict, match="报账须五人签字:第 2 笔等 2 处还缺少"):
        publish(world, d)
    five(world, d, 2)
    for role in REIMBURSEMENT_SIGNERS[:-1]:
        sign(world, d, 3, role)
    with pytest.raises(Conflict, match="第 3 笔还缺少 经办人 的签字"):
        publish(world, d)
    sign(world, d, 3, R.HANDLER)  # the fifth
    assert publish(world, d).status == "published"
    shown = reimbursements.by_line(Disclosure.objects.get(pk=d.pk), mode=ReimbursementSigning.PER_LINE)
    assert [s.signature and s.signature.signer_name for s in shown[unit(d, 2).key].unit.slots] == [
        world.user(SIGNER_LOGINS[r]).get_full_name() for r in REIMBURSEMENT_SIGNERS
    ]


def test_the_tracker_keeps_signing_current_until_the_reimbursements_have_their_five(world, in_yincheng):
    """With the three signatures of the publication given, the step still says which reimbursement
    waits for whom, as publication would refuse it; the step is done once the five have signed."""
    in_charge(world)
    d = publish_ready(world, with_receipts(world, statement(world)))
    sign_stage = progress.tracker(d, today=date(2026, 10, 20), community=here())[2]
    assert sign_stage.state == progress.CURRENT
    assert any(line.startswith("报账须五人签字:第 2 笔等 2 处还缺少") for line in sign_stage.lines)
    five(world, d, 2)
    five(world, d, 3)
    stages = progress.tracker(Disclosure.objects.get(pk=d.pk), today=date(2026, 10, 20), community=here())
    assert stages[2].state == progress.DONE and stages[3].state == progress.CURRENT
    assert not any("报账须五人签字" in line for line in stages[2].lines)


def test_a_line_without_receipts_is_not_signed(world, in_yincheng):
    d = statement(world)
    with pytest.raises(Conflict, match="还没有上传原始单据"):
        sign(world, d, 2, R.PARTY_BRANCH)


def test_an_edit_of_a_line_or_its_receipts_voids_its_signatures_and_no_others(world, in_yincheng):
    in_charge(world)
    d = with_receipts(world, statement(world))
    five(world, d, 2)
    five(world, d, 3)
    assert unit(d, 2).complete and unit(d, 3).complete
    d = Disclosure.objects.get(pk=d.pk)
    changed = [dict(ln) for ln in d.data["lines"]]
    changed[1]["amount"] = "46.50"
    changed[0]["amount"] = "5001"  # the income line: not a reimbursement, signs nothing
    services.disclosure_update(
        disclosure=d,
        actor=world.user("yincheng_handler"),
        title=d.title,
        category=d.category,
        content_type=d.content_type,
        audience=d.audience,
        data={**d.data, "lines": changed, "closing_balance": "5834.50"},
    )
    assert unit(d, 2).signatures == {} and unit(d, 3).complete  # the line changed, the other did not
    assert LineSignature.objects.count() == 10  # voided, never deleted: the record is append-only
    services.receipts_add(
        disclosure=Disclosure.objects.get(pk=d.pk),
        actor=world.user("yincheng_handler"),
        line_id=unit(d, 3).key,
        uploads=[SimpleUploadedFile("补充单据.png", png_unique())],
    )
    assert unit(d, 3).signatures == {}  # a receipt added is a change of what was signed


@pytest.mark.parametrize(
    ("role", "login", "why"),
    [
        (R.PARTY_BRANCH, "yincheng_director", "不是本社区的党支部负责人"),
        (R.SUPERVISION, "yincheng_supervisor", "不是本社区的监督小组负责人"),  # a member, not its head
        (R.HANDLER, "yinnan_handler", "不是本社区的经办人"),  # another community's
        (R.STREET_LEADER, "yinzhou_leader", "只有包银城社区的街道领导"),  # 银城 is not on their list
        (R.STREET_LEADER, "yinzhou_admin", "只有包银城社区的街道领导"),
        ("treasurer", "yincheng_secretary", "没有这个签字身份"),
    ],
)
def test_the_wrong_person_is_refused(world, in_yincheng, role, login, why):
    d = with_receipts(world, statement(world))
    with pytest.raises(NotAllowed, match=why):
        sign(world, d, 2, role, login)
    assert not LineSignature.objects.exists()


def test_a_leader_signs_only_for_the_communities_on_their_list(world, in_yincheng):
    other = UserFactory.create(username="yinzhou_leader2")
    tenant_services.street_office_membership_grant(
        user=other, street_office=world.yinzhou, role="leader", communities_in_charge=[world.yinnan]
    )
    d = with_receipts(world, statement(world))
    with pytest.raises(NotAllowed, match="只有包银城社区的街道领导"):
        sign(world, d, 2, R.STREET_LEADER, "yinzhou_leader2")
    in_charge(world, "yinzhou_leader2")
    assert sign(world, d, 2, R.STREET_LEADER, "yinzhou_leader2").signer == other


def test_an_author_signs_what_they_wrote_only_as_handler(world, in_yincheng):
    """``rules.AUTHOR_MAY_SIGN_AS``: a secretary who also drafts signs the statement as 经办人 only."""
    both = UserFactory.create(username="yincheng_both")
    for r in (CommunityRole.SECRETARY, CommunityRole.HANDLER):
        tenant_services.membership_grant(user=both, community=world.yincheng, role=r)
    d = with_receipts(world, statement(world))
    d.authors = [*d.authors, both.pk]
    d.save(update_fields=["authors"])
    with pytest.raises(NotAllowed, match="不能以党支部负责人的身份签字确认自己起草的内容"):
        sign(world, d, 2, R.PARTY_BRANCH, "yincheng_both")
    assert services.reimbursement_roles_for(d, both, community=here()) == [R.HANDLER]
    assert sign(world, d, 2, R.HANDLER, "yincheng_both").signer == both


def test_a_signature_on_content_changed_since_it_was_shown_is_refused(world, in_yincheng):
    d = with_receipts(world, statement(world))
    shown = unit(d, 2).content_hash
    services.receipts_add(
        disclosure=d,
        actor=world.user("yincheng_handler"),
        line_id=unit(d, 2).key,
        uploads=[SimpleUploadedFile("又一张.png", png_unique())],
    )
    with pytest.raises(Conflict, match="又被修改过"):
        services.reimbursement_sign(
            disclosure=d,
            actor=world.user("yincheng_secretary"),
            community=here(),
            key=unit(d, 2).key,
            role=R.PARTY_BRANCH,
            seen_hash=shown,
        )


def test_the_street_office_may_have_the_statement_signed_as_a_whole(world, in_yincheng):
    world.yinzhou.reimbursement_signing = ReimbursementSigning.STATEMENT
    world.yinzhou.save()
    here().street_office.refresh_from_db()
    in_charge(world)
    d = publish_ready(world, with_receipts(world, statement(world)))
    (whole,) = reimbursements.units(d, mode=ReimbursementSigning.STATEMENT)
    assert whole.key == reimbursements.STATEMENT and whole.numbers == [2, 3] and len(whole.receipts) == 4
    for role, name in SIGNER_LOGINS.items():
        services.reimbursement_sign(
            disclosure=d, actor=world.user(name), community=here(), key=whole.key, role=role
        )
    assert publish(world, d).status == "published"


def test_receipts_are_checked_and_only_on_a_reimbursed_line(world, in_yincheng):
    d = statement(world)
    income = d.data["lines"][0]["id"]
    with pytest.raises(InvalidInput, match="不是报账支出"):
        services.receipts_add(
            disclosure=d,
            actor=world.user("yincheng_handler"),
            line_id=income,
            uploads=[SimpleUploadedFile("a.png", PNG)],
        )
    with pytest.raises(InvalidInput, match=r"“单据\.html”"):
        services.receipts_add(
            disclosure=d,
            actor=world.user("yincheng_handler"),
            line_id=d.data["lines"][1]["id"],
            uploads=[SimpleUploadedFile("单据.html", b"<html><script>alert(1)</script></html>")],
        )
    assert not d.receipts.exists()


def test_a_save_of_the_grid_keeps_the_lines_and_their_receipts_and_signatures(world, client_for):
    """The grid posts each line's hidden ``id`` back: saving the page as it holds it keeps every line
    (and so its receipts and the signatures on it); a line taken away takes its receipts with it."""
    with tenant_context(world.yincheng):
        d = with_receipts(world, statement(world))
        sign(world, d, 2, R.PARTY_BRANCH)
        before = Disclosure.objects.get(pk=d.pk).data["lines"]
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
    client = client_for("yincheng")
    login(client, "yincheng_handler", PASSWORD)
    edit = f"/workspace/disclosures/{d.pk}/edit/"
    parser = FormFields()
    parser.feed(client.get(edit).content.decode())
    posted: dict[str, list[str]] = {}
    for name, value in parser.fields:
        posted.setdefault(name, []).append(value)
    assert posted["line-1-id"] == [before[1]["id"]]
    assert client.post(edit, {**posted, "save": "1"}).status_code == 302
    with tenant_context(world.yincheng):
        assert Disclosure.objects.get(pk=d.pk).data["lines"] == before
        assert unit(d, 2).signatures.keys() == {R.PARTY_BRANCH} and len(unit(d, 2).receipts) == 2
    connection.set_schema_to_public()  # type: ignore[attr-defined]
    taken = {**posted, "line-2-DELETE": ["on"], "fin-closing_balance": ["5954.50"], "save": "1"}
    assert client.post(edit, taken).status_code == 302
    with tenant_context(world.yincheng):
        d = Disclosure.objects.get(pk=d.pk)
        assert [ln["id"] for ln in d.data["lines"]] == [before[0]["id"], before[1]["id"]]
        assert set(d.receipts.values_list("line_id", flat=True)) == {before[1]["id"]}


def test_the_portal_and_the_notice_show_who_signed_when_and_the_receipts(world, in_yincheng, client_for):
    in_charge(world)
    d = publish_ready(world, with_receipts(world, statement(world)))
    five(world, d, 2)
    five(world, d, 3)
    d = selectors.disclosure_public_get(pk=publish(world, d).pk, on=date(2026, 10, 21))
    pdf = bulletin.notice_pdf(
        d,
        content=selectors.disclosure_public_content(d),
        community_name="银城社区",
        verify_url="https://yincheng.example/verify",
        reimbursed=reimbursements.by_line(d, mode=ReimbursementSigning.PER_LINE),
    )
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    leader = world.user("yinzhou_leader").get_full_name()
    assert "报账支出 2 笔,原始单据复印件 4 张随本公告张贴" in text
    assert f"包社区街道领导 {leader}" in text and "原始单据 2 张" in text
    connection.set_schema_to_public()  # type: ignore[attr-defined]
    page = client_for("yincheng").get(f"/disclosures/{d.pk}/").content.decode()
    assert f"包社区街道领导 {leader}" in page and "年" in page  # who, and when in Chinese
    receipt = d.receipts.order_by("pk")[0]
    assert f"/disclosures/{d.pk}/receipts/{receipt.pk}/" in page
    served = client_for("yincheng").get(f"/disclosures/{d.pk}/receipts/{receipt.pk}/")
    assert served.status_code == 200 and served["Content-Type"] in ("image/png", "application/pdf")


def test_a_draft_s_receipts_are_not_public(world, in_yincheng, client_for):
    d = with_receipts(world, statement(world))
    receipt = d.receipts.all()[0]
    connection.set_schema_to_public()  # type: ignore[attr-defined]
    assert client_for("yincheng").get(f"/disclosures/{d.pk}/receipts/{receipt.pk}/").status_code == 404


def test_the_leader_signs_from_the_street_office_site_in_a_queue_of_their_own(world, client_for):
    in_charge(world)
    with tenant_context(world.yincheng):
        d = with_receipts(world, statement(world))
        for role in (R.PARTY_BRANCH, R.RESIDENTS_COMMITTEE, R.SUPERVISION, R.HANDLER):
            sign(world, d, 2, role)
        target = unit(d, 2)
    connection.set_schema_to_public()  # type: ignore[attr-defined]
    client = client_for(None)
    login(client, "yinzhou_leader", PASSWORD)
    page = client.get("/inspection/reimbursements/").content.decode()
    assert "有 2 处报账等您签字" in page and "购买打印纸" in page and "银城社区" in page
    receipt_url = f"/inspection/reimbursements/yincheng/{d.pk}/receipts/{target.receipts[0].pk}/"
    assert receipt_url in page and client.get(receipt_url).status_code == 200
    sent = {"community": "yincheng", "disclosure": d.pk, "key": target.key, "seen_hash": target.content_hash}
    assert client.post("/inspection/reimbursements/", sent).status_code == 302
    assert "有 1 处报账等您签字" in client.get("/inspection/reimbursements/").content.decode()
    with tenant_context(world.yincheng):
        assert unit(d, 2).complete
    connection.set_schema_to_public()  # type: ignore[attr-defined]
    other = client_for(None)
    login(other, "yinzhou_inspector", PASSWORD)
    assert other.get("/inspection/reimbursements/").status_code == 403
    assert User.objects.filter(username="yinzhou_leader").exists()


def test_the_community_signers_find_the_reimbursements_in_their_work_list(world, client_for):
    with tenant_context(world.yincheng):
        with_receipts(world, statement(world))
    connection.set_schema_to_public()  # type: ignore[attr-defined]
    director = client_for("yincheng")
    login(director, "yincheng_director", PASSWORD)
    assert "报账签字(2 处,以居委会负责人身份)" in director.get("/workspace/").content.decode()
    deputy = client_for("yincheng")
    login(deputy, "yincheng_deputy", PASSWORD)
    assert "报账签字" not in deputy.get("/workspace/").content.decode()
