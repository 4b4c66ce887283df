"""Each reader on a small generated document: Word, PDF (WeasyPrint), markdown and plain text
with HTML fragments. The documents are made here; no seed text is used."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.ingest.ingest_helpers import by_partner, values_of

from masa.ingest import import_document, read_document

FIGURE_SENTENCE = "We made 40 referrals to children's social care in 2023-24, compared to 55 this year."


def _docx(path: Path) -> Path:
    from docx import Document
    from docx.oxml import parse_xml

    doc = Document()
    doc.add_heading("Appendix B: Test partnership yearly report 2024-25", level=0)
    doc.add_heading("ELFT - achievements and impact", level=1)
    doc.add_paragraph(FIGURE_SENTENCE)
    doc.add_heading("Barriers and challenges", level=2)
    doc.add_paragraph("Recruitment to the named nurse post took most of the year.", style="List Bullet")
    doc.add_paragraph("Two electronic record systems make referral counts unreliable.", style="List Bullet")
    table = doc.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("What We Delivered", "Impact"), ("Ran a supervision clinic", "Staff felt supported"),
                                ("Held a Prevent conference", "Over 150 people attended")]):
        table.cell(r, 0).text, table.cell(r, 1).text = a, b
    p = doc.add_paragraph("Quarterly report embedded: ")
    p._p.append(parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:o="urn:schemas-microsoft-com:office:office"><w:object>'
        '<o:OLEObject ProgID="Word.Document.12" ShapeID="_x0000_i1025"/></w:object></w:r>'))
    doc.add_heading("Bedfordshire Police - achievements and impact", level=1)
    doc.add_paragraph("The force ran joint training with schools across the county.")
    doc.save(path)
    return path


def test_docx_headings_lists_tables_and_embedded_objects(tmp_path, spec):
    result = import_document(_docx(tmp_path / "return.docx"), spec, "2024-25")
    rets = by_partner(result)
    assert set(rets) == {"elft", "police"}
    elft = rets["elft"]
    assert values_of(elft, "csc_referrals") == {("2023-24", ()): 40, ("2024-25", ()): 55}
    assert [c.text for c in elft.challenges] == ["Recruitment to the named nurse post took most of the year.",
                                                 "Two electronic record systems make referral counts unreliable."]
    assert [(h.delivered, h.impact) for h in elft.highlights][1] == ("Held a Prevent conference",
                                                                     "Over 150 people attended")
    assert [(a.label, a.status) for a in elft.attachments] == [("Word.Document.12", "present")]
    v = next(v for v in elft.values if v.value == 40)
    assert v.provenance.source.startswith("return.docx paragraph ")
    assert result.report.reader == "docx"


HTML = """<html><head><style>
td, th { border: 1px solid black; padding: 4px; } table { border-collapse: collapse; }
h1 { font-size: 20pt; } h2 { font-size: 15pt; font-weight: bold; } p { font-size: 10pt; }
</style></head><body>
<h1>Appendix B: Test partnership report</h1>
<h2>ELFT - achievements and impact</h2>
<p>%s</p>
<table>
<tr><th>Audit Type</th><th>Audit Findings</th><th>Actions Taken</th></tr>
<tr><td>Record keeping</td><td>Plans were not always signed.</td><td>Template changed.</td></tr>
<tr><td>Think Family</td><td>Siblings were missing from notes.</td><td>Prompt added to supervision.</td></tr>
</table>
</body></html>""".replace("%s", FIGURE_SENTENCE)


def test_pdf_text_headings_and_ruled_table(tmp_path, spec):
    from weasyprint import HTML as WeasyHTML

    path = tmp_path / "return.pdf"
    WeasyHTML(string=HTML).write_pdf(path)
    doc = read_document(path)
    assert [b.text for b in doc.blocks if b.kind == "heading"][:2] == [
        "Appendix B: Test partnership report", "ELFT - achievements and impact"]
    result = import_document(path, spec, "2024-25")
    elft = by_partner(result)["elft"]
    assert [(a.title, a.findings, [x.text for x in a.actions]) for a in elft.audits] == [
        ("Record keeping", ["Plans were not always signed."], ["Template changed."]),
        ("Think Family", ["Siblings were missing from notes."], ["Prompt added to supervision."])]
    assert values_of(elft, "csc_referrals") == {("2023-24", ()): 40, ("2024-25", ()): 55}
    assert all(b.loc.page == 1 for b in doc.blocks)


MARKDOWN = """# Appendix C: Test partnership voice of the child

## Bedfordshire Police

How have you used feedback from children and families?

Young people told us our letters were hard to read, so we **rewrote** them with a youth panel
([panel page](https://example.org/panel)).

<ul style="list-style-type: none"><li>Listening circles in two schools</li><li>A survey after each visit</li></ul>

| Step | Change |
| --- | --- |
| Letters | Plain English |
"""


def test_markdown_with_html_block_and_pipe_table(tmp_path, spec):
    path = tmp_path / "voice.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    result = import_document(path, spec, "2024-25")
    police = by_partner(result)["police"]
    assert police.template == "appendix-c"
    assert "rewrote them with a youth panel" in police.voice and "**" not in police.voice
    assert "- Listening circles in two schools\n- A survey after each visit" in police.voice
    assert "How have you used feedback" not in police.voice
    assert "| Letters | Plain English |" in police.voice
    assert any(n.message.startswith("table kept as text") for n in result.report.unrecognised)


TEXT = (
    "Appendix B: Test partnership report 2024-25\n\n"
    "NSPCC: achievements and impact\n"
    "<p>We ran <u>assemblies</u> in 12 schools.</p> <ul style=\"list-style-type: none\"> • First item • Second item\n\n"
    "✓ A ticked item\n"
    "💡 An emoji item that reads as a sentence.\n\n"
    "This paragraph was hard wrapped by an editor at a fixed width so that it goes on\n"
    "over two lines.\n\n"
    "Luton Youth Justice Service - achievements and impact\n\n"
    "Short note.\n\n"
    "Bedfordshire Ambulance Trust - achievements and impact\n\n"
    "A partner the spec does not know.\n"
)


def test_text_with_html_fragments_bullets_and_unknown_partner(tmp_path, spec):
    path = tmp_path / "snapshot.txt"
    path.write_text(TEXT, encoding="utf-8")
    doc = read_document(path)
    kinds = [(b.kind, b.text) for b in doc.blocks]
    assert ("paragraph", "We ran assemblies in 12 schools.") in kinds
    assert ("list_item", "First item") in kinds and ("list_item", "Second item") in kinds
    assert ("list_item", "A ticked item") in kinds
    assert ("list_item", "An emoji item that reads as a sentence.") in kinds
    wrapped = "This paragraph was hard wrapped by an editor at a fixed width so that it goes on over two lines."
    assert ("paragraph", wrapped) in kinds
    assert not any("<" in t or "•" in t for _, t in kinds)
    result = import_document(path, spec, "2024-25")
    assert {r.partner for r in result.returns} == {"nspcc", "yps"}  # 'Luton Youth Justice Service' is an alias
    [unknown] = result.report.unknown_names
    assert unknown.name == "Bedfordshire Ambulance Trust" and unknown.loc.line == 16
    assert "new partner" in unknown.offer and unknown.blocks == 1


def test_template_can_be_given_when_the_title_does_not_say(tmp_path, spec):
    path = tmp_path / "untitled.txt"
    path.write_text("Bedfordshire Police\n\nWe listened to young people.\n", encoding="utf-8")
    result = import_document(path, spec, "2024-25", template="appendix-c")
    assert [(r.partner, r.template, r.voice) for r in result.returns] == [
        ("police", "appendix-c", "We listened to young people.")]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_text_encodings(tmp_path, spec, encoding):
    path = tmp_path / "enc.txt"
    path.write_bytes("Appendix B: Report\n\nELFT – achievements and impact\n\nCafé staff trained.\n".encode(encoding))
    result = import_document(path, spec, "2024-25")
    assert "Café staff trained." in result.returns[0].sections[0].text


def test_figures_under_an_unknown_name_are_kept_in_the_report(tmp_path, spec):
    path = tmp_path / "unknown.txt"
    path.write_text("Appendix B: Report\n\nBedfordshire Fire & Rescue Servces - achievements and impact\n\n"
                    "We made 19 child referrals in 2024-25.\n", encoding="utf-8")
    result = import_document(path, spec, "2024-25")
    assert result.returns == []
    [unknown] = result.report.unknown_names
    assert unknown.nearest == "bfrs" and "alias of bfrs" in unknown.offer
    [fig] = result.report.unassigned
    assert fig.value == 19 and "not a partner in the spec" in fig.reason
