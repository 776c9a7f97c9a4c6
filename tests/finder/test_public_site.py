"""The street office's public site on the base domain (#18 item 2), a community's portal searching the
index, the street office's synonyms, and the district API's list across communities — on the same
realistic corpus as the search tests."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from api import services as api_services
from tests.conftest import host
from tests.factories import PASSWORD
from tests.finder.corpus import YEAR, built

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with built(django_db_blocker) as made:
        yield made


def html(client: Client, url: str, **params: str) -> tuple[int, str]:
    response = client.get(url, params)
    return response.status_code, response.content.decode()


def test_anonymous_residents_get_the_street_offices_public_home(world, corpus, client_for):
    status, page = html(client_for(None), "/")
    assert status == 200
    assert "银州镇" in page and "东关" in page  # every street office served on the base domain
    for name in ("银城社区", "银南社区", "东风社区"):
        assert name in page
    assert f'href="http://yincheng.{host()}' in page.replace(":80", "") or "yincheng." in page
    assert "/#cadres" in page  # each community's contact board
    assert 'action="/disclosures/"' in page and "街道工作人员登录" in page
    assert "通报批评" in page and "考核结果" in page
    # 000 第十五条: the way to complain to the street office is on its front page, not only in the menu
    assert page.count('href="/complaints/"') >= 2 and 'href="/complaints/lookup/"' in page
    assert corpus.october[0].title in page  # the latest of every community


def test_staff_still_land_on_their_workspace(world, corpus, client_for):
    client = client_for(None)
    client.post("/accounts/login/", {"username": "yinzhou_inspector", "password": PASSWORD})
    page = html(client, "/")[1]
    assert "所辖社区" in page and "各社区公开网站" not in page


def test_the_base_domain_search_finds_items_of_every_community_linking_to_their_pages(
    world, corpus, client_for
):
    status, page = html(client_for(None), "/disclosures/", q="低保")
    assert status == 200 and "找到 9 条" in page
    for name in ("银城社区", "银南社区", "东风社区"):
        assert page.count(f'<p class="hit__community">{name}</p>') == 3
    for roster in corpus.rosters:
        assert roster.title in page
    links = set(re.findall(r'href="(http://[a-z]+\.[^"]+/disclosures/\d+/)"', page))
    assert {link.split("//")[1].split(".")[0] for link in links} == {"yincheng", "yinnan", "dongfeng"}
    assert "“低保”也查了" in page and "最低生活保障" in page
    status, page = html(client_for(None), "/disclosures/", q="路灯")
    assert page.count("<mark>路灯</mark>") == 9
    # a link opens the item on its community's own site
    link = next(iter(links))
    code, path = link.split("//")[1].split(".")[0], "/disclosures/" + link.rsplit("/disclosures/", 1)[1]
    assert client_for(code).get(path).status_code == 200


def test_the_base_domain_search_understands_periods_and_pages(world, corpus, client_for):
    page = html(client_for(None), "/disclosures/", q=f"{YEAR}年10月 低保")[1]
    assert "找到 3 条" in page and f"按 {YEAR}年10月 查找" in page
    page = html(client_for(None), "/disclosures/", q="财务", category="finance")[1]
    assert "找到 9 条" in page and 'aria-current="true"' in page
    assert html(client_for(None), "/disclosures/", category="nonsense")[0] == 400


def test_a_communitys_portal_searches_only_its_own_items(world, corpus, client_for):
    page = html(client_for("yinnan"), "/disclosures/", q="低保")[1]
    assert "找到 3 条" in page and "银城社区" not in page
    # (by content type: a Disclosure equals any other with the same pk, and each schema counts its own)
    rosters = [r for r in corpus.by_community["yinnan"] if r.content_type == "relief"]
    assert len(rosters) == 3 and all(f"/disclosures/{r.pk}/" in page for r in rosters)
    assert 'class="hit__community"' not in page


def test_the_api_lists_across_the_keys_communities_without_community(world, corpus):
    _, yinzhou = api_services.apiclient_create(name="区纪委", street_offices=[world.yinzhou])
    client = Client(HTTP_HOST=host(None), HTTP_AUTHORIZATION=f"Bearer {yinzhou}")
    answer = client.get("/api/v1/disclosures/", {"page_size": "100"})
    assert answer.status_code == 200
    rows = answer.json()["results"]
    assert {row["community"] for row in rows} == {"yincheng", "yinnan"}  # not 东关's 东风社区
    assert len(rows) == 2 * 9
    statement = next(row for row in rows if row["content_type"] == "finance")
    assert statement["body"] is None and statement["data"] is None and statement["attachments"] is None
    full = client.get(statement["url"]).json()
    assert full["id"] == statement["id"] and full["data"]["lines"][0]["description"] == "更换小区路灯灯泡"
    rosters = [row for row in rows if row["content_type"] == "relief"]
    assert rosters and all(row["withdrawn"] == client.get(row["url"]).json()["withdrawn"] for row in rosters)
    since = client.get("/api/v1/disclosures/", {"published_after": f"{YEAR}-11-01"}).json()["results"]
    # October's affairs (out on 6 November) and October's rosters (8 November), of both communities
    assert sorted(row["title"][-12:] for row in since) == sorted(
        [f"{YEAR}年10月社区事务月度公开"[-12:]] * 2 + ["10月城市最低生活保障对象名单公示"[-12:]] * 2
    )
    finance = client.get("/api/v1/disclosures/", {"category": "finance", "community": "yinnan"}).json()
    assert len(finance["results"]) == 3 and finance["results"][0]["body"] is not None  # one community
    _, dongguan = api_services.apiclient_create(name="东关的接口", street_offices=[world.dongguan])
    theirs = Client(HTTP_HOST=host(None), HTTP_AUTHORIZATION=f"Bearer {dongguan}").get("/api/v1/disclosures/")
    assert {row["community"] for row in theirs.json()["results"]} == {"dongfeng"}


def test_the_street_offices_admin_adds_synonyms_residents_search_with(world, corpus, client_for):
    inspector = client_for(None)
    inspector.post("/accounts/login/", {"username": "yinzhou_inspector", "password": PASSWORD})
    assert inspector.get("/finder/synonyms/").status_code == 200
    assert inspector.post("/finder/synonyms/", {"action": "add", "words": "亮灯 路灯"}).status_code == 403
    assert "找到 0 条" in html(client_for(None), "/disclosures/", q="亮灯")[1]
    admin = client_for(None)
    admin.post("/accounts/login/", {"username": "yinzhou_admin", "password": PASSWORD})
    missing = admin.post("/finder/synonyms/", {"action": "add", "words": "亮灯"})
    assert missing.status_code == 400 and "至少填写两个" in missing.content.decode()
    assert 'value="亮灯"' in missing.content.decode()  # what was typed is kept
    assert admin.post("/finder/synonyms/", {"action": "add", "words": "亮灯、路灯"}).status_code == 302
    page = html(client_for("yincheng"), "/disclosures/", q="亮灯")[1]
    assert "找到 3 条" in page and "<mark>路灯</mark>" in page
