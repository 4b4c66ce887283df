"""The same compiled SQL gives identical results on DuckDB and PostgreSQL.

The extracts are checked and typed by DuckDB as usual; the clean tables (and the
working-day calendar) are then copied into a fresh PostgreSQL database and every standard
definition's SQL is run on both, unchanged.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.indicators.indicators_helpers import tiny_extracts

from masa.indicators.compile import compile_sql
from masa.indicators.compute import connect, prepare, run
from masa.spec.periods import parse_period

PG_TYPES = {"VARCHAR": "text", "BIGINT": "bigint", "INTEGER": "integer", "DATE": "date",
            "TIMESTAMP": "timestamp", "BOOLEAN": "boolean", "DOUBLE": "double precision"}


def copy_to_postgres(duck, pg, tables: list[str]) -> None:
    for table in tables:
        cols = duck.execute(f'DESCRIBE "{table}"').fetchall()
        columns = ", ".join(f'"{c[0]}" {PG_TYPES[c[1]]}' for c in cols)
        pg.execute(f'CREATE TABLE "{table}" ({columns})')
        rows = duck.execute(f'SELECT * FROM "{table}"').fetchall()
        if rows:
            marks = ", ".join(["%s"] * len(cols))
            with pg.cursor() as cur:
                cur.executemany(f'INSERT INTO "{table}" VALUES ({marks})', rows)


def normal(rows: list[dict]) -> list[tuple]:
    def fix(v):
        if isinstance(v, Decimal):
            return int(v) if v == int(v) else float(v)
        return v
    return sorted((tuple(sorted((k, fix(v)) for k, v in r.items())) for r in rows), key=repr)


@pytest.mark.postgres
@pytest.mark.parametrize("data,period", [("tiny", "2024-25"), ("tiny", "2024-25 Q3"), ("synthetic", "2024-25")])
def test_every_standard_definition_gives_identical_results(standard, postgres_url, tmp_path, data, period):
    import psycopg

    from masa.indicators.synth import write_extracts

    per = parse_period(period)
    duck = connect()
    extracts = tiny_extracts() if data == "tiny" else write_extracts(tmp_path, rows=900, seed=5)
    prepare(duck, standard, extracts, per)
    tables = sorted({d.source.table for d in standard} | {"masa_calendar"})
    with psycopg.connect(postgres_url, autocommit=True) as pg:
        copy_to_postgres(duck, pg, tables)
        for defn in standard:
            sql = compile_sql(defn, per)
            duck_rows, pg_rows = normal(run(duck, sql)), normal(run(pg, sql))
            assert duck_rows == pg_rows, defn.ref
            assert duck_rows, f"{defn.ref} returned nothing, so the comparison proves little"
