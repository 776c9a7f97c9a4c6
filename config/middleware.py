"""Cross-cutting request guards that belong to no single app."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse

NUL = "\x00"


class RefuseNulMiddleware:
    """PostgreSQL text cannot hold a NUL character, so a path or query parameter carrying one
    (``%00``) would reach a query and fail as a server error. Refuse it first, with 400: a problem
    document on the API, a short Chinese page elsewhere. Forms already refuse NUL in what they post."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.GET.lists()
        if NUL in request.path or any(NUL in key or any(NUL in v for v in values) for key, values in query):
            detail = "请求里有无法处理的空字符(%00),请检查链接或参数。"
            if request.path.startswith("/api/"):
                problem = {"type": "about:blank", "title": "请求有误", "status": 400, "detail": detail}
                return JsonResponse(
                    {**problem, "errors": {}},
                    status=400,
                    content_type="application/problem+json",
                    json_dumps_params={"ensure_ascii": False},
                )
            return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
