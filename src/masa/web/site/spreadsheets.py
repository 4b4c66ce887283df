"""Figures spreadsheets: a pre-filled template to download, and uploads read back safely.

Uploads are limited in size and type; XLSX files are checked for zip bombs before openpyxl
opens them; every bad cell is reported by row and column. A formula or a spreadsheet error
value is refused, naming its cell, rather than read as empty: an upload never blanks a figure
because a cell could not be read. Exported cells that a spreadsheet
would run as a formula (starting with = + - @, tab or carriage return) are neutralised.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

# The one rule for safe spreadsheet cells, shared with the engines (no Django there).
from masa.report.safe_cells import DANGEROUS, csv_bytes, neutralise, xlsx_bytes  # noqa: F401

from .returnform import by_key, parse_by_key, parse_number

HEADER = ["indicator", "breakdown", "label", "last_year", "value"]
MAX_ROWS = 5000
MAX_UNZIPPED = 20 * 1024 * 1024

def template_rows(cells) -> list[list]:
    return [HEADER] + [[c.indicator, by_key(c.by), c.label, c.last_year, c.value] for c in cells]


class UploadError(ValueError):
    pass


@dataclass
class CellError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


def read_upload(name: str, data: bytes, max_bytes: int) -> list[list[str]]:
    """Rows of text from an uploaded CSV or XLSX, or UploadError saying what is wrong."""
    if not data:
        raise UploadError("The file is empty")
    if len(data) > max_bytes:
        raise UploadError(f"The file is {len(data) / 1024:.0f} KB; the limit is {max_bytes // 1024} KB")
    lower = name.lower()
    if lower.endswith(".xlsx"):
        if not data.startswith(b"PK"):
            raise UploadError(f"{name} is not an Excel workbook (.xlsx): its content is not a zip package")
        return _xlsx_rows(name, data)
    if lower.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UploadError(f"{name} is not UTF-8 text (byte {exc.start}); save it as CSV UTF-8") from None
        if "\x00" in text:
            raise UploadError(f"{name} contains binary data; it is not a CSV file")
        try:
            return [row for row in csv.reader(io.StringIO(text))]
        except csv.Error as exc:
            raise UploadError(f"{name} is not a readable CSV file: {exc}") from None
    raise UploadError(f"{name}: upload a .xlsx or .csv file (other types are not accepted)")


def _xlsx_rows(name: str, data: bytes) -> list[list[str]]:
    from masa.ingest.errors import IngestError
    from masa.ingest.readers.guard import MAX_UNZIPPED_FACTOR, check_zip

    try:  # the import engine's zip-bomb limits (one copy), before openpyxl unpacks anything
        check_zip(name, MAX_UNZIPPED // MAX_UNZIPPED_FACTOR, "xl/workbook.xml", "Excel workbook", data=data)
    except IngestError as exc:
        raise UploadError(str(exc)) from None
    from openpyxl import load_workbook

    try:
        # Not data_only: a formula must be seen as a formula. Its cached result may be stale
        # or absent (files written by scripts have none), and reading it as empty would blank
        # the stored figure.
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:
        raise UploadError(f"{name} could not be read as a workbook: {type(exc).__name__}") from None
    try:
        return _sheet_rows(name, wb.worksheets[0])
    finally:
        wb.close()


def _sheet_rows(name: str, ws) -> list[list[str]]:
    """Every row as text; a formula or an error value refuses the upload, naming its cell."""
    from openpyxl.utils import get_column_letter

    rows, unreadable = [], []
    for i, r in enumerate(ws.iter_rows(), start=1):
        if i > MAX_ROWS + 1:
            raise UploadError(f"{name} has more than {MAX_ROWS} rows")
        texts = []
        for j, cell in enumerate(r, start=1):
            value, kind = cell.value, getattr(cell, "data_type", "n")
            where = f"Sheet {ws.title}, cell {get_column_letter(j)}{i}"
            if kind == "f" or not isinstance(value, (str, int, float, type(None))):
                formula = getattr(value, "text", None) or str(value)  # array formulas are objects
                unreadable.append(f"{where}: a formula ({_short(formula)}) cannot be uploaded; type the value")
                value = ""
            elif kind == "e":
                unreadable.append(f"{where}: the spreadsheet error {_short(str(value))} cannot be uploaded; "
                                  "type the value")
                value = ""
            if type(value) in (int, float) and "%" in (getattr(cell, "number_format", "") or ""):
                texts.append(_percent(value))  # shown as 83%, held as 0.83
                continue
            texts.append("" if value is None else (f"{value:g}" if isinstance(value, float) else str(value)))
        rows.append(texts)
    if unreadable:
        more = len(unreadable) - 1
        raise UploadError(unreadable[0] + (f" (and {more} more such cell{'s' if more > 1 else ''})" if more else ""))
    return rows


def _percent(value: float) -> str:
    """A percentage-formatted cell as the text a person sees in it ("83%"), without float noise."""
    x = round(value * 100, 9)
    return f"{int(x) if x == int(x) else x}%"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def figures_from_rows(rows: list[list[str]], spec) -> tuple[dict[str, str], list[CellError]]:
    """Map rows (with a header) to form fields ``fig|indicator|breakdown`` → value text."""
    errors: list[CellError] = []
    if not rows:
        return {}, [CellError(1, "A", "the sheet is empty; download the template to see the layout")]
    head = [h.strip().lower() for h in rows[0]]
    missing = [h for h in ("indicator", "breakdown", "value") if h not in head]
    if missing:
        return {}, [CellError(1, ", ".join(missing), f"missing column(s) {', '.join(missing)}; "
                                                      f"the header row must name: {', '.join(HEADER)}")]
    col = {h: head.index(h) for h in ("indicator", "breakdown", "value")}
    letter = {h: chr(ord("A") + i) if i < 26 else str(i + 1) for h, i in col.items()}
    known = {i.code: i for i in spec.indicators}
    out: dict[str, str] = {}
    for n, row in enumerate(rows[1:], start=2):
        cells = {h: (row[i].strip() if i < len(row) and row[i] is not None else "") for h, i in col.items()}
        if not any(cells.values()):
            continue
        ind = cells["indicator"]
        if ind not in known:
            errors.append(CellError(n, letter["indicator"], f"unknown indicator {ind[:60]!r}"))
            continue
        try:
            by = parse_by_key(cells["breakdown"])
        except ValueError as exc:
            errors.append(CellError(n, letter["breakdown"], f"write breakdowns as breakdown=option;…: {exc}"))
            continue
        bad = [d for d in by if d not in known[ind].breakdowns]
        if bad:
            errors.append(CellError(n, letter["breakdown"], f"{ind} has no breakdown {bad[0]!r}; it has: "
                                                            f"{', '.join(known[ind].breakdowns) or 'none'}"))
            continue
        wrong = [(d, o) for d, o in by.items() if o not in spec.options(d)]
        if wrong:
            d, o = wrong[0]
            errors.append(CellError(n, letter["breakdown"], f"{o!r} is not an option of {d}; options: "
                                                            f"{', '.join(spec.options(d))}"))
            continue
        if cells["value"].startswith("="):
            errors.append(CellError(n, letter["value"], f"a formula ({_short(cells['value'])}) cannot be uploaded; "
                                                        "type the value"))
            continue
        if cells["value"].endswith("%") and known[ind].unit != "percent":
            errors.append(CellError(n, letter["value"], f"{cells['value'][:20]} is a percentage, but {ind} is a "
                                                        f"{known[ind].unit}; type the number"))
            continue
        if cells["value"]:
            try:
                parse_number(cells["value"])
            except ValueError as exc:
                errors.append(CellError(n, letter["value"], str(exc)))
                continue
        out[f"fig|{ind}|{by_key(by)}"] = cells["value"]
    return out, errors
