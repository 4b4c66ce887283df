"""What a return's page and the dashboard count as that return's findings."""

from __future__ import annotations

from collections import Counter

from masa.web.workflow.checks_seam import findings_for


def _elft(dataset):
    return next(r for r in dataset.returns if r.partner == "elft" and r.template == "appendix-b")


def test_whole_report_findings_are_not_charged_to_each_return(dataset):
    codes = {f.code for f in findings_for(dataset.spec, _elft(dataset))}
    assert not any(c.startswith("wt2023.") for c in codes), codes
    assert "change.wrong-base" in codes  # the return's own narrative is still checked


def test_each_spec_rule_breach_is_reported_once(dataset):
    elft = _elft(dataset)
    found = findings_for(dataset.spec, elft)
    below = [f for f in found if "below the 90% target" in f.message or "below the target" in f.message]
    assert below, "ELFT's compliance figures under 90% are queried"
    assert all(n == 1 for n in Counter((f.message, f.location) for f in found).values())
    # one query per figure under the target, not one from the gate and one from the engine
    under = [v for v in elft.values if v.indicator == "training_compliance" and v.value is not None and v.value < 90
             and (v.period or elft.period).startswith(elft.period)]  # last year's figures are history, not queried
    assert len(below) == len(under)
