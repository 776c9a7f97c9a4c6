"""The demo's waiting work holds whatever day it is seeded on: on a holiday inside a long break, on a
Sunday, and early in a quarter, before the last quarter's statement falls due. One community of the test
world is seeded with a shorter history on each day (its officers first: the cadre board needs them)."""

from __future__ import annotations

from datetime import date

import pytest
from django_tenants.utils import tenant_context

from communities.models import Committee, Officer
from demo.disclosures import seed_disclosures
from demo.seed import POSTS
from tests.conftest import World
from tests.demo.waiting import check_work_waiting
from workdays.periods import add_months

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "today",
    [
        date(2026, 10, 5),  # National Day holiday, a Monday
        date(2026, 6, 14),  # a Sunday
        date(2026, 4, 3),  # the first quarter's statement not due yet (10 April)
    ],
)
def test_every_step_has_work_waiting_whatever_day_the_demo_is_seeded(world: World, today: date) -> None:
    community = world.yincheng
    with tenant_context(community):
        committees = {c.kind: c for c in Committee.objects.all()}
        for order, (kind, post, duties) in enumerate(POSTS.values()):
            Officer.objects.create(
                committee=committees[kind], name=f"干部{order}", post=post, duties=duties, sort_order=order
            )
        seed_disclosures(community, today=today, since=add_months(today.replace(day=1), -6))
    check_work_waiting(community, today=today)
