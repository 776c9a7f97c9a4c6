"""Public schema: the district bodies that pull reports, their keys, and what they pulled."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenants.models import District, StreetOffice, TimeStampedModel


class ApiClient(TimeStampedModel):
    """A district body's system. Only a SHA-256 of its key is stored; the key is shown once. It reads
    the street offices named here and, scoped to a district, every street office of that district."""

    name = models.CharField(_("名称"), max_length=100)
    street_offices = models.ManyToManyField(
        StreetOffice, related_name="api_clients", blank=True, verbose_name=_("可查询的街道")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_clients",
        verbose_name=_("可查询的区县"),
        help_text=_("指定后可查询该区县所有街道(包括以后加入的街道)"),
    )
    key_prefix = models.CharField(_("密钥前缀"), max_length=12, unique=True)
    key_hash = models.CharField(_("密钥哈希"), max_length=64)
    is_active = models.BooleanField(_("启用"), default=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    rate_per_minute = models.PositiveIntegerField(_("每分钟请求上限"), default=120)

    class Meta:
        verbose_name = _("接口客户端")
        verbose_name_plural = _("接口客户端")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def street_office_ids(self) -> list[int]:
        """Its scope: the street offices named, and every street office of its district."""
        scope = Q(api_clients=self)
        if self.district_id is not None:
            scope |= Q(district_id=self.district_id)
        return list(StreetOffice.objects.filter(scope).distinct().values_list("pk", flat=True))

    @property
    def is_authenticated(self) -> bool:
        """DRF treats the authenticated principal as a user; a client is one."""
        return True


class ApiRequestLog(models.Model):
    client = models.ForeignKey(
        ApiClient, on_delete=models.CASCADE, related_name="requests", verbose_name=_("客户端")
    )
    method = models.CharField(_("方法"), max_length=8)
    endpoint = models.CharField(_("接口"), max_length=300)
    status = models.PositiveSmallIntegerField(_("状态码"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("接口调用记录")
        verbose_name_plural = _("接口调用记录")
        ordering = ["-at"]
        indexes = [models.Index(fields=["client", "at"], name="apilog_client_at_idx")]

    def __str__(self) -> str:
        return f"{self.client_id} {self.method} {self.endpoint} {self.status}"
