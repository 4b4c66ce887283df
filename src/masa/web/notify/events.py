"""What the web and the workflow call when something happens. Nothing is sent here: the event
is queued once the current transaction commits (so a rolled-back action tells nobody), and a
worker works out who to tell and emails them.

Hooks: ``transition`` in ``workflow.transitions.move``; ``message_posted`` where a comment or
reply is stored; ``withdrawn`` where a publication is withdrawn."""

from __future__ import annotations

from functools import partial

from django.db import transaction

ACTION_EVENTS = {"submit": "submitted", "resubmit": "submitted", "query": "query_raised", "approve": "approved",
                 "publish": "published", "withdraw": "withdrawn"}


def _later(kind: str, ret, actor, text: str = "", partnership: str = "") -> None:
    from .tasks import deliver_event

    # robust: the action has committed; a queue that cannot take the event is logged, not a 500
    transaction.on_commit(partial(deliver_event.enqueue, kind, ret.pk, getattr(actor, "pk", None), text[:2000],
                                  partnership), robust=True)


def transition(ret, action: str, actor, reason: str = "", partnership: str = "") -> None:
    """A workflow action on a return (submit, resubmit, query, approve, publish, withdraw);
    ``partnership`` is the one whose business unit acted ("" for the partner's own moves)."""
    if action in ACTION_EVENTS:
        _later(ACTION_EVENTS[action], ret, actor, reason if action in ("query", "withdraw") else "", partnership)


def message_posted(ret, kind: str, actor, text: str, partnership: str = "") -> None:
    """A message on a return's thread: a partner's reply tells the business unit of the
    partnership whose query it answers (when the return has a query: the worker checks, so
    this request reads nothing more)."""
    if kind == "reply":
        _later("query_answered", ret, actor, text, partnership)


def withdrawn(ret, actor, reason: str, partnership: str = "") -> None:
    """A published return's publication withdrawn by ``partnership``, with the reason given."""
    _later("withdrawn", ret, actor, reason, partnership)


def immediate_concern(form, actor, partnership: str) -> None:
    """A case-audit form flags a concern needing action now: the partnership's business unit
    is told as soon as the form is saved (``masa.web.assurance``)."""
    from .tasks import deliver_concern

    transaction.on_commit(partial(deliver_concern.enqueue, form.pk, getattr(actor, "pk", None), partnership),
                          robust=True)


def section11_submitted(assessment, actor, *, again: bool = False) -> None:
    """A Section 11 self-assessment submitted (``again``: resubmitted after answering a
    challenge): the business unit of every partnership the partner serves is told."""
    from .tasks import deliver_section11

    kind = "s11_resubmitted" if again else "s11_submitted"
    transaction.on_commit(partial(deliver_section11.enqueue, kind, assessment.pk, getattr(actor, "pk", None), "", []),
                          robust=True)


def section11_challenged(assessment, actor, partnership: str, standards: list[str]) -> None:
    """``partnership``'s business unit challenged ratings (``standards``) of a Section 11
    self-assessment: the partner's contributors and approvers are told."""
    from .tasks import deliver_section11

    transaction.on_commit(partial(deliver_section11.enqueue, "s11_challenged", assessment.pk,
                                  getattr(actor, "pk", None), partnership, list(standards)), robust=True)
