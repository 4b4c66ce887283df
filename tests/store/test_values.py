"""Figures computed on a partner's machine load into that partner's return, and the report
says where they came from."""

from __future__ import annotations

import json

import pytest

from masa.indicators import compute
from masa.indicators.synth import write_extracts
from masa.spec import SpecError
from tests.indicators.indicators_helpers import luton_definitions

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def values_file(tmp_path_factory):
    """Real computed output: the standard referrals definition over a synthetic extract."""
    folder = tmp_path_factory.mktemp("extracts")
    write_extracts(folder, rows=2000, seed=3)
    defs = [d for d in luton_definitions() if d.id == "csc_referrals"]
    result = compute(defs, {"referrals": folder / "referrals.csv"}, "2025-26")
    path = folder / "values.json"
    result.write(path)
    return path


def test_computed_figures_join_a_draft_and_the_report_shows_their_provenance(example_dir, values_file, tmp_path):
    from masa.report import build_report
    from masa.web.store import dataset_for, load_folder
    from masa.web.values import load_values

    load_folder(example_dir)
    done = load_values("luton", "lbc", values_file)
    assert (done.period, done.status, done.replaced) == ("2025-26", "draft", 0)
    written = json.loads(values_file.read_text())["values"]
    assert done.added == len(written) > 0
    dataset = dataset_for("luton", "2025-26")
    lbc = next(r for r in dataset.returns if r.partner == "lbc")
    stored = {v.key("lbc", "2025-26"): v for v in lbc.values}
    # Luton's view holds the figures of Luton only (the synthetic extract spans every spec area)
    lutons = [v for v in written if v["by"].get("area", "luton") == "luton"]
    assert 0 < len(lutons) < len(written)
    assert not any(v.by.get("area") not in (None, "luton") for v in lbc.values)
    for v in lutons:
        got = stored[(v["indicator"], "lbc", v["period"], tuple(sorted(v["by"].items())))]
        assert got.value == v["value"] and got.provenance.sha256 == v["provenance"]["sha256"]
    html = build_report(dataset, "2025-26", ["html"], tmp_path, draft=True)["html"].read_text(encoding="utf-8")
    assert "Source: computed by masa with csc_referrals@1 from referrals.csv" in html

    again = load_values("luton", "lbc", values_file)  # loading again replaces, never duplicates
    assert again.replaced == len(written)


def test_a_submitted_return_is_not_changed(example_dir, values_file):
    from masa.web.core.models import DataValue
    from masa.web.store import load_folder
    from masa.web.values import load_values

    load_folder(example_dir)
    before = DataValue.objects.count()
    data = json.loads(values_file.read_text())
    data["period"] = "2024-25"
    for v in data["values"]:
        v["period"] = "2024-25"
    path = values_file.parent / "for-2024-25.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SpecError, match=r"elft return for 2024-25 \(appendix-b\) is submitted"):
        load_values("luton", "elft", path)
    assert DataValue.objects.count() == before


@pytest.mark.parametrize("content,message", [
    ('{"period": "2025-26", "values": [', "not valid JSON"),
    ('{"period": "2025-26", "values": [{"indicator": "nope", "value": 1}]}', "unknown indicator 'nope'"),
    ('{"period": "2025-26", "values": [{"indicator": "csc_referrals", "value": "many"}]}', "values.0.value"),
    ('{"period": "2031-32", "values": []}', "unknown period '2031-32'"),
])
def test_bad_values_files_are_refused_with_where(example_dir, tmp_path, content, message):
    from masa.web.core.models import DataValue
    from masa.web.store import UnknownChoice, load_folder
    from masa.web.values import load_values

    load_folder(example_dir)
    before = DataValue.objects.count()
    path = tmp_path / "values.json"
    path.write_text(content)
    with pytest.raises((SpecError, UnknownChoice)) as exc:
        load_values("luton", "lbc", path)
    assert message in str(exc.value)
    assert DataValue.objects.count() == before
