"""``Authorization: Bearer <key>`` for district clients; a throttle per client; every pull logged."""

from __future__ import annotations

import hmac

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiClient
from api.services import KEY_PREFIX, key_hash


class BearerKeyAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[ApiClient, ApiClient] | None:
        parts = get_authorization_header(request).split()
        if not parts:
            return None
        if parts[0].lower() != self.keyword or len(parts) != 2:
            raise exceptions.AuthenticationFailed("认证头格式应为 Authorization: Bearer <密钥>。")
        key = parts[1].decode(errors="replace")
        prefix = key[len(KEY_PREFIX) : len(KEY_PREFIX) + 8] if key.startswith(KEY_PREFIX) else ""
        client = ApiClient.objects.filter(key_prefix=prefix).first() if prefix else None
        if client is None or not hmac.compare_digest(client.key_hash, key_hash(key)):
            raise exceptions.AuthenticationFailed("密钥无效。")
        if not client.is_active:
            raise exceptions.AuthenticationFailed("密钥已被吊销。")
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
        return client, client

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="gongkai"'


class ClientRateThrottle(SimpleRateThrottle):
    """Each client's own per-minute limit; the answer is 429 with Retry-After."""

    scope = "client"

    def get_rate(self) -> str | None:
        return "120/min"

    def allow_request(self, request, view):  # type: ignore[no-untyped-def]
        client = request.auth
        if isinstance(client, ApiClient):
            self.num_requests, self.duration = client.rate_per_minute, 60
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):  # type: ignore[no-untyped-def]
        client = request.auth
        if not isinstance(client, ApiClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": client.pk}
