"""工作简报 (000 第九条(五); 004 ⑷): a quarter's briefing drafted from content compiled elsewhere (the
street-office layer reads the quarter's data and passes it in), then edited by the clerk and taken
through the five steps like any disclosure. Generating again replaces the draft's content only while
nobody has edited it since, or when the clerk confirms the overwrite."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from disclosure.choices import Audience, Category, ContentType, DisclosureStatus
from disclosure.models import Briefing, Disclosure
from disclosure.services.context import draft_change_check
from disclosure.services.drafting import disclosure_create, disclosure_update
from tenants.errors import Conflict
from tenants.models import Community, User
from workdays.dates import zh_date
from workdays.periods import period_zh


class BriefingEdited(Conflict):
    """The draft was edited since it was generated: generating again needs the clerk's confirmation."""


EDITED_MESSAGE = "这份简报草稿在生成之后修改过。重新生成会用本季度的最新数据覆盖这些修改,请确认后再重新生成。"


@transaction.atomic
def briefing_draft_save(
    *,
    actor: User,
    community: Community,
    period: str,
    title: str,
    summary: str,
    sections: list[dict[str, Any]],
    overwrite: bool = False,
) -> Disclosure:
    """The quarter's briefing as a draft with this content: a new draft, or the quarter's draft
    regenerated. Refused once it has been submitted (withdraw it first) or published (correct it
    instead); a draft edited since it was generated is overwritten only with ``overwrite``. Whoever
    drafts may generate; only the drafter regenerates their draft (``disclosure_update``'s rule)."""
    fields: dict[str, Any] = {
        "title": title,
        "category": Category.AFFAIRS,
        "content_type": ContentType.BRIEFING,
        "audience": Audience.PUBLIC,
        "body": summary,
        "data": {"period": period, "sections": sections},
    }
    existing = Briefing.objects.select_for_update().select_related("disclosure").filter(period=period).first()
    if existing is None:
        disclosure = disclosure_create(actor=actor, community=community, **fields)
        Briefing.objects.create(
            period=period,
            disclosure=disclosure,
            generated_hash=disclosure.content_hash,
            generated_at=timezone.now(),
            generated_by=actor,
        )
        return disclosure
    current = existing.disclosure
    if current.status in (DisclosureStatus.SUBMITTED, DisclosureStatus.APPROVED):
        raise Conflict(
            _("%(period_zh)s的简报正在审核或签字,请先在公开内容页撤回修改,再重新生成。")
            % {"period_zh": period_zh(period)}
        )
    if current.status not in (DisclosureStatus.DRAFT, DisclosureStatus.RETURNED):
        published = zh_date(current.published_at)
        raise Conflict(
            _("%(period_zh)s的简报已于%(published)s公布,不能重新生成;内容有误请在公开内容页发起更正。")
            % {"period_zh": period_zh(period), "published": published}
        )
    draft_change_check(disclosure=current, actor=actor, doing="重新生成这份简报")
    if existing.edited and not overwrite:
        raise BriefingEdited(EDITED_MESSAGE)
    disclosure = disclosure_update(disclosure=current, actor=actor, **fields)
    existing.generated_hash = disclosure.content_hash
    existing.generated_at = timezone.now()
    existing.generated_by = actor
    existing.save()
    return disclosure
