"""Editing the partnership spec from the business unit's screens.

Every edit runs in one transaction: it takes the partnership's write lock (``locked_spec``),
reads the newest spec document under it, checks the edit against that fresh document (a
form opened before someone else's save is refused, not applied over it), changes one entity,
validates the whole spec (pydantic, then ``integrity_problems``) and stores it through
``store.store_spec``, which records the change against the previous version. Two business-unit
users saving at once therefore queue: the second edit is applied to the first one's spec.
A refused edit raises ``Refused`` with one message per form field (named as the form shows
it) and stores nothing.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Callable

from pydantic import ValidationError

from masa.spec import Spec, SpecError
from masa.spec.models import integrity_problems
from masa.web import store

# the form's label for each spec field, so a message names the field as the page shows it
LABELS = {
    "code": "Code", "name": "Name", "short_name": "Short name", "aliases": "Other names",
    "type": "Type", "areas": "Areas covered", "contacts": "Contacts", "ons_code": "ONS code",
    "unit": "Unit", "breakdowns": "Breakdowns", "direction": "Better when", "target": "Target",
    "description": "Description", "retired_from": "Retire from", "target_value": "Target", "question": "Question",
    "frequency": "Frequency", "sections": "Sections", "title": "Title", "kind": "Kind", "prompt": "Prompt",
    "aggregation": "Yearly figure from quarterly figures", "numerator": "Percentage: counted in (numerator)",
    "denominator": "Percentage: out of (denominator)", "partner": "Reported by", "appendix": "Appendix letter",
}
LABELLED = ("aggregation", "numerator", "denominator")  # integrity messages on these get the label in front


class Refused(Exception):
    """An edit that would be wrong; ``errors`` maps each form field to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


def current(partnership: str) -> Spec:
    return store.spec_for(partnership)


def locked_spec(partnership: str) -> Spec:
    """The newest spec, read under the partnership's write lock; call it inside
    ``transaction.atomic``. On PostgreSQL the partnership's row is locked FOR UPDATE, so a
    second writer waits until the first has committed and then reads its version (a lock on
    the newest SpecVersion would not do: each save adds a new row). SQLite starts every
    transaction IMMEDIATE (settings), which already lets one writer in at a time."""
    from masa.web.core.models import Partnership

    list(Partnership.objects.select_for_update().filter(code=partnership).values_list("id", flat=True))
    return store.spec_for(partnership)


def entity_hash(entity) -> str:
    """A short fingerprint of a spec entity as a form showed it (a model or its JSON dict):
    the form carries it, and a save refuses when the stored entity no longer matches."""
    if hasattr(entity, "model_dump"):
        entity = entity.model_dump(mode="json")
    return hashlib.sha256(json.dumps(entity, sort_keys=True).encode()).hexdigest()[:16]


WHAT = {"areas": "area", "partners": "partner", "priorities": "priority", "indicators": "indicator",
        "templates": "template"}


def _not_stale(doc: dict, plural: str, original: str | None, seen: str | None) -> None:
    """Refuse a change made on a page that showed an older version of the entity."""
    if not original or not seen:
        return
    now = next((e for e in doc[plural] if e["code"] == original), None)
    if now is not None and entity_hash(now) != seen:
        raise Refused({"__all__": f"This {WHAT[plural]} was changed by someone else since you opened this page: "
                                  "reload to see it, then make your change again. Nothing was saved."})


def _edit(partnership: str, who, via: str, change: Callable[[dict], None],
          effective_from: str | None = None, place: Callable[[tuple], str] | None = None) -> Spec:
    """Under the partnership's lock, apply ``change`` to a copy of the newest spec document
    (it may raise Refused after checking that fresh document), validate, store; or Refused.
    ``place`` names the form field an integrity problem's location belongs to (default ``_field``)."""
    from django.db import transaction

    with transaction.atomic():
        doc = copy.deepcopy(locked_spec(partnership).model_dump(mode="json"))
        change(doc)
        try:
            spec = Spec.model_validate(doc)
        except ValidationError as exc:
            raise Refused(_pydantic_errors(exc)) from None
        problems = integrity_problems(spec)
        if problems:
            errors: dict[str, str] = {}
            for loc, msg in problems:
                field = (place or _field)(loc)
                errors.setdefault(field, f"{LABELS[field]}: {msg}" if field in LABELLED else msg)
            raise Refused(errors)
        try:
            store.store_spec(spec, who=who, via=via, effective_from=effective_from)
        except SpecError as exc:  # an entity shared with another partnership, said differently
            raise Refused({"__all__": " ".join(f"{msg[0].upper()}{msg[1:]}." for _, msg in exc.problems)
                                      + " Nothing was saved."}) from None
    return spec


def _field(loc: tuple) -> str:
    """The form field a spec location points at: its last named part below the entity."""
    names = [p for p in loc[2:] if isinstance(p, str)] or [p for p in loc if isinstance(p, str)]
    field = names[0] if names else "__all__"
    return field if field in LABELS else "__all__"


def _pydantic_errors(exc: ValidationError) -> dict[str, str]:
    out: dict[str, str] = {}
    for err in exc.errors():
        field = _field(tuple(err["loc"]))
        if field == "__all__" and "target" in err["msg"]:
            field = "target_value"  # the indicator's own check of its target against its unit
        label = LABELS.get(field, "This entry")
        if err["type"] in ("string_too_short", "missing", "too_short"):
            msg = f"Enter {label.lower()}" if field != "__all__" else "A required entry is empty"
        elif err["type"] == "string_pattern_mismatch" and field == "code":
            msg = "Code: use lower-case letters, digits, hyphens and underscores, starting with a letter or digit"
        elif err["type"] == "string_pattern_mismatch" and field == "ons_code":
            msg = "ONS code: a local authority's code looks like E06000032"
        else:
            msg = f"{label}: {err['msg'].removeprefix('Value error, ')}"
        out.setdefault(field, msg)
    if len(out) > 1:  # the same bad value seen again elsewhere in the spec (a code in a list) adds nothing
        out.pop("__all__", None)
    return out


def _require(errors: dict[str, str], data: dict, *fields: str) -> None:
    for f in fields:
        if not str(data.get(f) or "").strip():
            errors.setdefault(f, f"Enter {LABELS[f].lower()}")


def _unique(errors: dict, items: list[dict], code: str, original: str | None, what: str) -> None:
    if code and code != original and any(e["code"] == code for e in items):
        errors.setdefault("code", f"Code: {what} {code!r} already exists; choose another code")


def _replace(items: list[dict], original: str | None, entity: dict) -> None:
    """Put ``entity`` where ``original`` was, or at the end when adding."""
    for i, e in enumerate(items):
        if original is not None and e["code"] == original:
            items[i] = entity
            return
    items.append(entity)


def _existing(items: list[dict], code: str | None) -> dict:
    return next((dict(e) for e in items if code is not None and e["code"] == code), {})


# --- the setup home's recent changes -------------------------------------------------------

PLURALS = {"area": "areas", "partner": "partners", "indicator": "indicators", "template": "templates",
           "priority": "priorities", "breakdown": "breakdowns", "rule": "rules", "partnership": "partnerships"}


def recent_changes(partnership: str, limit: int = 30) -> list[dict]:
    """The newest spec changes for the setup home, one row each, except a partnership's first
    version (every entity "added", applying to every year): that is one row, "set up with
    3 areas, 11 partners, …", not forty."""
    rows: list[dict] = []
    first: dict | None = None
    for c in store.spec_changes(partnership, limit=limit + 400):
        if c.effective_from == "" and c.change == "added":
            if first is None or first["version"] != c.version_id:
                first = {"version": c.version_id, "at": c.at, "who": c.who or c.via, "counts": {},
                         "change": "set up", "effective_from": ""}
                rows.append(first)
            first["counts"][c.kind] = first["counts"].get(c.kind, 0) + 1
            continue
        rows.append({"at": c.at, "what": f"{c.kind} {c.code}", "change": c.change,
                     "effective_from": c.effective_from, "who": c.who or c.via})
    for r in rows:
        if "counts" in r:
            r["what"] = "set up with " + ", ".join(
                f"{n} {PLURALS.get(k, k + 's') if n != 1 else k}" for k, n in sorted(r["counts"].items())
                if k != "partnership") if any(k != "partnership" for k in r["counts"]) else "set up"
    return rows[:limit]


# --- areas ----------------------------------------------------------------------------------

def save_area(partnership: str, who, data: dict, original: str | None = None,
              effective_from: str | None = None, seen: str | None = None) -> Spec:
    """Add an area (it joins the partnership's list) or change one's name. Codes never change.
    An ONS code belongs to one area only (imports match areas by it)."""
    code = original or data.get("code", "").strip()

    def change(d):
        _not_stale(d, "areas", original, seen)
        errors: dict[str, str] = {}
        _require(errors, {**data, "code": code}, "code", "name")
        _unique(errors, d["areas"], code, original, "an area")
        ons = (data.get("ons_code") or "").strip()
        twin = next((a for a in d["areas"] if ons and a.get("ons_code") == ons and a["code"] != code), None)
        if twin:
            errors["ons_code"] = f"ONS code: {ons} is already the code of {twin['name']}; each area has its own"
        _national_list(errors, ons, (data.get("name") or "").strip())
        twin = next((a for a in d["areas"] if a["name"].strip().lower() == (data.get("name") or "").strip().lower()
                     and a["code"] != code), None)
        if twin:
            errors["name"] = f"Name: {twin['name']} is already an area (code {twin['code']}); choose another name"
        if errors:
            raise Refused(errors)
        area = {**_existing(d["areas"], original), "code": code, "name": data["name"].strip(),
                "ons_code": (data.get("ons_code") or "").strip() or None}
        _replace(d["areas"], original, area)
        if code not in d["partnership"]["areas"]:
            d["partnership"]["areas"].append(code)

    return _edit(partnership, who, "web.setup.area", change, effective_from)


def _national_list(errors: dict[str, str], ons: str, name: str) -> None:
    """An ONS code must be one of England's local authorities (or districts) that masa ships,
    and an area named as one of them must carry that authority's code."""
    if not re.fullmatch(r"E\d{8}", ons or ""):
        return  # the spec model's own pattern check names a malformed code
    from masa.reference import find_district, find_local_authority

    la, named = find_local_authority(ons), find_local_authority(name) if name else None
    if la is None and find_district(ons) is None:
        errors.setdefault("ons_code", f"ONS code: {ons} is not in England's list of local authorities; "
                                      "check it (Hartlepool's is E06000001)")
    elif la is not None and named is not None and named != la:
        errors.setdefault("ons_code", f"ONS code: {ons} is {la.name}'s code; {named.name}'s is {named.ons_code}")


# --- partners -------------------------------------------------------------------------------

def save_partner(partnership: str, who, data: dict, original: str | None = None,
                 effective_from: str | None = None, seen: str | None = None) -> Spec:
    """Add or change a partner: names, type, the areas it covers (from the partnership's list)
    and its contacts ([{role, email, name}]). Its names must not be another partner's name or
    other name: imports match partners by them."""
    code = original or data.get("code", "").strip()
    areas = list(data.get("areas") or [])

    def change(d):
        _not_stale(d, "partners", original, seen)
        errors: dict[str, str] = {}
        _require(errors, {**data, "code": code}, "code", "name", "short_name")
        _unique(errors, d["partners"], code, original, "a partner")
        # a partner may also cover neighbouring areas the spec knows (police, NHS trusts, charities
        # serve several partnerships); figures and reports are sliced by area
        known = [a["code"] for a in d["areas"]]
        unknown = [a for a in areas if a not in known]
        if unknown:
            errors["areas"] = (f"Areas covered: {', '.join(map(repr, unknown))} is not one of the areas this spec "
                               f"knows ({', '.join(known)}); add the area first")
        elif not areas:
            errors["areas"] = "Areas covered: choose at least one area"
        _names_unique(errors, d["partners"], code, data)
        if errors:
            raise Refused(errors)
        _areas_with_figures_kept(code, _existing(d["partners"], original).get("areas", []), areas, d)
        partner = {**_existing(d["partners"], original), "code": code, "name": data["name"].strip(),
                   "short_name": data["short_name"].strip(), "aliases": list(data.get("aliases") or []),
                   "type": data.get("type") or "other", "areas": areas,
                   "contacts": list(data.get("contacts") or [])}
        _replace(d["partners"], original, partner)

    return _edit(partnership, who, "web.setup.partner", change, effective_from)


def _areas_with_figures_kept(code: str, before: list[str], after: list[str], d: dict) -> None:
    """A partner keeps every area it has figures stored for: its figures are published by area."""
    dropped = [a for a in before if a not in after]
    if not dropped:
        return
    from django.db.models import Count

    from masa.web.core.models import DataValue

    rows = list(DataValue.objects.filter(partner__code=code, area__code__in=dropped).values("area__code")
                .annotate(n=Count("id")).order_by("area__code"))
    if rows:
        names = {a["code"]: a["name"] for a in d["areas"]}
        where = "; ".join(f"{names.get(r['area__code'], r['area__code'])}: {r['n']}" for r in rows)
        raise Refused({"areas": f"Areas covered: figures are stored for the areas you took off ({where}); "
                                "keep those areas, or retire the partner's indicators first"})


def _names_unique(errors: dict[str, str], partners: list[dict], code: str, data: dict) -> None:
    """A partner's name and other names may not be any other partner's name or other name."""
    taken = {}
    for p in partners:
        if p["code"] != code:
            for n in [p["name"], *p.get("aliases", [])]:
                taken.setdefault(n.strip().lower(), p["name"])
    for field, names in (("name", [data.get("name") or ""]), ("aliases", list(data.get("aliases") or []))):
        for n in names:
            other = taken.get(n.strip().lower())
            if n.strip() and other:
                errors.setdefault(field, f"{LABELS[field]}: {n.strip()!r} is already a name of {other}; "
                                         "imports match partners by name, so each name belongs to one partner")


# --- priorities -----------------------------------------------------------------------------

def save_priority(partnership: str, who, data: dict, original: str | None = None,
                  effective_from: str | None = None, seen: str | None = None) -> Spec:
    """Add a priority (or theme) or change one's name, kind and other names. Codes never change."""
    code = original or data.get("code", "").strip()

    def change(d):
        _not_stale(d, "priorities", original, seen)
        errors: dict[str, str] = {}
        _require(errors, {**data, "code": code}, "code", "name")
        _unique(errors, d["priorities"], code, original, "a priority")
        if errors:
            raise Refused(errors)
        pri = {**_existing(d["priorities"], original), "code": code, "name": data["name"].strip(),
               "kind": data.get("kind") or "priority", "aliases": list(data.get("aliases") or [])}
        _replace(d["priorities"], original, pri)

    return _edit(partnership, who, "web.setup.priority", change, effective_from)


def retire_priority(partnership: str, who, code: str, year: str | None) -> Spec:
    """Retire a priority from ``year`` on (None: bring it back). It stays in the spec, so
    earlier returns keep their tags and earlier reports their headings."""
    spec = current(partnership)
    if code not in {p.code for p in spec.priorities}:
        raise Refused({"__all__": f"There is no priority {code!r}"})
    if year and year not in spec.periods.financial_years:
        raise Refused({"retired_from": f"Retire from: {year!r} is not one of the partnership's years "
                                       f"({', '.join(spec.periods.financial_years)})"})

    def change(d):
        for p in d["priorities"]:
            if p["code"] == code:
                p["retired_from"] = year or None

    return _edit(partnership, who, "web.setup.priority.retire", change,
                 effective_from=year or spec.periods.current)


# --- indicators -----------------------------------------------------------------------------

def figures_of(indicator: str, from_year: str | None = None) -> list[tuple[str, str, int]]:
    """Stored figures of an indicator: [(partner name, period, count)], optionally only for
    periods of ``from_year`` and later."""
    from django.db.models import Count

    from masa.web.core.models import DataValue

    rows = (DataValue.objects.filter(indicator__code=indicator).values("partner__name", "period__code")
            .annotate(n=Count("id")).order_by("period__code", "partner__name"))
    return [(r["partner__name"], r["period__code"], r["n"]) for r in rows
            if from_year is None or r["period__code"].split(" ")[0] >= from_year]


def _where(figures: list[tuple[str, str, int]]) -> str:
    total = sum(n for _, _, n in figures)
    places = "; ".join(f"{p} {per}: {n}" for p, per, n in figures[:6])
    more = "; …" if len(figures) > 6 else ""
    return f"{total} figure{'s' if total != 1 else ''} stored ({places}{more})"


def save_indicator(partnership: str, who, data: dict, original: str | None = None,
                   effective_from: str | None = None, seen: str | None = None) -> Spec:
    """Add or change an indicator in the catalogue. Its unit and breakdowns cannot change once
    it has figures (the stored figures are counted in them; add a new indicator instead)."""
    code = original or data.get("code", "").strip()
    target_value = data.get("target_value")
    doc: dict = {}

    def change(d):
        doc["codes"] = [i["code"] for i in d["indicators"]]  # before the change, for ``place``
        _not_stale(d, "indicators", original, seen)
        errors: dict[str, str] = {}
        _require(errors, {**data, "code": code}, "code", "name", "unit")
        _unique(errors, d["indicators"], code, original, "an indicator")
        known = [b["code"] for b in d["breakdowns"]]
        unknown = [b for b in data.get("breakdowns") or [] if b not in known]
        if unknown:
            errors["breakdowns"] = (f"Breakdowns: {', '.join(map(repr, unknown))} is not a breakdown of this "
                                    "partnership")
        if target_value not in (None, "") and not data.get("target_direction"):
            errors["target_direction"] = "Target is met when: choose at least or at most"
        if target_value not in (None, "") and float(target_value) < 0 and data.get("unit") in (
                "count", "currency", "days", "percent", "rate"):
            errors["target_value"] = f"Target: {float(target_value):g} is below 0, which a {data['unit']} cannot be"
        if data.get("partner") and data["partner"] not in {p["code"] for p in d["partners"]}:
            errors["partner"] = f"Reported by: {data['partner']!r} is not a partner of this partnership"
        _aggregation_problems(errors, data)
        old = _existing(d["indicators"], original)
        stored = figures_of(code) if old else []
        if stored and data.get("unit") and data["unit"] != old["unit"]:
            errors["unit"] = (f"Unit: cannot change from {old['unit']} to {data['unit']}: "
                              f"{_where(stored)}; add a new indicator instead")
        if stored and sorted(data.get("breakdowns") or []) != sorted(old.get("breakdowns") or []):
            names = {b["code"]: b["name"] for b in d["breakdowns"]}
            was = ", ".join(names.get(b, b) for b in old.get("breakdowns") or []) or "none"
            errors["breakdowns"] = (f"Breakdowns: cannot change from {was}: {_where(stored)}, counted by those "
                                    "breakdowns; add a new indicator instead")
        if errors:
            raise Refused(errors)
        target = None if target_value in (None, "") else {"value": float(target_value),
                                                          "direction": data["target_direction"]}
        ind = {**old, "code": code, "name": data["name"].strip(), "unit": data["unit"],
               "breakdowns": list(data.get("breakdowns") or []), "direction": data.get("direction") or "none",
               "target": target, "description": (data.get("description") or "").strip(),
               "aggregation": data.get("aggregation") or None, "numerator": data.get("numerator") or None,
               "denominator": data.get("denominator") or None,
               "partner": data["partner"] or None if "partner" in data else old.get("partner")}
        _replace(d["indicators"], original, ind)

    def place(loc: tuple) -> str:
        """A ratio problem of another indicator (this one is its numerator or denominator, and
        its unit or aggregation no longer fits) belongs on this form's aggregation field."""
        field = _field(loc)
        if loc[:1] == ("indicators",) and field in ("numerator", "denominator") and len(loc) > 1:
            spec_codes = doc["codes"] + ([] if original else [code])
            if loc[1] < len(spec_codes) and spec_codes[loc[1]] != code:
                return "aggregation"
        return field

    return _edit(partnership, who, "web.setup.indicator", change, effective_from, place)


def _aggregation_problems(errors: dict[str, str], data: dict) -> None:
    """How the year is made from quarters, checked against the unit before the spec is:
    a percentage from a numerator and a denominator needs both, and only a percent has one."""
    how, unit = data.get("aggregation") or "", data.get("unit") or ""
    if how == "ratio":
        if unit and unit != "percent":
            errors.setdefault("aggregation", f"{LABELS['aggregation']}: working out a percentage is only for an "
                                             f"indicator whose unit is percent; this one's unit is {unit}")
        for field, what in (("numerator", "the cases that meet the measure"), ("denominator", "all the cases")):
            if not data.get(field):
                errors.setdefault(field, f"{LABELS[field]}: choose the count indicator of {what}, "
                                         "or choose another way to make the yearly figure")
        if data.get("numerator") and data.get("numerator") == data.get("denominator"):
            errors.setdefault("denominator", f"{LABELS['denominator']}: choose a different indicator "
                                             "from the numerator")
    else:
        for field in ("numerator", "denominator"):
            if data.get(field):
                errors.setdefault(field, f"{LABELS[field]}: used only when the yearly figure is worked out as "
                                         "a percentage; choose that above, or choose None here")


def retire_indicator(partnership: str, who, code: str, year: str | None) -> Spec:
    """Retire an indicator from ``year`` on (None: bring it back). It stays in the spec with
    its figures, so earlier years' reports keep it; refused if figures exist from ``year`` on."""
    spec = current(partnership)
    if code not in {i.code for i in spec.indicators}:
        raise Refused({"__all__": f"There is no indicator {code!r}"})
    if year:
        if year not in spec.periods.financial_years:
            raise Refused({"retired_from": f"Retire from: {year!r} is not one of the partnership's years "
                                           f"({', '.join(spec.periods.financial_years)})"})
        lost = figures_of(code, from_year=year)
        if lost:
            raise Refused({"retired_from": f"Retire from: {code} has {_where(lost)} from {year} on; "
                                           "retiring it then would lose them. Choose a later year."})

    def change(d):
        if year:
            _dependants_live(d, code, year)
        for ind in d["indicators"]:
            if ind["code"] == code:
                ind["retired_from"] = year or None

    return _edit(partnership, who, "web.setup.indicator.retire", change,
                 effective_from=year or spec.periods.current)


def _dependants_live(d: dict, code: str, year: str) -> None:
    """Refuse to retire an indicator that live indicators are worked out from (a slice or a
    share of it, or a percentage with it as numerator or denominator) from ``year``."""
    uses = []
    for ind in d["indicators"]:
        refs = {(ind.get("slice_of") or {}).get("indicator"), (ind.get("share_of") or {}).get("indicator"),
                ind.get("numerator"), ind.get("denominator")}
        if code in refs and ind["code"] != code and (not ind.get("retired_from") or ind["retired_from"] > year):
            uses.append(ind["code"])
    if uses:
        raise Refused({"retired_from": f"Retire from: {', '.join(uses)} {'is' if len(uses) == 1 else 'are'} worked "
                                       f"out from {code} in {year} and later; retire "
                                       f"{'it' if len(uses) == 1 else 'them'} from {year} or earlier first"})


def remove_indicator(partnership: str, who, code: str) -> Spec:
    """Take an indicator out of the spec: only one that has no figures (else retire it)."""
    figures = figures_of(code)
    if figures:
        raise Refused({"__all__": f"{code} cannot be removed: it has {_where(figures)}. "
                                  "Retire it from a later year instead, so earlier reports keep those figures."})

    def change(d):
        d["indicators"] = [i for i in d["indicators"] if i["code"] != code]

    return _edit(partnership, who, "web.setup.indicator.remove", change)


# --- templates ------------------------------------------------------------------------------

# what a return holds for a section of each kind (narrative answers are stored per section code)
ANSWERS = {"figures": "values", "audits": "audits", "highlights": "highlights", "challenges": "challenges",
           "next_year": "next_year", "case_studies": "case_studies", "attachments": "attachments"}


def section_answers(template: str, section: dict) -> list[tuple[str, str, int]]:
    """Returns of ``template`` holding answers to ``section``: [(partner name, period, returns)]."""
    from django.db.models import Count

    from masa.web.core.models import Return

    rows = Return.objects.filter(template__code=template)
    kind = section["kind"]
    if kind == "voice":
        rows = rows.exclude(voice="")
    elif kind in ANSWERS:
        rows = rows.filter(**{f"{ANSWERS[kind]}__isnull": False})
    else:
        rows = rows.filter(sections__section=section["code"])
    got = (rows.distinct().values("partner__name", "period__code").annotate(n=Count("id", distinct=True))
           .order_by("period__code", "partner__name"))
    return [(r["partner__name"], r["period__code"], r["n"]) for r in got]


def _returns_where(found: list[tuple[str, str, int]]) -> str:
    total = sum(n for _, _, n in found)
    places = "; ".join(f"{p} {per}" for p, per, _ in found[:6]) + ("; …" if len(found) > 6 else "")
    return f"{total} return{'s' if total != 1 else ''} ({places})"


def _section_problems(errors: dict[str, str], code: str, old: dict, sections: list[dict], frequency: str) -> None:
    """Answers refer to a section by its code and are read by its kind, and a return is for a
    year or a quarter: once returns hold answers, those cannot change under them (D7, D14, D15)."""
    if not old:
        return
    new = {s.get("code"): s for s in sections}
    for s in old.get("sections", []):
        found = section_answers(code, s)
        if not found:
            continue
        if s["code"] not in new:
            errors.setdefault("sections", (
                f"Sections: {s['title']!r} cannot be removed (or its code changed): {_returns_where(found)} hold "
                "answers to it, which would vanish from their pages and reports. Make it not required instead."))
        elif new[s["code"]].get("kind") != s["kind"]:
            errors.setdefault("sections", (
                f"Sections: the kind of {s['title']!r} cannot change from {s['kind']} to {new[s['code']].get('kind')}: "
                f"{_returns_where(found)} hold answers to it; add a new section instead"))
    if frequency != old.get("frequency", "yearly"):
        from masa.web.core.models import Return

        n = Return.objects.filter(template__code=code).count()
        if n:
            errors.setdefault("frequency", (
                f"Frequency: cannot change from {old.get('frequency', 'yearly')} to {frequency}: {code} has {n} "
                f"return{'s' if n != 1 else ''} for {'quarters' if old.get('frequency') == 'quarterly' else 'years'}; "
                f"add a new {frequency} template instead"))


def save_template(partnership: str, who, data: dict, sections: list[dict], original: str | None = None,
                  effective_from: str | None = None, seen: str | None = None) -> Spec:
    """Add or change a return template: name, appendix letter, question, frequency and its
    sections ([{code, title, kind, prompt, required}], in order). A section with answers keeps
    its code and kind and cannot be removed; a template with returns keeps its frequency."""
    code = original or data.get("code", "").strip()
    frequency = data.get("frequency") or "yearly"

    def change(d):
        _not_stale(d, "templates", original, seen)
        errors: dict[str, str] = {}
        _require(errors, {**data, "code": code}, "code", "name")
        _unique(errors, d["templates"], code, original, "a template")
        seen_codes: set[str] = set()
        for i, s in enumerate(sections, 1):
            if not (s.get("title") or "").strip():
                errors.setdefault("sections", f"Section {i}: enter its title")
            if s.get("code") in seen_codes:
                errors.setdefault("sections", f"Section {i}: code {s['code']!r} is used by another section")
            seen_codes.add(s.get("code"))
        if not sections:
            errors.setdefault("sections", "Sections: a template needs at least one section")
        old = _existing(d["templates"], original)
        _section_problems(errors, code, old, sections, frequency)
        appendix = (data.get("appendix") or "").strip().upper() if "appendix" in data else old.get("appendix", "")
        if appendix and not (len(appendix) <= 3 and appendix.isalnum()):
            errors.setdefault("appendix", "Appendix letter: a letter such as C (up to three letters or digits)")
        if errors:
            raise Refused(errors)
        tpl = {**old, "code": code, "name": data["name"].strip(), "appendix": appendix,
               "question": (data.get("question") or "").strip(), "frequency": frequency,
               "sections": [{"code": s["code"], "title": s["title"].strip(), "kind": s["kind"],
                             "prompt": (s.get("prompt") or "").strip(), "required": bool(s.get("required"))}
                            for s in sections]}
        _replace(d["templates"], original, tpl)

    return _edit(partnership, who, "web.setup.template", change, effective_from)
