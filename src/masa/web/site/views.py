"""Pages of the partnership workspace: sign-in, returns, workflow, dashboard.

Every lookup of a return goes through ``access.return_for`` (404 for objects a user may not
see); every state change is a POST with CSRF, recorded in the audit log.
"""

from __future__ import annotations

import difflib
import json

from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from masa.spec.periods import shift_period
from masa.web import store
from masa.web.accounts import access
from masa.web.auditlog.chain import append
from masa.web.core.models import Return
from masa.web.notify import events as notify_events
from masa.web.workflow import due
from masa.web.workflow.checks_seam import engine_available, findings_for_row
from masa.web.workflow.models import Message
from masa.web.workflow.transitions import TransitionError, move

from . import carry, carryforms, common, entries, merge, periodforms, returnform, saving, spreadsheets, starting

# --- sign in ------------------------------------------------------------------------------

def login_view(request):
    errors: dict[str, str] = {}
    username = ""
    if request.method == "POST":
        username = (request.POST.get("username") or "").strip()
        password = request.POST.get("password") or ""
        token = (request.POST.get("otp_token") or "").strip()
        if not username:
            errors["username"] = "Enter your email address"
        if not password:
            errors["password"] = "Enter your password"
        if not errors:
            user = auth.authenticate(request, username=username, password=password)
            if user is None:
                errors["username"] = "The email address or password is not right"
            else:
                from django_otp import devices_for_user, match_token
                from django_otp import login as otp_login

                if any(True for _ in devices_for_user(user, confirmed=True)):
                    device = match_token(user, token) if token else None
                    if device is None:
                        errors["otp_token"] = "Enter the 6-digit code from your authenticator app"
                    else:
                        auth.login(request, user)
                        otp_login(request, device)
                else:
                    auth.login(request, user)
                if not errors:
                    append(user, "user.signed_in", f"user:{user.username}", {})
                    nxt = request.POST.get("next") or ""
                    safe = url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                                           require_https=request.is_secure())
                    return redirect(nxt if nxt and safe else "site:home")
    return render(request, "site/login.html", {"errors": errors, "username": username,
                                               "next": request.GET.get("next", "")}, status=400 if errors else 200)


@require_POST
def logout_view(request):
    auth.logout(request)
    return redirect("site:home")


def home(request):
    role = access.role_of(request.user)
    if role == "business_unit":
        if not store.stored_partnerships():  # first run: nothing to manage yet
            return render(request, "site/home.html", {"first_run": True})
        return redirect("site:dashboard")
    if role in ("contributor", "approver", "scrutineer"):
        return redirect("site:returns")
    return render(request, "site/home.html", {})


# --- returns ------------------------------------------------------------------------------

def _current_period(spec) -> str:
    return spec.periods.current


def _returns_page(request, form=None, status=200):
    """The returns list: each return with its due date and standing, and for a partner the
    open periods that still need a return, with the form to start one."""
    spec = common.spec()
    rows = list(access.returns_visible_to(request.user).order_by("-period__code", "partner__code", "template__code"))
    partner = access.partner_of(request.user)
    to_start = (starting.startable(spec, {(r.period.code, r.template.code) for r in rows}, partner.code)
                if partner else [])
    periods = sorted({r.period.code for r in rows} | {p.code for p, _ in to_start})
    dues = due.book(periods, rows)
    listed = [{"row": r, "due": dues.due(r.period.code, r.partner.code),
               "extension": dues.extension(r.period.code, r.partner.code),
               "standing": dues.standing(r.period.code, r.partner.code, r)} for r in rows]
    missing = [{"period": p, "template": t, "due": dues.due(p.code, partner.code),
                "standing": dues.standing(p.code, partner.code)} for p, t in to_start]
    if form is None and to_start:
        start_periods = list(dict.fromkeys(p.code for p, _ in to_start))
        form = periodforms.StartForm(periods=start_periods, templates=_startable_templates(spec, to_start),
                                     initial={"period": _current_period(spec) if _current_period(spec) in start_periods
                                              else start_periods[0], "template": to_start[0][1].code})
    error_list = [(form[name].auto_id if name in form.fields else "start", msg)
                  for name, msgs in form.errors.items() for msg in msgs] if form is not None else []
    return render(request, "site/returns.html", {"rows": listed, "missing": missing, "form": form, "partner": partner,
                                                 "period": _current_period(spec), "error_list": error_list},
                  status=status)


def _startable_templates(spec, to_start) -> list:
    codes = {t.code for _, t in to_start}
    return [t for t in spec.templates if t.code in codes]


@login_required
@require_GET
def returns_list(request):
    if access.role_of(request.user) == "none":
        raise Http404("no role")
    return _returns_page(request)


@login_required
@require_POST
def return_start(request):
    """Start the partner's return for an open period (the current one by default)."""
    partner = access.partner_of(request.user)
    if partner is None:
        raise Http404("only partners start returns")
    spec = common.spec()
    data = request.POST.copy()
    data.setdefault("period", _current_period(spec))
    form = periodforms.StartForm(data, periods=[p.code for p in starting.open_now(spec)], templates=spec.templates)
    if form.is_valid():
        try:
            row, _ = starting.start_return(partner, form.cleaned_data["period"], form.cleaned_data["template"],
                                           request.user, spec=spec)
        except starting.StartRefused as exc:
            form.add_error("template", f"Return: {exc}")
        else:
            return redirect("site:return", pk=row.pk)
    return _returns_page(request, form, status=400)


def _history(row) -> list:
    """Stored figures of earlier periods for this partner (for last year's column)."""
    from masa.web.core.models import DataValue

    last = shift_period(row.period.code, -1)
    return [store._value(v) for v in DataValue.objects.filter(partner=row.partner, period__code=last)
            .select_related("indicator", "period")]


def _offered_priorities(spec, period: str, ret) -> list:
    """The priorities a return may be tagged with: those not retired by its year, and any
    retired one it already uses (so saving the form does not drop an earlier tag)."""
    from masa.spec.periods import parse_period

    year = parse_period(period).year
    used = {c for part in (ret.sections, ret.audits, ret.challenges, ret.next_year) for item in part
            for c in item.priorities}
    return [p for p in spec.priorities if p.live_in(year) or p.code in used]


def _page(request, row, ret, result=None, status=200, posted=None):
    spec = common.spec()
    template = spec.template(row.template.code)
    editable = access.can_edit(request.user, row)
    errors = result.errors if result else {}
    shown = ret
    cells = returnform.figure_cells(spec, shown, _history(row))
    if posted is not None:
        for c in cells:
            if c.name in posted:
                c.value = posted.get(c.name)
    last_year = Return.objects.filter(partner=row.partner, template=row.template,
                                      period__code=shift_period(row.period.code, -1)).first()
    last_said = [n.text for n in last_year.next_year.all()] if last_year else []
    # with the partner's quarterly returns of the year, for the year-from-quarters checks
    findings = findings_for_row(spec, row, ret) if row.status != "draft" or request.GET.get("check") else []
    threads: dict[str, list] = {}
    for m in row.messages.select_related("author").all():
        threads.setdefault(m.section, []).append(m)
    data = posted if posted is not None else _FormView(request_post_from(ret, spec), {})
    offered = _offered_priorities(spec, row.period.code, shown)
    sections = []
    for s in template.sections:
        sections.append({"spec": s, "answers": [a for a in shown.sections if a.section == s.code],
                         "entries": entries.section_entries(s, data, errors, offered) if editable else [],
                         "thread": threads.get(s.code, []), "id": f"section-{s.code}",
                         "md": [(a, common.markdown(a.text)) for a in shown.sections if a.section == s.code]})
    for c in cells:
        c.id, c.errors = entries.fid(c.name), errors.get(c.name, [])
    error_list = [(entries.fid(name) if name not in ("form", "figures") else "main-content", msg)
                  for name, msgs in errors.items() for msg in msgs]
    ctx = {
        "row": row, "ret": shown, "spec": spec, "template": template, "sections": sections, "cells": cells,
        "editable": editable, "can_submit": access.can_submit(request.user, row),
        "can_review": access.can_review(request.user), "can_comment": access.can_comment(request.user, row),
        "base_parts": (posted.get("base_parts") if posted is not None and posted.get("base_parts")
                       else merge.part_hashes(ret)),
        "action_statuses": [("open", "Open"), ("in-progress", "In progress"), ("done", "Done")],
        "errors": errors, "error_list": error_list, "voice_md": common.markdown(shown.voice),
        "new_fig": {k: entries.field(data, errors, f"fig-new-{k}") for k in ("indicator", "by", "value")},
        "figure_errors": errors.get("figures", []) + errors.get("form", []), "queries": result.queries if result else [],
        "findings": findings, "engine": engine_available(),
        "last_said": [] if shown.priority_reviews else last_said,
        "carry": carryforms.entries(shown, posted, errors),
        "example_area": spec.partnership.areas[0],
        "priorities": offered, "indicators": spec.indicators, "general_thread": threads.get("general", []),
        "blocking": [f for f in findings if f.severity == "error"],
        "partner_name": spec.partner(row.partner.code).name if row.partner.code in {p.code for p in spec.partners} else row.partner.name,
    }
    dues = due.book([row.period.code], [row])
    ctx.update(due=dues.due(row.period.code, row.partner.code), extension=dues.extension(row.period.code, row.partner.code),
               standing=dues.standing(row.period.code, row.partner.code, row))
    return render(request, "site/return.html", ctx, status=status)


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
        saving.save_return(row, result.ret, lock, request.user)
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
    """Combine a stale save with what was saved meanwhile, part by part, or report the clashes."""
    base = merge.read_base(request.POST.get("base_parts", ""))
    if base is None:
        return None, []
    spec = common.spec()
    for _ in range(3):  # another save may land while merging; try again on the newest version
        row.refresh_from_db()
        current = store.return_from_row(row)
        merged, clashes = merge.merge(current, mine, base)
        if merged is None:
            return None, clashes
        result = returnform.read_form(spec, merged, _FormView(request_post_from(merged, spec), {
            f"fig|{v.indicator}|{returnform.by_key(v.by)}": returnform.fmt(v.value) for v in merged.values
            if (v.period or merged.period) == merged.period}), request.user.username)
        if result.errors:  # the combination breaks a rule (e.g. a total against new parts)
            return None, sorted({k for k in result.errors})
        try:
            saving.save_return(row, merged, row.lock_version, request.user)
            return merged, []
        except saving.Conflict:
            continue
    return None, []


def _conflict(request, row, mine, clashes=()):
    row.refresh_from_db()
    theirs = store.return_from_row(row)
    a, b = dict(theirs.text_blocks()), dict(mine.text_blocks())
    va = {(v.indicator, returnform.by_key(v.by)): v.value for v in theirs.values}
    vb = {(v.indicator, returnform.by_key(v.by)): v.value for v in mine.values}
    diffs = [(k, a.get(k, ""), b.get(k, "")) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
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
    result = returnform.read_form(spec, store.return_from_row(row), request.POST, request.user.username)
    if result.errors:
        return JsonResponse({"saved": False, "message": f"Not saved: {sum(map(len, result.errors.values()))} "
                                                        "problem(s) to fix; use Save to see them",
                             "errors": result.errors}, status=400)
    try:
        lock = saving.save_return(row, result.ret, int(request.POST.get("lock_version", "-1") or -1), request.user)
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
@require_POST
def return_action(request, pk: int):
    row = access.return_for(request.user, pk)
    action = request.POST.get("action", "")
    allowed = {"submit": access.can_submit(request.user, row) and row.status == "draft",
               "resubmit": access.can_submit(request.user, row) and row.status == "queried",
               "query": access.can_review(request.user), "approve": access.can_review(request.user),
               "publish": access.can_review(request.user)}
    if not allowed.get(action):
        return HttpResponse(f"You cannot {action or 'do that'} on this return", status=403, content_type="text/plain")
    try:  # the service finds blocking findings and empty required sections itself
        move(row, action, request.user, reason=request.POST.get("reason", "").strip()[:5000],
             section=request.POST.get("section", "")[:64])
    except TransitionError as exc:
        messages.error(request, str(exc))  # the service's own reason, shown as it gave it
        return redirect("site:return", pk=pk)
    messages.success(request, f"Return {row.status}")
    return redirect("site:return", pk=pk)


@login_required
@require_POST
def return_message(request, pk: int):
    row = access.return_for(request.user, pk)
    if not access.can_comment(request.user, row):
        raise Http404("cannot comment")
    text = (request.POST.get("text") or "").strip()
    section = (request.POST.get("section") or "general")[:64]
    if not text:
        messages.error(request, "Enter your comment before sending it")
        return redirect("site:return", pk=pk)
    kind = "reply" if access.partner_of(request.user) else "comment"
    with transaction.atomic():
        Message.objects.create(ret=row, section=section, kind=kind, author=request.user, text=text[:5000])
        append(request.user, f"message.{kind}", f"return:{row.partner.code}/{row.period.code}/{row.template.code}",
               {"section": section, "text": text[:5000]})
        notify_events.message_posted(row, kind, request.user, text[:5000])  # emailed by the worker after commit
    return redirect(reverse("site:return", kwargs={"pk": pk}) + f"#section-{section}")


@login_required
@require_GET
def return_history(request, pk: int):
    row = access.return_for(request.user, pk)
    versions = list(row.versions.order_by("number"))
    diff, a, b = [], request.GET.get("a"), request.GET.get("b")
    if a and b:
        va = row.versions.filter(number=int(a)).first() if _version_number(a) else None
        vb = row.versions.filter(number=int(b)).first() if _version_number(b) else None
        if va is None or vb is None:
            messages.error(request, "Choose two versions that exist")
        else:
            diff = _version_diff(va.content, vb.content)
    return render(request, "site/history.html", {"row": row, "versions": versions,
                                                 "transitions": row.transitions.select_related("actor"),
                                                 "diff": diff, "a": a, "b": b})


def _version_diff(a: dict, b: dict) -> list[tuple[str, str]]:
    la = json.dumps(a, indent=1, sort_keys=True, ensure_ascii=False).splitlines()
    lb = json.dumps(b, indent=1, sort_keys=True, ensure_ascii=False).splitlines()
    out = []
    for line in difflib.unified_diff(la, lb, "earlier", "later", lineterm="", n=2):
        kind = "add" if line.startswith("+") and not line.startswith("+++") else \
            "del" if line.startswith("-") and not line.startswith("---") else "ctx"
        out.append((kind, line))
    return out


@login_required
@require_GET
def figures_template(request, pk: int):
    row = access.return_for(request.user, pk)
    spec = common.spec()
    cells = returnform.figure_cells(spec, store.return_from_row(row), _history(row))
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
    upload = request.FILES.get("file")
    problems: list[str] = []
    if upload is None:
        problems = ["Choose a .xlsx or .csv file to upload"]
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
        post = {c.name: c.value for c in returnform.figure_cells(spec, base, _history(row))}
        post.update(fields)
        result = returnform.read_form(spec, base, _FormView(request_post_from(base, spec), post), request.user.username)
        problems = [f"{k.split('|')[1] if k.startswith('fig|') else k}: {m}" for k, ms in result.errors.items() for m in ms]
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


class _FormView(dict):
    """A QueryDict-like view: the stored return's own fields plus uploaded figures."""

    def __init__(self, base: dict, figures: dict):
        super().__init__({k: v for k, v in base.items() if not k.startswith("fig|")})
        self.update(figures)

    def getlist(self, key):
        v = super().get(key, [])
        return v if isinstance(v, list) else [v]

    def get(self, key, default=None):
        v = super().get(key, default)
        return v[-1] if isinstance(v, list) and v else v


def request_post_from(ret, spec) -> dict:
    """The form fields that reproduce a stored return (used when an upload replaces figures)."""
    out: dict = {}
    counters: dict[str, int] = {}
    for s in ret.sections:
        n = counters[s.section] = counters.get(s.section, -1) + 1
        p = f"sec-{s.section}-{n}"
        out[f"{p}-text"], out[f"{p}-heading"], out[f"{p}-pri"] = s.text, s.heading, list(s.priorities)
    for n, h in enumerate(ret.highlights):
        out[f"hl-{n}-delivered"], out[f"hl-{n}-impact"] = h.delivered, h.impact
    for n, c in enumerate(ret.challenges):
        out[f"ch-{n}-text"], out[f"ch-{n}-pri"] = c.text, list(c.priorities)
    for n, c in enumerate(ret.next_year):
        out[f"ny-{n}-text"], out[f"ny-{n}-pri"] = c.text, list(c.priorities)
    for n, c in enumerate(ret.case_studies):
        out[f"cs-{n}-title"], out[f"cs-{n}-text"] = c.title, c.text
    for n, a in enumerate(ret.audits):
        out[f"au-{n}-title"], out[f"au-{n}-findings"] = a.title, "\n".join(a.findings)
        out[f"au-{n}-pri"] = list(a.priorities)
        for m, act in enumerate(a.actions):
            q = f"au-{n}-act-{m}"
            out[f"{q}-text"], out[f"{q}-owner"] = act.text, act.owner
            out[f"{q}-due"], out[f"{q}-status"] = act.due.isoformat() if act.due else "", act.status
    out["voice"] = ret.voice
    out.update(carryforms.post_fields(ret))
    return out


def _version_number(text: str) -> bool:
    """A version number from the query string: plain ASCII digits, small enough for any database."""
    return text.isascii() and text.isdecimal() and len(text) <= 6
