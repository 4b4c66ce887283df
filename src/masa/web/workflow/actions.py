"""Who may take which workflow action on a return, and taking it: the one entry point the
return page's buttons use. The transition rules themselves (allowed states, required
sections, blocking findings) live in ``transitions``; raising a query goes through
``queries`` so a notification of it has one place to hook."""

from __future__ import annotations

from masa.web.accounts import access

from . import queries
from .transitions import TransitionError, move


def permitted(user, row) -> set[str]:
    """The actions ``user`` may ask for on ``row`` (the service may still refuse one)."""
    out = set()
    if access.can_submit(user, row):
        out.add("submit" if row.status == "draft" else "resubmit" if row.status == "queried" else "")
    if access.can_review(user):
        out |= {"query", "approve", "publish"}
    return out - {""}


def perform(row, action: str, user, reason: str = "", section: str = "") -> None:
    """Take ``action`` on ``row`` or raise TransitionError saying why not."""
    if action not in permitted(user, row):
        raise TransitionError(f"You cannot {action} this return")
    if action == "query":
        queries.raise_query(row, user, section, reason)
    else:
        move(row, action, user, reason=reason, section=section)
