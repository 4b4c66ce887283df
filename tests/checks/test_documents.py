"""check_documents / masa check on real file formats and on bad files."""

from __future__ import annotations

import json

import docx
from pypdf import PdfReader, PdfWriter
from typer.testing import CliRunner

from masa.checks import check_documents
from masa.cli import app

CLAIM = "Compliance rose from 50% to 60%, a 10% improvement."


def _pdf(path, text: str) -> None:
    """A one-page PDF with one line of text, written by hand (no PDF library needed)."""
    content = f"BT /F1 12 Tf 50 750 Td ({text}) Tj ET".encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"),
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))


def test_docx_pdf_md_txt_are_read_and_checked(tmp_path):
    d = docx.Document()
    d.add_paragraph(CLAIM)
    table = d.add_table(rows=2, cols=4)
    for i, t in enumerate(["Area", "Total", "Female", "Male"]):
        table.rows[0].cells[i].text = t
    for i, t in enumerate(["Luton", "20", "8", "9"]):
        table.rows[1].cells[i].text = t
    d.save(tmp_path / "a.docx")
    _pdf(tmp_path / "b.pdf", CLAIM)
    (tmp_path / "c.md").write_text("# Report\n\n" + CLAIM + "\n", encoding="utf-8")
    (tmp_path / "d.txt").write_bytes(("Partner organizations said: " + CLAIM).encode("cp1252"))
    paths = [tmp_path / n for n in ("a.docx", "b.pdf", "c.md", "d.txt")]
    run = check_documents(paths)
    assert run.errors == []
    pp = {f.location.file.rsplit("/", 1)[-1] for f in run.findings if f.code == "change.points-as-percent"}
    assert pp == {"a.docx", "b.pdf", "c.md", "d.txt"}
    assert any(f.code == "table.total-not-sum" and f.quote == "20" for f in run.findings)


def test_bad_files_are_one_line_errors_and_the_rest_is_checked(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(CLAIM, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "broken.docx").write_bytes(b"not a zip at all")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (tmp_path / "sheet.xls").write_bytes(b"x")
    _pdf(tmp_path / "plain.pdf", "secret")
    w = PdfWriter(clone_from=PdfReader(tmp_path / "plain.pdf"))
    w.encrypt("pw")
    w.write(tmp_path / "locked.pdf")
    names = ["good.txt", "empty.txt", "broken.docx", "broken.pdf", "sheet.xls", "locked.pdf", "missing.txt"]
    result = CliRunner().invoke(app, ["check", *[str(tmp_path / n) for n in names], "--format", "json"])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 6, result.stderr
    reasons = "\n".join(errors)
    assert "empty.txt: empty" in reasons and "broken.docx: not a valid .docx" in reasons
    assert "sheet.xls: unsupported file type .xls" in reasons and "locked.pdf: encrypted PDF" in reasons
    assert "broken.pdf: damaged PDF" in reasons and "missing.txt: no such file" in reasons
    assert "Traceback" not in result.output
    assert any(f["code"] == "change.points-as-percent" for f in json.loads(result.stdout))


def test_html_report_is_accessible_markup(tmp_path, seed_c_path):
    out = tmp_path / "check.html"
    result = CliRunner().invoke(app, ["check", str(seed_c_path), "--format", "html", "--out", str(out)])
    assert result.exit_code == 1
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en-GB">' in html and "<main" in html and 'scope="col"' in html and "<caption>" in html
    assert "Working Together 2023" in html and "TJ" in html
    assert "<p>(Case study" not in html  # input text is escaped, never injected


def test_text_output_groups_by_partner(seed_c_path):
    result = CliRunner().invoke(app, ["check", str(seed_c_path)], env={"COLUMNS": "140"})
    assert result.exit_code == 1
    assert "Bedfordshire Fire and Rescue Service" in result.stdout and "privacy.initials" in result.stdout


def test_the_closing_line_counts_only_the_files_read(tmp_path):
    """An unreadable file is named on an error line and never counted as a file checked clean."""
    (tmp_path / "broken.pdf").write_text("not a pdf", encoding="utf-8")
    (tmp_path / "good.txt").write_text("Crews made 40 referrals this year.", encoding="utf-8")
    alone = CliRunner().invoke(app, ["check", str(tmp_path / "broken.pdf")])
    assert alone.exit_code == 2
    assert "Nothing was checked: 1 file(s) could not be read" in alone.stdout
    assert "0 errors" not in alone.stdout
    both = CliRunner().invoke(app, ["check", str(tmp_path / "good.txt"), str(tmp_path / "broken.pdf")])
    assert "in 1 file(s); 1 more could not be read" in both.stdout, both.stdout


def test_the_html_report_does_not_count_an_unreadable_file_as_checked(tmp_path):
    (tmp_path / "broken.pdf").write_text("not a pdf", encoding="utf-8")
    out = tmp_path / "check.html"
    result = CliRunner().invoke(app, ["check", str(tmp_path / "broken.pdf"), "--format", "html", "--out", str(out)])
    assert result.exit_code == 2
    html = out.read_text(encoding="utf-8")
    assert "Nothing was checked: 1 file(s) could not be read" in html
    assert "0 errors" not in html and "No findings." not in html and "Files checked" not in html
    assert "broken.pdf: not a PDF" in html
