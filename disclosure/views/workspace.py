"""The workspace's front page."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from communities.selectors import notifications_for
from disclosure import permissions, selectors
from disclosure.choices import ObligationStatus
from disclosure.permissions import Action
from tenants.access import CommunityRequest, member_required
from tenants.choices import CommunityRole


@member_required()
def workspace(request: CommunityRequest) -> HttpResponse:
    """本月到期、已逾期、办理中: what a clerk needs to see first thing in the morning."""
    today = timezone.localdate()
    open_obligations = selectors.obligations_open()
    return render(
        request,
        "disclosure/workspace.html",
        {
            "role_labels": [CommunityRole(r).label for r in sorted(request.membership_roles)],
            "overdue": [o for o in open_obligations if o.status == ObligationStatus.OVERDUE],
            "due_this_month": [
                o
                for o in open_obligations
                if o.status != ObligationStatus.OVERDUE
                and (o.due_date.year, o.due_date.month) == (today.year, today.month)
            ],
            "in_progress": selectors.disclosures_in_progress()[:20],
            "notifications": notifications_for(request.user)[:10],
            "can_draft": permissions.allowed(request.membership_roles, Action.DRAFT),
        },
    )
