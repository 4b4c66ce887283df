"""Compile a definition to one portable SQL query for one period.

The SQL keeps to standard features that DuckDB and PostgreSQL share: CTEs, window
functions (LAG), CASE, EXTRACT, CAST, ``GROUP BY CUBE`` with ``GROUPING()``, DATE and
INTERVAL literals, and ``date - date`` giving days. Period bounds and the training
refresh cut-offs are computed here in Python and written in as DATE literals, which
avoids dialect-specific date arithmetic altogether. Working days come from a small
calendar table (``masa_calendar``: day, cumulative working-day number) loaded beside the
extracts, so the working-day test is a join and a subtraction.

The query returns one row per breakdown combination and per margin: columns ``b0..bn``
(option codes), ``g0..gn`` (1 where that breakdown is rolled up), and the measure
columns: ``n`` (rows), ``num``/``den`` (ratio and compliance), ``s`` (sum), ``d`` (distinct).
"""

from __future__ import annotations

from datetime import date, timedelta

from masa.spec.periods import Period

from .definition import AGE, Breakdown, Definition, Filter, HoursWithin, RepeatWithin, WorkingDaysWithin

CALENDAR = "masa_calendar"


def q(name: str) -> str:
    """Quote an identifier (names are validated as plain identifiers already)."""
    return '"' + name.replace('"', '""') + '"'


def lit(value, col_type: str | None = None) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)) and col_type not in ("text", "date", "timestamp"):
        return repr(value)
    text = "'" + str(value).replace("'", "''") + "'"
    if col_type == "date":
        return f"DATE {text}"
    if col_type == "timestamp":
        return f"TIMESTAMP {text}"
    return text


def date_lit(d: date) -> str:
    return f"DATE '{d.isoformat()}'"


def years_before(d: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return d.replace(year=d.year - years)
    except ValueError:
        return d.replace(year=d.year - years, day=28)


def _col_types(defn: Definition) -> dict[str, str]:
    types = dict(defn.source.columns)
    for d in defn.derive:
        types[d.name] = "integer"
    if defn.source.birth:
        types[AGE] = "integer"
    return types


def filter_sql(f: Filter, types: dict[str, str]) -> str:
    col, t = q(f.column), types.get(f.column)
    if f.op == "is_null":
        return f"{col} IS NULL"
    if f.op == "not_null":
        return f"{col} IS NOT NULL"
    if f.op in ("in", "not_in"):
        items = ", ".join(lit(v, t) for v in f.value)
        return f"{col} {'NOT IN' if f.op == 'not_in' else 'IN'} ({items})"
    return f"{col} {f.op} {lit(f.value, t)}"


def _where(filters: list[Filter], types: dict[str, str]) -> str:
    return " AND ".join(f"({filter_sql(f, types)})" for f in filters) or "TRUE"


def _age_sql(defn: Definition, alias: str = "t.") -> str:
    """Age in whole years at the event, from year and month of birth (a birthday is taken
    to fall on the 1st of the birth month)."""
    y, m = (alias + q(c) for c in defn.source.birth)
    d = alias + q(defn.source.date)
    return (f"(EXTRACT(YEAR FROM {d}) - {y} - CASE WHEN EXTRACT(MONTH FROM {d}) < {m} THEN 1 ELSE 0 END)")


def _derive_sql(defn: Definition) -> tuple[list[str], list[str]]:
    """Select expressions and joins for derived flags (computed before the period filter, so
    a previous referral before the period still makes this one a re-referral)."""
    exprs, joins = [], []
    src = defn.source
    for i, d in enumerate(defn.derive):
        if isinstance(d, RepeatWithin):
            day = f"CAST(t.{q(src.date)} AS DATE)"
            prev = f"LAG({day}) OVER (PARTITION BY t.{q(src.person)} ORDER BY {day}, t.{q(src.id)})"
            exprs.append(f"CASE WHEN {day} - {prev} <= {d.days} THEN 1 ELSE 0 END AS {q(d.name)}")
        elif isinstance(d, WorkingDaysWithin):
            a, b = f"c{i}a", f"c{i}b"
            joins.append(f"LEFT JOIN {CALENDAR} {a} ON {a}.day = CAST(t.{q(d.start)} AS DATE)")
            joins.append(f"LEFT JOIN {CALENDAR} {b} ON {b}.day = CAST(t.{q(d.end)} AS DATE)")
            exprs.append(f"CASE WHEN t.{q(d.end)} >= t.{q(d.start)} AND {b}.wd - {a}.wd <= {d.days} "
                         f"THEN 1 ELSE 0 END AS {q(d.name)}")
        elif isinstance(d, HoursWithin):
            s, e = f"t.{q(d.start)}", f"t.{q(d.end)}"
            exprs.append(f"CASE WHEN {e} >= {s} AND {e} <= {s} + INTERVAL '{d.hours} hours' "
                         f"THEN 1 ELSE 0 END AS {q(d.name)}")
    return exprs, joins


def breakdown_sql(b: Breakdown, types: dict[str, str]) -> str:
    if b.age_bands:
        parts = []
        for band in b.age_bands:
            cond = " AND ".join(
                x for x in ([f"{q(AGE)} >= {band.min}"] if band.min else [])
                + ([f"{q(AGE)} <= {band.max}"] if band.max is not None else [])
            ) or "TRUE"
            parts.append(f"WHEN {cond} THEN {lit(band.option)}")
        return f"CASE {' '.join(parts)} END"
    col = q(b.column)
    if types.get(b.column) != "text":
        col = f"CAST({col} AS VARCHAR)"
    whens = " ".join(f"WHEN {col} = {lit(raw)} THEN {lit(opt)}" for raw, opt in b.value_map.items())
    missing = lit(b.missing) if b.missing else "NULL"
    other = lit(b.other) if b.other else "NULL"
    return f"CASE WHEN {col} IS NULL THEN {missing} {whens} ELSE {other} END"


def period_window(defn: Definition, period: Period) -> str:
    d = q(defn.source.date)
    return f"{d} >= {date_lit(period.start)} AND {d} < {date_lit(period.end + timedelta(days=1))}"


def look_back_window(defn: Definition, period: Period) -> str | None:
    """For an event definition with a ``repeat_within_days`` flag: only the records that can
    matter, those dated from ``days`` before the period start to its end. An earlier record
    is more than ``days`` before every record in the period, so it can never make one a
    repeat, and a later one never comes before one; leaving both out of the window (LAG)
    changes no flag in the period and sorts far fewer rows in an extract of many years."""
    days = [d.days for d in defn.derive if isinstance(d, RepeatWithin)]
    if defn.period != "event" or not days:
        return None
    day = f"CAST(t.{q(defn.source.date)} AS DATE)"
    return (f"{day} >= {date_lit(period.start - timedelta(days=max(days)))} "
            f"AND {day} < {date_lit(period.end + timedelta(days=1))}")


def needed_columns(defn: Definition) -> list[str]:
    """The declared columns the query reads: a window over fewer columns sorts less."""
    src, m = defn.source, defn.measure
    used = {src.date, src.id}
    for f in [*defn.filters, *m.numerator, *m.denominator]:
        used.add(f.column)
    used |= {b.column for b in defn.breakdowns if b.column}
    if any(b.age_bands for b in defn.breakdowns) or AGE in used:
        used |= set(src.birth or ())
    for d in defn.derive:
        used |= {getattr(d, "start", None), getattr(d, "end", None)}
        if isinstance(d, RepeatWithin):
            used.add(src.person)
    used |= {m.column, m.level, m.completed}
    if m.kind == "compliance":
        used.add(src.person)
    return [c for c in src.columns if c in used]


def compile_sql(defn: Definition, period: Period) -> str:
    """The whole query for one definition and one period (see module docstring)."""
    types = _col_types(defn)
    src = defn.source
    cols = [f"t.{q(c)}" for c in needed_columns(defn)]
    if src.birth and set(src.birth) <= set(needed_columns(defn)):
        cols.append(f"{_age_sql(defn)} AS {q(AGE)}")
    dexprs, joins = _derive_sql(defn)
    base = f"SELECT {', '.join(cols + dexprs)} FROM {q(src.table)} t {' '.join(joins)}".strip()
    look_back = look_back_window(defn, period)
    if look_back:
        base += f" WHERE {look_back}"

    bsel = [f"{breakdown_sql(b, types)} AS b{i}" for i, b in enumerate(defn.breakdowns)]
    conds = [_where(defn.filters, types)]
    if defn.period == "event":
        conds.append(period_window(defn, period))
    filtered = f"SELECT *{''.join(', ' + x for x in bsel)} FROM base WHERE {' AND '.join(conds)}"

    bcols = [f"b{i}" for i in range(len(defn.breakdowns))]
    gcols = [f"GROUPING(b{i}) AS g{i}" for i in range(len(defn.breakdowns))]
    group = f" GROUP BY CUBE({', '.join(bcols)})" if bcols else ""
    m = defn.measure
    ctes = [f"base AS ({base})", f"f AS ({filtered})"]

    if m.kind == "compliance":
        cut = _cutoff_sql(defn, period)
        keys = [q(src.person), q(m.column), *bcols]  # one row per person per course
        per_person = (f"SELECT {', '.join(keys)}, MAX({q(m.level)}) AS lvl, "
                      f"MAX(CASE WHEN {q(m.completed)} <= {date_lit(period.end)} THEN {q(m.completed)} END) AS latest "
                      f"FROM f GROUP BY {', '.join(keys)}")
        ctes.append(f"p AS ({per_person})")
        measures = ["COUNT(*) AS den", f"SUM(CASE WHEN latest > {cut} THEN 1 ELSE 0 END) AS num"]
        source = "p"
    else:
        source = "f"
        measures = ["COUNT(*) AS n"]
        if m.kind == "distinct":
            measures.append(f"COUNT(DISTINCT {q(m.column)}) AS d")
        elif m.kind == "sum":
            measures.append(f"SUM({q(m.column)}) AS s")
        elif m.kind == "ratio":
            den = _where(m.denominator, types)
            num = _where(m.numerator, types)
            measures.append(f"SUM(CASE WHEN ({den}) AND ({num}) THEN 1 ELSE 0 END) AS num")
            measures.append(f"SUM(CASE WHEN {den} THEN 1 ELSE 0 END) AS den")
    select = ", ".join([*bcols, *gcols, *measures])
    return f"WITH {', '.join(ctes)} SELECT {select} FROM {source}{group}"


def _cutoff_sql(defn: Definition, period: Period) -> str:
    """Completions on or before this date are out of date at the period end.

    A completion exactly ``years`` old on the period end is out of date: the refresher
    falls due on the anniversary (so 3-yearly training done on 31 March 2022 no longer
    counts on 31 March 2025)."""
    m = defn.measure
    default = date_lit(years_before(period.end, m.default_refresh_years))
    if not m.refresh_years:
        return default
    whens = " ".join(f"WHEN {lvl} THEN {date_lit(years_before(period.end, yrs))}"
                     for lvl, yrs in sorted(m.refresh_years.items()))
    return f"CASE lvl {whens} ELSE {default} END"
