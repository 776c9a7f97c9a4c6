"""A street office's briefing, once its leader has approved it, is announced to every community's staff
(004 ⑷ 按季公开 … 各社区工作动态): one task per community, each in its community's schema, so publishing
costs the leader's request nothing however many communities there are."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse

from communities.services import notification_send
from inspection.models import StreetOfficeBriefing
from tenants.models import User
from tenants.permissions import COMMUNITY_MEMBERS
from tenants.tasking import task_community

TENANT_URLS = "config.urls_tenant"  # the link is to the community's site, whatever conf the task runs under


@shared_task(acks_late=True)
def street_briefing_announce(briefing_id: int) -> int:
    """Tell the community's members (in its schema) that the street office published ``briefing_id``."""
    community = task_community()
    briefing = StreetOfficeBriefing.objects.filter(
        pk=briefing_id, street_office_id=community.street_office_id
    ).first()
    if briefing is None:
        return 0
    members = User.objects.filter(
        memberships__community=community, memberships__role__in=COMMUNITY_MEMBERS, is_active=True
    ).distinct()
    return len(
        notification_send(
            recipients=members,
            title=f"街道工作简报已公布:{briefing.title}",
            url=reverse(
                "inspection_community:street_briefing",
                kwargs={"pk": briefing.pk},
                urlconf="config.urls_tenant",
            ),
        )
    )
