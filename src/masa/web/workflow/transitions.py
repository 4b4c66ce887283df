"""Return workflow: draft → submitted → queried ↔ resubmitted → approved → published.

Every transition is recorded (who, when, why) and audited; submitted, approved and published
states freeze an immutable ``ReturnVersion``. The service enforces its own rules, so every
caller (web form, API, command line) gets them: a return whose required sections are empty
cannot go forward, one with a carried item left unanswered cannot be submitted, and one
with an error finding cannot be approved or published.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from masa.returns.rollover import unanswered
from masa.web.auditlog.chain import append
from masa.web.notify import events as notify_events

from . import checks_seam
from .models import Message, Transition

ALLOWED = {
    "submit": ({"draft"}, "submitted"),
    "resubmit": ({"queried"}, "resubmitted"),
    "query": ({"submitted", "resubmitted"}, "queried"),
    "approve": ({"submitted", "resubmitted"}, "approved"),
    "publish": ({"approved"}, "published"),
}
FORWARD = {action: target for action, (_, target) in ALLOWED.items() if action != "query"}
GATED = {"approve": "approval", "publish": "publication"}  # error findings block these

# What counts as filled in, per section kind: anything but blanks.
_FILLED = {
    "narrative": lambda r, code: any(s.section == code and s.text.strip() for s in r.sections),
    "voice": lambda r, code: bool(r.voice.strip()),
    "figures": lambda r, code: any(v.value is not None for v in r.values),
    "audits": lambda r, code: any(a.title.strip() for a in r.audits),
    "highlights": lambda r, code: any(h.delivered.strip() for h in r.highlights),
    "challenges": lambda r, code: any(c.text.strip() for c in r.challenges),
    "next_year": lambda r, code: any(n.text.strip() for n in r.next_year),
    "case_studies": lambda r, code: any(c.text.strip() for c in r.case_studies),
    "attachments": lambda r, code: bool(r.attachments),
}


class TransitionError(ValueError):
    pass


def empty_required_sections(spec, ret) -> list[str]:
    """Titles, as the return form labels them, of the required sections left empty."""
    template = spec.template(ret.template)
    return [s.title for s in template.sections if s.required and not _FILLED[s.kind](ret, s.code)]


def blocking_findings(spec, ret) -> list:
    """The error findings about a return: each one blocks approval and publication."""
    return checks_seam.error_findings(spec, ret)


def _refuse(action: str, spec, ret) -> None:
    """Raise with every reason a submission is refused at once, so one fix round is enough."""
    reasons = []
    empty = empty_required_sections(spec, ret)
    if empty:
        reasons.append(f"required section{'s are' if len(empty) > 1 else ' is'} empty: {', '.join(empty)}")
    if action in ("submit", "resubmit"):
        left = unanswered(ret)  # the carry.unanswered check's errors: they block submission too
        if left:
            reasons.append(f"{len(left)} item(s) carried from last year still to answer, "
                           f"for example: {left[0][2]}")
    if reasons:
        raise TransitionError(f"This return cannot be {FORWARD[action]}: {'; and '.join(reasons)}")
    if action in GATED:
        blocking = blocking_findings(spec, ret)
        if blocking:
            raise TransitionError(f"This return has {len(blocking)} error finding(s) that block {GATED[action]}, "
                                  f"for example: {blocking[0].message}")


def move(row, action: str, user, reason: str = "", section: str = "", blocking: list | None = None) -> None:
    """Apply one workflow action to a return row, or raise TransitionError saying why not.

    ``blocking`` is ignored: the service finds blocking findings itself, so no caller can skip
    them (the argument stays for callers written before it did)."""
    from masa.web import store
    from masa.web.core.models import Return

    if action not in ALLOWED:
        raise TransitionError(f"unknown action {action!r}")
    sources, target = ALLOWED[action]
    if action == "query" and not reason.strip():
        raise TransitionError("Enter the question you want the partner to answer")
    checked = None
    if action in FORWARD:
        # Checked outside the write transaction (the checks take a while); the lock version
        # then proves nobody changed the return in between.
        snap = Return.objects.select_related("partner", "period", "template").get(pk=row.pk)
        if snap.status in sources:
            from masa.web.site.common import spec  # the site's partnership, as every page uses

            _refuse(action, spec(), store.return_from_row(snap))
            if action == "publish":
                from masa.web import publishing

                problem = publishing.refusal(spec().partnership.code, snap)
                if problem:
                    raise TransitionError(problem)
        checked = (snap.lock_version, snap.content_sha256)
    with transaction.atomic():
        fresh = Return.objects.select_for_update().get(pk=row.pk)
        if fresh.status not in sources:
            raise TransitionError(f"A return that is {fresh.status} cannot be {target}")
        if checked is not None and checked != (fresh.lock_version, fresh.content_sha256):
            raise TransitionError("This return changed while it was being checked; try again")
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
        notify_events.transition(fresh, action, user, reason)  # emailed by the worker after commit
    row.status = target
    if target in ("submitted", "resubmitted", "approved"):
        from masa.web.site.carry import reseed_next_year

        reseed_next_year(fresh, user)  # a next year opened before this return was finished
