"""Return workflow: draft → submitted → queried ↔ resubmitted → approved → published.

Every transition is recorded (who, when, why) and audited; submitted, approved and published
states freeze an immutable ``ReturnVersion``.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from masa.web.auditlog.chain import append

from .models import Message, Transition

ALLOWED = {
    "submit": ({"draft"}, "submitted"),
    "resubmit": ({"queried"}, "resubmitted"),
    "query": ({"submitted", "resubmitted"}, "queried"),
    "approve": ({"submitted", "resubmitted"}, "approved"),
    "publish": ({"approved"}, "published"),
}


class TransitionError(ValueError):
    pass


def move(row, action: str, user, reason: str = "", section: str = "", blocking: list | None = None) -> None:
    """Apply one workflow action to a return row, or raise TransitionError saying why not."""
    from masa.web import store
    from masa.web.core.models import Return

    if action not in ALLOWED:
        raise TransitionError(f"unknown action {action!r}")
    sources, target = ALLOWED[action]
    if action == "query" and not reason.strip():
        raise TransitionError("Enter the question you want the partner to answer")
    if action == "approve" and blocking:
        raise TransitionError(f"This return has {len(blocking)} error finding(s) that block approval")
    with transaction.atomic():
        fresh = Return.objects.select_for_update().get(pk=row.pk)
        if fresh.status not in sources:
            raise TransitionError(f"A return that is {fresh.status} cannot be {target}")
        before = fresh.status
        # bumping the lock makes any save begun before this transition a conflict, not a late edit
        Return.objects.filter(pk=row.pk).update(status=target, lock_version=F("lock_version") + 1)
        fresh.status = target
        Transition.objects.create(ret=fresh, from_status=before, to_status=target, actor=user, reason=reason)
        if action == "query":
            Message.objects.create(ret=fresh, section=section or "general", kind="query", author=user, text=reason)
        if target != "queried":
            store.snapshot(fresh, store.return_from_row(fresh))
        append(user, f"return.{action}", f"return:{fresh.partner.code}/{fresh.period.code}/{fresh.template.code}",
               {"from": before, "to": target, "reason": reason, "section": section})
    row.status = target
