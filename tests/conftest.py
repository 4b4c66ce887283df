"""Shared fixtures. Seeds, PostgreSQL and Chromium skip locally when absent, but under
CI=true they are required: a missing one fails the test instead of skipping it."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
EXAMPLE = ROOT / "examples" / "luton-2024-25"
CHROMIUM = Path("/usr/bin/chromium")
CI = os.environ.get("CI") == "true"
PG_ADMIN_URL = os.environ.get("MASA_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def need(condition: bool, why: str) -> None:
    """Skip when a real part is missing, except under CI=true, where that is a failure."""
    if not condition:
        if CI:
            pytest.fail(f"required under CI=true but missing: {why}")
        pytest.skip(why)


def _seed(marker: str) -> Path:
    need(SEEDS.is_dir(), f"seed folder {SEEDS} not found")
    for f in sorted(SEEDS.glob("*.txt")):
        if marker in f.read_text(encoding="utf-8", errors="replace")[:400]:
            return f
    need(False, f"no seed file starting with {marker!r}")
    raise AssertionError  # unreachable


# Where masa keeps per-installation files when the database is not an SQLite file (the audit
# key and anchor; see masa.web.auditlog.keys). Tests never use the real ones.
_AUDIT_ENV = ("MASA_AUDIT_DIR", "MASA_AUDIT_KEY", "MASA_AUDIT_KEY_FILE", "XDG_DATA_HOME")


@pytest.fixture(scope="session", autouse=True)
def _no_writes_to_the_real_home(tmp_path_factory):
    """Point the data folder at a temporary one for every test and every child process it
    starts (the PostgreSQL pass would otherwise create ~/.local/share/masa/audit.key)."""
    saved = {k: os.environ.get(k) for k in _AUDIT_ENV}
    for k in _AUDIT_ENV:
        os.environ.pop(k, None)
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg-data-home"))
    yield
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    need(SEEDS.is_dir(), f"seed folder {SEEDS} not found")
    return SEEDS


@pytest.fixture(scope="session")
def seed_b_path() -> Path:
    """Appendix B, Partners Safeguarding Snapshot."""
    return _seed("Appendix B")


@pytest.fixture(scope="session")
def seed_c_path() -> Path:
    """Appendix C, Partners Voice of the Child Snapshot."""
    return _seed("Appendix C")


@pytest.fixture(scope="session")
def example_dir() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def spec():
    from masa.spec import load_spec

    return load_spec(EXAMPLE / "spec")


@pytest.fixture(scope="session")
def dataset():
    from masa.returns import load_dataset

    return load_dataset(EXAMPLE)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    need(CHROMIUM.exists(), "Debian chromium is not installed (make setup installs it)")
    return str(CHROMIUM)


BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]


class _SharedChromium:
    """One Playwright driver and one Chromium per test process, started by the first browser
    test that asks for it (each browser test launching its own cost the driver's and
    Chromium's start-up every time). Each test gets fresh contexts (cookies, storage, pages
    of its own), closed when it ends, so no test sees another's session.

    Playwright's sync API marks its event loop as running in this thread between calls
    (playwright/_impl/_greenlets.py, wait_for_future). Django refuses ORM calls while a loop
    runs in the thread, so the mark is taken off between browser tests, for every other test
    the process runs, and put back while a browser test runs."""

    def __init__(self, chromium: str):
        self.chromium, self.pw, self.browser, self.loop = chromium, None, None, None

    def start(self):
        import asyncio

        if self.browser is not None and self.browser.is_connected():
            asyncio._set_running_loop(self.loop)
            return self.browser
        from playwright.sync_api import sync_playwright

        if self.pw is not None:  # Chromium went away: a new driver and browser
            self.stop()
        self.pw = sync_playwright().start()
        self.loop = asyncio.get_running_loop()  # Playwright's own loop, marked by start()
        self.browser = self.pw.chromium.launch(executable_path=self.chromium, args=BROWSER_ARGS)
        return self.browser

    def pause(self) -> None:
        import asyncio

        asyncio._set_running_loop(None)

    def stop(self) -> None:
        import asyncio

        if self.pw is None:
            return
        asyncio._set_running_loop(self.loop)
        try:
            if self.browser is not None and self.browser.is_connected():
                self.browser.close()
            self.pw.stop()
        finally:
            self.pw = self.browser = None
            asyncio._set_running_loop(None)


@pytest.fixture(scope="session")
def _shared_chromium(chromium_path):
    shared = _SharedChromium(chromium_path)
    yield shared
    shared.stop()


class _TestBrowser:
    """What a browser test sees of the shared Chromium: ``new_context`` as on a Playwright
    Browser; every context it made is closed when the test ends."""

    def __init__(self, browser):
        self._browser, self.contexts = browser, []

    def new_context(self, **kw):
        ctx = self._browser.new_context(**kw)
        self.contexts.append(ctx)
        return ctx


@pytest.fixture
def browser(_shared_chromium, monkeypatch):
    """Chromium for one browser test: the process's shared one, fresh contexts per test.
    While it runs, Playwright's loop is marked running in this thread, so Django's check for
    ORM calls made from async code is switched off for the test (its ORM calls are
    synchronous; the pages are served by the live server's own threads, outside that loop)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    test_browser = _TestBrowser(_shared_chromium.start())
    try:
        yield test_browser
    finally:
        try:
            for ctx in test_browser.contexts:
                ctx.close()
        finally:
            _shared_chromium.pause()


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def postgres_admin_url() -> str:
    need(_pg_available(), f"PostgreSQL not reachable at {PG_ADMIN_URL}")
    return PG_ADMIN_URL


@pytest.fixture
def postgres_url(postgres_admin_url):
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    yield from _fresh_pg(postgres_admin_url)


def _fresh_pg(postgres_admin_url: str, template: str | None = None):
    import psycopg

    name = f"masa_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    base = postgres_admin_url.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(postgres_admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- databases already migrated, for tests that run `masa` in fresh processes ------------------
# Every `masa` command migrates the database it is given first (masa.web.store.migrate). On a
# new database that is most of a command's time (about 3 s of CPU for SQLite). Tests about
# something else start from a copy of a database migrated once per test process; tests about
# migrating a new database (tests/store/test_cli_processes.py) still start from an empty one.

_CHILD_ENV_DROP = ("DATABASE_URL", "MASA_DB", "DJANGO_SETTINGS_MODULE")


def _migrations_key() -> str:
    """Names the schema: every migration file of masa, and Django's version (its own apps'
    migrations). A template made from other migrations is never reused."""
    import django

    import masa

    h = hashlib.sha256(django.get_version().encode())
    src = Path(masa.__file__).resolve().parent
    for f in sorted(src.rglob("migrations/*.py")):
        h.update(str(f.relative_to(src)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:12]


def _migrate_in_a_child(**env) -> None:
    """Migrate the way a `masa` command does, in a fresh process."""
    child = {k: v for k, v in os.environ.items() if k not in _CHILD_ENV_DROP}
    child.update(env)
    r = subprocess.run([sys.executable, "-c", "from masa.web.store import migrate; migrate()"], env=child,
                       capture_output=True, text=True, timeout=600, check=False)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("migrated-template") / "template.sqlite3"
    _migrate_in_a_child(MASA_DB=str(path))
    return path


@pytest.fixture
def migrated_sqlite(_sqlite_template):
    """``migrated_sqlite(path)`` puts an SQLite database with every migration applied (and no
    rows of masa's own) at ``path`` and returns it: a copy of one migrated once per process."""

    def copy(path: Path) -> Path:
        shutil.copyfile(_sqlite_template, path)
        return path

    return copy


def _pg_template(admin_url: str) -> str:
    """The name of a PostgreSQL database with every migration applied, made once per schema
    (``_migrations_key``) and kept on the server for later runs; made under an advisory lock,
    so two test processes starting together make it once."""
    import psycopg

    name = f"masa_template_{_migrations_key()}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", [0x6D617374])  # "mast"
        try:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return name
            building = f"{name}_building"
            conn.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{building}"')
            _migrate_in_a_child(DATABASE_URL=f"{admin_url.rsplit('/', 1)[0]}/{building}")
            conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')  # whole, or not there
            return name
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", [0x6D617374])


@pytest.fixture(scope="session")
def postgres_template(postgres_admin_url) -> str:
    return _pg_template(postgres_admin_url)


@pytest.fixture
def migrated_postgres_url(postgres_admin_url, postgres_template):
    """A fresh PostgreSQL database with every migration applied, for one test: cloned from the
    migrated template (CREATE DATABASE ... TEMPLATE), dropped afterwards."""
    yield from _fresh_pg(postgres_admin_url, template=postgres_template)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """On PostgreSQL, each test process's database (test_masa_gw0, ...) is created as a copy of
    the migrated template, so the migrations are applied once per schema, not once per
    process (Django's TEST["TEMPLATE"]; its migrate then finds nothing to do)."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        return
    from urllib.parse import quote

    auth = quote(db.get("USER") or "postgres") + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    admin = f"postgresql://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/postgres"
    db.setdefault("TEST", {})["TEMPLATE"] = _pg_template(admin)


def _longest_first(items) -> None:
    """Browser and slow tests first: xdist hands tests out in collection order, and a one-minute
    browser journey collected last leaves the other worker idle while it runs (the suite's tail).
    The sort is stable, so each file's own order is kept."""
    items.sort(key=lambda item: 0 if item.get_closest_marker("browser") or item.get_closest_marker("slow") else 1)


# Set-up made once per test process and shared by several tests (a session or module fixture):
# with xdist each worker that runs one of those tests makes it again. The tests that use one
# are kept on one worker (an xdist_group), so it is made once per run. (folder or file, fixtures,
# group); fixtures None: every test of the file)
_MADE_ONCE = (
    ("tests/report/", {"published", "draft", "internal"}, "report-builds"),  # tests/report/conftest.py
    ("tests/report/test_accessibility.py", None, "report-builds"),  # request.getfixturevalue(build)
    ("tests/report/test_young_people.py", {"files"}, "young-people-draft"),
    ("tests/ingest/test_roundtrip.py", {"round_trip"}, "ingest-round-trip"),
    ("tests/returns/test_synth_scale.py", {"full"}, "synth-scale"),
    ("tests/checks/test_seeds.py", {"seed_findings"}, "seed-findings"),
)


def _made_once_on_one_worker(items) -> None:
    for item in items:
        here = Path(item.path).resolve()
        path = here.relative_to(ROOT).as_posix() if here.is_relative_to(ROOT) else ""
        for where, fixtures, group in _MADE_ONCE:
            if path.startswith(where) and (fixtures is None or fixtures & set(getattr(item, "fixturenames", ()))):
                item.add_marker(pytest.mark.xdist_group(group))
                break


class _XdistGroupNodeIds:
    """``--dist loadgroup`` keeps tests marked ``xdist_group(NAME)`` on one worker by the suffix
    ``@NAME`` on their node ids, which the workers add after collection. pytest-xdist 3.8 adds it
    by setting ``item._nodeid``; since pytest 9 a node's id is ``item._id``, so the suffix was
    lost and every group's tests were handed out one by one to any worker. This adds it the way
    pytest 9 keeps it (after xdist's own hook; a no-op once xdist does it itself)."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        if not getattr(config.option, "loadgroup", False):
            return
        from _pytest.nodeid import coerce_node_id

        for item in items:
            names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                            for m in item.iter_markers("xdist_group")})
            suffix = "@" + "_".join(names)
            if names and not item.nodeid.endswith(suffix):
                item._id = coerce_node_id(item.nodeid + suffix)


def pytest_configure(config):
    if hasattr(pytest.Item, "id"):  # pytest 9 and later (Node.id, a NodeId)
        config.pluginmanager.register(_XdistGroupNodeIds(), "masa-xdist-group-node-ids")


@pytest.hookimpl(tryfirst=True)  # before xdist's worker reads the xdist_group marks
def pytest_collection_modifyitems(config, items):
    """``pg_pass`` tests (concurrent writers) belong to the PostgreSQL pass of scripts/test.sh:
    on SQLite they are deselected, not skipped, so no required test ever shows as skipped."""
    _made_once_on_one_worker(items)
    _longest_first(items)
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("pg_pass") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
