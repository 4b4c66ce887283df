"""Section 11 pages. Partners see their own assessments (one per period, whichever partnership
they open it from); the business unit and scrutineers see those of the current partnership's
partners; only the business unit moderates. Lookups outside one's reach answer 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from masa.assurance import section11 as s11
from masa.web.accounts import access
from masa.web.accounts.models import BUSINESS_UNIT, PARTNER_ROLES, SCRUTINEER
from masa.web.core.models import Period
from masa.web.site import common

from . import forms, service
from .models import Assessment, EvidenceFile

RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green"}


def _role(request) -> str:
    return access.role_of(request.user)


def _visible(request):
    qs = Assessment.objects.select_related("partner", "period")
    r = _role(request)
    if r in PARTNER_ROLES:
        return qs.filter(partner=access.partner_of(request.user))
    if r in (BUSINESS_UNIT, SCRUTINEER):
        return access.in_partnership(qs, common.partnership_code()).distinct()
    return qs.none()


def _get(request, pk: int) -> Assessment:
    row = _visible(request).filter(pk=pk).first()
    if row is None:
        raise Http404("no such assessment")
    return row


def _years(spec) -> list[str]:
    have = set(Period.objects.filter(code__in=spec.periods.financial_years).values_list("code", flat=True))
    return [y for y in spec.periods.financial_years if y in have]


def _partners(spec) -> list[tuple[str, str]]:
    return [(p.code, p.name) for p in spec.partners]


@login_required
@require_GET
def index(request):
    r = _role(request)
    if r not in PARTNER_ROLES | {BUSINESS_UNIT, SCRUTINEER}:
        raise Http404("no Section 11 work here")
    spec = common.spec()
    rows = list(_visible(request))
    mine = {(a.partner.code, a.period.code): a for a in rows}
    years = _years(spec)
    if r in PARTNER_ROLES:
        partner = access.partner_of(request.user)
        table = [{"period": y, "row": mine.get((partner.code, y))} for y in years]
        return render(request, "section11/index_partner.html", {"partner": partner, "table": table, "years": years})
    period = request.GET.get("period") if request.GET.get("period") in years else spec.periods.current
    table = [{"partner": name, "row": mine.get((code, period))} for code, name in _partners(spec)]
    return render(request, "section11/index_bu.html", {"table": table, "years": years, "period": period})


@login_required
@require_POST
def start(request):
    if _role(request) not in PARTNER_ROLES:
        raise Http404("partners start their own assessment")
    spec = common.spec()
    period = request.POST.get("period", "")
    if period not in _years(spec):
        messages.error(request, f"Choose a year from the list to start a Section 11 assessment ({period or 'none chosen'} is not one)")
        return redirect(f"{_here()}/section11/")
    row = service.start(access.partner_of(request.user), Period.objects.get(code=period), request.user)
    return redirect(f"{_here()}/section11/{row.pk}/")


def _here() -> str:
    from django.urls import get_script_prefix

    return get_script_prefix().rstrip("/")


def _can_edit(request, row) -> bool:
    return _role(request) in PARTNER_ROLES and row.status == "draft"


def _standards_view(row, a: s11.Assessment, st: s11.StandardSet, partnership: str, post=None, errors=(),
                    partner_view: bool = False, names=None, response_post=None):
    """Per standard, what the page shows: the stored answers, or what was posted with its errors.
    The partner sees every partnership's challenge of its own answers; a business unit sees its
    own partnership's moderation only."""
    bad = dict(errors)
    names = names or {}
    out = []
    files = {}
    for f in EvidenceFile.objects.filter(answer__assessment=row).defer("data").select_related("answer"):
        files.setdefault(f.answer.standard, []).append(f)
    for std in st.standards:
        c = std.code
        ans = a.answer(c) or s11.Answer(standard=c)
        actions = [{"id": x.id, "text": x.text, "owner": x.owner, "due": x.due.isoformat(), "status": x.status,
                    "carried": x.carried, "raised": x.raised} for x in ans.actions]
        actions.append({"id": "", "text": "", "owner": "", "due": "", "status": "open", "carried": False, "raised": ""})
        rating, evidence = ans.rating or "", ans.evidence
        if post is not None:
            rating, evidence = post.get(f"{c}-rating", ""), post.get(f"{c}-evidence", "")
            count = str(post.get(f"{c}-actions", "0"))
            n = min(int(count), 100) if count.isdigit() else 0
            actions = [{"id": post.get(f"{c}-a{i}-id", ""), "text": post.get(f"{c}-a{i}-text", ""),
                        "owner": post.get(f"{c}-a{i}-owner", ""), "due": post.get(f"{c}-a{i}-due", ""),
                        "status": post.get(f"{c}-a{i}-status", "open"), "carried": False, "raised": ""}
                       for i in range(n)]
            old = {x.id: x for x in ans.actions}
            for x in actions:
                if x["id"] in old:
                    x["carried"], x["raised"] = old[x["id"]].carried, old[x["id"]].raised
        for i, x in enumerate(actions):
            x["n"] = i
            x["errors"] = {k: bad.get(f"{c}-a{i}-{k}") for k in ("text", "owner", "due", "status")}
        mod = ans.moderation_in(partnership)
        challenges = [{"by": names.get(x.partnership, x.partnership), "reason": x.reason, "response": x.response,
                       "open": x.open_challenge}
                      for x in ans.moderation if x.verdict == "challenge"] if partner_view else []
        posted = response_post or {}
        out.append({"challenges": challenges, "open_challenge": bool(ans.open_challenges()) and partner_view,
                    "response": {"kind": posted.get(f"{c}-response", ""),
                                 "reason": posted.get(f"{c}-response-reason", ""),
                                 "rating": posted.get(f"{c}-new-rating", ans.rating or ""),
                                 "evidence": posted.get(f"{c}-new-evidence", ans.evidence),
                                 "text": posted.get(f"{c}-new-action-text", ""),
                                 "owner": posted.get(f"{c}-new-action-owner", ""),
                                 "due": posted.get(f"{c}-new-action-due", ""),
                                 "errors": {k.replace("-", "_"): bad.get(f"{c}-{k}") for k in (
                                     "response", "response-reason", "new-rating", "new-action-text",
                                     "new-action-owner", "new-action-due")}},
                    "std": std, "code": c, "rating": rating, "rating_word": RAG_WORDS.get(rating, "Not rated"),
                    "previous": ans.previous_rating, "previous_word": RAG_WORDS.get(ans.previous_rating or "", ""),
                    "evidence": evidence, "actions": actions, "files": files.get(c, []), "moderation": mod,
                    "others": [m for m in ans.moderation if m.partnership != partnership],
                    "errors": {k: bad.get(f"{c}-{k}") for k in ("rating", "file", "verdict", "reason")},
                    "verdict": (post or {}).get(f"{c}-verdict", mod.verdict if mod else ""),
                    "reason": (post or {}).get(f"{c}-reason", mod.reason if mod else "")})
    return out


def _page(request, row, post=None, errors=(), status=200, responding=False):
    st = service.standards_of(row)
    a = service.to_engine(row)
    code = common.partnership_code()
    names = dict(row.partner.partnerships.values_list("code", "name"))
    partnerships = list(names.values())
    partner_view = _role(request) in PARTNER_ROLES
    can_respond = partner_view and row.status == "submitted" and bool(a.challenged())
    return render(request, "section11/assessment.html", {
        "row": row, "error_list": list(errors), "can_respond": can_respond,
        "response_choices": forms.RESPONSE_CHOICES,
        "standards": _standards_view(row, a, st, code, None if responding else post, errors, partner_view, names,
                                     post if responding else None),
        "can_edit": _can_edit(request, row), "can_submit": _can_edit(request, row),
        "can_moderate": _role(request) == BUSINESS_UNIT and row.status == "submitted",
        "statuses": forms.STATUS_CHOICES, "rag": list(RAG_WORDS.items()), "partnerships": partnerships, "set_name": st.name,
        "max_mb": forms.MAX_FILE_BYTES // (1024 * 1024), "allowed": forms.ALLOWED}, status=status)


@login_required
def assessment(request, pk: int):
    row = _get(request, pk)
    if request.method == "GET":
        return _page(request, row)
    if request.method != "POST":
        return HttpResponse(status=405)
    if not _can_edit(request, row):
        raise Http404("this assessment cannot be changed by you now")
    st = service.standards_of(row)
    got = forms.read_answers(request.POST, request.FILES, service.to_engine(row), st, row.period.start)
    errors = got.errors
    if errors:
        return _page(request, row, request.POST, errors, status=400)
    service.save(row, got.assessment, got.files, request.user)
    messages.success(request, "Section 11 assessment saved")
    return redirect(f"{_here()}/section11/{row.pk}/")


@login_required
@require_POST
def submit(request, pk: int):
    row = _get(request, pk)
    if not _can_edit(request, row):
        raise Http404("this assessment cannot be submitted by you now")
    st = service.standards_of(row)
    found = s11.problems(service.to_engine(row), st, row.period.start, submitting=True)
    if found:
        return _page(request, row, None, [(f"{w}-rating", msg) for w, msg in found], status=400)
    service.submit(row, request.user)
    messages.success(request, f"Section 11 assessment for {row.period.code} submitted to the business unit")
    return redirect(f"{_here()}/section11/{row.pk}/")


@login_required
@require_POST
def moderate(request, pk: int):
    row = _get(request, pk)
    if _role(request) != BUSINESS_UNIT:
        raise Http404("business unit only")
    if row.status != "submitted":
        return _page(request, row, None, [("moderation", "Only a submitted assessment can be moderated")], status=409)
    st = service.standards_of(row)
    verdicts, errors = forms.read_moderation(request.POST, service.to_engine(row), st, common.partnership_code(),
                                             request.user.username)
    if errors:
        return _page(request, row, request.POST, errors, status=400)
    n = service.moderate(row, verdicts, request.user)
    messages.success(request, f"Moderation recorded for {n} standard{'s' if n != 1 else ''}")
    return redirect(f"{_here()}/section11/{row.pk}/")


@login_required
@require_POST
def respond(request, pk: int):
    """The partner answers every open challenge (revise, or keep with a reason) and resubmits."""
    row = _get(request, pk)
    if _role(request) not in PARTNER_ROLES:
        raise Http404("partners answer challenges to their own assessment")
    a = service.to_engine(row)
    if row.status != "submitted" or not a.challenged():
        return _page(request, row, None, [("respond", "There is no open challenge to answer on this assessment")],
                     status=409)
    st = service.standards_of(row)
    responses, revised, errors = forms.read_responses(request.POST, a, st, row.period.start, request.user.username)
    if errors:
        return _page(request, row, request.POST, errors, status=400, responding=True)
    service.respond(row, responses, revised, request.user)
    messages.success(request, f"Your response sent and the Section 11 assessment for {row.period.code} resubmitted")
    return redirect(f"{_here()}/section11/{row.pk}/")


@login_required
@require_GET
def evidence(request, pk: int):
    f = EvidenceFile.objects.select_related("answer__assessment").filter(pk=pk).first()
    if f is None or not _visible(request).filter(pk=f.answer.assessment_id).exists():
        raise Http404("no such file")
    resp = HttpResponse(bytes(f.data), content_type="application/octet-stream")
    resp["Content-Disposition"] = f'attachment; filename="{f.name.replace(chr(34), "")}"'
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


def _heatmap(request) -> s11.Heatmap:
    if _role(request) not in (BUSINESS_UNIT, SCRUTINEER):
        raise Http404("business unit and board only")
    spec = common.spec()
    years = _years(spec)
    period = request.GET.get("period") if request.GET.get("period") in years else spec.periods.current
    before = service.previous_period(period)
    rows = list(_visible(request).filter(period__code__in=[period, before]).prefetch_related(
        "answers__actions", "answers__moderations"))
    now = [service.to_engine(r) for r in rows if r.period.code == period]
    then = [service.to_engine(r) for r in rows if r.period.code == before]
    return s11.heatmap(_partners(spec), service.standards(), period, now, then, before if then else None,
                       common.partnership_code())


@login_required
@require_GET
def heatmap(request):
    h = _heatmap(request)
    return render(request, "section11/heatmap.html", {
        "h": h, "rows": [(name, [c.model_dump() | {"word": s11.CHANGE_WORDS[c.change]} for c in cells])
                         for name, cells in h.rows()], "years": _years(common.spec()), "words": s11.CHANGE_WORDS, "rag": RAG_WORDS})


@login_required
@require_GET
def heatmap_export(request, fmt: str):
    h = _heatmap(request)
    rows = s11.export_rows(h)
    name = f"section11-heatmap-{h.period}.{fmt}"
    if fmt == "csv":
        resp = HttpResponse(s11.to_csv(rows), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        resp = HttpResponse(s11.to_xlsx(rows),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        raise Http404("CSV or XLSX only")
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


__all__ = ["assessment", "evidence", "heatmap", "heatmap_export", "index", "moderate", "respond", "start", "submit"]
