"""The record checks read each extract in one query, and still report every kind of bad row;
the re-referral window reads only the records that can matter, with the same figures."""

from __future__ import annotations

import importlib

import pytest

from masa.indicators import ExtractError, compute
from tests.indicators.indicators_helpers import by_key, unsuppressed

# One file, a different defect on almost every row (spreadsheet rows: the header is row 1).
MANY_DEFECTS = """referral_id,child_id,referral_date,birth_year,birth_month,sex,area,source
R1,C1,2024-05-01,2012,3,F,E06000032,police
R2,,2024-05-02,2012,3,F,E06000032,police
R3,C3,2024-13-45,2012,3,F,E06000032,police
R4,C4,2024-05-04,twenty,3,F,E06000032,police
R1,C5,2024-05-05,2012,3,F,E06000999,police
R6,C6,2024-05-06,2012,March,F,E06000032,carrier-pigeon
R7,C7,2024-05-07,2012,3,F,,police
R8,C8,01/06/2024,2012,3,F,E06000055,health
R9,C9,2024-06-02,2012,3,M,E06000056,other
"""

EVERY_PROBLEM = [
    "referrals.csv: column 'child_id': 1 row are empty (row 3)",
    "referrals.csv: column 'referral_date': 1 row cannot be read as a date, e.g. '2024-13-45' (row 4)",
    "referrals.csv: column 'birth_year': 1 row cannot be read as a whole number, e.g. 'twenty' (row 5)",
    "referrals.csv: column 'birth_month': 1 row cannot be read as a whole number, e.g. 'March' (row 7)",
    ("referrals.csv: column 'area': 1 row have a value the definitions do not know "
     "(known: E06000032, E06000055, E06000056), e.g. 'E06000999' (row 6)"),
    "referrals.csv: column 'area': 1 row are empty (row 8)",
    ("referrals.csv: column 'source': 1 row have a value the definitions do not know "
     "(known: education, health, individual, local-authority, other, police), e.g. 'carrier-pigeon' (row 7)"),
    "referrals.csv: column 'referral_id': 2 rows share an id with another row (duplicate id) (rows 2, 6)",
]


@pytest.fixture
def referral_defs(standard):
    return [d for d in standard if d.source.table == "referrals"]


@pytest.fixture
def statements(monkeypatch):
    """Every SQL statement the engine runs, in order."""
    seen: list[str] = []
    compute_module = importlib.import_module("masa.indicators.compute")  # the module, not the function
    real = compute_module.connect

    class Recording:
        def __init__(self, conn):
            self._conn = conn

        def execute(self, sql, *args):
            seen.append(sql)
            return self._conn.execute(sql, *args)

        def __getattr__(self, name):
            return getattr(self._conn, name)

    monkeypatch.setattr(compute_module, "connect", lambda *a, **k: Recording(real(*a, **k)))
    return seen


def test_every_kind_of_bad_row_in_one_file_is_reported(referral_defs, tmp_path):
    path = tmp_path / "referrals.csv"
    path.write_text(MANY_DEFECTS)
    with pytest.raises(ExtractError) as exc:
        compute(referral_defs, {"referrals": path}, "2024-25")
    assert [str(i) for i in exc.value.issues] == EVERY_PROBLEM


def test_lenient_quarantines_every_bad_row_once(referral_defs, tmp_path):
    path = tmp_path / "referrals.csv"
    path.write_text(MANY_DEFECTS)
    result = compute(unsuppressed(referral_defs), {"referrals": path}, "2024-25", lenient=True)
    assert result.quarantined == 7  # rows 2-8; row 6 has two defects and counts once
    assert by_key(result.values)[("csc_referrals", ())] == 2  # R8 and R9


def test_a_clean_csv_is_parsed_once_and_checked_by_one_query(referral_defs, tmp_path, statements):
    path = tmp_path / "referrals.csv"
    path.write_text("\n".join(line for i, line in enumerate(MANY_DEFECTS.splitlines()) if i in (0, 8, 9)) + "\n")
    compute(referral_defs, {"referrals": path}, "2024-25")
    parsed = [s for s in statements if '"masa_src_referrals"' in s and not s.startswith("CREATE VIEW")]
    assert len(parsed) == 1 and parsed[0].startswith('CREATE TEMP TABLE "masa_typed_referrals"'), parsed
    checks = [s for s in statements if s.startswith("SELECT") and '"masa_typed_referrals"' in s]
    assert len(checks) == 1, checks
    assert [s for s in statements if s.startswith('CREATE VIEW "referrals"')] == [
        'CREATE VIEW "referrals" AS SELECT ' + ", ".join(
            f'"{c}" AS "{c}"' for c in ("referral_id", "child_id", "referral_date", "birth_year", "birth_month",
                                        "sex", "area", "source")) + ' FROM "masa_typed_referrals"']


def test_a_clean_parquet_is_checked_by_one_query_over_the_file(referral_defs, tmp_path, statements):
    import duckdb

    path = tmp_path / "referrals.parquet"
    duckdb.sql("COPY (SELECT * FROM (VALUES ('R8', 'C8', DATE '2024-06-01', 2012, 3, 'F', 'E06000055', 'health'), "
               "('R9', 'C9', DATE '2024-06-02', 2012, 3, 'M', 'E06000056', 'other')) AS t(referral_id, child_id, "
               f"referral_date, birth_year, birth_month, sex, area, source)) TO '{path}' (FORMAT PARQUET)")
    compute(referral_defs, {"referrals": path}, "2024-25")
    reads = [s for s in statements if '"masa_src_referrals"' in s and not s.startswith("CREATE VIEW")]
    assert len(reads) == 1 and reads[0].startswith("SELECT COUNT(*)"), reads

REFERRALS = "referral_id,child_id,referral_date,birth_year,birth_month,sex,area,source\n"


def test_a_referral_exactly_the_look_back_before_the_period_still_counts(standard, tmp_path):
    """365 days before 1 April 2024 is 2 April 2023 (2024 is a leap year): A2 is a re-referral,
    B2 (366 days) is not, and C3's previous referral is C2, not the older C1."""
    rows = ["A1,A,2023-04-02", "A2,A,2024-04-01", "B1,B,2023-04-01", "B2,B,2024-04-01",
            "C1,C,2022-04-01", "C2,C,2023-06-01", "C3,C,2024-04-01", "D1,D,2025-04-01"]
    path = tmp_path / "referrals.csv"
    path.write_text(REFERRALS + "".join(f"{r},2012,3,F,E06000032,police\n" for r in rows))
    defs = unsuppressed([d for d in standard if d.id == "repeat_referral_rate"])
    values = by_key(compute(defs, {"referrals": path}, "2024-25").values)
    assert values[("repeat_referral_rate", ())] == 66.7  # A2 and C3 of A2, B2, C3


def test_provenance_names_the_sha256_of_the_file_read(referral_defs, tmp_path):
    """The hash is worked out beside the checks, in a thread: it must still be this file's."""
    import hashlib

    path = tmp_path / "referrals.csv"
    path.write_text("\n".join(line for i, line in enumerate(MANY_DEFECTS.splitlines()) if i in (0, 8, 9)) + "\n")
    result = compute(referral_defs, {"referrals": path}, "2024-25")
    want = hashlib.sha256(path.read_bytes()).hexdigest()
    assert {v.provenance.sha256 for v in result.values} == {want}
