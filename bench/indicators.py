"""P2: the indicator engine over 10 million synthetic rows, against two baselines.

Runs, on the same Parquet files, each in its own child process (so that its peak RSS is
its own), each 3 times in that process, reporting the median:
  1. masa.indicators.compute, end to end: the record checks of every extract, the
     compiled SQL and disclosure control;
  2. hand-written DuckDB SQL for the same figures (no checks, no disclosure control);
  3. pandas for the same figures AND the same record checks (empty required values, values
     outside the known codes, duplicate ids), written the way a pandas user would.
Prints the machine's core count and load average first, then wall and CPU seconds for
each, and each target as PASS or FAIL: speed-up over pandas end to end (>= 10x), compiled
SQL + disclosure against hand-written SQL (<= 1.3x) and the engine's peak RSS (< 2 GB).
The three must give the same totals. Exits 1 when a target fails.

    .venv/bin/python bench/indicators.py                   # 10M rows (generates the data once)
    .venv/bin/python bench/indicators.py --rows 1000000    # or MASA_BENCH_ROWS=1000000
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import header, median_of, verdict

PERIOD = "2024-25"
START, END = "2024-04-01", "2025-03-31"
# A re-referral looks back 365 days, so no referral before this day can make one in the
# period: all three implementations leave earlier records out of the look-back.
LOOK_BACK = "2023-04-02"
SPLIT = {"referrals": 0.4, "safeguarding_referrals": 0.3, "incidents": 0.3}
DEFINITIONS = ["csc_referrals", "repeat_referral_rate", "safeguarding_referrals", "child_safeguarding_referrals",
               "referral_share", "safeguarding_incidents_children"]
AREAS = {"E06000032": "luton", "E06000055": "bedford", "E06000056": "central-bedfordshire"}
AREA_SQL = ("CASE area WHEN 'E06000032' THEN 'luton' WHEN 'E06000055' THEN 'bedford' "
            "WHEN 'E06000056' THEN 'central-bedfordshire' END")
SEX_SQL = "CASE sex WHEN 'F' THEN 'female' WHEN 'M' THEN 'male' ELSE 'not-known' END"
# The record checks the engine runs for these six definitions (masa.indicators.extracts.
# table_schemas): required columns, coded columns (known values, empty allowed?), the id.
CHECKS = {
    "referrals": (["referral_id", "child_id", "referral_date"],
                  {"area": (set(AREAS), False),
                   "source": ({"police", "health", "education", "local-authority", "individual", "other"}, False)},
                  "referral_id"),
    "safeguarding_referrals": (["referral_id", "person_id", "referral_date"],
                               {"area": (set(AREAS), False), "sex": ({"F", "M", "U"}, True)}, "referral_id"),
    "incidents": (["incident_id", "incident_date"],
                  {"category": ({"sexual", "neglect", "emotional", "mental-health", "physical", "domestic-abuse",
                                 "exploitation", "other"}, False),
                   "service": ({"other-services", "specialist-childrens"}, False)}, "incident_id"),
}


def make_extracts(folder: Path, rows: int, seed: int) -> dict[str, Path]:
    from masa.indicators import synth

    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for i, (name, share) in enumerate(SPLIT.items()):
        path = folder / f"{name}-{rows}-{seed}.parquet"
        if not path.exists():
            t = time.perf_counter()
            gen = getattr(synth, name)
            synth.write_table(gen(int(rows * share), seed * 100 + i), path)
            print(f"  generated {path.name} in {time.perf_counter() - t:.1f} s", flush=True)
        out[name] = path
    return out


def peak_rss_mb() -> float:
    """This process's own high-water mark (VmHWM; ru_maxrss would include the parent's
    before the child started, since Linux keeps it across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """User + system CPU of this process, all threads: less sensitive to other load than wall time."""
    t = os.times()
    return t.user + t.system


# 1. the engine ----------------------------------------------------------------------------
def run_engine(paths: dict[str, Path]):
    from masa.indicators import area_map, compute, standard_definitions, with_areas
    from masa.spec import load_spec

    example = Path(__file__).resolve().parents[1] / "examples" / "luton-2024-25" / "spec"
    areas = area_map(load_spec(example))  # synth's default records are in the Luton example's areas
    defs = [d for d in with_areas(standard_definitions(), areas) if d.id in DEFINITIONS]

    def once():
        result = compute(defs, paths, PERIOD)
        totals = {v.indicator: v.value for v in result.values if not v.by}
        return totals, result.check_seconds
    return once


# 2. hand-written DuckDB SQL ---------------------------------------------------------------
def hand_sql(paths: dict[str, Path]) -> list[str]:
    ref, made, inc = (f"read_parquet('{paths[t]}')" for t in SPLIT)
    in_period = f"referral_date BETWEEN DATE '{START}' AND DATE '{END}'"
    age = ("(year(referral_date) - birth_year - CASE WHEN month(referral_date) < birth_month THEN 1 ELSE 0 END)")
    return [
        (f"SELECT {AREA_SQL} AS a, source, GROUPING(a), GROUPING(source), COUNT(*) AS n FROM {ref} "
         f"WHERE {in_period} GROUP BY CUBE(a, source)"),
        (f"WITH r AS (SELECT area, referral_date, referral_date - LAG(referral_date) OVER "
         f"(PARTITION BY child_id ORDER BY referral_date, referral_id) AS gap FROM {ref} "
         f"WHERE referral_date BETWEEN DATE '{LOOK_BACK}' AND DATE '{END}') "
         f"SELECT {AREA_SQL} AS a, GROUPING(a), COUNT(*) AS n, SUM(CASE WHEN gap <= 365 THEN 1 ELSE 0 END) AS re "
         f"FROM r WHERE {in_period} GROUP BY CUBE(a)"),
        (f"SELECT {AREA_SQL} AS a, CASE WHEN {age} <= 17 THEN 'child' ELSE 'adult' END AS g, {SEX_SQL} AS s, "
         f"GROUPING(a), GROUPING(g), GROUPING(s), COUNT(*) AS n FROM {made} WHERE {in_period} GROUP BY CUBE(a, g, s)"),
        (f"SELECT {AREA_SQL} AS a, {SEX_SQL} AS s, GROUPING(a), GROUPING(s), COUNT(*) AS n FROM {made} "
         f"WHERE {in_period} AND {age} <= 17 GROUP BY CUBE(a, s)"),
        (f"SELECT CASE WHEN {age} <= 17 THEN 'child' ELSE 'adult' END AS g, GROUPING(g), COUNT(*) AS n FROM {made} "
         f"WHERE {in_period} GROUP BY CUBE(g)"),
        (f"SELECT category, service, GROUPING(category), GROUPING(service), COUNT(*) AS n FROM {inc} "
         f"WHERE incident_date BETWEEN DATE '{START}' AND DATE '{END}' GROUP BY CUBE(category, service)"),
    ]


def run_hand_sql(paths: dict[str, Path]):
    import duckdb

    def grand(rows, width, col=-1):
        return next(r[col] for r in rows if all(r[width + i] for i in range(width)))

    def once():
        conn = duckdb.connect()
        conn.execute("SET enable_progress_bar = false")
        results = [conn.execute(sql).fetchall() for sql in hand_sql(paths)]
        conn.close()
        re = next(r for r in results[1] if r[1])
        return {"csc_referrals": grand(results[0], 2), "repeat_referral_rate": round(100 * re[3] / re[2], 1),
                "safeguarding_referrals": grand(results[2], 3), "child_safeguarding_referrals": grand(results[3], 2),
                "safeguarding_incidents_children": grand(results[5], 2)}, 0.0
    return once


# 3. pandas --------------------------------------------------------------------------------
def _cube(df, dims, value=None):
    import itertools

    out = {}
    for size in range(len(dims) + 1):
        for subset in itertools.combinations(dims, size):
            if subset:
                g = df.groupby(list(subset), observed=True)
                out[subset] = g[value].sum() if value else g.size()
            else:
                out[subset] = df[value].sum() if value else len(df)
    return out


def pandas_checks(df, table: str) -> dict[tuple[str, str], tuple[int, list[int]]]:
    """The engine's record checks in pandas: each rule's count and first 20 spreadsheet rows.
    (Parquet columns arrive typed, so, as in the engine, there is nothing to parse.)"""
    import numpy as np

    required, coded, id_col = CHECKS[table]

    def blank(s):
        return s.isna() | s.eq("") if s.dtype != "int64" else s.isna()

    masks = {(c, "empty"): blank(df[c]) for c in required}
    for col, (known, empty_ok) in coded.items():
        b = blank(df[col])
        masks[(col, "unknown")] = ~b & ~df[col].isin(known)
        if not empty_ok and col not in required:
            masks[(col, "empty")] = b
    masks[(id_col, "duplicate id")] = df[id_col].notna() & df[id_col].duplicated(keep=False)
    found = {}
    for key, mask in masks.items():
        n = int(mask.sum())
        if n:
            found[key] = (n, (np.flatnonzero(mask.to_numpy())[:20] + 2).tolist())
    return found


def run_pandas(paths: dict[str, Path]):
    import pandas as pd

    sexes = {"F": "female", "M": "male"}
    lo, hi, back = pd.Timestamp(START), pd.Timestamp(END), pd.Timestamp(LOOK_BACK)
    dates = {"to_pandas_kwargs": {"date_as_object": False}}  # datetime64 columns, not Python date objects

    def once():
        problems = {}
        ref = pd.read_parquet(paths["referrals"], **dates)
        problems["referrals"] = pandas_checks(ref, "referrals")
        ref = ref[(ref["referral_date"] >= back) & (ref["referral_date"] <= hi)]
        ref = ref.sort_values(["child_id", "referral_date", "referral_id"])
        gap = (ref["referral_date"] - ref.groupby("child_id")["referral_date"].shift()).dt.days
        ref["re"] = (gap <= 365).astype(int)
        r = ref[ref["referral_date"] >= lo].copy()
        r["a"] = r["area"].map(AREAS)
        csc = _cube(r, ["a", "source"])
        rr = _cube(r, ["a"], "re")

        made = pd.read_parquet(paths["safeguarding_referrals"], **dates)
        problems["safeguarding_referrals"] = pandas_checks(made, "safeguarding_referrals")
        m = made[(made["referral_date"] >= lo) & (made["referral_date"] <= hi)].copy()
        age = m["referral_date"].dt.year - m["birth_year"] - (m["referral_date"].dt.month < m["birth_month"]).astype(int)
        m["g"] = (age <= 17).map({True: "child", False: "adult"})
        m["a"] = m["area"].map(AREAS)
        m["s"] = m["sex"].map(sexes).fillna("not-known")
        sg = _cube(m, ["a", "g", "s"])
        child = _cube(m[m["g"] == "child"], ["a", "s"])
        _cube(m, ["g"])  # referral_share

        inc = pd.read_parquet(paths["incidents"], **dates)
        problems["incidents"] = pandas_checks(inc, "incidents")
        i = inc[(inc["incident_date"] >= lo) & (inc["incident_date"] <= hi)]
        incs = _cube(i, ["category", "service"])
        if any(problems.values()):
            raise SystemExit(f"pandas found problems in clean synthetic data: {problems}")
        return {"csc_referrals": csc[()], "repeat_referral_rate": round(100 * rr[()] / csc[()], 1),
                "safeguarding_referrals": sg[()], "child_safeguarding_referrals": child[()],
                "safeguarding_incidents_children": incs[()]}, 0.0
    return once


# running each in its own process ----------------------------------------------------------
def _child(fn_name: str, paths, runs: int, queue) -> None:
    once = globals()[fn_name](paths)
    cpus, checks = [], []

    def timed():
        c = cpu_seconds()
        totals, check_secs = once()
        cpus.append(cpu_seconds() - c)
        checks.append(check_secs)
        return totals

    wall, totals = median_of(timed, runs=runs)
    queue.put({"wall": wall, "cpu": statistics.median(cpus), "checks": statistics.median(checks),
               "totals": {k: float(v) for k, v in totals.items()}, "rss": peak_rss_mb()})


def in_child(fn_name: str, paths, runs: int) -> dict:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn_name, paths, runs, queue))
    proc.start()
    out = queue.get()
    proc.join()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=int(os.environ.get("MASA_BENCH_ROWS", "10000000")),
                    help="total rows over the three extracts (default 10M, or $MASA_BENCH_ROWS)")
    ap.add_argument("--runs", type=int, default=3, help="runs of each implementation; the median is reported")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/masa-bench-indicators"), help="cache for the extracts")
    args = ap.parse_args()

    header("P2 indicators")
    print(f"{args.rows:,} synthetic rows ({', '.join(f'{t} {int(args.rows * s):,}' for t, s in SPLIT.items())}), "
          f"{len(DEFINITIONS)} definitions, period {PERIOD}; median of {args.runs} runs each", flush=True)
    paths = make_extracts(args.dir, args.rows, args.seed)
    in_child("run_hand_sql", paths, 1)  # warm the file cache so no side pays for the first read
    sql = in_child("run_hand_sql", paths, args.runs)
    eng = in_child("run_engine", paths, args.runs)
    pds = in_child("run_pandas", paths, args.runs)

    def line(name, r):
        print(f"  {name:50} {r['wall']:7.2f} s wall {r['cpu']:7.2f} s CPU   peak RSS {r['rss']:6.0f} MB")
    line("masa engine, end to end (checks, SQL, disclosure)", eng)
    print(f"    of which loading and checking every record:    {eng['checks']:7.2f} s")
    print(f"    of which compiled SQL + disclosure control:    {eng['wall'] - eng['checks']:7.2f} s")
    line("hand-written DuckDB SQL (no checks, no disclosure)", sql)
    line("pandas, same figures and same record checks", pds)

    ok = True
    for name, other in (("pandas", pds), ("engine", eng)):
        diff = {k: (other["totals"].get(k), v) for k, v in sql["totals"].items() if other["totals"].get(k) != v}
        ok &= verdict(f"P2 {name} totals = hand-written SQL totals", "same" if not diff else "DIFFER", "same", not diff)
        if diff:
            print(f"    {name} vs hand-written SQL: {diff}")
    speedup = pds["wall"] / eng["wall"]
    ok &= verdict("P2 speed-up over pandas, end to end", f"{speedup:.1f}x", ">= 10x", speedup >= 10)
    ratio = (eng["wall"] - eng["checks"]) / sql["wall"]
    ok &= verdict("P2 compiled SQL + disclosure / hand SQL", f"{ratio:.2f}x", "<= 1.3x", ratio <= 1.3)
    ok &= verdict("P2 engine peak RSS", f"{eng['rss']:.0f} MB", "< 2048 MB", eng["rss"] < 2048)
    print(f"  (for information: end to end including the checks / hand SQL {eng['wall'] / sql['wall']:.2f}x; "
          f"CPU seconds, pandas / engine {pds['cpu'] / eng['cpu']:.1f}x)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
