import pytest

from api import services
from tests.factories import Reports, reports_build


@pytest.fixture
def yinzhou_key(world) -> str:
    _, key = services.apiclient_create(name="区纪委", street_offices=[world.yinzhou])
    return key


@pytest.fixture
def dongguan_key(world) -> str:
    _, key = services.apiclient_create(name="东关街道的区民政局接口", street_offices=[world.dongguan])
    return key


@pytest.fixture
def reports(world) -> Reports:
    return reports_build(world)
