"""The import engine: turn existing Word, PDF, markdown and text contributions into draft
returns. Plain Python; never imports Django.

    result = import_document("appendix-b.txt", spec, "2024-25")
    result.returns   # draft Returns, one per partner found
    result.report    # what was found, merged, dropped and left for a person to place
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from masa.returns import Return
from masa.spec import Spec, parse_period

from .build import ReturnBuilder, period_in_title
from .document import Block, Document, Location
from .errors import IngestError
from .readers import DEFAULT_MAX_BYTES, read_document
from .report import ImportReport, PartnerFound, UnknownName
from .segment import segment, suggest_partner


@dataclass
class ImportResult:
    returns: list[Return]
    report: ImportReport
    document: Document


def import_document(path: str | Path, spec: Spec, period: str, *, max_bytes: int = DEFAULT_MAX_BYTES,
                    template: str | None = None) -> ImportResult:
    """Read a document and build one draft Return per partner section found in it.

    Raises :class:`IngestError` (one line, naming the file) for bad input; nothing is
    returned half-built. ``template`` overrides the detection of Appendix B or C.
    """
    path = Path(path)
    try:
        parse_period(period)
    except ValueError as exc:
        raise IngestError(path, str(exc)) from None
    if period not in spec.period_codes:
        raise IngestError(path, f"period {period} is not in the partnership's spec "
                                f"(years: {', '.join(spec.periods.financial_years)})")
    if template is not None and template not in {t.code for t in spec.templates}:
        raise IngestError(path, f"unknown template {template!r}; known: "
                                f"{', '.join(t.code for t in spec.templates)}")
    doc = read_document(path, max_bytes=max_bytes)
    seg = segment(doc, spec, template)
    if seg.template is None:
        raise IngestError(path, "cannot tell which template this follows (no 'Appendix B/C' title, no partner "
                                f"headers); pass the template: {', '.join(t.code for t in spec.templates)}")
    report = ImportReport(file=str(path), template=seg.template, title=seg.title, period=period, reader=doc.kind,
                          title_period=period_in_title(seg.title), sections_before_merge=seg.raw_sections,
                          running_headers_removed=seg.running_headers, questions_removed=seg.questions,
                          duplicates=seg.duplicates)
    if report.title_period and report.title_period != period:
        report.warnings.append(f"the document's title names {report.title_period}, but it is imported as {period}")
    if not seg.sections:
        raise IngestError(path, "no partner sections found: no heading names a partner of "
                                f"{spec.partnership.name}")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    builder = ReturnBuilder(spec, period, seg.template, report, sha)
    returns: list[Return] = []
    for sec in seg.sections:
        if sec.partner is None:
            nearest, score = suggest_partner(spec, sec.name)
            report.unknown_names.append(UnknownName(sec.name, sec.loc, nearest, score))
            continue
        report.partners.append(PartnerFound(sec.partner, sec.name, sec.loc, sec.pieces, len(sec.blocks)))
        returns.append(builder.build(sec))
    for b in seg.preamble:
        if b.text.strip() or b.rows:
            report.unrecognised.append(_note(b, "before the first partner heading"))
    for link in doc.links:
        if link.target in ("", "#"):
            report.unrecognised.append(_note_at(link.loc, f"link {link.text[:60]!r} has no address"))
    return ImportResult(returns, report, doc)


def _note(b: Block, why: str):
    from .report import Note

    return Note(b.loc, f"{why}: {b.plain()[:80]!r}")


def _note_at(loc: Location, message: str):
    from .report import Note

    return Note(loc, message)


__all__ = ["DEFAULT_MAX_BYTES", "ImportResult", "ImportReport", "IngestError", "import_document", "read_document"]
