"""Spreadsheet output that a partner's text cannot turn into a live formula.

A text cell starting with = + - @, tab or carriage return is what Excel and LibreOffice would
run as a formula (CSV/formula injection); it gets a leading apostrophe. Numbers pass. Every
CSV and XLSX masa writes (open data, figure templates, registers, heatmaps, the dataset) goes
through here, so the rule lives in one place.
"""

from __future__ import annotations

import csv
import io

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell):
    """Text a spreadsheet could treat as a formula gets a leading apostrophe; numbers pass."""
    if isinstance(cell, str) and cell.startswith(DANGEROUS):
        return "'" + cell
    return cell


def csv_bytes(rows: list[list]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads it as UTF-8), CRLF line ends."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for r in rows:
        w.writerow([neutralise(c) for c in r])
    return buf.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows: list[list], title: str = "figures") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    for r in rows:
        ws.append([neutralise(c) for c in r])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
