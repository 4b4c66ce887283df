"""Partner sections → draft Returns: narrative by priority and sub-heading, challenges,
next-year priorities, audits, highlights, figures, attachments, voice and case studies."""

from __future__ import annotations

import re
from collections import OrderedDict

from rapidfuzz import fuzz

from masa.returns import (
    Attachment,
    CaseStudy,
    Challenge,
    DataValue,
    NextYearPriority,
    Provenance,
    Return,
    SectionAnswer,
    reference_problems,
)
from masa.spec import Spec, fold, parse_period

from . import tables
from .document import Block
from .figures import Candidate, FigureFinder
from .report import ImportReport, Note, TableFound
from .segment import PartnerSection
from .words import areas_named

_SUB_WORKED = re.compile(r"\bwork(?:ed|ing)\s+well\b", re.IGNORECASE)
_SUB_IMPACT = re.compile(r"^\W*impact\b", re.IGNORECASE)
_SUB_CHALLENGES = re.compile(r"\b(?:barriers?|challenges?)\b", re.IGNORECASE)
_TRAINING = re.compile(r"\btraining\b", re.IGNORECASE)
_NEXT_YEAR = re.compile(r"\b(?:priorit\w*|plans?|focus(?:es)?)\b", re.IGNORECASE)
_ATTACH_LEAD = re.compile(r"\b(?:embedded|attached|enclosed)\s+(?:below|here|above)\b|\bsee\s+attached\b", re.IGNORECASE)
_FILE_END = re.compile(r"\.([A-Za-z]{1,5})\s*$")
_FULL_EXT = {"doc", "docx", "pdf", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "csv", "txt", "rtf", "msg"}
_QUARTER = re.compile(r"\bQ([1-4])\b")
_CASE = re.compile(r"^\W*case stud(?:y|ies)\b", re.IGNORECASE)
_TABLE_LEAD = re.compile(r"\b(?:table below|following table|table shows)\b", re.IGNORECASE)
_CHILD = re.compile(r"\b(?:Child|Young Person|YP)\s+([A-Z])\b")
_FY = re.compile(r"(20\d{2})\s*[-/–]\s*(?:20)?(\d{2})(?!\d)")
_MODES = {"figures": "figures", "highlights": "figures", "audits": "figures", "challenges": "challenges", "next_year": "next_year", "attachments": "attachments_list",
          "voice": "voice", "case_studies": "case_studies"}
_GENERATED = {"comparisons and targets"}
_BANNER = re.compile(r"^internal\b.*\bnot for publication\b", re.IGNORECASE)  # masa's internal-build banner  # written by masa's report from the figures, not by the partner
_PRIORITY_LINE = re.compile(r"^priorit(?:y|ies)\s*:\s*(.+)$", re.IGNORECASE)
_LISTED = re.compile(r"^(?P<label>.+?)(?:\s*\((?P<period>[^()]*)\))?\s*[–-]\s*(?P<status>MISSING|BROKEN)\b")


def _priority(spec: Spec, heading: str) -> str | None:
    h = fold(heading.rstrip(":"))
    if not h or len(h.split()) > 10:
        return None
    for p in spec.priorities:  # "Neglect", "Neglect – what worked well"
        names = [p.name, *p.aliases]
        if any(h == fold(n) or h.startswith(fold(n) + " ") for n in names if fold(n)):
            return p.code
    for p in spec.priorities:
        if fuzz.token_set_ratio(fold(p.name), h) >= 85 and 2 <= len(h.split()) <= 6:
            return p.code
    return None


def _priority_line(spec: Spec, text: str) -> list[str] | None:
    """'Priorities: Neglect, Think Family' → their codes, when every name is a known priority."""
    m = _PRIORITY_LINE.match(text.strip())
    if not m:
        return None
    names = {fold(n): p.code for p in spec.priorities for n in (p.name, *p.aliases, p.code)}
    codes = [names.get(fold(x)) for x in m.group(1).rstrip(".").split(",")]
    return codes if codes and all(codes) else None


def _listed_attachment(spec: Spec, text: str, period: str) -> Attachment:
    """An attachment line as masa's report lists it: 'label (2024-25 Q1) – MISSING: ...'."""
    m = _LISTED.match(text)
    if not m:
        return _attachment(spec, text, period, in_file=False)
    per = m.group("period")
    areas = areas_named(spec, m.group("label"))
    return Attachment(label=m.group("label").strip(), status=m.group("status").lower(),
                      area=areas[0] if len(areas) == 1 else None,
                      period=per if per in spec.period_codes else None)


def _is_next_year_lead(text: str, period: str) -> bool:
    if not text.rstrip().endswith(":") or not _NEXT_YEAR.search(text):
        return False
    if re.search(r"\b(?:next|coming|forthcoming)\s+year\b", text, re.IGNORECASE):
        return True
    start = int(period[:4])
    return any(int(m.group(1)) > start for m in _FY.finditer(text))


def _attachment(spec: Spec, label: str, period: str, in_file: bool) -> Attachment:
    m = _FILE_END.search(label)
    ext = m.group(1).lower() if m else ""
    if ext and ext not in _FULL_EXT and re.search(r"\b(?:report|document|file|plan|data)\b", label, re.IGNORECASE):
        status = "broken"  # a file name cut short: the object did not survive the copy
    else:
        status = "present" if in_file else "missing"
    areas = areas_named(spec, label)
    q = _QUARTER.search(label)
    return Attachment(label=label.strip(), filename=label.strip() if ext else "", status=status,
                      area=areas[0] if len(areas) == 1 else None,
                      period=f"{period[:7]} Q{q.group(1)}" if q else None)


_NO_RESPONSE = re.compile(r"^\W*no (?:response|answer|return|submission|contribution)\b.{0,60}\breceived\b", re.IGNORECASE)


def no_response(section: PartnerSection) -> bool:
    """A section that only says nothing was received ('No response was received for this period')."""
    texts = [b.text for b in section.blocks if b.kind != "heading"]
    return len(texts) == 1 and bool(_NO_RESPONSE.match(texts[0])) and len(texts[0]) < 120


class ReturnBuilder:
    """Builds one draft Return from one partner section."""

    def __init__(self, spec: Spec, period: str, template: str, report: ImportReport, sha256: str):
        self.spec = spec
        self.period = period
        self.template = template
        self.report = report
        self.sha256 = sha256
        self.finder = FigureFinder(spec, period)

    def build(self, section: PartnerSection) -> Return:
        ret = Return(partner=section.partner, period=self.period, template=self.template, status="draft",
                     source=self.report.file)
        cands: list[Candidate] = []
        if self.template == "appendix-c" or self.spec.template(self.template).question:
            self._voice(section, ret, cands)
        else:
            self._snapshot(section, ret, cands)
        self._values(ret, cands)
        return ret

    def unplaced_figures(self, section: PartnerSection) -> list[Candidate]:
        """Figures under a name the spec does not know: kept in the report, not stored."""
        out: list[Candidate] = []
        for b in section.blocks:
            if b.kind in ("paragraph", "list_item"):
                out.extend(c for c in self.finder.find(b.text, b.loc, None) if c.kind == "value")
        return out

    # -- Appendix B style --------------------------------------------------
    def _section_title(self, text: str):
        """The template section a heading names ('Training', 'Barriers and challenges'), if any."""
        f = fold(text)
        for sec in self.spec.template(self.template).sections:
            if fold(sec.title) == f:
                return sec
        return None

    def _snapshot(self, section: PartnerSection, ret: Return, cands: list[Candidate]) -> None:
        spec, code = self.spec, section.partner
        buckets: OrderedDict[tuple[str, str], dict] = OrderedDict()
        priority: str | None = None
        prio_heading = ""
        heading = ""
        part, part_level = "achievements", 0
        mode: str | None = None  # challenges | next_year | next_year_list | attachments | figures | skip
        attach_lead: Block | None = None
        attach_count = 0
        lead = ""

        def bucket() -> dict:
            return buckets.setdefault((part, heading), {"texts": [], "priorities": []})

        def add(text: str) -> None:
            bk = bucket()
            bk["texts"].append(text)
            if priority and priority not in bk["priorities"]:
                bk["priorities"].append(priority)

        def close_attachments() -> None:
            nonlocal attach_lead, attach_count
            if attach_lead is not None and attach_count == 0:
                ret.attachments.append(Attachment(label=attach_lead.text[:120], status="missing"))
                self.report.unrecognised.append(Note(attach_lead.loc, "attachments said to be embedded, but none follow"))
            attach_lead, attach_count = None, 0

        for b in section.blocks:
            if mode == "attachments" and not (b.kind == "paragraph" and len(b.text.split()) <= 12):
                close_attachments()
                mode = None
            if mode == "next_year_list" and b.kind != "list_item":
                mode = None
            if b.kind == "heading":
                text = b.text.strip().rstrip(":").strip()
                level = b.level or 2
                if _BANNER.match(text):
                    continue
                sec = self._section_title(text)
                if sec is not None and part_level and level > part_level:
                    sec = None  # the same words as a sub-heading inside a narrative section
                p = _priority(spec, text)
                if sec is not None:
                    priority, prio_heading, heading, mode = None, "", "", _MODES.get(sec.kind)
                    if sec.kind == "narrative":
                        part, part_level = sec.code, level
                elif fold(text) in _GENERATED:
                    mode = "skip"
                elif p:
                    priority, prio_heading, heading, mode = p, text, text, None
                    if level <= part_level:
                        part, part_level = "achievements", 0
                elif _SUB_WORKED.search(text) or _SUB_IMPACT.search(text):
                    heading, mode = (f"{prio_heading}: {text}" if prio_heading else text), None
                elif _SUB_CHALLENGES.search(text) and level > part_level and part_level and mode != "challenges":
                    heading, mode = text, None  # a sub-heading inside a narrative section of masa's report
                elif _SUB_CHALLENGES.search(text):
                    mode = "challenges"
                elif _is_next_year_lead(text + ":", self.period):
                    mode = "next_year"
                elif _TRAINING.search(text) and level <= (part_level or 99):
                    priority, prio_heading, heading, mode = None, "", text, None
                    part, part_level = "training", level
                else:
                    priority, prio_heading, heading, mode = None, "", text, None
                    if level <= part_level:
                        part, part_level = "achievements", 0
                continue
            if mode == "skip":
                continue
            if b.kind == "table":
                self._table(b, code, ret, cands, lead, add)
                if mode in ("challenges", "next_year", "next_year_list"):
                    mode = None  # a table ends a list of challenges or priorities
                continue
            if b.kind == "object":
                ret.attachments.append(_attachment(spec, b.text, self.period, in_file=True))
                continue
            text = b.text.strip()
            tags = _priority_line(spec, text)
            if tags is not None:
                bucket()["priorities"] = tags
                continue
            if mode == "figures":
                lead = text  # captions and notes around figure, highlight and audit tables
                continue
            if mode == "attachments_list":
                ret.attachments.append(_listed_attachment(spec, text, self.period))
                continue
            cands.extend(self.finder.find(text, b.loc, code))
            if mode == "attachments":
                ret.attachments.append(_attachment(spec, text, self.period, in_file=False))
                attach_count += 1
                continue
            if b.kind == "paragraph" and _ATTACH_LEAD.search(text):
                add(text)
                mode, attach_lead, attach_count = "attachments", b, 0
                continue
            if b.kind == "paragraph" and _is_next_year_lead(text, self.period):
                mode = "next_year_list"
                add(text)
                continue
            ptags = [priority] if priority else []
            if mode == "challenges" and _TABLE_LEAD.search(text):
                mode = None
            if mode == "challenges":
                ret.challenges.append(Challenge(text=text, priorities=ptags))
            elif mode in ("next_year", "next_year_list"):
                ret.next_year.append(NextYearPriority(text=text, priorities=ptags))
            else:
                add(f"- {text}" if b.kind == "list_item" else text)
            lead = text
        if mode == "attachments":
            close_attachments()
        for (part_, head), bk in buckets.items():
            body = _join(bk["texts"])
            if body:
                ret.sections.append(SectionAnswer(section=part_, heading=head, priorities=bk["priorities"], text=body))

    def _table(self, b: Block, partner, ret: Return, cands, lead: str, add) -> None:
        kind = tables.kind(b.rows)
        self.report.tables.append(TableFound(partner, kind, len(b.rows), b.loc))
        if kind == "audits":
            ret.audits.extend(tables.audits(b.rows))
        elif kind == "highlights":
            ret.highlights.extend(tables.highlights(b.rows))
        elif kind == "figures":
            cands.extend(tables.figures(self.spec, b, partner, self.period, lead))
        else:
            add(_markdown_table(b.rows))
            self.report.unrecognised.append(Note(b.loc, "table kept as text: not audits, highlights or figures"))

    # -- Appendix C style --------------------------------------------------
    def _voice(self, section: PartnerSection, ret: Return, cands: list[Candidate]) -> None:
        voice: list[str] = []
        case: CaseStudy | None = None
        case_text: list[str] = []

        def end_case() -> None:
            nonlocal case
            if case is not None and case_text:
                ret.case_studies.append(CaseStudy(title=case.title, text=_join(case_text)))
            case = None
            case_text.clear()

        mode = "voice"
        for b in section.blocks:
            if b.kind == "heading":
                if _BANNER.match(b.text.strip()):
                    continue
                end_case()
                sec = self._section_title(b.text.strip())
                if sec is not None:
                    mode = "case_studies" if sec.kind == "case_studies" else "voice"
                elif mode == "case_studies":
                    case = CaseStudy(title=b.text.strip(), text="-")
                else:
                    voice.append(f"### {b.text.strip()}")
                continue
            if b.kind == "table":
                self._table(b, section.partner, ret, cands, "", voice.append)
                continue
            if b.kind == "object":
                ret.attachments.append(_attachment(self.spec, b.text, self.period, in_file=True))
                continue
            text = b.text.strip()
            cands.extend(self.finder.find(text, b.loc, section.partner))
            if case is None and mode == "voice" and (_CASE.search(text) or _CHILD.search(text)):
                child = _CHILD.search(text)
                case = CaseStudy(title=f"Case study: {child.group(0)}" if child else "Case study", text="-")
                voice.append(text)
                continue
            if case is None and mode == "case_studies":
                case = CaseStudy(title="Case study", text="-")
            if case is not None:
                case_text.append(f"- {text}" if b.kind == "list_item" else text)
                continue
            voice.append(f"- {text}" if b.kind == "list_item" else text)
        end_case()
        ret.voice = _join(voice)

    # -- figures -------------------------------------------------------------
    def _values(self, ret: Return, cands: list[Candidate]) -> None:
        chosen: dict[tuple, Candidate] = {}
        tabled = {(c.indicator, c.period, c.value) for c in cands if c.source == "table" and c.indicator}
        for c in sorted(cands, key=lambda c: (c.source != "table", -c.score)):
            if c.source == "prose" and c.kind == "value" and (c.indicator, c.period, c.value) in tabled:
                self.report.corroborated.append(c)  # the prose restates a figure its table gives
                continue
            if c.kind != "value":
                self.report.changes_and_targets.append(c)
                continue
            if not c.indicator or not c.period:
                self.report.unassigned.append(c)
                continue
            if c.period not in self.spec.period_codes:
                c.reason = f"period {c.period} is not in the spec"
                self.report.unassigned.append(c)
                continue
            key = (c.indicator, c.period, tuple(sorted(c.by.items())))
            if key in chosen:
                first = chosen[key]
                if first.value == c.value:
                    self.report.corroborated.append(c)
                else:
                    c.reason = f"conflicts with {first.written} for the same figure at {first.loc}"
                    self.report.unassigned.append(c)
                continue
            chosen[key] = c
        kept: list[Candidate] = []
        order = lambda c: (c.loc.page or 0, c.loc.line or 0, c.loc.paragraph or 0, c.loc.start or 0)
        for c in sorted(chosen.values(), key=order):
            ret.values.append(DataValue(
                indicator=c.indicator, period=None if c.period == self.period else c.period, by=c.by,
                value=c.value, note="" if c.source == "table" else f"as written: {c.written}",
                provenance=Provenance(kind="imported", source=str(c.loc), sha256=self.sha256,
                                      sentence=c.sentence)))
            kept.append(c)
        problems = {p.loc[1]: p.message for p in reference_problems(self.spec, ret)
                    if p.loc and p.loc[0] == "values" and len(p.loc) > 1}
        if problems:
            keep_values = []
            for i, (v, c) in enumerate(zip(ret.values, kept)):
                if i in problems:
                    c.reason = problems[i]
                    self.report.unassigned.append(c)
                else:
                    keep_values.append(v)
                    self.report.figures.append(c)
            ret.values = keep_values
        else:
            self.report.figures.extend(kept)


def _join(texts: list[str]) -> str:
    """Paragraphs separated by blank lines; consecutive list items kept together."""
    out: list[str] = []
    for t in texts:
        if out and t.startswith("- ") and out[-1].startswith("- "):
            out[-1] += "\n" + t
        else:
            out.append(t)
    return "\n\n".join(out).strip()


def _markdown_table(rows: list[list[str]]) -> str:
    def cell(c: str) -> str:
        return c.replace("\n", "; ").replace("|", "/")

    lines = ["| " + " | ".join(cell(c) for c in rows[0]) + " |", "|" + " --- |" * len(rows[0])]
    lines += ["| " + " | ".join(cell(c) for c in r) + " |" for r in rows[1:]]
    return "\n".join(lines)


def period_in_title(title: str) -> str | None:
    m = _FY.search(title)
    if not m:
        return None
    try:
        code = f"{m.group(1)}-{m.group(2)}"
        parse_period(code)
        return code
    except ValueError:
        return None
