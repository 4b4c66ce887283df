"""Helpers shared by the views: the site's partnership, its spec, markdown rendering."""

from __future__ import annotations

import os
from functools import lru_cache


def partnership_code() -> str:
    from masa.web.store import stored_partnerships

    code = os.environ.get("MASA_PARTNERSHIP")
    if code:
        return code
    stored = stored_partnerships()
    return stored[0] if stored else ""


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
    headings kept below the page's section headings (h3)."""
    from masa.report.markdown import to_html

    return to_html(text or "", heading_floor=4)
