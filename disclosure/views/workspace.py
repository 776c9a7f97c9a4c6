"""The workspace's front page and the list of disclosures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from communities.selectors import notifications_for
from disclosure import permissions, selectors
from disclosure.choices import DisclosureStatus
from disclosure.models import Disclosure
from disclosure.permissions import Action
from disclosure.rules import DUE_SOON_WORKING_DAYS
from tenants import worklist
from tenants.access import CommunityRequest, member_required
from tenants.choices import CommunityRole
from tenants.worklist import Task
from workdays.selectors import working_days_left


@dataclass(frozen=True)
class Row:
    """A task as 待我办理 shows it: with its deadline's working days left (negative: overdue)."""

    task: Task
    left: int | None

    @property
    def urgency(self) -> str:
        if self.left is None:
            return "none"
        if self.left < 0:
            return "overdue"
        return "soon" if self.left <= DUE_SOON_WORKING_DAYS else "later"

    @property
    def days_over(self) -> int:
        return -self.left if self.left is not None and self.left < 0 else 0


def worklist_rows(request: CommunityRequest, *, today: date) -> list[Row]:
    tasks = worklist.collect(request)
    left = working_days_left([t.due for t in tasks if t.due], today=today)
    return [Row(t, left[t.due] if t.due else None) for t in tasks]


@member_required()
def workspace(request: CommunityRequest) -> HttpResponse:
    """待我办理 first: what waits for this person, by role and by the items assigned to them; then the
    notifications still open and what the community has under way."""
    today = timezone.localdate()
    return render(
        request,
        "disclosure/workspace.html",
        {
            "role_labels": [CommunityRole(r).label for r in sorted(request.membership_roles)],
            "rows": worklist_rows(request, today=today),
            "in_progress": selectors.disclosures_in_progress()[:20],
            "notifications": notifications_for(request.user)[:10],
            "can_draft": permissions.allowed(request.membership_roles, Action.DRAFT),
            "today": today,
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
