"""Contract tests of every district resource: scoping, revoked keys, what must never leave (open spot
checks, unapproved scores, voting codes, unmasked rosters), filters and the one error format."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from api import services
from api.models import ApiClient
from inspection import services as inspection_services
from tests.api.support import api
from tests.factories import here

pytestmark = pytest.mark.django_db

# path → how a row names its community
LISTS = {
    "street-offices": "code",
    "communities": "code",
    "compliance": "community",
    "assessments": "community",
    "spot-checks": "community",
    "surveys": "community",
    "rectifications": "community",
    "evaluations": "community",
    "ledger-heads": "code",
}
YINZHOU = {"yinzhou", "yincheng", "yinnan", "yinxin"}


def rows(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def details(reports) -> dict[str, str]:
    """One yinzhou object per resource, by the id or code a client would guess."""
    return {
        "street-offices": "/api/v1/street-offices/yinzhou/",
        "communities": "/api/v1/communities/yincheng/",
        "assessments": f"/api/v1/assessments/{reports.assessment.pk}/",
        "spot-checks": f"/api/v1/spot-checks/{reports.spot_check.pk}/",
        "surveys": f"/api/v1/surveys/{reports.survey.pk}/",
        "rectifications": f"/api/v1/rectifications/{reports.rectification.pk}/",
        "evaluations": f"/api/v1/evaluations/{reports.evaluation.pk}/",
        "ledger-heads": "/api/v1/ledger-heads/yincheng/",
        "disclosures": f"/api/v1/disclosures/{reports.roster.pk}/?community=yincheng",
    }


@pytest.mark.parametrize("path", LISTS)
def test_a_client_of_another_street_office_lists_nothing_of_yinzhou(
    world, reports, yinzhou_key, dongguan_key, path
):
    ours = {row[LISTS[path]] for row in rows(api(dongguan_key), f"/api/v1/{path}/")}
    theirs = {row[LISTS[path]] for row in rows(api(yinzhou_key), f"/api/v1/{path}/")}
    assert ours and ours.isdisjoint(YINZHOU), ours  # dongguan sees its own rows, none of yinzhou's
    assert theirs and theirs <= YINZHOU, theirs
    if path != "street-offices":  # asking for yinzhou by name gets nothing either
        assert rows(api(dongguan_key), f"/api/v1/{path}/?street_office=yinzhou") == []


def test_guessing_ids_of_another_street_office_gets_404(world, reports, yinzhou_key, dongguan_key):
    for path, url in details(reports).items():
        assert api(yinzhou_key).get(url).status_code == 200, path
        response = api(dongguan_key).get(url)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
    anchors = api(dongguan_key).get("/api/v1/ledger-heads/yincheng/anchors/")
    assert anchors.status_code == 404  # not an empty list: that would confirm the code exists
    assert anchors["Content-Type"] == "application/problem+json"
    assert api(yinzhou_key).get("/api/v1/ledger-heads/nosuchcode/anchors/").status_code == 404
    assert api(dongguan_key).get("/api/v1/disclosures/?community=yincheng").json()["results"] == []


def test_a_guessed_disclosure_id_is_never_looked_up_in_another_schema(world, reports, dongguan_key):
    """dongfeng has no disclosure of that id: the guessed id must not be looked up in yincheng's schema."""
    url = f"/api/v1/disclosures/{reports.roster.pk}/?community=dongfeng"
    assert api(dongguan_key).get(url).status_code == 404


@pytest.mark.parametrize("url", [*(f"/api/v1/{p}/" for p in LISTS), "/api/v1/disclosures/?community=yinnan"])
def test_a_revoked_key_is_refused_on_every_resource(world, reports, yinzhou_key, url):
    assert api(yinzhou_key).get(url).status_code == 200
    services.apiclient_revoke(client=ApiClient.objects.get(name="区纪委"))
    response = api(yinzhou_key).get(url)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "密钥已被吊销。"
    assert response["WWW-Authenticate"].startswith("Bearer")


# --- what must never leave --------------------------------------------------------------------------


def test_relief_rosters_are_masked_exactly_as_on_the_portal(world, reports, yinzhou_key, client_for):
    response = api(yinzhou_key).get("/api/v1/disclosures/?community=yincheng")
    raw = response.content.decode()
    assert "王建国" not in raw and "欧阳小明" not in raw and "110101194901011234" not in raw
    by_id = {row["id"]: row for row in response.json()["results"]}
    roster = by_id[reports.roster.pk]
    assert roster["withdrawn"] is False
    households = roster["data"]["households"]
    assert [h["name"] for h in households] == ["王*国", "欧**明"]
    assert all("id_number" not in h for h in households)
    portal = client_for("yincheng").get(f"/disclosures/{reports.roster.pk}/").content.decode()
    for household in households:
        assert household["name"] in portal and household["hardship"] in portal
    assert "王建国" not in portal

    withdrawn = by_id[reports.old_roster.pk]
    assert withdrawn["withdrawn"] is True
    assert (withdrawn["data"], withdrawn["body"], withdrawn["attachments"]) == ({}, "", [])
    portal = client_for("yincheng").get(f"/disclosures/{reports.old_roster.pk}/").content.decode()
    assert "按规定撤下" in portal and "王*国" not in portal


def test_only_published_public_content_is_listed(world, reports, yinzhou_key):
    ids = {row["id"] for row in rows(api(yinzhou_key), "/api/v1/disclosures/?community=yincheng")}
    assert ids == {reports.roster.pk, reports.old_roster.pk, reports.notice.pk}
    url = f"/api/v1/disclosures/{reports.draft.pk}/?community=yincheng"
    assert api(yinzhou_key).get(url).status_code == 404


def test_a_party_first_item_is_absent_until_its_public_day(world, reports, yinzhou_key):
    from django_tenants.utils import tenant_context

    from disclosure import services as disclosure_services
    from disclosure.choices import Audience, Category
    from tests.factories import at, signed

    today = timezone.localdate()
    with tenant_context(world.yincheng):
        d = signed(world, category=Category.PARTY, audience=Audience.PARTY_FIRST, title="发展党员公示")
        disclosure_services.disclosure_publish(
            community=here(),
            disclosure=d,
            actor=world.user("yincheng_handler"),
            channels=["meeting"],
            public_from=today + timedelta(days=3),
            now=at(today),
        )
    ids = {row["id"] for row in rows(api(yinzhou_key), "/api/v1/disclosures/?community=yincheng")}
    assert d.pk not in ids
    assert api(yinzhou_key).get(f"/api/v1/disclosures/{d.pk}/?community=yincheng").status_code == 404


def test_open_spot_checks_never_appear(world, reports, yinzhou_key):
    ids = {row["id"] for row in rows(api(yinzhou_key), "/api/v1/spot-checks/")}
    assert reports.spot_check.pk in ids and reports.spot_check_open.pk not in ids
    assert api(yinzhou_key).get(f"/api/v1/spot-checks/{reports.spot_check_open.pk}/").status_code == 404
    csv = api(yinzhou_key).get("/api/v1/spot-checks/?format=csv&community=yinnan")
    # the header only
    assert b"".join(csv.streaming_content).decode("utf-8-sig").count("\n") == 1  # type: ignore[attr-defined]  # test client response stub


def test_unapproved_assessments_and_evaluations_stay_inside(world, reports, yinzhou_key):
    assessments = {row["id"] for row in rows(api(yinzhou_key), "/api/v1/assessments/")}
    assert assessments == {reports.assessment.pk}
    evaluations = {row["id"] for row in rows(api(yinzhou_key), "/api/v1/evaluations/")}
    assert evaluations == {reports.evaluation.pk}
    url = f"/api/v1/evaluations/{reports.evaluation_unpublished.pk}/"
    assert api(yinzhou_key).get(url).status_code == 404


def test_assessments_carry_item_scores_and_the_self_assessment(world, reports, yinzhou_key):
    row = api(yinzhou_key).get(f"/api/v1/assessments/{reports.assessment.pk}/").json()
    assert (row["self_total"], row["inspector_total"]) == (98.0, 95.0)
    items = reports.assessment.template.items.count()
    assert len(row["scores"]) == items
    assert {"self_score", "inspector_score", "max_score"} <= set(row["scores"][0])


def test_surveys_give_rates_and_never_voting_codes(world, reports, yinzhou_key):
    survey = inspection_services.survey_open(
        community=world.yinnan, period="2026年11月", title="", codes=5, actor=world.user("yinzhou_inspector")
    )
    codes = list(survey.codes.values_list("code", flat=True))
    inspection_services.vote_cast(community=world.yinnan, code=codes[0], answer="satisfied")
    open_text = api(yinzhou_key).get("/api/v1/surveys/").content.decode()
    assert f'"id":{survey.pk},' not in open_text  # open: no figures yet
    inspection_services.survey_close(survey=survey, actor=world.user("yinzhou_inspector"))
    response = api(yinzhou_key).get("/api/v1/surveys/")
    text = response.content.decode()
    assert all(code not in text for code in codes)
    row = next(r for r in response.json()["results"] if r["id"] == survey.pk)
    assert (row["votes_cast"], row["satisfaction_rate"]) == (1, 100.0)
    assert "codes" not in row and "votes" not in row


def test_rectifications_and_ledger_heads(world, reports, yinzhou_key):
    order = api(yinzhou_key).get(f"/api/v1/rectifications/{reports.rectification.pk}/").json()
    assert order["status"] == "open" and order["admonishments"] == 1
    head = api(yinzhou_key).get("/api/v1/ledger-heads/yincheng/").json()
    with_anchor = api(yinzhou_key).get("/api/v1/ledger-heads/yincheng/anchors/").json()["results"]
    assert head["anchors"] == len(with_anchor) == 2
    latest = max(with_anchor, key=lambda a: a["day"])
    assert (head["checkpoint_day"], head["checkpoint_seq"], head["checkpoint_hash"]) == (
        latest["day"],
        latest["head_seq"],
        latest["head_hash"],
    )
    from django_tenants.utils import tenant_context

    from disclosure.models import LedgerEntry

    with tenant_context(world.yincheng):
        chain_head = LedgerEntry.objects.order_by("-seq").first()
    assert chain_head is not None
    assert (head["head_seq"], head["head_hash"]) == (chain_head.seq, chain_head.hash)
    assert head["head_at"] is not None
    nothing = api(yinzhou_key).get("/api/v1/ledger-heads/yinnan/").json()
    assert nothing["head_hash"] is None and nothing["checkpoint_hash"] is None and nothing["anchors"] == 0


def test_the_ledger_head_is_the_live_head_after_every_step_of_the_five(world, yinzhou_key):
    """Draft → submit → review → sign × 3 → publish → archive, one disclosure, the district API asked
    after each step: its head is the chain's last entry every time, while the checkpoint stays at the
    day's anchor."""
    from datetime import date

    from django_tenants.utils import tenant_context

    from disclosure import services as disclosure_services
    from disclosure.models import LedgerEntry
    from tests.factories import SIGNERS, at, draft

    client = api(yinzhou_key)

    def live() -> tuple[int, str] | tuple[None, None]:
        with tenant_context(world.yincheng):
            last = LedgerEntry.objects.order_by("-seq").first()
        return (last.seq, last.hash) if last else (None, None)

    def shown() -> dict:
        response = client.get("/api/v1/ledger-heads/yincheng/")
        assert response.status_code == 200, response.content
        return response.json()

    def step(do) -> None:  # type: ignore[no-untyped-def]
        with tenant_context(world.yincheng):
            do()
        row = shown()
        assert (row["head_seq"], row["head_hash"]) == live()

    user = world.user
    made: dict = {}
    step(lambda: made.update(d=draft(world)))
    step(
        lambda: made.update(
            d=disclosure_services.disclosure_submit(
                community=here(),
                disclosure=made["d"],
                actor=user("yincheng_handler"),
                planned_publish_date=date(2026, 6, 8),
                today=date(2026, 6, 1),
            )
        )
    )
    with tenant_context(world.yincheng):  # the day's checkpoint, taken after the submission
        disclosure_services.ledger_anchor_record(community=here(), day=date(2026, 6, 1))
    checkpoint = shown()
    assert (checkpoint["checkpoint_seq"], checkpoint["checkpoint_hash"]) == live()
    step(
        lambda: made.update(
            d=disclosure_services.disclosure_review(
                community=here(), disclosure=made["d"], actor=user("yincheng_supervisor"), decision="approve"
            )
        )
    )
    for role in SIGNERS:
        step(
            lambda role=role: disclosure_services.disclosure_sign(
                community=here(), disclosure=made["d"], actor=user(f"yincheng_{role}"), role=role
            )
        )
    step(
        lambda: made.update(
            d=disclosure_services.disclosure_publish(
                community=here(),
                disclosure=made["d"],
                actor=user("yincheng_handler"),
                channels=["board", "web"],
                now=at(date(2026, 6, 8)),
            )
        )
    )
    step(
        lambda: disclosure_services.disclosure_archive(
            community=here(),
            disclosure=made["d"],
            actor=user("yincheng_handler"),
            today=made["d"].display_until,
        )
    )
    final = shown()
    assert final["head_seq"] >= 7  # submit, opinion, three signatures, publish, archive
    assert (final["checkpoint_seq"], final["checkpoint_hash"]) == (
        checkpoint["checkpoint_seq"],
        checkpoint["checkpoint_hash"],
    )
    assert final["head_seq"] > final["checkpoint_seq"]


# --- filters ------------------------------------------------------------------------------------


def test_filters_narrow_the_answer(world, reports, yinzhou_key):
    client = api(yinzhou_key)
    year = str(timezone.localdate().year)
    assert [r["community"] for r in rows(client, f"/api/v1/compliance/?period_kind=year&period={year}")] == [
        "yincheng"
    ]
    assert rows(client, "/api/v1/compliance/?period_kind=month") == []
    relief = rows(client, "/api/v1/disclosures/?community=yincheng&content_type=relief")
    assert {r["id"] for r in relief} == {reports.roster.pk, reports.old_roster.pk}
    june = rows(client, "/api/v1/disclosures/?community=yincheng&period=2026-06")
    assert {r["id"] for r in june} == {reports.old_roster.pk, reports.notice.pk}
    assert rows(client, "/api/v1/disclosures/?community=yincheng&period=2026Q2&category=party") == []
    assert len(rows(client, "/api/v1/rectifications/?status=open&source=survey")) == 1
    assert rows(client, "/api/v1/rectifications/?status=closed") == []
    assert len(rows(client, "/api/v1/spot-checks/?visited_after=2026-11-01&visited_before=2026-11-30")) == 1
    assert rows(client, "/api/v1/spot-checks/?visited_after=2026-12-01") == []
    assert len(rows(client, "/api/v1/surveys/?rate_below=90")) == 1


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/compliance/?period_kind=weekly", "period_kind"),
        ("/api/v1/disclosures/?published_after=2026-13-01", "published_after"),
        ("/api/v1/disclosures/?community=yincheng&published_after=yesterday", "published_after"),
        ("/api/v1/disclosures/?period=2026-13", "period"),
        ("/api/v1/disclosures/?community=yincheng&period=2026-13", "period"),
        ("/api/v1/disclosures/?community=yincheng&category=gossip", "category"),
        ("/api/v1/spot-checks/?visited_after=yesterday", "visited_after"),
        ("/api/v1/spot-checks/?visited_after=10/25/2026", "visited_after"),  # Django's other spellings
        ("/api/v1/rectifications/?due_before=2026-02-30", "due_before"),
        ("/api/v1/surveys/?rate_below=lots", "rate_below"),
        ("/api/v1/surveys/?rate_below=101", "rate_below"),
        ("/api/v1/communities/?is_active=null", "is_active"),
        ("/api/v1/communities/?is_active=1", "is_active"),
        ("/api/v1/compliance/?period=2026Q5", "period"),
        ("/api/v1/compliance/?cursor=bogus", "cursor"),
        ("/api/v1/compliance/?page_size=0", "page_size"),
        ("/api/v1/compliance/?format=pdf", "format"),
        ("/api/v1/surveys/1/?format=", "format"),
        # empty values are not "no filter"
        ("/api/v1/rectifications/?due_before=", "due_before"),
        ("/api/v1/spot-checks/?visited_before=", "visited_before"),
        ("/api/v1/communities/?is_active=", "is_active"),
        ("/api/v1/compliance/?community=", "community"),
        ("/api/v1/disclosures/?community=", "community"),
        ("/api/v1/compliance/?cursor=", "cursor"),
        ("/api/v1/calendar/working-days?start=2026-10-01&days=", "days"),
        # given twice: which one would apply?
        ("/api/v1/rectifications/?status=open&status=closed", "status"),
    ],
)
def test_a_bad_filter_is_a_400_problem_naming_the_field(world, yinzhou_key, url, field):
    response = api(yinzhou_key).get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and body["title"] == "请求有误" and field in body["errors"]


@pytest.mark.parametrize(
    ("url", "unknown"),
    [
        ("/api/v1/rectifications/?stauts=open", {"stauts"}),
        ("/api/v1/compliance/?community=yincheng&month=2026-10&kind=month", {"month", "kind"}),
        ("/api/v1/surveys/1/?community=yincheng", {"community"}),  # one object takes no filters
        ("/api/v1/ledger-heads/?community=yincheng", {"community"}),
        ("/api/v1/calendar/working-days?start=2026-10-01&days=5&skip=1", {"skip"}),
    ],
)
def test_an_unknown_query_parameter_is_a_400_listing_it(world, yinzhou_key, url, unknown):
    """A misspelt filter would otherwise answer the unfiltered list as if it had applied."""
    response = api(yinzhou_key).get(url)
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body["errors"]) == unknown
    for name in unknown:
        assert name in body["detail"] and "可用的参数" in body["errors"][name][0]


def test_disclosures_apply_street_office_as_compliance_does(world, reports, yinzhou_key):
    """``street_office`` is documented on both; on disclosures it was ignored."""
    client = api(yinzhou_key)
    mine = rows(client, "/api/v1/disclosures/?community=yincheng&street_office=yinzhou")
    assert mine and mine == rows(client, "/api/v1/disclosures/?community=yincheng")
    assert rows(client, "/api/v1/disclosures/?community=yincheng&street_office=dongguan") == []
    assert rows(client, "/api/v1/compliance/?community=yincheng&street_office=dongguan") == []
    doc = client.get("/api/v1/schema/?format=json").json()
    documented = {p["name"] for p in doc["paths"]["/api/v1/disclosures/"]["get"]["parameters"]}
    assert "street_office" in documented


# --- one error format -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("get", "/api/v1/no-such-thing/", 404),
        ("get", "/api/v2/communities/", 404),
        ("post", "/api/v1/nothing", 404),
        ("get", "/api/v1/communities/no-such-community/", 404),
        ("get", "/api/v1/compliance/?cursor=bogus", 400),
        ("get", "/api/v1/compliance/?format=pdf", 400),
        ("post", "/api/v1/communities/", 405),
        ("delete", "/api/v1/assessments/1/", 405),
    ],
)
def test_every_failure_is_a_problem_document(world, yinzhou_key, method, url, status):
    response = getattr(api(yinzhou_key), method)(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["type"] == "about:blank" and body["detail"]


def test_no_key_is_a_401_problem_with_the_scheme(world):
    response = api(None).get("/api/v1/assessments/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="gongkai"'


def test_a_missing_trailing_slash_is_named_in_the_404(world, yinzhou_key):
    response = api(yinzhou_key).get("/api/v1/communities")
    assert response.status_code == 404 and "/api/v1/communities/" in response.json()["detail"]


def test_an_unknown_page_on_a_community_site_is_not_the_api(world, client_for, yinzhou_key):
    assert client_for("yincheng").get("/api/v1/communities/").status_code == 404


def documented_value(parameter: dict) -> str | None:
    """A valid value for a documented query parameter (None: no value can be made up, e.g. a cursor)."""
    schema, name = parameter["schema"], parameter["name"]
    if name == "cursor":
        return None
    if "enum" in schema:
        return str(schema["enum"][-1])
    if schema.get("format") == "date":
        return "2026-10-01"
    if "pattern" in schema:
        return "2026"
    return {
        "boolean": "true",
        "number": "50",
        "integer": "10",
    }.get(schema.get("type"), {"community": "yincheng", "street_office": "yinzhou"}.get(name, "x"))


def test_every_documented_query_parameter_is_taken_by_its_operation(world, reports, yinzhou_key):
    """The strict reading refuses only what the document does not list: each documented parameter,
    with a valid value, is answered 200 on every operation that documents it."""
    client = api(yinzhou_key)
    doc = client.get("/api/v1/schema/?format=json").json()
    ids = {"{id}": str(reports.rectification.pk), "{code}": "yincheng"}
    problems = []
    for path, item in doc["paths"].items():
        for parameter in item["get"]["parameters"]:
            value = documented_value(parameter)
            if parameter["in"] != "query" or value is None:
                continue
            query = {parameter["name"]: value}
            required = [p for p in item["get"]["parameters"] if p.get("required") and p["in"] == "query"]
            query.update({p["name"]: documented_value(p) for p in required if p["name"] not in query})
            if "calendar" in path:
                query = {"start": "2026-10-01", "days": "5", **query}
            url = path
            for placeholder, real in ids.items():
                url = url.replace(placeholder, real)
            response = client.get(url, query)
            if response.status_code not in (200, 404):  # 404: the made-up id is not that resource's
                problems.append(f"{url}?{query} → {response.status_code} {response.content[:200]!r}")
    assert problems == [], "\n".join(problems)
