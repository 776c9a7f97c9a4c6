"""Writes for API clients: keys are made here, shown once, and only their hash is kept."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiClient
from tenants.errors import InvalidInput
from tenants.models import District, StreetOffice

KEY_PREFIX = "gk_"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _new_key() -> tuple[str, str]:
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    return key, key[len(KEY_PREFIX) : len(KEY_PREFIX) + 8]


@transaction.atomic
def apiclient_create(
    *, name: str, street_offices: list[StreetOffice] | None = None, district: District | None = None
) -> tuple[ApiClient, str]:
    """Returns the client and its key; the key is not stored and cannot be shown again. A client scoped
    to a district reads all its street offices; else it names the street offices it reads."""
    street_offices = street_offices or []
    if not name.strip():
        raise InvalidInput(_("请填写客户端名称。"))
    if not street_offices and district is None:
        raise InvalidInput(_("请指定一个区县,或至少指定一个街道。"))
    key, prefix = _new_key()
    client = ApiClient.objects.create(
        name=name.strip(), key_prefix=prefix, key_hash=key_hash(key), district=district
    )
    client.street_offices.set(street_offices)
    return client, key


@transaction.atomic
def apiclient_rotate(*, client: ApiClient) -> str:
    """A new key replaces the old one at once."""
    key, prefix = _new_key()
    client.key_prefix, client.key_hash = prefix, key_hash(key)
    client.is_active, client.revoked_at = True, None
    client.save(update_fields=["key_prefix", "key_hash", "is_active", "revoked_at", "updated_at"])
    return key


def apiclient_revoke(*, client: ApiClient) -> ApiClient:
    client.is_active = False
    client.revoked_at = timezone.now()
    client.save(update_fields=["is_active", "revoked_at", "updated_at"])
    return client
