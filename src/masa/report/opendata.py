"""Every published figure as open data: CSV and XLSX, one row per figure.

Text cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR)
are prefixed with a single quote, so a partner's text can never become a live formula.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .model import Report
from .safe_cells import neutralise as safe

MARK = "A3141F"  # the colour of the DRAFT / INTERNAL marking


def breakdowns_of(spec, figures) -> list[str]:
    """The breakdown codes that occur in ``figures``, in spec order: the open data's columns."""
    used = {b for f in figures for b in f.by}
    return [b.code for b in spec.breakdowns if b.code in used]


def header(report: Report) -> list[str]:
    return (["partnership", "partner", "partner_name", "indicator", "indicator_name", "unit", "period"]
            + report.breakdowns
            + ["value", "provenance_kind", "provenance_source", "provenance_definition", "provenance_sha256",
               "publication"])


def rows(report: Report) -> list[list]:
    status = ("internal-unsuppressed" if report.internal else "draft-not-for-publication" if report.draft
              else "published")
    out = []
    for f in report.figures:
        value = "" if f.value is None else f.value
        out.append([report.partnership, f.partner, f.partner_name, f.indicator, f.indicator_name, f.unit, f.period]
                   + [f.by.get(b, "") for b in report.breakdowns]
                   + [value, f.provenance_kind, f.provenance_source, f.provenance_definition, f.provenance_sha256,
                      status])
    return out


def render_csv(report: Report, path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        if report.banner:  # a draft or internal file says so before anything else
            w.writerow([report.banner])
        w.writerow(header(report))
        for r in rows(report):
            w.writerow([safe(c) for c in r])
    return path


def render_xlsx(report: Report, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Figures"
    marked = MARK if report.banner else None
    if report.banner:
        ws.append([report.banner])
    head = header(report)
    ws.append(head)
    top = ws.max_row  # the header row
    for r in rows(report):
        ws.append([safe(c) for c in r])
    for cell in ws[top]:
        cell.font = Font(bold=True)
    ws.freeze_panes = f"A{top + 1}"
    ws.auto_filter.ref = f"A{top}:{ws.cell(row=ws.max_row, column=ws.max_column).coordinate}"
    for i, name in enumerate(head, start=1):
        longest = max([len(str(c.value or "")) for c in ws[get_column_letter(i)][top - 1:]] + [len(name)])
        ws.column_dimensions[get_column_letter(i)].width = min(60, longest + 2)
    readme = wb.create_sheet("README")
    lines = [
        *([report.banner] if report.banner else []),
        report.title,
        "INTERNAL – NOT FOR PUBLICATION – unsuppressed figures" if report.internal
        else "Not published: built for review from returns not all approved." if report.draft
        else "Published figures, after disclosure control.",
        "",
        "One row per figure in the report. Columns:",
        "partnership, partner, indicator: codes from the partnership spec; *_name: their names.",
        "unit: count, percent (0-100), currency (pounds), rate, days or score.",
        "period: financial year (2024-25) or quarter (2024-25 Q1).",
        *(f"{b}: the breakdown option code; blank means all options (a total)." for b in report.breakdowns),
        "value: the figure as published. c = a count from 1 to 5, or a figure withheld so that such a "
        "count cannot be worked out. A true zero is 0. Blank = not recorded.",
        "provenance_*: how the figure was obtained (typed, imported from a file, or computed by an indicator "
        "definition over an extract with its SHA-256).",
        "Text beginning with = + - or @ is prefixed with ' so it is never run as a formula.",
    ]
    for line in lines:
        readme.append([safe(line)])
    readme.column_dimensions["A"].width = 110
    readme["A1"].font = Font(bold=True)
    if marked:
        for sheet in (ws, readme):
            sheet["A1"].font = Font(bold=True, color=marked)
    wb.save(path)
    return path
