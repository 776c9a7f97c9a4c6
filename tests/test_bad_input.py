"""The bad-input catalogue (issue 7 item 3): what a careless, hurried or hostile user can send, and the
answer each gets — a Chinese message on the page (400, what was typed kept) or an RFC 9457 problem in
the API, never a 500, and nothing that was already saved lost or half-changed."""

from __future__ import annotations

import threading
from datetime import date, datetime
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from disclosure import services
from disclosure.models import Attachment, Disclosure
from inspection import services as inspection_services
from inspection.models import Rectification, SpotCheck, SpotCheckDraw, SpotCheckPhoto, Vote
from tenants.errors import InvalidInput
from tests.conftest import login
from tests.disclosure.test_engine import at, draft, published

TZ = ZoneInfo("Asia/Shanghai")
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def staff(client_for, login_name: str):
    code = login_name.split("_")[0]
    client = client_for(None if code in ("yinzhou", "dongguan") else code)
    login(client, login_name)
    return client


def media_files() -> set[Path]:
    """Every stored file of every site. (The storage caches its root, so tests snapshot it rather
    than point MEDIA_ROOT elsewhere.)"""
    from django.core.files.storage import default_storage

    root = Path(default_storage.path("probe")).parents[1]
    return {p for p in root.rglob("*") if p.is_file()}


def messages_on(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


# --- uploads ------------------------------------------------------------------------------------------

BAD_FILES = [
    # (what it is, the name it claims, its bytes, what the answer says)
    ("HTML named .pdf", "通知.pdf", b"<html><script>alert(1)</script></html>", "内容不符"),
    ("SVG with script named .png", "照片.png",
     b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>', "内容不符"),
    ("PDF header with an HTML page inside (polyglot)", "扫描件.pdf",
     b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF", "网页脚本"),
    ("PDF that runs JavaScript when opened", "表格.pdf",
     b"%PDF-1.4\n1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"
     b" endobj\n%%EOF", "网页脚本"),
    ("PDF that launches a program", "说明.pdf",
     b"%PDF-1.4\n1 0 obj << /OpenAction << /S /Launch /F (cmd.exe) >> >> endobj\n%%EOF", "网页脚本"),
    ("PNG with a script appended (polyglot)", "收据.png", PNG + b"<script>alert(1)</script>", "网页脚本"),
    ("an executable named .docx", "报告.docx", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120, "内容不符"),
    ("plain text named .xlsx", "名单.xlsx", "=HYPERLINK(\"http://x\")".encode(), "内容不符"),
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
    files = media_files()
    client = staff(client_for, "yincheng_handler")
    response = client.post(
        f"/workspace/disclosures/{d.pk}/attach/", {"upload": SimpleUploadedFile(name, payload)}, follow=True
    )
    assert response.status_code == 200
    assert answer in messages_on(response)
    with tenant_context(world.yincheng):
        assert list(Attachment.objects.filter(disclosure=d)) == [good]
        d.refresh_from_db()
        assert d.content_hash == before
    assert media_files() == files


@pytest.mark.django_db
def test_an_empty_or_oversized_attachment_is_refused_with_the_size(world, client_for, monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", 1024 * 1024)
    with tenant_context(world.yincheng):
        d = draft(world)
    client = staff(client_for, "yincheng_handler")
    empty = client.post(f"/workspace/disclosures/{d.pk}/attach/", {"upload": SimpleUploadedFile("a.pdf", b"")},
                        follow=True)
    assert "为空" in messages_on(empty) or "空文件" in messages_on(empty)
    big = PDF + b"0" * (1024 * 1024 + 1)
    response = client.post(
        f"/workspace/disclosures/{d.pk}/attach/", {"upload": SimpleUploadedFile("大.pdf", big)}, follow=True
    )
    assert "不能超过 1 MB,这个文件有 1.0 MB" in messages_on(response)
    ok = client.post(f"/workspace/disclosures/{d.pk}/attach/", {"upload": SimpleUploadedFile("a.pdf", PDF)},
                     follow=True)
    assert "附件已上传" in messages_on(ok)
    with tenant_context(world.yincheng):
        assert Attachment.objects.get(disclosure=d).mime_type == "application/pdf"


def _planned_check(world) -> SpotCheck:
    draw = inspection_services.spot_check_draw(
        street_office=world.yinzhou, period="2026年11月", sample_size=1, actor=world.user("yinzhou_inspector"),
        seed="bad-input",
    )
    return SpotCheck.objects.get(draw=draw)


@pytest.mark.django_db
@pytest.mark.parametrize("label,name,payload,answer", BAD_FILES[:6], ids=[f[0] for f in BAD_FILES[:6]])
def test_a_bad_spot_check_photo_refuses_the_whole_record_and_writes_nothing(
    world, label, name, payload, answer
):
    check = _planned_check(world)
    files = media_files()
    if name.endswith(".pdf"):
        answer = "第 2 张照片只能是 JPG 图片、PNG 图片;这个文件的内容不符"  # a photo is never a PDF
    with pytest.raises(InvalidInput, match=answer):
        inspection_services.spot_check_record(
            spot_check=check,
            actor=world.user("yinzhou_inspector"),
            visited_at=datetime(2026, 11, 20, 9, tzinfo=TZ),
            checklist={"board_current": True, "display_window_kept": False, "opinion_box": True},
            photos=[SimpleUploadedFile("好的.png", PNG), SimpleUploadedFile(name, payload)],
        )
    check.refresh_from_db()
    assert check.status == "planned"
    assert not SpotCheckPhoto.objects.exists() and not Rectification.objects.filter(spot_check=check).exists()
    assert media_files() == files


@pytest.mark.django_db
def test_an_oversized_spot_check_photo_says_which_one(world, monkeypatch):
    monkeypatch.setattr(inspection_services, "MAX_PHOTO_BYTES", 100)
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
    files = media_files()
    assessment = inspection_services.assessment_open(
        community=world.yincheng, period="2026年度",
        template=inspection_services.template_for(street_office=world.yinzhou),
        inspector=world.user("yinzhou_inspector"), actor=world.user("yinzhou_leader"),
    )
    scores = {i.code: i.max_score for i in assessment.template.items.all()}
    with pytest.raises(InvalidInput, match=answer):
        inspection_services.assessment_self_assess(
            assessment=assessment, actor=world.user("yincheng_secretary"), scores=scores,
            report=SimpleUploadedFile(name, payload),
        )
    assessment.refresh_from_db()
    assert assessment.status == "self_assessing" and not assessment.self_report
    assert media_files() == files


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
    client.post("/workspace/disclosures/new/", _draft_form(client.get("/workspace/disclosures/new/").context[
        "submission_token"]))
    with tenant_context(world.yincheng):
        assert Disclosure.objects.count() == 2


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
    form = {"community": world.yincheng.pk, "issues": "公开栏 10 月内容未更新", "working_days": "10",
            "submission_token": token}
    assert client.post("/inspection/rectifications/", form).status_code == 302
    again = client.post("/inspection/rectifications/", form, follow=True)
    assert "已经下达过" in messages_on(again)
    assert Rectification.objects.filter(community=world.yincheng).count() == 1


@pytest.mark.django_db
def test_the_same_spot_check_draw_posted_twice_draws_once(world, client_for):
    client = staff(client_for, "yinzhou_inspector")
    token = client.get("/inspection/spot-checks/").context["submission_token"]
    form = {"period": "2026年12月", "sample_size": "2", "inspector": world.user("yinzhou_inspector").pk,
            "submission_token": token}
    assert client.post("/inspection/spot-checks/", form).status_code == 302
    assert client.post("/inspection/spot-checks/", form).status_code == 302
    assert SpotCheckDraw.objects.filter(period="2026年12月").count() == 1


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
