"""Source profiles: declarative mappings from agency systems' exports onto masa's extracts.

A partner's Datix, InPhase, RiO, portal, training-platform or Athena export has its own
headers, codes and date formats. A profile (YAML in ``source_profiles/``) says which
header variants feed each masa column, how the system's codes map onto masa's, and which
date formats it writes. Everything else in the file is dropped before the engine sees it:
free-text columns by name, and any column the profile does not list.

Headers match ignoring case, spaces and punctuation. The mapping runs in DuckDB SQL (a
renaming, ``CASE`` view over the raw file), so it costs no Python per row.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .compile import q
from .extracts import MAX_ROWS_LISTED, ExtractError, Issue, TableSchema

PROFILE_DIR = Path(__file__).parent / "source_profiles"
ISO_FORMATS = ["%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
_OUT_FORMAT = {"date": "%Y-%m-%d", "timestamp": "%Y-%m-%d %H:%M:%S"}
CLOSE = 0.6  # difflib ratio above which a header counts as "close" to an expected name


class ProfileError(ValueError):
    """A profile that cannot be found or read; one clear message."""


def normalise(name: str) -> str:
    """A header as matched: lower case, letters and digits only ("Incident-ID " == "incident id")."""
    return re.sub(r"[^0-9a-z]", "", name.lower())


def _code_key(value: str) -> str:
    return " ".join(value.lower().split())


class ColumnMap(BaseModel):
    """Where one masa column comes from in the system's export."""

    model_config = ConfigDict(extra="forbid")

    names: list[str] = Field(min_length=1)  # header variants, the usual one first
    codes: dict[str, str] = {}  # the system's value -> masa's value; any other value is an error
    date_formats: list[str] = []  # strptime formats the system writes (ISO is always accepted)

    @model_validator(mode="after")
    def _codes_unique(self) -> ColumnMap:
        seen: dict[str, str] = {}
        for k in self.codes:
            if _code_key(k) in seen:
                raise ValueError(f"codes {seen[_code_key(k)]!r} and {k!r} are the same value")
            seen[_code_key(k)] = k
        return self


class Profile(BaseModel):
    """One system's export of one masa extract."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    system: str
    extract: str  # the masa table this export feeds, e.g. incidents
    columns: dict[str, ColumnMap]
    free_text: list[str] = []  # columns known to hold free text: always dropped

    @model_validator(mode="after")
    def _names_unique(self) -> Profile:
        owner: dict[str, str] = {}
        for target, col in self.columns.items():
            for n in {normalise(x) for x in [*col.names, target]}:
                if n in owner and owner[n] != target:
                    raise ValueError(f"header {n!r} is listed for both {owner[n]!r} and {target!r}")
                owner[n] = target
        for n in self.free_text:
            if normalise(n) in owner:
                raise ValueError(f"free-text column {n!r} is also listed for {owner[normalise(n)]!r}")
        return self

    def expected(self) -> dict[str, str]:
        """Normalised header -> masa column, including masa's own column names."""
        return {normalise(n): t for t, c in self.columns.items() for n in [*c.names, t]}

    def header(self, target: str) -> str:
        return self.columns[target].names[0]


def load_profile(path: str | Path) -> Profile:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Profile.model_validate(data)
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read the profile ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"]) or "(top)"
        raise ProfileError(f"{path}: {where}: {err['msg']}") from None


def shipped_profiles() -> dict[str, Profile]:
    """The profiles masa ships, by name."""
    out = {}
    for path in sorted(PROFILE_DIR.glob("*.yaml")):
        p = load_profile(path)
        out[p.name] = p
    return out


def get_profile(name: str) -> Profile:
    """A shipped profile by name, or a profile YAML file by path."""
    if name.endswith((".yaml", ".yml")) or "/" in name:
        return load_profile(name)
    known = shipped_profiles()
    if name not in known:
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ProfileError(f"unknown profile {name!r}{hint}; known: {', '.join(known)}")
    return known[name]


# --- matching the file's header --------------------------------------------------------


@dataclass
class Match:
    """How a file's header lines up with a profile, before any row is read."""

    mapped: dict[str, str] = field(default_factory=dict)  # masa column -> file column
    free_text: list[str] = field(default_factory=list)  # dropped: free text
    unlisted: dict[str, str | None] = field(default_factory=dict)  # dropped: file column -> closest expected name
    unneeded: list[str] = field(default_factory=list)  # in the profile, but no definition reads it
    problems: list[str] = field(default_factory=list)  # one line each; any stops the run
    flagged: set[str] = field(default_factory=set)  # unlisted file columns named in a problem
    ambiguous: list[str] = field(default_factory=list)  # second matches of a masa column: dropped


def _closest(column: str, names: list[str]) -> str | None:
    by_lower = {n.lower(): n for n in names}
    got = difflib.get_close_matches(column.lower().strip(), list(by_lower), n=1, cutoff=CLOSE)
    return by_lower[got[0]] if got else None


def match_header(profile: Profile, header: list[str], needed: list[str]) -> Match:
    """Match each file column to a masa column; name every gap and ambiguity in one line."""
    m = Match()
    expected = profile.expected()
    free = {normalise(n) for n in profile.free_text}
    hits: dict[str, list[str]] = {}
    leftover: list[str] = []
    for col in header:
        n = normalise(col)
        if n in expected:
            hits.setdefault(expected[n], []).append(col)
        elif n in free:
            m.free_text.append(col)
        else:
            leftover.append(col)
    for target, cols in hits.items():
        if target not in needed:
            m.unneeded.extend(cols)
            continue
        if len(cols) > 1:
            names = profile.columns[target].names
            best = min(cols, key=lambda c: next((i for i, x in enumerate(names) if normalise(x) == normalise(c)),
                                                len(names)))
            others = ", ".join(repr(c) for c in cols if c != best)
            m.ambiguous.extend(c for c in cols if c != best)
            m.problems.append(f"ambiguous column {others}: it and {best!r} both match masa column {target!r}; "
                              f"the closest expected name is {profile.header(target)!r}: remove or rename the other")
            cols = [best]
        m.mapped[target] = cols[0]
    missing = [t for t in needed if t not in m.mapped]
    missing_names = {n: t for t in missing for n in [*profile.columns[t].names, t]} if missing else {}
    all_names = [n for c in profile.columns.values() for n in c.names]
    claimed: set[str] = set()
    for col in leftover:
        near = _closest(col, list(missing_names))
        if near and missing_names[near] not in claimed:
            target = missing_names[near]
            claimed.add(target)
            m.flagged.add(col)
            m.problems.append(f"unmapped column {col!r}: not a name profile {profile.name} knows; the closest "
                              f"expected name is {near!r} (masa column {target!r})")
        m.unlisted[col] = _closest(col, all_names)
    for target in missing:
        if target in claimed:
            continue
        if target not in profile.columns:
            m.problems.append(f"masa column {target!r} is needed but profile {profile.name} does not map it")
            continue
        names = ", ".join(repr(n) for n in profile.columns[target].names)
        m.problems.append(f"no column for masa column {target!r}; expected one of: {names}")
    return m


def kept_columns(profile: Profile, header: list[str], schema: TableSchema) -> list[str]:
    """The file columns worth loading: only the mapped ones, unless the header has a problem
    (then all, so the messages can name every column)."""
    m = match_header(profile, header, list(schema.columns))
    return header if m.problems else list(m.mapped.values())


# --- the mapping, in SQL ---------------------------------------------------------------
# Codes are looked up once per distinct value (a handful), not per row: the file's own
# values, exactly as written, become the WHEN branches of one CASE. The mapped columns are
# materialised once, so the record checks that follow do not re-run the date parsing.


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _text(col: str) -> str:
    return f"NULLIF(TRIM(CAST({q(col)} AS VARCHAR)), '')"


def _dated(col: str, formats: list[str], typ: str) -> str:
    fmts = ", ".join(_lit(f) for f in dict.fromkeys([*formats, *ISO_FORMATS]))
    return f"strftime(TRY_STRPTIME({_text(col)}, [{fmts}]), {_lit(_OUT_FORMAT[typ])})"


@dataclass
class _Codes:
    """One coded column's distinct values: those the profile translates, and those it does not."""

    known: dict[str, str]  # value as written (trimmed) -> masa value
    unknown: list[tuple[str, int]]  # (value, rows), most frequent first


def _distinct_codes(conn, raw: str, col: str, codes: dict[str, str]) -> _Codes:
    lookup = {_code_key(k): v for k, v in codes.items()}
    found = conn.execute(f"SELECT {_text(col)} AS v, COUNT(*) FROM {q(raw)} WHERE v IS NOT NULL "
                         f"GROUP BY v ORDER BY COUNT(*) DESC, v").fetchall()
    known = {v: lookup[_code_key(v)] for v, _ in found if _code_key(v) in lookup}
    return _Codes(known, [(v, int(n)) for v, n in found if v not in known])


def _coded(col: str, known: dict[str, str], lenient: bool) -> str:
    if not known:
        return _text(col) if lenient else "CAST(NULL AS VARCHAR)"
    whens = " ".join(f"WHEN {_lit(k)} THEN {_lit(v)}" for k, v in known.items())
    # lenient: an unknown value passes through unchanged, so the record checks quarantine its row
    return f"CASE {_text(col)} {whens}{f' ELSE {_text(col)}' if lenient else ''} END"


def _code_issues(conn, raw: str, file: str, profile: Profile, m: Match,
                 distinct: dict[str, _Codes]) -> list[Issue]:
    """One issue per unknown value: the column, the value, its row count and first rows."""
    issues = []
    for target, found in distinct.items():
        col = m.mapped[target]
        allowed = ", ".join(sorted(profile.columns[target].codes, key=str.lower))
        for value, n in found.unknown:
            rows = [r[0] for r in conn.execute(f"SELECT _row FROM {q(raw)} WHERE {_text(col)} = ? ORDER BY _row "
                                               f"LIMIT {MAX_ROWS_LISTED}", [value]).fetchall()]
            issues.append(Issue(file, col, f"with the value {value!r}, which profile {profile.name} does not "
                                           f"list for masa column {target!r} (allowed: {allowed})", n, tuple(rows)))
    return issues


def _date_issue(conn, table: str, file: str, profile: Profile, target: str, col: str, typ: str,
                parsed: str, text: str) -> Issue | None:
    cond = f"{text} IS NOT NULL AND {parsed} IS NULL"
    n, = conn.execute(f"SELECT COUNT(*) FROM {q(table)} WHERE {cond}").fetchone()
    if not n:
        return None
    found = conn.execute(f"SELECT _row, {text} FROM {q(table)} WHERE {cond} ORDER BY _row "
                         f"LIMIT {MAX_ROWS_LISTED}").fetchall()
    fmts = ", ".join(profile.columns[target].date_formats + ["ISO (2025-03-31)"])
    kind = "a date" if typ == "date" else "a date and time"
    return Issue(file, col, f"cannot be read as {kind} in the profile's formats ({fmts}), e.g. {found[0][1]!r}",
                 int(n), tuple(r[0] for r in found))


def _dates(profile: Profile, schema: TableSchema, m: Match) -> list[str]:
    return [t for t in m.mapped if schema.columns[t] in _OUT_FORMAT and not profile.columns[t].codes]


def apply_profile(conn, profile: Profile, raw: str, file: str, schema: TableSchema, *, lenient: bool) -> str:
    """Expose ``raw`` (a file loaded as text, with ``_row``) as a view in masa's column names
    and codes, holding only the columns the definitions read. Returns the view's name."""
    header = [r[0] for r in conn.execute(f"DESCRIBE {q(raw)}").fetchall() if r[0] != "_row"]
    m = match_header(profile, header, list(schema.columns))
    if m.problems:
        raise ExtractError([Issue(file, None, f"(profile {profile.name}) {p}") for p in m.problems])
    distinct = {t: _distinct_codes(conn, raw, m.mapped[t], profile.columns[t].codes)
                for t in m.mapped if profile.columns[t].codes}
    issues = [] if lenient else _code_issues(conn, raw, file, profile, m, distinct)
    dates = _dates(profile, schema, m)
    cols = []
    for t in schema.columns:
        col = m.mapped[t]
        if t in distinct:
            cols.append(f"{_coded(col, distinct[t].known, lenient)} AS {q(t)}")
        elif t in dates:
            cols += [f"{_dated(col, profile.columns[t].date_formats, schema.columns[t])} AS {q(t)}",
                     f"{_text(col)} AS {q(t + '__as_written')}"]
        else:
            cols.append(f"{_text(col)} AS {q(t)}")
    table = f"masa_profiled_{schema.table}_all"
    conn.execute(f"CREATE TEMP TABLE {q(table)} AS SELECT {', '.join(cols)}, _row FROM {q(raw)}")
    if not lenient:
        for t in dates:
            issue = _date_issue(conn, table, file, profile, t, m.mapped[t], schema.columns[t], q(t),
                                q(t + "__as_written"))
            if issue:
                issues.append(issue)
        if issues:
            raise ExtractError(issues)
    # lenient: an unreadable date passes through as written, so the record checks quarantine its row
    select = ", ".join(f"COALESCE({q(t)}, {q(t + '__as_written')}) AS {q(t)}" if t in dates and lenient else q(t)
                       for t in schema.columns)
    view = f"masa_profiled_{schema.table}"
    conn.execute(f"CREATE VIEW {q(view)} AS SELECT {select}, _row FROM {q(table)}")
    return view


# --- profile-check ---------------------------------------------------------------------


@dataclass
class CheckReport:
    profile: Profile
    file: str
    rows: int
    match: Match
    issues: list[Issue]

    @property
    def ok(self) -> bool:
        return not self.match.problems and not self.issues


def check_file(path: str | Path, profile: Profile, schema: TableSchema) -> CheckReport:
    """What maps, what is dropped and what cannot be used, without computing anything."""
    import duckdb

    from .extracts import _register_raw  # the loader's own reading rules, so check == compute

    path = Path(path)
    if not path.is_file():
        raise ExtractError([Issue(str(path), None, "file not found")])
    if path.stat().st_size == 0:
        raise ExtractError([Issue(path.name, None, "is empty (0 bytes): no header and no records")])
    conn = duckdb.connect(":memory:")
    try:
        raw = f"masa_raw_{schema.table}"
        try:
            _register_raw(conn, raw, path)
        except duckdb.Error as exc:
            raise ExtractError([Issue(path.name, None, f"cannot be read ({str(exc).splitlines()[0]})")]) from None
        header = [r[0] for r in conn.execute(f"DESCRIBE {q(raw)}").fetchall() if r[0] != "_row"]
        m = match_header(profile, header, list(schema.columns))
        distinct = {t: _distinct_codes(conn, raw, m.mapped[t], profile.columns[t].codes)
                    for t in m.mapped if profile.columns[t].codes}
        issues = _code_issues(conn, raw, path.name, profile, m, distinct)
        for t in _dates(profile, schema, m):
            col, typ = m.mapped[t], schema.columns[t]
            issue = _date_issue(conn, raw, path.name, profile, t, col, typ,
                                _dated(col, profile.columns[t].date_formats, typ), _text(col))
            if issue:
                issues.append(issue)
        rows, = conn.execute(f"SELECT COUNT(*) FROM {q(raw)}").fetchone()
    finally:
        conn.close()
    return CheckReport(profile, path.name, int(rows), m, issues)


# --- synthetic sample exports ----------------------------------------------------------


def _strftime_format(profile: Profile, target: str, typ: str) -> str:
    fmts = profile.columns[target].date_formats
    return fmts[0] if fmts else _OUT_FORMAT[typ]


def sample_sql(profile: Profile, schema: TableSchema, table: str = "data") -> str:
    """SQL turning masa-schema records (``table``) into the system's shape: its headers, its
    codes, its date format, plus its free-text columns filled with placeholder text."""
    parts = []
    for target, typ in schema.columns.items():
        cm = profile.columns[target]
        src = q(target)
        if cm.codes:
            back: dict[str, str] = {}
            for k, v in cm.codes.items():
                back.setdefault(v, k)
            whens = " ".join(f"WHEN {_lit(v)} THEN {_lit(k)}" for v, k in back.items())
            expr = f"CASE CAST({src} AS VARCHAR) {whens} ELSE CAST({src} AS VARCHAR) END"
        elif typ in _OUT_FORMAT:
            expr = f"strftime(CAST({src} AS TIMESTAMP), {_lit(_strftime_format(profile, target, typ))})"
        else:
            expr = f"CAST({src} AS VARCHAR)"
        parts.append(f"{expr} AS {q(cm.names[0])}")
    for i, name in enumerate(profile.free_text):
        parts.append(f"'synthetic placeholder ' || CAST(row_number() OVER () * {i + 7} AS VARCHAR) AS {q(name)}")
    return f"SELECT {', '.join(parts)} FROM {q(table)}"


def write_sample(profile: Profile, schema: TableSchema, out: str | Path, *, rows: int = 500, seed: int = 1,
                 areas: list[str] | None = None, masa_copy: str | Path | None = None) -> Path:
    """Write a seeded synthetic export in the system's shape (CSV). With ``masa_copy``, the
    same records are also written in masa's own schema, for comparing the two."""
    import duckdb

    from .synth import GENERATORS, _arrow, write_table

    if profile.extract not in GENERATORS:
        raise ProfileError(f"profile {profile.name}: masa has no synthetic generator for {profile.extract!r}")
    gen, _ = GENERATORS[profile.extract]
    data = _arrow(gen(rows, seed, areas=areas))
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        con.register("data", data)
        con.execute(f"COPY ({sample_sql(profile, schema)}) TO {_lit(str(out))} (FORMAT CSV, HEADER)")
    finally:
        con.close()
    if masa_copy is not None:
        write_table(gen(rows, seed, areas=areas), Path(masa_copy))
    return out
