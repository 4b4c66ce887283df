"""Queries, replies and comments on a return: the one service every page and hook goes through.

A query is raised by the business unit (a workflow action: the return goes back to the
partner) and is about one section. It stays *open* until the partner replies to it. Replies
and comments are recorded here, audited, and nowhere else, so a notification of a reply (or
of a raised query) hooks into :func:`reply` (or :func:`raise_query`) and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from masa.web.auditlog.chain import append
from masa.web.notify import events as notify_events

from .models import Message
from .transitions import TransitionError, move

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


def visible(row, partnership: str | None = None):
    """The return's messages one reader may see, oldest first. ``partnership`` None: the
    partner's own people, who see every partnership's queries. Otherwise a business-unit or
    scrutineer reader of that partnership: its own queries and comments, the partner's replies
    to them, the partner's own comments (which belong to no partnership), and the business
    unit's messages recorded before messages were per partnership where they were written
    (:func:`_legacy_elsewhere`); never another partnership's."""
    qs = row.messages.select_related("author").order_by("at", "id")
    if partnership is not None:
        mine = Q(partnership=partnership) | Q(partnership="", kind="reply")  # the partner's own comments
        if not _legacy_elsewhere(row, partnership):
            mine |= Q(partnership="")
        qs = qs.filter(mine)
    return qs


def _legacy_elsewhere(row, partnership: str) -> bool:
    """Do the business unit's queries and comments recorded before messages were per
    partnership (no partnership) belong to another partnership than ``partnership``? They were
    the installation's first partnership's, as a shared return's status with no review is
    (``reviews``): so yes for any other partnership, when the partner serves several."""
    from . import reviews

    return partnership != reviews._home() and reviews.shared(row)


def _answers(reply: Message, query: Message) -> bool:
    """A partner's reply on a section answers the earlier queries on it of the partnership it
    belongs to (a comment that belongs to none answers every partnership's)."""
    return (reply.kind == "reply" and reply.section == query.section and reply.pk > query.pk
            and reply.partnership in ("", query.partnership))


def open_queries(row, section_titles: dict[str, str] | None = None, partnership: str | None = None,
                 visible_messages: list | None = None) -> list[OpenQuery]:
    """The queries on the return that no reply has answered yet, oldest first, as one reader
    sees them (``partnership`` as in :func:`visible`; ``visible_messages``: what
    ``visible(row, partnership)`` gave, when the caller has read it already)."""
    titles = section_titles or {}
    msgs = list(visible(row, partnership)) if visible_messages is None else visible_messages
    out = []
    for q in (m for m in msgs if m.kind == "query"):
        if not any(_answers(m, q) for m in msgs):
            out.append(OpenQuery(q, titles.get(q.section, "the return as a whole")))
    return out


def raise_query(row, user, section: str, text: str) -> None:
    """Send the return back to its partner with a question about one section.

    The reason is required: the workflow service refuses a query without one. The section
    must be one of the return's template (or ``general``): a query about a section that is
    not there could never be seen beside it, nor answered."""
    from masa.web.site.common import spec

    section = section or "general"
    sections = {s.code for s in spec().template(row.template.code).sections}
    if section != "general" and section not in sections:
        raise TransitionError(f"This return has no section {section[:64]!r} to ask about; choose one of its sections")
    move(row, "query", user, reason=text.strip()[:MAX_TEXT], section=section)


def reply(row, query: Message, user, text: str) -> Message:
    """Record a partner's reply to an open query (and audit it). The single place a reply
    is stored: a notification of the answer belongs here."""
    text = (text or "").strip()
    if not text:
        raise QueryError("Enter your reply before sending it")
    if query.ret_id != row.pk or query.kind != "query":
        raise QueryError("That query is not on this return")
    with transaction.atomic():
        Message.objects.select_for_update().filter(pk=query.pk).first()  # one reply at a time to this query
        same = Message.objects.filter(ret=row, section=query.section, kind="reply", author=user, pk__gt=query.pk,
                                      text=text[:MAX_TEXT], partnership=query.partnership).first()
        if same is not None:
            return same  # the same reply posted again (a double click, a resent form): recorded and emailed once
        msg = Message.objects.create(ret=row, section=query.section, kind="reply", author=user, text=text[:MAX_TEXT],
                                     partnership=query.partnership)  # the reply is the asking partnership's
        append(user, "message.reply", _key(row), {"section": query.section, "query": query.pk, "text": text[:MAX_TEXT]})
        notify_events.message_posted(row, "reply", user, text[:MAX_TEXT], query.partnership)  # emailed by the worker after commit
    return msg


def comment(row, user, section: str, text: str, *, partner: bool, partnership: str = "") -> Message:
    """Record a comment on a section (or the return as a whole: ``general``). A partner's
    comment is kept as a reply, as the thread shows it, and belongs to no partnership (every
    partnership it serves reads it); a business-unit or scrutineer comment belongs to the
    ``partnership`` it was written in, and only that partnership (and the partner) reads it."""
    text = (text or "").strip()
    if not text:
        raise QueryError("Enter your comment before sending it")
    section = (section or "general")[:64]
    kind = "reply" if partner else "comment"
    with transaction.atomic():
        msg = Message.objects.create(ret=row, section=section, kind=kind, author=user, text=text[:MAX_TEXT],
                                     partnership="" if partner else partnership[:64])
        append(user, f"message.{kind}", _key(row), {"section": section, "text": text[:MAX_TEXT],
                                                    **({"partnership": msg.partnership} if msg.partnership else {})})
        notify_events.message_posted(row, kind, user, text[:MAX_TEXT])
    return msg
