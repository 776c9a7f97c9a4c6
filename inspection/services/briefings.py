"""工作简报 (000 第九条(五); 004 ⑷): each quarter, a briefing per community and one for the street office,
compiled from the quarter's data (``inspection.briefing``), edited, then published.

A community's briefing is one of its disclosures: generated here into its schema as a draft
(``disclosure.services.briefing_draft_save``), it then goes through the five steps like any other.
The street office's briefing lives in the public schema and takes the street office's own steps:
compiled and edited by any of its staff, sent to the leader, approved (and so published) or returned
with comments. Generating again never silently overwrites what someone edited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from disclosure import services as disclosure_services
from disclosure.content import canonical_json, sha256_hex, validate_briefing
from disclosure.models import Disclosure
from disclosure.services.briefings import EDITED_MESSAGE
from inspection import permissions
from inspection.briefing import community_quarter, street_office_quarter
from inspection.briefing_notices import street_briefing_announce
from inspection.briefing_text import community_written, street_office_written
from inspection.choices import BriefingStatus
from inspection.models import StreetOfficeBriefing
from inspection.services.staff import require_street_staff
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tenants.models import Community, StreetOffice, User
from tenants.tasking import for_each_community
from workdays.periods import Period

SUMMARY_CHARS = 2000


def community_briefing_generate(
    *, community: Community, period: Period, actor: User, overwrite: bool = False, today: date | None = None
) -> Disclosure:
    """The community's briefing of ``period`` as a draft in its schema, compiled from the quarter as it
    stands today; a draft edited since it was generated is replaced only with ``overwrite``."""
    today = today or timezone.localdate()
    written = community_written(community_quarter(community=community, period=period, on=today))
    with tenant_context(community):
        return disclosure_services.briefing_draft_save(
            actor=actor,
            community=community,
            period=period.label,
            title=written.title,
            summary=escape(written.summary),
            sections=written.sections,
            overwrite=overwrite,
        )


class StreetBriefingEdited(Conflict):
    """The street office's draft was edited since it was generated: regenerating needs confirmation."""


def _hash(briefing: StreetOfficeBriefing) -> str:
    return sha256_hex(
        canonical_json({"title": briefing.title, "summary": briefing.summary, "data": briefing.data})
    )


def _clean_summary(summary: str) -> str:
    summary = summary.strip()
    if len(summary) > SUMMARY_CHARS:
        raise InvalidInput(_("概述不能超过 %(SUMMARY_CHARS)s 个字。") % {"SUMMARY_CHARS": SUMMARY_CHARS})
    return summary


@transaction.atomic
def street_briefing_generate(
    *,
    street_office: StreetOffice,
    period: Period,
    actor: User,
    overwrite: bool = False,
    today: date | None = None,
) -> StreetOfficeBriefing:
    """The street office's briefing of ``period``, compiled from the public summaries: a new draft, or
    the draft regenerated (not once it is with the leader or published; an edited draft only with
    ``overwrite``)."""
    require_street_staff(actor, street_office.pk)
    today = today or timezone.localdate()
    existing = (
        StreetOfficeBriefing.objects.select_for_update()
        .filter(street_office=street_office, period=period.label)
        .first()
    )
    if existing is not None and not existing.editable:
        raise Conflict(
            _("%(zh)s的简报%(get_status_display)s,不能重新生成。")
            % {"zh": period.zh, "get_status_display": existing.get_status_display()}
        )
    if existing is not None and existing.edited and not overwrite:
        raise StreetBriefingEdited(EDITED_MESSAGE)
    written = street_office_written(
        street_office_quarter(street_office=street_office, period=period, on=today)
    )
    briefing = existing or StreetOfficeBriefing(street_office=street_office, period=period.label)
    briefing.title = written.title
    briefing.summary = written.summary
    briefing.data = validate_briefing({"period": period.label, "sections": written.sections})
    briefing.drafted_by = actor
    briefing.generated_at = timezone.now()
    briefing.content_hash = briefing.generated_hash = _hash(briefing)
    briefing.save()
    return briefing


def _editable(briefing: StreetOfficeBriefing) -> StreetOfficeBriefing:
    briefing = StreetOfficeBriefing.objects.select_for_update().get(pk=briefing.pk)
    if not briefing.editable:
        raise Conflict(
            _("这份简报%(get_status_display)s,不能修改。")
            % {"get_status_display": briefing.get_status_display()}
        )
    return briefing


@transaction.atomic
def street_briefing_edit(
    *, briefing: StreetOfficeBriefing, actor: User, title: str, summary: str, texts: dict[str, str]
) -> StreetOfficeBriefing:
    """Change the title, the summary and the sections' texts of a draft; the figures stay as compiled."""
    require_street_staff(actor, briefing.street_office_id)
    briefing = _editable(briefing)
    title = title.strip()
    if not title:
        raise InvalidInput(_("请填写标题。"))
    sections: list[dict[str, Any]] = [
        {**s, "text": texts.get(s["key"], s["text"])} for s in briefing.data.get("sections", [])
    ]
    briefing.title = title[:200]
    briefing.summary = _clean_summary(summary)
    briefing.data = validate_briefing({"period": briefing.period, "sections": sections})
    briefing.content_hash = _hash(briefing)
    briefing.save()
    return briefing


@transaction.atomic
def street_briefing_submit(*, briefing: StreetOfficeBriefing, actor: User) -> StreetOfficeBriefing:
    """To the leader for approval."""
    require_street_staff(actor, briefing.street_office_id)
    briefing = _editable(briefing)
    briefing.status = BriefingStatus.SUBMITTED
    briefing.submitted_at = timezone.now()
    briefing.save()
    return briefing


@transaction.atomic
def street_briefing_review(
    *, briefing: StreetOfficeBriefing, actor: User, approve: bool, comments: str = "", seen_hash: str = ""
) -> StreetOfficeBriefing:
    """The leader approves (the briefing is published: its public page on the base domain, and every
    community's staff see it on their 街道考核 page) or returns it with what to change. ``seen_hash``: the
    content the leader read, when the page sent it; content changed since is refused."""
    roles = require_street_staff(actor, briefing.street_office_id)
    if not permissions.can_approve_briefing(roles):
        raise NotAllowed(permissions.BRIEFING_APPROVE_REFUSED)
    briefing = StreetOfficeBriefing.objects.select_for_update().get(pk=briefing.pk)
    if briefing.status != BriefingStatus.SUBMITTED:
        raise Conflict(
            _("这份简报%(get_status_display)s,不在待审定状态。")
            % {"get_status_display": briefing.get_status_display()}
        )
    if seen_hash and seen_hash != briefing.content_hash:
        raise Conflict(_("您阅读之后,简报又被修改过。请重新阅读后再审定。"))
    comments = comments.strip()
    if approve:
        briefing.status = BriefingStatus.PUBLISHED
        briefing.approved_by = actor
        briefing.published_at = timezone.now()
        briefing.review_comments = ""
        communities = briefing.street_office.communities.filter(is_active=True)
        pk = briefing.pk
        transaction.on_commit(
            lambda: for_each_community(street_briefing_announce, pk, communities=communities)
        )
    else:
        if not comments:
            raise InvalidInput(_("退回修改时请写明意见。"))
        briefing.status = BriefingStatus.RETURNED
        briefing.review_comments = comments
    briefing.save()
    return briefing
