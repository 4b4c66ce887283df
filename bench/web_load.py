"""P3: 50 concurrent simulated users against gunicorn on loopback, on SQLite (WAL) and on
PostgreSQL. Each user signs in, opens its return, saves figures (autosave endpoint), and
business-unit users view the dashboard. Prints p50/p95 and errors per backend, and the ratio
to a baseline measured in the same run (a static file through the same server).

Target: p95 < 150 ms, 0 errors. Conflicts (HTTP 409 from optimistic locking when two users
save the same return) are expected behaviour and reported separately, not as errors.

    .venv/bin/python bench/web_load.py [--users 50] [--rounds 5] [--skip-postgres]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "demo-password-2025"
PG_ADMIN = os.environ.get("MASA_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
TIME_LIMIT = 180.0


class FormFields(HTMLParser):
    """The fields a browser would post from form#return-form."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._buf = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_form = a.get("id") == "return-form"
        if not self._in_form or "name" not in a and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "file"):
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "textarea":
            self._textarea, self._buf = a["name"], ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value") or ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._buf += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, self._buf.removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    log = open(Path(env["MASA_MEDIA_ROOT"]) / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "masa", "serve", "--demo", "--port", str(port), "--workers",
                             str(workers), "--example", str(ROOT / "examples" / "luton-2024-25")],
                            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited; see {log.name}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login/", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("server did not start in 90 s")


def prepare(env: dict) -> None:
    """Open every return for editing so saves are possible (a bench database only)."""
    code = ("import masa.web as w; w.setup(migrate=True);"
            "from masa.web.core.models import Return; Return.objects.update(status='draft')")
    subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True)


def login(client: httpx.Client, base: str, user: str) -> None:
    page = client.get(f"{base}/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    r = client.post(f"{base}/login/", data={"csrfmiddlewaretoken": token, "username": user, "password": PASSWORD},
                    headers={"Referer": f"{base}/login/"})
    if r.status_code != 302:
        raise RuntimeError(f"sign-in failed for {user}: {r.status_code}")


def simulate(i: int, base: str, partners: list[str], rounds: int, stats: dict, lock: threading.Lock, stop: float,
             ready: threading.Barrier, think: float):
    rng = random.Random(i)
    bu = i % 5 == 0
    user = "bu@example.org" if bu else f"{partners[i % len(partners)]}.contributor@example.org"
    timings, errors, conflicts, baseline = [], [], 0, []
    with httpx.Client(timeout=30, follow_redirects=False) as c:
        try:
            login(c, base, user)
            listing = c.get(f"{base}/returns/", follow_redirects=True).text
            ids = re.findall(r'href="/returns/(\d+)/"', listing)
        except Exception as exc:
            with lock:
                stats["errors"].append(f"user {i}: {exc}")
            ids = []
        ready.wait()  # sign-ins (Argon2, deliberately slow) are not part of the timed phase
        for n in range(rounds):
            if time.time() > stop:
                break
            try:
                conflicts += one_round(c, base, i, n, ids, bu, rng, think, timings, errors, baseline)
            except httpx.HTTPError as exc:
                errors.append(f"user {i} round {n}: {type(exc).__name__}: {exc}")
    with lock:
        stats["timings"] += timings
        stats["errors"] += errors
        stats["conflicts"] += conflicts
        stats["baseline"] += baseline


def one_round(c, base, i, n, ids, bu, rng, think, timings, errors, baseline) -> int:
    """Dashboard (business unit), return page, and a figures save (partners). Returns conflicts."""
    pk = ids[(i + n) % len(ids)] if ids else None

    def timed(method, url, **kw):
        time.sleep(rng.uniform(0.5, 1.5) * think)  # a person reads before the next click
        t = time.perf_counter()
        r = c.request(method, url, **kw)
        kind = "dashboard" if url.endswith("/bu/") else "save" if method == "POST" else "return page"
        timings.append((kind, time.perf_counter() - t))
        return r

    t = time.perf_counter()
    c.get(f"{base}/static/masa/masa.css")
    baseline.append(time.perf_counter() - t)
    if bu:
        r = timed("GET", f"{base}/bu/")
        if r.status_code != 200:
            errors.append(f"dashboard {r.status_code}")
    if pk is None:
        return 0
    r = timed("GET", f"{base}/returns/{pk}/")
    if r.status_code != 200:
        errors.append(f"return page {r.status_code}")
        return 0
    if bu:
        return 0
    parser = FormFields()
    parser.feed(r.text)
    fields = dict(parser.fields)
    totals = [k for k in fields if k.startswith("fig|") and k.endswith("|")]  # totals: no breakdown rule
    if totals:
        fields[totals[0]] = str(50 + (i * 7 + n) % 40)  # valid as a count and as a percentage
    r = timed("POST", f"{base}/returns/{pk}/autosave/", data=fields, headers={"Referer": f"{base}/returns/{pk}/"})
    if r.status_code == 409:
        return 1
    if r.status_code != 200:
        errors.append(f"save {r.status_code}: {r.text[:200]}")
    return 0


def run(label: str, env: dict, users: int, rounds: int, workers: int, think: float) -> dict:
    port = free_port()
    server = start_server(env, port, workers)
    try:
        prepare(env)
        base = f"http://127.0.0.1:{port}"
        partners = ["bfrs", "bhft", "ccs", "cgl", "elft", "icb", "lbc", "nspcc", "police", "yps"]
        stats = {"timings": [], "errors": [], "conflicts": 0, "baseline": []}
        lock = threading.Lock()
        stop = time.time() + TIME_LIMIT
        ready = threading.Barrier(users + 1)
        threads = [threading.Thread(target=simulate, args=(i, base, partners, rounds, stats, lock, stop, ready, think))
                   for i in range(users)]
        for t in threads:
            t.start()
        ready.wait()
        t0 = time.perf_counter()
        for t in threads:
            t.join(TIME_LIMIT + 30)
        wall = time.perf_counter() - t0
    finally:
        server.terminate()
        server.wait(10)
    ms = sorted(x * 1000 for _, x in stats["timings"])
    kinds = {k: sorted(x * 1000 for kk, x in stats["timings"] if kk == k) for k in {k for k, _ in stats["timings"]}}
    base_ms = sorted(x * 1000 for x in stats["baseline"])
    q = lambda xs, p: xs[min(len(xs) - 1, int(p * len(xs)))] if xs else float("nan")
    out = {"label": label, "requests": len(ms), "p50": q(ms, 0.5), "p95": q(ms, 0.95), "errors": len(stats["errors"]),
           "conflicts": stats["conflicts"], "wall": wall, "base_p95": q(base_ms, 0.95),
           "mean": statistics.fmean(ms) if ms else float("nan"), "first_errors": stats["errors"][:5],
           "by_kind": {k: (len(v), q(v, 0.5), q(v, 0.95)) for k, v in sorted(kinds.items())}}
    return out


def report(r: dict) -> None:
    ok = r["p95"] < 150 and r["errors"] == 0
    print(f"{r['label']:<11} {r['requests']:>5} requests in {r['wall']:.1f} s | p50 {r['p50']:.0f} ms | "
          f"p95 {r['p95']:.0f} ms | errors {r['errors']} | conflicts (409, expected) {r['conflicts']} | "
          f"static-file baseline p95 {r['base_p95']:.0f} ms (ratio {r['p95'] / max(r['base_p95'], 0.1):.1f}×) | "
          f"{'PASS' if ok else 'FAIL'} (target p95 < 150 ms, 0 errors)")
    for kind, (n, p50, p95) in r["by_kind"].items():
        print(f"    {kind:<12} {n:>4} requests | p50 {p50:.0f} ms | p95 {p95:.0f} ms")
    for e in r["first_errors"]:
        print(f"    error: {e}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--think", type=float, default=1.0, help="mean pause between a user's requests, seconds")
    ap.add_argument("--skip-postgres", action="store_true")
    args = ap.parse_args()
    results = []
    print(f"P3 web load: {args.users} concurrent users, {args.rounds} rounds each, think time ~{args.think:g} s, "
          f"gunicorn {args.workers} workers on loopback")
    with tempfile.TemporaryDirectory(prefix="masa-bench-") as tmp:
        env = {**os.environ, "MASA_DB": f"{tmp}/bench.sqlite3", "MASA_MEDIA_ROOT": tmp, "MASA_INSECURE_HTTP": "1",
               "PYTHONPATH": str(ROOT / "src")}
        env.pop("DATABASE_URL", None)
        results.append(run("SQLite", env, args.users, args.rounds, args.workers, args.think))
        report(results[-1])
        if not args.skip_postgres:
            import psycopg

            name = f"masa_bench_{uuid.uuid4().hex[:8]}"
            try:
                with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
            except Exception as exc:
                print(f"PostgreSQL    not run: cannot reach {PG_ADMIN} ({exc})")
            else:
                try:
                    pg_env = {**env, "DATABASE_URL": PG_ADMIN.rsplit("/", 1)[0] + "/" + name}
                    results.append(run("PostgreSQL", pg_env, args.users, args.rounds, args.workers, args.think))
                    report(results[-1])
                finally:
                    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0 if all(r["p95"] < 150 and r["errors"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
