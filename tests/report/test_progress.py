"""The report's "Progress on last year's priorities" block: each partner's answers on last
year's priorities and carried audit actions, in every format, from approved returns only."""

from __future__ import annotations

import shutil
import subprocess

from masa.report import build_model, build_report
from masa.report.html import render_html
from masa.returns import Dataset, Return
from masa.returns.model import Action, Audit, NextYearPriority
from masa.returns.rollover import carry_forward
from tests.conftest import need

LAST = Return(partner="elft", period="2024-25", template="appendix-b", status="approved",
              audits=[Audit(title="Referral audit", actions=[Action(text="Follow-up audit planned", status="open")])],
              next_year=[NextYearPriority(text="Embed the neglect toolkit")])


def _answered(partner: str, status: str) -> Return:
    ret = carry_forward(LAST.model_copy(update={"partner": partner}),
                        Return(partner=partner, period="2025-26", template="appendix-b", status=status))
    return ret.model_copy(update={
        "carried_actions": [ret.carried_actions[0].model_copy(update={"status": "dropped",
                                                                      "note": f"{partner}: replaced by the new tool"})],
        "priority_reviews": [ret.priority_reviews[0].model_copy(update={
            "answer": "not-achieved", "explanation": f"{partner}: staff turnover delayed the launch"})]})


def _dataset(spec) -> Dataset:
    return Dataset(spec=spec, returns=[_answered("elft", "approved"), _answered("bfrs", "submitted")])


def test_progress_block_is_in_every_format_and_only_from_approved_returns(spec, tmp_path):
    from docx import Document

    report = build_model(_dataset(spec), "2025-26")
    elft = next(c for a in report.sections for c in a.children if c.id.endswith("-elft"))
    progress = [c for c in elft.children if c.title == "Progress on last year's priorities"]
    assert len(progress) == 1
    tables = progress[0].blocks
    assert tables[0].rows == [["Embed the neglect toolkit", "Not achieved", "elft: staff turnover delayed the launch"]]
    assert tables[1].rows == [["Follow-up audit planned", "Referral audit (raised in 2024-25)", "2024-25: open",
                               "Dropped: elft: replaced by the new tool"]]
    paths = build_report(_dataset(spec), "2025-26", ["html", "pdf", "docx"], tmp_path)
    html = paths["html"].read_text(encoding="utf-8")
    doc = Document(str(paths["docx"]))
    docx_text = "\n".join([p.text for p in doc.paragraphs] +
                          [c.text for t in doc.tables for r in t.rows for c in r.cells])
    need(shutil.which("pdftotext") is not None, "pdftotext (poppler-utils) not installed")
    pdf_text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(paths["pdf"]), "-"], capture_output=True,
                                       text=True, check=True).stdout.split())
    for text in (html, docx_text, pdf_text):
        assert "Progress on last year" in text and "elft: staff turnover delayed the launch" in text
        assert "bfrs: staff turnover" not in text  # submitted, not approved: not published


def test_a_draft_build_shows_unanswered_items_as_not_answered(spec):
    ret = carry_forward(LAST, Return(partner="elft", period="2025-26", template="appendix-b"))
    html = render_html(build_model(Dataset(spec=spec, returns=[ret]), "2025-26", draft=True))
    assert "Progress on last year" in html and html.count("Not answered") == 2


def test_no_block_without_carried_items(dataset):
    """The 2024-25 example has nothing carried: its report is as before."""
    report = build_model(dataset, "2024-25", draft=True)
    assert all(c.title != "Progress on last year's priorities"
               for a in report.sections for p in a.children for c in p.children)
