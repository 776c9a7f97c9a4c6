"""待我办理, the five-step tracker, checking before signing, and the files of a draft, through HTTP as each
community role sees them (issue: everyone sees what waits for them)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from disclosure import services
from disclosure.models import Disclosure, Signature
from disclosure.progress import content_summary
from tests.conftest import login
from tests.factories import (
    PDF,
    PNG,
    FeedbackFactory,
    SurveyFactory,
    approved,
    draft,
    here,
    png_unique,
    published_recently,
    rectification_create,
    submitted,
)

pytestmark = pytest.mark.django_db

ROLES = ("secretary", "director", "deputy", "handler", "supervisor", "finance", "representative")


def staff(client_for, role: str, community: str = "yincheng"):  # type: ignore[no-untyped-def]
    client = client_for(community)
    login(client, f"{community}_{role}")
    return client


def mine(client) -> str:  # type: ignore[no-untyped-def]
    """The 待我办理 section of the workspace's front page."""
    page = client.get("/workspace/").content.decode()
    return page[page.index('id="mine"') : page.index("</section>")]


def queue(client) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(step, title) of each row of 待我办理 on the workspace's front page."""
    page = mine(client)
    rows = re.findall(r'data-step="(\w+)">.*?class="task__what"[^>]*>([^<]+)</a>', page, re.S)
    return [(step, title.strip()) for step, title in rows]


@pytest.fixture
def work(world, in_yincheng):  # type: ignore[no-untyped-def]
    """One of each thing that waits in 银城: a draft, a returned draft, one to review, one half signed,
    one signed and due, a resident's question, the street office's order."""
    today = timezone.localdate()
    soon = today + timedelta(days=30)
    plain = draft(world, title="待完成的草稿")
    returned = submitted(world, title="被退回的草稿", today=today, planned=soon)
    services.disclosure_review(
        community=here(),
        disclosure=returned,
        actor=world.user("yincheng_supervisor"),
        decision="return",
        comments="第3笔支出缺少凭证号",
    )
    to_review = submitted(world, title="待审核的公开", today=today, planned=soon)
    half = approved(world, title="待签字的公开", today=today, planned=soon)
    services.disclosure_sign(
        disclosure=half, actor=world.user("yincheng_secretary"), community=here(), role="secretary"
    )
    ready = approved(world, title="待公布的公开", today=today - timedelta(days=20), planned=today)
    for role in ("secretary", "director", "handler"):
        services.disclosure_sign(
            disclosure=ready, actor=world.user(f"yincheng_{role}"), community=here(), role=role
        )
    question = FeedbackFactory.create(on=today, text="请问第三季度的办公费具体买了什么?")
    order = rectification_create(world.yincheng, SurveyFactory.create(community=world.yincheng))
    return {
        "draft": plain,
        "returned": returned,
        "review": to_review,
        "half": half,
        "ready": ready,
        "question": question,
        "order": order,
    }


# Which rows each role finds: (step, title). Obligations coming due are added to these where the world
# has some (handler and secretary), so they are compared separately.
EXPECTED = {
    "handler": {
        ("draft", "待完成的草稿"),
        ("resubmit", "被退回的草稿"),
        ("sign", "待签字的公开"),
        ("publish", "待公布的公开"),
        ("answer", "居民询问:请问第三季度的办公费具体买了什么?"),
        ("rectify", "街道整改通知:-满意率低于 90%"),
    },
    "secretary": {
        ("publish", "待公布的公开"),
        ("answer", "居民询问:请问第三季度的办公费具体买了什么?"),
        ("rectify", "街道整改通知:-满意率低于 90%"),
    },
    "director": {
        ("sign", "待签字的公开"),
        ("publish", "待公布的公开"),
        ("answer", "居民询问:请问第三季度的办公费具体买了什么?"),
        ("rectify", "街道整改通知:-满意率低于 90%"),
    },
    "deputy": {("answer", "居民询问:请问第三季度的办公费具体买了什么?")},
    "supervisor": {("review", "待审核的公开")},
    "finance": set(),
    "representative": set(),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_finds_its_own_work_and_nothing_else(work, client_for, role):  # type: ignore[no-untyped-def]
    rows = queue(staff(client_for, role))
    assert {r for r in rows if r[0] != "obligation"} == EXPECTED[role]
    if role not in ("handler", "secretary"):
        assert not [r for r in rows if r[0] == "obligation"], "obligations go to those reminded of them"
    if not EXPECTED[role]:
        assert "现在没有等您办理的事项" in staff(client_for, role).get("/workspace/").content.decode()


def test_the_menu_counts_what_waits(work, client_for):  # type: ignore[no-untyped-def]
    client = staff(client_for, "director")
    page = client.get("/workspace/obligations/").content.decode()
    assert re.search(r'工作台 <span class="count"[^>]*>4</span>', page)
    page = staff(client_for, "finance").get("/workspace/obligations/").content.decode()
    assert not re.search(r'工作台 <span class="count"', page)


def test_a_row_says_the_deadline_in_chinese_and_the_working_days_left(work, client_for, in_yincheng):  # type: ignore[no-untyped-def]
    page = mine(staff(client_for, "secretary"))
    due = work["question"].due_date
    assert f"{due.month}月{due.day}日" in page
    assert re.search(r"还剩 \d+ 个工作日", page)
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", re.sub(r"<[^>]+>", " ", page))


def test_a_step_done_by_one_leaves_every_queue_that_showed_it(work, client_for, world):  # type: ignore[no-untyped-def]
    director = staff(client_for, "director")
    handler = staff(client_for, "handler")
    assert ("sign", "待签字的公开") in queue(director)
    assert ("publish", "待签字的公开") not in queue(handler)
    services.disclosure_sign(
        disclosure=work["half"], actor=world.user("yincheng_director"), community=here(), role="director"
    )
    assert ("sign", "待签字的公开") not in queue(director)
    services.disclosure_sign(
        disclosure=work["half"], actor=world.user("yincheng_handler"), community=here(), role="handler"
    )
    assert ("publish", "待签字的公开") in queue(handler)
    assert ("publish", "待签字的公开") in queue(director)


def test_an_overdue_obligation_comes_before_one_due_later(world, client_for, in_yincheng):  # type: ignore[no-untyped-def]
    from disclosure.choices import ObligationStatus
    from disclosure.models import Obligation
    from tests.factories import EventObligationFactory

    today = timezone.localdate()
    late = EventObligationFactory.create(description="早该公开的停水", event_date=today - timedelta(days=30))
    later = EventObligationFactory.create(description="快到期的停电", event_date=today, code="SW-05")
    Obligation.objects.filter(pk=late.pk).update(status=ObligationStatus.OVERDUE)
    Obligation.objects.filter(pk=later.pk).update(status=ObligationStatus.DUE_SOON)
    rows = [title for step, title in queue(staff(client_for, "handler")) if step == "obligation"]
    assert rows.index(late.title) < rows.index(later.title)
    page = mine(staff(client_for, "handler"))
    assert "已逾期" in page and re.search(r"超期 \d+ 个工作日", page)


# --- the tracker -----------------------------------------------------------------------------------------


def stages(page: str) -> dict[str, str]:
    """Each step of the tracker and its state (done, current, todo, returned)."""
    found = re.findall(r'tracker__step--(\w+)".*?<strong>([^<]+)</strong>', page, re.S)
    return {label: state for state, label in found}


def test_the_tracker_marks_the_current_step_and_who_is_still_to_sign(work, client_for):  # type: ignore[no-untyped-def]
    half = work["half"]
    page = staff(client_for, "representative").get(f"/workspace/disclosures/{half.pk}/").content.decode()
    assert stages(page) == {
        "拟稿": "done",
        "监督小组审核": "done",
        "三人签字": "current",
        "公布": "todo",
        "公示": "todo",
        "归档": "todo",
    }
    assert "还差:居委会主任、经办人" in page
    assert f"所签内容 {half.content_hash[:12]}" in page
    assert "这一步不需要您办理" in page and "当前步骤:三人签字" in page


def test_the_tracker_shows_a_return_and_its_reason(work, client_for):  # type: ignore[no-untyped-def]
    page = staff(client_for, "handler").get(f"/workspace/disclosures/{work['returned'].pk}/").content.decode()
    assert stages(page)["拟稿"] == "current" and stages(page)["监督小组审核"] == "returned"
    assert "退回修改" in page and "第3笔支出缺少凭证号" in page


def test_the_tracker_shows_a_signature_voided_by_a_later_change(work, client_for, world):  # type: ignore[no-untyped-def]
    half = work["half"]
    handler = world.user("yincheng_handler")
    services.disclosure_withdraw(disclosure=half, actor=handler, reason="补充附件")
    services.attachment_add(disclosure=half, actor=handler, upload=SimpleUploadedFile("收据.png", PNG))
    page = staff(client_for, "handler").get(f"/workspace/disclosures/{half.pk}/").content.decode()
    assert "党组织书记" in page and "已失效" in page


def test_the_tracker_of_a_published_item_shows_channels_and_display(world, client_for, in_yincheng):  # type: ignore[no-untyped-def]
    d = published_recently(world, title="已公布的公开")
    page = staff(client_for, "finance").get(f"/workspace/disclosures/{d.pk}/").content.decode()
    assert stages(page)["公布"] == "done" and stages(page)["公示"] == "current"
    assert "渠道:公开栏、网站" in page
    until = d.display_until
    assert until is not None and f"公示至 {until.year}年{until.month}月{until.day}日" in page


# --- checking before signing -----------------------------------------------------------------------------


def test_signing_shows_what_is_signed_then_signs_that(work, client_for):  # type: ignore[no-untyped-def]
    half = work["half"]
    client = staff(client_for, "director")
    url = f"/workspace/disclosures/{half.pk}/confirm/sign/"
    detail = client.get(f"/workspace/disclosures/{half.pk}/").content.decode()
    assert f'href="{url}"' in detail
    page = client.get(url).content.decode()
    assert "待签字的公开" in page and half.content_hash[:12] in page and "确认无误,签字" in page
    answer = client.post(url, {"role": "director", "content_hash": half.content_hash})
    assert answer.status_code == 302
    assert Signature.objects.filter(disclosure=half, role="director", content_hash=half.content_hash).exists()


def test_a_signature_on_content_changed_since_it_was_shown_is_refused(work, client_for, world):  # type: ignore[no-untyped-def]
    half = work["half"]
    shown = half.content_hash
    handler = world.user("yincheng_handler")
    services.disclosure_withdraw(disclosure=half, actor=handler, reason="补充附件")
    services.attachment_add(disclosure=half, actor=handler, upload=SimpleUploadedFile("收据.png", PNG))
    services.disclosure_submit(
        disclosure=half,
        actor=handler,
        community=here(),
        planned_publish_date=timezone.localdate() + timedelta(30),
    )
    services.disclosure_review(
        community=here(), disclosure=half, actor=world.user("yincheng_supervisor"), decision="approve"
    )
    answer = staff(client_for, "director").post(
        f"/workspace/disclosures/{half.pk}/confirm/sign/", {"role": "director", "content_hash": shown}
    )
    assert answer.status_code == 400
    assert "内容又被修改过" in answer.content.decode()
    assert not Signature.objects.filter(disclosure=half, role="director").exists()


def test_a_review_returned_without_comments_keeps_the_choice_on_the_page(work, client_for):  # type: ignore[no-untyped-def]
    d = work["review"]
    answer = staff(client_for, "supervisor").post(
        f"/workspace/disclosures/{d.pk}/confirm/review/",
        {"decision": "return", "comments": "", "content_hash": d.content_hash},
    )
    page = answer.content.decode()
    assert answer.status_code == 400 and "退回修改时请写明意见" in page
    assert re.search(r'value="return"[^>]*checked', page)
    d.refresh_from_db()
    assert d.status == "submitted"


def test_a_step_not_yours_is_not_offered_for_confirmation(work, client_for):  # type: ignore[no-untyped-def]
    d = work["half"]
    refused = staff(client_for, "supervisor").get(f"/workspace/disclosures/{d.pk}/confirm/sign/")
    assert refused.status_code == 403
    signed_already = staff(client_for, "secretary").get(f"/workspace/disclosures/{d.pk}/confirm/sign/")
    assert (
        signed_already.status_code == 302 and signed_already["Location"] == f"/workspace/disclosures/{d.pk}/"
    )
    assert (
        staff(client_for, "director").get(f"/workspace/disclosures/{d.pk}/confirm/nonsense/").status_code
        == 404
    )


def test_the_summary_of_a_finance_statement_carries_its_totals(world, in_yincheng):  # type: ignore[no-untyped-def]
    lines = [
        {
            "date": "2026-07-03",
            "description": f"第{i}笔",
            "direction": "expense" if i % 2 else "income",
            "category": "办公",
            "amount": "100.50",
            "voucher": f"记-{i}",
        }
        for i in range(1, 41)
    ]
    d = draft(
        world,
        title="2026年第三季度财务收支",
        category="finance",
        content_type="finance",
        data={
            "period": "2026年第三季度",
            "opening_balance": "1000",
            "closing_balance": "1000",
            "lines": lines,
        },
    )
    summary = dict(content_summary(d))
    assert summary["收入合计"] == "2,010.00 元" and summary["支出合计"] == "2,010.00 元"
    assert summary["收支明细"] == "40 笔(其中报账 0 笔)"
    assert Decimal(d.data["income_total"]) == Decimal("2010.00")


# --- files on the staff page ------------------------------------------------------------------------------


def test_a_draft_takes_several_files_at_once_and_lists_them(world, client_for, in_yincheng):  # type: ignore[no-untyped-def]
    d = draft(world)
    client = staff(client_for, "handler")
    answer = client.post(
        f"/workspace/disclosures/{d.pk}/attach/",
        {
            "upload": [
                SimpleUploadedFile("会议纪要.pdf", PDF),
                SimpleUploadedFile("现场照片.png", png_unique()),
            ]
        },
        follow=True,
    )
    page = answer.content.decode()
    assert "已上传 2 个附件" in page
    assert "会议纪要.pdf" in page and "现场照片.png" in page and "PNG 图片" in page
    assert d.attachments.count() == 2


def test_one_bad_file_refuses_the_batch_and_names_it(world, client_for, in_yincheng):  # type: ignore[no-untyped-def]
    d = draft(world)
    client = staff(client_for, "handler")
    answer = client.post(
        f"/workspace/disclosures/{d.pk}/attach/",
        {"upload": [SimpleUploadedFile("好的.pdf", PDF), SimpleUploadedFile("病毒.exe", b"MZ\x90\x00")]},
        follow=True,
    )
    assert answer.status_code == 400, "the page again, the refused batch named"
    assert "“病毒.exe”" in answer.content.decode()
    assert d.attachments.count() == 0


def test_the_staff_page_lists_every_file_a_resident_can_open(world, client_for, in_yincheng):  # type: ignore[no-untyped-def]
    d = draft(world, title="带附件的公开")
    handler = world.user("yincheng_handler")
    for name in ("公示表.pdf", "照片一.png", "照片二.png"):
        payload = PDF if name.endswith(".pdf") else png_unique()
        services.attachment_add(disclosure=d, actor=handler, upload=SimpleUploadedFile(name, payload))
    today = timezone.localdate()
    services.disclosure_submit(
        disclosure=d,
        actor=handler,
        community=here(),
        planned_publish_date=today,
        today=today - timedelta(days=20),
    )
    services.disclosure_review(
        community=here(), disclosure=d, actor=world.user("yincheng_supervisor"), decision="approve"
    )
    for role in ("secretary", "director", "handler"):
        services.disclosure_sign(
            disclosure=d, actor=world.user(f"yincheng_{role}"), community=here(), role=role
        )
    services.disclosure_publish(disclosure=d, actor=handler, community=here(), channels=["board", "web"])
    public = client_for("yincheng").get(f"/disclosures/{d.pk}/").content.decode()
    staff_page = staff(client_for, "finance").get(f"/workspace/disclosures/{d.pk}/").content.decode()
    public_files = set(re.findall(r"(公示表\.pdf|照片一\.png|照片二\.png)", public))
    staff_files = set(re.findall(r"(公示表\.pdf|照片一\.png|照片二\.png)", staff_page))
    assert public_files == {"公示表.pdf", "照片一.png", "照片二.png"}
    assert staff_files >= public_files
    assert Disclosure.objects.get(pk=d.pk).attachments.count() == 3


def test_the_front_page_shows_only_notifications_still_waiting(work, client_for):  # type: ignore[no-untyped-def]
    page = staff(client_for, "supervisor").get("/workspace/").content.decode()
    waiting = page[page.index("待处理的通知") : page.index("本社区办理中")]
    assert "请审核:待审核的公开" in waiting
    assert "请审核:被退回的草稿" not in waiting, "reviewed already: resolved, in the history only"


def test_a_refused_step_shows_the_page_again_with_what_was_typed(work, client_for):  # type: ignore[no-untyped-def]
    client = staff(client_for, "handler")
    d = work["draft"]
    answer = client.post(
        f"/workspace/disclosures/{d.pk}/submit/",
        {"planned_publish_date": "2026-02-30", "short_notice_reason": "居民急需知道停水安排"},
    )
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "提交的内容有问题" in page and 'href="#id_planned_publish_date"' in page
    assert 'value="居民急需知道停水安排"' in page
    d.refresh_from_db()
    assert d.status == "draft"
    in_review = work["review"]
    answer = client.post(f"/workspace/disclosures/{in_review.pk}/withdraw/", {"withdraw-reason": "   "})
    page = answer.content.decode()
    assert answer.status_code == 400 and "<details open><summary>撤回修改" in page
    in_review.refresh_from_db()
    assert in_review.status == "submitted"
