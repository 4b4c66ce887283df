"""Partnership codes the web cannot use: each partnership's pages live under ``/<code>/``,
so a code equal to one of the web's own top-level paths would hide them (or be hidden).

Shared by everything that creates a partnership (``masa init``, the web's first run, loading
a folder); the web's tests check this list against its URL map."""

from __future__ import annotations

RESERVED_CODES = frozenset({
    "api", "static", "login", "logout", "bu", "returns", "imports", "published", "media", "admin",
    "account", "accounts", "setup", "partnerships", "switch", "health", "welcome", "favicon.ico", "robots.txt",
    "assurance",
    "section11",
})


def reserved_code_problem(code: str) -> str:
    """Why ``code`` cannot be a partnership's code, or "" when it can."""
    if code.lower() in RESERVED_CODES:
        return (f"the partnership code {code!r} is one of the web's own paths "
                f"({', '.join(sorted(RESERVED_CODES))}); choose another name or code")
    return ""
