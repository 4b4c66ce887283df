"""Return editing: the return page, saving (with merge of a stale save), autosave, and the
figures spreadsheet (template download and upload).

Every lookup of a return goes through ``access.return_for`` (404 for objects a user may not
see); every save is a POST with CSRF, recorded in the audit log by ``saving``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from masa.spec.periods import shift_period
from masa.web import store
from masa.web.accounts import access
from masa.web.core.models import Return
from masa.web.workflow import due, queries, reviews
from masa.web.workflow.checks_seam import engine_available, findings_for_row

from . import carryforms, common, entries, merge, returnform, saving, scoped, spreadsheets, versions, wording
from .formdata import FormView as _FormView
from .formdata import last_year_values as _history
from .formdata import request_post_from
from .reviewforms import UploadForm


def _offered_priorities(spec, period: str, ret) -> list:
    """The priorities a return may be tagged with: those not retired by its year, and any
    retired one it already uses (so saving the form does not drop an earlier tag)."""
    from masa.spec.periods import parse_period

    year = parse_period(period).year
    used = {c for part in (ret.sections, ret.audits, ret.challenges, ret.next_year) for item in part
            for c in item.priorities}
    return [p for p in spec.priorities if p.live_in(year) or p.code in used]


def _asked_by_names(row) -> dict[str, str]:
    """code -> name of the partnerships the return's partner serves, when it serves several
    (so its people see which one asked each query); empty otherwise."""
    from masa.web.partnerships import stored

    codes = set(row.partner.partnerships.values_list("code", flat=True))
    known = stored()
    return {c: known[c] for c in codes if c in known} if len(codes & set(known)) > 1 else {}


def _page(request, row, ret, result=None, status=200, posted=None):
    spec = common.spec()
    template = spec.template(row.template.code)
    editable = access.can_edit(request.user, row)
    raw_errors = result.errors if result else {}
    errors = wording.first_only(raw_errors, spec, template)  # beside each field: its first problem, readable
    # a business unit or scrutineer reads only its partnership's scope of the return (scoped)
    ret = shown = scoped.for_reader(request.user, spec, row, ret)
    cells = returnform.figure_cells(spec, shown, _last_year(request.user, spec, row))
    if posted is not None:
        for c in cells:
            if c.name in posted:
                c.value = posted.get(c.name)
    last_year = Return.objects.filter(partner=row.partner, template=row.template,
                                      period__code=shift_period(row.period.code, -1)).first()
    last_said = ([n.text for n in scoped.for_reader(request.user, spec, last_year,
                                                     store.return_from_row(last_year)).next_year]
                 if last_year else [])
    # with the partner's quarterly returns of the year, for the year-from-quarters checks
    checked = row.status != "draft" or bool(request.GET.get("check"))
    stored = result is None and posted is None  # else the page shows input that was not saved
    found = wording.unique_findings(_findings(request.user, spec, row, ret, stored), raw_errors, spec) if checked else []
    reader = access.reader_partnership(request.user)
    names = _asked_by_names(row) if reader is None else {}
    threads: dict[str, list] = {}
    seen = list(queries.visible(row, reader))
    for m in seen:  # a partnership's queries and comments are its own
        m.asked_by = names.get(m.partnership, "")  # the partner sees which partnership asked
        threads.setdefault(m.section, []).append(m)
    data = posted if posted is not None else _FormView(request_post_from(ret, spec), {})
    offered = _offered_priorities(spec, row.period.code, shown)
    part_areas = [(a.code, a.name) for a in row.partner.areas.order_by("name")]  # two or more: each part asks which
    sections = []
    for s in template.sections:
        sections.append({"spec": s, "answers": [a for a in shown.sections if a.section == s.code],
                         "entries": entries.section_entries(s, data, errors, offered, part_areas) if editable else [],
                         "thread": threads.get(s.code, []), "id": f"section-{s.code}",
                         "md": [(a, common.markdown(a.text)) for a in shown.sections if a.section == s.code]})
    for c in cells:
        c.id, c.errors = entries.fid(c.name), errors.get(c.name, [])
    open_now = queries.open_queries(row, {s.code: s.title for s in template.sections}, reader, seen)
    for q in open_now:
        q.message.asked_by = names.get(q.message.partnership, "")
    error_list = wording.error_summary(raw_errors, template, cells, spec, entries.fid)
    findings = [{"severity": f.severity, "message": wording.readable(f.message, spec), "quote": f.quote,
                 "location": wording.where(f.location, template, shown, cells, spec)} for f in found]
    ctx = {
        "row": row, "ret": shown, "spec": spec, "template": template, "sections": sections, "cells": cells,
        "editable": editable, "can_submit": access.can_submit(request.user, row),
        "can_review": access.can_review(request.user), "can_comment": access.can_comment(request.user, row),
        "base_parts": (posted.get("base_parts") if posted is not None and posted.get("base_parts")
                       else merge.part_hashes(ret)),
        "action_statuses": [("open", "Open"), ("in-progress", "In progress"), ("done", "Done")],
        "errors": errors, "error_list": error_list, "voice_md": common.markdown(shown.voice),
        "new_fig": {k: entries.field(data, errors, f"fig-new-{k}") for k in ("indicator", "by", "value")},
        "figure_errors": errors.get("figures", []) + errors.get("form", []), "queries": wording.once(result.queries, spec) if result else [],
        "findings": findings, "engine": engine_available(),
        "last_said": [] if shown.priority_reviews else last_said,
        "carry": carryforms.entries(shown, posted, errors),
        "example_area": spec.partnership.areas[0],
        "priorities": offered, "indicators": spec.indicators, "general_thread": threads.get("general", []),
        "blocking": [f for f in found if f.severity == "error"], "checked": checked,
        # one per partnership, for a partner serving several; another partnership's review is its own
        "partnership_statuses": reviews.statuses(row) if reader is None else [],
        "open_queries": open_now, "open_ids": {q.message.pk for q in open_now},
        "can_reply": access.partner_of(request.user) is not None and access.can_comment(request.user, row),
        "partner_name": spec.partner(row.partner.code).name if row.partner.code in {p.code for p in spec.partners} else row.partner.name,
    }
    main, each = due.each_partnership(row, common.partnership_code())
    ctx.update(due=main["due"], extension=main["extension"], standing=main["standing"], dues_each=each)
    return render(request, "site/return.html", ctx, status=status)


def _findings(user, spec, row, ret, stored: bool = False) -> list:
    """The checks' findings about the return as this reader sees it (``ret``, scoped for a
    business unit; ``stored``: as stored, not refused input), cached by content and by the
    reader's scope (``scoped.scope_key``). The year-from-quarters checks also read the
    partner's quarterly returns, and ``SIBLING_CHECKS`` its other returns of the period: for a
    business unit they read the same partnership's scope of each, so their messages name no
    figure or sentence of another partnership's areas."""
    from masa.web.workflow import checks_seam

    key = scoped.scope_key(user, spec, row)
    quarter_rows = checks_seam.quarter_rows(row)
    sibling_rows = checks_seam.sibling_rows(row)
    reader_scoped = scoped.scoped_reader(user)
    found = findings_for_row(spec, row, ret, scope_key=key, stored=stored, quarters=quarter_rows,
                             siblings=sibling_rows,
                             beside_scope=(lambda s: scoped.for_partnership(spec, row, s)) if reader_scoped else None)
    if not reader_scoped or not quarter_rows:
        return found
    quarters = checks_seam.findings_for_row(spec, row, ret, scope=lambda q: scoped.for_partnership(spec, row, q),
                                            scope_key=key, quarters=quarter_rows, siblings=sibling_rows)
    return ([f for f in found if f.code not in checks_seam.QUARTER_CHECKS]
            + [f for f in quarters if f.code in checks_seam.QUARTER_CHECKS])


def _last_year(user, spec, row) -> list:
    """Last year's figures beside this year's, within the reader's scope."""
    values = _history(row)
    if not scoped.scoped_reader(user):
        return values
    from masa.returns.scope import figure_in_scope

    mine = scoped.partner_areas(spec, row)
    return [v for v in values if figure_in_scope(v, mine, spec.partnership.areas)]


@login_required
def return_page(request, pk: int):
    row = access.return_for(request.user, pk)
    ret = store.return_from_row(row)
    if request.method != "POST":
        return _page(request, row, ret)
    if not access.can_edit(request.user, row):
        raise Http404("not editable")
    spec = common.spec()
    result = returnform.read_form(spec, ret, request.POST, request.user.username)
    if result.errors:
        return _page(request, row, ret if result.ret is None else result.ret, result, status=400, posted=request.POST)
    try:
        lock = int(request.POST.get("lock_version", "x"))
    except ValueError:
        lock = -1
    try:
        saving.save_return(row, result.ret, lock, request.user, base=ret)
    except store.FigureOwned as exc:
        messages.error(request, f"Nothing was saved: {_owned(exc)}. Your changes are still in the form.")
        return _page(request, row, result.ret, status=409, posted=request.POST)
    except saving.Conflict:
        merged, clashes = _merge_stale(request, row, result.ret)
        if merged is None:
            return _conflict(request, row, result.ret, clashes)
        messages.success(request, "Your return was saved. Someone else had saved other parts of it "
                                  "meanwhile; their changes were kept too")
        return redirect("site:return", pk=pk)
    messages.success(request, "Your return was saved")
    return redirect("site:return", pk=pk)


def _owned(exc) -> str:
    """The figures another return holds, each saying where to change it."""
    return "; ".join(msg for _, msg in exc.problems)


def _merge_stale(request, row, mine):
    """Combine a stale save with what was saved meanwhile (``saving.save_merged``)."""
    return saving.save_merged(row, mine, request.POST.get("base_parts", ""), request.user, common.spec())


def _conflict(request, row, mine, clashes=()):
    row.refresh_from_db()
    theirs = store.return_from_row(row)
    a, b = dict(theirs.text_blocks()), dict(mine.text_blocks())
    va = {(v.indicator, returnform.by_key(v.by)): v.value for v in theirs.values}
    vb = {(v.indicator, returnform.by_key(v.by)): v.value for v in mine.values}
    diffs = [(k, a.get(k, ""), b.get(k, "")) for k in sorted(set(a) | set(b))
             if versions.normalise(a.get(k, "")) != versions.normalise(b.get(k, ""))]  # whitespace is no clash
    diffs += [(f"{k[0]} {k[1]}", returnform.fmt(va.get(k)), returnform.fmt(vb.get(k)))
              for k in sorted(set(va) | set(vb)) if va.get(k) != vb.get(k)]
    hidden = [(k, v) for k in request.POST.keys() if k not in ("csrfmiddlewaretoken", "lock_version")
              for v in request.POST.getlist(k)]
    return render(request, "site/conflict.html", {"row": row, "diffs": diffs, "hidden": hidden, "clashes": clashes,
                                                  "lock_version": row.lock_version}, status=409)


@login_required
@require_POST
def return_autosave(request, pk: int):
    row = access.return_for(request.user, pk)
    if not access.can_edit(request.user, row):
        return JsonResponse({"saved": False, "message": "This return is not open for editing"}, status=403)
    spec = common.spec()
    base = store.return_from_row(row)
    result = returnform.read_form(spec, base, request.POST, request.user.username)
    if result.errors:
        return JsonResponse({"saved": False, "message": f"Not saved: {sum(map(len, result.errors.values()))} "
                                                        "problem(s) to fix; use Save to see them",
                             "errors": result.errors}, status=400)
    try:
        lock = saving.save_return(row, result.ret, int(request.POST.get("lock_version", "-1") or -1), request.user,
                                  base=base)
    except store.FigureOwned as exc:  # not a conflict: saving again cannot help
        return JsonResponse({"saved": False, "message": f"Not saved: {_owned(exc)}"}, status=409)
    except (saving.Conflict, ValueError):
        merged, _ = _merge_stale(request, row, result.ret)
        if merged is not None:
            # The page still shows the older text of the parts taken from the other save, so it
            # keeps its old lock_version and base: its next save merges again, and correctly.
            return JsonResponse({"saved": True, "merged": True,
                                 "message": "Draft saved (combined with someone else's changes to other parts; "
                                            "reload to see them)"})
        return JsonResponse({"saved": False, "message": "Not saved: someone else changed this return. "
                                                        "Use Save to compare the versions"}, status=409)
    return JsonResponse({"saved": True, "lock_version": lock, "base_parts": merge.part_hashes(result.ret),
                         "message": "Draft saved"})


@login_required
@require_GET
def figures_template(request, pk: int):
    row = access.return_for(request.user, pk)
    spec = common.spec()
    ret = scoped.for_reader(request.user, spec, row, store.return_from_row(row))
    cells = returnform.figure_cells(spec, ret, _last_year(request.user, spec, row))
    rows = spreadsheets.template_rows(cells)
    name = f"figures-{row.partner.code}-{row.period.code}"
    if request.GET.get("format") == "csv":
        resp = HttpResponse(spreadsheets.csv_bytes(rows), content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return resp
    resp = HttpResponse(spreadsheets.xlsx_bytes(rows),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return resp


@login_required
@require_POST
def figures_upload(request, pk: int):
    from django.conf import settings

    row = access.return_for(request.user, pk)
    if not access.can_edit(request.user, row):
        raise Http404("not editable")
    spec = common.spec()
    form = UploadForm(request.POST, request.FILES)
    upload = form.cleaned_data["file"] if form.is_valid() else None
    problems: list[str] = []
    if upload is None:
        problems = [m for msgs in form.errors.values() for m in msgs]
    else:
        try:
            data = upload.read(settings.MASA_UPLOAD_MAX_BYTES + 1)
            rows = spreadsheets.read_upload(upload.name, data, settings.MASA_UPLOAD_MAX_BYTES)
            fields, errs = spreadsheets.figures_from_rows(rows, spec)
            problems = [str(e) for e in errs]
        except spreadsheets.UploadError as exc:
            problems = [str(exc)]
    if not problems:
        base = store.return_from_row(row)
        cells = returnform.figure_cells(spec, base, _history(row))
        post = {c.name: c.value for c in cells}
        post.update(fields)
        result = returnform.read_form(spec, base, _FormView(request_post_from(base, spec), post), request.user.username)
        problems = [m for _, m in wording.error_summary(result.errors, spec.template(row.template.code), cells, spec,
                                                          entries.fid)]
        if not problems:
            try:
                saving.save_return(row, result.ret, row.lock_version, request.user)
            except saving.Conflict:
                problems = ["Someone else saved this return while the file was read; upload it again"]
    if problems:
        return render(request, "site/upload_errors.html", {"row": row, "problems": problems,
                                                           "filename": getattr(upload, "name", "")}, status=400)
    messages.success(request, f"{len(fields)} figure(s) read from {upload.name} and saved")
    return redirect("site:return", pk=pk)
