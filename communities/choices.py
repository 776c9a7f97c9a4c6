from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitteeKind(models.TextChoices):
    """The bodies of a community (000 第一篇 五、六; 004 (一))."""

    PARTY = "party", _("社区党组织")
    RESIDENTS = "residents", _("社区居民委员会")
    SUPERVISION = "supervision", _("民主监督小组")
    FINANCE = "finance", _("民主理财小组")


class Channel(models.TextChoices):
    """How a notification reaches a person."""

    APP = "app", _("站内消息")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
