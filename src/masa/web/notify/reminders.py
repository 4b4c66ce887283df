"""Deadline reminders (14, 7 and 1 days before a return is due) and overdue notices, for each
return a partner still owes. A notice's key names the person, partnership, period, partner,
template and threshold, so running the daily command twice (or late) never tells anyone twice;
on a late run only the nearest threshold passed is sent, not every one missed.

Deadlines, extensions and closures are each partnership's own: a partner serving two
partnerships is reminded by each against that partnership's date, the notice naming it."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse

from . import compose, recipients
from .models import Notice

THRESHOLDS = (1, 7, 14)


def threshold(days_left: int) -> int | None:
    """The nearest reminder threshold reached with ``days_left`` to go (None: too early)."""
    return next((t for t in THRESHOLDS if days_left <= t), None)


def owed(partnership: str, on: date):
    """(period, Partner row, template spec, Return row or None, due date, kind) for every
    return not yet submitted whose reminder or overdue notice is due ``on`` that day."""
    from masa.spec.opening import fits
    from masa.spec.periods import parse_period
    from masa.web.core.models import Partner, Return
    from masa.web.store import spec_for
    from masa.web.workflow import due
    from masa.web.workflow.models import Closure, Deadline

    closed = set(Closure.objects.filter(partnership=partnership).values_list("period__code", flat=True))
    partners = {p.code: p for p in Partner.objects.all()}
    for deadline in Deadline.objects.filter(partnership=partnership).select_related("period").order_by("due"):
        period = deadline.period.code
        if period in closed:
            continue
        spec = spec_for(partnership, period)
        per = parse_period(period)
        rows = {(r.partner.code, r.template.code): r for r in
                Return.objects.filter(period__code=period).select_related("partner", "template")}
        book = due.book([period], rows.values(), partnership)
        for p in spec.partners:
            if p.code not in partners:
                continue
            for t in spec.templates:
                if not fits(t, per):
                    continue
                row = rows.get((p.code, t.code))
                state = book.standing(period, p.code, row, on).state
                if state not in ("outstanding", "overdue"):
                    continue
                day = book.due(period, p.code)
                if state == "overdue":
                    yield period, partners[p.code], t, row, day, "overdue"
                elif (th := threshold((day - on).days)) is not None:
                    yield period, partners[p.code], t, row, day, f"deadline_{th}"


def queue_reminders(partnership: str, on: date) -> list[int]:
    """Record the reminders and overdue notices due ``on``; the ids of the new notices."""
    new = []
    for period, partner, template, row, day, kind in owed(partnership, on):
        path = compose.prefixed(reverse("site:return", kwargs={"pk": row.pk}) if row else reverse("site:returns"),
                                partnership)  # opens in the partnership whose deadline it is, as event notices do
        message = compose.compose(kind, partner=partner.name, short=partner.short_name, period=period,
                                  template=template.name, path=path, due=day, on=on, partnership=partnership)
        for user in recipients.partner_people(partner.pk):
            if not recipients.address(user):
                continue
            key = f"{kind}:{partnership}:{period}:{partner.code}:{template.code}:{user.pk}"
            if Notice.objects.filter(key=key).exists():
                continue
            try:
                with transaction.atomic():
                    n = Notice.objects.create(user=user, kind=kind, key=key, subject=message.subject,
                                              body=message.body, url=message.url)
            except IntegrityError:  # the same reminder recorded by a run alongside this one
                continue
            new.append(n.pk)
    return new
