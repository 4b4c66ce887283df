"""Several partnerships in one instance: which one a request is about.

A leading ``/<code>/`` in the path names the partnership: the middleware removes it before
the URL is resolved, makes it the request's partnership (``request.partnership``,
``common.partnership_code()``) and the script prefix, so ``reverse()`` and ``{% url %}``
give links that keep naming it. A path without a code is about the person's current
partnership (the last one they visited or switched to), or the installation's default
one; when the installation holds several, its links are prefixed with that code too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, set_script_prefix

from masa.web import memo
from masa.web.memo import per_request

SESSION_KEY = "masa_partnership"


@dataclass(frozen=True)
class Current:
    code: str
    name: str
    prefixed: bool  # the URL named it


@per_request
def stored() -> dict[str, str]:
    """code -> name of every partnership with a stored spec."""
    from masa.web.core.models import Partnership
    from masa.web.store import stored_partnerships

    codes = stored_partnerships()
    names = dict(Partnership.objects.filter(code__in=codes).values_list("code", "name"))
    return {c: names.get(c, c) for c in codes}


def _works_in(user, code: str) -> bool:
    """A signed-in person with a role there; anyone for the public pages."""
    from masa.web.accounts.access import role_in

    return role_in(user, code) != "none"


def _home(user) -> str:
    """A signed-in person's first partnership, so a user of Bedford Borough only does not land
    on the installation's first partnership, where every page would answer 404."""
    from masa.web.accounts.access import partnerships_of

    if not getattr(user, "is_authenticated", False):
        return ""
    mine = partnerships_of(user)
    return mine[0] if mine else ""


class PartnershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(settings.STATIC_URL):
            return self.get_response(request)  # a static file is no partnership's: no query for it
        held = memo.begin()
        try:
            return self._call(request)
        finally:
            memo.end(held)

    def _call(self, request):
        from masa.web.site import common

        known = stored()
        head, _, rest = request.path_info.lstrip("/").partition("/")
        prefixed = head in known and bool(head)
        session = getattr(request, "session", None)
        if prefixed:
            code = head
            request.path_info = "/" + rest
            if session is not None and session.get(SESSION_KEY) != code and _works_in(request.user, code):
                session[SESSION_KEY] = code  # an address one may not open does not become one's partnership
        else:
            wanted = session.get(SESSION_KEY, "") if session is not None else ""
            code = wanted if wanted in known else _home(request.user) or common.default_partnership_code()
        request.partnership = Current(code, known.get(code, code), prefixed) if code else None
        token = common.use_partnership(code)
        before = get_script_prefix()
        if code and (prefixed or len(known) > 1):
            set_script_prefix(before.rstrip("/") + "/" + code + "/")
        try:
            return self.get_response(request)
        finally:
            set_script_prefix(before)
            common.reset_partnership(token)
