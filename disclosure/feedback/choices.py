from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from disclosure.feedback.rules import ANSWER_WORKING_DAYS, DUE_SOON_WORKING_DAYS, SIGNED_COMPLAINT_DAYS


class Kind(models.TextChoices):
    """What a resident brings (000 第十一、十七条; 桂花方案 四(四)、六)."""

    QUESTION = "question", _("询问")
    OBJECTION = "objection", _("异议")
    SUGGESTION = "suggestion", _("意见建议")
    COMPLAINT = "complaint", _("投诉")


class Status(models.TextChoices):
    RECEIVED = "received", _("待答复")
    ANSWERED = "answered", _("已答复")


class DueBasis(models.TextChoices):
    WORKING_DAYS = "working_days", format_lazy(_("{days}个工作日内书面答复"), days=ANSWER_WORKING_DAYS)
    SIGNED_COMPLAINT = (
        "signed_complaint",
        format_lazy(_("署名投诉{days}天内告知处理结果"), days=SIGNED_COMPLAINT_DAYS),
    )


class EscalationReason(models.TextChoices):
    """Why a matter went to the supervision group."""

    KIND = "kind", _("异议和投诉由监督小组调查")
    OVERDUE = "overdue", _("超过答复期限未答复")
    DISSATISFIED = "dissatisfied", _("居民对答复不满意")


class Finding(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("查实")
    UNFOUNDED = "unfounded", _("不属实")


class Rating(models.IntegerChoices):
    SATISFIED = 3, _("满意")
    FAIRLY_SATISFIED = 2, _("基本满意")
    DISSATISFIED = 1, _("不满意")


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", format_lazy(_("到期前{days}个工作日提醒"), days=DUE_SOON_WORKING_DAYS)
    DUE_TODAY = "due_today", _("到期当日提醒")


class AuditStep(models.TextChoices):
    """What a matter's audit trail records beside its status: the steps that change where it stands
    without changing whether it is answered."""

    ESCALATED = "escalated", _("转监督小组")
    RATED = "rated", _("居民已评价")
    FOUND = "found", _("监督小组已作出调查结论")


class OpinionStep(models.TextChoices):
    """Where a resident's opinion on a consultation stands, as its audit trail records it."""

    RECEIVED = "received", _("已收到,待监督小组审看")
    SHOWN = "shown", _("公开展示")
    HIDDEN = "hidden", _("不公开展示")
