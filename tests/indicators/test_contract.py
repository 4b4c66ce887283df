"""Computed values are exactly the returns contract: they load into a Return and pass the
spec's reference checks; and the engine never imports Django."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.indicators.indicators_helpers import tiny_extracts

from masa.indicators import compute
from masa.returns import DataValue, Return, reference_problems
from masa.spec.models import Spec

AREA = {"code": "area", "name": "Local authority", "from_areas": True}


def opts(*codes):
    return [{"code": c, "name": c.replace("-", " ").capitalize()} for c in codes]


SPEC = {
    "partnership": {"code": "test", "name": "Test Partnership", "areas": ["luton"]},
    "areas": [{"code": "luton", "name": "Luton"}, {"code": "bedford", "name": "Bedford Borough"},
              {"code": "central-bedfordshire", "name": "Central Bedfordshire"}],
    "partners": [{"code": "lbc", "name": "Luton Council", "short_name": "LBC", "type": "local-authority",
                  "areas": ["luton"]}],
    "periods": {"financial_years": ["2024-25"], "current": "2024-25"},
    "breakdowns": [
        AREA,
        {"code": "sex", "name": "Sex", "options": opts("female", "male", "not-known")},
        {"code": "age-group", "name": "Age group", "options": opts("child", "adult")},
        {"code": "referral-source", "name": "Referral source",
         "options": opts("police", "health", "education", "local-authority", "individual", "other")},
        {"code": "incident-category", "name": "Incident category",
         "options": opts("neglect", "emotional", "physical", "sexual", "domestic-abuse", "mental-health",
                         "exploitation", "other")},
        {"code": "service", "name": "Service", "options": opts("specialist-childrens", "other-services")},
        {"code": "training-course", "name": "Training course",
         "options": opts("l3-children", "l3-adults", "prevent-l1", "prevent-l3", "l1-children", "l2-children")},
    ],
    "indicators": [
        {"code": "safeguarding_referrals", "name": "Referrals", "unit": "count", "breakdowns": ["area", "age-group", "sex"]},
        {"code": "child_safeguarding_referrals", "name": "Child referrals", "unit": "count", "breakdowns": ["area", "sex"]},
        {"code": "referral_share", "name": "Share", "unit": "percent", "breakdowns": ["age-group"]},
        {"code": "csc_referrals", "name": "CSC referrals", "unit": "count", "breakdowns": ["area", "referral-source"]},
        {"code": "repeat_referral_rate", "name": "Re-referrals", "unit": "percent", "breakdowns": ["area"]},
        {"code": "safeguarding_incidents_children", "name": "Incidents", "unit": "count",
         "breakdowns": ["incident-category", "service"]},
        {"code": "training_sessions", "name": "Sessions", "unit": "count", "breakdowns": ["training-course"]},
        {"code": "training_attendance", "name": "Attendance", "unit": "count", "breakdowns": ["training-course"]},
        {"code": "training_compliance", "name": "Compliance", "unit": "percent", "breakdowns": ["training-course"],
         "target": {"value": 90, "direction": "at_least"}},
        {"code": "missing_episodes", "name": "Missing episodes", "unit": "count", "breakdowns": ["area"]},
        {"code": "missing_children", "name": "Missing children", "unit": "count", "breakdowns": ["area"]},
        {"code": "rhi_offered", "name": "RHI offered", "unit": "percent", "breakdowns": ["area"]},
        {"code": "rhi_accepted", "name": "RHI accepted", "unit": "percent", "breakdowns": ["area"]},
        {"code": "cp_conference_timeliness", "name": "ICPC on time", "unit": "percent", "breakdowns": ["area"]},
        {"code": "first_time_entrants", "name": "FTE", "unit": "count", "breakdowns": ["area"]},
        {"code": "encompass_notifications", "name": "Encompass", "unit": "count", "breakdowns": ["area"]},
        {"code": "encompass_timeliness", "name": "Encompass in a day", "unit": "percent", "breakdowns": ["area"]},
    ],
    "templates": [{"code": "appendix-b", "name": "Snapshot", "sections": [{"code": "figures", "title": "Figures", "kind": "figures"}]}],
}


def test_computed_values_load_into_a_return_and_pass_reference_checks(standard, tmp_path):
    spec = Spec.model_validate(SPEC)
    result = compute(standard, tiny_extracts(), "2024-25")
    out = tmp_path / "values.json"
    result.write(out)
    loaded = [DataValue.model_validate(v) for v in json.loads(out.read_text())["values"]]
    ret = Return(partner="lbc", period="2024-25", template="appendix-b", values=loaded)
    assert reference_problems(spec, ret) == []
    assert len(loaded) > 100
    assert all(v.provenance.kind == "computed" and "@" in v.provenance.definition and len(v.provenance.sha256) == 64
               and v.provenance.rows and v.provenance.computed_at for v in loaded)
    # and the check is not toothless: a figure under an unknown option is caught
    bad = ret.model_copy(update={"values": [*loaded[:1], loaded[1].model_copy(update={"by": {"area": "narnia"}})]})
    assert reference_problems(spec, bad)


def test_importing_the_engine_does_not_import_django():
    code = "import sys, masa.indicators, masa.indicators.synth, masa.cli.indicators_cmd; " \
           "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
