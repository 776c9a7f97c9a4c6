"""Writes to the standard catalogue."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from standards.models import CatalogueItem
from tenants.errors import Conflict, InvalidInput

REVISABLE = {
    "title",
    "category",
    "cadence",
    "event_working_days",
    "min_display_days",
    "audience",
    "content_type",
    "basis",
}


@transaction.atomic
def catalogue_item_revise(*, item: CatalogueItem, valid_from: date, **changes: Any) -> CatalogueItem:
    """Revise an item from ``valid_from`` on: the current version ends there and a new one begins,
    so obligations of earlier periods keep the terms that applied to them."""
    unknown = set(changes) - REVISABLE
    if unknown:
        raise InvalidInput(_("不能修改这些字段:%(join)s") % {"join": "、".join(sorted(unknown))})
    item = CatalogueItem.objects.select_for_update().get(pk=item.pk)
    if item.valid_until is not None:
        raise Conflict(_("只能修订当前有效的版本。"))
    if valid_from <= item.valid_from:
        raise InvalidInput(_("修订的生效日期必须晚于当前版本的生效日期。"))
    item.valid_until = valid_from
    item.save(update_fields=["valid_until", "updated_at"])
    revised = CatalogueItem(
        street_office=item.street_office,
        code=item.code,
        valid_from=valid_from,
        **{name: changes.get(name, getattr(item, name)) for name in REVISABLE},
    )
    revised.save()
    return revised
