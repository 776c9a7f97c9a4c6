"""Residents' matters in 待我办理 (``tenants.worklist``): questions to answer by their deadline for
those who answer, and matters sent to the supervision group for those who investigate."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from disclosure.feedback import permissions
from disclosure.feedback.choices import Status
from disclosure.feedback.models import Feedback, Opinion
from tenants.worklist import Step, Task, register

EXCERPT_CHARS = 30


def _what(feedback: Feedback) -> str:
    text = " ".join(feedback.text.split())
    excerpt = text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + "…"
    return _("居民%(get_kind_display)s:%(excerpt)s") % {
        "get_kind_display": feedback.get_kind_display(),
        "excerpt": excerpt,
    }


def _about(feedback: Feedback) -> str:
    about = (
        _("关于“%(title)s”") % {"title": feedback.disclosure.title}
        if feedback.disclosure is not None
        else _("关于社区工作")
    )
    return _("查询码 %(code)s · %(about)s") % {"code": feedback.code, "about": about}


@register
def feedback_tasks(request: HttpRequest) -> Iterator[Task]:
    roles = set(getattr(request, "membership_roles", set()))
    if permissions.can_answer(roles):
        for f in Feedback.objects.filter(status=Status.RECEIVED).select_related("disclosure"):
            url = reverse("feedback_staff:detail", args=[f.pk])
            yield Task(_what(f), Step.ANSWER, url, _("去答复"), f.due_date, _about(f))
    if permissions.can_supervise(roles):
        waiting = Feedback.objects.filter(escalated_at__isnull=False, finding="").select_related("disclosure")
        for f in waiting:
            url = reverse("feedback_staff:detail", args=[f.pk])
            note = f"{f.get_escalation_reason_display()} · {_about(f)}"
            yield Task(_what(f), Step.INVESTIGATE, url, _("去调查"), None, note)


@register
def opinion_tasks(request: HttpRequest) -> Iterator[Task]:
    """征求意见: opinions the supervision group has not yet looked at, one task per consultation."""
    if not permissions.can_moderate(set(getattr(request, "membership_roles", set()))):
        return
    waiting: dict[int, tuple[str, int]] = {}
    for o in Opinion.objects.filter(moderated_at__isnull=True).select_related("consultation"):
        title, n = waiting.get(o.consultation_id, (o.consultation.title, 0))
        waiting[o.consultation_id] = (title, n + 1)
    for pk, (title, n) in waiting.items():
        url = reverse("consult_staff:opinions", args=[pk])
        yield Task(
            _("征求意见“%(title)s”") % {"title": title},
            Step.MODERATE,
            url,
            _("去审看"),
            None,
            ngettext("%(n)s 条居民意见待决定是否公开展示", "%(n)s 条居民意见待决定是否公开展示", n)
            % {"n": n},
        )
