"""Pluggable SMS backends (``settings.SMS_BACKEND``). A deployment plugs in its government SMS gateway
by naming a class with the same ``send`` method."""

from __future__ import annotations

import logging
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, *, mobile: str, text: str) -> None: ...


class ConsoleSmsBackend:
    """Development: the message goes to the log."""

    def send(self, *, mobile: str, text: str) -> None:
        logger.info("SMS to %s: %s", mobile, text)


class MemorySmsBackend:
    """Tests: messages collect in ``outbox`` (per process)."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, *, mobile: str, text: str) -> None:
        self.outbox.append((mobile, text))


def get_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend
