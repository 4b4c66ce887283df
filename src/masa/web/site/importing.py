"""Import a Word, PDF, text or markdown contribution into draft returns, through the browser.

Upload → the import engine (masa.ingest) builds drafts → the uploader reviews each draft beside
the source text of its partner's section → confirm stores them as drafts in one transaction.
The pending import lives server-side (``PendingImport``), owned by the uploader; a partner user
only ever sees and saves their own partner's draft. Returns already past draft are never
overwritten.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from masa.ingest import IngestError, import_document, split_appendices
from masa.ingest.segment import segment
from masa.returns import Return
from masa.web import store
from masa.web.accounts import access
from masa.web.auditlog.chain import append

from . import common
from .models import PendingImport

TYPES = (".docx", ".pdf", ".txt", ".md", ".markdown")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def _max_bytes() -> int:
    return getattr(settings, "MASA_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def _importer(request) -> str:
    """The partner code a partner user may import for, "" for the business unit; 404 for others."""
    role = access.role_of(request.user)
    if role == access.BUSINESS_UNIT:
        return ""
    if role in (access.CONTRIBUTOR, access.APPROVER):
        return access.partner_of(request.user).code
    raise Http404("imports are for the business unit and partner contributors")


def _pending(request, token: str) -> PendingImport:
    """The user's own pending import; anyone else's (or an unknown token) is a 404."""
    _importer(request)
    row = PendingImport.objects.filter(token=token, owner=request.user).first()
    if row is None:
        raise Http404("no such import")
    if row.expired:
        row.delete()
        raise Http404("this import has expired")
    return row


# --- upload -------------------------------------------------------------------------------

@login_required
def upload(request):
    partner = _importer(request)
    spec = common.spec()
    periods = list(spec.periods.financial_years)
    form = {"period": spec.periods.current, "template": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = {"period": request.POST.get("period", ""), "template": request.POST.get("template", "")}
        if form["period"] not in periods:
            errors["import-period"] = "Choose the year the returns are for"
        if form["template"] and form["template"] not in {t.code for t in spec.templates}:
            errors["import-template"] = "Choose a return template, or let the document's title decide"
        f = request.FILES.get("file")
        problem = _check_file(f)
        if problem:
            errors["import-file"] = problem
        if not errors:
            try:
                row = _run_import(request, spec, f, form, partner)
            except IngestError as exc:
                errors["import-file"] = str(exc)
            else:
                return redirect("site:import_review", token=row.token)
    PendingImport.purge_expired()
    return render(request, "site/import_upload.html", {
        "periods": periods, "templates": spec.templates, "form": form, "errors": errors,
        "error_list": list(errors.items()),
        "file_error": errors.get("import-file"), "period_error": errors.get("import-period"),
        "template_error": errors.get("import-template"), "max_mb": _max_bytes() // (1024 * 1024), "types": ", ".join(TYPES),
        "partner_name": spec.partner(partner).name if partner else "",
    }, status=400 if errors else 200)


def _check_file(f) -> str:
    if f is None or not f.name:
        return "Choose a Word, PDF, text or markdown file to import"
    if Path(f.name).suffix.lower() not in TYPES:
        return f"{Path(f.name).name}: the file must be Word (.docx), PDF, text (.txt) or markdown (.md)"
    if f.size is not None and f.size > _max_bytes():
        return f"{Path(f.name).name}: the file is larger than {_max_bytes() // (1024 * 1024)} MB"
    if not f.size:
        return f"{Path(f.name).name}: the file is empty"
    return ""


def _safe_name(name: str) -> str:
    base = re.sub(r"[^A-Za-z0-9._ -]+", "_", Path(name).name).strip(" .") or "upload"
    return base[-120:]


def _run_import(request, spec, f, form, partner: str) -> PendingImport:
    """Run the engine on the uploaded bytes and keep what a person needs to review."""
    name = _safe_name(f.name)
    with tempfile.TemporaryDirectory(prefix="masa-import-") as tmp:
        path = Path(tmp) / name
        with path.open("wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
        result = import_document(path, spec, form["period"], max_bytes=_max_bytes(),
                                 template=form["template"] or None)
    drafts = [r for r in result.returns if not partner or r.partner == partner]
    if partner and not drafts:
        raise IngestError(name, f"no section for {spec.partner(partner).name} was found in the file")
    review = {"sources": _sources(result, spec, form["template"] or None), "report": _report(result.report, partner),
              "title": result.report.title, "reader": result.report.reader}
    wanted = {(r.partner, r.template) for r in drafts}
    review["sources"] = {k: v for k, v in review["sources"].items() if tuple(k.split("|")) in wanted}
    return PendingImport.objects.create(owner=request.user, partner=partner, filename=name, period=form["period"],
                                        returns=[r.model_dump(mode="json") for r in drafts], review=review)


def _sources(result, spec, template: str | None) -> dict[str, list[dict]]:
    """The source blocks of each partner's section, keyed "partner|template", cut as the engine cut them."""
    out: dict[str, list[dict]] = {}
    parts = [(template, result.document)] if template else split_appendices(result.document, spec)
    for tmpl, part in parts:
        seg = segment(part, spec, tmpl)
        for sec in seg.sections:
            if sec.partner is None:
                continue
            blocks = out.setdefault(f"{sec.partner}|{seg.template}", [])
            blocks.append({"kind": "heading", "text": sec.name, "loc": str(sec.loc), "rows": []})
            for b in sec.blocks:
                blocks.append({"kind": b.kind, "text": b.text, "loc": str(b.loc), "rows": b.rows})
    return out


def _report(rep, partner: str) -> dict:
    mine = (lambda code: code == partner) if partner else (lambda code: True)
    return {
        "partners": [{"code": p.code, "template": p.template, "written": p.written, "loc": str(p.loc),
                      "pieces": p.pieces} for p in rep.partners if mine(p.code)],
        "duplicates": [{"partner": p, "dropped": str(a), "kept": str(b), "count": n}
                       for p, a, b, n in rep.duplicate_runs if mine(p)],
        "unknown_names": [] if partner else [{"name": u.name, "loc": str(u.loc), "offer": u.offer, "blocks": u.blocks}
                                             for u in rep.unknown_names],
        "unassigned": [{"written": c.written, "sentence": c.sentence, "loc": str(c.loc), "reason": c.reason,
                        "partner": c.partner or ""} for c in rep.unassigned if (not partner or c.partner == partner)],
        "unrecognised": [] if partner else [{"loc": str(n.loc), "message": n.message} for n in rep.unrecognised],
        "warnings": list(rep.warnings),
    }


# --- review -------------------------------------------------------------------------------

def _existing(ret: Return):
    from masa.web.core.models import Return as Row

    return Row.objects.filter(partner__code=ret.partner, period__code=ret.period, template__code=ret.template).first()


def _drafts(row: PendingImport) -> list[Return]:
    return [Return.model_validate(d) for d in row.returns]


@login_required
def review(request, token: str):
    row = _pending(request, token)
    spec = common.spec()
    items = [_draft_view(spec, ret, row.review["sources"].get(f"{ret.partner}|{ret.template}", []))
             for ret in _drafts(row)]
    rep = row.review["report"]
    names = {p.code: p.name for p in spec.partners}
    for d in rep["duplicates"] + rep["unassigned"]:
        d["partner_name"] = names.get(d["partner"], d["partner"] or "no partner")
    return render(request, "site/import_review.html", {
        "pending": row, "items": items, "report": rep, "saveable": sum(1 for i in items if not i["blocked"]),
    })


def _draft_view(spec, ret: Return, source: list[dict]) -> dict:
    existing = _existing(ret)
    blocked = existing is not None and existing.status != "draft"
    template = spec.template(ret.template)
    titles = {s.code: s.title for s in template.sections}
    pri = {p.code: p.name for p in spec.priorities}
    inds = {i.code: i.name for i in spec.indicators}

    def by_text(by: dict) -> str:
        try:
            return ", ".join(spec.option_name(k, v) for k, v in by.items())
        except (KeyError, ValueError, LookupError):
            return ", ".join(f"{k}={v}" for k, v in by.items())

    return {
        "ret": ret, "source": source, "existing": existing, "blocked": blocked,
        "partner_name": spec.partner(ret.partner).name, "template_name": template.name,
        "id": f"{ret.partner}-{ret.template}",
        "sections": [{"title": titles.get(s.section, s.section), "heading": s.heading,
                      "priorities": [pri.get(p, p) for p in s.priorities], "html": common.markdown(s.text)}
                     for s in ret.sections],
        "figures": [{"indicator": inds.get(v.indicator, v.indicator), "by": by_text(v.by),
                     "period": v.period or ret.period, "value": v.value, "sentence": v.provenance.sentence}
                    for v in ret.values],
        "voice_html": common.markdown(ret.voice) if ret.voice else "",
    }


# --- confirm / cancel ---------------------------------------------------------------------

@login_required
@require_POST
def confirm(request, token: str):
    row = _pending(request, token)
    spec = common.spec()
    drafts = _drafts(row)
    if row.partner and any(r.partner != row.partner for r in drafts):
        raise Http404("not your partner's draft")  # cannot happen: filtered at upload
    names = lambda rs: ", ".join(f"{spec.partner(r.partner).name} ({r.template})" for r in rs)
    try:
        with transaction.atomic():  # `masa import`'s rule: drafts only, checked under the rows' locks
            ids, refused = store.save_drafts(spec, drafts)
            blocked = [r for r, _ in refused]
            saveable = [r for r in drafts if r not in blocked]
            if saveable:
                append(request.user, "import.confirmed", f"import:{row.filename}",
                       {"period": row.period, "returns": [f"{r.partner}/{r.period}/{r.template}" for r in saveable],
                        "ids": ids, "refused": [f"{r.partner}/{r.period}/{r.template}" for r in blocked]})
                row.delete()
    except store.SpecError as exc:
        messages.error(request, f"Nothing was saved: {str(exc).splitlines()[0]}")
        return redirect("site:import_review", token=token)
    if not saveable:
        messages.error(request, "Nothing was saved: the return of " + names(blocked) +
                       " is no longer a draft, and an import never overwrites submitted work")
        return redirect("site:import_review", token=token)
    text = f"{len(saveable)} draft return(s) saved from {row.filename}: {names(saveable)}"
    if blocked:
        text += f". Not saved, because the return is no longer a draft: {names(blocked)}"
    messages.success(request, text)
    return redirect("site:returns")


@login_required
@require_POST
def cancel(request, token: str):
    row = _pending(request, token)
    row.delete()
    messages.success(request, f"The import of {row.filename} was discarded; nothing was saved")
    return redirect("site:import_upload")
