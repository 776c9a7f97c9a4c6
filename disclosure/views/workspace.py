"""The workspace's front page and the list of disclosures."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from communities.selectors import notifications_for
from disclosure import permissions, selectors
from disclosure.choices import DisclosureStatus, ObligationStatus
from disclosure.models import Disclosure
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


@member_required()
def disclosure_list(request: CommunityRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    qs = Disclosure.objects.order_by("-updated_at")
    if status in DisclosureStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "disclosure/list.html",
        {"disclosures": qs[:200], "status": status, "statuses": DisclosureStatus.choices},
    )
