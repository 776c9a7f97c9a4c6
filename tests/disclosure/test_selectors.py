"""``disclosures_public``: the one place that decides what a resident may see on a given day."""

from datetime import date, timedelta
from typing import cast

import pytest

from disclosure import selectors, services
from disclosure.choices import Audience, Category, ContentType
from tests.factories import at, draft, published, signed

pytestmark = pytest.mark.django_db
RELIEF = {
    "programme": "城市最低生活保障",
    "households": [{"name": "王建国", "age": 76, "household_size": 2, "hardship": "独居", "amount": "680"}],
}


def test_only_what_went_through_publication_is_public(world, in_yincheng):
    shown = published(world)
    draft(world, title="草稿")
    assert list(selectors.disclosures_public(on=date(2026, 6, 8))) == [shown]


def test_a_party_first_item_becomes_public_on_its_public_from_day(world, in_yincheng):
    d = signed(world, category=Category.PARTY, audience=Audience.PARTY_FIRST, title="发展党员公示")
    d = services.disclosure_publish(
        community=in_yincheng,
        disclosure=d,
        actor=world.user("yincheng_handler"),
        channels=["meeting"],
        public_from=date(2026, 6, 15),
        now=at(date(2026, 6, 8)),
    )
    assert d not in selectors.disclosures_public(on=date(2026, 6, 14))
    assert d in selectors.disclosures_public(on=date(2026, 6, 15))


def test_a_relief_roster_is_withdrawn_the_day_after_its_display_period(world, in_yincheng):
    roster = published(world, content_type=ContentType.RELIEF, data=RELIEF)
    last_day = cast(date, roster.display_until)  # published, so it has one
    assert selectors.disclosures_public(on=last_day).get(pk=roster.pk).withdrawn is False
    assert selectors.disclosures_public(on=last_day + timedelta(days=1)).get(pk=roster.pk).withdrawn is True
    notice = published(world, title="一般公告")
    assert selectors.disclosures_public(on=last_day + timedelta(days=1)).get(pk=notice.pk).withdrawn is False
