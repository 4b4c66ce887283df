"""Helpers shared by the views: the request's partnership, its spec, markdown rendering.

Which partnership a request is about comes from its URL (``/<code>/...``, set by
``masa.web.partnerships.PartnershipMiddleware`` for the request's duration), else the
person's current one, else ``MASA_PARTNERSHIP``, else the only (first) stored one. Code
outside a request (the command line, background builds) gets the last two."""

from __future__ import annotations

import os
from contextvars import ContextVar
from functools import lru_cache

from masa.web.memo import per_request

_current: ContextVar[str] = ContextVar("masa_partnership", default="")


@per_request
def default_partnership_code() -> str:
    """The partnership of an installation when nothing else says: the environment, or the
    first one stored (the installation's own, before any other joined it)."""
    from masa.web.core.models import SpecVersion

    code = os.environ.get("MASA_PARTNERSHIP")
    if code:
        return code
    return SpecVersion.objects.order_by("id").values_list("partnership", flat=True).first() or ""


def partnership_code() -> str:
    """The partnership this request (or command) is about."""
    return _current.get() or default_partnership_code()


def use_partnership(code: str):
    """Make ``code`` the current partnership until the returned token is reset."""
    return _current.set(code)


def reset_partnership(token) -> None:
    _current.reset(token)


def spec():
    from masa.web.core.models import SpecVersion

    code = partnership_code()
    version = SpecVersion.objects.filter(partnership=code).only("id", "sha256").first()
    if version is None:
        from masa.web.store import UnknownChoice

        raise UnknownChoice("partnership", code, [])
    return _spec(version.sha256)


@lru_cache(maxsize=8)
def _spec(sha: str):
    from masa.spec import Spec
    from masa.web.core.models import SpecVersion

    return Spec.model_validate(SpecVersion.objects.filter(sha256=sha).first().document)


def markdown(text: str) -> str:
    """Partner narrative as the report renders it (no images, no external loads), with
    headings kept below the page's section headings (h3). Rendered once per text: the HTML
    is a pure function of it, so a page viewed again reuses it (a changed text is a new key)."""
    return _markdown(text or "")


@lru_cache(maxsize=2048)
def _markdown(text: str) -> str:
    from masa.report.markdown import to_html

    return to_html(text, heading_floor=4)
