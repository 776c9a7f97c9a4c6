"""The street office's standard catalogue: a revision is a new version, and the communities' obligations
follow the version valid for each period."""

from datetime import date

import pytest

from disclosure import services
from disclosure.models import Obligation
from standards.models import CatalogueItem
from standards.services import catalogue_item_revise

pytestmark = pytest.mark.django_db


def test_catalogue_revision_affects_future_periods_only(world, in_yincheng):
    item = CatalogueItem.objects.get(street_office=world.yinzhou, code="SW-03", valid_until__isnull=True)
    catalogue_item_revise(item=item, valid_from=date(2026, 9, 1), title="社区事务月度公开(修订)")
    services.obligations_generate(community=in_yincheng, on=date(2026, 10, 2), since=date(2026, 8, 1))
    assert (
        Obligation.objects.get(code="SW-03", period="2026-08").title == "社区事务月度公开(上月事务办理情况)"
    )
    assert Obligation.objects.get(code="SW-03", period="2026-09").title == "社区事务月度公开(修订)"
