"""综合评价 (000 第十九条): the yearly composite and rank per community, and the street office's weights."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from inspection.rules import EXCELLENCE_VETOES_DEFAULT
from tenants.models import Community, TimeStampedModel


def default_vetoes() -> list[str]:
    return list(EXCELLENCE_VETOES_DEFAULT)


class Evaluation(TimeStampedModel):
    """A community's composite result for a year (weights configurable per street office), its rank,
    and — once the leader approves — published to its own residents (000 第十九条)."""

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("社区")
    )
    period = models.CharField(_("年度"), max_length=10)
    assessment_score = models.DecimalField(_("定期考核(百分制)"), max_digits=5, decimal_places=1, null=True)
    spot_check_score = models.DecimalField(_("暗访(百分制)"), max_digits=5, decimal_places=1, null=True)
    satisfaction_score = models.DecimalField(_("群众满意率"), max_digits=5, decimal_places=2, null=True)
    compliance_score = models.DecimalField(_("按时公开率"), max_digits=5, decimal_places=1, null=True)
    composite = models.DecimalField(_("综合得分"), max_digits=5, decimal_places=1)
    rank = models.PositiveSmallIntegerField(_("排名"))
    approved_by = models.ForeignKey(
        "tenants.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审定人"),
    )
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    vetoes = models.JSONField(
        _("一票否决事项"),
        default=list,
        blank=True,
        help_text=_("当年发生的、街道规定一票否决评先创优的问题:[{kind, label, detail}]"),
    )

    class Meta:
        verbose_name = _("综合评价")
        verbose_name_plural = _("综合评价")
        ordering = ["period", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "period"], name="%(app_label)s_%(class)s_one_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.period} 第{self.rank}名"

    @property
    def vetoed(self) -> bool:
        """评先创优 is vetoed: a listed failure happened in the year (000 第十三、十九条)."""
        return bool(self.vetoes)


class EvaluationWeights(TimeStampedModel):
    """How a street office weighs the four sources in the composite (must add up to 100)."""

    street_office = models.OneToOneField(
        "tenants.StreetOffice", on_delete=models.CASCADE, related_name="+", verbose_name=_("街道")
    )
    assessment = models.PositiveSmallIntegerField(_("定期考核权重"), default=40)
    spot_check = models.PositiveSmallIntegerField(_("暗访权重"), default=20)
    satisfaction = models.PositiveSmallIntegerField(_("群众评议权重"), default=20)
    compliance = models.PositiveSmallIntegerField(_("按时公开权重"), default=20)
    vetoes = models.JSONField(
        _("一票否决事项"),
        default=default_vetoes,
        blank=True,
        help_text=_("当年发生其中任一项的社区不得评先创优(``inspection.vetoes.VETO_KINDS`` 的键)"),
    )

    class Meta:
        verbose_name = _("综合评价权重")
        verbose_name_plural = _("综合评价权重")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    assessment__lte=100, spot_check__lte=100, satisfaction__lte=100, compliance__lte=100
                ),
                name="%(app_label)s_%(class)s_percentages",
            )
        ]

    def __str__(self) -> str:
        parts = (self.assessment, self.spot_check, self.satisfaction, self.compliance)
        return f"{self.street_office_id}: " + "/".join(str(p) for p in parts)
