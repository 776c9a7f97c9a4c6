from django.db import models
from django.utils.translation import gettext_lazy as _

# The catalogue's vocabulary lives with the standard catalogue (public schema), below this app.
from standards.choices import Audience, Cadence, Category, ContentType

__all__ = [
    "Audience",
    "Cadence",
    "Category",
    "Channel",
    "ContentType",
    "DisclosureStatus",
    "LedgerAction",
    "ObligationStatus",
    "ReimbursementSigner",
    "ReviewDecision",
    "SignatureRole",
]


class ObligationStatus(models.TextChoices):
    UPCOMING = "upcoming", _("未到期")
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已逾期")
    ON_TIME = "on_time", _("按时公开")
    LATE = "late", _("逾期公开")
    WAIVED = "waived", _("已免除")


class DisclosureStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待监督小组审核")
    RETURNED = "returned", _("已退回修改")
    APPROVED = "approved", _("审核通过,待签字")
    PUBLISHED = "published", _("已公布")
    ARCHIVED = "archived", _("已归档")
    SUPERSEDED = "superseded", _("已被更正版本取代")


class Channel(models.TextChoices):
    """000 第九条; 桂花方案 五."""

    BOARD = "board", _("公开栏")
    MEETING = "meeting", _("会议")
    WEB = "web", _("网站")
    E_SCREEN = "e_screen", _("电子屏")
    TOUCH_SCREEN = "touch_screen", _("触摸屏")
    DOCUMENTS = "documents", _("文件查阅")
    BRIEFING = "briefing", _("简报")


class SignatureRole(models.TextChoices):
    """桂花方案 四(一): the party secretary, the committee director and the handler sign."""

    SECRETARY = "secretary", _("党组织书记")
    DIRECTOR = "director", _("居委会主任")
    HANDLER = "handler", _("经办人")


class ReimbursementSigner(models.TextChoices):
    """004 ⑵: 党支部、居委会、监委会三委负责人和包社区领导、经办人五人同时签字方予报账, in signing order."""

    PARTY_BRANCH = "party_branch", _("党支部负责人")
    RESIDENTS_COMMITTEE = "residents_committee", _("居委会负责人")
    SUPERVISION = "supervision_committee", _("监督小组负责人")
    STREET_LEADER = "street_leader", _("包社区街道领导")
    HANDLER = "handler", _("经办人")


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", _("同意公开")
    RETURN = "return", _("退回修改")


class LedgerAction(models.TextChoices):
    SUBMIT = "submit", _("提交审核")
    OPINION = "opinion", _("审核意见")
    SIGN = "sign", _("签字")
    PUBLISH = "publish", _("公布")
    CORRECT = "correct", _("更正")
    ARCHIVE = "archive", _("归档")
    WAIVE = "waive", _("免除")
    ORDER = "order", _("责令重新公布")
    RENEW = "renew", _("确认无变化续期")
