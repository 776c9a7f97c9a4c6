"""Ties share a rank (1, 1, 3) everywhere a rank is computed or shown: the evaluation, its page, its
Excel and PDF, what is published to the communities and their residents, the district API and the
dashboard's on-time ranking."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from api import services as api_services
from inspection import services
from inspection.models import ComplianceSummary
from inspection.ranking import competition_ranked
from tenants.models import Community
from tests.api.support import api
from tests.conftest import login

pytestmark = pytest.mark.django_db

YEAR = 2026
# 银城 and 银南 tie on 95.0; 银新 comes third, not second.
RATES = {"yincheng": "95.0", "yinnan": "95.0", "yinxin": "90.0"}
EXPECTED = {"yincheng": 1, "yinnan": 1, "yinxin": 3}


def test_equal_scores_share_a_rank_and_the_next_rank_skips_their_places():
    scores = [Decimal("90.0"), Decimal("95.0"), None, Decimal("95.0"), Decimal("80.0")]
    ranked = competition_ranked(range(5), score=lambda i: scores[i])
    assert ranked == [(1, 1), (1, 3), (3, 0), (4, 4), (None, 2)]


def test_scores_that_read_the_same_at_the_shown_precision_tie():
    scores = [Decimal("95.04"), Decimal("95.0"), Decimal("94.96")]
    assert [rank for rank, _ in competition_ranked(range(3), score=lambda i: scores[i])] == [1, 1, 1]


def test_the_tiebreak_orders_inside_a_shared_rank_without_splitting_it():
    scores = {"a": Decimal("95.0"), "b": Decimal("95.0"), "c": Decimal("90.0")}
    overdue = {"a": 3, "b": 1, "c": 0}
    ranked = competition_ranked("abc", score=scores.__getitem__, then=overdue.__getitem__)
    assert ranked == [(1, "b"), (1, "a"), (3, "c")]


def year_rates(world, year: int = YEAR, rates: dict[str, str] = RATES) -> None:
    """Each community of 银州's year: the on-time rate is the only source, so it is the composite."""
    for code, rate in rates.items():
        ComplianceSummary.objects.create(
            community=Community.objects.get(schema_name=code),
            period_kind="year",
            period=str(year),
            start=date(year, 1, 1),
            end=date(year, 12, 31),
            computed_on=date(year, 12, 1),
            due=20,
            on_time=int(Decimal(rate) * 20 / 100),
            on_time_rate=Decimal(rate),
        )


def street(login_name: str) -> Client:
    client = Client(HTTP_HOST="localhost")
    login(client, login_name)
    return client


def computed_and_approved(world) -> None:
    year_rates(world)
    leader = world.user("yinzhou_leader")
    services.evaluation_compute(street_office=world.yinzhou, year=YEAR, actor=leader)
    services.evaluation_approve(street_office=world.yinzhou, year=YEAR, actor=leader)


def test_the_evaluation_ranks_a_tie_equally(world):
    year_rates(world)
    results = services.evaluation_compute(
        street_office=world.yinzhou, year=YEAR, actor=world.user("yinzhou_leader")
    )
    assert {e.community.schema_name: (e.composite, e.rank) for e in results} == {
        code: (Decimal(RATES[code]), rank) for code, rank in EXPECTED.items()
    }


def test_the_evaluation_page_and_its_excel_and_pdf_show_the_shared_rank(world):
    computed_and_approved(world)
    leader = street("yinzhou_leader")
    page = leader.get(f"/inspection/evaluations/?year={YEAR}").content.decode()
    shown = dict(
        (name, int(rank))
        for rank, name in re.findall(
            r'<td class="num">(\d+)[^<]*(?:<span[^>]*>并列</span>)?</td><td>(\w+社区)', page
        )
    )
    assert shown == {"银城社区": 1, "银南社区": 1, "银新社区": 3}
    assert page.count(">并列</span>") == 2

    book = load_workbook(io.BytesIO(leader.get(f"/inspection/evaluations/?year={YEAR}&export=xlsx").content))
    rows = list(book.active.iter_rows(min_row=3, values_only=True))
    assert {row[1]: row[0] for row in rows} == {"银城社区": 1, "银南社区": 1, "银新社区": 3}

    pdf = leader.get(f"/inspection/evaluations/?year={YEAR}&export=pdf").content
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    ranks = {name: int(rank) for rank, name in re.findall(r"(\d)\s*(银\w社区)", text)}
    assert ranks == {"银城社区": 1, "银南社区": 1, "银新社区": 3}


def test_communities_and_their_residents_are_told_the_shared_rank(world, client_for):
    computed_and_approved(world)
    for code, name in (("yincheng", "银城"), ("yinnan", "银南")):
        portal = client_for(code).get("/").content.decode()
        assert "在 3 个社区中并列第 1 名" in portal, name
        assert "第 2 名" not in portal
        assert "并列第 1 名" in client_for(code).get("/screen/").content.decode()
    third = client_for("yinxin").get("/").content.decode()
    assert "在 3 个社区中排第 3 名" in third and "并列" not in third
    secretary = client_for("yinnan")
    login(secretary, "yinnan_secretary")
    assert "并列第 1 名" in secretary.get("/workspace/inspection/").content.decode()


def test_the_district_api_gives_the_shared_rank(world):
    computed_and_approved(world)
    _, key = api_services.apiclient_create(name="区纪委", street_offices=[world.yinzhou])
    rows = api(key).get(f"/api/v1/evaluations/?period={YEAR}").json()["results"]
    assert {r["community"]: (r["rank"], r["tied"]) for r in rows} == {
        "yincheng": (1, True),
        "yinnan": (1, True),
        "yinxin": (3, False),
    }


def test_the_dashboard_ranks_equal_on_time_rates_equally(world):
    year_rates(world)
    page = street("yinzhou_inspector").get(f"/inspection/?year={YEAR}").content.decode()
    ranking = page.split("<h2>排名</h2>", 1)[1]
    shown = dict(
        (name, int(value)) for value, name in re.findall(r'<li value="(\d+)"><strong>(\w+社区)', ranking)
    )
    assert shown == {"银城社区": 1, "银南社区": 1, "银新社区": 3}
