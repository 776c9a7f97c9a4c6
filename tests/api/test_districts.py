"""A district (区) above street offices: a client scoped to a district reads every street office of it,
one scoped to street offices reads those; neither ever reads another district's."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from api import services
from inspection import services as inspection
from inspection.choices import EscalationStep
from inspection.models import Admonishment
from tenants.models import District
from tenants.services import district_ensure
from tests.api.support import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(world):
    """An order in each street office: 银城 (银州镇) escalated with a talk held, 东风 (东关) just ordered."""
    inspector = world.user("yinzhou_inspector")
    yincheng = inspection.rectification_issue(
        community=world.yincheng, source="spot_check", issues="公开栏未更新", actor=inspector
    )
    inspection.rectifications_escalate(on=yincheng.due_date + timedelta(days=1))
    Admonishment.objects.create(
        rectification=yincheng, person_name="张书记", role="secretary", held_on=timezone.localdate()
    )
    dongfeng = inspection.rectification_issue(
        community=world.dongfeng, source="manual", issues="台账不全", actor=world.user("dongguan_inspector")
    )
    return {"yincheng": yincheng.pk, "dongfeng": dongfeng.pk}


def rows(key, query=""):
    answer = api(key).get(f"/api/v1/rectifications/{query}")
    assert answer.status_code == 200, answer.content
    return {row["community"]: row for row in answer.json()["results"]}


def test_street_offices_of_one_district_share_it(world):
    assert world.yinzhou.district == world.dongguan.district == District.objects.get(name="示范县")


def test_a_district_client_lists_every_street_offices_orders_with_source_status_and_step(world, orders):
    _, key = services.apiclient_create(name="示范县纪委", district=world.yinzhou.district)
    got = rows(key)
    assert set(got) == {"yincheng", "dongfeng"}
    assert got["yincheng"]["street_office"] == "yinzhou" and got["dongfeng"]["street_office"] == "dongguan"
    assert got["yincheng"]["source"] == "spot_check" and got["yincheng"]["status"] == "escalated"
    assert got["yincheng"]["escalation_step"] == EscalationStep.ADMONISHED
    assert got["dongfeng"]["escalation_step"] == EscalationStep.ORDERED
    assert set(rows(key, "?escalation_step=admonished")) == {"yincheng"}
    assert set(rows(key, "?street_office=dongguan")) == {"dongfeng"}
    offices = api(key).get("/api/v1/street-offices/").json()["results"]
    assert {(o["code"], o["district"]) for o in offices} == {("yinzhou", "示范县"), ("dongguan", "示范县")}


def test_a_street_office_client_sees_only_its_street_office(world, orders):
    _, key = services.apiclient_create(name="银州镇的区民政局接口", street_offices=[world.yinzhou])
    assert set(rows(key)) == {"yincheng"}
    assert api(key).get(f"/api/v1/rectifications/{orders['dongfeng']}/").status_code == 404


def test_a_district_client_never_sees_another_districts_street_offices(world, orders):
    world.dongguan.district = district_ensure(name="另一区")
    world.dongguan.save()
    _, key = services.apiclient_create(name="示范县纪委", district=District.objects.get(name="示范县"))
    assert set(rows(key)) == {"yincheng"}
    assert api(key).get(f"/api/v1/rectifications/{orders['dongfeng']}/").status_code == 404
    assert api(key).get("/api/v1/communities/dongfeng/").status_code == 404
    assert api(key).get("/api/v1/street-offices/dongguan/").status_code == 404


def test_a_bad_step_is_a_structured_error(world, orders):
    _, key = services.apiclient_create(name="示范县纪委", district=world.yinzhou.district)
    answer = api(key).get("/api/v1/rectifications/?escalation_step=jail")
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("application/problem+json")
    assert "escalation_step" in answer.json()["errors"]


def test_the_command_scopes_a_client_to_a_district(world, capsys):
    call_command("apiclient_create", "--name", "示范县组织部", "--district", "示范县")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    codes = {o["code"] for o in api(key).get("/api/v1/street-offices/").json()["results"]}
    assert codes == {"yinzhou", "dongguan"}
