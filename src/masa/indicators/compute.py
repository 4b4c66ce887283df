"""Run definitions over extracts and turn the results into publishable data values.

Disclosure control happens here, before anything can leave: counts go through
``masa.disclosure.protect`` with every total-equals-sum-of-parts relation between the
margins, so small counts are "c" and cannot be worked back from totals; percentages go
through ``masa.disclosure.percent`` (a "c" when either count is 1-5). A suppressed value
is a ``DataValue`` with ``value=None`` and ``note="c"``. Any error stops the whole run:
no partial results.
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from masa.disclosure import SUPPRESSED, percent, protect
from masa.returns.model import DataValue, Provenance
from masa.spec.periods import Period, parse_period

from .calendar import create_calendar
from .compile import compile_sql
from .definition import Definition, DefinitionError, WorkingDaysWithin, unresolved_areas
from .extracts import ExtractError, ExtractInfo, Issue, load_extract, table_schemas

Progress = Callable[[str, int, int], None]
Key = tuple[tuple[str, str], ...]  # sorted (breakdown, option) pairs; () is the total


@dataclass
class ComputeResult:
    period: str
    values: list[DataValue]
    extracts: dict[str, ExtractInfo]
    sql: dict[str, str] = field(default_factory=dict)  # definition ref -> the SQL that ran
    seconds: float = 0.0
    check_seconds: float = 0.0  # of which: loading and checking the extracts

    @property
    def quarantined(self) -> int:
        return sum(e.quarantined for e in self.extracts.values())

    def to_json(self) -> str:
        return json.dumps({"period": self.period,
                           "values": [v.model_dump(mode="json", exclude_defaults=False) for v in self.values]},
                          indent=2, ensure_ascii=False)

    def write(self, path: str | Path) -> None:
        """Write atomically: a temp file in the same folder, renamed only when complete."""
        write_atomic(Path(path), self.to_json() + "\n")


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def connect(memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect(":memory:")
    conn.execute("SET enable_progress_bar = false")  # callers report progress their own way
    if memory_limit:
        conn.execute(f"SET memory_limit = '{memory_limit}'")
    return conn


def prepare(conn, definitions: list[Definition], extracts: Mapping[str, Path | str], period: Period, *,
            lenient: bool = False, pseudonymise_key: bytes | None = None,
            progress: Progress | None = None, profiles: Mapping | None = None) -> dict[str, ExtractInfo]:
    """Load and check every extract the definitions need, and the working-day calendar.
    ``profiles``: table -> source profile for extracts in an agency system's shape."""
    schemas = table_schemas(definitions)
    given = {k: Path(v) for k, v in extracts.items()}
    absent = [t for t in schemas if t not in given]
    if absent:
        raise ExtractError([Issue(t, None, f"no extract given for table {t!r}, needed by "
                                           f"{', '.join(schemas[t].used_by)}; pass --extract {t}=FILE")
                            for t in absent])
    infos: dict[str, ExtractInfo] = {}
    for i, (table, schema) in enumerate(schemas.items()):
        if progress:
            progress(f"checking {given[table].name}", i, len(schemas))
        infos[table] = load_extract(conn, schema, given[table], lenient=lenient, key=pseudonymise_key,
                                    profile=(profiles or {}).get(table))
    if any(isinstance(d, WorkingDaysWithin) for defn in definitions for d in defn.derive):
        create_calendar(conn, period.start.replace(year=period.start.year - 2, day=1),
                        period.end + timedelta(days=366))
    return infos


def compute(definitions: list[Definition], extracts: Mapping[str, Path | str], period: str, *,
            lenient: bool = False, pseudonymise_key: bytes | None = None,
            progress: Progress | None = None, memory_limit: str | None = None,
            profiles: Mapping | None = None) -> ComputeResult:
    """Compute every definition for ``period`` over the extracts (table name -> file);
    ``profiles`` (table -> masa.indicators.profiles.Profile) reads a system's export.

    Raises ``ExtractError`` (bad input), ``DefinitionError``, ``ValueError`` (bad period)
    or ``masa.disclosure.DisclosureError``; on any of them nothing is returned."""
    started = time.perf_counter()
    per = parse_period(period)
    waiting = unresolved_areas(definitions)
    if waiting:
        raise DefinitionError(waiting)
    conn = connect(memory_limit)
    try:
        infos = prepare(conn, definitions, extracts, per, lenient=lenient,
                        pseudonymise_key=pseudonymise_key, progress=progress, profiles=profiles)
        checked = time.perf_counter() - started
        at = datetime.now(UTC).replace(microsecond=0)
        values: list[DataValue] = []
        sqls: dict[str, str] = {}
        for i, defn in enumerate(definitions):
            if progress:
                progress(f"computing {defn.id}", i, len(definitions))
            sql = compile_sql(defn, per)
            sqls[defn.ref] = sql
            rows = run(conn, sql)
            info = infos[defn.source.table]
            prov = Provenance(kind="computed", source=info.file, definition=defn.ref, sha256=info.sha256,
                              rows=info.rows, quarantined=info.quarantined, computed_at=at)
            values += to_values(defn, rows, per.code, prov)
        if progress:
            progress("done", len(definitions), len(definitions))
    finally:
        conn.close()
    return ComputeResult(per.code, values, infos, sqls, time.perf_counter() - started, checked)


def run(conn, sql: str) -> list[dict]:
    """Run a compiled query on a DB-API connection (DuckDB or psycopg) and name the columns."""
    cur = conn.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def cell_keys(defn: Definition) -> list[Key]:
    """Every cell of the full table: each subset of breakdowns × each option combination."""
    dims = [(b.by, b.option_codes) for b in defn.breakdowns]
    keys: list[Key] = []
    for size in range(len(dims) + 1):
        for subset in itertools.combinations(dims, size):
            for combo in itertools.product(*(opts for _, opts in subset)):
                keys.append(tuple(sorted(zip((by for by, _ in subset), combo))))
    return keys


def results_by_key(defn: Definition, rows: list[dict]) -> dict[Key, dict]:
    out: dict[Key, dict] = {}
    for r in rows:
        key = tuple(sorted((b.by, r[f"b{i}"]) for i, b in enumerate(defn.breakdowns) if not r[f"g{i}"]))
        if any(opt is None for _, opt in key):
            raise ValueError(f"{defn.ref}: a row has no breakdown option (unmapped value got through)")
        out[key] = r
    return out


def additive_lines(defn: Definition, cells: Mapping[Key, int]) -> list[tuple[Key, list[Key]]]:
    """total = sum(parts) for each cell and each breakdown it leaves out, where that holds
    (distinct counts need not add up; a line that does not hold reveals nothing exactly)."""
    lines = []
    for key in cells:
        present = {by for by, _ in key}
        for b in defn.breakdowns:
            if b.by in present:
                continue
            parts = [tuple(sorted((*key, (b.by, o)))) for o in b.option_codes]
            if cells[key] == sum(cells[p] for p in parts):
                lines.append((key, parts))
    return lines


def _int(v) -> int:
    return int(v) if v is not None else 0


def to_values(defn: Definition, rows: list[dict], period: str, prov: Provenance) -> list[DataValue]:
    """Published data values for one definition, after disclosure control."""
    found = results_by_key(defn, rows)
    keys = cell_keys(defn)
    kind = defn.measure.kind
    out: list[DataValue] = []

    def emit(key: Key, value, note: str = "") -> None:
        out.append(DataValue.published(value, indicator=defn.indicator, period=period, by=dict(key),
                                       provenance=prov, **({"note": note} if note else {})))

    if kind in ("count", "distinct", "sum"):
        col = {"count": "n", "distinct": "d", "sum": "n"}[kind]
        counts = {k: _int(found.get(k, {}).get(col)) for k in keys}
        protected = protect(counts, additive_lines(defn, counts), threshold=defn.threshold)
        for k in keys:
            shown = protected.published[k]
            if kind == "sum" and shown != SUPPRESSED:
                s = found.get(k, {}).get("s")
                shown = float(s) if s is not None else 0.0
            emit(k, shown if shown == SUPPRESSED else float(shown))
    elif kind in ("ratio", "compliance"):
        for k in keys:
            r = found.get(k, {})
            num, den = _int(r.get("num")), _int(r.get("den"))
            if den == 0:
                emit(k, None, "no records")
            else:
                emit(k, percent(num, den, threshold=defn.threshold))
    elif kind == "share":
        of = defn.measure.of
        for k in keys:
            if of not in dict(k):
                continue
            whole = tuple(x for x in k if x[0] != of)
            num, den = _int(found.get(k, {}).get("n")), _int(found.get(whole, {}).get("n"))
            emit(k, None, "no records") if den == 0 else emit(k, percent(num, den, threshold=defn.threshold))
    return out
