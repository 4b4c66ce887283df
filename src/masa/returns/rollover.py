"""Rollover: start a year's return from the partner's previous one.

What a partner said it would do last year becomes something it must answer this year:
every audit action not done is carried with its history, and every next-year priority
becomes a question (achieved, partly, not achieved, and why). Plain Python: the web app
seeds new returns with it, and anything else can too.
"""

from __future__ import annotations

import hashlib

from .model import ActionUpdate, Audit, CarriedAction, PriorityReview, Return

FINISHED = ("done", "dropped")  # a carried action with either answer is not carried again
NEEDS_REASON = ("done", "dropped")
STATUS_WORDS = {"open": "open", "in-progress": "in progress", "done": "done", "dropped": "dropped"}
ANSWER_WORDS = {"achieved": "achieved", "partly": "partly achieved", "not-achieved": "not achieved"}


def action_id(ret: Return, audit: Audit, action) -> str:
    """The action's stable id: its own, or one derived from where it was first written
    (partner, period, audit and text), so the same stored action always gets the same id."""
    if action.id:
        return action.id
    key = f"{ret.partner}|{ret.period}|{audit.title.strip()}|{action.text.strip()}"
    return "act-" + hashlib.sha256(key.encode()).hexdigest()[:12]


def _areas_of(item, source):
    """An answered item keeps its answer but takes the areas of the part it came from: the
    areas say who may read it, and are not the partner's answer."""
    if item is None or source is None or item.areas == source.areas:
        return item
    return item.model_copy(update={"areas": source.areas})


def carry_forward(previous: Return, new: Return) -> Return:
    """``new`` with last year's unfinished actions and next-year priorities to answer.

    Safe to repeat as last year's return changes (it is re-run when that return is submitted
    or approved after the new year opened): an item the partner has answered is kept as it
    is; an unanswered one follows last year's return, so an action since renamed, done or
    deleted there, or a priority removed, does not linger unanswered and block submission."""
    if previous.partner != new.partner:
        raise ValueError(f"cannot carry {previous.partner}'s return into {new.partner}'s")
    due: dict[str, CarriedAction] = {}
    for c in previous.carried_actions:  # carried last year and still not finished
        if c.status not in FINISHED:
            due.setdefault(c.id, c.model_copy(update={
                "history": [*c.history, ActionUpdate(period=previous.period, status=c.status or "open", note=c.note)],
                "status": None, "note": ""}))
    for audit in previous.audits:
        for action in audit.actions:
            if action.status != "done":
                aid = action_id(previous, audit, action)
                due.setdefault(aid, CarriedAction(id=aid, audit=audit.title, raised=previous.period,
                                                  text=action.text, owner=action.owner, due=action.due,
                                                  areas=audit.areas,
                                                  history=[ActionUpdate(period=previous.period,
                                                                        status=action.status)]))
    answered = {c.id: c for c in new.carried_actions if c.status is not None}
    order = [c.id for c in new.carried_actions] + [i for i in due if i not in {c.id for c in new.carried_actions}]
    carried = [_areas_of(answered.get(i), due.get(i)) or due[i] for i in order if i in answered or i in due]
    asked = {n.text: n for n in previous.next_year if n.text.strip()}
    kept = {r.text: _areas_of(r, asked.get(r.text)) for r in new.priority_reviews
            if r.answer is not None or r.text in asked}
    reviews = list(kept.values()) + [PriorityReview(text=t, priorities=n.priorities, set_in=previous.period,
                                                    areas=n.areas)
                                     for t, n in asked.items() if t not in kept]
    return new.model_copy(update={"carried_actions": carried, "priority_reviews": reviews})


def unanswered(ret: Return) -> list[tuple[str, str, str]]:
    """(location, item text, what is missing) for each carried item not fully answered."""
    out = []
    for i, c in enumerate(ret.carried_actions):
        if c.status is None:
            out.append((f"carried_actions[{i}]", c.text,
                        (f"Carried action “{c.text}” (audit “{c.audit}”, raised in {c.raised}) has no status: "
                         "say whether it is done, in progress or dropped")))
        elif c.status in NEEDS_REASON and not c.note.strip():
            out.append((f"carried_actions[{i}]", c.text,
                        f"Carried action “{c.text}” is marked {STATUS_WORDS[c.status]} with no reason: say why"))
    for i, p in enumerate(ret.priority_reviews):
        if p.answer is None:
            out.append((f"priority_reviews[{i}]", p.text,
                        (f"Last year's priority “{p.text}” has no answer: say whether it was achieved, "
                         "partly achieved or not achieved")))
        elif not p.explanation.strip():
            out.append((f"priority_reviews[{i}]", p.text,
                        (f"Last year's priority “{p.text}” is marked {ANSWER_WORDS[p.answer]} with no explanation: "
                         "say what happened")))
    return out


def action_rows(returns: list[Return]) -> list[dict]:
    """Every audit action across returns and years, once each, newest state first by id:
    an action raised in one year and carried into later ones is one row with its history."""
    rows: dict[str, dict] = {}
    for ret in sorted(returns, key=lambda r: r.period):
        for audit in ret.audits:
            for action in audit.actions:
                aid = action_id(ret, audit, action)
                rows[aid] = {"id": aid, "partner": ret.partner, "raised": ret.period, "period": ret.period,
                             "audit": audit.title, "text": action.text, "owner": action.owner, "due": action.due,
                             "status": action.status, "note": "",
                             "history": [ActionUpdate(period=ret.period, status=action.status)]}
        for c in ret.carried_actions:
            status = c.status or "open"
            history = [*c.history, ActionUpdate(period=ret.period, status=status, note=c.note)]
            rows[c.id] = {"id": c.id, "partner": ret.partner, "raised": c.raised, "period": ret.period,
                          "audit": c.audit, "text": c.text, "owner": c.owner, "due": c.due, "status": status,
                          "note": c.note, "history": history}
    return list(rows.values())
