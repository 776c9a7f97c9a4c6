from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """000 第五、六条; 桂花方案 三."""

    PARTY = "party", _("党务")
    GOVERNMENT = "government", _("政务")
    AFFAIRS = "affairs", _("事务")
    FINANCE = "finance", _("财务")
    SERVICE = "service", _("服务")


class Cadence(models.TextChoices):
    """000 第八条; 004 (长期/定期/即时)."""

    FIXED = "fixed", _("固定公开(长期)")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half_yearly", _("每半年")
    ANNUAL = "annual", _("每年")
    EVENT = "event", _("即时(随时)")


class Audience(models.TextChoices):
    """先党内后党外 (000 第七条)."""

    PUBLIC = "public", _("向全体居民公开")
    PARTY_FIRST = "party_first", _("先党内后党外")


class ContentType(models.TextChoices):
    NOTICE = "notice", _("一般公告")
    FINANCE = "finance", _("财务收支表")
    RELIEF = "relief", _("救助名单")
    PLAN = "plan", _("工作计划/重点项目")
    CADRE = "cadre", _("干部监督台")
    SERVICE_GUIDE = "service_guide", _("办事指南")


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
