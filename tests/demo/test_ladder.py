"""The demo's escalation ladder (demo/inspection.py ``seed_ladder``): 银北's order after its failed survey
went to the leader after two reopenings, with a recorded 诫勉谈话 and a 通报批评 on the public pages."""

from __future__ import annotations

from datetime import date

import pytest

from inspection import selectors
from inspection.choices import RectificationSource, RectificationStatus
from inspection.models import Rectification
from tests.conftest import host

pytestmark = pytest.mark.owner  # the demo's transaction (tests/demo/conftest.py) is the owner's


def test_one_order_is_escalated_with_a_recorded_talk_and_a_criticism(demo_seeded: date, client) -> None:
    order = Rectification.objects.get(community__schema_name="yinbei", source=RectificationSource.SURVEY)
    assert order.status == RectificationStatus.ESCALATED and order.reopen_count == 2
    talk = order.admonishments.get(held_on__isnull=False)
    assert talk.held_on == demo_seeded and talk.place and talk.spoken_by and talk.minutes.name
    assert order.criticized_at is not None and order.criticism_public
    assert list(selectors.criticisms_published()) == [order]
    assert "两次整改不到位" in client.get("/", HTTP_HOST=host()).content.decode()
