"""Each return's due date and standing, read from the database in a few queries.

The arithmetic is ``masa.spec.deadlines`` (plain Python); this module only fetches what it
needs: the period's deadline and the partner's extension, both of one partnership (each
business unit sets its own), and the day of the return's first
submission (its first ``Transition`` to submitted), so a return submitted after its due date
stays late for good, however it moves on afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from masa.spec.deadlines import Standing, effective_due, standing

from .models import Deadline, Extension, Transition

UNRECORDED = Standing("unrecorded", "submitted, date not recorded")


def today() -> date:
    return timezone.localdate()


@dataclass
class DueBook:
    """Deadlines and extensions of some periods, and first-submission days of some returns."""

    deadlines: dict[str, date] = field(default_factory=dict)
    extensions: dict[tuple[str, str], Extension] = field(default_factory=dict)
    first_submitted: dict[int, date] = field(default_factory=dict)

    def due(self, period: str, partner: str) -> date | None:
        ext = self.extensions.get((period, partner))
        return effective_due(self.deadlines.get(period), ext.due if ext else None)

    def extension(self, period: str, partner: str) -> Extension | None:
        return self.extensions.get((period, partner))

    def standing(self, period: str, partner: str, row=None, on: date | None = None) -> Standing:
        """The standing of ``row`` (None: not started) of ``partner`` for ``period``."""
        due = self.due(period, partner)
        submitted = self.first_submitted.get(row.pk) if row is not None else None
        if row is not None and submitted is None and row.status != "draft":
            # loaded from a file already past draft: there is no submission day to judge by
            return UNRECORDED if due is not None else standing(None, None, on or today())
        return standing(due, submitted, on or today())


def book(periods: Iterable[str], rows: Iterable = (), partnership: str = "") -> DueBook:
    """A ``DueBook`` of ``partnership``'s deadlines and extensions for these period codes and
    return rows (three queries). ``partnership`` is required: no partnership, no dates."""
    periods = list(periods)
    rows = list(rows)
    out = DueBook()
    for d in Deadline.objects.filter(period__code__in=periods, partnership=partnership).select_related("period"):
        out.deadlines[d.period.code] = d.due
    for e in Extension.objects.filter(period__code__in=periods, partnership=partnership).select_related("period", "partner"):
        out.extensions[(e.period.code, e.partner.code)] = e
    firsts = (Transition.objects.filter(ret_id__in=[r.pk for r in rows], to_status="submitted")
              .order_by("ret_id", "at", "id").values_list("ret_id", "at"))
    for ret_id, at in firsts:
        out.first_submitted.setdefault(ret_id, timezone.localtime(at).date())
    return out


def each_partnership(row, here: str) -> tuple[dict, list[dict]]:
    """A return's due date as its page shows it: (the date for ``here``, the request's
    partnership, or the partner's one partnership; and one entry per partnership the partner
    serves when their dates differ, else []). Each entry: code, name, due, extension, standing."""
    from masa.web.partnerships import stored

    from .reviews import serving

    codes = serving(row) or [here]
    names = stored()
    period, partner = row.period.code, row.partner.code
    # ``book`` for each partnership, in three queries for all of them
    deadlines: dict[str, dict] = {c: {} for c in codes}
    for d in Deadline.objects.filter(period__code=period, partnership__in=codes).select_related("period"):
        deadlines[d.partnership][d.period.code] = d.due
    extensions: dict[str, dict] = {c: {} for c in codes}
    for e in (Extension.objects.filter(period__code=period, partnership__in=codes, partner__code=partner)
              .select_related("period", "partner")):
        extensions[e.partnership][(e.period.code, e.partner.code)] = e
    firsts: dict[int, date] = {}
    for ret_id, at in (Transition.objects.filter(ret_id=row.pk, to_status="submitted")
                       .order_by("ret_id", "at", "id").values_list("ret_id", "at")):
        firsts.setdefault(ret_id, timezone.localtime(at).date())
    each = []
    for code in codes:
        dues = DueBook(deadlines[code], extensions[code], firsts)
        each.append({"code": code, "name": names.get(code, code), "due": dues.due(period, partner),
                     "extension": dues.extension(period, partner), "standing": dues.standing(period, partner, row)})
    main = next((e for e in each if e["code"] == here), each[0])
    differ = len({e["due"] for e in each}) > 1
    return main, (each if differ else [])


TALLY = ("on_time", "late", "outstanding", "overdue", "unrecorded")


def tally(spec, period: str, on: date | None = None) -> dict[str, int]:
    """Counts for one period over every partner and every template that fits it: returns
    submitted on time, submitted late, outstanding (not started or never submitted; those past
    their due date also counted as overdue) and submitted with no recorded date."""
    from masa.spec.opening import fits
    from masa.spec.periods import parse_period
    from masa.web.core.models import Return

    from masa.web.store import spec_for

    per = parse_period(period)
    rows = {(r.partner.code, r.template.code): r for r in
            Return.objects.filter(period__code=period).select_related("partner", "template")}
    dues = book([period], rows.values(), spec.partnership.code)
    out = dict.fromkeys(TALLY, 0)
    spec = spec_for(spec.partnership.code, period)  # a partner owes returns only for its years
    for p in spec.partners:
        for t in spec.templates:
            if not fits(t, per):
                continue
            row = rows.get((p.code, t.code))
            s = dues.standing(period, p.code, row, on)
            if s.state in ("outstanding", "overdue") or (s.state == "no deadline" and (row is None or row.status == "draft")):
                out["outstanding"] += 1
                out["overdue"] += s.state == "overdue"
            elif s.state in ("no deadline", "on time"):
                out["on_time"] += 1
            else:
                out[s.state] += 1
    return out
