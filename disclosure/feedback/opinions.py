"""Every write on residents' opinions on a consultation (征求意见, 新视界方案 四(一)). One transaction each.

An opinion is accepted only while the consultation's period is open (its opening day to its closing
day, both counted); the supervision group then decides, one by one, which are shown on the
consultation's page. Until it does, an opinion is not shown.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.services import notification_send
from disclosure import consultations
from disclosure import services as engine
from disclosure.feedback import permissions
from disclosure.feedback.choices import OpinionStep
from disclosure.feedback.models import Opinion
from disclosure.models import Disclosure
from disclosure.rules import LOCKED_STATUSES
from tenants.audit import RESIDENT
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tenants.models import Community, User
from tenants.residents import create_with_code, ensure_identity, ensure_text
from tenants.selectors import community_roles_of
from workdays.dates import zh_date

RECEIVED, SHOWN, HIDDEN = OpinionStep.RECEIVED, OpinionStep.SHOWN, OpinionStep.HIDDEN


def period_refusal(consultation: Disclosure, *, on: date) -> str:
    """Why no opinion is accepted on ``on``, in Chinese; empty while the period is open."""
    period = consultations.period_of(consultation)
    if period is None or consultation.status not in LOCKED_STATUSES:
        return _("这项内容不在征求意见。")
    if on < period.opens_on:
        return _("意见征集从 %(day)s 开始,请到时再提交。") % {"day": zh_date(period.opens_on)}
    if period.has_ended(on):
        return _("意见征集已于 %(day)s 截止,不再接收意见。") % {"day": zh_date(period.closes_on)}
    return ""


@transaction.atomic
def opinion_submit(
    *,
    community: Community,
    consultation: Disclosure,
    text: str,
    name: str = "",
    mobile: str = "",
    today: date | None = None,
) -> Opinion:
    """A resident's opinion, with its query code, while the period is open. Anonymous stores neither
    name nor mobile; signed stores both, never shown publicly. The supervision group is told."""
    text = ensure_text(text, what="意见")
    name, mobile = ensure_identity(name, mobile)
    today = today or timezone.localdate()
    refused = period_refusal(consultation, on=today)
    if refused:
        raise Conflict(refused)
    opinion = create_with_code(
        lambda code: Opinion.objects.create(
            code=code, consultation=consultation, text=text, name=name, mobile=mobile, received_on=today
        )
    )
    engine.audit_record(opinion, None, "", RECEIVED, "署名" if mobile else "匿名", actor_name=RESIDENT)
    notification_send(
        recipients=engine.users_with_roles(permissions.MODERATION_ROLES, community=community),
        title=f"“{consultation.title}”收到一条居民意见,请决定是否公开展示",
        body=text[:200],
        url=reverse("consult_staff:opinions", args=[consultation.pk]),
    )
    return opinion


@transaction.atomic
def opinion_moderate(*, opinion: Opinion, actor: User, community: Community, shown: bool) -> Opinion:
    """The supervision group shows an opinion on the consultation's page, or hides it again."""
    if not permissions.can_moderate(community_roles_of(user=actor, community=community)):
        raise NotAllowed(permissions.MODERATE_REFUSED)
    if not isinstance(shown, bool):
        raise InvalidInput(_("请选择公开展示或不展示。"))
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    before = SHOWN if opinion.shown else HIDDEN if opinion.moderated_at else RECEIVED
    opinion.shown = shown
    opinion.moderated_at = timezone.now()
    opinion.moderated_by = actor
    opinion.moderated_by_name = actor.get_full_name()
    opinion.save()
    engine.audit_record(opinion, actor, before, SHOWN if shown else HIDDEN)
    engine.announce_change(community=community)
    return opinion
