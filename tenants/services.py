"""Every write to street offices, communities and roles. One transaction each."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import get_public_schema_name, schema_exists

from tenants import permissions, selectors
from tenants.choices import CommunityRole, StreetOfficeRole
from tenants.errors import Conflict, InvalidInput, NotAllowed
from tenants.models import (
    IDLE_MINUTES_MAX,
    IDLE_MINUTES_MIN,
    REVIEW_APPROVALS_MAX,
    REVIEW_APPROVALS_MIN,
    Community,
    District,
    Domain,
    Membership,
    SiteVersion,
    StreetOffice,
    StreetOfficeMembership,
    User,
)
from tenants.signals import community_created
from tenants.sites import community_domain
from tenants.validators import validate_community_code

logger = logging.getLogger(__name__)


def district_ensure(*, name: str) -> District | None:
    """The district of that name, made on first use; none for a blank name."""
    name = name.strip()
    return District.objects.get_or_create(name=name)[0] if name else None


def street_office_create(*, code: str, name: str, district: str = "") -> StreetOffice:
    if StreetOffice.objects.filter(code=code).exists():
        raise Conflict(gettext("街道代码“%(code)s”已存在。") % {"code": code}, code="duplicate_code")
    if not name.strip():
        raise InvalidInput(gettext("请填写街道名称。"))
    return StreetOffice.objects.create(code=code, name=name.strip(), district=district_ensure(name=district))


def template_schema_ensure() -> None:
    """Create the template schema that new communities are cloned from, and bring it up to date.

    ``migrate_all`` calls this after migrating; cloning needs it to exist with every migration applied.
    """
    from django.core.management import call_command

    name = settings.TENANT_BASE_SCHEMA
    if not schema_exists(name):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{name}"')
    call_command("migrate_schemas", schema_name=name, tenant=True, interactive=False, verbosity=0)


def community_code_available(code: str) -> str:
    """A new community's code, checked: well-formed, and no community, schema or domain has it yet."""
    code = (code or "").strip()
    try:
        validate_community_code(code)
    except ValidationError as exc:
        raise InvalidInput(" ".join(str(m) for m in exc.messages), code="invalid_code") from exc
    if Community.objects.filter(schema_name=code).exists() or schema_exists(code):
        raise Conflict(gettext("社区代码“%(code)s”已被使用。") % {"code": code}, code="duplicate_code")
    domain_name = community_domain(code)
    if Domain.objects.filter(domain=domain_name).exists():
        raise Conflict(
            gettext("域名“%(domain_name)s”已被使用。") % {"domain_name": domain_name}, code="duplicate_domain"
        )
    return code


def community_create(*, code: str, name: str, street_office: StreetOffice, address: str = "") -> Community:
    """Create a community: its row, its schema (cloned from the template), its domain, and what the apps
    above put in the new schema (``community_created``: the profile and its bodies).

    All of it happens in one transaction (PostgreSQL DDL is transactional), so a failure at any
    step leaves no row, no schema and no domain behind.
    """
    code = community_code_available(code)
    if not (name or "").strip():
        raise InvalidInput(gettext("请填写社区名称。"), code="missing_name")
    domain_name = community_domain(code)
    if not schema_exists(settings.TENANT_BASE_SCHEMA):
        template_schema_ensure()

    with transaction.atomic():
        community = Community(
            schema_name=code, name=name.strip(), street_office=street_office, address=address.strip()
        )
        community.save(verbosity=0)
        Domain.objects.create(domain=domain_name, tenant=community, is_primary=True)
        community_created.send(sender=Community, community=community)
    connection.set_schema_to_public()  # type: ignore[attr-defined]  # django-tenants' connection
    logger.info("community created: %s (%s)", community.name, code)
    return community


def community_set_active(*, community: Community, active: bool) -> Community:
    """Deactivating keeps every row and file; the site answers with a closed page until reactivated."""
    community.is_active = active
    community.save(update_fields=["is_active", "updated_at"])
    return community


def membership_grant(*, user: User, community: Community, role: CommunityRole | str) -> Membership:
    if role not in CommunityRole.values:
        raise InvalidInput(gettext("未知的社区角色:%(role)s") % {"role": role})
    membership, _ = Membership.objects.get_or_create(user=user, community=community, role=role)
    return membership


def street_office_membership_grant(
    *,
    user: User,
    street_office: StreetOffice,
    role: StreetOfficeRole | str,
    communities_in_charge: list[Community] | None = None,
) -> StreetOfficeMembership:
    """Grant a street-office role. Admins get the Django admin (is_staff); leaders may be 包社区领导."""
    if role not in StreetOfficeRole.values:
        raise InvalidInput(gettext("未知的街道角色:%(role)s") % {"role": role})
    with transaction.atomic():
        membership, _ = StreetOfficeMembership.objects.get_or_create(
            user=user, street_office=street_office, role=role
        )
        if communities_in_charge:
            foreign = [c for c in communities_in_charge if c.street_office_id != street_office.pk]
            if foreign:
                raise InvalidInput(gettext("包联社区必须属于本街道。"))
            membership.communities_in_charge.add(*communities_in_charge)
        if role == StreetOfficeRole.ADMIN and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    return membership


# --- two-factor login (TOTP, django-otp) ------------------------------------------------------------------


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The authenticator a street-office user is enrolling: one unconfirmed device with a fresh secret,
    kept across page loads until it is confirmed with a code."""
    if not selectors.is_street_office_staff(user):
        raise NotAllowed(gettext("两步验证目前只供街道工作人员使用。"))
    if selectors.totp_device_of(user=user) is not None:
        raise Conflict(gettext("您已经启用了两步验证。"))
    device = selectors.totp_device_of(user=user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="手机验证器", confirmed=False)
    return device


def _totp_check(device: TOTPDevice, token: str) -> None:
    token = "".join((token or "").split())
    allowed, info = device.verify_is_allowed()
    if not allowed:
        locked_until = (info or {}).get("locked_until")
        wait = max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 1
        raise NotAllowed(gettext("动态码输错次数太多,请 %(wait)s 秒后再试。") % {"wait": wait})
    if not (token.isdigit() and len(token) == device.digits) or not device.verify_token(token):
        raise InvalidInput(gettext("动态码不正确或已过期:请输入验证器上当前显示的 6 位数字。"))


def totp_device_confirm(*, user: User, token: str) -> TOTPDevice:
    """Enrolment ends when the user types a code the new authenticator shows: then it counts."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-id").first()
        )
        if device is None:
            raise Conflict(gettext("没有正在启用的验证器,请重新打开两步验证页面。"))
        _totp_check(device, token)
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    logger.info("two-factor enrolled: %s", user.username)
    return device


def totp_verify(*, user: User, token: str) -> TOTPDevice:
    """The step after the password. django-otp throttles failures (the wait doubles after each one) and
    refuses a code already used."""
    device = selectors.totp_device_of(user=user)
    if device is None:
        raise Conflict(gettext("您还没有启用两步验证。"))
    _totp_check(device, token)
    return device


def totp_device_remove(*, user: User) -> None:
    """Turning two-factor login off is refused while the user's street office requires it."""
    if selectors.two_factor_required_for(user):
        raise NotAllowed(gettext("您所在的街道要求两步验证,不能关闭。如更换手机,请联系街道管理员重置。"))
    TOTPDevice.objects.filter(user=user).delete()
    logger.info("two-factor removed: %s", user.username)


def street_office_two_factor_require(
    *, street_office: StreetOffice, required: bool, actor: User
) -> StreetOffice:
    """Only an admin of this street office (or a superuser) decides whether its staff must use two-factor
    login. Sessions already open keep going; the requirement applies from each person's next login."""
    if not permissions.may_decide_two_factor(user=actor, street_office_id=street_office.pk):
        raise NotAllowed(gettext("只有本街道的管理员可以设置两步验证要求。"))
    street_office.require_two_factor = required
    street_office.save(update_fields=["require_two_factor", "updated_at"])
    logger.info(
        "two-factor %s for %s by %s", "required" if required else "optional", street_office.code, actor
    )
    return street_office


def street_office_idle_timeout_set(*, street_office: StreetOffice, minutes: int, actor: User) -> StreetOffice:
    """Only an admin of this street office (or a superuser) sets how many minutes its staff and its
    communities' staff may stay idle; open sessions follow it from their next request."""
    if not permissions.may_set_idle_timeout(user=actor, street_office_id=street_office.pk):
        raise NotAllowed(permissions.IDLE_TIMEOUT_REFUSED)
    if not IDLE_MINUTES_MIN <= minutes <= IDLE_MINUTES_MAX:
        raise InvalidInput(
            gettext("闲置自动退出的时间须在 %(IDLE_MINUTES_MIN)s 到 %(IDLE_MINUTES_MAX)s 分钟之间。")
            % {"IDLE_MINUTES_MIN": IDLE_MINUTES_MIN, "IDLE_MINUTES_MAX": IDLE_MINUTES_MAX}
        )
    street_office.session_idle_minutes = minutes
    street_office.save(update_fields=["session_idle_minutes", "updated_at"])
    logger.info("idle timeout of %s set to %d minutes by %s", street_office.code, minutes, actor)
    return street_office


def street_office_review_quorum_set(
    *, street_office: StreetOffice, approvals: int | None, actor: User
) -> StreetOffice:
    """Only an admin of this street office (or a superuser) sets how many supervision group members of
    each of its communities must approve a draft (000 第七条(二) 集体审核); ``None`` is the default, a
    majority of the community's group. A draft already sent for review keeps the number it was sent
    with."""
    if not permissions.may_set_review_quorum(user=actor, street_office_id=street_office.pk):
        raise NotAllowed(permissions.REVIEW_QUORUM_REFUSED)
    if approvals is not None and not REVIEW_APPROVALS_MIN <= approvals <= REVIEW_APPROVALS_MAX:
        raise InvalidInput(
            gettext("同意人数须在 %(REVIEW_APPROVALS_MIN)s 到 %(REVIEW_APPROVALS_MAX)s 之间;不填则为过半数。")
            % {"REVIEW_APPROVALS_MIN": REVIEW_APPROVALS_MIN, "REVIEW_APPROVALS_MAX": REVIEW_APPROVALS_MAX}
        )
    street_office.review_approvals_needed = approvals
    street_office.save(update_fields=["review_approvals_needed", "updated_at"])
    logger.info("review quorum of %s set to %s by %s", street_office.code, approvals or "majority", actor)
    return street_office


def site_version_bump(*, community: Community) -> None:
    """What ``community``'s residents read has changed: its cached pages are out of date from the
    moment this transaction commits. Call it inside the transaction that makes the change, so that a
    rollback takes the bump with it; one upsert, whatever schema the connection points at."""
    table = f'"{get_public_schema_name()}"."{SiteVersion._meta.db_table}"'
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (community_id, version, changed_at) VALUES (%s, 1, clock_timestamp()) "
            f"ON CONFLICT (community_id) DO UPDATE SET version = {table}.version + 1, "
            "changed_at = clock_timestamp()",
            [community.pk],
        )
