"""Every write to street offices, communities and roles. One transaction each."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django_tenants.utils import schema_context, schema_exists

from tenants.choices import CommunityRole, StreetOfficeRole
from tenants.errors import Conflict, InvalidInput
from tenants.models import Community, Domain, Membership, StreetOffice, StreetOfficeMembership, User
from tenants.validators import validate_community_code

logger = logging.getLogger(__name__)


def community_domain(code: str) -> str:
    return f"{code}.{settings.BASE_DOMAIN}"


def street_office_create(*, code: str, name: str, district: str = "") -> StreetOffice:
    if StreetOffice.objects.filter(code=code).exists():
        raise Conflict(f"街道代码“{code}”已存在。", code="duplicate_code")
    if not name.strip():
        raise InvalidInput("请填写街道名称。")
    return StreetOffice.objects.create(code=code, name=name.strip(), district=district.strip())


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
        raise Conflict(f"社区代码“{code}”已被使用。", code="duplicate_code")
    domain_name = community_domain(code)
    if Domain.objects.filter(domain=domain_name).exists():
        raise Conflict(f"域名“{domain_name}”已被使用。", code="duplicate_domain")
    return code


def community_create(*, code: str, name: str, street_office: StreetOffice, address: str = "") -> Community:
    """Create a community: its row, its schema (cloned from the template), its domain and profile.

    All of it happens in one transaction (PostgreSQL DDL is transactional), so a failure at any
    step leaves no row, no schema and no domain behind.
    """
    code = community_code_available(code)
    if not (name or "").strip():
        raise InvalidInput("请填写社区名称。", code="missing_name")
    domain_name = community_domain(code)
    if not schema_exists(settings.TENANT_BASE_SCHEMA):
        template_schema_ensure()

    from communities.services import profile_initialise

    with transaction.atomic():
        community = Community(
            schema_name=code, name=name.strip(), street_office=street_office, address=address.strip()
        )
        community.save(verbosity=0)
        Domain.objects.create(domain=domain_name, tenant=community, is_primary=True)
        with schema_context(code):
            profile_initialise(community_name=community.name, address=community.address)
    connection.set_schema_to_public()
    logger.info("community created: %s (%s)", community.name, code)
    return community


def community_set_active(*, community: Community, active: bool) -> Community:
    """Deactivating keeps every row and file; the site answers with a closed page until reactivated."""
    community.is_active = active
    community.save(update_fields=["is_active", "updated_at"])
    return community


def membership_grant(*, user: User, community: Community, role: CommunityRole | str) -> Membership:
    if role not in CommunityRole.values:
        raise InvalidInput(f"未知的社区角色:{role}")
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
        raise InvalidInput(f"未知的街道角色:{role}")
    with transaction.atomic():
        membership, _ = StreetOfficeMembership.objects.get_or_create(
            user=user, street_office=street_office, role=role
        )
        if communities_in_charge:
            foreign = [c for c in communities_in_charge if c.street_office_id != street_office.pk]
            if foreign:
                raise InvalidInput("包联社区必须属于本街道。")
            membership.communities_in_charge.add(*communities_in_charge)
        if role == StreetOfficeRole.ADMIN and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    return membership
