"""Starting a return: the one place a partner's new return row is created.

The partner's "Start return" button and the business unit's "Open year" both come here, so
whatever a new return must begin with is added in ``start_return`` once.
"""

from __future__ import annotations

from django.db import transaction

from masa.spec.opening import fits, open_periods
from masa.web.auditlog.chain import append
from masa.web.core.models import Period, Return, Template


class StartRefused(ValueError):
    """Why this return cannot be started, as the returns page shows it."""


def closed_codes(partnership: str) -> set[str]:
    """Periods ``partnership``'s business unit closed to new returns (``workflow.Closure``);
    another partnership closing the same year leaves it open here."""
    from masa.web.workflow.models import Closure

    return set(Closure.objects.filter(partnership=partnership).values_list("period__code", flat=True))


def open_now(spec) -> list:
    """The periods partners can start returns for now: opened by the spec, not closed by its partnership."""
    return open_periods(spec, closed_codes(spec.partnership.code))


def partners_of(spec, period: str) -> set[str]:
    """The partners that owe returns for ``period``: those in that year's own spec, so a
    partner that joined later owes nothing for the years before."""
    from masa.web import store

    return {p.code for p in store.spec_for(spec.partnership.code, period).partners}


def startable(spec, have: set[tuple[str, str]], partner: str | None = None) -> list[tuple]:
    """(period, template) pairs of open periods a partner can still start, given the
    (period code, template code) pairs it already has; the current year first. With
    ``partner``, only periods that partner was part of the partnership for."""
    current = spec.periods.current
    periods = [p for p in open_now(spec) if partner is None or partner in partners_of(spec, p.code)]
    pairs = [(p, t) for p in periods for t in spec.templates
             if fits(t, p) and (p.code, t.code) not in have]
    return sorted(pairs, key=lambda pt: (pt[0].year != current, -int(pt[0].year[:4]), pt[0].kind != "year",
                                      pt[0].start, pt[1].code))


def start_return(partner, period: str, template: str, who, spec=None, via: str = "web") -> tuple[Return, bool]:
    """Create ``partner``'s draft return for an open ``period`` and a ``template`` that fits it.

    Returns (row, created); an existing return is returned as it is. Raises StartRefused
    for a period that is not open or a template of the wrong frequency."""
    from . import carry, common

    spec = spec or common.spec()
    by_code = {t.code: t for t in spec.templates}
    if template not in by_code:
        raise StartRefused(f"Choose a return template to start ({template!r} is not one)")
    open_ = {p.code: p for p in open_now(spec)}
    if period not in open_:
        raise StartRefused(f"Choose an open period: {period!r} is not open for returns")
    if partner.code not in partners_of(spec, period):
        raise StartRefused(f"{partner.name} was not a partner in {period}, so it has no return to send for it")
    if not fits(by_code[template], open_[period]):
        kind = "quarter" if by_code[template].frequency == "quarterly" else "financial year"
        raise StartRefused(f"{by_code[template].name} is started for a {kind}, not for {period}")
    with transaction.atomic():
        row, created = Return.objects.get_or_create(partner=partner, period=Period.objects.get(code=period),
                                                    template=Template.objects.get(code=template))
        if created:
            append(who, "return.started", f"return:{partner.code}/{period}/{template}", {"via": via})
            carry.seed_from_previous(row, who)  # last year's unfinished actions and priorities
    return row, created
