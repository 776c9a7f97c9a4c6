"""Attachments checked by content and stored per community; supervision-ordered re-publication;
the community's own catalogue items."""

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure import services
from disclosure.choices import Cadence, Category, ContentType, DisclosureStatus
from disclosure.models import Obligation
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tests.disclosure.test_engine import at, draft, published

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_an_attachment_is_typed_by_its_content_and_stored_under_the_community(
    world, in_yincheng, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    d = draft(world)
    before = d.content_hash
    a = services.attachment_add(
        disclosure=d,
        actor=world.user("yincheng_handler"),
        upload=SimpleUploadedFile("收据.pdf", PNG, content_type="application/pdf"),
    )
    assert a.mime_type == "image/png" and a.original_name == "收据.pdf"
    assert "/yincheng/" in a.file.path
    d.refresh_from_db()
    assert d.content_hash != before


@pytest.mark.parametrize(
    "name,payload",
    [
        ("notice.pdf", b"<html><script>alert(1)</script></html>"),
        ("image.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("empty.pdf", b""),
    ],
)
def test_an_attachment_that_is_not_what_it_claims_is_refused(world, in_yincheng, name, payload):
    d = draft(world)
    with pytest.raises(InvalidInput):
        services.attachment_add(
            disclosure=d, actor=world.user("yincheng_handler"), upload=SimpleUploadedFile(name, payload)
        )
    assert not d.attachments.exists()


def test_an_oversized_attachment_is_refused(world, in_yincheng, monkeypatch):
    monkeypatch.setattr("disclosure.services.attachments.MAX_ATTACHMENT_BYTES", 64)
    with pytest.raises(InvalidInput, match="不能超过"):
        services.attachment_add(
            disclosure=draft(world),
            actor=world.user("yincheng_handler"),
            upload=SimpleUploadedFile("big.png", PNG),
        )


def test_attachments_cannot_be_added_once_the_draft_is_submitted(world, in_yincheng):
    d = draft(world)
    d = services.disclosure_submit(
        disclosure=d,
        actor=world.user("yincheng_handler"),
        planned_publish_date=date(2026, 6, 8),
        today=date(2026, 6, 1),
    )
    with pytest.raises(Conflict):
        services.attachment_add(
            disclosure=d, actor=world.user("yincheng_handler"), upload=SimpleUploadedFile("x.png", PNG)
        )


def test_the_supervision_group_orders_republication_with_its_own_deadline(world, in_yincheng):
    old = published(world)
    with pytest.raises(NotAllowed):
        services.disclosure_order_republication(
            disclosure=old, actor=world.user("yincheng_handler"), finding="漏报一笔支出"
        )
    with pytest.raises(InvalidInput):
        services.disclosure_order_republication(
            disclosure=old, actor=world.user("yincheng_supervisor"), finding=" "
        )
    correction = services.disclosure_order_republication(
        disclosure=old,
        actor=world.user("yincheng_supervisor"),
        finding="漏报一笔 600 元支出",
        today=date(2026, 6, 10),
    )
    ob = correction.obligation
    assert ob is not None
    assert ob.source == Obligation.Source.ORDER and ob.due_date == date(2026, 6, 17)
    assert correction.supersedes_id == old.pk and "漏报一笔 600 元支出" in correction.correction_reason
    # the handler owns the correction and takes it through the same steps
    correction = services.disclosure_update(
        disclosure=correction,
        actor=world.user("yincheng_handler"),
        title=correction.title,
        category=correction.category,
        content_type=correction.content_type,
        audience=correction.audience,
        body="<p>补充:6月5日购买防汛物资 600 元。</p>",
    )
    correction = services.disclosure_submit(
        disclosure=correction,
        actor=world.user("yincheng_handler"),
        planned_publish_date=date(2026, 6, 11),
        today=date(2026, 6, 10),
        short_notice_reason="监督小组责令限期重新公布",
    )
    correction = services.disclosure_review(
        disclosure=correction, actor=world.user("yincheng_supervisor"), decision="approve"
    )
    for role in ("secretary", "director", "handler"):
        services.disclosure_sign(disclosure=correction, actor=world.user(f"yincheng_{role}"), role=role)
    services.disclosure_publish(
        disclosure=correction,
        actor=world.user("yincheng_handler"),
        channels=["board"],
        now=at(date(2026, 6, 11)),
    )
    old.refresh_from_db()
    ob.refresh_from_db()
    assert old.status == DisclosureStatus.SUPERSEDED and ob.status == "on_time"


def test_local_items_are_added_by_the_heads_with_unique_codes(world, in_yincheng):
    fields: dict[str, Any] = {
        "code": "yc-01",
        "title": "银城老旧小区改造进度",
        "category": Category.AFFAIRS,
        "cadence": Cadence.MONTHLY,
        "content_type": ContentType.PLAN,
    }
    with pytest.raises(NotAllowed):
        services.local_item_add(actor=world.user("yincheng_handler"), **fields)
    item = services.local_item_add(actor=world.user("yincheng_director"), **fields)
    assert item.code == "YC-01"
    with pytest.raises(Conflict):
        services.local_item_add(actor=world.user("yincheng_director"), **fields)
    with pytest.raises(Conflict):
        services.local_item_add(actor=world.user("yincheng_director"), **{**fields, "code": "SW-03"})


def test_catalogue_page_shows_both_and_refuses_bad_input_in_chinese(world, client_for):
    from tests.conftest import login

    client = client_for("yincheng")
    login(client, "yincheng_secretary")
    page = client.get("/workspace/catalogue/").content.decode()
    assert "SW-03" in page and "本社区还没有增加" in page
    response = client.post(
        "/workspace/catalogue/",
        {
            "code": "SW-03",
            "title": "重复",
            "category": "affairs",
            "cadence": "monthly",
            "content_type": "notice",
            "audience": "public",
            "event_working_days": 5,
            "min_display_days": 10,
        },
    )
    assert response.status_code == 400 and "已被使用" in response.content.decode()


def test_the_report_form_pdf_carries_the_publication_in_chinese(world, in_yincheng):
    import io

    from pypdf import PdfReader

    from disclosure.reports import report_form_pdf

    d = published(world)
    pdf = report_form_pdf(d, community_name="银城社区")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for expected in (
        "社区党务、居务公开报告单",
        "银城社区",
        d.title,
        "党组织书记",
        d.content_hash[:32],
        "公开栏",
    ):
        assert expected in text.replace("\n", ""), expected


def test_the_report_form_is_offered_for_published_items_only(world, client_for):
    from django_tenants.utils import tenant_context

    from tests.conftest import login

    with tenant_context(world.yincheng):
        d = published(world)
        unpublished = draft(world, title="未公布")
    client = client_for("yincheng")
    login(client, "yincheng_handler")
    response = client.get(f"/workspace/disclosures/{d.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(f"/workspace/disclosures/{unpublished.pk}/report.pdf").status_code == 302
