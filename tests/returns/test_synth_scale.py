"""The synthetic scale dataset (``masa synth --scale``): its shape, determinism, and that it loads
and checks like a real partnership's year, with few findings and no arithmetic slips."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from masa.cli import app
from masa.reference import first_names
from masa.returns import load_dataset
from masa.returns.scope import scope_dataset
from masa.returns.synth_scale import generate
from masa.spec import load_spec


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    out = tmp_path_factory.mktemp("scale")
    return out, generate(out, seed=7)


def test_full_size_has_three_partnerships_forty_partners_five_years_and_every_quarter(full):
    out, summary = full
    specs = [load_spec(f / "spec") for f in summary.folders]
    assert [s.partnership.code for s in specs] == summary.partnerships and len(specs) == 3
    partners = {p.code: p for s in specs for p in s.partners}
    assert len(partners) == 40
    shared = [c for c, p in partners.items() if len(p.areas) == 3]
    assert shared and all(c in {p.code for p in s.partners} for s in specs for c in shared)  # shared by all three
    assert all(len({a for p in s.partners for a in p.areas if len(p.areas) == 1}) == 1 for s in specs)
    years = specs[0].periods.financial_years
    assert years == ["2020-21", "2021-22", "2022-23", "2023-24", "2024-25"] and specs[0].periods.quarters
    # every partner has, every year, its yearly return, its voice return and one return per quarter
    got = {(p.parent.parent.name, p.parent.name, p.stem) for p in out.rglob("returns/*/*/*.yaml")}
    for code in partners:
        for year in years:
            assert (year, "appendix-b", code) in got and (year, "appendix-c", code) in got
            for q in (1, 2, 3, 4):
                assert (year, "quarterly-figures", f"{code}-q{q}") in got, f"{code} {year} Q{q} missing"
    assert summary.returns == len(got) == 40 * 5 * 6


def test_same_seed_same_bytes_other_seed_other_figures(tmp_path):
    a = generate(tmp_path / "a", seed=3, partners=6, years=2)
    b = generate(tmp_path / "b", seed=3, partners=6, years=2)
    c = generate(tmp_path / "c", seed=4, partners=6, years=2)
    files_a, files_b, files_c = (_files(s.folders[0].parent) for s in (a, b, c))
    assert files_a == files_b and len(files_a) > 50
    assert files_a.keys() == files_c.keys() and files_a != files_c


def test_small_size_loads_validates_and_checks_with_few_findings(tmp_path):
    from masa.checks import check_dataset

    summary = generate(tmp_path, seed=1, partners=6, years=2)
    datasets = [load_dataset(f) for f in summary.folders]  # raises on any invalid file or figure
    first = datasets[0]
    assert {r.period for r in first.returns} >= {"2024-25", "2024-25 Q1", "2024-25 Q4", "2023-24 Q2"}
    view = scope_dataset(first)
    findings = check_dataset(view, "2024-25")
    # The narrative's changes on the year before are computed as the checks compute them, and the
    # figures hold together: no error about a figure or a stated change, and few findings at all.
    wrong = [f for f in findings if f.severity == "error" and f.code.split(".")[0] in ("change", "figure", "quarters")]
    assert not wrong, [f.message for f in wrong]
    assert len(findings) < 15, [f.code for f in findings]
    # each stated yearly total is the sum of the year's quarters, and its change on the year
    # before is computed from the year before's quarters, on the old figure
    from masa.returns.quarters import collect, years_from_quarters

    def year_totals(partner, year):
        made = years_from_quarters(view.spec, partner, collect(view.returns, partner, year), year)
        return {dict(y.by)["area"]: y.value for y in made if y.indicator == "referrals_made"}

    checked = 0
    for ret in (r for r in view.returns if r.template == "appendix-b" and r.period == "2024-25"):
        now, before = year_totals(ret.partner, "2024-25"), year_totals(ret.partner, "2023-24")
        for s in ret.sections:
            m = re.search(r"(\d+) (?:safeguarding referrals|in 2024-25).*?, (up|down) (\d+) \(([\d.]+)%\) on 2023-24",
                          s.text)
            if not m:
                continue
            area = s.areas[0]
            n, word, diff, pct = int(m[1]), m[2], int(m[3]), float(m[4])
            assert n == now[area] and (n - before[area]) == (diff if word == "up" else -diff), s.text
            assert pct == round(diff / before[area] * 100, 1), s.text
            checked += 1
    assert checked >= 2


def test_narrative_names_no_person(full):
    out, _ = full
    names = {n.lower() for n in first_names()}
    text = " ".join(p.read_text(encoding="utf-8") for p in out.rglob("returns/2024-25/appendix-*/*.yaml"))
    capitalised = set(re.findall(r"\b[A-Z][a-z]+\b", text))
    assert len(capitalised) > 20 and not {w for w in capitalised if w.lower() in names}


def test_cli_writes_the_folders_and_refuses_a_used_folder(tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["synth", "--scale", "--out", str(tmp_path), "--partners", "6", "--years", "1"])
    assert res.exit_code == 0, res.output
    assert "3 partnerships, 6 partners" in res.output and (tmp_path / "northmoor-scp" / "spec").is_dir()
    again = runner.invoke(app, ["synth", "--scale", "--out", str(tmp_path), "--partners", "6", "--years", "1"])
    assert again.exit_code == 2 and "already exists and is not empty" in again.output
    bad = runner.invoke(app, ["synth", "--scale", "--out", str(tmp_path / "x"), "--partners", "41"])
    assert bad.exit_code == 2 and "between 4 and 40" in bad.output
