"""The stored Section 11 assessments a partnership's yearly report summarises: those of its own
partners, for the year and the year before (masa.report.section11_block counts them)."""

from __future__ import annotations

from masa.report.section11_block import Section11Data
from masa.web.accounts.access import in_partnership

from . import service
from .models import Assessment


def section11_data(partnership: str, period: str) -> Section11Data | None:
    """None when the partnership has no Section 11 cycle at all (the report then has no block)."""
    before = service.previous_period(period)
    rows = list(in_partnership(Assessment.objects.select_related("partner", "period"), partnership)
                .filter(period__code__in=[period, before]).distinct()
                .prefetch_related("answers__actions", "answers__moderations"))
    if not rows:
        return None
    return Section11Data(standards=service.standards(), period=period, previous_period=before,
                         current=[service.to_engine(r) for r in rows if r.period.code == period],
                         previous=[service.to_engine(r) for r in rows if r.period.code == before],
                         partnership=partnership)
