"""The residents' portal: what anyone may read on a community's site without logging in, and what
they must never see. Each rule has a test that fails if the rule breaks."""

import re
from datetime import date, timedelta
from typing import cast
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import tenant_context

from disclosure import selectors, services
from disclosure.choices import Audience, Category, ContentType
from disclosure.models import Disclosure
from tests.factories import HOUSEHOLD, PNG, at, corrected, draft, here, published, published_recently

pytestmark = pytest.mark.django_db

RELIEF = {"programme": "城市最低生活保障", "households": [HOUSEHOLD]}


def page(client, url, **params):
    response = client.get(url, params)
    return response.status_code, response.content.decode()


# --- what is public -------------------------------------------------------------------------------


def test_published_items_are_listed_and_found_by_a_chinese_substring_of_the_body(world, client_for):
    with tenant_context(world.yincheng):
        d = published(world, title="十月平安社区建设情况", body="<p>本月为独居老人更换了烟雾报警器。</p>")
    client = client_for("yincheng")
    assert d.title in page(client, "/disclosures/")[1]
    assert d.title in page(client, "/disclosures/", q="烟雾报警")[1]
    assert d.title not in page(client, "/disclosures/", q="垃圾分类")[1]
    status, html = page(client, f"/disclosures/{d.pk}/")
    assert status == 200 and "更换了烟雾报警器" in html


def test_the_search_reaches_into_the_structured_content(world, client_for):
    with tenant_context(world.yincheng):
        d = published(
            world,
            title="低保办理指南",
            category=Category.SERVICE,
            content_type=ContentType.SERVICE_GUIDE,
            body="",
            data={
                "steps": ["到社区服务大厅提出申请"],
                "documents": ["残疾人证"],
                "fee": "免费",
                "time_limit": "30 天",
            },
        )
    assert d.title in page(client_for("yincheng"), "/disclosures/", q="残疾人证")[1]


def test_drafts_and_submissions_are_never_public(world, client_for):
    with tenant_context(world.yincheng):
        hidden_draft = draft(world, title="草稿不应公开", body="<p>内部讨论稿秘密词</p>")
        submitted = services.disclosure_submit(
            community=here(),
            disclosure=draft(world, title="待审核不应公开", body="<p>内部讨论稿秘密词</p>"),
            actor=world.user("yincheng_handler"),
            planned_publish_date=date(2026, 6, 8),
            today=date(2026, 6, 1),
        )
    client = client_for("yincheng")
    for d in (hidden_draft, submitted):
        assert d.title not in page(client, "/")[1]
        assert d.title not in page(client, "/disclosures/")[1]
        assert d.title not in page(client, "/disclosures/", q="秘密词")[1]
        assert client.get(f"/disclosures/{d.pk}/").status_code == 404
        assert client.get(f"/disclosures/{d.pk}/verify/").status_code == 404


def test_a_party_first_item_is_hidden_until_its_public_date(world, client_for):
    today = timezone.localdate()
    with tenant_context(world.yincheng):
        early = published_recently(
            world,
            title="发展党员公示(党内阶段)",
            category=Category.PARTY,
            audience=Audience.PARTY_FIRST,
            public_from=today + timedelta(days=3),
        )
        due = published_recently(
            world,
            on=today - timedelta(days=10),
            title="发展党员公示(已向居民公开)",
            category=Category.PARTY,
            audience=Audience.PARTY_FIRST,
            public_from=today - timedelta(days=2),
        )
        assert early in selectors.disclosures_public(on=today + timedelta(days=3))
    client = client_for("yincheng")
    assert client.get(f"/disclosures/{early.pk}/").status_code == 404
    assert client.get(f"/disclosures/{early.pk}/verify/").status_code == 404
    for url, params in (("/", {}), ("/disclosures/", {}), ("/disclosures/", {"q": "发展党员"})):
        html = page(client, url, **params)[1]
        assert early.title not in html and due.title in html
    assert client.get(f"/disclosures/{due.pk}/").status_code == 200


def test_a_relief_roster_is_masked_on_its_page_and_never_found_by_name_or_id(world, client_for):
    with tenant_context(world.yincheng):
        roster = published_recently(
            world, title="11月低保名单", content_type=ContentType.RELIEF, body="", data=RELIEF
        )
    client = client_for("yincheng")
    status, html = page(client, f"/disclosures/{roster.pk}/")
    assert status == 200
    assert "王*国" in html and "老人独居" in html
    assert "王建国" not in html and HOUSEHOLD["id_number"] not in html and "1234" not in html
    for words in ("王建国", HOUSEHOLD["id_number"]):
        assert roster.title not in page(client, "/disclosures/", q=words)[1]
    assert roster.title in page(client, "/disclosures/", q="最低生活保障")[1]


def test_a_relief_roster_is_withdrawn_after_its_display_period(world, client_for):
    with tenant_context(world.yincheng):
        roster = published(world, title="6月低保名单", content_type=ContentType.RELIEF, body="", data=RELIEF)
    assert cast(date, roster.display_until) < timezone.localdate()  # published, so it has one
    client = client_for("yincheng")
    assert roster.title in page(client, "/disclosures/")[1]
    status, html = page(client, f"/disclosures/{roster.pk}/")
    assert status == 200 and "公示期满" in html and "撤下" in html
    assert "王*国" not in html and "老人独居" not in html and "680" not in html
    assert roster.content_hash in html.replace("</span> <span>", "")


def test_a_correction_shows_both_versions_with_the_reason(world, client_for):
    with tenant_context(world.yincheng):
        old = published(world, title="5月财务公开", body="<p>路灯维修 3000 元。</p>")
        new = corrected(world, old, reason="第2笔金额录入错误", body="<p>路灯维修 300 元。</p>")
    client = client_for("yincheng")
    status, html = page(client, f"/disclosures/{new.pk}/")
    assert status == 200
    assert "第2笔金额录入错误" in html and f'href="/disclosures/{old.pk}/"' in html
    status, html = page(client, f"/disclosures/{old.pk}/")
    assert status == 200 and "3000 元" in html
    assert "已被更正" in html and f'href="/disclosures/{new.pk}/"' in html
    listing = page(client, "/disclosures/")[1]
    assert f"/disclosures/{new.pk}/" in listing and f"/disclosures/{old.pk}/" not in listing


def test_a_correction_in_draft_is_not_linked_from_the_published_version(world, client_for):
    with tenant_context(world.yincheng):
        old = published(world)
        pending = services.disclosure_start_correction(
            community=here(), disclosure=old, actor=world.user("yincheng_handler"), reason="金额有误"
        )
    html = page(client_for("yincheng"), f"/disclosures/{old.pk}/")[1]
    assert f"/disclosures/{pending.pk}/" not in html and "金额有误" not in html


def test_the_detail_page_says_when_who_where_and_for_how_long(world, client_for):
    with tenant_context(world.yincheng):
        d = published(world)
    html = page(client_for("yincheng"), f"/disclosures/{d.pk}/")[1]
    assert "2026年6月8日" in html and "2026年6月18日" in html
    assert "公开栏" in html and "网站" in html
    for role in ("党组织书记", "居委会主任", "经办人"):
        assert role in html
    assert f'href="/disclosures/{d.pk}/verify/"' in html


# --- the hash check -------------------------------------------------------------------------------


def verdict(html):
    found = re.search(r'data-verdict="(\w+)"', html)
    return found.group(1) if found else None


def test_verify_says_match_for_the_printed_hash_and_mismatch_for_another(world, client_for):
    with tenant_context(world.yincheng):
        d = published(world)
        entry = selectors.ledger_publication_of(disclosure=d)
    assert entry is not None
    client = client_for("yincheng")
    status, html = page(client, f"/disclosures/{d.pk}/verify/")
    assert status == 200 and verdict(html) is None
    assert f"第 {entry.seq} 号" in html and entry.hash[:8] in html and "没有被改动过" in html
    printed = " ".join(d.content_hash[i : i + 8] for i in range(0, 64, 8)).upper()
    html = page(client, f"/disclosures/{d.pk}/verify/", hash=printed)[1]
    assert verdict(html) == "match" and "一致" in html and "不一致" not in html
    wrong = d.content_hash[:-1] + ("0" if d.content_hash[-1] != "0" else "1")
    html = page(client, f"/disclosures/{d.pk}/verify/", hash=wrong)[1]
    assert verdict(html) == "mismatch" and "不一致" in html


def test_verify_names_the_older_version_when_the_paper_is_out_of_date(world, client_for):
    with tenant_context(world.yincheng):
        old = published(world, body="<p>路灯维修 3000 元。</p>")
        new = corrected(world, old, reason="金额录入错误", body="<p>路灯维修 300 元。</p>")
    html = page(client_for("yincheng"), f"/disclosures/{new.pk}/verify/", hash=old.content_hash)[1]
    assert verdict(html) == "mismatch" and "第1版" in html and f"/disclosures/{old.pk}/verify/" in html


def test_a_hash_of_the_wrong_length_is_refused_with_a_message(world, client_for):
    with tenant_context(world.yincheng):
        d = published(world)
    status, html = page(client_for("yincheng"), f"/disclosures/{d.pk}/verify/", hash=d.content_hash[:20])
    assert status == 400 and verdict(html) is None and "64 位" in html


# --- tenancy, files, large text --------------------------------------------------------------------


def published_in_yinnan(world, *, title):
    def user(role):
        return world.user(f"yinnan_{role}")

    d = services.disclosure_create(
        community=here(), actor=user("handler"), title=title, category=Category.AFFAIRS
    )
    d = services.disclosure_submit(
        community=here(),
        disclosure=d,
        actor=user("handler"),
        planned_publish_date=date(2026, 6, 8),
        today=date(2026, 6, 1),
    )
    d = services.disclosure_review(
        community=here(), disclosure=d, actor=user("supervisor"), decision="approve"
    )
    for role in ("secretary", "director", "handler"):
        services.disclosure_sign(community=here(), disclosure=d, actor=user(role), role=role)
    return services.disclosure_publish(
        community=here(), disclosure=d, actor=user("handler"), channels=["board"], now=at(date(2026, 6, 8))
    )


def test_another_communitys_disclosure_is_not_found_here(world, client_for):
    with tenant_context(world.yinnan):
        theirs = published_in_yinnan(world, title="银南社区的公开内容")
    with tenant_context(world.yincheng):
        assert not Disclosure.objects.filter(pk=theirs.pk).exists()
    yincheng = client_for("yincheng")
    assert yincheng.get(f"/disclosures/{theirs.pk}/").status_code == 404
    assert yincheng.get(f"/disclosures/{theirs.pk}/verify/").status_code == 404
    assert theirs.title not in page(yincheng, "/disclosures/", q="银南")[1]
    assert client_for("yinnan").get(f"/disclosures/{theirs.pk}/").status_code == 200


def with_attachment(world, **fields):
    d = draft(world, **fields)
    services.attachment_add(
        disclosure=d,
        actor=world.user("yincheng_handler"),
        upload=SimpleUploadedFile("收据.png", PNG),
    )
    d = services.disclosure_submit(
        community=here(),
        disclosure=d,
        actor=world.user("yincheng_handler"),
        planned_publish_date=date(2026, 6, 8),
        today=date(2026, 6, 1),
    )
    d = services.disclosure_review(
        community=here(), disclosure=d, actor=world.user("yincheng_supervisor"), decision="approve"
    )
    for role in ("secretary", "director", "handler"):
        services.disclosure_sign(
            community=here(), disclosure=d, actor=world.user(f"yincheng_{role}"), role=role
        )
    return services.disclosure_publish(
        community=here(),
        disclosure=d,
        actor=world.user("yincheng_handler"),
        channels=["board"],
        now=at(date(2026, 6, 8)),
    )


def test_attachments_of_a_public_disclosure_are_served_by_the_portal_not_by_media_urls(
    world, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with tenant_context(world.yincheng):
        unpublished = draft(world)
        services.attachment_add(
            disclosure=unpublished,
            actor=world.user("yincheng_handler"),
            upload=SimpleUploadedFile("a.png", PNG),
        )
        hidden = unpublished.attachments.get()
        d = with_attachment(world)
        shown = d.attachments.get()
    client = client_for("yincheng")
    html = page(client, f"/disclosures/{d.pk}/")[1]
    url = f"/disclosures/{d.pk}/files/{shown.pk}/"
    assert url in html and "/media/" not in html
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert client.get(f"/disclosures/{unpublished.pk}/files/{hidden.pk}/").status_code == 404
    assert client.get(f"/disclosures/{d.pk}/files/{hidden.pk}/").status_code == 404


def test_a_relief_rosters_files_are_never_served(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with tenant_context(world.yincheng):
        roster = with_attachment(world, content_type=ContentType.RELIEF, data=RELIEF)
        scan = roster.attachments.get()
    client = client_for("yincheng")
    assert "/files/" not in page(client, f"/disclosures/{roster.pk}/")[1]
    assert client.get(f"/disclosures/{roster.pk}/files/{scan.pk}/").status_code == 404


def test_the_large_text_switch_sets_a_cookie_and_the_body_class(world, client_for):
    client = client_for("yincheng")
    assert 'class="portal"' in page(client, "/disclosures/")[1]
    response = client.get("/text-size/", {"large": "1", "next": "/disclosures/?q=低保"})
    assert response.status_code == 302 and unquote(response["Location"]) == "/disclosures/?q=低保"
    cookie = response.cookies["gk_large_text"]
    assert cookie.value == "1" and cookie["max-age"] and cookie["samesite"] == "Lax"
    html = page(client, "/disclosures/")[1]
    assert 'class="portal portal--large"' in html and "恢复标准字号" in html
    client.get("/text-size/", {"large": "0", "next": "/"})
    assert 'class="portal"' in page(client, "/")[1]


@pytest.mark.parametrize("code", ["yincheng", None])  # a community's portal and the street office's site
def test_high_contrast_is_a_mode_of_its_own_on_both_kinds_of_site(world, client_for, code):
    client = client_for(code)
    assert "高对比度" in page(client, "/")[1]
    response = client.get("/text-size/", {"contrast": "1", "next": "/disclosures/"})
    assert response.status_code == 302 and response["Location"] == "/disclosures/"
    assert response.cookies["gk_contrast"].value == "1" and "gk_large_text" not in response.cookies
    html = page(client, "/disclosures/")[1]
    assert 'class="portal portal--contrast"' in html and "恢复标准颜色" in html
    client.get("/text-size/", {"large": "1", "next": "/"})  # large text on top of it
    assert 'class="portal portal--large portal--contrast"' in page(client, "/")[1]
    client.get("/text-size/", {"contrast": "0", "next": "/"})
    assert 'class="portal portal--large"' in page(client, "/")[1]


def test_the_large_text_switch_never_sends_anyone_to_another_site(world, client_for):
    response = client_for("yincheng").get("/text-size/", {"large": "1", "next": "https://evil.example.com/"})
    assert response["Location"] == "/"


# --- home and list ---------------------------------------------------------------------------------


def test_home_shows_the_categories_the_latest_and_the_convenience_directory(world, client_for):
    from disclosure.models import Obligation

    with tenant_context(world.yincheng):
        services.obligations_generate(community=here(), on=date(2026, 6, 1), since=date(2026, 5, 1))
        directory = Obligation.objects.filter(code="FW-03").first()
        published(world, title="便民服务电话", obligation=directory, body="<p>维修电话 0951-1234567</p>")
        latest = published(world, title="最新的事务公开")
    html = page(client_for("yincheng"), "/")[1]
    for label in ("党务", "政务", "事务", "财务", "服务"):
        assert f'<span class="category__name">{label}</span>' in html
    affairs = html[html.index("category--affairs") :]
    assert affairs.index("2 条") < affairs.index("category--finance")
    assert latest.title in html and "0951-1234567" in html
    assert "组织机构与干部监督台" in html


def test_the_list_filters_by_category_and_by_month_of_publication(world, client_for):
    with tenant_context(world.yincheng):
        june = published(world, title="六月财务公开", category=Category.FINANCE, on=date(2026, 6, 8))
        july = published(world, title="七月事务公开", on=date(2026, 7, 8), planned=date(2026, 7, 8))
    client = client_for("yincheng")
    html = page(client, "/disclosures/", category="finance")[1]
    assert june.title in html and july.title not in html
    html = page(client, "/disclosures/", year="2026", month="7")[1]
    assert july.title in html and june.title not in html
    assert client.get("/disclosures/", {"category": "nonsense"}).status_code == 400


def test_the_list_is_paginated(world, client_for, monkeypatch):
    from disclosure.portal import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    with tenant_context(world.yincheng):
        titles = [published(world, title=f"分页测试第{n}条").title for n in range(3)]
    client = client_for("yincheng")
    first, second = page(client, "/disclosures/")[1], page(client, "/disclosures/", page="2")[1]
    assert sum(t in first for t in titles) == 2 and sum(t in second for t in titles) == 1
    assert "第 1 / 2 页" in first and 'href="?page=2"' in first
