"""One error format for the whole API: RFC 9457 problem details, in Chinese.

``{"type", "title", "status", "detail", "errors": {field: [messages]}}`` served as
``application/problem+json``. ``type`` is ``about:blank`` (the status says what kind of problem it is),
so ``title`` is the status phrase, localised as RFC 9457 allows.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from tenants.errors import Conflict, DomainError, InvalidInput, NotAllowed

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "请求有误",
    401: "需要身份认证",
    403: "无权访问",
    404: "未找到",
    405: "不支持该请求方法",
    406: "无法提供所要求的格式",
    409: "与当前状态冲突",
    415: "不支持的内容类型",
    429: "请求过于频繁",
    500: "服务器内部错误",
}

DOMAIN_STATUS: dict[type[DomainError], int] = {
    InvalidInput: status.HTTP_400_BAD_REQUEST,
    NotAllowed: status.HTTP_403_FORBIDDEN,
    Conflict: status.HTTP_409_CONFLICT,
}


def _messages(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [m for item in value.values() for m in _messages(item)]
    if isinstance(value, list):
        return [m for item in value for m in _messages(item)]
    return [str(value)]


def _field_errors(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(field): _messages(value) for field, value in detail.items()}
    return {api_settings.NON_FIELD_ERRORS_KEY: _messages(detail)}


def problem_response(
    *,
    status_code: int,
    detail: str,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    title = TITLES.get(status_code) or HTTPStatus(status_code).phrase
    body = {
        "type": "about:blank",
        "title": title,
        "status": status_code,
        "detail": detail,
        "errors": errors or {},
    }
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER. Unknown exceptions return None: DRF re-raises them, Django logs a 500."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    headers: dict[str, str] = {}
    if isinstance(exc, DomainError):
        status_code = next(
            (code for kind, code in DOMAIN_STATUS.items() if isinstance(exc, kind)),
            status.HTTP_400_BAD_REQUEST,
        )
        response = problem_response(status_code=status_code, detail=exc.message)
    elif isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        detail = "请求参数有误:" + ";".join(m for messages in errors.values() for m in messages)
        response = problem_response(status_code=exc.status_code, detail=detail, errors=errors)
    elif isinstance(exc, exceptions.APIException):
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
        detail = " ".join(_messages(exc.detail))
        response = problem_response(status_code=exc.status_code, detail=detail, headers=headers or None)
    else:
        return None
    set_rollback()
    return response
