"""The bench's stand-in for the tenant middleware: the schema is set once before the requests, and
each request only gets the attributes the views read. What remains is the cost of tenancy itself."""

from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse


class FixedTenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.tenant = request.community = connection.tenant  # type: ignore[attr-defined]
        return self.get_response(request)
