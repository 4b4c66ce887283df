"""Load record-level extracts (CSV, XLSX, Parquet) into DuckDB and check them first.

Every problem is reported with the file, the column, the count and the first 20 row
numbers. Row numbers are counted as in a spreadsheet: the header is row 1, the first
record row 2 (for Parquet, record n is row n + 1 likewise). Without ``lenient`` any
problem stops the run; with it, the offending rows are quarantined and counted.

After checking, each table is exposed under its definition name as a clean, typed view
or table holding only the declared columns: the compiled SQL never sees anything else.
"""

from __future__ import annotations

import hashlib
import hmac
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb

from masa.spec.yamlsource import Location

from .compile import q
from .definition import Definition, DefinitionError

MAX_ROWS_LISTED = 20
TYPE_WORDS = {"integer": "a whole number", "number": "a number", "date": "a date",
              "timestamp": "a date and time", "boolean": "yes/no", "text": "text"}
_SQL_TYPES = {"integer": "BIGINT", "number": "DOUBLE", "date": "DATE", "timestamp": "TIMESTAMP",
              "boolean": "BOOLEAN", "text": "VARCHAR"}
_NATIVE = {  # DuckDB source types that already satisfy a declared type
    "integer": {"BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT"},
    "number": {"DOUBLE", "FLOAT", "BIGINT", "INTEGER", "SMALLINT", "TINYINT"},
    "date": {"DATE"}, "timestamp": {"TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S"},
    "boolean": {"BOOLEAN"}, "text": {"VARCHAR"},
}


@dataclass(frozen=True)
class Issue:
    """One kind of problem in one column of one extract file."""

    file: str
    column: str | None
    problem: str
    count: int = 0
    rows: tuple[int, ...] = ()

    def __str__(self) -> str:
        where = f"{self.file}: column {self.column!r}: " if self.column else f"{self.file}: "
        if not self.count:
            return where + self.problem
        listed = ", ".join(map(str, self.rows)) + (", ..." if self.count > len(self.rows) else "")
        return f"{where}{self.count} row{'s' if self.count != 1 else ''} {self.problem} (row{'s' if self.count != 1 else ''} {listed})"


class ExtractError(ValueError):
    """Extracts that cannot be used; nothing is computed or written."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


@dataclass
class TableSchema:
    """Everything the definitions need from one extract table, merged across definitions."""

    table: str
    columns: dict[str, str] = field(default_factory=dict)
    not_null: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    persons: set[str] = field(default_factory=set)
    allowed: dict[str, tuple[set[str], bool]] = field(default_factory=dict)  # column -> (values, null ok)
    used_by: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ExtractInfo:
    """Provenance of one loaded extract."""

    table: str
    file: str
    sha256: str
    rows: int
    quarantined: int


def table_schemas(definitions: list[Definition]) -> dict[str, TableSchema]:
    out: dict[str, TableSchema] = {}
    origin: dict[tuple[str, str], str] = {}
    problems: list[tuple[Location, str]] = []
    for d in definitions:
        s = out.setdefault(d.source.table, TableSchema(d.source.table))
        s.used_by.append(d.id)
        for col, typ in d.source.columns.items():
            if col in s.columns and s.columns[col] != typ:
                problems.append((Location(d.file, None, f"source.columns.{col}"),
                                 (f"{d.id}: column {col!r} of table {d.source.table!r} has type {typ!r} here "
                                 f"but {s.columns[col]!r} in {origin[(s.table, col)]}")))
                continue
            s.columns[col] = typ
            origin.setdefault((s.table, col), d.file or d.id)
        s.not_null |= set(d.source.not_null)
        s.ids.add(d.source.id)
        if d.source.person:
            s.persons.add(d.source.person)
        for b in d.breakdowns:
            if b.column and b.other is None:
                values = set(b.value_map)
                old = s.allowed.get(b.column)
                null_ok = b.missing is not None
                if old:
                    values, null_ok = values & old[0], null_ok and old[1]
                s.allowed[b.column] = (values, null_ok)
    if problems:
        raise DefinitionError(problems)
    return out


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _xlsx_cell(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def _register_raw(conn, raw: str, path: Path, keep=None) -> None:
    """Create ``raw`` with the file's columns plus ``_row`` (spreadsheet row number).
    ``keep(header) -> columns``, if given, chooses which CSV columns are loaded at all (a
    source profile keeps free text out of memory)."""
    suffix = path.suffix.lower()
    if suffix in (".parquet", ".pq"):
        conn.execute(f"CREATE VIEW {q(raw)} AS SELECT * EXCLUDE (file_row_number), file_row_number + 2 AS _row "
                     f"FROM read_parquet({_sql_str(str(path))}, file_row_number = true)")
    elif suffix in (".csv", ".txt", ".tsv"):
        reader = f"read_csv({_sql_str(str(path))}, header = true, all_varchar = true, auto_detect = true)"
        cols = "*"
        if keep is not None:
            header = [r[0] for r in conn.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()]
            cols = ", ".join(q(c) for c in keep(header)) or "*"
        conn.execute(f"CREATE TABLE {q(raw + '_csv')} AS SELECT {cols} FROM {reader}")
        conn.execute(f"CREATE VIEW {q(raw)} AS SELECT *, rowid + 2 AS _row FROM {q(raw + '_csv')}")
    elif suffix in (".xlsx", ".xlsm"):
        _register_xlsx(conn, raw, path)
    else:
        raise ExtractError([Issue(path.name, None, f"unsupported file type {suffix or '(none)'!r}: "
                                                   "use .csv, .xlsx or .parquet")])


def _guard_xlsx(path: Path) -> None:
    """The import engine's size and zip-bomb limits, checked before openpyxl unpacks anything."""
    from masa.ingest.errors import IngestError
    from masa.ingest.readers import guard

    try:
        guard.check_size(path, guard.DEFAULT_MAX_BYTES)
        guard.check_zip(path, guard.DEFAULT_MAX_BYTES, "xl/workbook.xml", "Excel workbook")
    except IngestError as exc:
        raise ExtractError([Issue(path.name, None, exc.reason)]) from None


def _register_xlsx(conn, raw: str, path: Path) -> None:
    import openpyxl

    _guard_xlsx(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for damaged files
        raise ExtractError([Issue(path.name, None, f"cannot be opened as a spreadsheet ({exc})")]) from None
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = next(rows, None)
        if not header or all(h is None for h in header):
            raise ExtractError([Issue(path.name, None, "is empty: no header row")])
        names = [str(h).strip() if h is not None else f"column{i + 1}" for i, h in enumerate(header)]
        data = []
        for i, row in enumerate(rows):
            cells = [_xlsx_cell(v) for v in row[: len(names)]]
            if any(c is not None for c in cells):
                data.append([*cells, *[None] * (len(names) - len(cells)), i + 2])
    finally:
        wb.close()
    cols = ", ".join(f"{q(n)} VARCHAR" for n in names)
    conn.execute(f"CREATE TABLE {q(raw)} ({cols}, _row BIGINT)")
    if data:
        conn.executemany(f"INSERT INTO {q(raw)} VALUES ({', '.join('?' * (len(names) + 1))})", data)


def _parse(col: str, typ: str, source_type: str) -> str:
    """SQL turning a raw column into the declared type; NULL when it cannot be read."""
    c = q(col)
    if source_type in _NATIVE[typ]:
        return c if typ != "number" else f"CAST({c} AS DOUBLE)"
    t = f"NULLIF(TRIM(CAST({c} AS VARCHAR)), '')"
    if typ == "text":
        return t
    if typ == "integer":
        return f"TRY_CAST({t} AS BIGINT)"
    if typ == "number":
        return f"TRY_CAST({t} AS DOUBLE)"
    if typ == "date":
        return f"COALESCE(TRY_CAST({t} AS DATE), TRY_CAST(TRY_STRPTIME({t}, '%d/%m/%Y') AS DATE))"
    if typ == "timestamp":
        return (f"COALESCE(TRY_CAST({t} AS TIMESTAMP), "
                f"TRY_STRPTIME({t}, ['%d/%m/%Y %H:%M', '%d/%m/%Y %H:%M:%S']))")
    if typ == "boolean":
        return (f"CASE WHEN lower({t}) IN ('true', 'yes', 'y', '1') THEN TRUE "
                f"WHEN lower({t}) IN ('false', 'no', 'n', '0') THEN FALSE END")
    raise AssertionError(typ)


def _blank(col: str, source_type: str, trimmed: bool) -> str:
    """Empty: NULL, or '' (after trimming, for text-only sources such as CSV and XLSX)."""
    c = q(col)
    if source_type == "VARCHAR":
        return f"({c} IS NULL OR TRIM({c}) = '')" if trimmed else f"({c} IS NULL OR {c} = '')"
    return f"({c} IS NULL)"


FLAG_BITS = 62  # rule flags packed per BIGINT, kept clear of the sign bit


def check_pass_sql(src: str, conds: list[str], id_hashes: list[str]) -> str:
    """The record checks of one extract as ONE query over ``src``: ``COUNT(*)``, then the
    number of rows meeting each condition in ``conds`` (one per rule), then for each column
    of ``id_hashes`` (an id's hash, NULL for no id) the number of neighbouring equal hashes
    once sorted: 0 proves there is no duplicate id; more means a duplicate, or a 64-bit
    collision that the exact search in ``load_extract`` rules out. Each row's rule results
    travel through that sort packed as bits of a BIGINT (``f0``, ``f1``, ...), not as the
    columns they came from."""
    chunks = [conds[i:i + FLAG_BITS] for i in range(0, len(conds), FLAG_BITS)]
    flags = [" + ".join(f"CASE WHEN {c} THEN CAST({1 << b} AS BIGINT) ELSE 0 END" for b, c in enumerate(chunk))
             + f" AS f{k}" for k, chunk in enumerate(chunks)]
    hashes = [f"{q(h)} AS h{i}" for i, h in enumerate(id_hashes)]
    rows = f"SELECT {', '.join(flags + hashes) or '1 AS one'} FROM {src}"
    if id_hashes:
        lags = [f"LAG(h{i}) OVER (ORDER BY h{i}) AS p{i}" for i in range(len(id_hashes))]
        rows = f"SELECT *, {', '.join(lags)} FROM ({rows})"
    counts = [f"SUM((f{i // FLAG_BITS} >> {i % FLAG_BITS}) & 1)" for i in range(len(conds))]
    dups = [f"SUM(CASE WHEN h{i} = p{i} THEN 1 ELSE 0 END)" for i in range(len(id_hashes))]
    return f"SELECT {', '.join(['COUNT(*)', *counts, *dups])} FROM ({rows})"


def load_extract(conn, schema: TableSchema, path: Path, *, lenient: bool,
                 key: bytes | None = None, profile=None) -> ExtractInfo:
    """Check one extract and expose it as the clean table ``schema.table``. With a source
    ``profile`` (masa.indicators.profiles), the file is first read through its mapping."""
    name = path.name
    if not path.is_file():
        raise ExtractError([Issue(str(path), None, "file not found")])
    if path.stat().st_size == 0:
        raise ExtractError([Issue(name, None, "is empty (0 bytes): no header and no records")])
    # The file's SHA-256 (for provenance) is worked out in a thread while DuckDB reads and
    # checks it (both release the GIL), instead of one more read of the file afterwards.
    with ThreadPoolExecutor(1) as pool:
        digest = pool.submit(sha256_file, path)
        info = _load_checked(conn, schema, path, lenient=lenient, key=key, profile=profile)
    return ExtractInfo(info.table, info.file, digest.result(), info.rows, info.quarantined)


def _load_checked(conn, schema: TableSchema, path: Path, *, lenient: bool, key: bytes | None,
                  profile) -> ExtractInfo:
    name = path.name
    raw = f"masa_raw_{schema.table}"
    try:
        if profile is not None:
            from .profiles import apply_profile, kept_columns

            _register_raw(conn, raw, path, keep=lambda header: kept_columns(profile, header, schema))
            raw = apply_profile(conn, profile, raw, name, schema, lenient=lenient)
        else:
            _register_raw(conn, raw, path)
        described = conn.execute(f"DESCRIBE {q(raw)}").fetchall()
    except ExtractError:
        raise
    except duckdb.Error as exc:  # unreadable or malformed file
        raise ExtractError([Issue(name, None, f"cannot be read ({str(exc).splitlines()[0]})")]) from None
    actual = {r[0].strip().lower(): (r[0], r[1]) for r in described if r[0] != "_row"}
    missing = [c for c in schema.columns if c.lower() not in actual]
    if missing:
        raise ExtractError([Issue(name, c, f"is missing; the file has: {', '.join(v[0] for v in actual.values())}")
                            for c in missing])
    # Rename file columns to the declared names (matching ignores case and spaces).
    sel = ", ".join(f"{q(actual[c.lower()][0])} AS {q(c)}" for c in schema.columns)
    src = f"masa_src_{schema.table}"
    conn.execute(f"CREATE VIEW {q(src)} AS SELECT {sel}, _row FROM {q(raw)}")
    stypes = {c: actual[c.lower()][1] for c in schema.columns}
    text_only = all(t == "VARCHAR" for _, t in actual.values())  # CSV/XLSX: trim what people typed

    # Every record once, as the rules see it: each declared column in its declared type, 1 where
    # the file's value was empty, and each id's hash. When a column has to be parsed (CSV,
    # XLSX), this is a table built once, so the checks and the figures share one parse;
    # otherwise (typed Parquet) it is a subquery of the check pass over the file itself.
    # (A name in an expression is the file's column even where an alias shadows it.)
    typed = {c: _parse(c, t, stypes[c]) for c, t in schema.columns.items()}
    parses = any(typed[c] != q(c) for c in typed)
    ids = sorted(schema.ids)
    blank_of = {c: f"masa_blank_{i}" for i, c in enumerate(schema.columns)}
    hash_of = [f"masa_hash_{i}" for i in range(len(ids))]
    shape = ", ".join(["_row", *(f"{typed[c]} AS {q(c)}" for c in schema.columns),
                       *(f"{_blank(c, stypes[c], text_only)} AS {q(blank_of[c])}" for c in schema.columns),
                       *(f"CASE WHEN {q(c)} IS NULL THEN NULL ELSE hash({q(c)}) END AS {q(h)}"
                         for c, h in zip(ids, hash_of))])
    if parses:
        checked = q(f"masa_typed_{schema.table}")
        conn.execute(f"CREATE TEMP TABLE {checked} AS SELECT {shape} FROM {q(src)}")
    else:
        checked = f"(SELECT {shape} FROM {q(src)})"

    # (column, problem, condition on the file's columns for listing rows, the same on ``checked``)
    checks: list[tuple[str, str, str, str]] = []
    for col, typ in schema.columns.items():
        blank, is_blank = _blank(col, stypes[col], text_only), q(blank_of[col])
        if col in schema.not_null:
            checks.append((col, "are empty", blank, is_blank))
        if stypes[col] not in _NATIVE[typ]:
            checks.append((col, f"cannot be read as {TYPE_WORDS[typ]}",
                           f"NOT {blank} AND {_parse(col, typ, stypes[col])} IS NULL",
                           f"NOT {is_blank} AND {q(col)} IS NULL"))
        if col in schema.allowed:
            values, null_ok = schema.allowed[col]
            shown = ", ".join(sorted(values))
            inlist = ", ".join(_sql_str(v) for v in sorted(values)) or "NULL"
            parsed, value = f"CAST({_parse(col, typ, stypes[col])} AS VARCHAR)", f"CAST({q(col)} AS VARCHAR)"
            checks.append((col, f"have a value the definitions do not know (known: {shown})",
                           f"NOT {blank} AND ({parsed} IS NULL OR {parsed} NOT IN ({inlist}))",
                           f"NOT {is_blank} AND ({value} IS NULL OR {value} NOT IN ({inlist}))"))
            if not null_ok and col not in schema.not_null:
                checks.append((col, "are empty", blank, is_blank))
    row = conn.execute(check_pass_sql(checked, [c[3] for c in checks], hash_of)).fetchone()
    total = row[0]
    if total == 0:
        raise ExtractError([Issue(name, None, "has a header but no records")])
    issues: list[Issue] = []
    bad_conds: list[str] = []
    for (col, problem, cond, _), n in zip(checks, row[1:1 + len(checks)]):
        if n:
            rows = [r[0] for r in conn.execute(
                f"SELECT _row FROM {q(src)} WHERE {cond} ORDER BY _row LIMIT {MAX_ROWS_LISTED}").fetchall()]
            example = ""
            if "read as" in problem or "do not know" in problem:
                v = conn.execute(f"SELECT CAST({q(col)} AS VARCHAR) FROM {q(src)} WHERE {cond} ORDER BY _row LIMIT 1").fetchone()[0]
                example = f", e.g. {v!r}"
            issues.append(Issue(name, col, problem + example, int(n), tuple(rows)))
            bad_conds.append(cond)
    for i, col in enumerate(ids):
        if row[1 + len(checks) + i]:  # equal neighbouring hashes: a duplicate, or a 64-bit collision
            cond = (f"{q(col)} IN (SELECT {q(col)} FROM {q(src)} WHERE {q(col)} IS NOT NULL "
                    f"GROUP BY {q(col)} HAVING COUNT(*) > 1)")
            n, = conn.execute(f"SELECT COUNT(*) FROM {q(src)} WHERE {cond}").fetchone()
            if not n:
                continue  # a hash collision, not a duplicate
            rows = [r[0] for r in conn.execute(
                f"SELECT _row FROM {q(src)} WHERE {cond} ORDER BY _row LIMIT {MAX_ROWS_LISTED}").fetchall()]
            issues.append(Issue(name, col, "share an id with another row (duplicate id)", int(n), tuple(rows)))
            bad_conds.append(cond)
    if issues and not lenient:
        raise ExtractError(issues)

    quarantined = 0
    where = ""
    if bad_conds:
        quarantine = f"masa_q_{schema.table}"
        conn.execute(f"CREATE TEMP TABLE {q(quarantine)} AS SELECT _row FROM {q(src)} WHERE "
                     + " OR ".join(f"({c})" for c in bad_conds))
        quarantined, = conn.execute(f"SELECT COUNT(*) FROM {q(quarantine)}").fetchone()
        if quarantined == total:
            raise ExtractError([*issues, Issue(name, None, "has no usable records left after quarantine")])
        where = f" WHERE _row NOT IN (SELECT _row FROM {q(quarantine)})"

    persons = schema.persons if key is not None else set()
    if parses:  # already typed: the clean table is the parsed one, less the quarantine
        typed, source = {c: q(c) for c in schema.columns}, checked
    else:
        source = q(src)
    for c in persons:
        typed[c] = f"CAST({typed[c]} AS VARCHAR)"
    select = ", ".join(f"{typed[c]} AS {q(c)}" for c in schema.columns)
    if where or key is not None:
        conn.execute(f"CREATE TABLE {q(schema.table)} AS SELECT {select} FROM {source}{where}")
        for col in persons:
            _pseudonymise(conn, schema.table, col, key)
    else:
        conn.execute(f"CREATE VIEW {q(schema.table)} AS SELECT {select} FROM {source}")
    return ExtractInfo(schema.table, name, "", int(total), int(quarantined))


def pseudonym(key: bytes, value: str) -> str:
    """A keyed hash (HMAC-SHA256) of a person identifier: stable for one key, so distinct
    counts and re-referrals still work, but not reversible without the key."""
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def _pseudonymise(conn, table: str, col: str, key: bytes) -> None:
    raw_ids = [r[0] for r in conn.execute(f"SELECT DISTINCT {q(col)} FROM {q(table)} WHERE {q(col)} IS NOT NULL").fetchall()]
    hashed = [pseudonym(key, str(v)) for v in raw_ids]
    conn.execute("CREATE TEMP TABLE masa_pmap AS SELECT unnest($1::VARCHAR[]) AS raw, unnest($2::VARCHAR[]) AS pid",
                 [[str(v) for v in raw_ids], hashed])
    conn.execute(f"UPDATE {q(table)} SET {q(col)} = m.pid FROM masa_pmap m WHERE CAST({q(table)}.{q(col)} AS VARCHAR) = m.raw")
    conn.execute("DROP TABLE masa_pmap")
