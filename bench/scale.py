"""Scale: does anything grow faster than the data? (issue 15, part 5)

Loads two databases and measures the same things in each:

* the baseline, the Pan-Bedfordshire examples `make demo` loads (Luton, Bedford Borough,
  Central Bedfordshire: 3 partnerships, 12 partners, one year, no quarterly returns);
* the synthetic scale dataset of ``masa synth --scale`` (3 partnerships, 40 partners,
  5 years, each with its yearly returns and 4 quarterly ones).

Measures, each the median of 3 runs: the report build (all formats, draft, from the database:
reading the partnership's view included) for one partnership's latest year (Luton; Northmoor);
the business unit's dashboard, p50 and p95 over 30 sequential requests (Django test client,
signed in as that partnership's business unit; the first request, which fills the findings
cache, is not counted) and its query count; and the database's size less the empty migrated
database's. Each measure's growth (scale / baseline) is compared with the growth of the data
it reads: the rows of the partnership's view of the year (returns, figures, parts) for the
report and the dashboard; the rows the loads stored (all tables, less the empty database's)
for the size. Target for each: it grows no faster than its data. Exit 1 on any FAIL.

Both databases are loaded first, then measured in turn, run by run, each run in a fresh
process, so a change in the shared machine's load falls on both alike. The header, each run
and every verdict print the load average. On SQLite, and on PostgreSQL (MASA_TEST_PG, default
postgresql://postgres@127.0.0.1:5432/postgres) unless --skip-postgres or unreachable.
Run: .venv/bin/python bench/scale.py [--skip-postgres] [--runs 3] [--requests 30] [--profile]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import header, verdict

PG_ADMIN = os.environ.get("MASA_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
BASELINE = [ROOT / "examples" / n for n in ("luton-2024-25", "bedford-borough-2024-25", "central-bedfordshire-2024-25")]
BU_USER = "scale-bench-bu@example.org"


# --- worker: one database, one process (Django binds to one database per process) -------------

def _rows_in_database() -> int:
    from django.db import connection

    total = 0
    with connection.cursor() as cur:
        for table in connection.introspection.table_names(cur):
            cur.execute(f'SELECT COUNT(*) FROM "{table}"')
            total += cur.fetchone()[0]
    return total


def _database_bytes() -> int:
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT pg_database_size(current_database())")
            return cur.fetchone()[0]
        cur.execute("PRAGMA page_count")
        pages = cur.fetchone()[0]
        cur.execute("PRAGMA page_size")
        return pages * cur.fetchone()[0]


def _view_rows(ds) -> int:
    """Rows of the partnership's view of the year: returns, figures and the parts of each."""
    parts = ("sections", "audits", "highlights", "challenges", "next_year", "case_studies", "attachments")
    return sum(1 + len(r.values) + sum(len(getattr(r, p)) for p in parts) for r in ds.returns)


def worker_load(args) -> dict:
    """Migrate, note the empty database's rows and size, load the folders, add the business unit."""
    from masa.web import setup

    setup(migrate=True)
    from masa.web.accounts.models import PartnershipRole
    from masa.web.demo import ensure_user
    from masa.web.store import load_folder

    empty = {"empty_rows": _rows_in_database(), "empty_bytes": _database_bytes()}
    t = time.perf_counter()
    for folder in args.folders:
        load_folder(folder, who="bench/scale.py")
    load_s = time.perf_counter() - t
    user = ensure_user(BU_USER, "business_unit", None)
    PartnershipRole.grant("bench/scale.py", user, args.partnership, "business_unit")
    return {**empty, "load_s": load_s}


def worker_measure(args) -> dict:
    """One run of each measure on the loaded database."""
    from masa.web import setup

    setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from masa.report import FORMATS, build_report
    from masa.web.store import dataset_for

    code, period = args.partnership, args.period
    ds = dataset_for(code, period)
    out: dict = {"view_rows": _view_rows(ds), "view_returns": len(ds.returns),
                 "view_figures": sum(len(r.values) for r in ds.returns), "db_rows": _rows_in_database(),
                 "db_bytes": _database_bytes()}

    def build(formats=tuple(FORMATS)):
        with tempfile.TemporaryDirectory() as tmp:
            build_report(dataset_for(code, period), period, list(formats), Path(tmp), draft=True)

    build(["html"])  # starts the chart engine once per process: not counted
    t = time.perf_counter()
    build()
    out["report_s"] = time.perf_counter() - t
    out["report_profile"] = _profile(build) if args.profile else ""

    client = Client()
    client.force_login(get_user_model().objects.get(username=BU_USER))
    url = f"/{code}/bu/"
    first = client.get(url)  # the first request fills the findings cache: not counted
    if first.status_code != 200:
        raise SystemExit(f"{url} answered {first.status_code}, not 200")
    times = []
    for _ in range(args.requests):
        t = time.perf_counter()
        r = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"{url} answered {r.status_code}, not 200")
    times.sort()
    out["dash_p50_ms"] = statistics.median(times)
    out["dash_p95_ms"] = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    out["dash_queries"] = _queries(client, url)
    out["dash_profile"] = _profile(lambda: client.get(url)) if args.profile else ""
    return out


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)


def _profile(fn) -> str:
    import cProfile
    import io
    import pstats

    prof = cProfile.Profile()
    prof.runcall(fn)
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
    return buf.getvalue()


# --- the parent: two databases, the ratios, the verdicts -------------------------------------

def run_worker(mode: str, env: dict, folders: list[Path], partnership: str, args) -> dict:
    cmd = [sys.executable, __file__, mode, "--partnership", partnership, "--period", "2024-25",
           "--requests", str(args.requests), *(["--profile"] if args.profile else []), *[str(f) for f in folders]]
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"{mode} {partnership}: the measuring process failed (exit {proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(db: str, base_env: dict, scale_env: dict, scale_folders: list[Path], scale_code: str, args):
    """Load both databases, then measure them in turn, run by run, so a change in the shared
    machine's load falls on both alike; each figure is the median of the runs."""
    loaded = {}
    for label, env, folders, code in (("baseline", base_env, BASELINE, "luton"),
                                      ("scale", scale_env, scale_folders, scale_code)):
        loaded[label] = run_worker("--load", env, folders, code, args)
        print(f"  {db} {label}: loaded in {loaded[label]['load_s']:.1f} s", flush=True)
    runs: dict[str, list[dict]] = {"baseline": [], "scale": []}
    for i in range(args.runs):
        for label, env, folders, code in (("baseline", base_env, BASELINE, "luton"),
                                          ("scale", scale_env, scale_folders, scale_code)):
            runs[label].append(run_worker("--measure", env, folders, code, args))
        print(f"  {db} run {i + 1} of {args.runs} done (load average {os.getloadavg()[0]:.2f})", flush=True)
    out = {}
    for label, results in runs.items():
        merged = {**loaded[label], **results[-1]}
        for key in ("report_s", "dash_p50_ms", "dash_p95_ms"):
            merged[key] = statistics.median(r[key] for r in results)
        out[label] = merged
    return out["baseline"], out["scale"]


def compare(db: str, base: dict, scale: dict) -> bool:
    view = scale["view_rows"] / base["view_rows"]
    stored = (scale["db_rows"] - scale["empty_rows"]) / (base["db_rows"] - base["empty_rows"])
    print(f"\n{db}: the partnership's view of 2024-25 (what the report and the dashboard read): "
          f"{base['view_rows']:,} -> {scale['view_rows']:,} rows, {view:.1f}x (returns {base['view_returns']} -> "
          f"{scale['view_returns']}, figures {base['view_figures']} -> {scale['view_figures']}); rows stored "
          f"by the loads (all tables, less the empty database's): {base['db_rows'] - base['empty_rows']:,} -> "
          f"{scale['db_rows'] - scale['empty_rows']:,}, {stored:.1f}x")
    print(f"{'':34} {'baseline':>10} {'scale':>10} {'growth':>8} {'data':>8}")
    lines = [("report build, all formats (s)", "report_s", view, "{:.2f}"),
             ("dashboard p50 (ms)", "dash_p50_ms", view, "{:.0f}"),
             ("dashboard p95 (ms)", "dash_p95_ms", view, "{:.0f}"),
             ("dashboard queries per request", "dash_queries", view, "{:d}"),
             ("database size less empty (MB)", "db_bytes", stored, "{:.1f}"),
             ("load, once (s; no target)", "load_s", stored, "{:.1f}")]
    figures = {}
    for name, key, data, fmt in lines:
        b, s = base[key], scale[key]
        if key == "db_bytes":
            b, s = (b - base["empty_bytes"]) / 1e6, (s - scale["empty_bytes"]) / 1e6
        figures[key] = (s / b if b else float("inf"), data)
        print(f"{name:34} {fmt.format(b):>10} {fmt.format(s):>10} {figures[key][0]:>7.1f}x {data:>7.1f}x")
    ok = True
    for name, key in (("report build", "report_s"), ("dashboard p50", "dash_p50_ms"),
                      ("dashboard p95", "dash_p95_ms"), ("dashboard queries", "dash_queries"),
                      ("database size", "db_bytes")):
        growth, data = figures[key]
        ok &= verdict(f"{db} {name}: growth vs data", f"{growth:.1f}x", f"<= {data:.1f}x", growth <= data)
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--load", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--partnership")
    ap.add_argument("--period", default="2024-25")
    ap.add_argument("folders", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--requests", type=int, default=30, help="dashboard requests per run")
    ap.add_argument("--skip-postgres", action="store_true", help="measure on SQLite only")
    ap.add_argument("--profile", action="store_true", help="print cProfile of a report build and a dashboard request")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.load or args.measure:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masa.web.settings")
        print(json.dumps(worker_load(args) if args.load else worker_measure(args)))
        return 0

    header("Scale: 3 partnerships, 40 partners, 5 years with quarters vs the Pan-Bedfordshire examples")
    from masa.returns.synth_scale import generate

    ok = True
    with tempfile.TemporaryDirectory(prefix="masa-scale-") as tmp:
        summary = generate(Path(tmp) / "synth", seed=args.seed)
        print(f"generated: {summary.returns} returns, {summary.values} figures, {summary.partners} partners, "
              f"{len(summary.years)} years (seed {args.seed})", flush=True)
        env = {**os.environ, "MASA_MEDIA_ROOT": tmp, "PYTHONPATH": str(ROOT / "src"),
               "MASA_AUDIT_KEY_FILE": str(Path(tmp) / "audit.key")}
        env.pop("DATABASE_URL", None)
        dbs = [("SQLite", {"MASA_DB": f"{tmp}/base.sqlite3"}, {"MASA_DB": f"{tmp}/scale.sqlite3"})]
        created: list[str] = []
        if not args.skip_postgres:
            import psycopg

            try:
                with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
                    for _ in range(2):
                        created.append(f"masa_scale_{uuid.uuid4().hex[:8]}")
                        conn.execute(f'CREATE DATABASE "{created[-1]}"')
                url = PG_ADMIN.rsplit("/", 1)[0] + "/"
                dbs.append(("PostgreSQL", {"DATABASE_URL": url + created[0]}, {"DATABASE_URL": url + created[1]}))
            except Exception as exc:  # noqa: BLE001 - the bench reports and goes on with SQLite
                print(f"PostgreSQL not measured: cannot reach {PG_ADMIN} ({exc})")
        try:
            for db, base_env, scale_env in dbs:
                base, scale = measure(db, {**env, **base_env}, {**env, **scale_env}, summary.folders,
                                      summary.partnerships[0], args)
                ok &= compare(db, base, scale)
                if args.profile:
                    for label, r in (("baseline", base), ("scale", scale)):
                        print(f"\n--- {db} {label}: report build profile\n{r['report_profile']}")
                        print(f"--- {db} {label}: dashboard profile\n{r['dash_profile']}")
        finally:
            if created:
                import psycopg

                with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                    for name in created:
                        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
