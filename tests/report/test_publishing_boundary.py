"""The publishing boundary, drawn at random: every exit shows the same cells, and a reader
who knows how the figures add up cannot work out any count of 1 to 5.

An indicator with 1-3 breakdowns (areas among them) is filled from a consistent grid of
whole numbers: leaves for every option and quarter, totals and years added up from them.
The partner supplies a random subset of the grid. What a reader sees is each exit's
output; the reader knows every additive line of the full grid (totals over each
breakdown, a year over its quarters) and treats every cell not shown as a number as an
unknown. The rank test in ``masa.disclosure.recoverable_cells`` then says which unknowns
the reader can pin exactly; none of them may hold a true count from 1 to 5.
"""

from __future__ import annotations

import copy
import itertools
from contextlib import contextmanager
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from masa.disclosure import SUPPRESSED, recoverable_cells
from masa.report import boundary, opendata
from masa.report.builder import build_model
from masa.report.model import Table
from masa.returns import Dataset, DataValue, Return
from masa.spec import load_spec
from masa.spec.models import Indicator
from tests.conftest import EXAMPLE

YEAR, BEFORE = "2024-25", "2023-24"
QUARTERS = [f"{YEAR} Q{n}" for n in (1, 2, 3, 4)]
DIMS = ["area", "sex", "age-group"]
PARTNER = "ccs"


@pytest.fixture(scope="module")
def base_spec():
    return load_spec(EXAMPLE / "spec")


def _spec_with(base, dims: list[str]):
    ind = Indicator(code="drawn", name="Children drawn at random", unit="count", breakdowns=dims)
    return base.model_copy(update={"indicators": [*base.indicators, ind]})


@st.composite
def drawn_tables(draw):
    quarters = draw(st.booleans())
    before = draw(st.booleans())
    # Three breakdowns over two years and their quarters make a grid of several hundred
    # cells, where the exact checks take about a minute; keep the draws to what runs in seconds.
    widest = 2 if quarters else 3
    dims = draw(st.lists(st.sampled_from(DIMS), min_size=1, max_size=widest, unique=True))
    return dims, quarters, before, draw(st.randoms(use_true_random=False))


def _grid(spec, dims, quarters, before, leaf_values):
    """Every cell of the full grid with its true value: {(period, by-key): value}, plus the
    additive lines a reader knows."""
    options = {d: spec.options(d) for d in dims}
    leaf_periods = (QUARTERS if quarters else [YEAR]) + ([BEFORE] if before else [])
    truth: dict[tuple, int] = {}
    for per in leaf_periods:
        for combo in itertools.product(*(options[d] for d in dims)):
            truth[(per, tuple(sorted(zip(dims, combo))))] = next(leaf_values)
    if quarters:  # the year of each leaf, from its quarters
        for combo in itertools.product(*(options[d] for d in dims)):
            key = tuple(sorted(zip(dims, combo)))
            truth[(YEAR, key)] = sum(truth[(q, key)] for q in QUARTERS)
    periods = sorted({p for p, _ in truth})
    lines: list[tuple] = []
    for per in periods:  # totals over every subset of the breakdowns
        for r in range(len(dims) - 1, -1, -1):
            for kept in itertools.combinations(dims, r):
                for combo in itertools.product(*(options[d] for d in kept)):
                    key = tuple(sorted(zip(kept, combo)))
                    dropped = [d for d in dims if d not in kept]
                    first = dropped[0]
                    parts = [(per, tuple(sorted({**dict(key), first: o}.items()))) for o in options[first]]
                    truth[(per, key)] = sum(truth[p] for p in parts)
                    for d in dropped:
                        lines.append(((per, key), [(per, tuple(sorted({**dict(key), d: o}.items())))
                                                   for o in options[d]]))
    if quarters:
        for (per, key) in list(truth):
            if per == YEAR:
                lines.append(((YEAR, key), [(q, key) for q in QUARTERS]))
    return truth, lines


def _dataset(spec, supplied: dict[tuple, int]) -> Dataset:
    values = [DataValue(indicator="drawn", period=per, by=dict(key), value=v) for (per, key), v in supplied.items()]
    ret = Return(partner=PARTNER, period=YEAR, template="appendix-b", status="published", values=values)
    return Dataset(spec=spec, returns=[ret])


def _table_cells(report, spec) -> dict[tuple, str]:
    """The figure table's printed cells: (period, breakdown labels) -> text."""
    ind = spec.indicator("drawn")
    out = {}

    def walk(sections):
        for s in sections:
            for b in s.blocks:
                if isinstance(b, Table) and b.caption.startswith(ind.name):
                    # "2024-25 (computed from quarters)": the year masa made where none was stated
                    periods = [h.split(" (")[0] for h in b.header[len(ind.breakdowns):]]
                    for row in b.rows:
                        for per, text in zip(periods, row[len(ind.breakdowns):]):
                            out[(per, tuple(row[:len(ind.breakdowns)]))] = text
            walk(s.children)

    walk(report.sections)
    return out


@contextmanager
def _each_table_protected_once():
    """Both exits below (``published_figures`` and ``build_model``) run the same suppression
    (``protect``, exact simplex arithmetic: nearly all of this test's time) on each partner's
    table. Within one example, a second call with exactly the same cells, lines and threshold
    gets a copy of the first call's answer; an exit that passed anything different to
    ``protect`` would miss and be protected afresh, so a difference still shows."""
    real, seen = boundary.protect, {}

    def once(cells, constraints=(), *, threshold=5):
        constraints = [(t, list(parts)) for t, parts in constraints]
        key = (tuple(cells.items()), repr(constraints), threshold)
        if key not in seen:
            seen[key] = real(cells, constraints, threshold=threshold)
        return copy.deepcopy(seen[key])

    with mock.patch.object(boundary, "protect", once):
        yield


@pytest.mark.slow
@settings(max_examples=30, deadline=None, derandomize=True, print_blob=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(drawn=drawn_tables(), keep=st.floats(min_value=0.5, max_value=1.0))
def test_every_exit_shows_the_same_cells_and_no_small_count_can_be_worked_out(base_spec, drawn, keep):
    dims, quarters, before, rnd = drawn
    spec = _spec_with(base_spec, dims)
    small_world = rnd.random() < 0.6  # mostly small counts, where suppression bites
    leaf_values = (rnd.randint(0, 8 if small_world else 40) for _ in itertools.count())
    truth, lines = _grid(spec, dims, quarters, before, leaf_values)
    supplied = {k: v for k, v in truth.items() if rnd.random() < keep}
    if not supplied:
        return
    dataset = _dataset(spec, supplied)

    with _each_table_protected_once():
        figures = boundary.published_figures(dataset, YEAR)
        # Every exit of the report engine prints exactly these cells.
        report = build_model(dataset, YEAR)
    shown = {(f.period, tuple(sorted(f.by.items()))): f.value for f in figures}

    assert [(f.period, f.by, f.value) for f in report.figures] == [(f.period, f.by, f.value) for f in figures]
    csv_rows = opendata.rows(report)
    col = opendata.header(report).index("value")
    assert [r[col] for r in csv_rows] == [("" if f.value is None else f.value) for f in figures]
    ind = spec.indicator("drawn")
    table = _table_cells(report, spec)
    for (per, key), value in shown.items():
        labels = tuple(spec.option_name(d, dict(key)[d]) if d in dict(key) else "All" for d in ind.breakdowns)
        assert table[(per, labels)] == (SUPPRESSED if value == SUPPRESSED else f"{value:,}" if value is not None
                                        else "Not recorded")

    # Only the partnership's own areas are printed.
    own = set(spec.partnership.areas)
    assert all(dict(k).get("area", next(iter(own))) in own for _, k in shown)

    # Nothing from 1 to 5 is printed, and no reader can work one out.
    assert not [v for v in shown.values() if isinstance(v, int) and 1 <= v <= 5]
    reader = {k: (shown[k] if k in shown and shown[k] is not None else
                  SUPPRESSED if shown.get(k) == SUPPRESSED else None) for k in truth}
    pinned = recoverable_cells(reader, lines)
    small = {k for k in pinned if 1 <= truth[k] <= 5}
    assert not small, f"a reader can work out {sorted(small)[:3]} from {sorted(shown.items())[:12]}"


def test_the_named_case_a_total_of_13_with_female_3_does_not_give_female_away(base_spec):
    """The issue's case: 13 = female 3 + male 10 + not known 0. Showing 13, c, 10, 0 lets
    anyone subtract female = 3; the boundary must hide a second cell."""
    spec = _spec_with(base_spec, ["sex"])
    supplied = {(YEAR, ()): 13, (YEAR, (("sex", "female"),)): 3, (YEAR, (("sex", "male"),)): 10,
                (YEAR, (("sex", "not-known"),)): 0}
    figures = boundary.published_figures(_dataset(spec, supplied), YEAR)
    shown = {tuple(sorted(f.by.items())): f.value for f in figures}
    assert shown[(("sex", "female"),)] == SUPPRESSED
    assert list(shown.values()).count(SUPPRESSED) >= 2, shown
    lines = [((YEAR, ()), [(YEAR, (("sex", o),)) for o in ("female", "male", "not-known")])]
    reader = {(YEAR, k): v for k, v in shown.items()}
    assert not recoverable_cells(reader, lines)


def test_an_option_left_blank_beside_parts_that_reach_the_total_is_a_known_zero(base_spec):
    """21 = girls 3 + boys 18 with no "not known" figure given: a reader who sees 21, c and 18
    subtracts and gets 3, since a count is never negative. Breaker br2's case: boys must be
    hidden too."""
    spec = _spec_with(base_spec, ["sex"])
    supplied = {(YEAR, ()): 21, (YEAR, (("sex", "female"),)): 3, (YEAR, (("sex", "male"),)): 18}
    shown = {tuple(sorted(f.by.items())): f.value
             for f in boundary.published_figures(_dataset(spec, supplied), YEAR)}
    assert shown[(("sex", "female"),)] == SUPPRESSED
    assert SUPPRESSED in (shown[()], shown[(("sex", "male"),)]), shown
    # the blank option stays unpublished: no row is invented for it
    assert (("sex", "not-known"),) not in shown


def test_a_table_that_cannot_be_published_safely_stops_with_the_indicator_named(base_spec):
    spec = _spec_with(base_spec, ["sex"])
    supplied = {(YEAR, (("sex", "female"),)): 2.5}
    with pytest.raises(boundary.ReportError, match="drawn"):
        boundary.published_figures(_dataset(spec, supplied), YEAR)


def test_a_slice_declared_in_the_spec_is_protected_with_its_parent(base_spec):
    """Luton 15 referrals = children 12 + adults 3. Child referrals are, by definition, the
    children's slice of all referrals (``slice_of`` in the spec): printing them as 12 in their
    own table would give adults = 15 - 12 = 3 away unless both tables are protected as one."""
    assert base_spec.indicator("child_safeguarding_referrals").slice_of.indicator == "safeguarding_referrals"
    luton = (("area", "luton"),)
    values = [DataValue(indicator="safeguarding_referrals", period=YEAR, by=dict(k), value=v) for k, v in [
        (luton, 15), (luton + (("age-group", "child"),), 12), (luton + (("age-group", "adult"),), 3)]]
    values.append(DataValue(indicator="child_safeguarding_referrals", period=YEAR, by={"area": "luton"}, value=12))
    ret = Return(partner="bfrs", period=YEAR, template="appendix-b", status="published", values=values)
    shown = {(f.indicator, tuple(sorted(f.by.items()))): f.value
             for f in boundary.published_figures(Dataset(spec=base_spec, returns=[ret]), YEAR)}
    child = shown[("child_safeguarding_referrals", luton)]
    assert shown[("safeguarding_referrals", tuple(sorted(luton + (("age-group", "adult"),))))] == SUPPRESSED
    # the reader knows the relation: all = child + adult, and child referrals = the child cell
    seen = {"all": shown[("safeguarding_referrals", luton)], "adult": SUPPRESSED,
            "child": shown[("safeguarding_referrals", tuple(sorted(luton + (("age-group", "child"),))))],
            "child referrals": child}
    assert not recoverable_cells(seen, [("all", ["child", "adult"]), ("child referrals", ["child"])]), shown


def test_a_slice_that_disagrees_with_its_parent_stops_the_build(base_spec):
    luton = {"area": "luton"}
    values = [DataValue(indicator="safeguarding_referrals", period=YEAR, by={**luton, "age-group": "child"}, value=12),
              DataValue(indicator="child_safeguarding_referrals", period=YEAR, by=luton, value=11)]
    ret = Return(partner="bfrs", period=YEAR, template="appendix-b", status="published", values=values)
    with pytest.raises(boundary.ReportError, match="child_safeguarding_referrals .* is 11, but the same count"):
        boundary.published_figures(Dataset(spec=base_spec, returns=[ret]), YEAR)


def test_a_share_of_a_shown_total_is_hidden_when_it_gives_a_small_count_away(base_spec):
    """All referrals 60 = children 3 + adults 57, and the shares typed as 5% and 95%:
    5% of 60 is the 3 children. Both shares are hidden (95% would give 5% away)."""
    assert base_spec.indicator("referral_share").share_of.indicator == "safeguarding_referrals"
    values = [DataValue(indicator="safeguarding_referrals", period=YEAR, by=dict(k), value=v) for k, v in [
        ((), 60), ((("age-group", "child"),), 3), ((("age-group", "adult"),), 57)]]
    values += [DataValue(indicator="referral_share", period=YEAR, by={"age-group": g}, value=v)
               for g, v in (("child", 5), ("adult", 95))]
    ret = Return(partner="bfrs", period=YEAR, template="appendix-b", status="published", values=values)
    shown = {(f.indicator, tuple(sorted(f.by.items()))): f.value
             for f in boundary.published_figures(Dataset(spec=base_spec, returns=[ret]), YEAR)}
    assert shown[("referral_share", (("age-group", "child"),))] == SUPPRESSED
    assert shown[("referral_share", (("age-group", "adult"),))] == SUPPRESSED
    # with only the total known (no counts by age), 7% of 60 is about 4: hidden too; 50% of 60 is not
    for share, hidden in ((7, True), (50, False)):
        values = [DataValue(indicator="safeguarding_referrals", period=YEAR, by={}, value=60),
                  DataValue(indicator="referral_share", period=YEAR, by={"age-group": "child"}, value=share),
                  DataValue(indicator="referral_share", period=YEAR, by={"age-group": "adult"}, value=100 - share)]
        ret = Return(partner="bfrs", period=YEAR, template="appendix-b", status="published", values=values)
        got = {tuple(sorted(f.by.items())): f.value for f in
               boundary.published_figures(Dataset(spec=base_spec, returns=[ret]), YEAR) if f.indicator == "referral_share"}
        assert (got[(("age-group", "child"),)] == SUPPRESSED) is hidden, (share, got)
