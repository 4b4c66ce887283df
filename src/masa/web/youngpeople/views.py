"""Pages of the young people's version: the business unit's list, editor and actions, and the
public page and PDF once published. Thin: the rules are in ``service`` and the engine."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masa.report import young_people as engine
from masa.spec import parse_period
from masa.web.accounts import access
from masa.web.site import common

from . import service

ACTIONS = {"approve": "approved", "publish": "published", "reopen": "sent back to draft"}


def _bu_only(request):
    if not access.can_review(request.user):
        raise Http404("business unit only")


def _year(spec, period: str) -> str:
    if period not in spec.period_codes or parse_period(period).kind != "year":
        raise Http404("not a year of this partnership")
    return period


def _score(sections: dict[str, str]) -> dict:
    r = engine.readability(sections)
    return {"grade": r.grade, "target": engine.TARGET_GRADE, "meets": r.meets_target, "sentences": r.sentences,
            "longest": [{"words": n, "sentence": s} for n, s in r.longest]}


@require_GET
def index(request):
    _bu_only(request)
    spec = common.spec()
    code = common.partnership_code()
    have = {v.period: v for v in service.YoungPeopleVersion.objects.filter(partnership=code)}
    years = [{"period": y, "version": have.get(y)} for y in reversed(spec.periods.financial_years)]
    return render(request, "youngpeople/index.html", {"spec": spec, "years": years})


@require_POST
def generate(request, period: str):
    _bu_only(request)
    spec = common.spec()
    _year(spec, period)
    try:
        service.generate(common.partnership_code(), period, request.user)
    except (service.Refused, engine.YoungPeopleError) as exc:
        messages.error(request, str(exc))
        return redirect("youngpeople:index")
    messages.success(request, f"The young people's version of {period} was generated. Edit it below, then "
                              "approve it.")
    return redirect("youngpeople:edit", period=period)


@require_http_methods(["GET", "POST"])
def edit(request, period: str):
    """The editor: one text box per section, the readability score, what would stop publishing."""
    _bu_only(request)
    spec = common.spec()
    _year(spec, period)
    v = service.version(common.partnership_code(), period)
    if v is None:
        raise Http404("no version generated for this year")
    sections = dict(v.sections)
    error = ""
    if request.method == "POST":
        # a field left out of the form keeps its text; it is never blanked by omission
        posted = {code: request.POST[f"section-{code}"] for code, _ in engine.SECTIONS
                  if f"section-{code}" in request.POST}
        sections = {**sections, **posted}
        try:
            service.save(v, posted, request.user)
        except service.Refused as exc:
            error = str(exc)
        else:
            messages.success(request, "Saved.")
            return redirect("youngpeople:edit", period=period)
    found = service.problems(v, spec, sections)
    ctx = {"spec": spec, "period": period, "v": v, "error": error, "score": _score(sections), "problems": found,
           "sections": [{"code": c, "title": t, "text": sections.get(c, ""),
                         "html": engine.section_html(sections.get(c, ""))} for c, t in engine.SECTIONS],
           "error_list": [("section-about", error)] if error else []}
    return render(request, "youngpeople/edit.html", ctx, status=400 if error else 200)


@require_POST
def score(request, period: str):
    """The score of the text being typed (the editor's live panel; no saving)."""
    _bu_only(request)
    _year(common.spec(), period)
    return JsonResponse(_score({code: request.POST.get(f"section-{code}", "")[:service.MAX_CHARS]
                                for code, _ in engine.SECTIONS}))


@require_POST
def action(request, period: str):
    _bu_only(request)
    spec = common.spec()
    _year(spec, period)
    v = service.version(common.partnership_code(), period)
    if v is None:
        raise Http404("no version generated for this year")
    what = request.POST.get("action", "")
    if what not in ACTIONS:
        messages.error(request, f"Unknown action {what!r}: choose approve, publish or reopen.")
        return redirect("youngpeople:edit", period=period)
    shown = request.POST.get("status") or None  # the status the page showed: a compare-and-set
    try:
        if what == "approve":
            done = service.approve(v, spec, request.user, shown)
        elif what == "publish":
            done = service.publish(v, spec, request.user, shown)
        else:
            done = service.reopen(v, request.user, shown=shown)
    except service.Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The young people's version of {period} was {ACTIONS[what]}"
                                  + ("." if done else " already: nothing more was done."))
    return redirect("youngpeople:edit", period=period)


def _published(period: str):
    v = service.version(common.partnership_code(), period)
    if v is None or v.status != "published":
        raise Http404("not published")
    return v


@require_GET
def public(request, period: str):
    spec = common.spec()
    v = _published(_year(spec, period))
    draft = service.as_draft(v, spec)
    return render(request, "youngpeople/public.html", {
        "spec": spec, "period": period, "title": draft.title,
        "sections": [{"code": c, "title": t, "html": engine.section_html(v.sections.get(c, ""))}
                     for c, t in engine.SECTIONS]})


@require_GET
def public_pdf(request, period: str):
    v = _published(_year(common.spec(), period))
    resp = HttpResponse(bytes(v.pdf or b""), content_type="application/pdf")
    resp["Content-Disposition"] = f'inline; filename="{v.partnership}-{period}-young-people.pdf"'
    return resp
