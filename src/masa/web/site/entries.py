"""Form fields for the return page, built from form data (stored or just posted), so a form
that failed validation is shown again exactly as the user typed it, errors beside each field."""

from __future__ import annotations

from django.utils.text import slugify

from .returnform import _indexed


def fid(name: str) -> str:
    return "f-" + slugify(name.replace("|", "-").replace("=", "-").replace(";", "-"))


def field(data, errors, name: str, label: str = "") -> dict:
    value = data.get(name, "")
    if isinstance(value, list):
        value = value[-1] if value else ""
    return {"name": name, "id": fid(name), "value": value or "", "errors": errors.get(name, []), "label": label}


def _tags(data, name: str, priorities) -> dict:
    got = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
    return {"name": name, "id": fid(name),
            "options": [{"code": p.code, "name": p.name, "checked": p.code in got, "id": fid(f"{name}-{p.code}")}
                        for p in priorities]}


def _areas(data, name: str, areas) -> dict | None:
    """The "which of your areas is this part about" checkboxes, for a partner covering several
    areas (``areas``: [(code, name)]); None, and no choice shown, otherwise."""
    if not areas or len(areas) < 2:
        return None
    got = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
    return {"name": name, "id": fid(name),
            "options": [{"code": code, "name": label, "checked": code in got, "id": fid(f"{name}-{code}")}
                        for code, label in areas]}


def _rows(data, prefix: str, extra: int = 1) -> list[int]:
    found = _indexed(data, prefix)
    return found + [max(found, default=-1) + 1 + i for i in range(extra)]


def section_entries(section, data, errors, priorities, areas=None) -> list[dict]:
    """The editors of one template section's parts. ``areas``: the partner's areas as
    [(code, name)]; with two or more, each part offers "which areas is this about"
    (``returnform.area_fields`` fills it from the stored return)."""
    k = section.kind
    out = []
    if k == "narrative":
        for n in _rows(data, f"sec-{section.code}"):
            p = f"sec-{section.code}-{n}"
            out.append({"n": n, "heading": field(data, errors, f"{p}-heading"), "text": field(data, errors, f"{p}-text"),
                        "pri": _tags(data, f"{p}-pri", priorities), "areas": _areas(data, f"{p}-areas", areas)})
    elif k == "highlights":
        for n in _rows(data, "hl"):
            out.append({"n": n, "delivered": field(data, errors, f"hl-{n}-delivered"),
                        "impact": field(data, errors, f"hl-{n}-impact"), "areas": _areas(data, f"hl-{n}-areas", areas)})
    elif k in ("challenges", "next_year"):
        pre = "ch" if k == "challenges" else "ny"
        for n in _rows(data, pre):
            out.append({"n": n, "text": field(data, errors, f"{pre}-{n}-text"),
                        "pri": _tags(data, f"{pre}-{n}-pri", priorities),
                        "areas": _areas(data, f"{pre}-{n}-areas", areas)})
    elif k == "case_studies":
        for n in _rows(data, "cs"):
            out.append({"n": n, "title": field(data, errors, f"cs-{n}-title"), "text": field(data, errors, f"cs-{n}-text"),
                        "areas": _areas(data, f"cs-{n}-areas", areas)})
    elif k == "audits":
        for n in _rows(data, "au"):
            acts = []
            for m in _rows(data, f"au-{n}-act"):
                q = f"au-{n}-act-{m}"
                acts.append({"m": m, "text": field(data, errors, f"{q}-text"), "owner": field(data, errors, f"{q}-owner"),
                             "due": field(data, errors, f"{q}-due"), "status": field(data, errors, f"{q}-status")})
            out.append({"n": n, "title": field(data, errors, f"au-{n}-title"),
                        "findings": field(data, errors, f"au-{n}-findings"), "actions": acts,
                        "areas": _areas(data, f"au-{n}-areas", areas)})
    elif k == "voice":
        out.append({"n": 0, "text": field(data, errors, "voice"), "areas": _areas(data, "voice-areas", areas)})
    return out
