"""Pluggable SMS backends (``settings.SMS_BACKEND``). A deployment plugs in its government SMS gateway
by naming a class with the same ``send`` method.

A message has its full ``text`` (what the console and a free-text gateway send) and, for providers
that send only approved templates (阿里云短信 and the other mainland providers), a ``template`` name and
its ``params``; ``SMS_TEMPLATES`` maps each template name to the provider's template code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from tenants.residents import mask_mobile

logger = logging.getLogger(__name__)


class SmsFailed(Exception):
    """The provider could not be reached or refused the message (the caller records it and retries)."""


class SmsBackend(Protocol):
    def send(
        self, *, mobile: str, text: str, template: str = "", params: dict[str, str] | None = None
    ) -> None: ...


class ConsoleSmsBackend:
    """Development: the message goes to the log (the number masked: logs are read by many)."""

    def send(
        self, *, mobile: str, text: str, template: str = "", params: dict[str, str] | None = None
    ) -> None:
        logger.info("SMS to %s: %s", mask_mobile(mobile) or mobile, text)


class MemorySmsBackend:
    """Tests: messages collect in ``outbox`` (per process)."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(
        self, *, mobile: str, text: str, template: str = "", params: dict[str, str] | None = None
    ) -> None:
        self.outbox.append((mobile, text))


# --- 阿里云短信服务 SendSms ------------------------------------------------------------------------
# The published RPC API (API version 2017-05-25, https://help.aliyun.com/zh/sms/developer-reference/
# api-dysmsapi-2017-05-25-sendsms) signed by the published RPC signature algorithm, version 1.0
# (https://help.aliyun.com/zh/sdk/product-overview/rpc-mechanism): the parameters sorted by name, each
# name and value percent-encoded per RFC 3986, joined into the canonical query; the string to sign is
# ``METHOD&%2F&`` + the encoded canonical query; the signature is Base64(HMAC-SHA1(secret + "&", it)).
# Hand-signed rather than through the vendor SDK: the SDK's packages pull in a dozen of their own
# runtime packages for one signed request.


def aliyun_quote(value: str) -> str:
    """Percent-encoding as the signature algorithm defines it: RFC 3986 unreserved characters kept."""
    return urllib.parse.quote(value, safe="-_.~")


def aliyun_signature(params: dict[str, str], *, secret: str, method: str = "POST") -> str:
    canonical = "&".join(f"{aliyun_quote(k)}={aliyun_quote(params[k])}" for k in sorted(params))
    to_sign = f"{method}&{aliyun_quote('/')}&{aliyun_quote(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsBackend:
    """阿里云短信 ``SendSms``: ``SMS_ALIYUN_ENDPOINT`` (https://dysmsapi.aliyuncs.com/ by default),
    ``SMS_ALIYUN_ACCESS_KEY_ID`` and ``_SECRET``, ``SMS_ALIYUN_SIGN_NAME`` (the approved 签名) and
    ``SMS_TEMPLATES`` (template name → approved template code). A message without a template of its
    own goes out through the ``text`` template with ``{"content": text}``."""

    def request_params(
        self, *, mobile: str, text: str, template: str = "", params: dict[str, str] | None = None
    ) -> dict[str, str]:
        templates: dict[str, str] = settings.SMS_TEMPLATES
        name = template if template in templates else "text"
        if name not in templates:
            raise SmsFailed(f"没有配置短信模板“{template or 'text'}”的模板编号(SMS_TEMPLATES)。")
        values = params if name == template and params is not None else {"content": text}
        request = {
            "AccessKeyId": settings.SMS_ALIYUN_ACCESS_KEY_ID,
            "Action": "SendSms",
            "Format": "JSON",
            "RegionId": settings.SMS_ALIYUN_REGION,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
            "PhoneNumbers": mobile,
            "SignName": settings.SMS_ALIYUN_SIGN_NAME,
            "TemplateCode": templates[name],
            "TemplateParam": json.dumps(values, ensure_ascii=False, separators=(",", ":")),
        }
        request["Signature"] = aliyun_signature(request, secret=settings.SMS_ALIYUN_ACCESS_KEY_SECRET)
        return request

    def send(
        self, *, mobile: str, text: str, template: str = "", params: dict[str, str] | None = None
    ) -> None:
        body = urllib.parse.urlencode(
            self.request_params(mobile=mobile, text=text, template=template, params=params),
            quote_via=urllib.parse.quote,
        ).encode()
        request = urllib.request.Request(
            settings.SMS_ALIYUN_ENDPOINT,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_TIMEOUT_SECONDS) as response:
                answer = json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as exc:
            try:
                answer = json.loads(exc.read().decode() or "{}")
            except ValueError:
                raise SmsFailed(f"短信平台答复 HTTP {exc.code}"[:200]) from exc
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise SmsFailed(f"连接短信平台失败:{exc}"[:200]) from exc
        if answer.get("Code") != "OK":
            raise SmsFailed(f"短信平台拒绝:{answer.get('Code')} {answer.get('Message', '')}"[:200])


def get_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend
