"""Seeded synthetic extracts: no real person is in any of them.

Calibrated to the public figures in the brief: a Luton-sized area receives about 3,300
referrals to children's social care a year, about 22% of them re-referrals within 12
months. Extracts cover three financial years (2022-23 to 2024-25), so re-referrals at the
start of 2024-25 have earlier referrals to look back to. Built column-wise with numpy and
written by DuckDB (CSV or Parquet), so 10 million rows take seconds, not minutes.

``write_broken`` makes the deliberately bad files the bad-input tests and docs use.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

AREAS = ["E06000032", "E06000055", "E06000056"]  # Luton, Bedford Borough, Central Bedfordshire
AREA_WEIGHTS = [0.36, 0.30, 0.34]
START, END = date(2022, 4, 1), date(2025, 3, 31)
DAYS = (END - START).days + 1
REFERRALS_PER_YEAR = 3300


def _np():
    import numpy as np

    return np


def _days(rng, n):
    return rng.integers(0, DAYS, n)


def _date_strings(offsets):
    np = _np()
    return (np.datetime64(START.isoformat()) + offsets.astype("timedelta64[D]")).astype("datetime64[D]")


def _areas(rng, rows: int, areas: list[str] | None):
    """ONS codes for ``rows`` records: Luton's three areas in their weights by default, else
    the given codes (a partnership's own areas) in equal shares."""
    np = _np()
    if not areas:
        return rng.choice(np.array(AREAS), rows, p=AREA_WEIGHTS)
    return rng.choice(np.array(areas), rows)


def _ids(prefix: str, n: int, start: int = 1):
    np = _np()
    return np.char.add(prefix, np.arange(start, start + n).astype(str))


def _birth(rng, event_days, ages):
    """Year and month of birth giving roughly ``ages`` at the event."""
    np = _np()
    event = _date_strings(event_days)
    years = event.astype("datetime64[Y]").astype(int) + 1970
    months = rng.integers(1, 13, len(ages))
    return (years - ages).astype(np.int64), months.astype(np.int64)


def referrals(rows: int, seed: int = 1, areas: list[str] | None = None) -> dict:
    """Referrals to children's social care: about 22% re-referrals within 12 months."""
    np = _np()
    rng = np.random.default_rng(seed)
    repeats = int(rows * 0.205)
    children = rows - repeats
    first = _days(rng, children)
    child_of_repeat = rng.integers(0, children, repeats)
    gap = rng.exponential(210, repeats).astype(int) + 1
    day = first[child_of_repeat] + gap
    over = day >= DAYS
    day[over] = first[child_of_repeat][over] - gap[over]
    day = np.clip(day, 0, DAYS - 1)
    child = np.concatenate([np.arange(children), child_of_repeat])
    days = np.concatenate([first, day])
    ages_child = rng.integers(0, 18, children)
    ages = np.clip(ages_child[child] + (days - first[child]) // 365, 0, 17)
    by, bm = _birth(rng, days, ages)
    sources = np.array(["police", "health", "education", "local-authority", "individual", "other"])
    return {
        "referral_id": _ids("R", rows),
        "child_id": np.char.add("C", child.astype(str)),
        "referral_date": _date_strings(days),
        "birth_year": by, "birth_month": bm,
        "sex": rng.choice(np.array(["F", "M", "U"]), rows, p=[0.48, 0.49, 0.03]),
        "area": np.full(rows, (areas or AREAS)[0]),
        "source": rng.choice(sources, rows, p=[0.29, 0.15, 0.20, 0.11, 0.08, 0.17]),
    }


def safeguarding_referrals(rows: int, seed: int = 2, areas: list[str] | None = None) -> dict:
    """Referrals a partner (say fire and rescue) made: mostly adults, across the areas."""
    np = _np()
    rng = np.random.default_rng(seed)
    days = _days(rng, rows)
    adult = rng.random(rows) < 0.93
    ages = np.where(adult, rng.integers(18, 95, rows), rng.integers(0, 18, rows))
    by, bm = _birth(rng, days, ages)
    return {
        "referral_id": _ids("S", rows),
        "person_id": np.char.add("P", rng.integers(0, max(1, int(rows * 0.9)), rows).astype(str)),
        "referral_date": _date_strings(days),
        "birth_year": by, "birth_month": bm,
        "sex": rng.choice(np.array(["F", "M", "U"]), rows, p=[0.45, 0.45, 0.10]),
        "area": _areas(rng, rows, areas),
    }


def incidents(rows: int, seed: int = 3, areas: list[str] | None = None) -> dict:
    np = _np()
    rng = np.random.default_rng(seed)
    cats = np.array(["neglect", "emotional", "physical", "sexual", "domestic-abuse", "mental-health",
                     "exploitation", "other"])
    return {
        "incident_id": _ids("I", rows),
        "incident_date": _date_strings(_days(rng, rows)),
        "category": rng.choice(cats, rows, p=[0.27, 0.18, 0.16, 0.06, 0.12, 0.11, 0.04, 0.06]),
        "service": rng.choice(np.array(["specialist-childrens", "other-services"]), rows, p=[0.4, 0.6]),
        "area": _areas(rng, rows, areas),
    }


def training(rows: int, seed: int = 4, areas: list[str] | None = None) -> dict:
    """One row per member of staff per required course: a completion, or none yet."""
    np = _np()
    rng = np.random.default_rng(seed)
    courses = np.array(["l3-children", "l3-adults", "prevent-l1", "prevent-l3", "l1-children", "l2-children"])
    levels = np.array([3, 3, 1, 3, 1, 2])
    pick = rng.choice(len(courses), rows, p=[0.25, 0.2, 0.2, 0.1, 0.15, 0.1])
    staff = rng.integers(0, max(1, rows // 3), rows)
    never = rng.random(rows) < 0.06
    day = _days(rng, rows)
    yearly = levels[pick] == 1  # level 1 is refreshed every year: most completions are recent
    day[yearly] = DAYS - 1 - rng.integers(0, 400, int(yearly.sum()))
    dates = _date_strings(day).astype(object)
    dates[never] = None
    session = np.char.add(np.char.add(courses[pick], "-"), (day // 14).astype(str)).astype(object)
    session[never] = None
    return {
        "record_id": _ids("T", rows), "staff_id": np.char.add("E", staff.astype(str)),
        "course": courses[pick], "level": levels[pick].astype(np.int64),
        "session_id": session, "completion_date": dates,
    }


def missing_episodes(rows: int, seed: int = 5, areas: list[str] | None = None) -> dict:
    np = _np()
    rng = np.random.default_rng(seed)
    start = np.datetime64(START.isoformat() + "T00:00") + rng.integers(0, DAYS * 24 * 60, rows).astype("timedelta64[m]")
    returned = start + rng.integers(60, 4 * 24 * 60, rows).astype("timedelta64[m]")
    offered_after = rng.gamma(2.0, 30.0, rows).astype(int).astype("timedelta64[h]")
    offered = (returned + offered_after).astype(object)
    not_offered = rng.random(rows) < 0.08
    offered[not_offered] = None
    accepted = (rng.random(rows) < 0.62).astype(object)
    accepted[not_offered] = None
    return {
        "episode_id": _ids("M", rows),
        "child_id": np.char.add("C", rng.integers(0, max(1, rows // 3), rows).astype(str)),
        "area": _areas(rng, rows, areas),
        "missing_from": start, "returned_at": returned, "rhi_offered_at": offered, "rhi_accepted": accepted,
    }


def cp_conferences(rows: int, seed: int = 6, areas: list[str] | None = None) -> dict:
    np = _np()
    rng = np.random.default_rng(seed)
    strat = _days(rng, rows)
    gap = rng.gamma(4.0, 5.0, rows).astype(int) + 1
    return {
        "conference_id": _ids("K", rows),
        "child_id": np.char.add("C", rng.integers(0, rows, rows).astype(str)),
        "area": _areas(rng, rows, areas),
        "strategy_date": _date_strings(strat), "icpc_date": _date_strings(np.minimum(strat + gap, DAYS - 1)),
    }


def yj_disposals(rows: int, seed: int = 7, areas: list[str] | None = None) -> dict:
    np = _np()
    rng = np.random.default_rng(seed)
    days = _days(rng, rows)
    ages = rng.integers(10, 19, rows)
    by, bm = _birth(rng, days, ages)
    return {
        "disposal_id": _ids("D", rows),
        "young_person_id": np.char.add("Y", rng.integers(0, max(1, int(rows * 0.7)), rows).astype(str)),
        "disposal_date": _date_strings(days), "birth_year": by, "birth_month": bm,
        "first_disposal": rng.random(rows) < 0.35,
        "area": _areas(rng, rows, areas),
    }


def encompass(rows: int, seed: int = 8, areas: list[str] | None = None) -> dict:
    np = _np()
    rng = np.random.default_rng(seed)
    at = np.datetime64(START.isoformat() + "T00:00") + rng.integers(0, DAYS * 24 * 60, rows).astype("timedelta64[m]")
    after = rng.gamma(2.0, 9.0, rows).astype(int).astype("timedelta64[h]")
    return {
        "notification_id": _ids("N", rows),
        "child_id": np.char.add("C", rng.integers(0, rows, rows).astype(str)),
        "area": _areas(rng, rows, areas),
        "incident_at": at, "school_notified_at": at + after,
    }


GENERATORS = {
    "referrals": (referrals, 3.0),  # rows per unit: three years of a Luton-sized area
    "safeguarding_referrals": (safeguarding_referrals, 0.3),
    "incidents": (incidents, 1.2),
    "training": (training, 1.5),
    "missing_episodes": (missing_episodes, 0.25),
    "cp_conferences": (cp_conferences, 0.1),
    "yj_disposals": (yj_disposals, 0.05),
    "encompass": (encompass, 0.4),
}


def _arrow(columns: dict):
    import pyarrow as pa

    def arr(v):
        if v.dtype == object:
            return pa.array(v.tolist())
        if v.dtype.kind == "M" and str(v.dtype) != "datetime64[D]":
            return pa.array(v.astype("datetime64[s]"))
        return pa.array(v)

    return pa.table({k: arr(v) for k, v in columns.items()})


def write_table(columns: dict, path: Path) -> Path:
    """Write one extract as CSV or Parquet (by suffix), through DuckDB."""
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    data = _arrow(columns)
    fmt = "PARQUET" if path.suffix.lower() in (".parquet", ".pq") else "CSV, HEADER"
    con = duckdb.connect()
    try:
        con.register("data", data)
        con.execute(f"COPY data TO '{str(path).replace(chr(39), chr(39) * 2)}' (FORMAT {fmt})")
    finally:
        con.close()
    return path


def write_extracts(out: str | Path, rows: int = REFERRALS_PER_YEAR * 3, seed: int = 1,
                   fmt: str = "csv", tables: list[str] | None = None,
                   areas: list[str] | None = None) -> dict[str, Path]:
    """Write every extract (or ``tables``) to ``out``; ``rows`` sizes the referrals extract
    and the others in proportion. ``areas``: the ONS codes records fall in (default Luton,
    Bedford Borough and Central Bedfordshire; children's social care referrals are all the
    first area's, one local authority's front door). Returns table name -> file."""
    out = Path(out)
    paths = {}
    base = rows / GENERATORS["referrals"][1]
    for i, (name, (gen, per)) in enumerate(GENERATORS.items()):
        if tables and name not in tables:
            continue
        n = max(20, int(base * per))
        paths[name] = write_table(gen(n, seed * 100 + i, areas=areas), out / f"{name}.{fmt}")
    return paths


BROKEN = ("missing-column", "wrong-type", "bad-date", "duplicate-id", "empty", "unknown-area")


def write_broken(out: str | Path, kind: str, rows: int = 40, seed: int = 9) -> Path:
    """A small referrals CSV with one deliberate defect. Per-row defects sit in records 3, 7
    and 11 (0-based), which are spreadsheet rows 5, 9 and 13 (the header is row 1); a
    duplicate id repeats record 0's id (row 2)."""
    if kind not in BROKEN:
        raise ValueError(f"unknown defect {kind!r}; choose from {', '.join(BROKEN)}")
    out = Path(out)
    path = out / f"referrals-{kind}.csv"
    if kind == "empty":
        out.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
        return path
    cols = {k: v.astype(object) for k, v in referrals(rows, seed).items()}
    cols["referral_date"] = [str(d) for d in cols["referral_date"]]
    bad = [3, 7, 11]
    if kind == "missing-column":
        del cols["sex"]
    for i in bad:
        if kind == "wrong-type":
            cols["birth_year"][i] = "twenty"
        elif kind == "bad-date":
            cols["referral_date"][i] = "31/13/2024"
        elif kind == "duplicate-id":
            cols["referral_id"][i] = cols["referral_id"][0]
        elif kind == "unknown-area":
            cols["area"][i] = "E06000999"
    import csv

    out.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for r in range(rows):
            w.writerow([cols[c][r] for c in cols])
    return path
