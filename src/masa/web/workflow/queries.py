"""Queries, replies and comments on a return: the one service every page and hook goes through.

A query is raised by the business unit (a workflow action: the return goes back to the
partner) and is about one section. It stays *open* until the partner replies to it. Replies
and comments are recorded here, audited, and nowhere else, so a notification of a reply (or
of a raised query) hooks into :func:`reply` (or :func:`raise_query`) and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from masa.web.auditlog.chain import append
from masa.web.notify import events as notify_events

from .models import Message
from .transitions import move

MAX_TEXT = 5000


class QueryError(ValueError):
    """A reply or comment that cannot be recorded; ``str(exc)`` says why, for the user."""


@dataclass(frozen=True)
class OpenQuery:
    """A query the partner has not answered yet, with the title of the section it is about."""

    message: Message
    section_title: str

    @property
    def anchor(self) -> str:
        return f"query-{self.message.pk}"


def _key(row) -> str:
    return f"return:{row.partner.code}/{row.period.code}/{row.template.code}"


def open_queries(row, section_titles: dict[str, str] | None = None) -> list[OpenQuery]:
    """The return's queries that no reply has answered yet, oldest first: a partner's reply
    on a section answers every earlier query on it."""
    titles = section_titles or {}
    msgs = list(row.messages.select_related("author").order_by("at", "id"))
    out = []
    for q in (m for m in msgs if m.kind == "query"):
        if not any(m.kind == "reply" and m.section == q.section and m.pk > q.pk for m in msgs):
            out.append(OpenQuery(q, titles.get(q.section, "the return as a whole")))
    return out


def raise_query(row, user, section: str, text: str) -> None:
    """Send the return back to its partner with a question about one section.

    The reason is required: the workflow service refuses a query without one."""
    move(row, "query", user, reason=text.strip()[:MAX_TEXT], section=(section or "general")[:64])


def reply(row, query: Message, user, text: str) -> Message:
    """Record a partner's reply to an open query (and audit it). The single place a reply
    is stored: a notification of the answer belongs here."""
    text = (text or "").strip()
    if not text:
        raise QueryError("Enter your reply before sending it")
    if query.ret_id != row.pk or query.kind != "query":
        raise QueryError("That query is not on this return")
    with transaction.atomic():
        msg = Message.objects.create(ret=row, section=query.section, kind="reply", author=user, text=text[:MAX_TEXT])
        append(user, "message.reply", _key(row), {"section": query.section, "query": query.pk, "text": text[:MAX_TEXT]})
        notify_events.message_posted(row, "reply", user, text[:MAX_TEXT])  # emailed by the worker after commit
    return msg


def comment(row, user, section: str, text: str, *, partner: bool) -> Message:
    """Record a comment on a section (or the return as a whole: ``general``). A partner's
    comment is kept as a reply, as the thread shows it."""
    text = (text or "").strip()
    if not text:
        raise QueryError("Enter your comment before sending it")
    section = (section or "general")[:64]
    kind = "reply" if partner else "comment"
    with transaction.atomic():
        msg = Message.objects.create(ret=row, section=section, kind=kind, author=user, text=text[:MAX_TEXT])
        append(user, f"message.{kind}", _key(row), {"section": section, "text": text[:MAX_TEXT]})
        notify_events.message_posted(row, kind, user, text[:MAX_TEXT])
    return msg
