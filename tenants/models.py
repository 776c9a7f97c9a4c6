"""Public-schema models: street offices, communities (the tenants), their domains, users and roles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants.choices import CommunityRole, ReimbursementSigning, StreetOfficeRole
from tenants.validators import validate_community_code, validate_mainland_mobile


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


# Staff are signed out after this many minutes without a request (tenants.middleware): each street
# office chooses, within these bounds, for its own staff and its communities' staff.
IDLE_MINUTES_DEFAULT = 30
IDLE_MINUTES_MIN = 5
IDLE_MINUTES_MAX = 480  # the whole session's cap, SESSION_COOKIE_AGE, is 8 hours

# 000 第七条(二) 集体审核: how many of a community's supervision group must approve a draft before it
# moves on to the signatures. Each street office may fix the number, within these bounds, for all its
# communities; left unset, a majority of the community's group (disclosure.services.workflow).
REVIEW_APPROVALS_MIN = 1
REVIEW_APPROVALS_MAX = 15


class District(TimeStampedModel):
    """A district (区/县) that street offices belong to: its bodies (区纪委、组织部、民政局…) read all of
    its street offices' figures through the API."""

    name = models.CharField(_("名称"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("区县")
        verbose_name_plural = _("区县")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StreetOffice(TimeStampedModel):
    """A street office (街道办事处) and the communities under it."""

    code = models.SlugField(_("代码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="street_offices",
        verbose_name=_("所属区县"),
    )
    require_two_factor = models.BooleanField(
        _("要求两步验证"),
        default=False,
        help_text=_("开启后，本街道全体工作人员登录时除密码外还要输入手机验证器上的 6 位动态码。"),
    )
    session_idle_minutes = models.PositiveSmallIntegerField(
        _("闲置自动退出(分钟)"),
        default=IDLE_MINUTES_DEFAULT,
        validators=[MinValueValidator(IDLE_MINUTES_MIN), MaxValueValidator(IDLE_MINUTES_MAX)],
        help_text=_("本街道及所属社区的工作人员超过这么多分钟没有操作,自动退出登录。"),
    )
    review_approvals_needed = models.PositiveSmallIntegerField(
        _("审核通过所需同意人数"),
        null=True,
        blank=True,
        validators=[MinValueValidator(REVIEW_APPROVALS_MIN), MaxValueValidator(REVIEW_APPROVALS_MAX)],
        help_text=_(
            "所属社区的公开内容须有这么多名监督小组成员同意才算审核通过;不填则为该社区监督小组成员的过半数。"
        ),
    )
    criticisms_public = models.BooleanField(
        _("通报批评在门户网站公布"),
        default=False,
        help_text=_(
            "通报批评总是发给本街道各社区的工作人员;开启后,同时在各社区门户网站和街道公开网站上公布。"
        ),
    )
    reimbursement_signing = models.CharField(
        _("报账签字方式"),
        max_length=10,
        choices=ReimbursementSigning.choices,
        default=ReimbursementSigning.PER_LINE,
        help_text=_(
            "党支部、居委会、监督小组负责人、包社区街道领导和经办人五人签字:每笔报账分别签,或整份收支明细一次签。"
        ),
    )

    class Meta:
        verbose_name = _("街道办事处")
        verbose_name_plural = _("街道办事处")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(session_idle_minutes__gte=IDLE_MINUTES_MIN)
                & models.Q(session_idle_minutes__lte=IDLE_MINUTES_MAX),
                name="%(app_label)s_%(class)s_idle_minutes_in_bounds",
            ),
            models.CheckConstraint(
                condition=models.Q(review_approvals_needed__isnull=True)
                | (
                    models.Q(review_approvals_needed__gte=REVIEW_APPROVALS_MIN)
                    & models.Q(review_approvals_needed__lte=REVIEW_APPROVALS_MAX)
                ),
                name="%(app_label)s_%(class)s_review_approvals_in_bounds",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def review_quorum_zh(self) -> str:
        """The street office's rule for approving a draft, in a sentence."""
        if self.review_approvals_needed is None:
            return str(_("审核通过须社区监督小组成员过半数同意"))
        return str(_("审核通过须 %(n)d 名社区监督小组成员同意") % {"n": self.review_approvals_needed})


# Domain's base, django-tenants' DomainMixin, is untyped, so django-stubs finds no manager for
# Community.domains.
class Community(TenantMixin, TimeStampedModel):  # type: ignore[django-manager-missing]
    """A community (社区居委会): the tenant. Its code is its schema name and its sub-domain."""

    name = models.CharField(_("社区名称"), max_length=100)
    street_office = models.ForeignKey(
        StreetOffice, on_delete=models.PROTECT, related_name="communities", verbose_name=_("所属街道")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        verbose_name = _("社区")
        verbose_name_plural = _("社区")
        ordering = ["street_office__code", "schema_name"]

    def __str__(self) -> str:
        return self.name

    @property
    def code(self) -> str:
        return self.schema_name

    if TYPE_CHECKING:
        # TenantMixin's own keywords; django-tenants is untyped, so mypy would see only Model's.
        def save(self, *args: Any, verbosity: int = 1, **kwargs: Any) -> None: ...

        def delete(
            self, *args: Any, force_drop: bool = False, **kwargs: Any
        ) -> tuple[int, dict[str, int]]: ...

    def create_schema(
        self, check_if_exists: bool = False, sync_schema: bool = True, verbosity: int = 1
    ) -> bool:
        """Replay the template's dump (tenants/provisioning.py): the cost does not grow with the number
        of communities, unlike django-tenants' clone. Falls back to it when there is no template or
        no pg_dump. Either way the runtime role is granted the new schema's rows (tenants/dbroles.py)."""
        from django.db import connection
        from django_tenants.utils import get_creation_fakes_migrations, schema_exists

        from tenants import dbroles, provisioning

        if check_if_exists and schema_exists(self.schema_name):
            return False
        made = False
        if sync_schema and get_creation_fakes_migrations():
            try:
                provisioning.schema_create_from_template(self.schema_name)
                made = True
            except provisioning.TemplateUnavailable as exc:
                provisioning.logger.warning("fast provisioning unavailable, cloning instead: %s", exc)
        if not made:
            super().create_schema(
                check_if_exists=check_if_exists, sync_schema=sync_schema, verbosity=verbosity
            )
        connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
        # The application's runtime role reads and writes the new schema's rows; it owns none of it.
        dbroles.runtime_grant([self.schema_name])
        return True


Community._meta.get_field("schema_name").validators.append(validate_community_code)
Community._meta.get_field("schema_name").verbose_name = _("社区代码")


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("域名")
        verbose_name_plural = _("域名")


class User(AbstractUser):
    """One account for every kind of staff; residents have none.

    ``username`` is the login name; ``real_name`` is what signatures and boards show.
    """

    real_name = models.CharField(_("姓名"), max_length=50, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True, validators=[validate_mainland_mobile])

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def get_full_name(self) -> str:
        return self.real_name or self.username

    def __str__(self) -> str:
        return self.real_name or self.username


class Membership(TimeStampedModel):
    """A user's role in one community. One person may hold several roles (书记、主任“一肩挑”)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("用户")
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("社区")
    )
    role = models.CharField(_("角色"), max_length=20, choices=CommunityRole.choices)

    class Meta:
        verbose_name = _("社区成员")
        verbose_name_plural = _("社区成员")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community", "role"], name="%(app_label)s_%(class)s_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.community} · {self.get_role_display()}"


class StreetOfficeMembership(TimeStampedModel):
    """A user's role in a street office. A leader may be 包社区领导 for given communities."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="street_office_memberships", verbose_name=_("用户")
    )
    street_office = models.ForeignKey(
        StreetOffice, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("街道")
    )
    role = models.CharField(_("角色"), max_length=20, choices=StreetOfficeRole.choices)
    communities_in_charge = models.ManyToManyField(
        Community, blank=True, related_name="leaders_in_charge", verbose_name=_("包联社区")
    )

    class Meta:
        verbose_name = _("街道人员")
        verbose_name_plural = _("街道人员")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "street_office", "role"], name="%(app_label)s_%(class)s_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.street_office} · {self.get_role_display()}"


class SubmissionToken(models.Model):
    """A form's one-time token (``tenants.idempotency``): the same form sent twice — a double click, a
    request resent by a flaky phone connection — is carried out once. Lives in the public schema, so
    it serves every community and the street office alike."""

    token = models.UUIDField(_("表单令牌"), primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("提交人"))
    result_url = models.CharField(_("结果页面"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("表单提交记录")
        verbose_name_plural = _("表单提交记录")

    def __str__(self) -> str:
        return str(self.token)


class SiteVersion(models.Model):
    """How many times what a community's residents read has changed: a publication, a correction, an
    archive, a renewal, a public answer, the profile or the cadre board edited, a result published.

    The residents' pages are cached under this version (``disclosure.portal.caching``), so a change is
    seen by the next request without deleting anything. Bumped in the transaction of the change
    (``tenants.services.site_version_bump``): a rollback takes the bump with it, and a page is never
    served from before a change that committed."""

    community = models.OneToOneField(
        Community, on_delete=models.CASCADE, primary_key=True, verbose_name=_("社区"), related_name="+"
    )
    version = models.PositiveBigIntegerField(_("版本"), default=0)
    changed_at = models.DateTimeField(_("最后变化时间"))

    class Meta:
        verbose_name = _("居民页面版本")
        verbose_name_plural = _("居民页面版本")

    def __str__(self) -> str:
        return f"{self.community_id} · {self.version}"


class AuditRow(models.Model):
    """One state change of a record: who, when, before → after, why. The shape of every audit trail
    (the street office's ``AuditEntry`` here, a community's ``disclosure.models.AuditRecord``); each
    table is append-only in the database (``tenants.dbguards``). The row names its object by type and
    key, so a trail needs no foreign key into the apps that write it. A person with a trail is
    deactivated, never deleted: the guard would refuse the ``SET NULL``."""

    object_type = models.CharField(_("对象类型"), max_length=40)
    object_id = models.PositiveBigIntegerField(_("对象 ID"))
    actor = models.ForeignKey(
        "tenants.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=50, blank=True)
    from_state = models.CharField(_("原状态"), max_length=20, blank=True)
    to_state = models.CharField(_("新状态"), max_length=20)
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        abstract = True
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id} {self.from_state}→{self.to_state}"


class AuditEntry(AuditRow):
    """The street-office layer's trail (public schema): assessments, spot checks, surveys, orders,
    evaluations, complaints to the street office. Written by ``tenants.audit.audit_record`` in the
    change's own transaction."""

    class Meta(AuditRow.Meta):
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_entry_object_idx")]
