"""What the dataset dashboard reads: every stored period's figures of the request's
partnership, through the publishing boundary (``masa.report.boundary``), as observations the
plain-Python engine (``masa.compare.trends``) arranges and rates.

- The business unit's view reads every return (any status) with the boundary's internal
  setting: true counts, as the internal report shows them; a shared return this partnership
  approved or published is read as that frozen version, not the partner's later draft.
- The public view reads only what the partnership published, period by period, exactly as
  its public report and CSV publish it (``masa.web.publishing.published``): 1-5 as "c", with
  secondary suppression. A figure is taken from the publication of its own year, else from
  the next year's (which shows the year before for comparison), so each cell comes from one
  protected table and two publications are never mixed for one figure.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from masa.compare.themes import Coverage, coverage
from masa.compare.trends import Observation
from masa.report import boundary
from masa.report.boundary import ReportError
from masa.spec.periods import parse_period
from masa.web import publishing, store

logger = logging.getLogger(__name__)


@dataclass
class Gathered:
    observations: list[Observation] = field(default_factory=list)
    coverage: Coverage | None = None
    returns: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (partner, period, template) -> pk
    problems: list[str] = field(default_factory=list)  # years whose figures could not be read, and why


def _years(spec) -> list[str]:
    return list(spec.periods.financial_years)


def _pick(chosen: dict, year: str, cells) -> None:
    """Keep each cell from the publication of its own year when there is one."""
    for c in cells:
        key = (c.partner, c.value.indicator, c.period, c.by)
        rank = 0 if parse_period(c.period).year == year else 1
        if key not in chosen or rank < chosen[key][0]:
            chosen[key] = (rank, c)


@dataclass
class _Cell:
    partner: str
    period: str
    by: tuple
    value: object
    published: object


def _cells(parts: dict) -> list[_Cell]:
    return [_Cell(partner, c.period, c.by, c.value, c.published) for (_, partner), cells in parts.items()
            for c in cells]


def _observations(spec, chosen: dict) -> list[Observation]:
    known = {i.code for i in spec.indicators}
    return [Observation(c.partner, c.value.indicator, c.period, c.by, c.published)
            for _, c in chosen.values() if c.value.indicator in known]


def internal(partnership: str, spec) -> Gathered:
    """Every stored figure of the partnership's view, true counts, for the business unit,
    board and scrutineer; the theme matrix of the current year's returns."""
    out = Gathered()
    chosen: dict = {}
    for year in _years(spec):
        dataset = _as_agreed(store.dataset_for(partnership, year), partnership)
        try:
            _pick(chosen, year, _cells(boundary.published_parts(dataset, year, internal=True)))
        except (ReportError, ValueError) as exc:
            out.problems.append(f"{year}: {exc}")
        if year == spec.periods.current:
            out.coverage = coverage(dataset, year)
    out.observations = _observations(spec, chosen)
    out.returns = _return_ids(partnership, spec)
    return out


def _as_agreed(dataset, partnership: str):
    """The live dataset with each shared return this partnership approved or published read as
    the version it approved or published: another partnership's query lets the partner edit the
    one shared return, and that unsubmitted edit is not this partnership's figure (its report
    and public site read the frozen version too: ``masa.web.workflow.reviews.as_seen_by``). A
    return this partnership itself queried or is reviewing again stays live: that is its work."""
    from masa.returns.scope import scope_dataset
    from masa.web.workflow import reviews
    from masa.web.workflow.models import Review

    agreed = set(Review.objects.filter(partnership=partnership, status__in=("approved", "published"),
                                       ret__period__code__in={r.period for r in dataset.returns})
                 .values_list("ret__partner__code", "ret__period__code", "ret__template__code"))
    frozen = [r for r in dataset.returns if (r.partner, r.period, r.template) in agreed]
    if not frozen:
        return dataset
    seen = reviews.as_seen_by(dataset.model_copy(update={"returns": frozen}), partnership,
                              public={"approved", "published"})
    swap = {(r.partner, r.period, r.template): r for r in scope_dataset(seen).returns}
    return dataset.model_copy(update={"returns": [swap.get((r.partner, r.period, r.template), r)
                                                  for r in dataset.returns]})


def public(partnership: str, spec, years: list[str]) -> Gathered:
    """Only published figures, as the public report publishes them; the theme matrix of the
    newest published year's published returns."""
    out = Gathered()
    chosen: dict = {}
    for year in sorted(years):
        pub = publishing.published(partnership, year)
        if pub.withheld:
            out.problems.append(f"{year}: {pub.withheld}")
            continue
        _pick(chosen, year, _cells(pub.parts))
        out.coverage = coverage(pub.dataset, year)
    out.observations = _observations(spec, chosen)
    return out


def _return_ids(partnership: str, spec) -> dict[tuple[str, str, str], int]:
    from masa.web.accounts.access import in_partnership
    from masa.web.core.models import Return

    rows = in_partnership(Return.objects.all(), partnership).values_list(
        "pk", "partner__code", "period__code", "template__code")
    return {(p, per, t): pk for pk, p, per, t in rows}


__all__ = ["Gathered", "internal", "public"]
