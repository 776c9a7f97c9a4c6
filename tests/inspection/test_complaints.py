"""居民向街道投诉 (000 第十五条; 桂花方案 八(三)): the form and status page on the base domain, the street
office's inbox, its deadlines, the finding that opens an order, and what the community may see."""

import os
from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from inspection import rules, services
from inspection.choices import ComplaintDueBasis, ComplaintFinding, ComplaintStatus, RectificationSource
from inspection.models import Complaint
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tests.conftest import login
from tests.factories import published_recently
from workdays import services as workdays

pytestmark = pytest.mark.django_db

NAME, MOBILE = "王秀英", "13912345678"


@pytest.fixture
def item(world):
    with tenant_context(world.yincheng):
        return published_recently(world, title="2026年11月低保名单公示")


def as_user(client_for, username, code=None):
    client = client_for(code)
    login(client, username)
    return client


def file_signed(world, item, text="低保名单少了两户,没有写家庭人口。"):
    return services.complaint_submit(
        community=world.yincheng, disclosure_id=item.pk, text=text, name=NAME, mobile=MOBILE
    )


def test_an_anonymous_complaint_is_answered_within_ten_working_days():
    received = date(2026, 9, 28)  # the National Day holiday follows
    due, _provisional, basis = services.complaints.complaint_due(received_on=received, signed=False)
    assert due == workdays.add_working_days(received, rules.COMPLAINT_ANSWER_WORKING_DAYS).date
    assert basis == ComplaintDueBasis.WORKING_DAYS


def test_a_signed_complaints_result_is_due_within_fifteen_days_even_over_a_holiday():
    received = date(2026, 9, 28)
    due, _provisional, basis = services.complaints.complaint_due(received_on=received, signed=True)
    assert due == received + timedelta(days=rules.COMPLAINT_SIGNED_RESULT_DAYS)
    assert due < workdays.add_working_days(received, rules.COMPLAINT_ANSWER_WORKING_DAYS).date
    assert basis == ComplaintDueBasis.SIGNED


def test_a_resident_files_a_complaint_on_the_base_domain_and_reads_the_answer_with_the_code(
    world, item, client_for
):
    resident = client_for(None)
    chooser = resident.get("/complaints/")
    assert chooser.status_code == 200 and "银城社区" in chooser.content.decode()
    form = resident.get("/complaints/?community=yincheng")
    assert "2026年11月低保名单公示" in form.content.decode()
    sent = resident.post(
        "/complaints/?community=yincheng",
        {"item": str(item.pk), "text": "名单少了两户 <b>", "name": "", "mobile": ""},
    )
    assert sent.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.community == world.yincheng and complaint.item_title == "2026年11月低保名单公示"
    assert sent["Location"] == f"/complaints/{complaint.code}/?new=1"
    waiting = resident.get(f"/complaints/{complaint.code.lower()}/", follow=True).content.decode()
    assert "街道正在调查" in waiting and "名单少了两户 &lt;b&gt;" in waiting

    services.complaint_conclude(
        complaint=complaint,
        actor=world.user("yinzhou_inspector"),
        finding="upheld",
        answer="已责令社区补充公布。",
    )
    answered = resident.get(
        f"/complaints/lookup/?code={complaint.code_display}", follow=True
    ).content.decode()
    assert "已责令社区补充公布。" in answered and "属实" in answered


def test_complaint_codes_that_match_nothing_are_counted_per_address_and_then_refused(
    world, item, client_for, settings
):
    settings.CODE_LOOKUP_MISSES = "1/h"
    complaint = file_signed(world, item)
    guesser = client_for(None)
    guesser.defaults["REMOTE_ADDR"] = f"10.{os.getpid() % 250}.231.9"
    assert guesser.get("/complaints/ZZZZZYYYYY/").status_code == 404
    refused = guesser.get(f"/complaints/lookup/?code={complaint.code}")
    assert refused.status_code == 429 and "查询次数太多" in refused.content.decode()
    assert guesser.get(f"/complaints/{complaint.code}/").status_code == 429
    elsewhere = client_for(None)
    elsewhere.defaults["REMOTE_ADDR"] = f"10.{os.getpid() % 250}.231.10"
    assert elsewhere.get(f"/complaints/{complaint.code}/").status_code == 200


def test_an_item_of_another_community_is_refused_with_everything_typed_kept(world, client_for):
    with tenant_context(world.dongfeng):
        other = published_recently(world, community="dongfeng", title="东风社区的公示")
    page = client_for(None).post(
        "/complaints/?community=yincheng",
        {"item": str(other.pk), "text": "我写的内容", "name": "", "mobile": ""},
    )
    assert page.status_code == 400
    body = page.content.decode()
    assert "请从列表中选择这个社区已公布的一项内容" in body and "我写的内容" in body
    assert not Complaint.objects.exists()
    with pytest.raises(InvalidInput):
        services.complaint_submit(community=world.yincheng, disclosure_id=other.pk, text="x")


def test_a_half_signed_complaint_says_what_to_fill_in(world, item, client_for):
    page = client_for(None).post(
        "/complaints/?community=yincheng", {"item": "", "text": "没有公开", "name": NAME}
    )
    assert page.status_code == 400
    assert "署名反映请同时填写姓名和手机号码" in page.content.decode()


def test_an_upheld_complaint_opens_an_order_and_the_community_never_sees_who_complained(
    world, item, client_for
):
    complaint = file_signed(world, item)
    inspector = world.user("yinzhou_inspector")
    services.complaint_note_add(complaint=complaint, actor=inspector, text="到社区公开栏核对,确少两户。")
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.INVESTIGATING
    services.complaint_conclude(
        complaint=complaint,
        actor=inspector,
        finding=ComplaintFinding.UPHELD,
        answer="投诉属实,已责令社区整改。",
        open_order=True,
        issues="2026年11月低保名单缺两户,未写家庭人口,请补充公布。",
    )
    complaint.refresh_from_db()
    order = complaint.rectification
    assert complaint.status == ComplaintStatus.CONCLUDED
    assert order.source == RectificationSource.COMPLAINT and order.community == world.yincheng

    secretary = as_user(client_for, "yincheng_secretary", "yincheng")
    for path in ("/workspace/inspection/", f"/workspace/inspection/rectifications/{order.pk}/"):
        page = secretary.get(path)
        assert page.status_code == 200
        body = page.content.decode()
        assert NAME not in body and MOBILE not in body and MOBILE[-4:] not in body
    assert "缺两户" in secretary.get(f"/workspace/inspection/rectifications/{order.pk}/").content.decode()
    staff = (
        as_user(client_for, "yinzhou_inspector")
        .get(f"/inspection/complaints/{complaint.pk}/")
        .content.decode()
    )
    assert NAME in staff and MOBILE in staff


def test_an_order_only_follows_an_upheld_finding(world, item):
    complaint = file_signed(world, item)
    with pytest.raises(InvalidInput):
        services.complaint_conclude(
            complaint=complaint,
            actor=world.user("yinzhou_inspector"),
            finding=ComplaintFinding.NOT_UPHELD,
            answer="经核实,名单完整。",
            open_order=True,
            issues="x",
        )
    assert not Complaint.objects.filter(rectification__isnull=False).exists()


def test_a_concluded_complaint_is_not_changed_again(world, item):
    complaint = file_signed(world, item)
    inspector = world.user("yinzhou_inspector")
    services.complaint_conclude(
        complaint=complaint, actor=inspector, finding="not_upheld", answer="经核实名单完整。"
    )
    with pytest.raises(Conflict):
        services.complaint_note_add(complaint=complaint, actor=inspector, text="再看看")
    with pytest.raises(Conflict):
        services.complaint_conclude(complaint=complaint, actor=inspector, finding="upheld", answer="改口")


def test_another_street_office_neither_sees_nor_acts_on_the_complaint(world, item, client_for):
    complaint = file_signed(world, item)
    other = as_user(client_for, "dongguan_inspector")
    assert other.get(f"/inspection/complaints/{complaint.pk}/").status_code == 404
    assert complaint.code not in other.get("/inspection/complaints/").content.decode()
    assert client_for(None).get("/inspection/complaints/").status_code == 302
    with pytest.raises(NotAllowed):
        services.complaint_note_add(complaint=complaint, actor=world.user("dongguan_inspector"), text="看看")


def test_the_inbox_shows_the_deadline_and_the_conclude_form_opens_the_order(world, item, client_for):
    complaint = file_signed(world, item)
    inspector = as_user(client_for, "yinzhou_inspector")
    inbox = inspector.get("/inspection/complaints/").content.decode()
    assert complaint.code in inbox and "剩余" in inbox
    refused = inspector.post(
        f"/inspection/complaints/{complaint.pk}/conclude/",
        {"finding": "upheld", "answer": "属实", "open_order": "on", "issues": ""},
    )
    assert refused.status_code == 400 and "下达整改通知时请写明需要整改的问题" in refused.content.decode()
    done = inspector.post(
        f"/inspection/complaints/{complaint.pk}/conclude/",
        {
            "finding": "upheld",
            "answer": "属实",
            "open_order": "on",
            "issues": "补充公布",
            "working_days": "5",
        },
    )
    assert done.status_code == 302
    complaint.refresh_from_db()
    assert complaint.rectification.due_date == workdays.add_working_days(timezone.localdate(), 5).date
