"""The import engine: turn existing Word, PDF, markdown and text contributions into draft
returns. Plain Python; never imports Django.

    result = import_document("appendix-b.txt", spec, "2024-25")
    result.returns   # draft Returns, one per partner found
    result.report    # what was found, merged, dropped and left for a person to place
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from masa.returns import Return
from masa.returns.scope import mark_for_partnership
from masa.spec import Spec, parse_period

from .build import ReturnBuilder, no_response, period_in_title
from .document import Block, Document, Location
from .errors import IngestError
from .readers import DEFAULT_MAX_BYTES, read_document
from .report import ImportReport, Note, PartnerFound, UnknownName
from .segment import segment, suggest_partner

_APPENDIX = re.compile(r"^\s*appendix\s+([A-Z])\b", re.IGNORECASE)


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
    parts = [(template, doc)] if template else split_appendices(doc, spec)
    report = ImportReport(file=str(path), title=doc.title, period=period, reader=doc.kind)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    returns: list[Return] = []
    preamble: list[Block] = []
    for tmpl, part in parts:
        seg = segment(part, spec, tmpl)
        if seg.template is None:
            raise IngestError(path, "cannot tell which template this follows (no 'Appendix B/C' title, no partner "
                                    f"headers); pass the template: {', '.join(t.code for t in spec.templates)}")
        report.templates.append(seg.template)
        for title in {doc.title, seg.title}:
            found = period_in_title(title)
            if found and found != period:
                report.warnings.append(f"the title {title[:70]!r} names {found}, but the file is imported as {period}")
        report.sections_before_merge += seg.raw_sections
        report.running_headers_removed += seg.running_headers
        report.questions_removed += seg.questions
        report.duplicates.extend(seg.duplicates)
        preamble.extend(seg.preamble)
        builder = ReturnBuilder(spec, period, seg.template, report, sha)
        for sec in seg.sections:
            if sec.partner is None:
                nearest, score = suggest_partner(spec, sec.name)
                report.unknown_names.append(UnknownName(sec.name, sec.loc, nearest, score, len(sec.blocks)))
                for c in builder.unplaced_figures(sec):
                    c.reason = f"{sec.name!r} is not a partner in the spec"
                    report.unassigned.append(c)
                continue
            if no_response(sec):
                report.unrecognised.append(Note(sec.loc, f"{sec.name}: says no response was received; no return made"))
                continue
            report.partners.append(PartnerFound(sec.partner, seg.template, sec.name, sec.loc, sec.pieces,
                                                len(sec.blocks)))
            # a document written for this partnership is about its areas (masa.returns.scope)
            returns.append(mark_for_partnership(builder.build(sec), spec))
    if not returns and not report.unknown_names:
        raise IngestError(path, f"no partner sections found: no heading names a partner of {spec.partnership.name}")
    report.title_period = period_in_title(doc.title)
    for b in preamble:
        if b.text.strip() or b.rows:
            report.unrecognised.append(_note(b, "before the first partner heading"))
    for link in doc.links:
        if link.target in ("", "#"):
            report.unrecognised.append(_note_at(link.loc, f"link {link.text[:60]!r} has no address"))
    return ImportResult(returns, report, doc)


def split_appendices(doc: Document, spec: Spec) -> list[tuple[str | None, Document]]:
    """A document holding several appendices (masa's own report holds B and C) → one part each.

    A heading 'Appendix X...' starts a part when X is a template's appendix and differs from the
    current part's; repeats of the same appendix heading are running headers, not new parts."""
    letters = {t.appendix.upper(): t.code for t in spec.templates if t.appendix}
    parts: list[tuple[str | None, list[Block]]] = []
    lead: list[Block] = []
    for b in doc.blocks:
        m = _APPENDIX.match(b.text) if b.kind == "heading" else None
        code = letters.get(m.group(1).upper()) if m else None
        if code and (not parts or parts[-1][0] != code):
            parts.append((code, [b]))
        elif parts:
            parts[-1][1].append(b)
        else:
            lead.append(b)
    if len(parts) <= 1:
        return [(None, doc)]
    parts[0] = (parts[0][0], lead + parts[0][1])
    return [(code, Document(doc.path, doc.kind, blocks, doc.links if i == 0 else []))
            for i, (code, blocks) in enumerate(parts)]


def _note(b: Block, why: str) -> Note:
    return Note(b.loc, f"{why}: {b.plain()[:80]!r}")


def _note_at(loc: Location, message: str) -> Note:
    return Note(loc, message)


__all__ = ["DEFAULT_MAX_BYTES", "ImportReport", "ImportResult", "IngestError", "import_document", "read_document"]
