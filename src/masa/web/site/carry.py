"""Seeding a new year's return from the partner's previous one (``masa.returns.rollover``).

Called once where a return is created for a partner; it is safe to call again (the rollover
keeps items already there, with their answers), and it never touches a return past draft."""

from __future__ import annotations

from django.db import transaction

from masa.returns.rollover import carry_forward
from masa.spec.periods import shift_period
from masa.web import store
from masa.web.auditlog.chain import append


def previous_row(row):
    """The same partner's return of the same template for the period before, or None."""
    return _row_shifted(row, -1)


def _row_shifted(row, years: int):
    from masa.web.core.models import Return

    try:
        code = shift_period(row.period.code, years)
    except ValueError:
        return None
    return (Return.objects.select_related("partner", "period", "template")
            .filter(partner=row.partner, template=row.template, period__code=code).first())


def seed_from_previous(row, who) -> bool:
    """Add last year's unfinished audit actions and next-year priorities to ``row`` (a draft)
    for the partner to answer; True if anything was added. Audited as ``return.carried_forward``."""
    if row.status != "draft":
        return False
    before = previous_row(row)
    if before is None:
        return False
    with transaction.atomic():
        current = store.return_from_row(row)
        seeded = carry_forward(store.return_from_row(before), current)
        if seeded == current:
            return False
        store._save_return(seeded)
        append(who, "return.carried_forward", f"return:{seeded.partner}/{seeded.period}/{seeded.template}",
               {"from": before.period.code,
                "actions": len(seeded.carried_actions) - len(current.carried_actions),
                "priorities": len(seeded.priority_reviews) - len(current.priority_reviews)})
    row.refresh_from_db()
    return True


def next_row(row):
    """The same partner's return of the same template for the period after, or None."""
    return _row_shifted(row, 1)


def reseed_next_year(row, who) -> bool:
    """Carry ``row``'s unfinished items into next year's draft, when that year was opened
    before ``row`` was finished (opening a year starts every partner's draft at once).
    ``carry_forward`` keeps items already there with their answers, so this only adds."""
    following = next_row(row)
    return following is not None and seed_from_previous(following, who)
