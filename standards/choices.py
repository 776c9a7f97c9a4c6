"""The catalogue's vocabulary: categories, cadences, audiences and content types (public schema).

The standard catalogue and every community's disclosures use these; they live here, below the
tenant apps, so that the public-schema catalogue never imports a tenant app.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# 桂花方案 五(一): at least 10 days on the board. The catalogue's default minimum display, and the one a
# disclosure without a catalogue item (an ad-hoc notice) is held to.
BOARD_DISPLAY_DAYS = 10
# The catalogue's default for a per-event (即时) item: published within this many working days of the event.
EVENT_WORKING_DAYS = 5


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
    # 000 第九条(五) 简报公开; 004 ⑷ 社区工作简报 按季公开: compiled from a quarter's data, edited, published
    BRIEFING = "briefing", _("工作简报")
    # 000 第二条 事前、事中、事后全过程公开; 新视界方案 四(一) 事前公示:
    # 工作计划或重大事项先广泛征求社区党员居民意见.
    # A consultation has an opinion period; its result (the opinions summed up and the decision) is an
    # item of its own, published after the period, naming the consultation and what followed from it.
    CONSULTATION = "consultation", _("征求意见")
    CONSULTATION_RESULT = "consultation_result", _("征求意见结果")
