"""Refuse input containing NUL characters with a clear 400, before it reaches a view.

PostgreSQL cannot store U+0000 in text, so a NUL in a form field, query string or JSON
body would otherwise fail deep inside a query as a server error."""

from __future__ import annotations

from django.http import HttpResponseBadRequest, JsonResponse

MESSAGE = "The request contains a NUL character (U+0000), which masa cannot store: remove it and try again."


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": [{"loc": ["body"], "msg": MESSAGE}]}, status=400)
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _has_nul(request) -> bool:
    if any("\x00" in k or "\x00" in v for k, vs in request.GET.lists() for v in vs):
        return True
    content_type = request.content_type or ""
    if content_type == "application/json":
        body = request.body
        return b"\x00" in body or b"\\u0000" in body
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return any("\x00" in k or "\x00" in v for k, vs in request.POST.lists() for v in vs)
    return False
