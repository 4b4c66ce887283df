"""The Luton spec loads, and every reference in it resolves."""

from __future__ import annotations

from masa.spec import load_spec
from masa.spec.models import integrity_problems
from masa.spec.rules import parse_expr, refs


def test_every_reference_in_the_example_spec_resolves(spec):
    assert integrity_problems(spec) == []
    areas = {a.code for a in spec.areas}
    assert set(spec.partnership.areas) <= areas
    for p in spec.partners:
        assert set(p.areas) <= areas, p.code
    breakdowns = {b.code for b in spec.breakdowns}
    for ind in spec.indicators:
        assert set(ind.breakdowns) <= breakdowns, ind.code
        assert ind.partner is None or ind.partner in {p.code for p in spec.partners}
    indicators = {i.code for i in spec.indicators} | {"value"}
    for rule in spec.rules:
        for side in (rule.left, rule.right):
            assert {r.indicator for r in refs(parse_expr(side))} <= indicators, rule.code


def test_pan_bedfordshire_shape(spec):
    assert {a.code for a in spec.areas} == {"luton", "bedford", "central-bedfordshire"}
    assert len(spec.partners) == 10
    police = spec.partner("police")
    assert police.statutory and set(police.areas) == {"luton", "bedford", "central-bedfordshire"}
    assert spec.partner("lbc").areas == ["luton"]


def test_partner_names_and_aliases_resolve(spec):
    assert spec.resolve_partner("Bedfordshire Fire & Rescue Services") == "bfrs"
    assert spec.resolve_partner("bedfordshire fire and rescue service") == "bfrs"
    assert spec.resolve_partner("BLMK-ICB") == "icb"
    assert spec.resolve_partner("ResoLUTIONs - CGL") == "cgl"
    assert spec.resolve_partner("Hertfordshire Constabulary") is None


def test_periods_are_financial_years_with_quarters(spec):
    fy = spec.period("2024-25")
    assert (fy.start.isoformat(), fy.end.isoformat()) == ("2024-04-01", "2025-03-31")
    q4 = spec.period("2024-25 Q4")
    assert (q4.start.isoformat(), q4.end.isoformat()) == ("2025-01-01", "2025-03-31")
    assert "2022-23" not in spec.period_codes


def test_a_single_file_spec_loads_too(tmp_path, example_dir):
    merged = "\n".join(p.read_text(encoding="utf-8") for p in sorted((example_dir / "spec").glob("*.yaml")))
    (tmp_path / "spec.yaml").write_text(merged, encoding="utf-8")
    assert load_spec(tmp_path / "spec.yaml").partnership.code == "luton"
