"""The workspace's front page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from communities.selectors import notifications_active
from disclosure import permissions, selectors
from disclosure.permissions import Action
from disclosure.rules import DUE_SOON_WORKING_DAYS
from tenants import worklist
from tenants.access import CommunityRequest, member_required
from tenants.choices import CommunityRole
from tenants.worklist import Task
from workdays.selectors import Countdown, countdowns


@dataclass(frozen=True)
class Row:
    """A task as 待我办理 shows it: with its deadline's countdown in working days."""

    task: Task
    clock: Countdown | None

    @property
    def urgency(self) -> str:
        if self.clock is None:
            return "none"
        if self.clock.past:
            return "overdue"
        return "soon" if self.clock.left <= DUE_SOON_WORKING_DAYS else "later"


def worklist_rows(request: CommunityRequest, *, today: date) -> list[Row]:
    tasks = worklist.collect(request)
    clocks = countdowns([t.due for t in tasks if t.due], on=today)
    return [Row(t, clocks[t.due] if t.due else None) for t in tasks]


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
            "notifications": notifications_active(request.user)[:5],
            "can_draft": permissions.allowed(request.membership_roles, Action.DRAFT),
            "today": today,
        },
    )
