"""A client for the district API."""

from __future__ import annotations

from typing import Any

from django.test import Client


def api(key: str | None, **headers: str) -> Client:
    extra: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    extra.update(headers)
    return Client(HTTP_HOST="localhost", **extra)
