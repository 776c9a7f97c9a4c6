import pytest

from tenants import selectors
from tenants.validators import validate_mainland_mobile

pytestmark = pytest.mark.django_db


def test_street_office_staff_see_only_their_own_communities(world):
    visible = {c.schema_name for c in selectors.communities_visible_to(world.user("yinzhou_inspector"))}
    assert visible == {"yincheng", "yinnan", "yinxin"}
    assert set(selectors.communities_visible_to(world.user("dongguan_inspector"))) == {world.dongfeng}


def test_community_staff_are_not_street_office_staff(world):
    assert not selectors.is_street_office_staff(world.user("yincheng_secretary"))
    assert selectors.is_street_office_staff(world.user("yinzhou_leader"))
    assert list(selectors.communities_visible_to(world.user("yincheng_secretary"))) == []


def test_one_person_may_hold_several_roles(world):
    from tenants import services

    secretary = world.user("yincheng_secretary")
    services.membership_grant(user=secretary, community=world.yincheng, role="director")
    assert selectors.community_roles_of(user=secretary, community=world.yincheng) == {"secretary", "director"}
    assert selectors.community_roles_of(user=secretary, community=world.yinnan) == set()


@pytest.mark.parametrize("number", ["13812345678", "19912345678", "16612345678"])
def test_mainland_mobile_numbers_are_accepted(number):
    validate_mainland_mobile(number)


@pytest.mark.parametrize(
    "number", ["12812345678", "1381234567", "+8613812345678", "138 1234 5678", "23812345678", ""]
)
def test_other_numbers_are_refused(number):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="手机号码"):
        validate_mainland_mobile(number)
