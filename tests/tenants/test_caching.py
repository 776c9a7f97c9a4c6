"""No browser or proxy keeps what staff were shown: every answer to a signed-in user, on every URL pattern
of both sites (read from the resolvers by tests/urlcrawl.py, so a page added tomorrow is crawled
tomorrow), carries ``Cache-Control: private, no-store``; an anonymous visitor's public pages keep their
own caching."""

from __future__ import annotations

import pytest
from django.http import HttpResponseBase
from django.test import Client

from tenants.middleware import PRIVATE_NO_STORE
from tests.conftest import host
from tests.factories import PASSWORD
from tests.planted import Planted, plant
from tests.urlcrawl import Filled, Fillers, all_paths

pytestmark = pytest.mark.django_db

A = "yincheng"
NOT_CRAWLED_SIGNED_IN = {"logout"}  # would end the session the crawl runs on


def signed_in(username: str, code: str | None) -> Client:
    client = Client(HTTP_HOST=host(code))
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, f"{username} could not log in"
    return client


def cache_control(response: HttpResponseBase) -> str:
    if response.streaming:  # a download: read it, which also ends the request
        b"".join(response.streaming_content)  # type: ignore[attr-defined]  # test client response stub
    return response.get("Cache-Control", "")


def crawl(client: Client, site: str, paths: list[Filled]) -> tuple[int, list[str]]:
    """GET every path; every answer not carrying exactly ``private, no-store`` is a problem."""
    problems: list[str] = []
    answered = 0
    for filled in paths:
        response = client.get(filled.path, HTTP_HOST=site)
        answered += response.status_code == 200
        if response.status_code >= 500:
            problems.append(f"GET {site}{filled.path} → {response.status_code}")
        elif cache_control(response) != PRIVATE_NO_STORE:
            problems.append(
                f"GET {site}{filled.path} ({filled.pattern.name}) → {response.status_code}: "
                f"Cache-Control {response.get('Cache-Control')!r}"
            )
    return answered, problems


@pytest.fixture
def own(world) -> Planted:  # type: ignore[no-untyped-def]
    return plant(world, A)


@pytest.fixture
def own_paths(own: Planted) -> list[Filled]:
    return [f for f in all_paths(Fillers(own)) if f.pattern.name not in NOT_CRAWLED_SIGNED_IN]


def test_every_page_and_download_of_a_communitys_site_is_private_to_a_signed_in_member(own, own_paths):  # type: ignore[no-untyped-def]
    """The workspace, the feedback inbox with residents' mobile numbers, attachments, the report PDF —
    and the residents' pages too, which carry the member's name and CSRF token once signed in."""
    paths = [f for f in own_paths if f.pattern.conf == "config.urls_tenant"]
    answered, problems = crawl(signed_in(f"{A}_secretary", A), host(A), paths)
    assert problems == [], "\n".join(problems)
    assert answered >= 20  # the pages opened: the header was checked on real content, not on refusals
    names = {f.pattern.name for f in paths}
    assert {"feedback_staff:detail", "disclosure:attachment", "disclosure:report"} <= names


@pytest.mark.parametrize("username", ["yinzhou_leader", "yinzhou_admin"])
def test_every_street_office_page_download_and_admin_page_is_private_to_signed_in_staff(
    own, own_paths, username
):  # type: ignore[no-untyped-def]
    paths = [f for f in own_paths if f.pattern.conf == "config.urls_public"]
    answered, problems = crawl(signed_in(username, None), host(None), paths)
    assert problems == [], "\n".join(problems)
    assert answered >= 12
    names = {f.pattern.name for f in paths}
    assert {"inspection:rectification", "inspection:survey_slips", "admin:index"} <= names


def test_a_signed_question_with_its_mobile_number_is_not_stored(own):  # type: ignore[no-untyped-def]
    page = signed_in(f"{A}_secretary", A).get(f"/workspace/feedback/{own.feedback_pk}/")
    assert page.status_code == 200
    assert page["Cache-Control"] == "private, no-store"


def test_public_pages_keep_their_own_caching_for_anonymous_visitors(own):  # type: ignore[no-untyped-def]
    visitor = Client(HTTP_HOST=host(A))
    for path in ("/", "/disclosures/", f"/disclosures/{own.published.pk}/", "/screen/state.json"):
        response = visitor.get(path)
        assert response.status_code == 200, path
        assert "no-store" not in response.get("Cache-Control", ""), path
    assert visitor.get("/screen/state.json")["Cache-Control"] == "no-cache"  # the view's own choice
    # the same page for a signed-in member is private
    member = signed_in(f"{A}_handler", A)
    assert member.get("/screen/state.json")["Cache-Control"] == PRIVATE_NO_STORE


def test_the_district_api_keeps_its_revalidation_contract(world):  # type: ignore[no-untyped-def]
    from api import services as api_services

    _, key = api_services.apiclient_create(name="区纪委", street_offices=[world.yinzhou])
    response = Client(HTTP_HOST=host(None), HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/communities/")
    assert response.status_code == 200
    assert set(response["Cache-Control"].replace(" ", "").split(",")) == {"private", "no-cache"}
    assert response["ETag"]
