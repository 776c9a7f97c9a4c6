"""The calendar in Django's admin: street-office admins only, and every save goes through the service."""

from __future__ import annotations

import pytest

from tests.conftest import login
from workdays.models import CalendarOverride, CalendarYear

pytestmark = pytest.mark.django_db


ADMIN_PAGES = ["/admin/workdays/calendaroverride/", "/admin/workdays/calendaryear/add/"]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_only_street_office_admins_see_the_calendar_admin(world, client_for, url):
    admin = client_for(None)
    login(admin, "yinzhou_admin")
    assert admin.get(url).status_code == 200

    inspector = client_for(None)
    login(inspector, "yinzhou_inspector")
    assert inspector.get(url).status_code == 302  # not staff: sent to the admin login

    leader = world.user("yinzhou_leader")
    leader.is_staff = True  # staff flag alone is not enough: the street-office admin role is
    leader.save(update_fields=["is_staff"])
    staff = client_for(None)
    login(staff, "yinzhou_leader")
    assert staff.get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302


def test_saving_an_override_in_the_admin_goes_through_the_service(
    world, client_for, django_capture_on_commit_callbacks, announcements
):
    client = client_for(None)
    login(client, "yinzhou_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/workdays/calendaroverride/add/",
            {"day": "2027-02-08", "is_working_day": "", "reason": "  春节  "},
        )
    assert response.status_code == 302
    override = CalendarOverride.objects.get()
    assert (override.reason, override.updated_by) == ("春节", world.user("yinzhou_admin"))
    assert announcements == [{2027}]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/workdays/calendaroverride/{override.pk}/delete/", {"post": "yes"})
    assert not CalendarOverride.objects.exists()
    assert announcements == [{2027}, {2027}]


def test_admin_refuses_to_confirm_a_year_the_package_knows(world, client_for):
    client = client_for(None)
    login(client, "yinzhou_admin")
    response = client.post("/admin/workdays/calendaryear/add/", {"year": "2026", "note": ""})
    assert response.status_code == 200
    assert "2026年的法定节假日安排已由节假日数据包提供" in response.content.decode()
    assert not CalendarYear.objects.exists()

    client.post("/admin/workdays/calendaryear/add/", {"year": "2027", "note": "国办通知"})
    assert CalendarYear.objects.get().confirmed_by == world.user("yinzhou_admin")
