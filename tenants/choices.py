from django.db import models
from django.utils.translation import gettext_lazy as _


class CommunityRole(models.TextChoices):
    """Roles inside one community (桂花方案 四(一), 000 第十一、十六条, 004 (一))."""

    SECRETARY = "secretary", _("党组织书记")
    DIRECTOR = "director", _("居委会主任")
    DEPUTY = "deputy", _("居委会副主任")
    HANDLER = "handler", _("经办人/专干")
    SUPERVISOR = "supervisor", _("监督小组成员")
    # 004 ⑵ 五人同时签字: the head of the supervision group (监委会负责人) signs each reimbursement.
    SUPERVISION_HEAD = "supervision_head", _("监督小组组长")
    FINANCE = "finance", _("理财小组成员")
    REPRESENTATIVE = "representative", _("居民代表")


class StreetOfficeRole(models.TextChoices):
    """Roles of the street office (街道党工委/办事处, 000 第十五、十八条)."""

    ADMIN = "admin", _("街道管理员")
    LEADER = "leader", _("街道领导")
    INSPECTOR = "inspector", _("考核检查员")


class ReimbursementSigning(models.TextChoices):
    """004 ⑵ 五人同时签字方予报账: what the five sign, as each street office chooses."""

    PER_LINE = "line", _("每笔报账分别签字")
    STATEMENT = "statement", _("整份收支明细一次签字")
