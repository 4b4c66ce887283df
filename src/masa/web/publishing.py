"""The web's side of the publishing boundary: what the public may see of a period, and
whether publishing one more return would be safe.

The public pages, the site CSV and the API read figures only through ``published``; the
workflow asks ``refusal`` before a return is published, so a table the boundary cannot
protect stops the publication (naming the indicator) instead of reaching the public.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from masa.report import boundary
from masa.report.boundary import ReportError
from masa.returns import PUBLIC_STATUSES
from masa.spec import parse_period

logger = logging.getLogger(__name__)

WITHHELD = ("The figures for this period are withheld: they could not be published without "
            "disclosing small counts. The partnership has been told.")


@dataclass
class Published:
    """A period's published returns and their figures, exactly as the boundary gives them."""

    dataset: object
    parts: dict = field(default_factory=dict)  # (template, partner) -> [Cell]
    figures: list = field(default_factory=list)  # open-data rows, report order
    withheld: str = ""  # why no figures are shown, when the boundary refused them


def _figures(dataset, period: str) -> tuple[dict, list]:
    parts = boundary.published_parts(dataset, period)
    return parts, boundary.rows_of(dataset.spec, parts)


def published(partnership: str, period: str) -> Published:
    """The one way the site, its CSV and the API read published figures."""
    from masa.web import store

    dataset = store.dataset_for(partnership, period, statuses={"published"})
    try:
        parts, rows = _figures(dataset, period)
    except (ReportError, ValueError) as exc:
        logger.error("published figures for %s %s withheld: %s", partnership, period, exc)
        return Published(dataset, withheld=WITHHELD)
    return Published(dataset, parts, rows)


def refusal(partnership: str, row) -> str:
    """Why publishing ``row`` (an approved return) now would be unsafe, or "" when it is not:
    the period's published returns plus this one must pass the boundary."""
    from masa.web import store

    year = parse_period(row.period.code).year  # a quarterly return is published into its year's figures
    dataset = store.dataset_for(partnership, year, statuses=PUBLIC_STATUSES)
    key = (row.partner.code, row.period.code, row.template.code)
    # what the public reads now (a shared return's published version, even when a newer one
    # is approved), and the same with this return's approved version in its place
    before = store.dataset_for(partnership, year, statuses={"published"}).returns
    keep = [r for r in before if r.key() != key] + [r for r in dataset.returns if r.key() == key]
    try:
        after, _ = _figures(dataset.model_copy(update={"returns": keep}), year)
        shown, _ = _figures(dataset.model_copy(update={"returns": before}), year) if before else ({}, [])
    except (ReportError, ValueError) as exc:
        return f"This return cannot be published: {exc}"
    rehidden = _rehidden(shown, after)
    if rehidden:
        return (f"This return cannot be published: masa would then hide {rehidden}, which is already "
                "public, and a reader could work a hidden count out by comparing the two publications. "
                "It stays approved; ask the partner to check these figures.")
    return ""


def _rehidden(before: dict, after: dict) -> str:
    """A figure shown by the current publication that the next one would hide, named; or ""."""
    now = {(key, c.value.indicator, c.period, c.by): c.published for key, cells in after.items() for c in cells}
    for key, cells in before.items():
        for c in cells:
            if isinstance(c.published, (int, float)) and now.get((key, c.value.indicator, c.period, c.by)) == \
                    boundary.SUPPRESSED:
                where = ", ".join(f"{d} {o}" for d, o in c.by) or "total"
                return f"{key[1]}'s {c.value.indicator} for {c.period} ({where})"
    return ""
