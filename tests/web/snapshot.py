"""Load a fixture's rows once per test process, then copy them back into each test's database.

Why: loading the Luton example through ``load_folder`` costs most of a second, and hundreds of
web tests each start from it, on SQLite and again on PostgreSQL. The first test in a process
builds the rows for real and records what the build added to each table; every later test gets
the same rows inserted raw, inside its own transaction (rolled back as before), in a few
milliseconds. Each test still starts from the database it would have had: the rows are copied
only onto the same starting state they were recorded on (checked per test), otherwise the
fixture is built for real again and recorded anew. Tests that commit (``transactional_db``,
browser tests) build for real.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass
class _Recording:
    base: str  # fingerprint of the database before the build
    rows: dict[str, list] = field(default_factory=dict)  # table -> rows the build added
    extra: object = None  # what the builder returned that is not in the database


_recorded: dict[str, _Recording] = {}


def _tables(connection) -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _rows(cursor, connection, table: str) -> list:
    q = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":  # as JSON text: round-trips every column type
        cursor.execute(f"SELECT row_to_json(t)::text FROM {q} t")
        return sorted(r[0] for r in cursor.fetchall())
    cursor.execute(f"SELECT * FROM {q}")
    return sorted(cursor.fetchall(), key=repr)


def _state(connection) -> dict[str, list]:
    with connection.cursor() as cur:
        return {t: _rows(cur, connection, t) for t in _tables(connection)}


def _fingerprint(connection, state: dict[str, list] | None = None) -> str:
    """Every table's row count plus the content of the tables already filled (content types,
    permissions, anything a test committed): rows copied back refer to those by id."""
    tables = _tables(connection)
    h = hashlib.sha256()
    with connection.cursor() as cur:
        if state is None:
            q = connection.ops.quote_name
            cur.execute(" UNION ALL ".join(f"SELECT {i}, COUNT(*) FROM {q(t)}" for i, t in enumerate(tables)))
            counts = dict(cur.fetchall())
        for i, t in enumerate(tables):
            if state is not None:
                rows = state[t]
            else:
                rows = _rows(cur, connection, t) if counts[i] else []
            h.update(f"{t}:{len(rows)}:{rows!r};".encode())
    return h.hexdigest()


def _insert(connection, table: str, rows: list) -> None:
    q = connection.ops.quote_name(table)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"INSERT INTO {q} SELECT * FROM json_populate_recordset(NULL::{q}, %s::json)",
                        ["[" + ",".join(rows) + "]"])
        else:
            marks = ",".join(["%s"] * len(rows[0]))
            cur.executemany(f"INSERT INTO {q} VALUES ({marks})", rows)


def _reset_sequences(connection, tables) -> None:
    """PostgreSQL: ids inserted explicitly do not move the sequences; the next row a test adds
    must not take an id already copied in. (SQLite's AUTOINCREMENT follows by itself.)"""
    if connection.vendor != "postgresql":
        return
    from django.apps import apps
    from django.core.management.color import no_style

    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in tables]
    with connection.cursor() as cur:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cur.execute(sql)


def restore(name: str, build, key: str = ""):
    """The rows ``build()`` adds, in the current test's database; returns what ``build`` returned.

    ``key`` names anything outside the database the rows depend on (the audit key the audit
    rows are signed with): a different key records anew."""
    from django.db import connection

    name = f"{name}|{connection.vendor}|{key}"
    rec = _recorded.get(name)
    if rec is not None and rec.base == _fingerprint(connection):
        for table, rows in rec.rows.items():
            _insert(connection, table, rows)
        _reset_sequences(connection, set(rec.rows))
        return rec.extra
    before = _state(connection)
    extra = build()
    after = _state(connection)
    added = {}
    for table, rows in after.items():
        old = set(map(repr, before.get(table, [])))
        if not old <= set(map(repr, rows)):
            _recorded.pop(name, None)  # the build changed rows it did not add: cannot be copied
            return extra
        new = [r for r in rows if repr(r) not in old]
        if new:
            added[table] = new
    _recorded[name] = _Recording(_fingerprint(connection, before), added, extra)
    return extra
