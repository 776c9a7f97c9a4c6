"""Step 1 拟定: writing and editing a draft. Its content is cleaned here (the one place input rules for
a disclosure's content live) and its content hash recomputed on every change."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from disclosure import content as content_rules
from disclosure.choices import Audience, Category, ContentType, DisclosureStatus
from disclosure.models import Disclosure, Obligation
from disclosure.permissions import Action
from disclosure.rules import MAX_BODY_CHARS
from disclosure.services.context import (
    action_require,
    audit_record,
    content_rehash,
    disclosure_lock,
    draft_change_check,
)
from disclosure.services.reimbursements import receipts_prune
from tenants.errors import InvalidInput
from tenants.models import Community, User


def content_clean(
    *, title: str, body: str, data: dict[str, Any] | None, category: str, content_type: str, audience: str
) -> dict[str, Any]:
    """The content fields as they may be stored, or InvalidInput with what to fix."""
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("请填写标题。"))
    if len(title) > 200:
        raise InvalidInput(_("标题不能超过 200 个字。"))
    if len(body or "") > MAX_BODY_CHARS:
        raise InvalidInput(
            _("正文不能超过 %(MAX_BODY_CHARS)s 个字;很长的文件请作为附件上传。")
            % {"MAX_BODY_CHARS": MAX_BODY_CHARS}
        )
    if category not in Category.values:
        raise InvalidInput(_("请选择公开类别。"))
    if content_type not in ContentType.values:
        raise InvalidInput(_("请选择内容格式。"))
    if audience not in Audience.values:
        raise InvalidInput(_("请选择公开对象。"))
    return {
        "title": title,
        "body": content_rules.sanitize_html(body),
        "data": content_rules.validate(content_type, data),
        "category": category,
        "content_type": content_type,
        "audience": audience,
    }


@transaction.atomic
def disclosure_create(
    *,
    actor: User,
    community: Community,
    title: str,
    category: str,
    content_type: str = ContentType.NOTICE,
    audience: str = Audience.PUBLIC,
    body: str = "",
    data: dict[str, Any] | None = None,
    obligation: Obligation | None = None,
) -> Disclosure:
    """Step 1 拟定: a draft owned by the person who wrote it, its first author."""
    action_require(actor, Action.DRAFT, community=community)
    fields = content_clean(
        title=title, body=body, data=data, category=category, content_type=content_type, audience=audience
    )
    disclosure = Disclosure(obligation=obligation, created_by=actor, authors=[actor.pk], **fields)
    disclosure.content_hash = disclosure.compute_content_hash()
    disclosure.save()
    assign_perm("change_disclosure", actor, disclosure)
    audit_record(disclosure, actor, "", DisclosureStatus.DRAFT)
    return disclosure


@transaction.atomic
def disclosure_update(
    *,
    disclosure: Disclosure,
    actor: User,
    title: str,
    category: str,
    content_type: str,
    audience: str,
    body: str = "",
    data: dict[str, Any] | None = None,
) -> Disclosure:
    """Edit a draft. The content hash changes, so every earlier signature stops counting; whoever
    edits it is one of its authors. A reimbursement keeps its receipts and the signatures on it while
    its line is kept (by its ``id``) unchanged; the receipts of a line taken away go with it."""
    disclosure = disclosure_lock(disclosure)
    draft_change_check(disclosure=disclosure, actor=actor)
    fields = content_clean(
        title=title, body=body, data=data, category=category, content_type=content_type, audience=audience
    )
    for name, value in fields.items():
        setattr(disclosure, name, value)
    receipts_prune(disclosure)
    content_rehash(disclosure, actor=actor, fields=tuple(fields))
    return disclosure
