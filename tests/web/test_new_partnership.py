"""A partnership from nothing: `masa init` -> `masa load` -> a partner starts a return ->
`masa report build --draft` builds its (nearly empty) report."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

pytestmark = pytest.mark.django_db


def _run(*args):
    from masa.cli import app

    r = CliRunner().invoke(app, [str(a) for a in args])
    assert r.exit_code == 0, r.output
    return " ".join(r.output.split())


def test_init_load_start_a_return_and_build_a_draft_report(tmp_path):
    from masa.returns import Return
    from masa.web import store

    folder = tmp_path / "northtown"
    _run("init", "Northtown Safeguarding Children Partnership", "--areas", "Kent,Medway", "--out", folder,
         "--year", "2025-26", "--code", "northtown")
    said = _run("load", folder)
    assert "northtown: spec updated; 0 returns created" in said

    spec = store.spec_for("northtown")
    police = next(p for p in spec.partners if p.type == "police")
    store.save_drafts(spec, [Return(partner=police.code, period="2025-26", template="appendix-b")])
    assert [r.partner for r in store.dataset_for("northtown", "2025-26").returns] == [police.code]

    out = tmp_path / "report"
    _run("report", "build", "--partnership", "northtown", "--period", "2025-26", "--format", "html",
         "--out", out, "--draft")
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    assert "Northtown Safeguarding Children Partnership" in html
    assert "DRAFT" in html and "Police force" in html
