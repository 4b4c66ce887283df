"""The return form: the plain ``Return`` shown as form fields, and form data read back.

Field names are flat and stable (``sec-achievements-0-text``, ``fig|indicator|area=luton``) so
the form works without JavaScript, autosave can post it as is, and every validation problem
can be placed beside the field it concerns.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from masa.returns import (
    Action,
    Audit,
    CaseStudy,
    Challenge,
    DataValue,
    Highlight,
    NextYearPriority,
    Provenance,
    Return,
    SectionAnswer,
    reference_problems,
    rule_problems,
)
from masa.spec.deadlines import read_uk_date
from masa.spec.periods import shift_period

MAX_TEXT = 20000
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def by_key(by: dict[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in sorted(by.items()))


def parse_by_key(text: str) -> dict[str, str]:
    out = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        if "=" not in part:
            raise ValueError(f"{part!r} is not breakdown=option")
        k, v = (x.strip() for x in part.split("=", 1))
        out[k] = v
    return out


def parse_number(text: str) -> float:
    """'1,234', '45.5', '90%' → float; anything else raises ValueError with a user message."""
    t = text.strip().replace(",", "").removesuffix("%").strip()
    if not NUMBER.match(t):
        raise ValueError(f"Enter a number, like 120 or 45.5 (you entered {text.strip()[:40]!r})")
    if len(t.split(".")[0].lstrip("-")) > 12:
        raise ValueError(f"{t[:20]}… is too large for a figure (at most 12 digits before the point)")
    return float(t)


def fmt(v: float | None) -> str:
    if v is None:
        return ""
    return f"{v:g}" if v != int(v) else str(int(v))


@dataclass
class Cell:
    name: str
    indicator: str
    by: dict
    label: str
    value: str
    last_year: str
    unit: str


@dataclass
class FormResult:
    ret: Return | None
    errors: dict[str, list[str]] = field(default_factory=dict)  # field name -> messages
    queries: list[str] = field(default_factory=list)

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def figure_cells(spec, ret: Return, history: list[DataValue]) -> list[Cell]:
    """The figures grid: this year's stored figures, the indicators the partner reports
    (its own, or ones it gave before), with last year's value beside each cell."""
    last = shift_period(ret.period, -1)
    current = {(v.indicator, by_key(v.by)): v for v in ret.values if (v.period or ret.period) == ret.period}
    previous = {(v.indicator, by_key(v.by)): v for v in [*history, *ret.values] if v.period == last}
    keys = list(current)
    used = {i for i, _ in current} | {i for i, _ in previous}
    for ind in spec.indicators:
        if ind.code in used or ind.partner == ret.partner:
            combos = [{}]
            dims = [d for d in ind.breakdowns]
            if dims:
                opts = [spec.options(d) for d in dims]
                if len(list(itertools.product(*opts))) <= 12:
                    combos += [dict(zip(dims, c)) for c in itertools.product(*opts)]
            for by in combos:
                k = (ind.code, by_key(by))
                if k not in keys and (ind.partner == ret.partner or k in previous or not by):
                    keys.append(k)
    for k in previous:
        if k not in keys:
            keys.append(k)
    names = {i.code: i for i in spec.indicators}
    year = ret.period.split(" ")[0]  # an indicator retired from this year on asks for no new figure
    keys = [k for k in keys if k in current or k[0] not in names or names[k[0]].live_in(year)]
    cells = []
    for ind_code, bk in sorted(keys, key=lambda k: ([i.code for i in spec.indicators].index(k[0])
                                                    if k[0] in names else 999, k[1])):
        ind = names.get(ind_code)
        by = parse_by_key(bk)
        parts = [spec.option_name(d, o) if ind and d in ind.breakdowns else o for d, o in sorted(by.items())]
        label = (ind.name if ind else ind_code) + (": " + ", ".join(parts) if parts else " (total)")
        cur, prev = current.get((ind_code, bk)), previous.get((ind_code, bk))
        cells.append(Cell(f"fig|{ind_code}|{bk}", ind_code, by, label, fmt(cur.value) if cur else "",
                          fmt(prev.value) if prev else "", ind.unit if ind else ""))
    return cells


def _indexed(post, prefix: str) -> list[int]:
    pat = re.compile(rf"^{re.escape(prefix)}-(\d{{1,4}})-")  # a form has at most thousands of rows
    return sorted({int(m.group(1)) for k in post.keys() if (m := pat.match(k))})


def _text(post, name: str, result: FormResult) -> str:
    value = (post.get(name) or "").replace("\r\n", "\n").strip()
    if len(value) > MAX_TEXT:
        result.add(name, f"This text is {len(value):,} characters; the limit is {MAX_TEXT:,}")
        value = value[:MAX_TEXT]
    if "\x00" in value:
        result.add(name, "This text contains a null character; paste it again as plain text")
        value = value.replace("\x00", "")
    return value


AREA_PREFIXES = {"highlights": "hl", "challenges": "ch", "next_year": "ny", "case_studies": "cs", "audits": "au"}


def area_fields(ret: Return) -> dict:
    """The form fields of the areas each part is marked for (``{part}-areas``), to add to the
    fields that reproduce a stored return, so the part editors show them ticked."""
    out: dict = {}
    counters: dict[str, int] = {}
    for s in ret.sections:
        n = counters[s.section] = counters.get(s.section, -1) + 1
        out[f"sec-{s.section}-{n}-areas"] = list(s.areas)
    for kind, prefix in AREA_PREFIXES.items():
        for n, part in enumerate(getattr(ret, kind)):
            out[f"{prefix}-{n}-areas"] = list(part.areas)
    out["voice-areas"] = list(ret.voice_areas)
    return out


def _part_areas(post, name: str, kept: list[str]) -> list[str]:
    """The areas a part is marked for: as posted when the editor showed the choice (a hidden
    ``{name}-shown`` field says so; none ticked is "all my areas"), else as stored, so a page
    without the choice never clears a marking."""
    if (post.get(f"{name}-shown") if hasattr(post, "get") else None) is None:
        return list(kept)
    return post.getlist(name) if hasattr(post, "getlist") else list(post.get(name, []))


def read_form(spec, base: Return, post, user_label: str) -> FormResult:
    """Build the Return the user posted on top of the stored one; collect field errors."""
    res = FormResult(None)
    template = spec.template(base.template)
    kinds = {s.kind for s in template.sections}
    priority_codes = {p.code for p in spec.priorities}
    fields: dict[tuple, str] = {}  # problem location prefix -> field name

    def tags(name: str) -> list[str]:
        got = post.getlist(name) if hasattr(post, "getlist") else post.get(name, [])
        bad = [t for t in got if t not in priority_codes]
        if bad:
            res.add(name, f"Unknown priority {bad[0]!r}")
        return [t for t in got if t in priority_codes]

    def stored(kind: str, n: int, section: str | None = None) -> list[str]:
        """The stored areas of the n-th part of this kind (of this section), if there is one."""
        parts = [s for s in base.sections if s.section == section] if kind == "sections" else getattr(base, kind)
        return list(parts[n].areas) if n < len(parts) else []

    sections = []
    for sec in template.sections:
        if sec.kind != "narrative":
            continue
        for n in _indexed(post, f"sec-{sec.code}"):
            p = f"sec-{sec.code}-{n}"
            text, heading = _text(post, f"{p}-text", res), _text(post, f"{p}-heading", res)
            pri = tags(f"{p}-pri")
            if not text and not heading:
                continue
            if not text:
                res.add(f"{p}-text", "Enter the text for this part, or clear its heading to remove it")
                continue
            fields[("sections", len(sections))] = f"{p}-text"
            sections.append(SectionAnswer(section=sec.code, heading=heading, text=text, priorities=pri,
                                          areas=_part_areas(post, f"{p}-areas", stored("sections", n, sec.code))))
    for sec in template.sections:
        if sec.required and sec.kind == "narrative" and not any(s.section == sec.code for s in sections):
            res.add(f"sec-{sec.code}-0-text", f"Enter {sec.title.lower()}: this section is required")
    upd: dict = {"sections": sections}

    if "highlights" in kinds:
        items = []
        for n in _indexed(post, "hl"):
            d, i = _text(post, f"hl-{n}-delivered", res), _text(post, f"hl-{n}-impact", res)
            if d or i:
                if not d:
                    res.add(f"hl-{n}-delivered", "Enter what was delivered for this highlight")
                items.append(Highlight(delivered=d, impact=i,
                                       areas=_part_areas(post, f"hl-{n}-areas", stored("highlights", n))))
        upd["highlights"] = items
    for kind, prefix, model in (("challenges", "ch", Challenge), ("next_year", "ny", NextYearPriority)):
        if kind in kinds:
            items = []
            for n in _indexed(post, prefix):
                t = _text(post, f"{prefix}-{n}-text", res)
                if t:
                    fields[(kind, len(items))] = f"{prefix}-{n}-text"
                    items.append(model(text=t, priorities=tags(f"{prefix}-{n}-pri"),
                                       areas=_part_areas(post, f"{prefix}-{n}-areas", stored(kind, n))))
            upd[kind] = items
    if "case_studies" in kinds:
        items = []
        for n in _indexed(post, "cs"):
            title, t = _text(post, f"cs-{n}-title", res), _text(post, f"cs-{n}-text", res)
            if title or t:
                if not t:
                    res.add(f"cs-{n}-text", "Enter the case study, or clear its title to remove it")
                    continue
                items.append(CaseStudy(title=title, text=t,
                                       areas=_part_areas(post, f"cs-{n}-areas", stored("case_studies", n))))
        upd["case_studies"] = items
    if "voice" in kinds:
        upd["voice"] = _text(post, "voice", res)
        upd["voice_areas"] = _part_areas(post, "voice-areas", base.voice_areas)
        if not upd["voice"] and any(s.required and s.kind == "voice" for s in template.sections):
            res.add("voice", "Enter your answer to the question: it is required")
    if "audits" in kinds:
        audits = []
        for n in _indexed(post, "au"):
            title = _text(post, f"au-{n}-title", res)
            findings = [ln.strip() for ln in _text(post, f"au-{n}-findings", res).split("\n") if ln.strip()]
            actions = []
            for m in _indexed(post, f"au-{n}-act"):
                q = f"au-{n}-act-{m}"
                text, owner = _text(post, f"{q}-text", res), _text(post, f"{q}-owner", res)
                due_s, status = (post.get(f"{q}-due") or "").strip(), (post.get(f"{q}-status") or "open")
                if not (text or owner or due_s):
                    continue
                if not text:
                    res.add(f"{q}-text", "Enter the action, or clear its owner and due date")
                    continue
                due = None
                if due_s:
                    try:
                        due = read_uk_date(due_s)
                    except ValueError as exc:
                        res.add(f"{q}-due", f"Due date: {exc} (you entered {due_s[:20]!r})")
                if status not in ("open", "in-progress", "done"):
                    res.add(f"{q}-status", "Choose open, in progress or done")
                    status = "open"
                actions.append(Action(text=text, owner=owner, due=due, status=status))
            if not (title or findings or actions):
                continue
            if not title:
                res.add(f"au-{n}-title", "Enter the audit's name")
                continue
            audits.append(Audit(title=title, findings=findings, actions=actions, priorities=tags(f"au-{n}-pri"),
                                areas=_part_areas(post, f"au-{n}-areas", stored("audits", n))))
        upd["audits"] = audits

    if base.carried_actions or base.priority_reviews:
        from . import carryforms

        upd.update(carryforms.read(base, post, res.add))
    if "figures" in kinds:
        upd["values"] = _read_figures(spec, base, post, res, fields, user_label)
    try:
        ret = base.model_copy(update=upd)
        ret = Return.model_validate(ret.model_dump())
    except ValidationError as exc:
        for e in exc.errors():
            res.add("form", f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}")
        return res
    for p in reference_problems(spec, ret) + rule_problems(spec, ret):
        name = _field_for(p.loc, fields)
        if p.severity == "error":
            res.add(name, p.message)
        else:
            res.queries.append(p.message)
    res.ret = ret
    return res


def _field_for(loc: tuple, fields: dict[tuple, str]) -> str:
    for n in (2, 1):
        if tuple(loc[:n]) in fields:
            return fields[tuple(loc[:n])]
    return "figures" if loc and loc[0] == "values" else "form"


def _read_figures(spec, base: Return, post, res: FormResult, fields: dict, user_label: str) -> list[DataValue]:
    indicators = {i.code for i in spec.indicators}
    stored = {(v.indicator, by_key(v.by)): v for v in base.values if (v.period or base.period) == base.period}
    kept = [v for v in base.values if (v.period or base.period) != base.period]
    out: list[DataValue] = []
    posted = [(k, post.get(k)) for k in post.keys() if k.startswith("fig|")]
    new_ind, new_by, new_val = (post.get("fig-new-indicator") or "").strip(), (post.get("fig-new-by") or "").strip(), \
        (post.get("fig-new-value") or "").strip()
    if new_ind or new_val or new_by:
        if new_ind not in indicators:
            res.add("fig-new-indicator", "Choose the indicator for the new figure")
        else:
            try:
                parse_by_key(new_by)
                posted.append((f"fig|{new_ind}|{by_key(parse_by_key(new_by))}", new_val))
            except ValueError as exc:
                res.add("fig-new-by", f"Write the breakdown as breakdown=option; separated by semicolons: {exc}")
    seen = set()
    for name, raw in posted:
        parts = name.split("|", 2)
        if len(parts) != 3:
            res.add("figures", f"Unrecognised figure field {name[:60]!r}: expected fig|indicator|breakdown")
            continue
        try:
            _, ind, bk = parts
            by = parse_by_key(bk)
        except ValueError as exc:
            res.add("figures", f"Unrecognised figure field {name[:60]!r}: {exc}")
            continue
        key = (ind, by_key(by))
        if key in seen:
            continue
        seen.add(key)
        raw = (raw or "").strip()
        old = stored.get(key)
        if not raw:
            if old is not None and old.value is None:
                out.append(old)  # a stored "not recorded" stays
            continue
        try:
            value = parse_number(raw)
        except ValueError as exc:
            res.add(name, str(exc))
            continue
        fields[("values", len(kept) + len(out))] = name
        if old is not None and old.value == value:
            out.append(old)
        else:
            out.append(DataValue(indicator=ind, by=by, value=value, note=old.note if old else "",
                                 areas=old.areas if old else [],
                                 provenance=Provenance(kind="typed", source=f"web form, {user_label}")))
    return kept + out
