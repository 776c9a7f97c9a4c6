"""The street office's demands in a community's 待我办理 (``tenants.worklist``): rectification orders to
answer by their deadline and the periodic self-assessment to submit."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from inspection import permissions
from inspection.choices import AssessmentStatus, RectificationStatus
from inspection.models import Assessment, Rectification
from tenants.worklist import Step, Task, register
from workdays.periods import period_zh

ISSUE_CHARS = 30


@register
def inspection_tasks(request: HttpRequest) -> Iterator[Task]:
    community = getattr(request, "community", None)
    roles = set(getattr(request, "membership_roles", set()))
    if community is None:
        return
    if permissions.can_answer_rectification(roles):
        open_orders = Rectification.objects.filter(
            community=community, status__in=(RectificationStatus.OPEN, RectificationStatus.ESCALATED)
        )
        for order in open_orders:
            issues = " ".join(order.issues.split())
            what = _("街道整改通知:") + (issues if len(issues) <= ISSUE_CHARS else issues[:ISSUE_CHARS] + "…")
            url = reverse("inspection_community:answer", args=[order.pk])
            yield Task(what, Step.RECTIFY, url, _("反馈整改情况"), order.due_date, order.get_status_display())
    if permissions.can_self_assess(roles):
        for a in Assessment.objects.filter(community=community, status=AssessmentStatus.SELF_ASSESSING):
            url = reverse("inspection_community:self_assess", args=[a.pk])
            what = _("%(period_zh)s定期考核") % {"period_zh": period_zh(a.period)}
            yield Task(what, Step.SELF_ASSESS, url, _("提交自查"), None, _("社区自查评分"))
