"""The business unit's period services: open a year, set a period's deadline, give a partner
an extension, close or reopen a period. Each is one transaction and audited: on any refusal
nothing is saved. Each acts for ``spec``'s partnership only: deadlines, extensions and
closures are per partnership, so one business unit's date never moves another's.

Refusals are ``PeriodRefused(field, message)`` so the form shows the message beside the field.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from masa.spec.opening import OpenRefused, open_periods, with_year_opened
from masa.spec.periods import parse_period
from masa.web import store
from masa.web.auditlog.chain import append
from masa.web.core.models import Partner, Period
from masa.web.workflow.models import Closure, Deadline, Extension

from .starting import start_return


class PeriodRefused(ValueError):
    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


LATEST_DUE_YEARS = 2  # a deadline later than this after its period ends is a typing slip (31/05/9999)


def _check_due(period_code: str, due: date, field: str = "due", label: str = "Returns due by") -> None:
    period = parse_period(period_code)
    if due < period.start:
        raise PeriodRefused(field, f"{label}: {due:%d/%m/%Y} is before {period_code} starts "
                                   f"({period.start:%d/%m/%Y}); returns cannot be due before their period begins")
    latest = period.end.replace(year=period.end.year + LATEST_DUE_YEARS)
    if due > latest:
        raise PeriodRefused(field, f"{label}: {due:%d/%m/%Y} is more than {LATEST_DUE_YEARS} years after "
                                   f"{period_code} ends ({period.end:%d/%m/%Y}); enter a date by {latest:%d/%m/%Y}")


def open_year(spec, year: str, who, due: date | None = None, quarters: bool = False) -> list:
    """Store the spec with ``year`` opened and current, set its deadline, and start every
    partner's yearly returns for it as drafts. Returns the rows started.

    ``spec`` only names the partnership: the year is opened on the newest spec, read under the
    partnership's write lock, so a setup edit saved at the same moment is neither undone nor
    undoes the opening, and a second press of "Open" is refused as already open."""
    from masa.web.administration.service import locked_spec

    if due is not None:
        _check_due(year, due)
    started = []
    with transaction.atomic():
        spec = locked_spec(spec.partnership.code)
        try:
            new = with_year_opened(spec, year, quarters)
        except OpenRefused as exc:
            if year < min(spec.periods.financial_years) and year not in spec.periods.financial_years:
                raise PeriodRefused("year", f"Financial year: {year} is before {min(spec.periods.financial_years)}, "
                                            "the partnership's first year; years open after the current year "
                                            f"{spec.periods.current}") from None
            raise PeriodRefused("year", f"Financial year: {exc}") from None
        store.store_spec(new, who=who, via="web.periods.open")
        if due is not None:
            _write_deadline(new.partnership.code, year, due, who)
        for p in new.partners:
            partner = Partner.objects.get(code=p.code)
            for t in new.templates:
                if t.frequency == "yearly":
                    row, created = start_return(partner, year, t.code, who, spec=new, via="web.periods.open")
                    if created:
                        started.append(row)
        append(who, "period.opened", f"period:{year}",
               {"previous": spec.periods.current, "quarters": new.periods.quarters,
                "due": due.isoformat() if due else None, "started": len(started)})
    return started


def set_deadline(spec, period: str, due: date, who) -> None:
    """Set (or move) the date an open period's returns are due."""
    if period not in {p.code for p in open_periods(spec)}:
        raise PeriodRefused("due", f"Returns due by: {period} is not an open period")
    _check_due(period, due)
    with transaction.atomic():
        _write_deadline(spec.partnership.code, period, due, who)


def _write_deadline(partnership: str, period: str, due: date, who) -> None:
    before = Deadline.objects.filter(period__code=period, partnership=partnership).first()
    Deadline.objects.update_or_create(period=Period.objects.get(code=period), partnership=partnership,
                                      defaults={"due": due})
    append(who, "deadline.set", f"period:{period}",
           {"due": due.isoformat(), "was": before.due.isoformat() if before else None, "partnership": partnership})


def set_extension(spec, period: str, partner_code: str, due: date, reason: str, who) -> Extension:
    """Give one partner of the partnership a later due date for an open period, with a reason."""
    if partner_code not in {p.code for p in spec.partners}:
        raise PeriodRefused("partner", f"Partner: {partner_code} is not a partner in this partnership")
    if period not in {p.code for p in open_periods(spec)}:
        raise PeriodRefused("due", f"New date: {period} is not an open period")
    deadline = Deadline.objects.filter(period__code=period, partnership=spec.partnership.code).first()
    if deadline is None:
        raise PeriodRefused("due", f"New date: set the deadline for {period} first; an extension moves it")
    if due <= deadline.due:
        raise PeriodRefused("due", f"New date: {due:%d/%m/%Y} is not after the deadline of "
                                   f"{deadline.due:%d/%m/%Y}; an extension must give more time")
    _check_due(period, due, "due", "New date")
    with transaction.atomic():
        ext, _ = Extension.objects.update_or_create(
            period=Period.objects.get(code=period), partner=Partner.objects.get(code=partner_code),
            partnership=spec.partnership.code, defaults={"due": due, "reason": reason, "set_by": who if getattr(who, "pk", None) else None})
        append(who, "deadline.extended", f"period:{period}/{partner_code}",
               {"due": due.isoformat(), "reason": reason, "deadline": deadline.due.isoformat(),
                "partnership": spec.partnership.code})
    return ext


def close_period(spec, period: str, who) -> None:
    """Close an opened period to new returns; its returns go on through the workflow.
    The current year stays open: a business unit moves on by opening the next one."""
    if period not in {p.code for p in open_periods(spec)}:
        raise PeriodRefused("action", f"{period} is not open")
    if period == spec.periods.current:
        raise PeriodRefused("action", f"{period} is the current year and stays open; open the next year first")
    with transaction.atomic():
        _, created = Closure.objects.get_or_create(period=Period.objects.get(code=period),
                                                   partnership=spec.partnership.code, defaults={"closed_by": who if getattr(who, "pk", None) else None})
        if created:
            append(who, "period.closed", f"period:{period}", {"partnership": spec.partnership.code})


def reopen_period(spec, period: str, who) -> None:
    """Let partners start returns for a closed period again."""
    with transaction.atomic():
        deleted, _ = Closure.objects.filter(period__code=period, partnership=spec.partnership.code).delete()
        if deleted:
            append(who, "period.reopened", f"period:{period}", {"partnership": spec.partnership.code})
