"""The internal report's theme coverage block: partners × priorities and themes, counted
from the priority tags on their returns' parts (masa.compare.themes). Internal only: it is a
quality view for the business unit and board, not a published table."""

from __future__ import annotations

from masa.compare.themes import coverage

from .model import Items, Paragraph, Section, Table

TITLE = "Theme coverage: partners and priorities"


def theme_section(dataset, period: str, marking: str) -> Section:
    cov = coverage(dataset, period)
    blocks = [Paragraph(marking, kind="internal"),
              Paragraph("The number of parts of each partner's returns (sections, audits, challenges, next-year "
                        "priorities) tagged with each priority or cross-cutting theme.", kind="note")]
    if cov.partners and cov.priorities:
        header = ["Partner", *(f"{p.name}{' (theme)' if p.kind == 'theme' else ''}" for p in cov.priorities)]
        rows = [[p.name, *(str(cov.count(p.code, pr.code)) for pr in cov.priorities)] for p in cov.partners]
        blocks.append(Table(f"Parts tagged with each priority, {period}", header, rows, row_headers=1,
                            numeric_from=1, id="theme-coverage"))
    else:
        blocks.append(Paragraph("No returns or no priorities to show.", kind="note"))
    gaps = cov.uncovered()
    if gaps:
        blocks.append(Items([f"{p.name}: no statutory partner reported against it" for p in gaps],
                            title="Priorities no statutory partner reported against"))
    return Section(id="theme-coverage-section", title=TITLE, blocks=blocks)
