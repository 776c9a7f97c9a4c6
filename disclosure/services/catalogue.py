"""The community's own catalogue items, added beside the street office's standard catalogue
(004 ⑶: local detail, not a copy of it)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.choices import Audience, Cadence, Category, ContentType
from disclosure.models import LocalCatalogueItem
from disclosure.permissions import Action
from disclosure.rules import MIN_DISPLAY_DAYS
from disclosure.services.context import action_require
from standards.choices import EVENT_WORKING_DAYS
from standards.models import CatalogueItem
from tenants.errors import Conflict, InvalidInput
from tenants.models import Community, User


@transaction.atomic
def local_item_add(
    *,
    actor: User,
    community: Community,
    code: str,
    title: str,
    category: str,
    cadence: str,
    content_type: str,
    audience: str = Audience.PUBLIC,
    event_working_days: int = EVENT_WORKING_DAYS,
    min_display_days: int = MIN_DISPLAY_DAYS,
    basis: str = "",
    valid_from: date | None = None,
) -> LocalCatalogueItem:
    action_require(actor, Action.CATALOGUE, community=community)
    code, title = code.strip().upper(), title.strip()
    if not code or not title:
        raise InvalidInput(_("请填写编号和公开事项。"))
    standard_codes = CatalogueItem.objects.filter(street_office_id=community.street_office_id)
    if standard_codes.filter(code=code).exists() or LocalCatalogueItem.objects.filter(code=code).exists():
        raise Conflict(
            _("编号“%(code)s”已被使用,请换一个(建议用社区拼音首字母开头,如 YC-01)。") % {"code": code}
        )
    if (
        cadence not in Cadence.values
        or category not in Category.values
        or content_type not in ContentType.values
    ):
        raise InvalidInput(_("请选择类别、公开时限和内容格式。"))
    if not 1 <= min_display_days <= 3650 or not 0 <= event_working_days <= 60:
        raise InvalidInput(_("公示天数或事后公开期限不合理。"))
    return LocalCatalogueItem.objects.create(
        code=code,
        title=title,
        category=category,
        cadence=cadence,
        content_type=content_type,
        audience=audience,
        event_working_days=event_working_days,
        min_display_days=min_display_days,
        basis=basis.strip(),
        valid_from=valid_from or timezone.localdate(),
    )
