"""Problems worded for the person at the form: each names the field as the page labels it
("Referrals (total)", "Achievements, part 1"), never an internal path (``values.1.value``,
``bfrs/2024-25/appendix-b sections[0] achievements``), and each is said once.
"""

from __future__ import annotations

import re

_PART = re.compile(r"^sec-(?P<code>.+)-(?P<n>\d+)-(?P<what>text|heading|pri)$")
_ITEM = re.compile(r"^(?P<pre>hl|ch|ny|cs|au)-(?P<n>\d+)-(?P<what>[a-z]+)$")
_ACTION = re.compile(r"^au-(?P<n>\d+)-act-(?P<m>\d+)-(?P<what>[a-z]+)$")
_CARRIED = re.compile(r"^(?P<pre>ca|pr)-(?P<n>\d+)-(?P<what>[a-z]+)$")
_LOC = re.compile(r"^(?P<kind>sections|highlights|audits|challenges|next_year|case_studies|carried_actions|"
                  r"priority_reviews|values)[\[.](?P<n>\d+)\]?\.?(?P<rest>.*)$")
_RETURN_KEY = re.compile(r"^\S+/\S+/\S+\s*")

ITEM_KINDS = {"hl": ("highlights", "highlight"), "ch": ("challenges", "item"), "ny": ("next_year", "item"),
              "cs": ("case_studies", "case study"), "au": ("audits", "audit")}
WHAT = {"text": "text", "heading": "heading", "pri": "priorities", "delivered": "what we delivered",
        "impact": "impact", "title": "title", "findings": "findings", "owner": "owner", "due": "due date",
        "status": "status"}
NEW_FIGURE = {"fig-new-indicator": "New figure: indicator", "fig-new-by": "New figure: breakdown",
              "fig-new-value": "New figure: value"}


def _title(template, kind_or_code: str) -> str:
    for s in getattr(template, "sections", []):
        if s.code == kind_or_code:
            return s.title
    for s in getattr(template, "sections", []):
        if s.kind == kind_or_code:
            return s.title
    return kind_or_code.replace("_", " ").capitalize()


def field_label(name: str, template, cells=()) -> str:
    """The label of a return-form field, as the page shows it; "" for the form as a whole."""
    if name.startswith("fig|"):
        return next((c.label for c in cells if c.name == name), name.split("|")[1])
    if name in NEW_FIGURE:
        return NEW_FIGURE[name]
    if name == "voice":
        return _title(template, "voice")
    if m := _PART.match(name):
        what = m["what"]
        return f"{_title(template, m['code'])}, part {int(m['n']) + 1}" + ("" if what == "text" else f": {WHAT[what]}")
    if m := _ACTION.match(name):
        return (f"{_title(template, 'audits')}, audit {int(m['n']) + 1}, action {int(m['m']) + 1}: "
                f"{WHAT.get(m['what'], m['what'])}")
    if m := _ITEM.match(name):
        kind, noun = ITEM_KINDS[m["pre"]]
        return f"{_title(template, kind)}, {noun} {int(m['n']) + 1}: {WHAT.get(m['what'], m['what'])}"
    if _CARRIED.match(name):
        return "Carried from last year"
    return ""


def readable(message: str, spec) -> str:
    """A message without internal codes: a rule's code prefix goes, indicator codes read as names."""
    rules = {r.code for r in getattr(spec, "rules", [])} if spec is not None else set()
    head, sep, tail = message.partition(": ")
    if sep and (head in rules or re.fullmatch(r"[a-z][a-z0-9]*(?:[.-][a-z0-9]+)+", head)):
        message = tail
    for ind in getattr(spec, "indicators", []):
        if ind.code in message:
            message = re.sub(rf"\b{re.escape(ind.code)}\b", ind.name, message)
    return message[:1].upper() + message[1:]


def labelled(label: str, message: str) -> str:
    """'Label: message' (a dash when the label has a colon of its own)."""
    if not label or message.startswith(label):
        return message
    return f"{label} – {message}" if ":" in label else f"{label}: {message}"


def once(messages: list[str], spec) -> list[str]:
    """Readable messages, each said once, in order."""
    return list(dict.fromkeys(readable(m, spec) for m in messages))


def error_summary(errors: dict[str, list[str]], template, cells, spec, fid) -> list[tuple[str, str]]:
    """(field id, message) for the error summary: one message per field (the first: fixing it
    shows the next), named by the field's label, each distinct message once."""
    out, seen = [], set()
    for name, msgs in errors.items():
        if not msgs:
            continue
        text = labelled(field_label(name, template, cells), readable(_form_message(msgs[0], template), spec))
        if text not in seen:
            seen.add(text)
            out.append((fid(name) if name not in ("form", "figures") else "main-content", text))
    return out


def first_only(errors: dict[str, list[str]], spec, template=None) -> dict[str, list[str]]:
    """The messages shown beside each field: the first problem only, readable."""
    return {name: [readable(_form_message(msgs[0], template), spec)] for name, msgs in errors.items() if msgs}


def _form_message(message: str, template) -> str:
    """A validation path (``values.1.value: ...``) as the part of the form it is about."""
    head, sep, tail = message.partition(": ")
    m = _LOC.match(head) if sep else None
    if not m:
        return message
    kind = m["kind"]
    where = "A figure" if kind == "values" else f"{_title(template, kind)}, item {int(m['n']) + 1}"
    return f"{where}: {tail}"


def where(location: str, template, ret=None, cells=(), spec=None) -> str:
    """A finding's location as the reader finds it on the page: the section and part. A
    finding about the partner's other return of the period (``checks_seam.SIBLING_CHECKS``)
    names that return first ("Appendix C (Partners' voice) return: Feedback, part 1"), in its
    own template's words; ``spec`` gives them."""
    first = (location or "").split(" ")[0]
    other = first.split("/")[-1] if first.count("/") == 2 else ""
    if spec is not None and template is not None and other and other != template.code:
        theirs = next((t for t in spec.templates if t.code == other), None)
        if theirs is not None:
            inner = where(location, theirs, None, (), None)
            named = f"Appendix {theirs.appendix} ({theirs.name})" if getattr(theirs, "appendix", "") else theirs.name
            return f"{named} return" + (f": {inner}" if inner else "")
    loc = _RETURN_KEY.sub("", location or "") if "/" in first else (location or "")
    m = _LOC.match(loc)
    if not m:
        if any(loc in (x.code, x.kind) for x in getattr(template, "sections", [])):
            return _title(template, loc)  # a section with one answer ("voice"): its title
        return "" if loc in ("", "(whole report)") else loc
    kind, n, rest = m["kind"], int(m["n"]), m["rest"].strip()
    if kind == "sections":
        code, _, heading = rest.partition(" / ")
        title = _title(template, code.strip() or "narrative")
        return f"{title}, part {n + 1}" + (f" ({heading.strip()})" if heading.strip() else "")
    if kind == "values" and ret is not None and n < len(ret.values):
        from .returnform import by_key

        v = ret.values[n]
        return field_label(f"fig|{v.indicator}|{by_key(v.by)}", template, cells)
    if kind == "values":
        return _title(template, "figures")
    return f"{_title(template, kind)}, item {n + 1}" + (f" ({rest})" if rest and rest[0] != "." else "")


def unique_findings(findings: list, errors: dict[str, list[str]], spec) -> list:
    """Findings without repeats, and without those the form already shows beside a field."""
    said = {readable(m, spec) for msgs in errors.values() for m in msgs}
    out, seen = [], set()
    for f in findings:
        key = (f.severity, readable(f.message, spec), f.location)
        if key in seen or readable(f.message, spec) in said:
            continue
        seen.add(key)
        out.append(f)
    return out
