"""Synthetic extracts: seeded, and calibrated to the public figures in the brief."""

from __future__ import annotations

from tests.indicators.indicators_helpers import by_key, unsuppressed

from masa.indicators import compute
from masa.indicators.synth import referrals, write_extracts


def test_same_seed_same_data_other_seed_other_data():
    a, b, c = referrals(500, 1), referrals(500, 1), referrals(500, 2)
    assert all((a[k] == b[k]).all() for k in a)
    assert not (a["child_id"] == c["child_id"]).all()


def test_luton_sized_area_is_calibrated(standard, tmp_path):
    paths = write_extracts(tmp_path, seed=11, tables=["referrals"])
    defs = unsuppressed([d for d in standard if d.source.table == "referrals"])
    got = by_key(compute(defs, paths, "2024-25").values)
    assert 3000 <= got[("csc_referrals", ())] <= 3500
    assert 19.0 <= got[("repeat_referral_rate", ())] <= 25.0


def test_parquet_output(tmp_path):
    paths = write_extracts(tmp_path, rows=300, seed=2, fmt="parquet", tables=["incidents"])
    assert paths["incidents"].suffix == ".parquet" and paths["incidents"].stat().st_size > 0
