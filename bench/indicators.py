"""P2: the indicator engine over 10 million synthetic rows, against two baselines.

Runs, in the same process tree and on the same Parquet files:
  1. masa.indicators.compute (extract checks, compiled SQL, disclosure control);
  2. hand-written DuckDB SQL for the same figures (no checks, no disclosure);
  3. the same figures in pandas.
Each runs in its own child process so that its peak RSS is its own. Prints wall times,
the ratio to hand-written SQL (target <= 1.3x), the speed-up over pandas (target >= 10x)
and the engine's peak RSS (target < 2 GB). The totals of the three are cross-checked.

    .venv/bin/python bench/indicators.py            # 10M rows (slow the first time: generates data)
    .venv/bin/python bench/indicators.py --rows 1000000
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import time
from pathlib import Path

PERIOD = "2024-25"
START, END = "2024-04-01", "2025-03-31"
SPLIT = {"referrals": 0.4, "safeguarding_referrals": 0.3, "incidents": 0.3}
DEFINITIONS = ["csc_referrals", "repeat_referral_rate", "safeguarding_referrals", "child_safeguarding_referrals",
               "referral_share", "safeguarding_incidents_children"]
AREA_SQL = ("CASE area WHEN 'E06000032' THEN 'luton' WHEN 'E06000055' THEN 'bedford' "
            "WHEN 'E06000056' THEN 'central-bedfordshire' END")
SEX_SQL = "CASE sex WHEN 'F' THEN 'female' WHEN 'M' THEN 'male' ELSE 'not-known' END"


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


# 1. the engine ----------------------------------------------------------------------------
def run_engine(paths: dict[str, Path]) -> tuple[float, dict, float]:
    from masa.indicators import area_map, compute, standard_definitions, with_areas
    from masa.spec import load_spec

    example = Path(__file__).resolve().parents[1] / "examples" / "luton-2024-25" / "spec"
    areas = area_map(load_spec(example))  # synth's default records are in the Luton example's areas
    defs = [d for d in with_areas(standard_definitions(), areas) if d.id in DEFINITIONS]
    t = time.perf_counter()
    result = compute(defs, paths, PERIOD)
    wall = time.perf_counter() - t
    totals = {v.indicator: v.value for v in result.values if not v.by}
    totals["_checks"] = result.check_seconds
    return wall, totals, peak_rss_mb()


# 2. hand-written DuckDB SQL ---------------------------------------------------------------
def hand_sql(paths: dict[str, Path]) -> list[str]:
    ref, made, inc = (f"read_parquet('{paths[t]}')" for t in SPLIT)
    in_period = f"referral_date BETWEEN DATE '{START}' AND DATE '{END}'"
    age = ("(year(referral_date) - birth_year - CASE WHEN month(referral_date) < birth_month THEN 1 ELSE 0 END)")
    return [
        (f"SELECT {AREA_SQL} AS a, source, GROUPING(a), GROUPING(source), COUNT(*) AS n FROM {ref} "
        f"WHERE {in_period} GROUP BY CUBE(a, source)"),
        (f"WITH r AS (SELECT area, referral_date, referral_date - LAG(referral_date) OVER "
        f"(PARTITION BY child_id ORDER BY referral_date, referral_id) AS gap FROM {ref}) "
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


def run_hand_sql(paths: dict[str, Path]) -> tuple[float, dict, float]:
    import duckdb

    t = time.perf_counter()
    conn = duckdb.connect()
    results = [conn.execute(sql).fetchall() for sql in hand_sql(paths)]
    wall = time.perf_counter() - t

    def grand(rows, width, col=-1):
        return next(r[col] for r in rows if all(r[width + i] for i in range(width)))

    re = next(r for r in results[1] if r[1])
    totals = {"csc_referrals": grand(results[0], 2), "repeat_referral_rate": round(100 * re[3] / re[2], 1),
              "safeguarding_referrals": grand(results[2], 3), "child_safeguarding_referrals": grand(results[3], 2),
              "safeguarding_incidents_children": grand(results[5], 2)}
    return wall, totals, peak_rss_mb()


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


def run_pandas(paths: dict[str, Path]) -> tuple[float, dict, float]:
    import pandas as pd

    areas = {"E06000032": "luton", "E06000055": "bedford", "E06000056": "central-bedfordshire"}
    sexes = {"F": "female", "M": "male"}
    lo, hi = pd.Timestamp(START), pd.Timestamp(END)
    t = time.perf_counter()
    ref = pd.read_parquet(paths["referrals"])
    ref["referral_date"] = pd.to_datetime(ref["referral_date"])
    ref = ref.sort_values(["child_id", "referral_date", "referral_id"])
    gap = (ref["referral_date"] - ref.groupby("child_id")["referral_date"].shift()).dt.days
    ref["re"] = (gap <= 365).astype(int)
    ref["a"] = ref["area"].map(areas)
    r = ref[(ref["referral_date"] >= lo) & (ref["referral_date"] <= hi)]
    csc = _cube(r, ["a", "source"])
    rr = _cube(r, ["a"], "re")

    made = pd.read_parquet(paths["safeguarding_referrals"])
    made["referral_date"] = pd.to_datetime(made["referral_date"])
    m = made[(made["referral_date"] >= lo) & (made["referral_date"] <= hi)].copy()
    age = m["referral_date"].dt.year - m["birth_year"] - (m["referral_date"].dt.month < m["birth_month"]).astype(int)
    m["g"] = (age <= 17).map({True: "child", False: "adult"})
    m["a"] = m["area"].map(areas)
    m["s"] = m["sex"].map(sexes).fillna("not-known")
    sg = _cube(m, ["a", "g", "s"])
    child = _cube(m[m["g"] == "child"], ["a", "s"])
    share = _cube(m, ["g"])

    inc = pd.read_parquet(paths["incidents"])
    inc["incident_date"] = pd.to_datetime(inc["incident_date"])
    i = inc[(inc["incident_date"] >= lo) & (inc["incident_date"] <= hi)]
    incs = _cube(i, ["category", "service"])
    wall = time.perf_counter() - t
    totals = {"csc_referrals": csc[()], "repeat_referral_rate": round(100 * rr[()] / csc[()], 1),
              "safeguarding_referrals": sg[()], "child_safeguarding_referrals": child[()],
              "safeguarding_incidents_children": incs[()]}
    del share
    return wall, totals, peak_rss_mb()


def _child(fn_name: str, paths, queue) -> None:
    queue.put(globals()[fn_name](paths))


def in_child(fn_name: str, paths) -> tuple[float, dict, float]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn_name, paths, queue))
    proc.start()
    out = queue.get()
    proc.join()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=10_000_000, help="total rows over the three extracts")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/masa-bench-indicators"), help="cache for the extracts")
    ap.add_argument("--no-pandas", action="store_true", help="skip the (slow) pandas baseline")
    args = ap.parse_args()

    print(f"P2 indicators: {args.rows:,} synthetic rows "
          f"({', '.join(f'{t} {int(args.rows * s):,}' for t, s in SPLIT.items())}), "
          f"{len(DEFINITIONS)} definitions, period {PERIOD}", flush=True)
    paths = make_extracts(args.dir, args.rows, args.seed)
    in_child("run_hand_sql", paths)  # warm the file cache so neither side pays for the first read
    sql_wall, sql_totals, sql_rss = in_child("run_hand_sql", paths)
    eng_wall, eng_totals, eng_rss = in_child("run_engine", paths)
    checks = eng_totals.pop("_checks")
    print(f"  masa engine, end to end:                          {eng_wall:7.2f} s   peak RSS {eng_rss:7.0f} MB")
    print(f"    of which checking every record of the extracts: {checks:7.2f} s")
    print(f"    of which compiled SQL + disclosure control:     {eng_wall - checks:7.2f} s")
    print(f"  hand-written DuckDB SQL (no checks, no disclosure): {sql_wall:5.2f} s   peak RSS {sql_rss:7.0f} MB")
    ratio = (eng_wall - checks) / sql_wall
    print(f"  ratio to hand-written SQL, same figures: {ratio:.2f}x  (target <= 1.3x: {'PASS' if ratio <= 1.3 else 'FAIL'})")
    print(f"  ratio to hand-written SQL, including the record checks: {eng_wall / sql_wall:.2f}x")
    mismatch = {k: (eng_totals.get(k), v) for k, v in sql_totals.items() if eng_totals.get(k) != v}
    if mismatch:
        print(f"  WARNING: engine and hand SQL totals differ: {mismatch}")
    if not args.no_pandas:
        pd_wall, pd_totals, pd_rss = in_child("run_pandas", paths)
        speedup = pd_wall / eng_wall
        print(f"  pandas:                                           {pd_wall:7.2f} s   peak RSS {pd_rss:7.0f} MB")
        print(f"  engine speed-up over pandas: {speedup:.1f}x  (target >= 10x: {'PASS' if speedup >= 10 else 'FAIL'})")
        print(f"    compiled SQL + disclosure alone: {pd_wall / (eng_wall - checks):.1f}x; "
              f"hand-written SQL: {pd_wall / sql_wall:.1f}x (pandas does no record checks either)")
        bad = {k: (pd_totals.get(k), v) for k, v in sql_totals.items() if pd_totals.get(k) != v}
        if bad:
            print(f"  WARNING: pandas and hand SQL totals differ: {bad}")
    print(f"  engine peak RSS: {eng_rss:.0f} MB  (target < 2048 MB: {'PASS' if eng_rss < 2048 else 'FAIL'})")


if __name__ == "__main__":
    main()
