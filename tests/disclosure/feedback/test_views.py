"""The residents' pages and the staff inbox over HTTP: what is kept when a submission is refused, what
is masked, and who gets nothing."""

import itertools
import os
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure.feedback import services
from disclosure.feedback.choices import Kind
from disclosure.feedback.models import Feedback
from tests.conftest import host, login
from tests.factories import PASSWORD, FeedbackFactory, here, published_recently

pytestmark = pytest.mark.django_db
_addresses = itertools.count(1)


def resident(code="yincheng"):
    """A browser on its own address: the rate limit counts per address in the run's Redis."""
    n = next(_addresses)
    return Client(HTTP_HOST=host(code), REMOTE_ADDR=f"10.{os.getpid() % 250}.{n // 250}.{n % 250 + 1}")


def staff(login_name, code="yincheng"):
    client = Client(HTTP_HOST=host(code))
    assert login(client, login_name, PASSWORD).status_code == 302
    return client


def post(client, **data):
    form = {
        "kind": Kind.QUESTION,
        "text": "路灯坏了三个月了,什么时候修?",
        "name": "",
        "mobile": "",
        "homepage": "",
    }
    form.update(data)
    return client.post("/feedback/", form)


def only(world, **filters):
    with tenant_context(world.yincheng):
        return Feedback.objects.get(**filters)


def test_an_anonymous_resident_submits_and_follows_the_code(world):
    client = resident()
    response = post(client, text="第十二条的低保名单上少了一户。")
    assert response.status_code == 302
    location = re.fullmatch(r"/feedback/([A-Z0-9]{10})/\?new=1", response["Location"])
    assert location is not None, response["Location"]
    code = location.group(1)
    page = client.get(response["Location"]).content.decode()
    assert "已收到您的反映" in page and f"{code[:5]}-{code[5:]}" in page and "匿名" in page
    assert "第十二条的低保名单上少了一户。" in page
    # lookup by what is on the slip of paper, in any case, with a dash
    found = client.get("/feedback/lookup/", {"code": f"{code[:5].lower()}-{code[5:]}"})
    assert found.status_code == 302 and found["Location"] == f"/feedback/{code}/"
    assert client.get(f"/feedback/{code.lower()}/")["Location"] == f"/feedback/{code}/"
    missing = client.get("/feedback/lookup/", {"code": "ABCDEFGHJK"})
    assert missing.status_code == 400 and "没有找到这个查询码" in missing.content.decode()
    assert client.get("/feedback/ABCDEFGHJK/").status_code == 404


def test_a_signed_residents_mobile_is_masked_on_the_status_page(world):
    client = resident()
    response = post(client, name="王建国", mobile="13812341234")
    page = client.get(response["Location"]).content.decode()
    assert "138****1234" in page and "13812341234" not in page and "王建国" not in page


def test_a_question_about_a_disclosure_links_it_and_its_public_answer_shows_on_the_portal(world):
    with tenant_context(world.yincheng):
        d = published_recently(world)
    client = resident()
    portal = client.get(f"/disclosures/{d.pk}/").content.decode()
    assert f"/feedback/?disclosure={d.pk}" in portal
    form = client.get(f"/feedback/?disclosure={d.pk}").content.decode()
    assert d.title in form
    response = client.post(
        f"/feedback/?disclosure={d.pk}",
        {
            "kind": Kind.QUESTION,
            "text": "维修费包括哪些?",
            "disclosure": d.pk,
            "name": "王建国",
            "mobile": "13812341234",
        },
    )
    assert response.status_code == 302
    f = only(world, disclosure=d)
    with tenant_context(world.yincheng):
        services.feedback_answer(
            community=here(),
            feedback=f,
            actor=world.user("yincheng_handler"),
            answer="含人工和材料。",
            public=True,
        )
    portal = client.get(f"/disclosures/{d.pk}/").content.decode()
    assert "维修费包括哪些?" in portal and "含人工和材料。" in portal
    assert "13812341234" not in portal and "王建国" not in portal and "138****1234" not in portal


def test_a_private_answer_shows_only_on_the_status_page(world):
    with tenant_context(world.yincheng):
        d = published_recently(world)
        f = FeedbackFactory.create(disclosure=d, on=timezone.localdate())
        services.feedback_answer(
            community=here(),
            feedback=f,
            actor=world.user("yincheng_handler"),
            answer="只告诉您:已核实。",
            public=False,
        )
    client = resident()
    assert "只告诉您" not in client.get(f"/disclosures/{d.pk}/").content.decode()
    assert "只告诉您" in client.get(f"/feedback/{f.code}/").content.decode()


def test_feedback_on_a_disclosure_nobody_may_see_is_404(world):
    client = resident()
    assert client.get("/feedback/?disclosure=999999").status_code == 404
    assert client.get("/feedback/?disclosure=abc").status_code == 404


def test_oversize_text_is_refused_with_every_word_kept(world):
    text = "路灯" * 1001 + "<结尾>"
    response = post(resident(), text=text, name="王建国", mobile="13812341234")
    page = response.content.decode()
    assert response.status_code == 400
    assert "最多 2000 个字,现在有 2006 个字" in page
    assert "路灯" * 1001 + "&lt;结尾&gt;" in page  # escaped, every character back in the box
    assert 'value="13812341234"' in page and 'value="王建国"' in page
    assert "maxlength" not in page.split('name="text"')[1].split(">")[0]
    assert not Feedback.objects.exists()


def test_a_wrong_mobile_number_is_refused_with_the_text_kept(world):
    response = post(resident(), name="王建国", mobile="1381234", text="我的原话")
    page = response.content.decode()
    assert response.status_code == 400 and "11位中国大陆手机号码" in page and "我的原话" in page


def test_the_honeypot_refuses_robots_and_keeps_the_text(world):
    response = post(resident(), homepage="http://spam.example", text="买便宜药")
    page = response.content.decode()
    assert response.status_code == 400 and "自动程序" in page and "买便宜药" in page
    with tenant_context(world.yincheng):
        assert not Feedback.objects.exists()


def test_the_rate_limit_counts_per_address_in_redis_and_keeps_the_text(world, settings):
    settings.FEEDBACK_SUBMIT_RATE = "2/h"
    client = resident()
    assert post(client).status_code == 302
    assert post(client).status_code == 302
    refused = post(client, text="第三次的原话")
    page = refused.content.decode()
    assert refused.status_code == 429 and "提交次数太多" in page and "第三次的原话" in page
    assert post(resident()).status_code == 302  # another address is not held back
    with tenant_context(world.yincheng):
        assert Feedback.objects.count() == 3


def test_the_rate_limit_believes_x_forwarded_for_only_from_the_local_proxy(world, settings):
    settings.FEEDBACK_SUBMIT_RATE = "1/h"
    n = next(_addresses)
    forwarded = f"10.{os.getpid() % 250}.251.{n % 250 + 1}"
    behind_proxy = Client(HTTP_HOST=host("yincheng"), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert post(behind_proxy).status_code == 302
    assert post(behind_proxy).status_code == 429
    other = Client(
        HTTP_HOST=host("yincheng"),
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=f"10.{os.getpid() % 250}.252.{n % 250 + 1}",
    )
    assert post(other).status_code == 302
    # from a non-proxy address the header is ignored: forging it does not reset the count
    direct = resident()
    assert post(direct).status_code == 302
    direct.defaults["HTTP_X_FORWARDED_FOR"] = f"10.{os.getpid() % 250}.253.{n % 250 + 1}"
    assert post(direct).status_code == 429


def test_the_resident_rates_once_on_the_status_page(world):
    with tenant_context(world.yincheng):
        f = FeedbackFactory.create(on=timezone.localdate())
        services.feedback_answer(
            community=here(), feedback=f, actor=world.user("yincheng_handler"), answer="好", public=False
        )
    client = resident()
    assert client.post(f"/feedback/{f.code}/", {"rating": "3"}).status_code == 302
    again = client.post(f"/feedback/{f.code}/", {"rating": "1"})
    assert again.status_code == 409
    assert client.post(f"/feedback/{f.code}/", {"rating": "9"}).status_code == 400
    assert "满意" in client.get(f"/feedback/{f.code}/").content.decode()


def test_garbage_never_gives_a_500(world):
    client = resident()
    assert post(client, kind="nonsense").status_code == 400
    assert client.post("/feedback/", {}).status_code == 400
    assert client.get("/feedback/lookup/", {"code": "!" * 40}).status_code == 400
    assert client.post("/feedback/", {"text": "\x00\x01", "kind": Kind.QUESTION}).status_code == 400


# --- staff ----------------------------------------------------------------------------------------------


def test_the_inbox_shows_the_clock_and_masks_the_mobile(world):
    today = timezone.localdate()
    with tenant_context(world.yincheng):
        fresh = FeedbackFactory.create(on=today, name="王建国", mobile="13812341234")
        late = FeedbackFactory.create(on=today - timedelta(days=40), text="早就该答复的问题")
    page = staff("yincheng_handler").get("/workspace/feedback/").content.decode()
    assert "138****1234" in page and "13812341234" not in page
    assert "已逾期" in page and re.search(r"剩余 \d+ 个工作日", page)
    assert page.index(late.code) < page.index(fresh.code)  # nearest deadline first


def test_filters_by_kind_and_status(world):
    with tenant_context(world.yincheng):
        q = FeedbackFactory.create()
        o = FeedbackFactory.create(kind=Kind.OBJECTION)
    client = staff("yincheng_handler")
    page = client.get("/workspace/feedback/", {"kind": "objection"}).content.decode()
    assert o.code in page and q.code not in page
    assert q.code not in client.get("/workspace/feedback/", {"status": "answered"}).content.decode()
    assert client.get("/workspace/feedback/", {"status": "x", "kind": "y"}).status_code == 200


def test_the_full_mobile_only_to_staff_who_answer(world):
    with tenant_context(world.yincheng):
        f = FeedbackFactory.create(kind=Kind.COMPLAINT, name="王建国", mobile="13812341234")
    assert "13812341234" in staff("yincheng_handler").get(f"/workspace/feedback/{f.pk}/").content.decode()
    page = staff("yincheng_supervisor").get(f"/workspace/feedback/{f.pk}/").content.decode()
    assert "138****1234" in page and "13812341234" not in page


def test_staff_answer_through_the_page_and_a_supervisor_cannot(world):
    with tenant_context(world.yincheng):
        f = FeedbackFactory.create()
    refused = staff("yincheng_supervisor").post(
        f"/workspace/feedback/{f.pk}/answer/", {"answer": "我来答", "public": "1"}
    )
    assert refused.status_code == 403 and "只有社区党组织书记" in refused.content.decode()
    empty = staff("yincheng_handler").post(
        f"/workspace/feedback/{f.pk}/answer/", {"answer": "", "public": "1"}
    )
    assert empty.status_code == 400
    ok = staff("yincheng_handler").post(
        f"/workspace/feedback/{f.pk}/answer/", {"answer": "已修好。", "public": "0"}
    )
    assert ok.status_code == 302
    assert only(world, pk=f.pk).answer == "已修好。"


def test_another_communitys_staff_and_anonymous_visitors_get_nothing(world):
    with tenant_context(world.yincheng):
        f = FeedbackFactory.create(kind=Kind.OBJECTION)
    urls = ["/workspace/feedback/", "/workspace/feedback/supervision/", f"/workspace/feedback/{f.pk}/"]
    for url in urls:
        anonymous = Client(HTTP_HOST=host("yincheng")).get(url)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    # a yinnan handler logged in on yinnan, then trying yincheng with the same session cookie
    yinnan = staff("yinnan_handler", "yinnan")
    yinnan.defaults["HTTP_HOST"] = host("yincheng")
    for url in urls:
        assert yinnan.get(url).status_code in (302, 403)
    assert yinnan.post(f"/workspace/feedback/{f.pk}/answer/", {"answer": "x", "public": "1"}).status_code in (
        302,
        403,
    )
    # yinnan's own inbox does not list yincheng's matter, and its code means nothing there
    own = staff("yinnan_handler", "yinnan")
    assert f.code not in own.get("/workspace/feedback/").content.decode()
    assert own.get(f"/workspace/feedback/{f.pk}/").status_code == 404
    assert resident("yinnan").get(f"/feedback/{f.code}/").status_code == 404
    assert only(world, pk=f.pk).status == "received"


def test_a_resident_representative_has_no_inbox(world):
    assert staff("yincheng_representative").get("/workspace/feedback/").status_code == 403


def test_the_supervision_group_records_a_finding_and_orders_re_publication_from_the_page(world):
    with tenant_context(world.yincheng):
        d = published_recently(world)
        f = FeedbackFactory.create(kind=Kind.OBJECTION, disclosure=d, on=timezone.localdate())
    client = staff("yincheng_supervisor")
    inbox = client.get("/workspace/feedback/supervision/").content.decode()
    assert f.code in inbox
    response = client.post(
        f"/workspace/feedback/{f.pk}/finding/",
        {
            "finding": "substantiated",
            "text": "漏报维修费 800 元。",
            "order_republication": "on",
            "working_days": "5",
        },
    )
    assert response.status_code == 302
    f = only(world, pk=f.pk)
    assert f.republication is not None and f.republication.supersedes_id == d.pk
    page = client.get(f"/workspace/feedback/{f.pk}/").content.decode()
    assert "已责令重新公布" in page


def test_a_finding_on_a_general_complaint_needs_no_deadline_and_cannot_order_re_publication(world):
    with tenant_context(world.yincheng):
        f = FeedbackFactory.create(kind=Kind.COMPLAINT, text="居委会办事拖拉。")
    client = staff("yincheng_supervisor")
    refused = client.post(
        f"/workspace/feedback/{f.pk}/finding/",
        {"finding": "substantiated", "text": "属实", "order_republication": "on"},
    )
    page = refused.content.decode()
    assert refused.status_code == 400 and "不针对某项公开内容" in page
    assert (
        client.post(
            f"/workspace/feedback/{f.pk}/finding/", {"finding": "unfounded", "text": "经查不属实。"}
        ).status_code
        == 302
    )
    assert only(world, pk=f.pk).finding == "unfounded"


def test_text_with_angle_brackets_and_markup_reads_back_unchanged_everywhere(world):
    """What a resident types is what every page shows: nothing cut that looks like a tag, all of it
    escaped (the status page, the staff inbox and the matter's page; the answer on the portal)."""
    typed = "如果 x<y 且 y>z,补助是否少发?<b>不是加粗</b> & 其他 <script>alert(1)</script>"
    client = resident()
    response = post(client, text=typed)
    assert response.status_code == 302
    f = only(world, text=typed)
    escaped = typed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert escaped in client.get(response["Location"]).content.decode()
    handler = staff("yincheng_handler")
    assert escaped in handler.get(f"/workspace/feedback/{f.pk}/").content.decode()
    excerpt = escaped[: escaped.index("不是加粗")]
    assert excerpt in handler.get("/workspace/feedback/").content.decode()
    answer = "x<y 时按 <少发> 处理 & 补发"
    assert (
        handler.post(f"/workspace/feedback/{f.pk}/answer/", {"answer": answer, "public": "0"}).status_code
        == 302
    )
    assert only(world, pk=f.pk).answer == answer
    page = client.get(response["Location"].split("?")[0]).content.decode()
    assert answer.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in page
    assert "<script>alert(1)</script>" not in page


def test_codes_that_match_nothing_are_counted_per_address_and_then_refused(world, settings):
    """Ten characters are not guessable, and a robot may still not try: after ``CODE_LOOKUP_MISSES``
    misses in an hour the address is refused lookups (a right code too), with everything typed kept."""
    settings.CODE_LOOKUP_MISSES = "2/h"
    with tenant_context(world.yincheng):
        feedback = FeedbackFactory.create(on=timezone.localdate())
    found_often = resident()
    for _ in range(3):  # finding a real code is never counted
        assert found_often.get(f"/feedback/lookup/?code={feedback.code}").status_code == 302
    guesser = resident()
    assert guesser.get("/feedback/lookup/?code=AAAAABBBBB").status_code == 400
    assert guesser.get("/feedback/AAAAABBBBC/").status_code == 404
    refused = guesser.get(f"/feedback/lookup/?code={feedback.code}")
    page = refused.content.decode()
    assert refused.status_code == 429 and "查询次数太多" in page and feedback.code in page
    status = guesser.get(f"/feedback/{feedback.code}/")
    assert status.status_code == 429 and "查询次数太多" in status.content.decode()
    assert (
        resident().get(f"/feedback/{feedback.code}/").status_code == 200
    )  # another address is not held back
