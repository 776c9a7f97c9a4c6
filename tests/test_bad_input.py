"""The bad-input catalogue (issue 7 item 3): what a careless, hurried or hostile user can send, and the
answer each gets — a Chinese message on the page (400, what was typed kept) or an RFC 9457 problem in
the API, never a 500, and nothing that was already saved lost or half-changed."""

from __future__ import annotations

import hashlib
import os
import threading
import uuid
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure import services
from disclosure.models import Attachment, Disclosure
from inspection import services as inspection_services
from inspection.models import Rectification, SpotCheck, SpotCheckDraw, SpotCheckPhoto, Vote
from inspection.services.spot_checks import PHOTO_TYPES
from tenants.errors import InvalidInput
from tenants.uploads import upload_check
from tests.conftest import login
from tests.factories import (
    BY_LOGIN,
    FINANCE_GRANT,
    PDF,
    PNG,
    SIGNERS,
    at,
    draft,
    finance_post,
    here,
    pdf_with,
    png_unique,
    png_with_text,
    published,
    signed,
    throwaway_community,
)
from workdays.periods import Span, period_of

TZ = ZoneInfo("Asia/Shanghai")
MB = 1024 * 1024


def staff(client_for, login_name: str):
    code = login_name.split("_")[0]
    client = client_for(None if code in ("yinzhou", "dongguan") else code)
    login(client, login_name)
    return client


def stored_files(fragment: str) -> list[Path]:
    """Stored files whose name holds ``fragment`` (a SHA-256 prefix or a unique period). Other test
    runs on this machine share the media folder, so tests look for their own names, not for counts;
    and the storage caches its root, so tests do not point MEDIA_ROOT elsewhere."""
    from django.core.files.storage import default_storage

    root = Path(default_storage.path("probe")).parents[1]
    return [p for p in root.rglob(f"*{fragment}*") if p.is_file()]


def sha_prefix(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()[:16]


def messages_on(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# --- uploads ------------------------------------------------------------------------------------------

BAD_FILES = [
    # (what it is, the name it claims, its bytes, what the answer says)
    ("HTML named .pdf", "通知.pdf", b"<html><script>alert(1)</script></html>", "内容不符"),
    (
        "SVG with script named .png",
        "照片.png",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>',
        "内容不符",
    ),
    (
        "PDF header with an HTML page inside (polyglot)",
        "扫描件.pdf",
        b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF",
        "网页脚本",
    ),
    (
        "PDF that runs JavaScript when opened",
        "表格.pdf",
        pdf_with(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"),
        "打开时自动运行的脚本(JavaScript)",
    ),
    (
        "PDF that launches a program",
        "说明.pdf",
        pdf_with(b"/OpenAction << /S /L#61unch /F (cmd.exe) >>"),
        "启动电脑上其他程序的动作(Launch)",
    ),
    (
        "PNG with a script in a text chunk (polyglot)",
        "收据.png",
        png_with_text("<script>alert(1)</script>"),
        "网页脚本",
    ),
    ("an executable named .docx", "报告.docx", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120, "内容不符"),
    ("plain text named .xlsx", "名单.xlsx", b'=HYPERLINK("http://x")', "内容不符"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("label,name,payload,answer", BAD_FILES, ids=[f[0] for f in BAD_FILES])
def test_a_bad_attachment_is_refused_in_chinese_and_the_draft_keeps_what_it_had(
    world, client_for, label, name, payload, answer
):
    with tenant_context(world.yincheng):
        d = draft(world)
        good = services.attachment_add(
            disclosure=d, actor=world.user("yincheng_handler"), upload=SimpleUploadedFile("收据.png", PNG)
        )
        d.refresh_from_db()
        before = d.content_hash
    client = staff(client_for, "yincheng_handler")
    response = client.post(
        f"/workspace/disclosures/{d.pk}/attach/", {"upload": SimpleUploadedFile(name, payload)}, follow=True
    )
    assert response.status_code == 400  # the draft's page again, saying why
    assert answer in messages_on(response)
    with tenant_context(world.yincheng):
        assert list(Attachment.objects.filter(disclosure=d)) == [good]
        d.refresh_from_db()
        assert d.content_hash == before
    assert stored_files(sha_prefix(payload)) == []


@pytest.mark.django_db
def test_an_empty_or_oversized_attachment_is_refused_with_the_size(world, client_for, monkeypatch):
    monkeypatch.setattr("disclosure.services.attachments.MAX_ATTACHMENT_BYTES", 1024 * 1024)
    with tenant_context(world.yincheng):
        d = draft(world)
    client = staff(client_for, "yincheng_handler")
    empty = client.post(
        f"/workspace/disclosures/{d.pk}/attach/", {"upload": SimpleUploadedFile("a.pdf", b"")}, follow=True
    )
    assert "为空" in messages_on(empty) or "空文件" in messages_on(empty)
    big = PDF + b"0" * (1024 * 1024 + 1)
    response = client.post(
        f"/workspace/disclosures/{d.pk}/attach/", {"upload": SimpleUploadedFile("大.pdf", big)}, follow=True
    )
    assert "不能超过 1 MB,这个文件有 1.0 MB" in messages_on(response)
    ok = client.post(
        f"/workspace/disclosures/{d.pk}/attach/", {"upload": SimpleUploadedFile("a.pdf", PDF)}, follow=True
    )
    assert "附件已上传" in messages_on(ok)
    with tenant_context(world.yincheng):
        assert Attachment.objects.get(disclosure=d).mime_type == "application/pdf"


def _planned_check(world) -> SpotCheck:
    draw = inspection_services.spot_check_draw(
        street_office=world.yinzhou,
        period="2026-11",
        sample_size=1,
        actor=world.user("yinzhou_inspector"),
        seed="bad-input",
    )
    return SpotCheck.objects.get(draw=draw)


@pytest.mark.django_db
@pytest.mark.parametrize("label,name,payload,answer", BAD_FILES[:6], ids=[f[0] for f in BAD_FILES[:6]])
def test_a_bad_spot_check_photo_refuses_the_whole_record_and_writes_nothing(
    world, label, name, payload, answer
):
    check = _planned_check(world)
    good = png_unique()  # a photo of this test alone
    if name.endswith(".pdf"):
        answer = "第 2 张照片只能是 JPG 图片、PNG 图片;这个文件的内容不符"  # a photo is never a PDF
    with pytest.raises(InvalidInput, match=answer):
        inspection_services.spot_check_record(
            spot_check=check,
            actor=world.user("yinzhou_inspector"),
            visited_at=datetime(2026, 11, 20, 9, tzinfo=TZ),
            checklist={"board_current": True, "display_window_kept": False, "opinion_box": True},
            photos=[SimpleUploadedFile("好的.png", good), SimpleUploadedFile(name, payload)],
        )
    check.refresh_from_db()
    assert check.status == "planned"
    assert not SpotCheckPhoto.objects.exists() and not Rectification.objects.filter(spot_check=check).exists()
    stored_as = upload_check(SimpleUploadedFile("好的.png", good), allowed=PHOTO_TYPES, max_bytes=MB, what="")
    assert stored_files(stored_as.sha256[:16]) == [] and stored_files(sha_prefix(payload)) == []


@pytest.mark.django_db
def test_an_oversized_spot_check_photo_says_which_one(world, monkeypatch):
    monkeypatch.setattr("inspection.services.spot_checks.MAX_PHOTO_BYTES", 100)
    with pytest.raises(InvalidInput, match="第 2 张照片不能超过"):
        inspection_services.spot_check_record(
            spot_check=_planned_check(world),
            actor=world.user("yinzhou_inspector"),
            visited_at=datetime(2026, 11, 20, 9, tzinfo=TZ),
            checklist={"board_current": True, "display_window_kept": True, "opinion_box": True},
            photos=[SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("b.png", PNG + b"\x00" * 200)],
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,payload,answer",
    [
        ("自查报告.pdf", b"<html><script>alert(1)</script></html>", "内容不符"),
        ("自查报告.pdf", BAD_FILES[2][2], "网页脚本"),
        ("自查报告.docx", PNG, "内容不符"),
        ("自查报告.pdf", b"", "空文件"),
    ],
)
def test_a_bad_self_report_is_refused_and_the_assessment_stays_open(world, name, payload, answer):
    period = f"坏{os.urandom(4).hex()}"  # the report would be stored under this name
    assessment = inspection_services.assessment_open(
        community=world.yincheng,
        period=period,
        template=inspection_services.template_for(street_office=world.yinzhou),
        inspector=world.user("yinzhou_inspector"),
        actor=world.user("yinzhou_leader"),
    )
    scores = {i.code: i.max_score for i in assessment.template.items.all()}
    with pytest.raises(InvalidInput, match=answer):
        inspection_services.assessment_self_assess(
            assessment=assessment,
            actor=world.user("yincheng_secretary"),
            scores=scores,
            report=SimpleUploadedFile(name, payload),
        )
    assessment.refresh_from_db()
    assert assessment.status == "self_assessing" and not assessment.self_report
    assert stored_files(period) == []


# --- double submission ----------------------------------------------------------------------------------


def _draft_form(token: str, **changes: str) -> dict[str, str]:
    form = {
        "save": "1",
        "submission_token": token,
        "title": "2026年11月社区事务公开",
        "category": "affairs",
        "content_type": "notice",
        "audience": "public",
        "body": "<p>本月维修路灯 6 盏。</p>",
    }
    form.update(changes)
    return form


@pytest.mark.django_db
def test_the_same_new_draft_posted_twice_is_saved_once(world, client_for):
    client = staff(client_for, "yincheng_handler")
    page = client.get("/workspace/disclosures/new/")
    token = page.context["submission_token"]
    assert f'name="submission_token" value="{token}"' in page.content.decode()
    first = client.post("/workspace/disclosures/new/", _draft_form(token))
    second = client.post("/workspace/disclosures/new/", _draft_form(token), follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[0][0] == first["Location"]
    assert "已经提交过,没有重复保存" in messages_on(second)
    with tenant_context(world.yincheng):
        assert Disclosure.objects.count() == 1
    # a new form (a new token) is a new draft
    client.post(
        "/workspace/disclosures/new/",
        _draft_form(client.get("/workspace/disclosures/new/").context["submission_token"]),
    )
    with tenant_context(world.yincheng):
        assert Disclosure.objects.count() == 2


@pytest.mark.django_db
def test_tokens_older_than_a_week_are_forgotten(world, client_for):
    from datetime import timedelta

    from tenants.models import SubmissionToken

    old = SubmissionToken.objects.create(token=uuid.UUID(int=0))
    SubmissionToken.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    recent = SubmissionToken.objects.create(token=uuid.UUID(int=1))
    client = staff(client_for, "yincheng_handler")
    token = client.get("/workspace/disclosures/new/").context["submission_token"]
    assert client.post("/workspace/disclosures/new/", _draft_form(token)).status_code == 302
    assert set(SubmissionToken.objects.values_list("pk", flat=True)) >= {recent.pk}
    assert not SubmissionToken.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_a_refused_draft_keeps_its_token_so_the_corrected_form_still_saves(world, client_for):
    client = staff(client_for, "yincheng_handler")
    token = client.get("/workspace/disclosures/new/").context["submission_token"]
    refused = client.post("/workspace/disclosures/new/", _draft_form(token, title=""))
    assert refused.status_code == 400 and refused.context["submission_token"] == token
    refused = client.post(
        "/workspace/disclosures/new/",
        _draft_form(token, content_type="finance", category="finance", **{"fin-opening_balance": "1"}),
    )
    assert refused.status_code == 400 and refused.context["submission_token"] == token
    saved = client.post("/workspace/disclosures/new/", _draft_form(token))
    assert saved.status_code == 302
    with tenant_context(world.yincheng):
        assert Disclosure.objects.count() == 1


@pytest.mark.django_db
def test_the_same_rectification_order_posted_twice_is_issued_once(world, client_for):
    client = staff(client_for, "yinzhou_inspector")
    token = client.get("/inspection/rectifications/").context["submission_token"]
    form = {
        "community": world.yincheng.pk,
        "issues": "公开栏 10 月内容未更新",
        "working_days": "10",
        "submission_token": token,
    }
    assert client.post("/inspection/rectifications/", form).status_code == 302
    again = client.post("/inspection/rectifications/", form, follow=True)
    assert "已经下达过" in messages_on(again)
    assert Rectification.objects.filter(community=world.yincheng).count() == 1


@pytest.mark.django_db
def test_the_same_spot_check_draw_posted_twice_draws_once(world, client_for):
    client = staff(client_for, "yinzhou_inspector")
    token = client.get("/inspection/spot-checks/").context["submission_token"]
    period = period_of(Span.MONTH, timezone.localdate()).label
    form = {
        "period": period,
        "sample_size": "2",
        "inspector": world.user("yinzhou_inspector").pk,
        "submission_token": token,
    }
    assert client.post("/inspection/spot-checks/", form).status_code == 302
    assert client.post("/inspection/spot-checks/", form).status_code == 302
    assert SpotCheckDraw.objects.filter(period=period).count() == 1


@pytest.mark.django_db
def test_a_question_sent_twice_gets_one_tracking_code(world, client_for, settings):
    from disclosure.feedback.models import Feedback

    settings.FEEDBACK_SUBMIT_RATE = "1000/h"  # this test is about repeats, not the flood limit
    resident = client_for("yincheng")
    token = resident.get("/feedback/").context["submission_token"]
    form = {"kind": "question", "text": "村口路灯坏了三盏,什么时候修?", "submission_token": token}
    first = resident.post("/feedback/", form)
    second = resident.post("/feedback/", form)
    assert first.status_code == 302 and second.status_code == 302
    assert second["Location"] == first["Location"]
    with tenant_context(world.yincheng):
        assert Feedback.objects.count() == 1


@pytest.mark.django_db
def test_a_vote_sent_twice_counts_once(world, client_for):
    survey = inspection_services.survey_open(
        community=world.yincheng, period="2026年度", title="", codes=1, actor=world.user("yinzhou_inspector")
    )
    code = survey.codes.get().code
    resident = client_for("yincheng")
    assert resident.post("/vote/", {"code": code, "answer": "satisfied"}).status_code == 200
    again = resident.post("/vote/", {"code": code.lower(), "answer": "satisfied"})
    assert again.status_code == 400 and "已经投过票" in again.content.decode()
    assert Vote.objects.filter(survey=survey).count() == 1


# --- script and markup in every text field ----------------------------------------------------------------

XSS = (
    '<script>alert("xss-script")</script><img src=x onerror="alert(\'xss-img\')">'
    "<a href=\"javascript:alert('xss-href')\">点我</a><svg onload=\"alert('xss-svg')\"></svg>"
)


class LiveScript(HTMLParser):
    """Everything in a page a browser would run: script bodies, on* handlers, javascript: links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.live: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or value.strip().lower().startswith("javascript:"):
                self.live.append(f"<{tag} {name}={value!r}>")
            if tag == "script" and name == "src":
                self.live.append(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.live.append(data)


def live_payload(html: str) -> list[str]:
    parser = LiveScript()
    parser.feed(html)
    return [code for code in parser.live if "xss-" in code]


STRUCTURED = {
    "finance": {
        "period": XSS[:40],
        "opening_balance": "0",
        "closing_balance": "100",
        "lines": [
            {
                "date": "2026-05-03",
                "description": XSS[:200],
                "direction": "income",
                "category": XSS[:50],
                "amount": "100",
                "voucher": XSS[:50],
            }
        ],
    },
    "relief": {
        "programme": XSS[:50],
        "households": [
            {"name": "<b>张</b>三", "age": 70, "household_size": 2, "hardship": XSS[:200], "amount": "500"}
        ],
    },
    "plan": {"milestones": [{"name": XSS[:100], "planned_date": "2026-06-01", "progress": 10}]},
    "cadre": {
        "officers": [
            {"name": XSS[:20], "post": XSS[:50], "duties": XSS[:200], "area": XSS[:200], "phone": XSS[:30]}
        ]
    },
    "service_guide": {"steps": [XSS], "documents": [XSS], "fee": XSS[:100], "time_limit": XSS[:100]},
    "notice": None,
}


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", list(STRUCTURED))
def test_script_in_a_disclosure_never_runs_on_staff_or_public_pages(world, client_for, content_type):
    with tenant_context(world.yincheng):
        d = published(
            world,
            title=XSS[:200],
            body=f"<p>正文</p>{XSS}",
            content_type=content_type,
            category="finance" if content_type == "finance" else "affairs",
            data=STRUCTURED[content_type],
        )
        assert "<script" not in d.body and "onerror" not in d.body and "javascript:" not in d.body
    handler = staff(client_for, "yincheng_handler")
    resident = client_for("yincheng")
    pages = [
        (handler, f"/workspace/disclosures/{d.pk}/"),
        (handler, "/workspace/disclosures/"),
        (handler, "/workspace/"),
        (resident, f"/disclosures/{d.pk}/"),
        (resident, "/disclosures/"),
        (resident, "/disclosures/?q=script"),
        (resident, "/"),
    ]
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert live_payload(response.content.decode()) == [], path
    assert "&lt;script&gt;" in resident.get(f"/disclosures/{d.pk}/").content.decode()  # shown, as text


def _workflow_texts(world, client_for):
    """Every free-text answer of the five steps, through the staff pages."""
    handler, supervisor = staff(client_for, "yincheng_handler"), staff(client_for, "yincheng_supervisor")
    with tenant_context(world.yincheng):
        d = draft(world)
        services.disclosure_submit(
            community=here(),
            disclosure=d,
            actor=world.user("yincheng_handler"),
            planned_publish_date=date(2026, 6, 8),
            today=date(2026, 6, 1),
        )
    supervisor.post(f"/workspace/disclosures/{d.pk}/review/", {"decision": "return", "comments": XSS})
    with tenant_context(world.yincheng):
        services.disclosure_submit(
            community=here(),
            disclosure=d,
            actor=world.user("yincheng_handler"),
            planned_publish_date=date(2026, 6, 8),
            today=date(2026, 6, 1),
        )
    handler.post(f"/workspace/disclosures/{d.pk}/withdraw/", {"reason": XSS})
    with tenant_context(world.yincheng):
        p = published(world)
    staff(client_for, "yincheng_secretary").post(f"/workspace/disclosures/{p.pk}/correct/", {"reason": XSS})
    staff(client_for, "yincheng_supervisor").post(
        f"/workspace/disclosures/{p.pk}/order/", {"finding": XSS, "working_days": "5"}
    )
    handler.post("/workspace/events/", {"code": "SW-10", "event_date": "2026-11-02", "description": XSS})
    secretary = staff(client_for, "yincheng_secretary")
    secretary.post(
        "/workspace/catalogue/",
        {
            "code": "YC-X1",
            "title": XSS[:200],
            "category": "affairs",
            "cadence": "monthly",
            "content_type": "notice",
            "audience": "public",
            "event_working_days": "5",
            "min_display_days": "10",
            "basis": XSS[:200],
        },
    )
    with tenant_context(world.yincheng):
        from disclosure.models import Obligation

        obligation = Obligation.objects.order_by("pk").first()
    if obligation is not None:
        secretary.post(f"/workspace/obligations/{obligation.pk}/waive/", {"reason": XSS})
    return [
        (handler, f"/workspace/disclosures/{d.pk}/"),
        (handler, f"/workspace/disclosures/{p.pk}/"),
        (handler, "/workspace/disclosures/"),
        (handler, "/workspace/obligations/"),
        (handler, "/workspace/obligations/?status=waived"),
        (handler, "/workspace/catalogue/"),
        (handler, "/workspace/ledger/"),
        (handler, "/workspace/"),
    ]


def _inspection_texts(world, client_for):
    inspector = staff(client_for, "yinzhou_inspector")
    inspector.post(
        "/inspection/rectifications/", {"community": world.yincheng.pk, "issues": XSS, "working_days": "10"}
    )
    order = Rectification.objects.get(community=world.yincheng)
    secretary = staff(client_for, "yincheng_secretary")
    secretary.post(f"/workspace/inspection/rectifications/{order.pk}/", {"answer": XSS})
    inspector.post(f"/inspection/rectifications/{order.pk}/", {"decision": "reopen", "note": XSS})
    check = _planned_check(world)
    inspector.post(
        f"/inspection/spot-checks/{check.pk}/",
        {
            "visited_at": "2026-11-20T09:00",
            "board_current": "no",
            "display_window_kept": "yes",
            "opinion_box": "yes",
            "findings": XSS,
        },
    )
    inspector.post("/inspection/surveys/", {"community": world.yincheng.pk, "period": XSS[:20], "codes": "1"})
    from inspection.models import Survey

    survey = Survey.objects.get(community=world.yincheng)
    client_for("yincheng").post(
        "/vote/", {"code": survey.codes.get().code, "answer": "basic", "comment": XSS}
    )
    return [
        (inspector, "/inspection/rectifications/"),
        (inspector, f"/inspection/rectifications/{order.pk}/"),
        (inspector, "/inspection/spot-checks/"),
        (inspector, "/inspection/surveys/"),
        (inspector, f"/inspection/surveys/{survey.pk}/"),
        (inspector, f"/inspection/surveys/{survey.pk}/slips/"),
        (inspector, "/inspection/"),
        (inspector, f"/inspection/communities/{world.yincheng.schema_name}/"),
        (secretary, "/workspace/inspection/"),
        (secretary, f"/workspace/inspection/rectifications/{order.pk}/"),
    ]


def _profile_texts(world, client_for):
    secretary = staff(client_for, "yincheng_secretary")
    form = secretary.get("/workspace/profile/").context["form"]
    officers = secretary.get("/workspace/profile/").context["officers"]
    data = {f"p-{k}": "" for k in form.fields}
    data.update(
        {
            "p-overview": XSS,
            "p-address": XSS[:200],
            "p-office_hours": XSS[:100],
            "p-phone": "0571-1234567",
            "p-population": "100",
            "p-households": "40",
            "p-area_km2": "1.5",
        }
    )
    data.update(
        {
            "o-TOTAL_FORMS": "1",
            "o-INITIAL_FORMS": "0",
            "o-MIN_NUM_FORMS": "0",
            "o-MAX_NUM_FORMS": "1000",
            "o-0-committee": officers.forms[0].fields["committee"].queryset.first().pk,
            "o-0-name": XSS[:50],
            "o-0-post": XSS[:50],
            "o-0-duties": XSS[:200],
            "o-0-area_covered": XSS[:200],
            "o-0-phone": "13800000000",
        }
    )
    saved = secretary.post("/workspace/profile/", data)
    assert saved.status_code in (200, 302), saved.content.decode()[-2000:]
    return [(secretary, "/workspace/profile/"), (client_for("yincheng"), "/")]


def _feedback_texts(world, client_for, settings=None):
    """A resident's question and the staff's written answer, both with markup."""
    from disclosure.feedback.models import Feedback

    resident = client_for("yincheng")
    sent = resident.post(
        "/feedback/", {"kind": "complaint", "text": XSS, "name": "<b>张</b>三", "mobile": "13800138000"}
    )
    assert sent.status_code == 302, sent.content.decode()[-2000:]
    with tenant_context(world.yincheng):
        feedback = Feedback.objects.get()
    handler = staff(client_for, "yincheng_handler")
    handler.post(f"/workspace/feedback/{feedback.pk}/answer/", {"answer": XSS, "public": "1"})
    return [
        (resident, sent["Location"].split("?")[0]),
        (handler, "/workspace/feedback/"),
        (handler, f"/workspace/feedback/{feedback.pk}/"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "scenario",
    [_workflow_texts, _inspection_texts, _profile_texts, _feedback_texts],
    ids=["five steps", "street office", "community profile", "residents' feedback"],
)
def test_script_typed_into_any_text_field_is_shown_as_text(world, client_for, scenario, settings):
    settings.FEEDBACK_SUBMIT_RATE = "1000/h"
    pages = scenario(world, client_for)
    shown_somewhere = False
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        page = response.content.decode()
        assert live_payload(page) == [], path
        shown_somewhere = shown_somewhere or "点我" in page
    assert shown_somewhere  # the text was saved and is displayed (escaped, or sanitised to plain text)


# --- spreadsheet formulas in exports ----------------------------------------------------------------------

FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", '=HYPERLINK("http://x","点我")']


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORMULAS, ids=[repr(f[:2]) for f in FORMULAS])
def test_a_formula_in_an_exported_text_never_runs_in_the_spreadsheet(world, client_for, name):
    from decimal import Decimal

    from openpyxl import load_workbook

    from inspection.models import Evaluation
    from tenants.models import Community

    Community.objects.filter(pk=world.yincheng.pk).update(name=name)
    Evaluation.objects.create(community=world.yincheng, period="2026", composite=Decimal("91.5"), rank=1)
    response = staff(client_for, "yinzhou_leader").get("/inspection/evaluations/?year=2026&export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    cells = [row[1] for row in sheet.iter_rows(min_row=3)]
    assert [c.value for c in cells] == ["'" + name.replace("\r", "\n")]  # XML keeps no bare CR
    assert all(c.data_type == "s" for c in cells)  # text, not a formula
    assert sheet.cell(row=3, column=3).value == 91.5  # numbers stay numbers


@pytest.mark.django_db
@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_formulas_typed_by_people_are_neutralised_in_the_api_exports(world, client_for, export):
    """Rectification orders are typed by inspectors and disclosure titles by clerks: both reach the
    district's spreadsheets through ``format=csv`` / ``format=xlsx``."""
    import csv as csv_module

    from openpyxl import load_workbook

    from api import services as api_services

    for formula in FORMULAS:
        inspection_services.rectification_issue(
            community=world.yincheng, source="manual", issues=formula, actor=world.user("yinzhou_inspector")
        )
    with tenant_context(world.yincheng):
        for formula in FORMULAS:
            published(world, title=formula)
    _, key = api_services.apiclient_create(name="区纪委", street_offices=[world.yinzhou])
    api = client_for(None)
    expected = {"'" + f.strip().replace("\r", "\n") for f in FORMULAS}
    for path in ("/api/v1/rectifications/", "/api/v1/disclosures/?community=yincheng"):
        sep = "&" if "?" in path else "?"
        response = api.get(f"{path}{sep}format={export}", HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 200, response.content[:500]
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if export == "csv":
            cells = {c for row in csv_module.reader(body.decode("utf-8-sig").splitlines()) for c in row}
        else:
            sheet = load_workbook(BytesIO(body)).active
            found = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
            assert not [c.coordinate for c in found if c.data_type == "f"]
            cells = {c.value.replace("\r", "\n") for c in found}
        assert expected <= cells, (path, sorted(expected - cells))
        raw = {f.strip() for f in FORMULAS}
        assert not raw & cells, (path, raw & cells)  # no formula left bare


# --- long, empty, emoji, rare characters, right-to-left ------------------------------------------------

RARE = "𠀀龘丄𪚥㐀 鬱 臺灣 👨‍👩‍👧‍👦🏮 مرحبا بالعالم \u202eabc\u202c שלום"


@pytest.mark.django_db
def test_rare_characters_emoji_and_right_to_left_text_are_kept_exactly(world, client_for):
    client = staff(client_for, "yincheng_handler")
    token = client.get("/workspace/disclosures/new/").context["submission_token"]
    response = client.post(
        "/workspace/disclosures/new/", _draft_form(token, title=RARE, body=f"<p>{RARE}</p>")
    )
    assert response.status_code == 302
    with tenant_context(world.yincheng):
        d = Disclosure.objects.get()
        assert d.title == RARE and d.body == f"<p>{RARE}</p>"
    page = client.get(f"/workspace/disclosures/{d.pk}/").content.decode()
    assert RARE in page
    today = timezone.localdate()  # on display today, so the roster is shown (masked)
    with tenant_context(world.yincheng):
        p = published(
            world,
            on=today,
            today=today - timedelta(days=21),
            planned=today - timedelta(days=2),
            title=RARE,
            content_type="relief",
            category="affairs",
            data={
                "programme": RARE[:50],
                "households": [
                    {"name": "欧阳𠀀龘", "age": 81, "household_size": 1, "hardship": RARE, "amount": "600"}
                ],
            },
        )
    portal = client_for("yincheng").get(f"/disclosures/{p.pk}/").content.decode()
    assert RARE in portal and "欧**龘" in portal and "欧阳𠀀龘" not in portal
    assert client_for("yincheng").get("/disclosures/", {"q": "𠀀龘"}).content.decode().count(RARE) >= 1
    pdf = client.get(f"/workspace/disclosures/{p.pk}/report.pdf")
    assert pdf.status_code in (200, 503)  # 503 only where the CJK font is not installed, with a message


@pytest.mark.django_db
@pytest.mark.parametrize(
    "title,answer",
    [
        ("", "请填写标题"),
        ("   \u3000  ", "请填写标题"),
        ("龘" * 201, "200"),
        ("𠀀" * 201, "200"),
        ("标题\x00带空字符", "不能包含空字符(NUL),请删除后重新输入。"),
    ],
    ids=["empty", "only spaces", "201 characters", "201 astral characters", "NUL"],
)
def test_a_bad_title_is_refused_in_chinese_and_the_body_is_kept(world, client_for, title, answer):
    client = staff(client_for, "yincheng_handler")
    response = client.post(
        "/workspace/disclosures/new/", _draft_form("", title=title, body="<p>正文留着</p>")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert answer in page and "正文留着" in page
    assert "不允许是用空字符串" not in page  # Django's zh_Hans message: a typo, and about empty strings
    with tenant_context(world.yincheng):
        assert not Disclosure.objects.exists()


@pytest.mark.django_db
def test_a_title_of_exactly_200_rare_characters_is_accepted(world, client_for):
    client = staff(client_for, "yincheng_handler")
    assert client.post("/workspace/disclosures/new/", _draft_form("", title="𠀀" * 200)).status_code == 302
    with tenant_context(world.yincheng):
        assert Disclosure.objects.get().title == "𠀀" * 200


@pytest.mark.django_db
def test_an_overlong_body_is_refused_with_the_limit_and_an_edit_loses_nothing(world, client_for):
    client = staff(client_for, "yincheng_handler")
    with tenant_context(world.yincheng):
        d = draft(world)
        before = (d.title, d.body, d.content_hash)
    response = client.post(
        f"/workspace/disclosures/{d.pk}/edit/",
        _draft_form("", title="改过的标题", body="长" * (services.MAX_BODY_CHARS + 1)),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f"{services.MAX_BODY_CHARS}" in page and "改过的标题" in page
    with tenant_context(world.yincheng):
        d.refresh_from_db()
        assert (d.title, d.body, d.content_hash) == before


@pytest.mark.django_db
def test_a_request_too_large_to_read_gets_a_chinese_page_not_a_crash(world, client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = staff(client_for, "yincheng_handler")
    response = client.post("/workspace/disclosures/new/", _draft_form("", body="长" * 2000))
    assert response.status_code == 400
    assert "提交的内容太大" in response.content.decode()


# --- impossible dates, periods and numbers -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["2026-02-30", "2026-13-01", "2026-00-10", "明天", "99999-01-01", ""])
def test_an_impossible_planned_date_is_refused_and_the_draft_stays_a_draft(world, client_for, day):
    with tenant_context(world.yincheng):
        d = draft(world)
    response = staff(client_for, "yincheng_handler").post(
        f"/workspace/disclosures/{d.pk}/submit/", {"planned_publish_date": day}, follow=True
    )
    assert "请填写正确的计划公布日期" in messages_on(response)
    with tenant_context(world.yincheng):
        d.refresh_from_db()
        assert d.status == "draft"


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["2026-02-30", "2026-13-01", "2026Q5"])
def test_an_impossible_event_date_is_refused(world, client_for, day):
    from disclosure.models import Obligation

    response = staff(client_for, "yincheng_handler").post(
        "/workspace/events/", {"code": "SW-10", "event_date": day, "description": "暴雨积水"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "请按 2026年7月3日 或 2026-07-03 的格式填写发生日期" in page
    assert 'value="暴雨积水"' in page and f'value="{day}"' in page  # what was typed is kept
    with tenant_context(world.yincheng):
        assert not Obligation.objects.filter(code="SW-10").exists()


def _finance_form(**changes: str) -> dict[str, str]:
    return finance_post(FINANCE_GRANT, **changes)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes,answer",
    [
        ({"line-0-date": "2026-02-30"}, "日期"),
        ({"line-0-amount": "-600", "fin-closing_balance": "400"}, "必须大于零"),
        ({"line-0-amount": "0", "fin-closing_balance": "1000"}, "必须大于零"),
        ({"fin-closing_balance": "1599.99"}, "收支不平"),
        ({"fin-opening_balance": ""}, "请填写期初余额"),
        ({"line-0-amount": "NaN"}, "数"),
        ({"line-0-amount": "1e400"}, "数"),
        ({"line-0-amount": "99999999999999999"}, "14"),
        ({"line-0-direction": "gift"}, "选择"),
    ],
    ids=[
        "30 February",
        "negative",
        "zero",
        "off by a fen",
        "no opening balance",
        "NaN",
        "1e400",
        "too many digits",
        "unknown direction",
    ],
)
def test_finance_statements_that_do_not_add_up_are_refused_with_the_reason(
    world, client_for, changes, answer
):
    response = staff(client_for, "yincheng_handler").post(
        "/workspace/disclosures/new/", _finance_form(**changes)
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert answer in page and "街道拨付办公经费" in page
    with tenant_context(world.yincheng):
        assert not Disclosure.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data,answer",
    [
        (
            {
                "opening_balance": "0",
                "closing_balance": "-5",
                "lines": [
                    {
                        "date": "2026-07-01",
                        "description": "x",
                        "direction": "expense",
                        "category": "x",
                        "amount": "-5",
                        "voucher": "1",
                    }
                ],
            },
            "必须大于零",
        ),
        (
            {
                "opening_balance": "Infinity",
                "closing_balance": "0",
                "lines": [
                    {
                        "date": "2026-07-01",
                        "description": "x",
                        "direction": "income",
                        "category": "x",
                        "amount": "1",
                        "voucher": "1",
                    }
                ],
            },
            "不是有效的数字",
        ),
        (
            {
                "opening_balance": None,
                "closing_balance": "1",
                "lines": [
                    {
                        "date": "2026-07-01",
                        "description": "x",
                        "direction": "income",
                        "category": "x",
                        "amount": "1",
                        "voucher": "1",
                    }
                ],
            },
            "请填写期初余额",
        ),
        (
            {
                "opening_balance": "0",
                "closing_balance": "1",
                "lines": [
                    {
                        "date": "2026-07-01",
                        "description": "x",
                        "direction": "income",
                        "category": "x",
                        "amount": None,
                        "voucher": "1",
                    }
                ],
            },
            "请填写第 1 笔的金额",
        ),
        ({"opening_balance": "0", "closing_balance": "0", "lines": []}, "逐笔"),
    ],
    ids=["negative line", "infinite balance", "missing balance", "missing amount", "totals only"],
)
def test_the_finance_validator_refuses_what_a_form_would_not_catch(world, in_yincheng, data, answer):
    with pytest.raises(InvalidInput, match=answer):
        draft(world, content_type="finance", category="finance", data={"period": "2026Q3", **data})


@pytest.mark.django_db
def test_relief_amounts_ages_and_sizes_must_be_possible(world, in_yincheng):
    row: dict[str, object] = {
        "name": "张三",
        "age": 70,
        "household_size": 2,
        "hardship": "因病",
        "amount": "500",
    }
    cases: list[tuple[dict[str, object], str]] = [
        ({"amount": "-1"}, "负数"),
        ({"age": 131}, "不合理"),
        ({"household_size": 0}, "不合理"),
        ({"age": "七十"}, "数字"),
    ]
    for bad, answer in cases:
        with pytest.raises(InvalidInput, match=answer):
            draft(world, content_type="relief", data={"programme": "低保", "households": [{**row, **bad}]})


@pytest.mark.django_db
def test_an_impossible_milestone_date_or_visit_time_is_refused(world, client_for):
    form = _draft_form(
        "",
        content_type="plan",
        **{
            "ms-TOTAL_FORMS": "1",
            "ms-INITIAL_FORMS": "0",
            "ms-0-name": "路灯改造",
            "ms-0-planned_date": "2026-13-01",
            "ms-0-progress": "10",
        },
    )
    response = staff(client_for, "yincheng_handler").post("/workspace/disclosures/new/", form)
    assert response.status_code == 400 and "路灯改造" in response.content.decode()
    check = _planned_check(world)
    inspector = staff(client_for, "yinzhou_inspector")
    response = inspector.post(
        f"/inspection/spot-checks/{check.pk}/",
        {
            "visited_at": "2026-02-30T09:00",
            "board_current": "yes",
            "display_window_kept": "yes",
            "opinion_box": "yes",
            "findings": "公开栏整洁",
        },
    )
    assert response.status_code == 400 and "公开栏整洁" in response.content.decode()
    check.refresh_from_db()
    assert check.status == "planned"


BAD_QUERIES = [
    # (who, path) — each must answer without a server error
    ("yincheng_handler", "/workspace/disclosures/new/?obligation=abc"),
    ("yincheng_handler", "/workspace/disclosures/new/?obligation=99999999999999999999999"),
    ("yincheng_handler", "/workspace/disclosures/new/?content_type=bogus"),
    ("yincheng_handler", "/workspace/disclosures/?status=%00"),
    ("yincheng_handler", "/workspace/obligations/?status=2026Q5"),
    ("yincheng_handler", "/workspace/disclosures/99999999999999999999/"),
    ("yincheng_handler", "/workspace/attachments/99999999999999999999/"),
    ("yincheng", "/disclosures/?year=2026&month=13"),
    ("yincheng", "/disclosures/?year=abc&month=0"),
    ("yincheng", "/disclosures/?q=%00"),
    ("yincheng", "/disclosures/?q=" + "长" * 101),
    ("yincheng", "/disclosures/?page=-1"),
    ("yincheng", "/disclosures/?page=abc"),
    ("yincheng", "/disclosures/99999999999999999999/"),
    ("yincheng", "/disclosures/1/verify/?hash=zz"),
    ("yincheng", "/calendar/?start=2026-02-30&days=5"),
    ("yincheng", "/calendar/?start=2026-01-01&days=99999999999999999999"),
    ("yinzhou_inspector", "/inspection/?year=99999999999999999999"),
    ("yinzhou_inspector", "/inspection/evaluations/?year=99999999999999999999"),
    ("yinzhou_inspector", "/inspection/evaluations/?year=-1&export=xlsx"),
    ("yinzhou_inspector", "/inspection/communities/nowhere/"),
    ("yinzhou_inspector", "/inspection/assessments/99999999999999999999/"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("who,path", BAD_QUERIES, ids=[p for _, p in BAD_QUERIES])
def test_impossible_query_parameters_never_crash_a_page(world, client_for, who, path):
    client = client_for(who) if "_" not in who else staff(client_for, who)
    response = client.get(path)
    assert response.status_code in (200, 302, 400, 404), response.status_code


API_BAD_QUERIES = [
    ("/api/v1/calendar/working-days?start=2026-02-30&days=5", "真实存在的日期"),
    ("/api/v1/calendar/working-days?start=2026-13-01&days=5", "真实存在的日期"),
    ("/api/v1/calendar/working-days?start=2026-01-01&days=-1", "不能小于"),
    ("/api/v1/calendar/working-days?start=2026-01-01&days=99999999999999999999", "不能超过"),
    ("/api/v1/calendar/working-days?start=2026-01-01&days=%00", "空字符"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("path,answer", API_BAD_QUERIES, ids=[p for p, _ in API_BAD_QUERIES])
def test_impossible_api_parameters_get_a_problem_in_chinese(world, client_for, path, answer):
    response = client_for(None).get(path)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert answer in response.json()["detail"]


API_IMPOSSIBLE_PERIODS = [
    "/api/v1/compliance/?period=2026Q5&period_kind=quarter",
    "/api/v1/compliance/?period=2026-13",
    "/api/v1/compliance/?period=2026-00",
    "/api/v1/disclosures/?community=yincheng&period=2026Q5",
    "/api/v1/disclosures/?community=yincheng&period=2026-13",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", API_IMPOSSIBLE_PERIODS)
def test_an_impossible_period_in_the_api_is_a_problem_naming_the_field(world, client_for, path):
    from api import services as api_services

    _, key = api_services.apiclient_create(name="区纪委", street_offices=[world.yinzhou])
    response = client_for(None).get(path, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "所属期应写成" in response.json()["errors"]["period"][0]


API_ODD_FILTERS = [
    "/api/v1/compliance/?period=2026Q5&period_kind=quarter",
    "/api/v1/compliance/?period=2026-13",
    "/api/v1/compliance/?period_kind=%00",
    "/api/v1/compliance/?community=%00",
    "/api/v1/compliance/?page_size=-5",
    "/api/v1/compliance/?cursor=not-a-cursor",
    "/api/v1/communities/%00/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", API_ODD_FILTERS)
def test_odd_api_filters_never_crash_and_errors_are_problems(world, client_for, path):
    from api import services as api_services

    _, key = api_services.apiclient_create(name="区纪委", street_offices=[world.yinzhou])
    response = client_for(None).get(path, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code in (200, 400, 404), response.status_code
    if response.status_code != 200:
        assert response["Content-Type"] == "application/problem+json"


# --- two people at the same moment: real threads, separate connections, committed data ---------------------


@pytest.fixture
def race_community(committed):
    """Committed, so two connections see it; dropped afterwards."""
    with throwaway_community("racing1") as made:
        yield made


def at_once(community, *calls):
    """Run each call in its own thread with its own database connection, released together."""
    from django.db import connection

    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            with tenant_context(community):
                barrier.wait(timeout=10)
                outcomes[index] = calls[index]()
        except Exception as exc:  # the outcome under test, whatever it is
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def _approved_in(community, *, signed_by=SIGNERS):
    with tenant_context(community):
        return signed(BY_LOGIN, community=community.schema_name, signers=signed_by, body="")


def _ledger_of(community, d):
    from disclosure.models import LedgerEntry
    from disclosure.selectors import ledger_verify

    with tenant_context(community):
        actions = list(LedgerEntry.objects.filter(disclosure=d).values_list("action", flat=True))
        return actions, ledger_verify(community_id=community.pk)


def test_two_people_publishing_the_same_disclosure_at_once_publish_it_once(race_community):
    from disclosure.models import Signature
    from tenants.errors import Conflict

    community, users = race_community
    d = _approved_in(community)

    def publish(role):
        return lambda: services.disclosure_publish(
            community=here(),
            disclosure=d,
            actor=users[role],
            channels=["board", "web"],
            now=at(date(2026, 6, 8)),
        )

    outcomes = at_once(community, publish("handler"), publish("secretary"))
    won = [o for o in outcomes if isinstance(o, Disclosure)]
    lost = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert "已公布" in lost[0].message
    actions, report = _ledger_of(community, d)
    assert actions.count("publish") == 1 and report.ok
    with tenant_context(community):
        d.refresh_from_db()
        assert d.status == "published" and d.published_by == won[0].published_by
        assert Signature.objects.filter(disclosure=d).count() == 3


def test_the_same_signature_sent_twice_at_once_is_recorded_once(race_community):
    from disclosure.models import Signature
    from tenants.errors import Conflict

    community, users = race_community
    d = _approved_in(community, signed_by=("secretary",))

    def sign():
        return services.disclosure_sign(
            community=here(), disclosure=d, actor=users["director"], role="director"
        )

    outcomes = at_once(community, sign, sign)
    assert sorted(type(o).__name__ for o in outcomes) == ["Conflict", "Signature"], outcomes
    assert "已经签过字" in next(o for o in outcomes if isinstance(o, Conflict)).message
    with tenant_context(community):
        assert Signature.objects.filter(disclosure=d, role="director").count() == 1
    actions, report = _ledger_of(community, d)
    assert actions.count("sign") == 2 and report.ok


def test_two_different_signers_at_once_both_sign_and_the_ledger_stays_whole(race_community):
    from disclosure.models import Signature

    community, users = race_community
    d = _approved_in(community, signed_by=())

    def sign(role):
        return lambda: services.disclosure_sign(community=here(), disclosure=d, actor=users[role], role=role)

    outcomes = at_once(community, sign("secretary"), sign("director"), sign("handler"))
    assert all(isinstance(o, Signature) for o in outcomes), outcomes
    actions, report = _ledger_of(community, d)
    assert actions.count("sign") == 3 and report.ok
