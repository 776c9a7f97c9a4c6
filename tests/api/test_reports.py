"""District clients: keys, scoping, revocation, rate limits, logging, paging."""

from datetime import date

import pytest
from django.core.management import call_command

from api import services
from api.models import ApiClient, ApiRequestLog
from inspection.models import ComplianceSummary
from tests.api.support import api

pytestmark = pytest.mark.django_db


def summary(community, period="2026", rate="80.0"):
    return ComplianceSummary.objects.create(
        community=community,
        period_kind="year",
        period=period,
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
        due=10,
        on_time=8,
        on_time_rate=rate,
        computed_on=date(2026, 11, 23),
    )


def test_only_a_hash_of_the_key_is_stored(world, yinzhou_key):
    client = ApiClient.objects.get(name="区纪委")
    assert yinzhou_key not in (client.key_hash, client.key_prefix) and len(client.key_hash) == 64


def test_no_key_or_a_wrong_key_is_refused_as_problem_details(world):
    for key in (None, "gk_not-a-real-key", "rubbish"):
        response = api(key).get("/api/v1/communities/")
        assert response.status_code in (401, 403)
        assert response["Content-Type"].startswith("application/problem+json")


def test_a_client_sees_only_its_street_offices(world, yinzhou_key, dongguan_key):
    summary(world.yincheng)
    codes = {c["code"] for c in api(yinzhou_key).get("/api/v1/communities/").json()["results"]}
    assert codes == {"yincheng", "yinnan", "yinxin"}
    other = api(dongguan_key)
    assert {c["code"] for c in other.get("/api/v1/communities/").json()["results"]} == {"dongfeng"}
    assert other.get("/api/v1/communities/yincheng/").status_code == 404  # guessing ids gets nothing
    assert other.get("/api/v1/compliance/?community=yincheng").json()["results"] == []
    assert other.get("/api/v1/street-offices/yinzhou/").status_code == 404


def test_communities_carry_this_years_compliance_from_the_summary_table(world, yinzhou_key):
    from django.utils import timezone

    summary(world.yincheng, period=str(timezone.localdate().year), rate="87.5")
    rows = {c["code"]: c for c in api(yinzhou_key).get("/api/v1/communities/").json()["results"]}
    assert rows["yincheng"]["compliance"]["on_time_rate"] == 87.5 and rows["yinnan"]["compliance"] is None


def test_a_revoked_key_is_refused_and_a_rotated_one_replaces_it(world, yinzhou_key):
    client = ApiClient.objects.get(name="区纪委")
    services.apiclient_revoke(client=client)
    assert api(yinzhou_key).get("/api/v1/communities/").status_code in (401, 403)
    new_key = services.apiclient_rotate(client=client)
    assert api(new_key).get("/api/v1/communities/").status_code == 200
    assert api(yinzhou_key).get("/api/v1/communities/").status_code in (401, 403)


def test_every_pull_is_logged_and_the_rate_limit_answers_429_with_retry_after(world, yinzhou_key):
    ApiClient.objects.filter(name="区纪委").update(rate_per_minute=3)
    client = api(yinzhou_key)
    statuses = [client.get("/api/v1/street-offices/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/street-offices/")
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert (
        ApiRequestLog.objects.filter(client__name="区纪委", endpoint="/api/v1/street-offices/").count() == 5
    )


def test_compliance_pages_with_a_cursor(world, yinzhou_key):
    for month in range(1, 13):
        ComplianceSummary.objects.create(
            community=world.yincheng,
            period_kind="month",
            period=f"2026-{month:02d}",
            start=date(2026, month, 1),
            end=date(2026, month, 28),
            computed_on=date(2026, 11, 23),
        )
    first = api(yinzhou_key).get("/api/v1/compliance/?period_kind=month&page_size=5").json()
    assert len(first["results"]) == 5 and first["next"]
    second = api(yinzhou_key).get(first["next"]).json()
    assert {r["period"] for r in first["results"]}.isdisjoint({r["period"] for r in second["results"]})


def test_the_command_prints_the_key_once(world, capsys):
    call_command("apiclient_create", "--name", "区组织部", "--street-office", "yinzhou")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert key.startswith("gk_") and api(key).get("/api/v1/street-offices/").status_code == 200
