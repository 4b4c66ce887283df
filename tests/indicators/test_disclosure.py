"""Disclosure control at the boundary: no count 1-5 leaves, no "c" can be worked back from
totals, percentages on small counts are "c", and record-level values never appear."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.indicators.indicators_helpers import DATA, TABLES, by_key, tiny_extracts, unsuppressed

from masa.disclosure import SUPPRESSED, recoverable_cells
from masa.indicators import compute, pseudonym
from masa.indicators.compute import cell_keys

CATEGORIES = ["neglect", "emotional", "physical", "sexual", "domestic-abuse", "mental-health", "exploitation", "other"]
SERVICES = ["specialist-childrens", "other-services"]


def incidents_csv(path: Path, counts: dict[tuple[str, str], int]) -> Path:
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["incident_id", "incident_date", "category", "service", "area"])
        n = 0
        for (cat, svc), k in counts.items():
            for _ in range(k):
                n += 1
                w.writerow([f"I{n}", "2024-06-01", cat, svc, "E06000032"])
    return path


def constraints_for(defn, keys):
    """What a reader knows: every total equals the sum of its parts."""
    out = []
    for key in keys:
        present = {by for by, _ in key}
        for b in defn.breakdowns:
            if b.by not in present:
                out.append((key, [tuple(sorted((*key, (b.by, o)))) for o in b.option_codes]))
    return out


def published(values, indicator):
    """cell key -> int count or "c", as a reader of the output sees it."""
    return {k: (int(v) if isinstance(v, float) else v) for (ind, k), v in by_key(values).items() if ind == indicator}


def test_suppressed_cell_that_totals_would_give_away_gets_a_partner(standard, tmp_path):
    defn = next(d for d in standard if d.id == "safeguarding_incidents_children")
    defn = defn.model_copy(update={"breakdowns": defn.breakdowns[:1]})  # category only
    counts = {("neglect", "other-services"): 12, ("emotional", "other-services"): 3,
              ("physical", "other-services"): 9}
    values = compute([defn], {"incidents": incidents_csv(tmp_path / "i.csv", counts)}, "2024-25").values
    pub = published(values, defn.indicator)
    cat = lambda c: (("incident-category", c),)
    assert pub[cat("emotional")] == SUPPRESSED
    cons = constraints_for(defn, cell_keys(defn))
    # Primary suppression alone would give it away: 24 - 12 - 9 = 3.
    primary_only = {**pub, cat("neglect"): 12, cat("physical"): 9, (): 24}
    assert cat("emotional") in recoverable_cells(primary_only, cons)
    # What is published instead hides it: a second cell is suppressed too.
    assert sum(v == SUPPRESSED for v in pub.values()) >= 2
    assert recoverable_cells(pub, cons) == set()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.tuples(st.sampled_from(CATEGORIES[:4]), st.sampled_from(SERVICES)),
                       st.integers(0, 14), min_size=1))
def test_no_small_count_and_nothing_recoverable(standard, tmp_path_factory, counts):
    if not sum(counts.values()):
        counts = {("neglect", "other-services"): 1}
    defn = next(d for d in standard if d.id == "safeguarding_incidents_children")
    path = incidents_csv(tmp_path_factory.mktemp("p") / "i.csv", counts)
    values = compute([defn], {"incidents": path}, "2024-25").values
    pub = published(values, defn.indicator)
    assert not [v for v in pub.values() if isinstance(v, int) and 1 <= v <= 5]
    assert recoverable_cells(pub, constraints_for(defn, cell_keys(defn))) == set()
    # and true zeros stay 0
    for (cat, svc) in [(c, s) for c in CATEGORIES for s in SERVICES]:
        if counts.get((cat, svc), 0) == 0:
            assert pub[(("incident-category", cat), ("service", svc))] == 0


def test_percentages_on_small_counts_are_suppressed(standard):
    values = compute([d for d in standard if d.id == "repeat_referral_rate"], tiny_extracts(), "2024-25").values
    # 2 re-referrals of 6: both counts are small, so the rate is not published.
    assert by_key(values)[("repeat_referral_rate", ())] == SUPPRESSED


def test_standard_set_output_has_no_small_counts(standard):
    values = compute(standard, tiny_extracts(), "2024-25").values
    for v in values:
        if v.value is not None and v.provenance.definition.split("@")[0] != "training_sessions":
            unit = next(d.unit for d in standard if d.ref == v.provenance.definition)
            if unit == "count":
                assert not 1 <= v.value <= 5, v


def _record_level_values(standard) -> set[str]:
    fields = set()
    for d in standard:
        s = d.source
        # ids, people, dates and years of birth (a month of birth alone is just a small number)
        fields |= {(s.table, c) for c in (s.id, s.person, s.date, *(s.birth or ())[:1]) if c}
        fields |= {(s.table, c) for c, t in s.columns.items() if t in ("date", "timestamp")}
    out = set()
    for table in TABLES:
        with (DATA / f"{table}.csv").open() as fh:
            for row in csv.DictReader(fh):
                out |= {row[c] for t, c in fields if t == table and row.get(c)}
    return out


def test_record_level_fields_never_appear_in_output(standard, tmp_path):
    from masa.indicators.compute import ComputeResult

    result: ComputeResult = compute(standard, tiny_extracts(), "2024-25")
    out = tmp_path / "v.json"
    result.write(out)
    text = out.read_text()
    secrets = _record_level_values(standard)
    assert len(secrets) > 50
    strings = set()

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                strings.add(str(k))
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif node is not None:
            strings.add(str(node))

    walk(json.loads(text))
    assert secrets & strings == set()
    assert not [s for s in secrets if len(s) >= 6 and s in text]


def test_pseudonymised_ids_give_the_same_figures(standard):
    plain = by_key(compute(unsuppressed(standard), tiny_extracts(), "2024-25").values)
    keyed = by_key(compute(unsuppressed(standard), tiny_extracts(), "2024-25",
                           pseudonymise_key=b"partner-secret-key-123").values)
    assert plain == keyed


def test_pseudonym_is_a_keyed_hmac():
    import hashlib
    import hmac

    assert pseudonym(b"k" * 16, "C1") == hmac.new(b"k" * 16, b"C1", hashlib.sha256).hexdigest()
    assert pseudonym(b"k" * 16, "C1") != pseudonym(b"j" * 16, "C1")
