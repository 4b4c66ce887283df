"""Helpers for black-box tests of the public surface: drive a return through the workflow as
the real roles, read every public exit over HTTP, and check what an outsider could work out.

The three exits are read as a reader would: the public page's figure tables, the API's JSON
and the site's open-data CSV. Each becomes ``{(partner, indicator, breakdown key): value}``
with values normalised (``"c"``, a float, or ``None`` for no figure), so exits can be compared
cell for cell. If the page's table layout changes, ``page_cells`` is the one place to adjust.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from fractions import Fraction
from html.parser import HTMLParser

PERIOD = "2024-25"
IND = "child_safeguarding_referrals"  # a count with area and sex breakdowns, entered by bfrs
# Narrative with no small counts, initials or claims, so the real checks do not block approval.
CLEAN_TEXT = "Crews made safeguarding referrals for children across the three areas this year."

Cell = tuple[str, str, str]  # partner, indicator, breakdown key ("area=luton;sex=female")


def by_key(by: dict[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in sorted(by.items()))


def parse_key(key: str) -> dict[str, str]:
    return dict(p.split("=", 1) for p in key.split(";") if p)


def norm(value):
    """'c' stays 'c'; numbers (12, '12', '12.0', '99%', '1,200') become floats; no figure is None."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().removesuffix("%").replace(",", "").strip()
    if text.lower() in ("", "not recorded", "–", "-", "—"):
        return None
    if text.lower() == "c":
        return "c"
    try:
        return float(text)
    except ValueError:
        return text


# --- driving the workflow as the real roles ----------------------------------------------------

def status_of(row) -> str:
    from masa.web.core.models import Return

    return Return.objects.get(pk=row.pk).status


def enter(client, web, row, figures: dict[str, object], who: str = "contributor", **fields) -> None:
    """Save the return through the web form as a partner: every figure cell is cleared except
    ``figures`` (breakdown key → value for IND, or "indicator|key" → value)."""
    from tests.web.conftest import post_for

    client.force_login(web.users[who])
    data = {k: ("" if k.startswith("fig|") else v) for k, v in post_for(row).items()}
    for key, value in figures.items():
        name = f"fig|{key}" if "|" in key else f"fig|{IND}|{key}"
        data[name] = "" if value is None else str(value)
    data.update(fields)
    r = client.post(f"/returns/{row.pk}/", data)
    assert r.status_code == 302, f"the partner's save was refused ({r.status_code}): " + _errors(r)


def act(client, web, row, who: str, action: str, **extra):
    client.force_login(web.users[who])
    confirm = {"confirm": "yes"} if action == "publish" else {}  # the page's confirmation step, answered
    return client.post(f"/returns/{row.pk}/action/", {"action": action, **confirm, **extra}, follow=True)


def take_to(client, web, row, target: str) -> None:
    """submit (partner approver) → approve → publish (business unit), stopping at ``target``;
    each step must really happen."""
    steps = [("approver", "submit", "submitted"), ("bu", "approve", "approved"), ("bu", "publish", "published")]
    for who, action, status in steps:
        r = act(client, web, row, who, action)
        assert status_of(row) == status, f"{action} did not happen: " + _errors(r)
        if status == target:
            break
    client.logout()


def publish_figures(client, web, figures: dict[str, object], target: str = "published"):
    """The bfrs Appendix B draft entered with ``figures`` and taken to ``target``."""
    enter(client, web, web.draft, figures, **{"sec-achievements-0-text": CLEAN_TEXT})
    take_to(client, web, web.draft, target)
    return web.draft


def _errors(r) -> str:
    html = r.content.decode(errors="replace")
    found = re.findall(r'class="govuk-(?:error-message|error-summary__list|notification-banner__heading)[^"]*"[^>]*>(.*?)</',
                       html, re.DOTALL)
    return " | ".join(re.sub(r"<[^>]+>|\s+", " ", f).strip() for f in found)[:600] or html[:300]


# --- reading the public exits ---------------------------------------------------------------

def api_cells(client, period: str = PERIOD) -> dict[Cell, object]:
    r = client.get(f"/api/published/{period}/figures")
    if r.status_code == 404:
        return {}
    assert r.status_code == 200, r.content[:300]
    return {(f["partner"], f["indicator"], by_key(f.get("breakdown") or {})): norm(f["value"]) for f in r.json()
            if f.get("period", period) == period}


def csv_cells(client, spec, period: str = PERIOD, url: str = "") -> dict[Cell, object]:
    r = client.get(url or f"/published/{period}/figures.csv")
    if r.status_code == 404:
        return {}
    assert r.status_code == 200, r.content[:300]
    rows = list(csv.DictReader(io.StringIO(b"".join(r).decode("utf-8-sig") if r.streaming
                                           else r.content.decode("utf-8-sig"))))
    dims = [b.code for b in spec.breakdowns]
    out = {}
    for row in rows:
        if (row.get("period") or period) != period:
            continue  # earlier years, should an exit add them, are other cells
        if "breakdown" in row:
            key = row["breakdown"] or ""
        else:  # one column per breakdown, as in the report's open data
            key = by_key({d: row[d] for d in dims if row.get(d)})
        out[(row["partner"], row["indicator"], key)] = norm(row["value"])
    return out


class _Tables(HTMLParser):
    """Rows of every table, each tagged with the text of the nearest h2 above it."""

    def __init__(self):
        super().__init__()
        self.rows, self.h2, self._in_h2, self._row, self._cell = [], "", False, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "h2":
            self._in_h2, self.h2 = True, ""
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_h2 = False
        elif tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append((self.h2, self._row))
            self._row = None

    def handle_data(self, data):
        if self._in_h2:
            self.h2 += data
        if self._cell is not None:
            self._cell += data


def _displays(spec, indicator) -> dict[str, str]:
    """Every breakdown combination of an indicator as the page names it ('Luton, Female',
    in the indicator's breakdown order as the report prints it; 'All' for the total)."""
    out = {}
    dims = list(indicator.breakdowns)
    for n in range(len(dims) + 1):
        for chosen in itertools.combinations(dims, n):
            for opts in itertools.product(*(spec.options(d) for d in chosen)):
                by = dict(zip(chosen, opts))
                text = ", ".join(spec.option_name(d, by[d]) for d in dims if d in by) or "All"
                out[" ".join(text.split())] = by_key(by)
    return out


def page_cells(client, spec, period: str = PERIOD) -> dict[Cell, object]:
    r = client.get(f"/published/{period}/")
    if r.status_code == 404:
        return {}
    assert r.status_code == 200
    parser = _Tables()
    parser.feed(r.content.decode())
    names = {i.name: i for i in spec.indicators}
    partners = sorted(spec.partners, key=lambda p: -len(p.name))
    out = {}
    for h2, cells in parser.rows:
        if len(cells) < 3 or cells[0] not in names:
            continue
        partner = next((p.code for p in partners if h2.strip().startswith(p.name)), None)
        assert partner, f"figures under a heading naming no partner: {h2!r}"
        ind = names[cells[0]]
        key = _displays(spec, ind).get(cells[1])
        assert key is not None, f"the public page names a breakdown no spec option matches: {cells[1]!r}"
        if len(cells) >= 4:  # indicator, breakdown, period, value
            if cells[2] != period:
                continue  # the year before and quarters are other cells
            out[(partner, ind.code, key)] = norm(cells[3])
        else:
            out[(partner, ind.code, key)] = norm(cells[2])
    return out


def exits(client, spec, period: str = PERIOD) -> dict[str, dict[Cell, object]]:
    """What an anonymous reader gets from each public exit."""
    client.logout()
    return {"public page": page_cells(client, spec, period), "API": api_cells(client, period),
            "site CSV": csv_cells(client, spec, period)}


def shown_for(client, spec, partner: str, ind: str = IND) -> dict[str, list]:
    """Per exit, the cells of one partner's indicator an anonymous reader gets."""
    return {name: sorted(k for (p, i, k) in cells if p == partner and i == ind)
            for name, cells in exits(client, spec).items()}


def public_text(client, period: str = PERIOD) -> str:
    """Everything an anonymous reader can download for a period, as one string."""
    client.logout()
    parts = [client.get(u) for u in (f"/published/{period}/", f"/published/{period}/figures.csv",
                                      f"/api/published/{period}/figures", "/published/", "/api/published/periods")]
    return "\n".join(p.content.decode("utf-8-sig", errors="replace") for p in parts)


# --- what an outsider could work out --------------------------------------------------------

def _rank(rows: list[list[Fraction]]) -> int:
    rows = [r[:] for r in rows]
    rank, cols = 0, len(rows[0]) if rows else 0
    for c in range(cols):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][c] != 0:
                f = rows[i][c] / rows[rank][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank])]
        rank += 1
    return rank


def recoverable(cells: dict[Cell, object], spec) -> dict[Cell, str]:
    """Suppressed cells ('c') an outsider can work out exactly from the published cells, using
    only that a total equals the sum of its parts over every option of one more breakdown, and
    that counts are not negative. Independent of masa.disclosure on purpose."""
    found: dict[Cell, str] = {}
    units = {i.code: i for i in spec.indicators}
    groups: dict[tuple[str, str], dict[str, object]] = {}
    for (partner, ind, key), v in cells.items():
        if ind in units and units[ind].unit == "count":
            groups.setdefault((partner, ind), {})[key] = v
    for (partner, ind), shown in groups.items():
        eqs = []  # (total key, [part keys])
        for key in shown:
            by = parse_key(key)
            for d in units[ind].breakdowns:
                if d in by:
                    continue
                parts = [by_key({**by, d: o}) for o in spec.options(d)]
                if all(p in shown for p in parts):
                    eqs.append((key, parts))
        # a cell shown as "not recorded" is as unknown to an outsider as a "c"
        unknown = sorted(k for k, v in shown.items() if v in ("c", None))
        if "c" not in shown.values() or not eqs:
            continue
        col = {k: i for i, k in enumerate(unknown)}
        rows = []
        for total, parts in eqs:
            row = [Fraction(0)] * len(unknown)
            for k, sign in [(total, 1)] + [(p, -1) for p in parts]:
                if k in col:
                    row[col[k]] += sign
            if any(row):
                rows.append(row)
            # parts left to explain nothing: every hidden part is 0
            known = [shown[p] for p in parts if shown[p] != "c"]
            hidden = [p for p in parts if shown[p] == "c"]
            if shown[total] not in ("c", None) and None not in known and hidden and shown[total] == sum(known):
                for p in hidden:
                    found[(partner, ind, p)] = f"{total or 'total'} equals its shown parts, so {p} is 0"
        base = _rank(rows)
        for k in (k for k in unknown if shown[k] == "c"):
            unit = [Fraction(int(i == col[k])) for i in range(len(unknown))]
            if rows and _rank(rows + [unit]) == base:
                found[(partner, ind, k)] = "follows exactly from the shown totals and parts"
    return found


def describe(cells: dict[Cell, object], partner: str, ind: str = IND) -> str:
    """One line a person reads: 'area=luton 13 · area=luton;sex=female c · …'."""
    return " · ".join(f"{k or 'total'} {v}" for (p, i, k), v in sorted(cells.items()) if p == partner and i == ind)
