"""Totals that do not equal the sum of their parts, in tab-separated or pipe tables in text."""

from __future__ import annotations

import re

from .claims import figures
from .registry import Ctx, check
from .text import Source

_TOTAL = re.compile(r"\b(total|all|overall|combined)\b", re.IGNORECASE)


def _cells(line: str) -> list[tuple[int, int]]:
    """(start, end) of each cell in a tab- or pipe-separated line, relative to the line."""
    sep = "\t" if "\t" in line else "|" if line.count("|") >= 2 or (line.count("|") == 1 and len(line) <= 120) else None
    if sep is None:
        return []
    out, pos = [], 0
    for part in line.split(sep):
        a = pos + len(part) - len(part.lstrip())
        out.append((a, a + len(part.strip())))
        pos += len(part) + 1
    if sep == "|":
        out = [c for c in out if c[1] > c[0]] if line.strip().startswith("|") else out
    return out


def _number(text: str) -> float | None:
    t = text.strip().replace("*", "")
    if re.fullmatch(r"£?\d{1,3}(?:,\d{3})*(?:\.\d+)?%?|£?\d+(?:\.\d+)?%?", t):
        return float(t.strip("£%").replace(",", ""))
    return None


def tables(src: Source) -> list[list[tuple[int, int, int]]]:
    """Runs of consecutive separated lines: each row is a list of absolute (start, end) cell spans."""
    out, run = [], []
    for m in re.finditer(r"^.*$", src.clean, re.MULTILINE):
        line = m.group()
        if re.fullmatch(r"\s*\|?[\s:|-]+\|?\s*", line) and "-" in line and run:
            continue  # markdown separator row
        cells = _cells(line)
        if len(cells) >= 2:  # a label and one figure column is a table too (checked for its total row)
            run.append([(m.start() + a, m.start() + b) for a, b in cells])
        elif line.strip() or run:
            if len(run) >= 2:
                out.append(run)
            run = []
    if len(run) >= 2:
        out.append(run)
    return out


def _total_column(header: list[str]) -> int | None:
    for i, h in enumerate(header):
        if _TOTAL.search(h):
            return i
    # "Child (0-17) | Female child | Male child | Gender not known": the first figure column
    # names the whole, most of the others name its parts
    if len(header) >= 4:
        words = set(re.findall(r"[a-z]{4,}", header[1].lower()))
        parts = [h for h in header[2:] if words & set(re.findall(r"[a-z]{4,}", h.lower()))]
        if words and len(parts) >= (len(header) - 2 + 1) // 2:
            return 1
    return None


@check("table.total-not-sum", "Total does not equal the sum of its parts", "error", "figure",
       "A table whose total disagrees with its parts means one of the figures is wrong.",
       fails=("Area\tTotal\tFemale\tMale\nNorthtown\t20\t8\t9\n",
              "Type of contact\tNumber\nReferral\t806\nAdvice\t395\nTotal\t1,210\n"),
       passes=("Area\tTotal\tFemale\tMale\nNorthtown\t20\t8\t12\n",
               "Type of contact\tNumber\nReferral\t806\nAdvice\t404\nTotal\t1,210\n"))
def total_not_sum(ctx: Ctx, chk):
    for src in ctx.sources:
        for rows in tables(src):
            header = [src.text[a:b] for a, b in rows[0]]
            col = _total_column(header)
            body = rows[1:]
            if col is not None:
                for row in body:
                    vals = [_number(src.text[a:b]) for a, b in row]
                    if col >= len(vals) or vals[col] is None:
                        continue
                    parts = [v for i, v in enumerate(vals) if i != col and i > 0 and v is not None]
                    if len(parts) >= 2 and abs(sum(parts) - vals[col]) > 1e-6:
                        a, b = row[col]
                        yield ctx.finding(chk, src, a, b,
                                          f"the {header[col].strip() or 'total'} is {vals[col]:g} but its parts "
                                          f"({' + '.join(f'{v:g}' for v in parts)}) add up to {sum(parts):g}",
                                          expected=" + ".join(f"{v:g}" for v in parts), expected_value=sum(parts))
            labels = [src.text[r[0][0]:r[0][1]] for r in body]
            for ri, label in enumerate(labels):
                if not _TOTAL.search(label) or ri == 0:
                    continue
                for ci in range(1, len(body[ri])):
                    if "%" in src.text[slice(*body[ri][ci])]:
                        continue  # a rate in the total row is worked out, not added up
                    tot = _number(src.text[slice(*body[ri][ci])])
                    parts = [_number(src.text[slice(*r[ci])]) for r in body[:ri] if ci < len(r)]
                    parts = [p for p in parts if p is not None]
                    if tot is not None and len(parts) >= 2 and abs(sum(parts) - tot) > 1e-6:
                        a, b = body[ri][ci]
                        yield ctx.finding(chk, src, a, b,
                                          f"the total row gives {tot:g} for {header[ci].strip() if ci < len(header) else 'this column'}"
                                          f" but the rows above add up to {sum(parts):g}",
                                          expected=" + ".join(f"{v:g}" for v in parts), expected_value=sum(parts))


__all__ = ["figures"]
