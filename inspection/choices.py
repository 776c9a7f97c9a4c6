from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from inspection import rules


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class SpotCheckStatus(models.TextChoices):
    PLANNED = "planned", _("待暗访")
    COMPLETED = "completed", _("已完成")
    REDRAWN = "redrawn", _("已重抽,不再暗访")


class SurveyStatus(models.TextChoices):
    OPEN = "open", _("测评中")
    CLOSED = "closed", _("已结束")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class RectificationSource(models.TextChoices):
    SURVEY = "survey", _("群众评议满意率不足")
    SPOT_CHECK = "spot_check", _("暗访发现问题")
    ASSESSMENT = "assessment", _("定期考核发现问题")
    COMPLAINT = "complaint", _("居民向街道投诉,经调查属实")
    MANUAL = "manual", _("街道责令")
    OBLIGATION_OVERDUE = "obligation_overdue", _("公开任务逾期未公开")
    FIXED_LAPSED = "fixed_lapsed", _("固定公开内容到期未更新")
    FEEDBACK_OVERDUE = "feedback_overdue", _("居民反映逾期未答复")
    UNTRUE_CONTENT = "untrue_content", _("监督小组查实公开内容不实")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    ANSWERED = "answered", _("社区已反馈,待核查")
    CLOSED = "closed", _("已销号")
    ESCALATED = "escalated", _("已报街道领导")


class EscalationStep(models.TextChoices):
    """How far up the ladder an order has gone (000 第十九条 责令整改 → 诫勉谈话), as the district reads it:
    the furthest step reached, worked out from the order's status and its recorded talks."""

    ORDERED = "ordered", _("已下达,整改中")
    ANSWERED = "answered", _("社区已反馈,待核查")
    ESCALATED = "escalated", _("已报包社区领导(逾期或两次退回)")
    ADMONISHED = "admonished", _("已诫勉谈话")
    CRITICIZED = "criticized", _("已通报批评")
    REFERRED = "referred", _("已移送纪律处分")
    CLOSED = "closed", _("已销号")


class AssessmentStatus(models.TextChoices):
    SELF_ASSESSING = "self_assessing", _("社区自查中")
    SUBMITTED = "submitted", _("已提交自查,待街道考核")
    SCORED = "scored", _("街道已评分,待领导审定")
    APPROVED = "approved", _("已审定")


class BriefingStatus(models.TextChoices):
    """The street office's steps (the five steps are a community's: its supervision group reviews and its
    three heads sign). Drafted and edited by any of the street office's staff, sent to the leader, who
    approves it (and it is published) or returns it with comments."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待领导审定")
    RETURNED = "returned", _("已退回修改")
    PUBLISHED = "published", _("已公布")


class EvaluationStep(models.TextChoices):
    """Where a year's evaluation of a community stands, as its audit trail names it (the model keeps
    the facts: ``approved_by``, ``published_at``)."""

    COMPUTED = "computed", _("已计算,待审定")
    APPROVED = "approved", _("已审定并公布")


class ComplaintStatus(models.TextChoices):
    """A residents' complaint to the street office (000 第十五条): received, under investigation (a first
    note was written), concluded (the finding and the answer the resident reads with the code)."""

    RECEIVED = "received", _("待调查")
    INVESTIGATING = "investigating", _("调查中")
    CONCLUDED = "concluded", _("已答复")


class ComplaintFinding(models.TextChoices):
    UPHELD = "upheld", _("属实")
    NOT_UPHELD = "not_upheld", _("不属实")


class ComplaintDueBasis(models.TextChoices):
    WORKING_DAYS = (
        "working_days",
        format_lazy(_("自受理之日起{days}个工作日内书面答复"), days=rules.COMPLAINT_ANSWER_WORKING_DAYS),
    )
    SIGNED = (
        "signed",
        format_lazy(_("署名投诉{days}天内告知处理结果"), days=rules.COMPLAINT_SIGNED_RESULT_DAYS),
    )
