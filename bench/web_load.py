"""P3: the web under load. 50 concurrent users with think time, driven by wrk (a C load
generator) against `masa serve` (gunicorn) on loopback, on SQLite (WAL) and on PostgreSQL.

This script prepares and measures; wrk makes the requests (bench/wrk/users.lua), so the
load generator does not compete with the server for the CPU the way a Python one did.

1. Load the three Pan-Bedfordshire examples into a scratch database with the demo users.
   Luton approves and publishes every Appendix C return (so the public pages have content);
   every Luton partner's Appendix B is opened as a draft (so its contributor can save it).
2. Start `masa serve` (gunicorn, --workers), sign the users in with httpx (Argon2 sign-ins
   are not timed), and read each saver's form, CSRF token and lock version.
3. Run one wrk per request kind at once, each thread one user with a think time of
   0.5-1.5 s before every request:
     dashboard   10 users  the business unit's /luton/bu/
     return page 15 users  5 business-unit readers (Luton's scope of a shared return) and
                           10 contributors, each reading its own returns
     save        10 users  each contributor autosaves its own Appendix B with one figure changed
     public      15 users  anonymous readers of /luton/published/, its 2024-25 report, the dataset
   and beside them the static-file baseline (2 connections on /static/masa/masa.css, not
   counted among the 50).
4. Three runs per backend; the median of each percentile over the runs is reported.

wrk is pinned with `taskset` to the last CPU; the server is pinned to the other CPUs when
there are at least 4 (on 2 cores it keeps both: pinning it to one would halve it).

Target per request kind: p95 < 150 ms; 0 errors (any answer but 200, or a socket error).
Exit 1 when any target fails.

    .venv/bin/python bench/web_load.py [--seconds 30] [--runs 3] [--workers 4] [--skip-postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import header, load_text, verdict
from web_load_fields import form_fields

ROOT = Path(__file__).resolve().parents[1]
LUA = ROOT / "bench" / "wrk" / "users.lua"
PASSWORD = "demo-password-2025"
PG_ADMIN = os.environ.get("MASA_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
TARGET_MS = 150.0
PARTNERS = ["bfrs", "bhft", "ccs", "cgl", "elft", "icb", "lbc", "nspcc", "police", "yps"]
USERS = {"dashboard": 10, "return page": 15, "save": 10, "public": 15}
STATIC_CONNECTIONS = 2
KINDS = [*USERS, "static"]

PREPARE = """
import masa.web as w
w.setup(migrate=True)
from pathlib import Path
from masa.cli.web_cmd import DEMO_EXAMPLES, _load_demo
_load_demo([Path(p) for p in DEMO_EXAMPLES])
from django.contrib.auth import get_user_model
from masa.web import publishing
from masa.web.core.models import Return
from masa.web.workflow import transitions
# a bench database only: the examples keep deliberate defects, which would block approval
transitions._refuse = lambda *a, **k: None
publishing.refusal = lambda *a, **k: ""
bu = get_user_model().objects.get(username="bu@example.org")
rows = Return.objects.select_related("partner", "template", "period").filter(partner__partnerships__code="luton")
for row in rows.filter(template__code="appendix-c").distinct():
    for action in ("approve", "publish"):
        transitions.move(row, action, bu, partnership="luton")
Return.objects.filter(pk__in=rows.filter(template__code="appendix-b").values("pk")).update(status="draft")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpus() -> list[int]:
    return sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else list(range(os.cpu_count() or 1))


def pinning() -> tuple[list[str], list[str], str]:
    """(server prefix, generator prefix, description)."""
    have = cpus()
    if not shutil.which("taskset") or len(have) < 2:
        return [], [], "no pinning (taskset missing or one CPU)"
    gen = ["taskset", "-c", str(have[-1])]
    if len(have) >= 4:
        rest = ",".join(map(str, have[:-1]))
        return ["taskset", "-c", rest], gen, f"wrk on CPU {have[-1]}, server on CPUs {rest}"
    return [], gen, f"wrk on CPU {have[-1]}; server and database unpinned (only {len(have)} CPUs)"


def start_server(env: dict, port: int, workers: int, prefix: list[str]) -> subprocess.Popen:
    log = open(Path(env["MASA_MEDIA_ROOT"]) / "server.log", "w")  # noqa: SIM115 (the server's, while it runs)
    proc = subprocess.Popen([*prefix, sys.executable, "-m", "masa", "serve", "--port", str(port), "--workers",
                             str(workers), "--no-worker"],
                            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited; see {log.name}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login/", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("server did not start in 120 s")


def sign_in(base: str, user: str) -> httpx.Client:
    c = httpx.Client(base_url=base, timeout=60, follow_redirects=False)
    page = c.get("/login/")
    token = c.cookies.get("csrftoken")
    r = c.post("/login/", data={"csrfmiddlewaretoken": token, "username": user, "password": PASSWORD},
               headers={"Referer": f"{base}/login/"})
    if r.status_code != 302:
        raise RuntimeError(f"sign-in failed for {user}: {r.status_code} {page.status_code}")
    return c


def cookie_of(c: httpx.Client) -> str:
    return "; ".join(f"{k}={v}" for k, v in c.cookies.items())


def returns_of(c: httpx.Client, code: str = "luton") -> dict[str, str]:
    """return page path -> partner name, from the person's returns list."""
    import re

    html = c.get(f"/{code}/returns/", follow_redirects=True).text
    out = {}
    for m in re.finditer(r'href="(/[a-z-]+/returns/\d+/)"[^>]*>([^<]*)', html):
        out.setdefault(m.group(1), m.group(2))
    return out


def lua(value) -> str:
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a valid Lua string literal here (ASCII, \" and \\ escapes)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "{" + ", ".join(lua(v) for v in value) + "}"
    return "{" + ", ".join(f"[{json.dumps(k)}] = {lua(v)}" for k, v in value.items()) + "}"


def prepare_users(base: str) -> dict:
    """What each simulated user of each kind needs: cookie, paths, and for savers the form."""

    data: dict = {"base": base, "dashboard": [], "return page": [], "save": [], "public": [], "static": []}
    bu = sign_in(base, "bu@example.org")
    bu_returns = [p for p in returns_of(bu) if p.startswith("/luton/")]
    data["dashboard"].append({"cookie": cookie_of(bu), "paths": ["/luton/bu/"]})
    data["return page"] += [{"cookie": cookie_of(bu), "paths": bu_returns[i::5]} for i in range(5)]
    for code in PARTNERS:
        c = sign_in(base, f"{code}.contributor@example.org")
        mine = returns_of(c)
        data["return page"].append({"cookie": cookie_of(c), "paths": sorted(mine)})
        draft, fields, totals = "", {}, []
        for path in sorted(mine):  # the return open for editing: its form has figures to change
            fields = form_fields(c.get(path).text)
            # a figure with no breakdown (a total, so no sum rule to break), else a part's text
            totals = [k for k in fields if k.startswith("fig|") and k.endswith("|")]
            totals += [k for k in fields if k.startswith("sec-") and k.endswith("-text") and fields[k]]
            if totals and "lock_version" in fields:
                draft = path
                break
        if not draft:
            raise RuntimeError(f"{code}: none of {sorted(mine)} has a figure to change")
        lock = int(fields["lock_version"])
        fields[totals[0]] = "@VALUE@" if totals[0].startswith("fig|") else fields[totals[0]] + " (draft @VALUE@)"
        fields["lock_version"] = "@LOCK@"
        body = urlencode(list(fields.items())).replace("%40VALUE%40", "@VALUE@").replace("%40LOCK%40", "@LOCK@")
        data["save"].append({"cookie": cookie_of(c), "paths": [draft + "autosave/"], "body": body, "lock": lock,
                             "csrf": c.cookies.get("csrftoken"), "referer": draft})
    data["public"].append({"cookie": "", "paths": ["/luton/published/", "/luton/published/2024-25/",
                                                   "/luton/published/dataset/"]})
    data["static"].append({"cookie": "", "paths": ["/static/masa/masa.css"]})
    return data


def warm(base: str, data: dict) -> None:
    """Each page once per worker or so, so the runs measure a warm server."""
    with httpx.Client(base_url=base, timeout=60) as c:
        for _ in range(3):
            for kind in ("dashboard", "return page", "public"):
                for u in data[kind]:
                    for p in u["paths"]:
                        r = c.get(p, headers={"Cookie": u["cookie"]} if u["cookie"] else {})
                        if r.status_code != 200:
                            raise RuntimeError(f"warm-up: {p} answered {r.status_code}")


def refresh_locks(base: str, data: dict) -> None:
    """Each saver's current lock version, as its page gives it now."""
    with httpx.Client(base_url=base, timeout=60) as c:
        for u in data["save"]:
            fields = form_fields(c.get(u["referer"], headers={"Cookie": u["cookie"]}).text)
            u["lock"] = int(fields["lock_version"])


def one_run(url: str, datafile: Path, seconds: int, gen_prefix: list[str]) -> dict[str, dict]:
    procs = {}
    for kind in KINDS:
        n = USERS.get(kind, STATIC_CONNECTIONS)
        procs[kind] = subprocess.Popen(
            [*gen_prefix, "wrk", "-t", str(n), "-c", str(n), "-d", f"{seconds}s", "--timeout", "10s",
             "-s", str(LUA), url, "--", str(datafile), kind],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out = {}
    for kind, p in procs.items():
        stdout, stderr = p.communicate(timeout=seconds + 60)
        line = next((x for x in stdout.splitlines() if x.startswith("{")), None)
        if p.returncode != 0 or line is None:
            raise RuntimeError(f"wrk for {kind} failed ({p.returncode}): {stderr.strip()[:500]} {stdout[-500:]}")
        out[kind] = json.loads(line)
    return out


def errors_of(r: dict) -> int:
    return r["not_200"] + r["connect"] + r["read"] + r["write"] + r["timeout"]


def measure(label: str, env: dict, args, prefixes) -> dict:
    server_prefix, gen_prefix, _ = prefixes
    subprocess.run([sys.executable, "-c", PREPARE], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = start_server(env, port, args.workers, server_prefix)
    base = f"http://127.0.0.1:{port}"
    runs = []
    try:
        data = prepare_users(base)
        warm(base, data)
        datafile = Path(env["MASA_MEDIA_ROOT"]) / "users.lua"
        for i in range(args.runs):
            if i:
                time.sleep(5)  # let the saves wrk left in flight at the end of the last run finish
            refresh_locks(base, data)  # the previous run's saves moved them on
            datafile.write_text("return " + lua(data) + "\n")
            print(f"  {label} run {i + 1}/{args.runs}: {args.seconds} s ({load_text()})", flush=True)
            runs.append(one_run(base, datafile, args.seconds, gen_prefix))
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
    return {kind: {"p50": statistics.median(r[kind]["p50_ms"] for r in runs),
                   "p95": statistics.median(r[kind]["p95_ms"] for r in runs),
                   "p99": statistics.median(r[kind]["p99_ms"] for r in runs),
                   "requests": sum(r[kind]["requests"] for r in runs),
                   "errors": sum(errors_of(r[kind]) for r in runs),
                   "first_errors": " ".join(r[kind]["first_errors"] for r in runs if r[kind]["first_errors"])[:400]}
            for kind in KINDS}


def report(label: str, res: dict) -> bool:
    print(f"{label}: median of the runs, milliseconds")
    print(f"    {'kind':<12} {'requests':>8} {'p50':>8} {'p95':>8} {'p99':>8} {'errors':>7}")
    for kind in KINDS:
        r = res[kind]
        print(f"    {kind:<12} {r['requests']:>8} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} {r['errors']:>7}"
              + ("   (baseline, not a target)" if kind == "static" else ""))
        if r["first_errors"]:
            print(f"        first errors: {r['first_errors']}")
    ok = True
    for kind in USERS:
        r = res[kind]
        ok &= verdict(f"P3 {label} {kind} p95", f"{r['p95']:.0f} ms", f"< {TARGET_MS:.0f} ms", r["p95"] < TARGET_MS)
    errors = sum(res[k]["errors"] for k in KINDS)
    ok &= verdict(f"P3 {label} errors", str(errors), "0", errors == 0)
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=30, help="length of each run")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (4 threads each)")
    ap.add_argument("--skip-postgres", action="store_true")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed: run scripts/install-system-deps.sh (Debian package wrk)")
        return 2
    prefixes = pinning()
    header(f"P3 web load: {sum(USERS.values())} users with think time 0.5-1.5 s, wrk, gunicorn {args.workers} "
           f"workers x 4 threads, {args.runs} runs of {args.seconds} s per backend")
    print(f"  pinning: {prefixes[2]}")
    ok = True
    with tempfile.TemporaryDirectory(prefix="masa-bench-") as tmp:
        # MASA_AUDIT_DIR: the audit key and anchor stay in the scratch folder on PostgreSQL too,
        # never in the person's ~/.local/share/masa
        env = {**os.environ, "MASA_DB": f"{tmp}/bench.sqlite3", "MASA_MEDIA_ROOT": tmp, "MASA_INSECURE_HTTP": "1",
               "MASA_AUDIT_DIR": tmp, "PYTHONPATH": str(ROOT / "src")}
        env.pop("DATABASE_URL", None)
        ok &= report("SQLite", measure("SQLite", env, args, prefixes))
        if not args.skip_postgres:
            import psycopg

            name = f"masa_bench_{uuid.uuid4().hex[:8]}"
            try:
                with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
            except (psycopg.Error, OSError) as exc:
                print(f"PostgreSQL not run: cannot reach {PG_ADMIN} ({exc})")
                ok = False
            else:
                try:
                    pg_tmp = Path(tmp) / "pg"
                    pg_tmp.mkdir()
                    pg_env = {**env, "DATABASE_URL": PG_ADMIN.rsplit("/", 1)[0] + "/" + name,
                              "MASA_MEDIA_ROOT": str(pg_tmp)}
                    ok &= report("PostgreSQL", measure("PostgreSQL", pg_env, args, prefixes))
                finally:
                    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"P3 {'PASS' if ok else 'FAIL'} ({load_text()})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
