"""The two heads keep the community's profile and cadre board current; nobody else can."""

import pytest
from django_tenants.utils import tenant_context

from communities.models import Committee, CommunityProfile, Officer
from tests.conftest import login

pytestmark = pytest.mark.django_db


def form_data(committee_id, **overrides):
    data = {
        "p-overview": "银城社区位于县城中心。",
        "p-address": "银城路 12 号",
        "p-area_km2": "2.50",
        "p-population": "18200",
        "p-households": "6100",
        "p-office_hours": "周一至周五",
        "p-phone": "0000-1234567",
        "o-TOTAL_FORMS": "1",
        "o-INITIAL_FORMS": "0",
        "o-MIN_NUM_FORMS": "0",
        "o-MAX_NUM_FORMS": "1000",
        "o-0-committee": committee_id,
        "o-0-name": "王建华",
        "o-0-post": "党支部书记",
        "o-0-duties": "全面工作",
        "o-0-area_covered": "东风巷",
        "o-0-phone": "13900000001",
    }
    data.update(overrides)
    return data


def test_the_secretary_updates_the_profile_and_the_cadre_board_shown_on_the_front_page(world, client_for):
    with tenant_context(world.yincheng):
        party = Committee.objects.get(kind="party").pk
    client = client_for("yincheng")
    login(client, "yincheng_secretary")
    assert client.get("/workspace/profile/").status_code == 200
    assert client.post("/workspace/profile/", form_data(party)).status_code == 302
    home = client_for("yincheng").get("/").content.decode()
    assert "王建华" in home and "东风巷" in home and "18200" in home


def test_other_roles_cannot_edit_the_profile(world, client_for):
    client = client_for("yincheng")
    login(client, "yincheng_handler")
    assert client.get("/workspace/profile/").status_code == 403


def test_bad_input_is_refused_and_nothing_is_saved(world, client_for):
    with tenant_context(world.yincheng):
        party = Committee.objects.get(kind="party").pk
    client = client_for("yincheng")
    login(client, "yincheng_director")
    response = client.post(
        "/workspace/profile/", form_data(party, **{"p-population": "很多", "o-0-name": ""})
    )
    assert response.status_code == 400
    assert "银城社区位于县城中心。" in response.content.decode()  # what was typed is kept
    with tenant_context(world.yincheng):
        assert CommunityProfile.objects.get().overview == ""
        assert not Officer.objects.exists()
